from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def empty_tallies_without_hazards(using="default", **kwargs):
    """`flush` (tests with transactions) deletes tables in no fixed order on SQLite: if the
    tallies went first, the hazard triggers left -1 rows behind. No hazards means the tallies
    are empty; post_migrate follows every flush."""
    from django.db import connections

    connection = connections[using]
    if "reports_hazardtally" not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM hazards_hazard LIMIT 1")
        if cursor.fetchone() is None:
            cursor.execute("DELETE FROM reports_hazardtally")
            cursor.execute("DELETE FROM reports_categorytally")
        if "reports_placetally" in connection.introspection.table_names():
            cursor.execute("SELECT 1 FROM places_place LIMIT 1")
            if cursor.fetchone() is None:
                cursor.execute("DELETE FROM reports_placetally")


class ReportsConfig(AppConfig):
    name = "fireledger.reports"
    verbose_name = _("Dashboards and bulletins")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(empty_tallies_without_hazards, sender=self,
                             dispatch_uid="reports_empty_tallies")
