"""Campaign pages: the list, the campaign (phases, tasks with their units, targets, work and
submissions), and the plan importer (paste or upload → review → save)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import services
from .forms import (
    CampaignForm,
    PhaseFormSet,
    PlanForm,
    TargetFormSet,
    TaskFormSet,
    district_jurisdictions,
)
from .models import Campaign, TaskUnit


@login_required
def campaign_list(request):
    campaigns = Campaign.objects.visible_to(request.user).select_related("jurisdiction")
    return render(request, "campaigns/list.html", {
        "campaigns": campaigns,
        "may_create": district_jurisdictions(request.user).exists(),
        "today": timezone.localdate(),
    })


def current_phase(phases, on):
    return next((p for p in phases if p.starts_on and p.ends_on
                 and p.starts_on <= on <= p.ends_on), None)


@login_required
def campaign_detail(request, pk: int):
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user).select_related(
        "jurisdiction", "created_by"), pk=pk)
    today = timezone.localdate()
    phases = list(campaign.phases.all())
    tasks = list(campaign.tasks.prefetch_related(Prefetch(
        "units", queryset=TaskUnit.objects.select_related("department"))))
    for task in tasks:
        task.by_role = {role: [u for u in task.units.all() if u.role == role]
                        for role in ("lead", "cooperating", "responsible")}
    context = {
        "campaign": campaign, "phases": phases, "tasks": tasks, "today": today,
        "current_phase": current_phase(phases, today),
        "may_change": services.may_change(request.user, campaign.jurisdiction),
    }
    context.update(_panels(campaign, request.user, today))
    return render(request, "campaigns/detail.html", context)


def _panels(campaign, user, today) -> dict:
    """The targets, assignments and submissions panels, each from its own module."""
    from .fanout import fanout_context
    from .submissions import submissions_context
    from .targets import targets_context

    context = {}
    for panel in (targets_context, fanout_context, submissions_context):
        context.update(panel(campaign, user, today))
    return context


def _review_forms(request, initial=None):
    jurisdictions = district_jurisdictions(request.user)
    data = request.POST if initial is None else None
    initial = initial or {}
    campaign = dict(initial.get("campaign") or {})
    if len(jurisdictions) == 1:  # the district office's own district, unless changed
        campaign.setdefault("jurisdiction", jurisdictions[0])
    return (
        CampaignForm(data, prefix="c", initial=campaign, jurisdictions=jurisdictions),
        PhaseFormSet(data, prefix="phases", initial=initial.get("phases")),
        TaskFormSet(data, prefix="tasks", initial=initial.get("tasks")),
        TargetFormSet(data, prefix="targets", initial=initial.get("targets")),
    )


def _may_create(request):
    if not district_jurisdictions(request.user).exists():
        raise PermissionDenied


@login_required
def campaign_import(request):
    """Step 1: paste or upload the plan; the parser's proposal opens the review page."""
    from . import importer, plan_parser

    _may_create(request)
    form = PlanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            text = importer.read_plan(upload) if upload else form.cleaned_data["text"]
        except ValueError as error:
            form.add_error("file", str(error))
        else:
            parsed = plan_parser.parse_plan(text)
            initial = importer.proposal(parsed, text)
            forms = _review_forms(request, initial)
            return _review(request, forms, parsed=parsed)
    return render(request, "campaigns/import.html", {"form": form},
                  status=400 if form.errors else 200)


def _review(request, forms, *, parsed=None, status=200):
    campaign_form, phases, tasks, targets = forms
    return render(request, "campaigns/review.html", {
        "campaign_form": campaign_form, "phases": phases, "tasks": tasks, "targets": targets,
        "parsed": parsed,
        "found": parsed is not None and sum(bool(parsed.get(k)) for k in (
            "title", "issuer", "date", "doc_number")),
    }, status=status)


def _cleaned(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")]


@login_required
def campaign_new(request):
    """The review page: empty for a campaign typed by hand, or posted back from the importer;
    saving writes everything or nothing."""
    from . import importer

    _may_create(request)
    if request.method != "POST":
        return _review(request, _review_forms(request, {"campaign": {}}))
    forms = _review_forms(request)
    campaign_form, phases, tasks, targets = forms
    if all(f.is_valid() for f in forms):
        data = dict(campaign_form.cleaned_data)
        try:
            campaign = services.create_campaign(request.user, **importer.campaign_input(
                data, _cleaned(phases), _cleaned(tasks), _cleaned(targets)))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("campaigns:detail", pk=campaign.pk)
    else:
        messages.error(request, _("Please correct the fields marked below."))
    return _review(request, forms, status=400)
