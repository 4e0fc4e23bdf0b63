"""Admin for the hazard register's correctable data: taxonomy, default deadlines, the escalation
policy and webhooks; sweeps are shown read-only. Hazards themselves change only through the
pages and services (the loop has rules the admin would skip)."""

from django.contrib import admin

from fireledger.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import DeadlineRule, EscalationPolicy, HazardCategory, SweepRun, Webhook


@admin.register(HazardCategory)
class HazardCategoryAdmin(AuditedAdmin):
    list_display = ("code", "name", "group", "parent", "sort_order", "source_doc")
    list_filter = ("group",)
    search_fields = ("code", "name")


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(AuditedAdmin):
    list_display = ("category", "is_major", "workdays")
    list_filter = ("is_major",)
    autocomplete_fields = ("category",)


@admin.register(EscalationPolicy)
class EscalationPolicyAdmin(AuditedAdmin):
    list_display = ("__str__", "reminder_workdays", "district_after_workdays", "notice_workdays",
                    "listed_check_days")

    def has_add_permission(self, request):
        return not EscalationPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Webhook)
class WebhookAdmin(AuditedAdmin):
    list_display = ("name", "jurisdiction", "kind", "is_active", "last_sent_at", "last_error")
    list_filter = ("kind", "is_active")
    raw_id_fields = ("jurisdiction",)
    readonly_fields = ("last_sent_at", "last_error")
    audit_redact = ("url", "secret")  # the robot's access token and signing key


@admin.register(SweepRun)
class SweepRunAdmin(ReadOnlyAdmin):
    list_display = ("first_day", "last_day", "started_at", "finished_at", "counts")
