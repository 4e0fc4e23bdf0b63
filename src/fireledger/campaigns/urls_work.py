"""The campaign's work pages (fan-out, assignments, submissions), included by campaigns/urls.py
under the "campaigns" namespace."""

from django.urls import path

from . import views_work

urlpatterns = [
    path("<int:campaign_pk>/fanout/", views_work.fanout, name="fanout"),
    path("<int:campaign_pk>/assignments/", views_work.assignment_list, name="assignments"),
    path("<int:campaign_pk>/assignments/reassign/", views_work.reassign, name="reassign"),
    path("<int:campaign_pk>/submissions/", views_work.submission_grid, name="submissions"),
    path("<int:campaign_pk>/submissions/<int:pk>/", views_work.submit, name="submit"),
    path("<int:campaign_pk>/submissions/<int:pk>/document/", views_work.document,
         name="document"),
]
