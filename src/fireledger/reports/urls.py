"""/stats/: the dashboards (urls_dashboard) and the bulletins (urls_bulletins)."""

from . import urls_bulletins, urls_dashboard

app_name = "reports"
urlpatterns = [*urls_bulletins.urlpatterns, *urls_dashboard.urlpatterns]
