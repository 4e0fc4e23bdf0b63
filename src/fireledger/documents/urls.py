from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/document.pdf", views.document_pdf, name="pdf"),
    path("<int:pk>/document.docx", views.document_docx, name="docx"),
    path("issue/<slug:kind>/<int:pk>/", views.issue, name="issue"),
    path("templates/<slug:kind>.docx", views.template_docx, name="template"),
]
