"""Duties pages: the district overview, a street's duty calendar and its record form, the
due-inspection queue and the workload estimate."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from fireledger.core.choices import Role
from fireledger.core.files import stored_file_response
from fireledger.core.models import Jurisdiction
from fireledger.core.scope import assignments
from fireledger.places.models import Place
from fireledger.risk.choices import Grade

from . import periods, queries, services
from .forms import DutyRecordForm, QueueFilterForm, WorkloadForm
from .models import DutyKind, DutyRecord, InspectionEffort

PAGE_SIZE = 25


def _officer(user) -> bool:
    """Anyone but a unit manager alone: the queue and the workload are the officers' work."""
    return user.is_superuser or any(a.role != Role.UNIT_MANAGER for a in assignments(user))


def _year(request, today) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else today.year


@login_required
def overview(request):
    """Every street's overdue duties this year (the district office sees all its streets)."""
    today = timezone.localdate()
    year = _year(request, today)
    stations = queries.stations_for(request.user)
    if not _officer(request.user):
        raise PermissionDenied
    kinds, rows = queries.overdue_summary(stations, today, year)
    return render(request, "duties/overview.html", {
        "kinds": kinds, "rows": rows, "year": year, "today": today,
        "total": sum(r[2] for r in rows),
    })


@login_required
def station_calendar(request, pk: int):
    today = timezone.localdate()
    year = _year(request, today)
    station = get_object_or_404(queries.stations_for(request.user), pk=pk)
    return render(request, "duties/calendar.html", {
        "station": station, "year": year, "today": today,
        "rows": queries.calendar(station, year, today),
        "can_record": services.may_record(request.user, station),
        "states": {"done": gettext("done"), "due": pgettext("duty period", "due"),
                   "overdue": gettext("overdue"), "upcoming": gettext("upcoming")},
    })


@login_required
def record_create(request, pk: int):
    """GET ?kind=<code>&period=<start>: the form for that cell; POST: record it."""
    today = timezone.localdate()
    station = get_object_or_404(queries.stations_for(request.user), pk=pk)
    if not services.may_record(request.user, station):
        raise PermissionDenied
    initial = {"held_on": today}
    kind = DutyKind.objects.filter(code=request.GET.get("kind", ""), is_active=True).first()
    if kind is not None:
        initial["kind"] = kind
        try:
            start = datetime.date.fromisoformat(request.GET.get("period", ""))
        except ValueError:
            start = None
        period = periods.period_starting(kind.period, start) if start else None
        if period is not None and period.end < today:
            initial["held_on"] = period.end
    form = DutyRecordForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.record_duty(
                request.user, station=station, kind=data["kind"], held_on=data["held_on"],
                summary=data["summary"], participants=data["participants"],
                attachment=data["attachment"], today=today)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, gettext("Recorded: {kind}, {period}.").format(
                kind=record.kind.name,
                period=queries.period_label(periods.period_containing(
                    record.kind.period, record.held_on))))
            return redirect(f"{_calendar_url(station)}?year={record.period_start.year}"
                            f"#cell-{record.kind.code}-{record.period_start:%Y-%m-%d}")
    return render(request, "duties/record_form.html", {
        "form": form, "station": station, "kind": kind,
    }, status=400 if form.errors else 200)


def _calendar_url(station) -> str:
    from django.urls import reverse

    return reverse("duties:calendar", args=[station.pk])


@login_required
def record_detail(request, pk: int):
    record = get_object_or_404(
        DutyRecord.objects.visible_to(request.user).select_related("station", "kind",
                                                                   "recorded_by"), pk=pk)
    period = periods.period_starting(record.kind.period, record.period_start)
    return render(request, "duties/record_detail.html", {
        "record": record, "period_label": queries.period_label(period) if period else "",
    })


@login_required
def record_attachment(request, pk: int):
    record = get_object_or_404(DutyRecord.objects.visible_to(request.user), pk=pk)
    if not record.attachment:
        raise Http404
    return stored_file_response(record.attachment, content_type=record.attachment_type or None)


def _jurisdiction(request, form, field_name):
    pk = form.cleaned_data.get(field_name) if form.is_valid() else None
    return Jurisdiction.objects.visible_to(request.user).get(pk=pk) if pk else None


@login_required
def due_queue(request):
    if not _officer(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    form = QueueFilterForm(request.GET or None, user=request.user)
    places = Place.objects.visible_to(request.user, "view").select_related("jurisdiction__parent")
    window, grade, category, jurisdiction = "overdue", "", "", None
    if form.is_bound:
        if form.is_valid():
            window = form.cleaned_data["window"] or "overdue"
            grade, category = form.cleaned_data["grade"], form.cleaned_data["category"]
            jurisdiction = _jurisdiction(request, form, "jurisdiction")
        else:
            places = places.none()
    places = queries.in_jurisdiction(places, jurisdiction)
    if grade == queries.UNGRADED:
        places = places.filter(risk__isnull=True)
    elif grade:
        places = places.filter(risk__grade=grade)
    if category:
        places = places.filter(category=category)
    within = {"overdue": 0, "30": 30, "90": 90, "all": None}[window]
    rules = queries.rules_in_force(today)
    rows = queries.due_queue(places, today, within_days=within, rules=rules)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    rule_by_pk = {r.pk: r for r in rules}
    page.object_list = list(page.object_list)
    for place in page.object_list:
        place.rule = rule_by_pk.get(place.rule_id)
        place.grade_label = Grade(place.grade).label if place.grade else ""
        place.overdue = place.due_on is None or place.due_on < today
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "duties/due_queue.html", {
        "form": form, "page": page, "query": query.urlencode(), "today": today,
        "window": window,
    })


@login_required
def workload(request):
    if not _officer(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    form = WorkloadForm(request.GET or None, user=request.user)
    hours = queries.HOURS_PER_INSPECTOR_YEAR
    street = None
    places = Place.objects.visible_to(request.user, "view")
    if form.is_bound:
        if form.is_valid():
            hours = form.cleaned_data["hours"] or hours
            street = _jurisdiction(request, form, "street")
        else:
            places = places.none()
    places = queries.in_jurisdiction(places, street)
    result = queries.workload(places, today, street=street, hours_per_year=hours)
    return render(request, "duties/workload.html", {
        "form": form, "result": result, "street": street, "hours": hours,
        "rules": queries.rules_in_force(today),
        "efforts": list(InspectionEffort.objects.all()),
    })
