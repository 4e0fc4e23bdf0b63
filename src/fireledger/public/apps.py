from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "fireledger.public"
    verbose_name = _("Public face")
    default_auto_field = "django.db.models.BigAutoField"
