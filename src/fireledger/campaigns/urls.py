from django.urls import path

from . import urls_targets, urls_work, views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("import/", views.campaign_import, name="import"),
    path("new/", views.campaign_new, name="new"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    *urls_targets.urlpatterns,
    *urls_work.urlpatterns,
]
