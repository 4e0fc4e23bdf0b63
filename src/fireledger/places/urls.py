from django.urls import path

from . import views, views_import

app_name = "places"
urlpatterns = [
    path("", views.place_list, name="list"),
    path("new/", views.place_create, name="create"),
    path("export.xlsx", views_import.export_places, name="export"),
    path("import/", views_import.import_upload, name="import_upload"),
    path("import/template.xlsx", views_import.import_template, name="import_template"),
    path("import/<uuid:job_id>/", views_import.import_report, name="import_report"),
    path("import/<uuid:job_id>/progress/", views_import.import_progress, name="import_progress"),
    path("import/<uuid:job_id>/commit/", views_import.import_commit, name="import_commit"),
    path("<int:pk>/", views.place_detail, name="detail"),
    path("<int:pk>/edit/", views.place_edit, name="edit"),
    path("<int:pk>/delete/", views.place_delete, name="delete"),
]
