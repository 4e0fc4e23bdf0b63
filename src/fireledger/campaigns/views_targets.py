"""The target page (/campaigns/<campaign>/targets/<target>/): the target's value today (or on
?on=YYYY-MM-DD) overall, per street and per department against the pace, who is behind; and
the form that enters a figure by hand, with its evidence, for a "manual" target.

The campaign must be visible to the user (else 404, as must the target be one of its own);
entering a figure needs services_targets.figure_choices (else 403)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from fireledger.core.forms import DateInput, StyledMixin

from . import metrics, services_targets
from .models import Campaign, Target
from .targets import evaluate

OVERALL = "all"


class OnForm(forms.Form):
    """?on=YYYY-MM-DD: the day to look at (today when empty)."""

    on = forms.DateField(label=_("Status on"), required=False,
                         widget=DateInput(attrs={"class": "form-control"}),
                         error_messages={"invalid": _("Date: enter a date as YYYY-MM-DD.")})


class FigureForm(StyledMixin, forms.Form):
    """A figure entered by hand: for what (the whole campaign, a street, a department), the
    value, as of which day, its evidence and a note. Values, dates and the evidence are checked
    again by services_targets.enter_figure, whose errors land on these fields."""

    applies_to = forms.ChoiceField(label=_("For"))
    value = forms.DecimalField(
        label=_("Figure"), max_digits=12, decimal_places=2,
        error_messages={"required": _("Figure: fill it in."),
                        "invalid": _("Figure: enter a number."),
                        "max_digits": _("Figure: at most 10 digits before the point and 2 after."),
                        "max_decimal_places": _(
                            "Figure: at most 10 digits before the point and 2 after."),
                        "max_whole_digits": _(
                            "Figure: at most 10 digits before the point and 2 after.")})
    on = forms.DateField(label=_("As of"), widget=DateInput(),
                         error_messages={"required": _("As of: give the date of the figure."),
                                         "invalid": _("As of: enter a date as YYYY-MM-DD.")})
    evidence = forms.Field(label=_("Evidence"),
                           error_messages={"required": services_targets.M_EVIDENCE_REQUIRED},
                           widget=forms.FileInput(attrs={
                               "accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}),
                           help_text=_("PDF, JPEG, PNG, Word (.docx) or Excel (.xlsx), at most "
                                       "10 MB."))
    note = forms.CharField(label=_("Note"), max_length=200, required=False,
                           error_messages={"max_length": _(
                               "Note: keep it to %(limit_value)d characters.")})

    def __init__(self, *args, choices: services_targets.FigureChoices, **kwargs):
        super().__init__(*args, **kwargs)
        options = []
        if choices.overall:
            options.append((OVERALL, gettext("The whole campaign")))
        if choices.streets:
            options.append((gettext("Streets"), [(f"j{s.pk}", s.name)
                                                  for s in choices.streets]))
        if choices.departments:
            options.append((gettext("Departments"), [(f"d{d.pk}", str(d))
                                                      for d in choices.departments]))
        self.fields["applies_to"].choices = options
        self.fields["applies_to"].error_messages["invalid_choice"] = _(
            "For: choose one of the listed streets or departments.")
        self.choices = choices
        self.style()

    def option_values(self) -> set[str]:
        """The options offered: "all", "j<street id>", "d<department id>"."""
        values = set()
        for value, label in self.fields["applies_to"].choices:
            if isinstance(label, (list, tuple)):  # a group: (heading, [(value, label)…])
                values.update(v for v, _label in label)
            else:
                values.add(value)
        return values

    def where(self) -> dict:
        """{"jurisdiction": …, "department": …} for the chosen option."""
        code = self.cleaned_data["applies_to"]
        if code.startswith("j"):
            return {"jurisdiction": next(s for s in self.choices.streets
                                         if f"j{s.pk}" == code)}
        if code.startswith("d"):
            return {"department": next(d for d in self.choices.departments
                                       if f"d{d.pk}" == code)}
        return {}


def _campaign_target(request, campaign_pk: int, pk: int) -> tuple[Campaign, Target]:
    campaign = get_object_or_404(
        Campaign.objects.visible_to(request.user).select_related("jurisdiction"),
        pk=campaign_pk)
    target = get_object_or_404(Target.objects.select_related("task"), campaign=campaign, pk=pk)
    target.campaign = campaign
    return campaign, target


def _page(request, campaign, target, *, on=None, on_form=None, figure_form=None,
          status=200):
    today = timezone.localdate()
    if on_form is None:
        on_form = OnForm(request.GET or None, initial={"on": today})
    if on is None:
        on = (on_form.cleaned_data.get("on") if on_form.is_bound and on_form.is_valid()
              else None) or today
    if on_form.is_bound and not on_form.is_valid():
        status = 400
    is_manual = target.metric == metrics.MANUAL
    if is_manual and figure_form is None:
        choices = services_targets.figure_choices(request.user, target)
        if choices:
            figure_form = FigureForm(choices=choices, initial={"on": today})
    status_ = evaluate(target, request.user, on)
    return render(request, "campaigns/target.html", {
        "campaign": campaign,
        "target": target,
        "status": status_,
        "on": on,
        "today": today,
        "on_form": on_form,
        "figure_form": figure_form,
        "is_manual": is_manual,
        "tables": [
            {"id": "target-streets", "title": gettext("By street"), "head": gettext("street"),
             "rows": status_.streets},
            {"id": "target-departments", "title": gettext("By industry department"),
             "head": gettext("industry department"), "rows": status_.departments},
        ],
        "max_mb": services_targets.EVIDENCE_MAX_BYTES // (1024 * 1024),
    }, status=status)


@login_required
def target_detail(request, campaign_pk: int, pk: int):
    campaign, target = _campaign_target(request, campaign_pk, pk)
    return _page(request, campaign, target)


@login_required
@require_POST
def target_figure(request, campaign_pk: int, pk: int):
    campaign, target = _campaign_target(request, campaign_pk, pk)
    if target.metric != metrics.MANUAL:
        raise Http404
    choices = services_targets.figure_choices(request.user, target)
    if not choices:
        raise PermissionDenied
    form = FigureForm(request.POST, request.FILES, choices=choices)
    asked = request.POST.get("applies_to", "")
    if asked and asked not in form.option_values():
        raise PermissionDenied  # a street, department or the total that is not theirs
    if form.is_valid():
        data = form.cleaned_data
        try:
            services_targets.enter_figure(
                request.user, target, value=data["value"], on=data["on"],
                evidence=data.get("evidence") or None, note=data.get("note", ""),
                **form.where())
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name in ("jurisdiction", "department"):
                    if name in error.error_dict:
                        error.error_dict.setdefault("applies_to", []).extend(
                            error.error_dict.pop(name))
            form.add_service_error(error)
        else:
            messages.success(request, gettext("Figure entered."))
            return redirect(reverse("campaigns:target", args=[campaign.pk, target.pk])
                            + f"?on={data['on']:%Y-%m-%d}")
    else:
        # The service's checks of the fields the form let through, so one round shows all.
        data = form.cleaned_data
        try:
            services_targets.check_figure(target, value=data.get("value"), on=data.get("on"),
                                          evidence=data.get("evidence"),
                                          note=data.get("note", ""))
        except ValidationError as error:
            for name, errors in error.error_dict.items():
                if name not in form.errors:
                    form.add_error(name, errors)
            form.mark_invalid()
    today = timezone.localdate()
    return _page(request, campaign, target, on=today, on_form=OnForm(initial={"on": today}),
                 figure_form=form, status=400)
