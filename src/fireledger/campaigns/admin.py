"""Admin for correcting a campaign's plan after it was saved (phases, tasks and their units,
targets, submission schedules); each save is audited. Assignments, figures and submissions
change only through the pages and their services."""

from django.contrib import admin

from fireledger.core.admin import AuditedAdmin

from .models import Campaign, Phase, SubmissionSchedule, Target, Task, TaskUnit


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ("text", "metric", "threshold", "unit", "due_on", "task")


class TaskUnitInline(admin.TabularInline):
    model = TaskUnit
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(AuditedAdmin):
    list_display = ("name", "doc_number", "starts_on", "ends_on", "jurisdiction")
    search_fields = ("name", "doc_number", "issuer")
    raw_id_fields = ("jurisdiction",)
    exclude = ("source_text", "created_by")
    inlines = [PhaseInline, TargetInline]


@admin.register(Task)
class TaskAdmin(AuditedAdmin):
    list_display = ("number", "title", "campaign", "due_on")
    list_filter = ("campaign",)
    search_fields = ("title",)
    inlines = [TaskUnitInline]


@admin.register(SubmissionSchedule)
class SubmissionScheduleAdmin(AuditedAdmin):
    list_display = ("title", "campaign", "kind", "day_of_month", "from_streets")
    list_filter = ("kind",)
