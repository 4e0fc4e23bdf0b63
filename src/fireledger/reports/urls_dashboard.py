"""The dashboards; reports/urls.py includes these (app_name "reports"). The level is spelled
out so that other pages under /stats/ (bulletins) are not taken for a level."""

from django.urls import path, re_path

from . import views_dashboard

urlpatterns = [
    path("", views_dashboard.dashboard, name="dashboard"),
    re_path(r"^(?P<level>district|department|street)/$", views_dashboard.dashboard_level,
            name="dashboard_level"),
]
