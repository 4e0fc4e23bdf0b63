from django.urls import path

from . import views

app_name = "hazards"
urlpatterns = [
    path("", views.hazard_list, name="list"),
    path("new/", views.hazard_create, name="create"),
    path("<int:pk>/", views.hazard_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.hazard_action, name="action"),
]
