from django.urls import path

from . import views

app_name = "risk"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("places/<int:pk>/", views.place_risk, name="place"),
]
