"""Admin for the public app."""

from django.contrib import admin


# --- Disclosure policy (a single row) -------------------------------------------------------

from fireledger.core.admin import AuditedAdmin as _DisclosureAuditedAdmin  # noqa: E402
from .models import DisclosurePolicy as _DisclosurePolicy  # noqa: E402


@admin.register(_DisclosurePolicy)
class DisclosurePolicyAdmin(_DisclosureAuditedAdmin):
    """One row (pk 1, made on first use): the working days to publish and the days shown."""

    list_display = ("__str__", "publish_workdays", "shown_days")

    def has_add_permission(self, request):
        return not _DisclosurePolicy.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        from django.shortcuts import redirect
        from django.urls import reverse

        policy = _DisclosurePolicy.current()
        return redirect(reverse("admin:public_disclosurepolicy_change", args=[policy.pk]))
