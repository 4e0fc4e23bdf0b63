from django.urls import path

from . import views
from . import views_tables
from . import views_burndown
from . import views_determination

app_name = "hazards"
urlpatterns = [
    path("", views.hazard_list, name="list"),
    path("burndown/", views_burndown.burndown, name="burndown"),
    path("new/", views.hazard_create, name="create"),
    path("<int:pk>/", views.hazard_detail, name="detail"),
    path("<int:pk>/determine/", views_determination.determine, name="determine"),
    path("determinations/", views_determination.determination_list, name="determinations"),
    path("determinations/<int:pk>/", views_determination.determination_detail,
         name="determination"),
    path("determinations/<int:pk>/decide/", views_determination.determination_decide,
         name="determination_decide"),
    path("determinations/<int:pk>/withdraw/", views_determination.determination_withdraw,
         name="determination_withdraw"),
    path("determinations/<int:pk>/minutes/", views_determination.determination_minutes,
         name="determination_minutes"),
    path("<int:pk>/<slug:action>/", views.hazard_action, name="action"),
    path("<int:pk>/more/<slug:name>/", views.hazard_side_action, name="side_action"),
    path("photos/<int:pk>/", views.hazard_photo, name="photo"),
    path("inbox/", views.inbox_view, name="inbox"),
    path("book/<int:place_pk>/", views_tables.place_book, name="book"),
    path("book/<int:place_pk>/export.xlsx", views_tables.place_book_export, name="book_export"),
    path("street-table/", views_tables.street_table, name="street_table"),
    path("street-table/export.xlsx", views_tables.street_table_export,
         name="street_table_export"),
    path("street-table/import/", views_tables.street_import, name="street_import"),
    path("street-table/import/<uuid:job_id>/", views_tables.street_import_report,
         name="street_import_report"),
    path("street-table/import/<uuid:job_id>/progress/", views_tables.street_import_progress,
         name="street_import_progress"),
    path("street-table/import/<uuid:job_id>/commit/", views_tables.street_import_commit,
         name="street_import_commit"),
]
