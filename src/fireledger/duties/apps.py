from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "fireledger.duties"
    verbose_name = _("Duties and inspection frequency")
    default_auto_field = "django.db.models.BigAutoField"
