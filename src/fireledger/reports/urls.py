"""/reports/: the bulletins (urls_bulletins). The dashboards' urls_dashboard is added next to
it when the two branches are merged."""

from . import urls_bulletins

app_name = "reports"
urlpatterns = [*urls_bulletins.urlpatterns]
