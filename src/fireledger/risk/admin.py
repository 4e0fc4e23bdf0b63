"""Admin for the risk policy (weights and cut-offs as data). Saving a policy adopts a NEW
version through risk.services.adopt_policy (validated, audited); old versions stay, read-only.
Scores and history are derived data: shown read-only."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from fireledger.core.admin import ReadOnlyAdmin

from . import services
from .models import RiskHistory, RiskPolicy, RiskScore


@admin.register(RiskPolicy)
class RiskPolicyAdmin(admin.ModelAdmin):
    list_display = ("version", "in_force", "red_from", "orange_from", "yellow_from", "note",
                    "created_at", "created_by")
    fields = ("weights", "red_from", "orange_from", "yellow_from", "note")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Never update a row: every save is a new version put in force by the service."""
        try:
            policy = services.adopt_policy(
                request.user, weights=form.cleaned_data["weights"],
                red_from=form.cleaned_data["red_from"],
                orange_from=form.cleaned_data["orange_from"],
                yellow_from=form.cleaned_data["yellow_from"],
                note=form.cleaned_data.get("note", ""))
        except ValidationError as error:
            # Reached only when the form's own clean let it through; say why and keep nothing.
            messages.error(request, " ".join(error.messages))
            raise
        obj.pk, obj.version = policy.pk, policy.version
        messages.info(request, gettext(
            "Risk policy version %(version)d is in force; scores change at the next recompute "
            "(nightly, or `fireledger risk` now).") % {"version": policy.version})

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class PolicyForm(form):
            def clean(self):
                data = super().clean()
                from . import index

                if all(k in data for k in ("weights", "red_from", "orange_from", "yellow_from")):
                    weights = data["weights"] if isinstance(data["weights"], dict) else {}
                    problems = index.check_policy(
                        {**index.DEFAULT_WEIGHTS, **weights},
                        {"red": data["red_from"], "orange": data["orange_from"],
                         "yellow": data["yellow_from"]})
                    if not isinstance(data["weights"], dict):
                        self.add_error("weights", gettext("Enter the weights as a JSON object."))
                    for message, params in problems:
                        self.add_error(None, gettext(message).format(**params))
                return data

        return PolicyForm


@admin.register(RiskScore)
class RiskScoreAdmin(ReadOnlyAdmin):
    list_display = ("place", "jurisdiction_code", "score", "grade", "policy_version",
                    "computed_at")
    list_filter = ("grade",)
    raw_id_fields = ("place",)


@admin.register(RiskHistory)
class RiskHistoryAdmin(ReadOnlyAdmin):
    list_display = ("place", "score", "grade", "policy_version", "computed_at")
    list_filter = ("grade",)
    raw_id_fields = ("place",)
