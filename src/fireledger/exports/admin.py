"""Export jobs in the admin, read-only: who exported what, when, and how many rows."""

from django.contrib import admin

from .models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "kind", "status", "done_rows", "query")
    list_filter = ("kind", "status")
    search_fields = ("user__username", "query")
    date_hierarchy = "created_at"
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
