"""Admin for reference data. Every admin write records an audit event in the same transaction."""

import hashlib

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction

from . import audit
from .models import (
    AuditAction, AuditEvent, CalendarDay, Department, Jurisdiction, Organisation, RoleAssignment, User,
)


class AuditedAdmin(admin.ModelAdmin):
    """Admin saves and deletes go through here so they leave the same trail as services.

    Fields named in `audit_redact` (secrets, tokens) are recorded as changed, never their value.
    """

    audit_redact: tuple[str, ...] = ()

    def _snapshot(self, obj) -> dict:
        data = audit.snapshot(obj)
        for field in self.audit_redact:
            for key in (field, f"{field}_id"):
                if data.get(key):
                    digest = hashlib.sha256(str(data[key]).encode()).hexdigest()[:8]
                    data[key] = f"redacted:{digest}"  # tells a change apart, not the value
        return data

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = self._snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
            super().save_model(request, obj, form, change)
            action = AuditAction.CHANGE if change else AuditAction.CREATE
            audit.record(request.user, action, obj, before=before, after=self._snapshot(obj),
                         note="admin")

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record(request.user, AuditAction.DELETE, obj, before=self._snapshot(obj),
                         note="admin")
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        """Each inline row added, changed or deleted leaves its own audit event."""
        # From the database: the formset's own instances already carry the edited values.
        known = [f.instance.pk for f in formset.initial_forms if f.instance.pk]
        before = {obj.pk: audit.snapshot(obj)
                  for obj in formset.model._default_manager.filter(pk__in=known)}
        for obj in formset.save():
            if obj.pk in before:
                audit.record_change(request.user, obj, before[obj.pk], note="admin")
            else:
                audit.record_create(request.user, obj, note="admin")
        for obj in formset.deleted_objects:
            audit.record(request.user, AuditAction.DELETE, obj, before=before.get(obj.pk),
                         note="admin")


@admin.register(Jurisdiction)
class JurisdictionAdmin(AuditedAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ("code", "name", "short_name", "sort_order")


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name", "credit_code", "phone")
    search_fields = ("name", "credit_code")


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ("jurisdiction", "organisation")


@admin.register(User)
class FireLedgerUserAdmin(AuditedAdmin, UserAdmin):
    inlines = [RoleAssignmentInline]
    fieldsets = UserAdmin.fieldsets + ((None, {"fields": ("phone",)}),)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    list_display = ("user", "role", "jurisdiction", "department", "organisation")
    list_filter = ("role",)
    raw_id_fields = ("user", "jurisdiction", "organisation")


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdmin):
    list_display = ("day", "is_workday", "name", "source")
    list_filter = ("is_workday", "source")
    date_hierarchy = "day"

    def save_model(self, request, obj, form, change):
        obj.source = CalendarDay.Source.ADMIN  # an edited day is never overwritten by seeding
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written only by the system (audit events, sweeps, frozen versions): shown,
    never added, changed or deleted in the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_repr", "jurisdiction_code")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "object_id", "jurisdiction_code")
