"""Record PDF, record export and the spot-check page; included by inspections/urls.py under
the "inspections" namespace (inspections:record_pdf, inspections:export,
inspections:spot_checks)."""

from django.urls import path

from . import views_records

urlpatterns = [
    path("<int:pk>/record.pdf", views_records.record_pdf_view, name="record_pdf"),
    path("export.xlsx", views_records.export, name="export"),
    path("spot-checks/", views_records.spot_checks, name="spot_checks"),
]
