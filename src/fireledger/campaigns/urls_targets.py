"""The target page and its figure form; campaigns/urls.py includes these (app_name
"campaigns")."""

from django.urls import path

from . import views_targets

urlpatterns = [
    path("<int:campaign_pk>/targets/<int:pk>/", views_targets.target_detail, name="target"),
    path("<int:campaign_pk>/targets/<int:pk>/figures/", views_targets.target_figure,
         name="target_figure"),
]
