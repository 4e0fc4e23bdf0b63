"""Admin for checklists: templates and their items are correctable data. Every save freezes
the items as a new version (services.snapshot_version), so inspections already made keep the
version they used. Inspections, commitments and invitations change only through the pages."""

from django.contrib import admin
from django.db.models import Count

from fireledger.core.admin import AuditedAdmin, ReadOnlyAdmin

from . import services
from .models import ChecklistItem, ChecklistTemplate, ChecklistVersion


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ("sort_order", "number", "area", "text", "category", "is_major", "workdays")
    autocomplete_fields = ("category",)


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(AuditedAdmin):
    list_display = ("name", "code", "item_count", "latest_version", "is_active", "sort_order")
    list_filter = ("is_active",)
    search_fields = ("code", "name")
    inlines = [ChecklistItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            _items=Count("items", distinct=True), _versions=Count("versions", distinct=True))

    @admin.display(description=ChecklistItem._meta.verbose_name_plural)
    def item_count(self, obj):
        return obj._items

    @admin.display(description=ChecklistVersion._meta.get_field("version").verbose_name)
    def latest_version(self, obj):
        return obj._versions

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.snapshot_version(request.user, form.instance)


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(ReadOnlyAdmin):
    """Versions are frozen: shown, never edited."""

    list_display = ("name", "version", "template", "created_at")
    list_filter = ("template",)
