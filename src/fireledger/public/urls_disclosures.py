"""disclosures pages of the public app (see views_disclosures.py)."""

from django.urls import path

from . import views_disclosures as views

urlpatterns: list = [
    path("disclosures/", views.public_disclosures, name="disclosures"),
    path("disclosures/manage/", views.manage, name="disclosures_manage"),
    path("disclosures/publish/", views.publish, name="disclosure_publish"),
]
