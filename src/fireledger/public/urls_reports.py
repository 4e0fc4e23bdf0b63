"""reports pages of the public app (see views_reports.py)."""

urlpatterns: list = []
