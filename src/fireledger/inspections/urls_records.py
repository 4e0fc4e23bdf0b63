"""Record PDF, record export and the spot-check page; included by inspections/urls.py under
the "inspections" namespace (inspections:record_pdf, inspections:export,
inspections:spot_checks) and the random draws (inspections:draw_*)."""

from django.urls import path

from . import views_draws, views_records

urlpatterns = [
    path("<int:pk>/record.pdf", views_records.record_pdf_view, name="record_pdf"),
    path("export.xlsx", views_records.export, name="export"),
    path("spot-checks/", views_records.spot_checks, name="spot_checks"),
    # Random inspection draws (双随机): inspections:draw_list is the nav entry.
    path("draws/", views_draws.draw_list, name="draw_list"),
    path("draws/new/", views_draws.draw_new, name="draw_new"),
    path("draws/<int:pk>/", views_draws.draw_detail, name="draw_detail"),
    path("draws/<int:pk>/reproduce/", views_draws.draw_reproduce, name="draw_reproduce"),
]
