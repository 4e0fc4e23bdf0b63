"""A campaign's work: fan out a checklist over its area (district office), the assignments
list (phone friendly; hand unheld work to someone), and the submissions grid (streets and
departments × due dates) with the upload of each report and its download.

Every page is under a campaign the user may see (else 404); the lists are the user's scope
within it (fanout.visible, submissions.visible); writes go through services_fanout and
services_submissions.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from fireledger.core.files import stored_file_response
from fireledger.core.forms import DateInput, StyledMixin
from fireledger.core.models import User
from fireledger.inspections.models import ChecklistTemplate
from fireledger.places.choices import Category

from . import fanout as work
from . import services_fanout, services_submissions
from . import submissions as reports
from .models import Campaign, SubmissionSchedule

PAGE_SIZE = 50


def _campaign(request, pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.visible_to(request.user).select_related(
        "jurisdiction"), pk=pk)


# --- fan-out ---------------------------------------------------------------------------

class FanOutForm(StyledMixin, forms.Form):
    template = forms.ModelChoiceField(label=gettext_lazy("Checklist"),
                                      queryset=ChecklistTemplate.objects.none())
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("Place categories"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None chosen: every category the checklist is for."))
    streets = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Streets"), required=False, queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None chosen: the campaign's whole area."))
    holder = forms.ChoiceField(
        label=gettext_lazy("Held by"), widget=forms.RadioSelect, initial=work.STREET,
        choices=[(work.STREET, gettext_lazy("the streets (grid worker, else street officer)")),
                 (work.DEPARTMENT, gettext_lazy(
                     "the departments (the task's lead, else the place's department)"))])
    task = forms.ModelChoiceField(label=gettext_lazy("Task"), required=False,
                                  queryset=None)
    due_on = forms.DateField(
        label=gettext_lazy("Due date"), required=False, widget=DateInput,
        help_text=gettext_lazy("Empty: the task's due date, else the campaign's end."))

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        templates = ChecklistTemplate.objects.filter(is_active=True)
        wanted = set(campaign.place_categories or [])
        if wanted:
            templates = [t for t in templates if wanted & set(t.place_categories)]
            self.fields["template"].queryset = ChecklistTemplate.objects.filter(
                pk__in=[t.pk for t in templates])
        else:
            self.fields["template"].queryset = templates
        covered = {c for t in templates for c in t.place_categories}
        if wanted:
            covered &= wanted
        self.fields["categories"].choices = [(v, label) for v, label in Category.choices
                                             if v in covered]
        self.fields["streets"].queryset = work.streets_of(campaign)
        self.fields["task"].queryset = campaign.tasks.all()
        self.style()


@login_required
def fanout(request, campaign_pk: int):
    """GET: the form; POST: fan out and show the counts (idempotent: a repeated POST creates
    nothing new)."""
    campaign = _campaign(request, campaign_pk)
    if not work.may_fan_out(request.user, campaign):
        raise PermissionDenied
    form = FanOutForm(request.POST or None, campaign=campaign)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services_fanout.fan_out(
                request.user, campaign, template=data["template"],
                categories=data["categories"] or None,
                jurisdictions=list(data["streets"]) or None, task=data["task"],
                due_on=data["due_on"], holder=data["holder"])
        except ValidationError as error:
            form.add_service_error(error)
    return render(request, "campaigns/work_fanout.html", {
        "campaign": campaign, "form": form, "result": result,
    }, status=400 if form.errors else 200)


# --- assignments -----------------------------------------------------------------------

class AssignmentFilterForm(StyledMixin, forms.Form):
    street = forms.ModelChoiceField(label=gettext_lazy("Street"), required=False,
                                    queryset=None, empty_label=gettext_lazy("All streets"))
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False, choices=[
        ("", gettext_lazy("Every state")), (work.OPEN, gettext_lazy("to do")),
        (work.OVERDUE, gettext_lazy("overdue")), (work.UNHELD, gettext_lazy("nobody holds it")),
        (work.DONE, gettext_lazy("done"))])

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = work.streets_of(campaign)
        self.style()


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


@login_required
def assignment_list(request, campaign_pk: int):
    """The campaign's assignments in the user's scope, filtered by street and state, with a
    chip per state (counts) and, for those who may, a form to hand the chosen ones on."""
    campaign = _campaign(request, campaign_pk)
    today = timezone.localdate()
    form = AssignmentFilterForm(request.GET, campaign=campaign)
    valid = form.is_valid()
    scoped = work.visible(request.user).filter(campaign=campaign)
    if valid and form.cleaned_data["street"] is not None:
        scoped = scoped.filter(street=form.cleaned_data["street"])
    rows = work.with_state(scoped, today).select_related(
        "place", "street", "department", "template", "assignee")
    state = form.cleaned_data.get("state") if valid else ""
    if state:
        rows = work.filter_state(rows, state, today)
    if not valid:
        rows = rows.none()
    page = Paginator(rows.order_by("due_on", "jurisdiction_code", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    for row in page:
        row.state = work.state_of(row, today)
    groups = work.grouped_counts(scoped, today) if valid else []
    totals = {k: sum(g[k] for g in groups) for k in ("total", "done", "overdue", "unheld")}
    totals["open"] = totals["total"] - totals["done"] - totals["overdue"]
    query = request.GET.copy()
    query.pop("page", None)
    base = query.copy()
    base.pop("state", None)
    may_reassign = work.may_reassign(request.user)
    return render(request, "campaigns/work_assignments.html", {
        "campaign": campaign, "form": form, "page": page, "today": today, "totals": totals,
        "state": state, "query": query.urlencode(), "base_query": base.urlencode(),
        "may_reassign": may_reassign,
        "assignees": work.assignee_choices(request.user, campaign) if may_reassign else [],
        "states": [(work.OPEN, _("to do")), (work.OVERDUE, _("overdue")),
                   (work.UNHELD, _("nobody holds it")), (work.DONE, _("done"))],
    }, status=200 if valid else 400)


@login_required
@require_POST
def reassign(request, campaign_pk: int):
    """Hand the chosen assignments to someone (services_fanout.reassign checks the reach)."""
    campaign = _campaign(request, campaign_pk)
    if not work.may_reassign(request.user):
        raise PermissionDenied
    back = _next_url(request, reverse("campaigns:assignments", args=[campaign.pk]))
    ids = sorted({int(v) for v in request.POST.getlist("assignment") if v.isdigit()})
    if not ids:
        messages.error(request, _("Choose the assignments to hand on."))
        return redirect(back)
    if work.visible(request.user).filter(campaign=campaign, pk__in=ids).count() != len(ids):
        raise Http404
    user_id = request.POST.get("user", "")
    allowed = {pk for pk, _label in work.assignee_choices(request.user, campaign)}
    user = User.objects.filter(pk=int(user_id), is_active=True).first() \
        if user_id.isdigit() and int(user_id) in allowed else None
    if user is None:
        messages.error(request, _("Choose someone to hand the work to."))
        return redirect(back)
    try:
        changed = services_fanout.reassign(request.user, ids, user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, ngettext(
            "%(count)d assignment handed to %(name)s.",
            "%(count)d assignments handed to %(name)s.", changed) % {
            "count": changed, "name": user.display_name})
    return redirect(back)


# --- submissions -----------------------------------------------------------------------

def _grid(schedule: SubmissionSchedule, rows: list, today) -> dict:
    """One schedule's grid: due dates as columns, senders (streets, then departments) as rows,
    each cell the submission (with its state) or None."""
    dates = sorted({s.due_on for s in rows})
    senders: dict = {}
    for s in sorted(rows, key=lambda s: (s.jurisdiction is None,
                                         s.jurisdiction.code if s.jurisdiction else "",
                                         s.department.sort_order if s.department else 0,
                                         s.department_id or 0)):
        key = (s.jurisdiction_id, s.department_id)
        if key not in senders:
            label = s.jurisdiction.name if s.jurisdiction else str(s.department)
            senders[key] = {"label": label, "cells": {}}
        s.state = reports.cell_state(s, today)
        senders[key]["cells"][s.due_on] = s
    return {
        "schedule": schedule, "dates": dates,
        "rows": [{"label": r["label"], "cells": [r["cells"].get(d) for d in dates]}
                 for r in senders.values()],
        "late": sum(1 for s in rows if s.state in (reports.OVERDUE, reports.SUBMITTED_LATE)),
    }


class ScheduleForm(StyledMixin, forms.ModelForm):
    """A report the campaign asks for; seed 004's monthly report by the 20th is the default."""

    class Meta:
        model = SubmissionSchedule
        fields = ["title", "kind", "day_of_month", "phase", "from_streets", "departments"]
        widgets = {"departments": forms.SelectMultiple(attrs={"size": 4})}

    def __init__(self, *args, campaign: Campaign, **kwargs):
        kwargs.setdefault("initial", {"kind": "monthly", "day_of_month": 20,
                                      "from_streets": True})
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = campaign.phases.all()
        self.style()


def _add_schedule(request, campaign: Campaign):
    form = ScheduleForm(request.POST, campaign=campaign)
    if form.is_valid():
        data = form.cleaned_data
        try:
            schedule = services_submissions.add_schedule(
                request.user, campaign, title=data["title"], kind=data["kind"],
                day_of_month=data["day_of_month"], phase=data["phase"],
                from_streets=data["from_streets"], departments=data["departments"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Report “%(title)s” added with %(count)d due dates.") % {
                "title": schedule.title, "count": schedule.submissions.count()})
            return None
    return form


@login_required
def submission_grid(request, campaign_pk: int):
    """GET: per schedule, rows (streets, departments) × due dates; each cell submitted, late
    or due, with the upload form. POST (district office): create a schedule's due dates."""
    campaign = _campaign(request, campaign_pk)
    today = timezone.localdate()
    may_schedule = work.may_fan_out(request.user, campaign)
    schedule_form = ScheduleForm(campaign=campaign) if may_schedule else None
    if request.method == "POST" and request.POST.get("action") == "add":
        if not may_schedule:
            raise PermissionDenied
        schedule_form = _add_schedule(request, campaign)
        if schedule_form is None:
            return redirect("campaigns:submissions", campaign_pk=campaign.pk)
    elif request.method == "POST":
        if not may_schedule:
            raise PermissionDenied
        schedule = get_object_or_404(SubmissionSchedule, campaign=campaign,
                                     pk=request.POST.get("schedule") or 0)
        try:
            created = services_submissions.schedule_submissions(request.user, schedule)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, ngettext(
                "%(count)d report scheduled.", "%(count)d reports scheduled.", created) % {
                "count": created})
        return redirect("campaigns:submissions", campaign_pk=campaign.pk)
    rows = list(reports.visible(request.user).filter(schedule__campaign=campaign)
                .select_related("jurisdiction", "department", "submitted_by"))
    grids = []
    for schedule in campaign.schedules.select_related("phase"):
        mine = [s for s in rows if s.schedule_id == schedule.pk]
        if mine or may_schedule:
            grids.append(_grid(schedule, mine, today))
    return render(request, "campaigns/work_submissions.html", {
        "campaign": campaign, "grids": grids, "today": today, "may_schedule": may_schedule,
        "max_mb": reports.DOCUMENT_MAX_BYTES // (1024 * 1024), "schedule_form": schedule_form,
    }, status=400 if schedule_form is not None and schedule_form.errors else 200)


def _submission(request, campaign: Campaign, pk: int):
    return get_object_or_404(reports.visible(request.user).filter(schedule__campaign=campaign)
                             .select_related("jurisdiction", "department"), pk=pk)


@login_required
@require_POST
def submit(request, campaign_pk: int, pk: int):
    """Upload (or replace) one report's document."""
    campaign = _campaign(request, campaign_pk)
    submission = _submission(request, campaign, pk)
    upload = request.FILES.get("document")
    back = reverse("campaigns:submissions", args=[campaign.pk]) + f"#submission-{pk}"
    if upload is None:
        messages.error(request, _("Choose the report's file."))
        return redirect(back)
    try:
        services_submissions.submit_report(request.user, submission, document=upload,
                                           note=request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(name)s” received: %(sender)s, due %(due)s.") % {
            "name": submission.document_name,
            "sender": submission.jurisdiction.name if submission.jurisdiction
            else str(submission.department), "due": f"{submission.due_on:%Y-%m-%d}"})
    return redirect(back)


@login_required
def document(request, campaign_pk: int, pk: int):
    """The report's document as an attachment, under the name it was uploaded with."""
    campaign = _campaign(request, campaign_pk)
    submission = _submission(request, campaign, pk)
    if not submission.document:
        raise Http404
    return stored_file_response(submission.document, cache="private, no-cache",
                                as_attachment=True, filename=submission.document_name or "report")
