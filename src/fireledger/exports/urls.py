from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("start/<str:kind>/", views.start, name="start"),
    path("<uuid:job_id>/", views.job_detail, name="job"),
    path("<uuid:job_id>/progress/", views.job_progress, name="progress"),
    path("<uuid:job_id>/download/", views.download, name="download"),
]
