from django.urls import path

from . import views

app_name = "duties"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("due/", views.due_queue, name="due"),
    path("workload/", views.workload, name="workload"),
    path("streets/<int:pk>/", views.station_calendar, name="calendar"),
    path("streets/<int:pk>/record/", views.record_create, name="record_create"),
    path("records/<int:pk>/", views.record_detail, name="record_detail"),
    path("records/<int:pk>/attachment/", views.record_attachment, name="attachment"),
]
