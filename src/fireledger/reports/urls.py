from . import urls_dashboard

app_name = "reports"
urlpatterns = [*urls_dashboard.urlpatterns]
