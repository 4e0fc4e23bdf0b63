"""The metrics a campaign target binds to: functions over the live data, in a registry.

`REGISTRY[key]` is a `Metric(key, label, unit, compute)`. `compute(scope, grouping)` returns
the metric per group as `{group_key: Figure(value, numerator, denominator)}`:

- grouping `STREET`: the key is the street's 12-digit code (the first 9 digits of the row's
  division code + "000", as hazards/burndown.py groups);
- grouping `DEPARTMENT`: the key is the place's industry department id (None: no department);
- grouping `None`: the whole scope, one key `TOTAL` (always present, value None when there is
  nothing to measure).

Each compute is one SQL query with GROUP BY (conditional COUNTs, correlated EXISTS), portable to
SQLite and PostgreSQL, over rows the user may see (`Place/Hazard/Inspection.objects.visible_to`),
so a street officer's figures are their street's and a department officer's their department's.

The scope of a campaign (`MetricScope`): places whose division code lies in the campaign's
jurisdiction subtree, of the target's place categories, else the campaign's, else all; the
period runs from `campaign.starts_on` to the day asked about (inclusive; never capped at the
campaign's end, since a target may fall due after it).

Percent metrics give value = 100 × numerator / denominator as an exact `Fraction` (None when
the denominator is 0); count metrics give value = numerator = the count, denominator None.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Substr
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from fireledger.core.codes import range_lookup
from fireledger.hazards import burndown
from fireledger.hazards.burndown import STREET_DIGITS, street_code
from fireledger.inspections import spot_checks

STREET = "street"
DEPARTMENT = "department"
GROUPINGS = (None, STREET, DEPARTMENT)
TOTAL = "total"

PERCENT = "%"
COUNT = "count"


class Figure(NamedTuple):
    """One group's figure: the value (percent as a Fraction, a count, or a manual Decimal;
    None when there is nothing to measure), and what it was computed from."""

    value: Any
    numerator: Any
    denominator: int | None

    @property
    def percent(self) -> float | None:
        """A share rounded down to 0.1 (49.96 % shows as 49.9 %, not as a 50.0 % that misses a
        50 % target), as hazards/burndown.py shows it."""
        if self.value is None:
            return None
        return math.floor(Fraction(self.value) * 10) / 10


def share(numerator: int, denominator: int) -> Figure:
    return Figure(Fraction(100 * numerator, denominator) if denominator else None,
                  numerator, denominator)


def count(n: int) -> Figure:
    return Figure(n, n, None)


NOTHING = Figure(None, None, None)


@dataclass(frozen=True)
class MetricScope:
    """What every metric is computed over: a target of a campaign, for a user, on a day."""

    target: Any
    user: Any
    on: datetime.date

    @property
    def campaign(self):
        return self.target.campaign

    @property
    def start(self) -> datetime.date:
        return self.campaign.starts_on

    @cached_property
    def prefix(self) -> str:
        """The digits every division code in the campaign's jurisdiction subtree starts with."""
        return self.campaign.jurisdiction.prefix

    @property
    def categories(self) -> list[str]:
        return list(self.target.place_categories or self.campaign.place_categories or [])

    def places(self):
        """The campaign's in-scope places the user may see."""
        from fireledger.places.models import Place

        qs = Place.objects.visible_to(self.user, "view").filter(
            **range_lookup("jurisdiction_code", self.prefix))
        if self.categories:
            qs = qs.filter(category__in=self.categories)
        return qs

    def hazards(self):
        """Hazards the user may see, logged at in-scope places since the campaign started
        (the burn-down adds `found_on <= day`)."""
        from fireledger.hazards.models import Hazard

        qs = Hazard.objects.visible_to(self.user, "view").filter(
            found_on__gte=self.start, **range_lookup("jurisdiction_code", self.prefix))
        if self.categories:
            qs = qs.filter(place__category__in=self.categories)
        return qs

    def inspections(self):
        """Submitted inspections the user may see, of in-scope places, dated start…day."""
        from fireledger.inspections.choices import Status
        from fireledger.inspections.models import Inspection

        qs = Inspection.objects.visible_to(self.user, "view").filter(
            status=Status.SUBMITTED, inspected_on__gte=self.start, inspected_on__lte=self.on,
            **range_lookup("jurisdiction_code", self.prefix))
        if self.categories:
            qs = qs.filter(place__category__in=self.categories)
        return qs


def _grouped(queryset, grouping, *, code_field="jurisdiction_code",
             department_field="department_id", **aggregates) -> list[tuple[Any, dict]]:
    """One query: the aggregates per group of `grouping` (for None: one row, key TOTAL)."""
    queryset = queryset.order_by()
    if grouping is None:
        return [(TOTAL, queryset.aggregate(**aggregates))]
    if grouping == STREET:
        queryset = queryset.annotate(group_key=Substr(code_field, 1, STREET_DIGITS))
    elif grouping == DEPARTMENT:
        queryset = queryset.annotate(group_key=F(department_field))
    else:
        raise ValueError(f"unknown grouping {grouping!r}")
    rows = queryset.values("group_key").annotate(**aggregates).order_by()
    return [(street_code(r["group_key"]) if grouping == STREET else r["group_key"], r)
            for r in rows]


def _shares(rows, numerator: str, denominator: str) -> dict:
    return {key: share(row[numerator] or 0, row[denominator] or 0) for key, row in rows}


# ------------------------------------------------------------------------------------------
# The metrics
# ------------------------------------------------------------------------------------------


def _inspected_between(start: datetime.date, on: datetime.date):
    """The ids of places with a submitted inspection (any kind) dated start…on (a subquery)."""
    from fireledger.inspections.choices import Status
    from fireledger.inspections.models import Inspection

    return (Inspection.objects.order_by()
            .filter(status=Status.SUBMITTED, inspected_on__gte=start, inspected_on__lte=on)
            .values("place_id"))


def inspected_share(scope: MetricScope, grouping) -> dict:
    """Share of the in-scope places with at least one submitted inspection of any kind
    (sweep, department, joint, random, unannounced, re-inspection, the unit's own
    self-inspection) dated from the campaign's start to the day. A place inspected twice counts
    once; drafts do not count."""
    inspected = Q(pk__in=_inspected_between(scope.start, scope.on))
    return _shares(_grouped(scope.places(), grouping, places=Count("pk"),
                            inspected=Count("pk", filter=inspected)), "inspected", "places")


def _burndown_groups(scope: MetricScope, grouping) -> dict:
    """hazards/burndown.py's one GROUP BY (street × department) on the campaign's hazards for
    the day, folded into the grouping: {key: [logged, closed]}."""
    folded: dict[Any, list[int]] = {}
    if grouping is None:
        folded[TOTAL] = [0, 0]
    for group in burndown.counts(scope.hazards(), [scope.on]):
        logged, closed = group["logged_0"], group["closed_0"]
        if not logged:
            continue
        key = {None: TOTAL, STREET: street_code(group["street"] or ""),
               DEPARTMENT: group["department_id"]}[grouping]
        figures = folded.setdefault(key, [0, 0])
        figures[0] += logged
        figures[1] += closed
    return folded


def rectified_share(scope: MetricScope, grouping) -> dict:
    """The burn-down (hazards/burndown.py) of the campaign: of the hazards logged at in-scope
    places from the campaign's start to the day, the share closed by the day. Fixed on the spot
    counts as logged and closed; a reopened hazard and one that cannot be rectified count as not
    closed (see burndown's docstring)."""
    return {key: share(closed, logged)
            for key, (logged, closed) in _burndown_groups(scope, grouping).items()}


def hazards_logged(scope: MetricScope, grouping) -> dict:
    """How many hazards were logged (上账) at in-scope places from the campaign's start to the
    day: the burn-down's `logged` count."""
    return {key: count(logged)
            for key, (logged, _closed) in _burndown_groups(scope, grouping).items()}


def inspections_done(scope: MetricScope, grouping) -> dict:
    """How many inspections of in-scope places were submitted, dated from the campaign's start
    to the day (every kind; each inspection counts, a place inspected twice counts twice)."""
    rows = _grouped(scope.inspections(), grouping, n=Count("pk"))
    return {key: count(row["n"] or 0) for key, row in rows}


def compliant_share(scope: MetricScope, grouping) -> dict:
    """达标: the share of in-scope places that are compliant on the day. A place is compliant
    when all three hold:

    1. it has at least one *submitted* inspection dated from the campaign's start to the day;
    2. its latest such inspection (latest `inspected_on`, then the highest id) has no result
       with outcome "hazard" (items fixed on the spot are fine; a re-inspection's results carry
       a finding, not an outcome, so a re-inspection that verified every hazard counts as
       clean);
    3. every hazard logged at the place from the campaign's start to the day (found_on in that
       period, however it was found) is closed by the day (`closed_on <= day`; reopened and
       cannot-be-rectified hazards are not closed, as in the burn-down).

    A place not inspected in the campaign is not compliant: 达标 is judged by an inspection.
    The denominator is every in-scope place the user may see."""
    from fireledger.hazards.models import Hazard
    from fireledger.inspections.choices import Outcome, Status
    from fireledger.inspections.models import Inspection, InspectionResult

    start, on = scope.start, scope.on
    in_period = {"status": Status.SUBMITTED, "inspected_on__gte": start,
                 "inspected_on__lte": on}
    inspected = Exists(Inspection.objects.filter(place_id=OuterRef("pk"), **in_period))
    latest = (Inspection.objects.filter(place_id=OuterRef(OuterRef("pk")), **in_period)
              .order_by("-inspected_on", "-pk").values("pk")[:1])
    latest_failed = Exists(InspectionResult.objects.filter(
        inspection_id=Subquery(latest), outcome=Outcome.HAZARD))
    still_open = Exists(Hazard.objects.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=on),
        place_id=OuterRef("pk"), found_on__gte=start, found_on__lte=on))
    compliant = Q(inspected) & ~Q(latest_failed) & ~Q(still_open)
    return _shares(_grouped(scope.places(), grouping, places=Count("pk"),
                            compliant=Count("pk", filter=compliant)), "compliant", "places")


def spot_check_share(scope: MetricScope, grouping) -> dict:
    """Seed 003's joint-inspection spot-check share of high-rise *public* buildings
    (inspections/spot_checks.py): of the in-scope high-rise places not of residential use, those
    with a submitted joint inspection dated from the campaign's start to the day. By street and
    overall it is spot_checks.counts itself; by department the same rule grouped by the place's
    department."""
    from fireledger.places.choices import BuildingUse

    places = scope.places()
    if grouping == DEPARTMENT:
        public = Q(is_high_rise=True) & ~Q(building_use=BuildingUse.RESIDENTIAL)
        checked = Q(pk__in=spot_checks.joint_inspected(scope.start, scope.on))
        return _shares(_grouped(places.filter(public), grouping, public=Count("pk"),
                                public_checked=Count("pk", filter=checked)),
                       "public_checked", "public")
    rows = [(street_code(g["street"]), g) for g in spot_checks.counts(places, scope.start,
                                                                      scope.on) if g["public"]]
    if grouping is None:
        return {TOTAL: share(sum(g["public_checked"] for _k, g in rows),
                             sum(g["public"] for _k, g in rows))}
    if grouping != STREET:
        raise ValueError(f"unknown grouping {grouping!r}")
    return _shares(rows, "public_checked", "public")


def figure_scope(user, campaign) -> Q:
    """The manual figures `user` sees, as a filter on ManualFigure:

    - a street's figure (jurisdiction set): the district office, street officers and grid
      workers whose jurisdiction contains that street (a grid worker's does not: a grid is
      below the street);
    - a department's figure (department set, no jurisdiction): the district office whose
      jurisdiction contains the campaign's, and that department's own officers there;
    - the overall figure (neither set): the district office, street officers and grid workers
      whose jurisdiction contains the campaign's, and department officers there.

    Unit managers see no manual figure."""
    from fireledger.core.choices import Role
    from fireledger.core.scope import NOTHING as NO_ROWS
    from fireledger.core.scope import assignments

    if getattr(user, "is_superuser", False):
        return Q()
    q = NO_ROWS
    for a in assignments(user):
        covers = campaign.jurisdiction_code.startswith(a.jurisdiction.prefix)
        if a.role in (Role.DISTRICT_OFFICE, Role.STREET_OFFICER, Role.GRID_WORKER):
            q |= Q(jurisdiction__isnull=False,
                   **range_lookup("jurisdiction__code", a.jurisdiction.prefix))
            if covers:
                q |= Q(jurisdiction__isnull=True, department__isnull=True)
                if a.role == Role.DISTRICT_OFFICE:
                    q |= Q(jurisdiction__isnull=True, department__isnull=False)
        elif a.role == Role.DEPARTMENT_OFFICER and covers:
            q |= Q(jurisdiction__isnull=True, department__isnull=True)
            q |= Q(jurisdiction__isnull=True, department_id=a.department_id)
    return q


def manual(scope: MetricScope, grouping) -> dict:
    """Figures entered by hand with their evidence (ManualFigure), for targets no data measures
    yet: per street (figures for a street), per department (figures for a department) or
    overall (figures for neither), the latest figure on or before the day (latest `on`, then
    the last entered). Only the figures the user sees count (`figure_scope`). Value: the
    figure; numerator and denominator None."""
    from .models import ManualFigure

    figures = ManualFigure.objects.filter(
        figure_scope(scope.user, scope.campaign), target=scope.target, on__lte=scope.on)
    same = {"target_id": OuterRef("target_id"), "on__lte": scope.on}
    if grouping is None:
        figures = figures.filter(jurisdiction__isnull=True, department__isnull=True)
        same.update(jurisdiction__isnull=True, department__isnull=True)
    elif grouping == STREET:
        figures = figures.filter(jurisdiction__isnull=False)
        same.update(jurisdiction_id=OuterRef("jurisdiction_id"))
    elif grouping == DEPARTMENT:
        figures = figures.filter(jurisdiction__isnull=True, department__isnull=False)
        same.update(jurisdiction__isnull=True, department_id=OuterRef("department_id"))
    else:
        raise ValueError(f"unknown grouping {grouping!r}")
    latest = ManualFigure.objects.filter(**same).order_by("-on", "-pk").values("pk")[:1]
    rows = figures.filter(pk=Subquery(latest)).values("jurisdiction__code", "department_id",
                                                      "value")
    result: dict = {TOTAL: NOTHING} if grouping is None else {}
    for row in rows:
        key = {None: TOTAL, STREET: street_code(row["jurisdiction__code"] or ""),
               DEPARTMENT: row["department_id"]}[grouping]
        result[key] = Figure(Decimal(row["value"]), None, None)
    return result


@dataclass(frozen=True)
class Metric:
    key: str
    label: Any  # a lazy translation
    unit: str  # PERCENT or COUNT
    compute: Callable[[MetricScope, Any], dict]
    parts: Any = ""  # what numerator / denominator count, for a table's heading

    @property
    def is_percent(self) -> bool:
        return self.unit == PERCENT


REGISTRY: dict[str, Metric] = {m.key: m for m in (
    Metric("inspected_share", _("share of places inspected"), PERCENT, inspected_share,
           _("inspected / places")),
    Metric("rectified_share", _("share of logged hazards closed"), PERCENT, rectified_share,
           _("closed / logged")),
    Metric("hazards_logged", _("hazards logged"), COUNT, hazards_logged),
    Metric("inspections_done", _("inspections done"), COUNT, inspections_done),
    Metric("compliant_share", _("share of places compliant"), PERCENT, compliant_share,
           _("compliant / places")),
    Metric("spot_check_share", _("joint spot-check share of high-rise public buildings"),
           PERCENT, spot_check_share, _("checked / buildings")),
    Metric("manual", _("figure entered by hand"), COUNT, manual),
)}
MANUAL = "manual"


def unit_of(target) -> str:
    """PERCENT or COUNT for a target: its metric's unit; a manual figure is a percent when the
    target's unit says "%"."""
    metric = REGISTRY.get(target.metric)
    if metric is None:
        return COUNT
    if metric.key == MANUAL:
        return PERCENT if (target.unit or "").strip() == PERCENT else COUNT
    return metric.unit


def compute(target, user, on: datetime.date, grouping) -> dict:
    """The target's metric for `user` on `on`, grouped: {group_key: Figure}."""
    return REGISTRY[target.metric].compute(MetricScope(target, user, on), grouping)
