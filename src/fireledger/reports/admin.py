"""Bulletins and their templates in the admin: read-only (issuing and uploading go through
services_bulletins, from the bulletin pages)."""

from django.contrib import admin

from fireledger.core.admin import ReadOnlyAdmin

from .models import Bulletin, BulletinTemplate


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyAdmin):
    list_display = ["title", "reference", "period_start", "period_end", "issued_at", "issued_by"]
    list_filter = ["year"]
    search_fields = ["title"]


@admin.register(BulletinTemplate)
class BulletinTemplateAdmin(ReadOnlyAdmin):
    list_display = ["jurisdiction", "version", "original_name", "uploaded_at", "uploaded_by"]
