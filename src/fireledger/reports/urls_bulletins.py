"""Bulletin URLs, included by reports/urls.py under /stats/ (namespace "reports")."""

from django.urls import path

from . import views_bulletins as views

urlpatterns = [
    path("bulletins/", views.bulletin_list, name="bulletins"),
    path("bulletins/new/", views.bulletin_new, name="bulletin_new"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>/bulletin.docx", views.bulletin_docx, name="bulletin_docx"),
    path("bulletins/<int:pk>/bulletin.pdf", views.bulletin_pdf, name="bulletin_pdf"),
    path("bulletins/template/", views.bulletin_template, name="bulletin_template"),
    path("bulletins/template/default.docx", views.bulletin_template_default,
         name="bulletin_template_default"),
    path("bulletins/template/<int:pk>.docx", views.bulletin_template_file,
         name="bulletin_template_file"),
]
