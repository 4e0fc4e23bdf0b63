from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "fireledger.reports"
    verbose_name = _("Dashboards and bulletins")
    default_auto_field = "django.db.models.BigAutoField"
