"""disclosures pages of the public app (see views_disclosures.py)."""

urlpatterns: list = []
