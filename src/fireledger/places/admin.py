"""Admin for the key-unit criteria (correctable data). Places are edited in the app, not here."""

from django.contrib import admin

from fireledger.core.admin import AuditedAdmin

from .models import KeyUnitCriterion


@admin.register(KeyUnitCriterion)
class KeyUnitCriterionAdmin(AuditedAdmin):
    list_display = ("region", "category", "metric", "threshold", "label", "verified", "source_doc",
                    "valid_from", "valid_to")
    list_filter = ("category", "verified")
