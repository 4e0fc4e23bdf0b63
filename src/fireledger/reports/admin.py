"""Bulletins and their templates in the admin: read-only (issuing and uploading go through
services_bulletins, from the bulletin pages)."""

from django.contrib import admin

from .models import Bulletin, BulletinTemplate


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Bulletin)
class BulletinAdmin(ReadOnly):
    list_display = ["title", "reference", "period_start", "period_end", "issued_at", "issued_by"]
    list_filter = ["year"]
    search_fields = ["title"]


@admin.register(BulletinTemplate)
class BulletinTemplateAdmin(ReadOnly):
    list_display = ["jurisdiction", "version", "original_name", "uploaded_at", "uploaded_by"]
