from django.urls import path

from . import views

app_name = "hazards"
urlpatterns = [
    path("", views.hazard_list, name="list"),
    path("new/", views.hazard_create, name="create"),
    path("<int:pk>/", views.hazard_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.hazard_action, name="action"),
    path("<int:pk>/more/<slug:name>/", views.hazard_side_action, name="side_action"),
    path("photos/<int:pk>/", views.hazard_photo, name="photo"),
    path("inbox/", views.inbox_view, name="inbox"),
]
