"""Scoped reads: the due-inspection queue, the workload estimate and the duty calendar.

The queue is SQL: the last submitted non-self inspection as a correlated subquery on the
(place, inspected_on) index, the applicable rule as a CASE built from the few rules in force
(most frequent first, so the first match wins), the due date computed from those two columns in
a wrapping SELECT (DueQueue). No per-row queries, no Python loop over places.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db.models import (
    Case, Count, DateField, Exists, F, FloatField, IntegerField, OuterRef, Q, Subquery, Sum, Value,
    When,
)
from django.db.models.functions import Substr
from django.utils.translation import gettext

from fireledger.core.choices import Level, Role
from fireledger.core.codes import range_lookup
from fireledger.core.models import Jurisdiction
from fireledger.core.scope import roles_q
from fireledger.hazards.burndown import STREET_DIGITS, street_code
from fireledger.hazards.models import ListedSupervision
from fireledger.inspections.choices import Kind, Status
from fireledger.inspections.models import Inspection
from fireledger.places.models import Place

from . import periods
from .choices import Basis
from .models import DutyKind, DutyRecord, FrequencyRule, InspectionEffort

# [G] ours: 250 working days × 8 h × 0.8 (share of time in the field) for one inspector-year.
HOURS_PER_INSPECTOR_YEAR = 1600
UNGRADED = "none"  # filter value for places with no risk score


def rules_in_force(today: datetime.date) -> list[FrequencyRule]:
    """The rules in force, most frequent first (the order in which they are tried)."""
    order = {Basis.LISTED_SUPERVISION: 0, Basis.GRADE: 1, Basis.STATION_BASELINE: 2}
    rules = list(FrequencyRule.objects.in_force(today))
    # A category rule before a general one of the same interval: it says more about the place.
    return sorted(rules, key=lambda r: (r.interval_months, order[r.basis], not r.category, r.pk))


def _condition(rule: FrequencyRule) -> Q:
    if rule.basis == Basis.LISTED_SUPERVISION:
        q = Q(under_listing=True)
    elif rule.basis == Basis.GRADE:
        q = Q(listed_by="", risk__grade=rule.grade)
    else:
        q = Q(listed_by="")
    if rule.category:
        q &= Q(category=rule.category)
    return q


def with_rule(queryset, today: datetime.date, rules=None, *, intervals: bool = True):
    """Annotate rule_id and interval_months (NULL: not the station's duty) on places."""
    rules = rules_in_force(today) if rules is None else rules
    listing = ListedSupervision.objects.filter(
        hazard__place=OuterRef("pk"), decision=ListedSupervision.Decision.LISTED,
        lifted_on__isnull=True)
    queryset = queryset.annotate(under_listing=Exists(listing), grade=F("risk__grade"))
    if not rules:
        return queryset.annotate(rule_id=Value(None, IntegerField()),
                                 interval_months=Value(None, IntegerField()))
    queryset = queryset.annotate(
        rule_id=Case(*[When(_condition(r), then=Value(r.pk)) for r in rules],
                     default=Value(None), output_field=IntegerField()))
    if not intervals:
        return queryset
    return queryset.annotate(
        interval_months=Case(*[When(_condition(r), then=Value(r.interval_months))
                               for r in rules], default=Value(None),
                             output_field=IntegerField()),
    )


def last_inspection_subquery():
    """The date of the place's last submitted inspection by an officer (self-inspections by
    the unit do not count as the street's check)."""
    return Subquery(
        Inspection.objects.filter(place=OuterRef("pk"), status=Status.SUBMITTED)
        .exclude(kind=Kind.SELF).order_by("-inspected_on").values("inspected_on")[:1],
        output_field=DateField())


def _due_sql(vendor: str) -> str:
    """SQL for last_on + months (columns of the wrapped query), clipped to the month's end like
    periods.add_months. PostgreSQL's date + interval clips already; SQLite's date(x, '+n
    months') overflows into the next month (31 Jan → 3 Mar), so it takes the smaller of that
    and the target month's last day."""
    if vendor == "sqlite":
        return ("min(date(last_on, '+' || months || ' months'), "
                "date(last_on, 'start of month', '+' || (months + 1) || ' months', '-1 day'))")
    return "(last_on + make_interval(months => months))::date"


def _as_date(value):
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


class DueQueue:
    """The due-inspection queue as a sequence Paginator can count and slice.

    The inner query (the ORM, scoped) selects each place's rule and last inspection once; the
    SQL around it computes the due date from those two columns, filters, orders and pages, so
    the correlated subqueries run once per place, not once per use. A page is then two
    queries: the page's ids with their dates, and those places.
    """

    def __init__(self, places, today: datetime.date, *, within_days: int | None = None,
                 rules=None):
        self.rules = {r.pk: r for r in (rules_in_force(today) if rules is None else rules)}
        self.places = places
        inner = (with_rule(places, today, list(self.rules.values()), intervals=False)
                 .annotate(last_on=last_inspection_subquery())
                 .values("pk", "jurisdiction_code", "rule_id", "last_on", "grade")
                 .order_by())
        try:
            self.inner_sql, self.inner_params = inner.query.sql_with_params()
        except EmptyResultSet:  # places.none(): no SQL to wrap
            self.inner_sql, self.inner_params = None, ()
        self.limit = None if within_days is None else today + datetime.timedelta(days=within_days)
        self._count = None

    def _base(self, connection) -> tuple[str, list]:
        months = " ".join(f"WHEN {int(pk)} THEN {int(r.interval_months)}"
                          for pk, r in self.rules.items())
        months_sql = f"CASE rule_id {months} END" if months else "NULL"
        sql = (f"SELECT d.* FROM (SELECT q.*, {_due_sql(connection.vendor)} AS due_on FROM "
               f"(SELECT i.*, {months_sql} AS months FROM ({self.inner_sql}) i "
               f"WHERE i.rule_id IS NOT NULL) q) d")
        params = list(self.inner_params)
        if self.limit is not None:
            sql += " WHERE d.due_on IS NULL OR d.due_on <= %s"
            params.append(self.limit)
        return sql, params

    def count(self) -> int:
        if self.inner_sql is None:
            return 0
        if self._count is None:
            from django.db import connections

            connection = connections[self.places.db]
            sql, params = self._base(connection)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM ({sql}) c", params)
                self._count = cursor.fetchone()[0]
        return self._count

    def __len__(self) -> int:
        return self.count()

    def _fetch(self, offset: int, limit: int | None) -> list:
        from django.db import connections

        if self.inner_sql is None:
            return []
        connection = connections[self.places.db]
        sql, params = self._base(connection)
        sql = (f"SELECT p.pk, p.last_on, p.rule_id, p.months, p.due_on, p.grade FROM ({sql}) p "
               f"ORDER BY p.due_on IS NOT NULL, p.due_on, p.jurisdiction_code, p.pk")
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        if offset:
            if limit is None and connection.vendor == "sqlite":
                sql += " LIMIT -1"  # SQLite takes no OFFSET without a LIMIT
            sql += f" OFFSET {int(offset)}"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        by_pk = {p.pk: p for p in self.places.filter(pk__in=[r[0] for r in rows]).order_by()}
        out = []
        for pk, last_on, rule_id, months, due_on, grade in rows:
            place = by_pk[pk]
            place.last_on, place.due_on = _as_date(last_on), _as_date(due_on)
            place.rule_id, place.interval_months, place.grade = rule_id, months, grade
            place.rule = self.rules.get(rule_id)
            out.append(place)
        return out

    def __getitem__(self, index):
        if isinstance(index, slice):
            if index.step not in (None, 1):
                raise ValueError("no step")
            start = index.start or 0
            limit = None if index.stop is None else max(index.stop - start, 0)
            return self._fetch(start, limit)
        return self._fetch(index, 1)[0]

    def __iter__(self):
        return iter(self._fetch(0, None))


def due_queue(places, today: datetime.date, *, within_days: int | None = None,
              rules=None) -> DueQueue:
    """Places that are the station's duty with last_on, interval_months, rule and due_on
    (None = never inspected: due at once), soonest first.

    within_days: only places due by today + within_days (0 = due today or overdue),
    never-inspected ones included. None: every place.
    """
    return DueQueue(places, today, within_days=within_days, rules=rules)


def in_jurisdiction(queryset, jurisdiction: Jurisdiction | None, field_name="jurisdiction_code"):
    if jurisdiction is None:
        return queryset
    return queryset.filter(**range_lookup(field_name, jurisdiction.prefix))


# --------------------------------------------------------------------------------------------
# Workload (NFPA 1730: inspections per year × time per inspection → hours → staff)
# --------------------------------------------------------------------------------------------

@dataclass
class WorkloadRow:
    key: str
    label: str
    places: int = 0
    per_year: float = 0.0
    minutes: float = 0.0

    @property
    def hours(self) -> float:
        return self.minutes / 60

    fte: float = 0.0  # inspectors needed: hours / hours per inspector-year


@dataclass
class Workload:
    rows: list[WorkloadRow]
    total: WorkloadRow
    hours_per_year: float
    by: str  # "street" or "jurisdiction"
    efforts: list = field(default_factory=list)


def _minutes_case():
    efforts = {e.category: e.minutes for e in InspectionEffort.objects.all()}
    fallback = efforts.pop("", 60)
    return Case(*[When(category=c, then=Value(float(m))) for c, m in efforts.items()],
                default=Value(float(fallback)), output_field=FloatField())


def workload(places, today: datetime.date, *, street: Jurisdiction | None = None,
             hours_per_year: float = HOURS_PER_INSPECTOR_YEAR) -> Workload:
    """Per street (or, within one street, per grid or community the place sits in): places
    that are the station's duty, inspections needed per year (Σ 12 / interval months) and the
    minutes they take (Σ that × minutes per inspection of the place's category)."""
    rules = rules_in_force(today)
    qs = with_rule(places, today, rules).filter(interval_months__isnull=False)
    qs = qs.annotate(
        per_year=Case(*[When(_condition(r), then=Value(12.0 / r.interval_months)) for r in rules],
                      default=Value(0.0), output_field=FloatField()),
        effort=_minutes_case())
    if street is None:
        group = Substr("jurisdiction_code", 1, STREET_DIGITS)
        by = "street"
    else:
        group = F("jurisdiction_code")
        by = "jurisdiction"
    data = (qs.annotate(group=group).values("group")
            .annotate(n=Count("pk"), per_year_sum=Sum("per_year"),
                      minutes_sum=Sum(F("per_year") * F("effort"), output_field=FloatField()))
            .order_by("group"))
    rows = [WorkloadRow(d["group"], d["group"], d["n"], d["per_year_sum"] or 0.0,
                        d["minutes_sum"] or 0.0) for d in data]
    if by == "street":
        names = dict(Jurisdiction.objects.filter(code__in=[street_code(r.key) for r in rows])
                     .values_list("code", "name"))
        for row in rows:
            row.label = names.get(street_code(row.key), row.key)
    else:
        nodes = {j.code: j for j in Jurisdiction.objects.filter(
            code__in=[r.key for r in rows]).select_related("parent")}
        for row in rows:
            node = nodes.get(row.key)
            row.label = node.label if node else row.key
    total = WorkloadRow("total", gettext("Total"), sum(r.places for r in rows),
                        sum(r.per_year for r in rows), sum(r.minutes for r in rows))
    for row in (*rows, total):
        row.fte = row.hours / hours_per_year
    return Workload(rows, total, hours_per_year, by)


# --------------------------------------------------------------------------------------------
# Duty calendar
# --------------------------------------------------------------------------------------------

OFFICER_ROLES = (Role.DISTRICT_OFFICE, Role.STREET_OFFICER, Role.DEPARTMENT_OFFICER)


def stations_for(user):
    """The streets whose work-station calendar the user may see: under an officer's
    assignment (district office, street officer, department officer)."""
    return Jurisdiction.objects.filter(roles_q(user, OFFICER_ROLES, code_field="code"),
                                       level=Level.STREET)


def period_label(period: periods.DutyPeriod) -> str:
    if period.kind == periods.MONTH:
        return gettext("{year}-{month:02d}").format(year=period.year, month=period.number)
    if period.kind == periods.QUARTER:
        return gettext("Q{quarter} {year}").format(quarter=period.number, year=period.year)
    if period.kind == periods.HALF_YEAR:
        text = gettext("first half of {year}") if period.number == 1 else gettext(
            "second half of {year}")
        return text.format(year=period.year)
    if period.kind == periods.SEMESTER:
        text = gettext("spring semester {year}") if period.number == 1 else gettext(
            "autumn semester {year}")
        return text.format(year=period.year)
    return str(period.year)


def short_label(period: periods.DutyPeriod) -> str:
    """The cell's label inside a year's row."""
    if period.kind == periods.MONTH:
        return gettext("{month} mo").format(month=period.number)
    if period.kind == periods.QUARTER:
        return gettext("Q{quarter}").format(quarter=period.number)
    if period.kind == periods.HALF_YEAR:
        return gettext("H1") if period.number == 1 else gettext("H2")
    if period.kind == periods.SEMESTER:
        return gettext("spring") if period.number == 1 else gettext("autumn")
    return str(period.year)


@dataclass
class Cell:
    kind: DutyKind
    period: periods.DutyPeriod
    state: str
    record: DutyRecord | None = None

    @property
    def label(self) -> str:
        return short_label(self.period)

    @property
    def full_label(self) -> str:
        return period_label(self.period)


def _done(records) -> dict:
    """(station id, kind id, period start) → the first record."""
    out = {}
    for record in records:
        out.setdefault((record.station_id, record.kind_id, record.period_start), record)
    return out


def calendar(station: Jurisdiction, year: int, today: datetime.date) -> list[tuple[DutyKind, list[Cell]]]:
    """Each active duty kind with its periods starting in `year` and their states."""
    kinds = list(DutyKind.objects.filter(is_active=True))
    records = _done(DutyRecord.objects.filter(
        station=station, period_start__gte=datetime.date(year, 1, 1),
        period_start__lte=datetime.date(year, 12, 31)).order_by("held_on", "pk"))
    out = []
    for kind in kinds:
        cells = []
        for period in periods.periods_in_year(kind.period, year):
            record = records.get((station.pk, kind.pk, period.start))
            cells.append(Cell(kind, period, period.state(today, record is not None), record))
        out.append((kind, cells))
    return out


@dataclass
class OverdueDuty:
    station: Jurisdiction
    kind: DutyKind
    period: periods.DutyPeriod

    @property
    def label(self) -> str:
        return period_label(self.period)


def overdue_duties(stations, today: datetime.date, *, days: int = 365) -> list[OverdueDuty]:
    """Periods that ended in the last `days` days (before today) with no record, oldest
    first. One query for the records; the periods are computed."""
    stations = list(stations)
    if not stations:
        return []
    first = today - datetime.timedelta(days=days)
    last = today - datetime.timedelta(days=1)
    kinds = list(DutyKind.objects.filter(is_active=True))
    wanted = {k.pk: periods.periods_ending_between(k.period, first, last) for k in kinds}
    starts = {p.start for ps in wanted.values() for p in ps}
    if not starts:
        return []
    done = set(DutyRecord.objects.filter(
        station__in=stations, period_start__gte=min(starts), period_start__lte=max(starts))
        .values_list("station_id", "kind_id", "period_start"))
    out = [OverdueDuty(s, k, p) for s in stations for k in kinds for p in wanted[k.pk]
           if (s.pk, k.pk, p.start) not in done]
    return sorted(out, key=lambda o: (o.period.end, o.station.code, o.kind.sort_order))


def overdue_summary(stations, today: datetime.date, year: int):
    """Per street: overdue periods of `year` per duty kind and in total (district view)."""
    stations = list(stations)
    kinds = list(DutyKind.objects.filter(is_active=True))
    done = set(DutyRecord.objects.filter(
        station__in=stations, period_start__gte=datetime.date(year, 1, 1),
        period_start__lte=datetime.date(year, 12, 31))
        .values_list("station_id", "kind_id", "period_start"))
    rows = []
    for station in stations:
        counts = []
        for kind in kinds:
            counts.append(sum(
                1 for p in periods.periods_in_year(kind.period, year)
                if p.end < today and (station.pk, kind.pk, p.start) not in done))
        rows.append((station, counts, sum(counts)))
    return kinds, rows
