"""Admin for the correctable data: frequency rules, minutes per inspection, duty kinds. Saves go
through AuditedAdmin (an audit event in the same transaction); duty records are read-only here
(they are written through services.record_duty)."""

from django.contrib import admin

from fireledger.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import DutyKind, DutyRecord, FrequencyRule, InspectionEffort


@admin.register(FrequencyRule)
class FrequencyRuleAdmin(AuditedAdmin):
    list_display = ("basis", "grade", "category", "interval_months", "valid_from", "valid_to",
                    "verified", "source_doc")
    list_filter = ("basis", "grade", "verified")


@admin.register(InspectionEffort)
class InspectionEffortAdmin(AuditedAdmin):
    list_display = ("category", "minutes", "verified", "note")


@admin.register(DutyKind)
class DutyKindAdmin(AuditedAdmin):
    list_display = ("code", "name", "period", "from_annex", "is_active", "sort_order")
    list_filter = ("period", "from_annex", "is_active")


@admin.register(DutyRecord)
class DutyRecordAdmin(ReadOnlyAdmin):
    list_display = ("station", "kind", "period_start", "held_on", "participants", "recorded_by")
    list_filter = ("kind",)
