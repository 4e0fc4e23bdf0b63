"""reports pages of the public app (see views_reports.py): the public report form, by a
place's safety code or general, the reporter's status page by tracking token, and the
officers' triage pages."""

from django.urls import path

from . import views_reports as views

urlpatterns: list = [
    path("code/<str:token>/report/", views.report_at_place, name="report_at_place"),
    path("report/", views.report_general, name="report"),
    path("report/status/<str:tracking>/", views.report_status, name="report_status"),
    path("reports/", views.triage_list, name="triage_list"),
    path("reports/<int:pk>/", views.triage, name="triage"),
    path("reports/<int:pk>/<str:action>/", views.triage_action, name="triage_action"),
    path("reports/photos/<int:pk>/", views.report_photo, name="report_photo"),
]
