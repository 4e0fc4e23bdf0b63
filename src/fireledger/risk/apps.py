from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "fireledger.risk"
    verbose_name = _("Risk grading")
    default_auto_field = "django.db.models.BigAutoField"
