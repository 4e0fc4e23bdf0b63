"""code pages of the public app (see views_code.py)."""

urlpatterns: list = []
