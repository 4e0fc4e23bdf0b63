"""The dashboards' figures: scoped aggregate reads, a few wide GROUP BYs per table.

A dashboard is a `Scope`: the rows the user may view (`visible_to`) narrowed to one role
assignment's subtree (and, for a department officer, the department), broken down by the next
level of division code (district → streets, street → communities). Every figure is counted by
SQL; Python only folds the few thousand groups into cards, tables and chart series.

Definitions (each number on the page links to a list filtered by the same rule):

- **open**: not closed (lifecycle.OPEN_STATUSES, "cannot be rectified" included: it stays on the
  list); **overdue**: lifecycle.DEADLINE_STATUSES with deadline before today (hazards.filters).
- **rectification rate** (整改率) this year: of the hazards found since 1 January, the share
  closed (已销号, status closed). A rebound has its closing cleared, so it counts as not closed;
  fixed-on-the-spot hazards are closed on the day found and count as rectified (as in the seeds'
  附件1.5.2 and hazards/burndown.py).
- **age** of an open hazard: days since it was found, bucketed as hazards.filters.AGE_BUCKETS.
- **trend**: hazards found per calendar month and hazards closed per month (by closed_on),
  the last 12 months including the current one.
- **inspection coverage** this year: places with a submitted inspection other than a
  self-inspection since 1 January, over all places in scope (places.filters).
- **listed supervision**: hazards still open, listed (decision "listed") and not lifted.

Queries: when the user views the whole scope (every dashboard role does), the place and
hazard figures are sums over reports.PlaceTally / HazardTally / CategoryTally (exact: kept by
triggers, reports 0003–0004) — places (1), hazards by area × department × status, by month
found, by month closed, by category (4) — and what depends on today (overdue, ages, the map's
open major hazards) is counted live from partial indexes on open hazards. Otherwise (a finer
breakdown) the hazards are counted live as below: places by code × department × category (1);
hazards by code × department × status, by category × status, by status × date found, by date
closed (4), read from the covering indexes hazard_dashboard_idx and place_dashboard_idx (hazards
0008, places 0005). Both: inspections by area (1); the listed hazards (1); the map's places and
their count (2); names of areas, departments and categories (3); the campaigns' targets.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import BigIntegerField, BooleanField, Count, F, Func, Q, Sum, Value
from django.db.models.functions import Cast, Substr

from fireledger.core.choices import Role
from fireledger.core.codes import range_lookup
from fireledger.hazards import lifecycle
from fireledger.hazards.filters import AGE_BUCKETS, overdue_q

# The dashboard levels and the role whose assignment defines each.
DISTRICT, DEPARTMENT, STREET = "district", "department", "street"
LEVEL_ROLES = {DISTRICT: Role.DISTRICT_OFFICE, DEPARTMENT: Role.DEPARTMENT_OFFICER,
               STREET: Role.STREET_OFFICER}
LEVELS = tuple(LEVEL_ROLES)
MONTHS = 12
MAP_LIMIT = 5000  # points on the map at most (a district has a few thousand)
# The open statuses in the order of the partial indexes' WHERE (reports 0003): a planner uses
# a partial index only when the query repeats its condition.
OPEN_SORTED = sorted(lifecycle.OPEN_STATUSES)


class IsOpen(Func):
    """status IN ('awaiting_verification', …) with the statuses as literals in the SQL: SQLite
    uses a partial index only when the query states its WHERE, and a bound parameter is not
    a stated value (`status__in` binds them)."""

    template = "%(expressions)s IN (" + ", ".join(f"'{s}'" for s in OPEN_SORTED) + ")"
    output_field = BooleanField()

    def __init__(self):
        super().__init__(F("status"))
LISTED_LIMIT = 100  # rows of the listed-supervision table shown (the count is all of them)


@dataclass(frozen=True)
class Scope:
    """What one dashboard covers: a division-code prefix ('' = everything, for a superuser),
    maybe a department, and how many code digits make one row of the breakdown."""

    level: str
    prefix: str
    department_id: int | None = None
    name: str = ""

    @property
    def digits(self) -> int:
        return max(len(self.prefix) + 3, 9)

    def narrow(self, queryset, code_field="jurisdiction_code", department_field="department_id"):
        if self.prefix:
            queryset = queryset.filter(**range_lookup(code_field, self.prefix))
        if self.department_id is not None:
            queryset = queryset.filter(**{department_field: self.department_id})
        return queryset


def scopes_for(user) -> list[tuple[Scope, object]]:
    """(scope, assignment) for each dashboard the user may open, district first; a superuser
    without assignments gets the whole database as a district dashboard."""
    from fireledger.core.scope import assignments

    found = []
    for level, role in LEVEL_ROLES.items():
        for a in assignments(user):
            if a.role == role:
                found.append((Scope(level, a.jurisdiction.prefix,
                                    a.department_id if level == DEPARTMENT else None,
                                    a.jurisdiction.name), a))
    if not found and getattr(user, "is_superuser", False):
        found.append((Scope(DISTRICT, ""), None))
    return found


def month_starts(today: datetime.date, n: int = MONTHS) -> list[datetime.date]:
    """The first days of the last n months, oldest first, the current month last."""
    starts, year, month = [], today.year, today.month
    for _ in range(n):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def month_end(start: datetime.date) -> datetime.date:
    nxt = datetime.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return nxt - datetime.timedelta(days=1)


@dataclass
class AreaRow:
    """One breakdown row (an area, a department or the total)."""

    key: object
    label: str = ""
    places: int = 0
    key_units: int = 0
    inspected: int = 0
    hazards: int = 0
    open: int = 0
    overdue: int = 0
    open_major: int = 0
    found_year: int = 0
    closed_year: int = 0

    @property
    def coverage(self) -> float | None:
        return 100 * self.inspected / self.places if self.places else None

    @property
    def rate(self) -> float | None:
        return 100 * self.closed_year / self.found_year if self.found_year else None


@dataclass
class Figures:
    scope: Scope
    today: datetime.date
    year_start: datetime.date
    total: AreaRow
    areas: list[AreaRow]
    departments: list[AreaRow]
    by_status: dict[str, int]
    by_age: dict[str, int]
    by_category_group: dict[str, tuple[int, int]]  # group → (all, open)
    places_by_category: dict[str, int]
    place_flags: dict[str, int]
    months: list[datetime.date]
    found_by_month: list[int]
    closed_by_month: list[int]
    listed: list = field(default_factory=list)
    listed_count: int = 0
    map_points: list[dict] = field(default_factory=list)
    map_places: int = 0
    targets: list = field(default_factory=list)


PLACE_FLAGS = ("is_key_unit", "suggested_key_unit", "is_high_rise", "is_old_compound",
               "is_mall_in_focus")


def places_query(user, scope: Scope):
    """Places by division code × department × category, with the flags counted; compute()
    folds the codes to the breakdown's areas. Grouping by the columns of the covering
    place_dashboard_idx in its order lets SQLite stream the groups off the index (grouping by
    a prefix of the code sorted 100,000 rows in a temporary B-tree first)."""
    from fireledger.places.models import Place

    return (scope.narrow(Place.objects.visible_to(user, "view")).order_by()
            .annotate(area=F("jurisdiction_code"), dept=F("department_id"), cat=F("category"))
            .values("area", "dept", "cat")
            .annotate(n=Count("pk"), **{f: Count("pk", filter=Q(**{f: True}))
                                        for f in PLACE_FLAGS})
            .order_by())


def place_tally_query(scope: Scope):
    """places_query's groups from reports.PlaceTally (community × department × category ×
    flags: a few thousand rows for a district of 100,000 places)."""
    from fireledger.reports.models import PlaceTally

    return (tally_query(scope, PlaceTally)
            .annotate(dept=F("department_id"), cat=F("category"))
            .values("area", "dept", "cat")
            .annotate(n_=total("n"), **{f"{f}_": total("n", filter=Q(**{f: True}), default=0)
                                      for f in PLACE_FLAGS})
            .order_by())


def hazards_query(user, scope: Scope, today: datetime.date):
    """Hazards by area × department × status (annotations, as places_query, so the covering
    hazard_dashboard_idx is read): count, overdue, major, found this year."""
    from fireledger.hazards.models import Hazard

    year_start = today.replace(month=1, day=1)
    return (scope.narrow(Hazard.objects.visible_to(user, "view")).order_by()
            .annotate(area=Substr("jurisdiction_code", 1, scope.digits),
                      dept=F("department_id"), st=F("status"))
            .values("area", "dept", "st")
            .annotate(n=Count("pk"), overdue=Count("pk", filter=overdue_q(today)),
                      major=Count("pk", filter=Q(is_major=True)),
                      found_year=Count("pk", filter=Q(found_on__gte=year_start,
                                                      found_on__lte=today)))
            .order_by())


def categories_query(user, scope: Scope):
    """Hazards by category and status."""
    from fireledger.hazards.models import Hazard

    return (scope.narrow(Hazard.objects.visible_to(user, "view")).order_by()
            .values("category_id", "status").annotate(n=Count("pk")).order_by())


def found_dates_query(user, scope: Scope):
    """Hazards by status and date found: the age buckets and the monthly trend are summed from
    these few thousand rows in Python (no per-row CASE for each bucket and month)."""
    from fireledger.hazards.models import Hazard

    return (scope.narrow(Hazard.objects.visible_to(user, "view")).order_by()
            .values("status", "found_on").annotate(n=Count("pk")).order_by())


def closed_dates_query(user, scope: Scope, since: datetime.date):
    """Hazards closed per day since `since`."""
    from fireledger.hazards.models import Hazard

    return (scope.narrow(Hazard.objects.visible_to(user, "view")).order_by()
            .filter(closed_on__gte=since)
            .values("closed_on").annotate(n=Count("pk")).order_by())


def inspections_query(user, scope: Scope, today: datetime.date):
    """Places inspected this year (submitted, not self-inspection) by area."""
    from fireledger.inspections.choices import Kind, Status
    from fireledger.inspections.models import Inspection

    return (scope.narrow(Inspection.objects.visible_to(user, "view")).order_by()
            .filter(status=Status.SUBMITTED, inspected_on__gte=today.replace(month=1, day=1),
                    inspected_on__lte=today)
            .exclude(kind=Kind.SELF)
            .annotate(area=Substr("jurisdiction_code", 1, scope.digits))
            .values("area")
            .annotate(n=Count("place_id", distinct=True))
            .order_by())


def listed_query(user, scope: Scope):
    """Open hazards under listed supervision (the hazard filter's rule), oldest listing first."""
    from fireledger.hazards.models import Hazard

    return (scope.narrow(Hazard.objects.visible_to(user, "view"))
            .filter(status__in=lifecycle.OPEN_STATUSES, listing__decision="listed",
                    listing__lifted_on__isnull=True)
            .select_related("place", "listing")
            .order_by("listing__decided_on", "listing__proposed_on", "pk"))


def major_places_query(user, scope: Scope):
    """Ids of the places with an open major hazard in scope (through the partial index
    hazard_open_major_idx of reports 0003, whose WHERE has the same IN list)."""
    from fireledger.hazards.models import Hazard

    return (scope.narrow(Hazard.objects.visible_to(user, "view"))
            .filter(IsOpen(), is_major=True)
            .order_by().values("place_id").distinct())


def map_query(user, scope: Scope):
    """The map's points: places with an open major hazard and coordinates."""
    from fireledger.places.models import Place

    return (Place.objects.filter(pk__in=major_places_query(user, scope),
                                 latitude__isnull=False, longitude__isnull=False)
            .order_by("jurisdiction_code", "pk")
            .values("pk", "name", "latitude", "longitude"))


TALLY_DIGITS, CATEGORY_TALLY_DIGITS = 12, 9  # reports.HazardTally / CategoryTally areas


def tallied(user, scope: Scope) -> bool:
    """Whether the tallies give this dashboard's hazard figures: they count every hazard of
    an area, so only when the user may view all of the scope (its assignment's role views
    its whole subtree, department officers their department, which the scope narrows to) and
    the breakdown is no finer than the tally's areas."""
    from fireledger.core.scope import ROLE_ACTIONS

    whole = getattr(user, "is_superuser", False) or "view" in ROLE_ACTIONS[LEVEL_ROLES[scope.level]]
    return whole and scope.digits <= TALLY_DIGITS and len(scope.prefix) <= CATEGORY_TALLY_DIGITS


def total(*args, **kwargs):
    """SUM of a tally's counts as a bigint: PostgreSQL sums a bigint column as numeric, which
    psycopg turns into Decimal and Django back into int, ~40 ms for a district's groups."""
    return Cast(Sum(*args, **kwargs), BigIntegerField())


def tally_query(scope: Scope, model=None):
    """A tally's rows in the scope (its area column is a code prefix, as jurisdiction_code)."""
    from fireledger.reports.models import HazardTally

    qs = (model or HazardTally).objects.exclude(n=0)
    if scope.prefix:
        qs = qs.filter(**range_lookup("area", scope.prefix))
    if scope.department_id is not None:
        qs = qs.filter(department_id=scope.department_id)
    return qs.order_by()


def month_key(d: datetime.date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def tally_status_query(scope: Scope, today: datetime.date):
    """The tally by community × department × status (the order of its unique index: the
    groups stream off it, compute() folds them to areas): hazards, major ones, found this
    year (by month found: January to this month; no hazard is found after today)."""
    return (tally_query(scope).values("area", "department_id", "status")
            .annotate(n_=total("n"), major=total("n", filter=Q(is_major=True), default=0),
                      found_year=total("n", default=0, filter=Q(
                          found_month__gte=month_key(today.replace(month=1)),
                          found_month__lte=month_key(today))))
            .order_by())


def tally_months_query(scope: Scope, field: str, since: datetime.date, today: datetime.date):
    """Hazards per month found or closed (field found_month / closed_month) since `since`."""
    return (tally_query(scope).filter(**{f"{field}__gte": month_key(since),
                                         f"{field}__lte": month_key(today)})
            .values(field).annotate(n_=total("n")).order_by())


def tally_categories_query(scope: Scope):
    from fireledger.reports.models import CategoryTally

    return (tally_query(scope, CategoryTally).values("category_id", "status")
            .annotate(n_=total("n")).order_by())


# COUNT(1), not COUNT(id): the id is not in hazard_open_idx, and reading it turns
# PostgreSQL's index-only scan of the open hazards into an index scan (28 ms → 375 ms).
ONE = Value(1)


def open_query(user, scope: Scope, today: datetime.date):
    """Open hazards by area × department: overdue and the age buckets, the figures that depend
    on today and cannot be tallied; read from the partial index on open hazards (reports 0003),
    grouped by its leading columns (division code, department) so no sort is needed."""
    from fireledger.hazards.filters import age_q
    from fireledger.hazards.models import Hazard

    return (scope.narrow(Hazard.objects.visible_to(user, "view")).order_by()
            .filter(IsOpen())
            .annotate(area=F("jurisdiction_code"), dept=F("department_id"))
            .values("area", "dept")
            .annotate(overdue=Count(ONE, filter=overdue_q(today)),
                      **{f"age_{k}": Count(ONE, filter=age_q(k, today)) for k in AGE_BUCKETS})
            .order_by())


def age_bucket(days: int) -> str | None:
    """The bucket of hazards.filters.AGE_BUCKETS holding `days` (None: found in the future)."""
    for key, (low, high) in AGE_BUCKETS.items():
        if days >= low and (high is None or days <= high):
            return key
    return None


def area_code(prefix: str) -> str:
    """The jurisdiction code of an area prefix (a street's 9 digits → its 12-digit code)."""
    return prefix.ljust(12, "0") if len(prefix) <= 12 else prefix


def hazard_figures_live(user, scope: Scope, today, rows, months):
    """The hazard figures counted from the hazards (the tallies do not apply)."""
    from fireledger.hazards.models import HazardCategory

    by_status = dict.fromkeys(lifecycle.STATUSES, 0)
    for g in hazards_query(user, scope, today):
        is_open = g["st"] in lifecycle.OPEN_STATUSES
        for row in rows(g["area"], g["dept"]):
            row.hazards += g["n"]
            row.overdue += g["overdue"]
            row.found_year += g["found_year"]
            if is_open:
                row.open += g["n"]
                row.open_major += g["major"]
            elif g["st"] == lifecycle.CLOSED:
                row.closed_year += g["found_year"]
        by_status[g["st"]] = by_status.get(g["st"], 0) + g["n"]

    groups = dict(HazardCategory.objects.values_list("pk", "group"))
    by_category_group: dict[str, tuple[int, int]] = {}
    for g in categories_query(user, scope):
        group = groups.get(g["category_id"], "")
        n, o = by_category_group.get(group, (0, 0))
        is_open = g["status"] in lifecycle.OPEN_STATUSES
        by_category_group[group] = (n + g["n"], o + (g["n"] if is_open else 0))

    month_index = {(m.year, m.month): i for i, m in enumerate(months)}
    found_by_month, closed_by_month = [0] * len(months), [0] * len(months)
    by_age = dict.fromkeys(AGE_BUCKETS, 0)
    for g in found_dates_query(user, scope):
        found_on = g["found_on"]
        i = month_index.get((found_on.year, found_on.month))
        if i is not None and found_on <= today:
            found_by_month[i] += g["n"]
        if g["status"] in lifecycle.OPEN_STATUSES:
            bucket = age_bucket((today - found_on).days)
            if bucket is not None:
                by_age[bucket] += g["n"]
    for g in closed_dates_query(user, scope, months[0]):
        i = month_index.get((g["closed_on"].year, g["closed_on"].month))
        if i is not None and g["closed_on"] <= today:
            closed_by_month[i] += g["n"]
    return by_status, by_category_group, by_age, found_by_month, closed_by_month


def plain_rows(queryset) -> list[dict]:
    """A values() query's rows read through a plain cursor. The tally queries give ~15,000
    rows for a district, where the ORM's per-row work cost ~30 ms a request; only for columns
    that need no conversion (text and integers: the tallies' sums are cast to bigint)."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


def hazard_figures_from_tallies(user, scope: Scope, today, rows, months):
    """The same figures from reports.HazardTally / CategoryTally, plus the live count of open
    hazards for overdue and ages (their definitions depend on today)."""
    from fireledger.hazards.models import HazardCategory

    digits = scope.digits
    by_status = dict.fromkeys(lifecycle.STATUSES, 0)
    for g in plain_rows(tally_status_query(scope, today)):
        is_open = g["status"] in lifecycle.OPEN_STATUSES
        for row in rows(g["area"][:digits], g["department_id"] or None):
            row.hazards += g["n_"]
            row.found_year += g["found_year"]
            if is_open:
                row.open += g["n_"]
                row.open_major += g["major"]
            elif g["status"] == lifecycle.CLOSED:
                row.closed_year += g["found_year"]
        by_status[g["status"]] = by_status.get(g["status"], 0) + g["n_"]

    by_age = dict.fromkeys(AGE_BUCKETS, 0)
    for g in plain_rows(open_query(user, scope, today)):
        for row in rows(g["area"][:digits], g["dept"]):
            row.overdue += g["overdue"]
        for k in AGE_BUCKETS:
            by_age[k] += g[f"age_{k}"]

    groups = dict(HazardCategory.objects.values_list("pk", "group"))
    by_category_group: dict[str, tuple[int, int]] = {}
    for g in plain_rows(tally_categories_query(scope)):
        group = groups.get(g["category_id"], "")
        n, o = by_category_group.get(group, (0, 0))
        is_open = g["status"] in lifecycle.OPEN_STATUSES
        by_category_group[group] = (n + g["n_"], o + (g["n_"] if is_open else 0))

    index = {month_key(m): i for i, m in enumerate(months)}
    found_by_month, closed_by_month = [0] * len(months), [0] * len(months)
    for column, series in (("found_month", found_by_month), ("closed_month", closed_by_month)):
        for g in plain_rows(tally_months_query(scope, column, months[0], today)):
            series[index[g[column]]] += g["n_"]
    return by_status, by_category_group, by_age, found_by_month, closed_by_month


def compute(user, scope: Scope, today: datetime.date) -> Figures:
    """Every figure of one dashboard."""
    from fireledger.core.models import Department, Jurisdiction
    year_start = today.replace(month=1, day=1)
    areas: dict[str, AreaRow] = {}
    departments: dict[int | None, AreaRow] = {}
    total = AreaRow("total")

    def rows(area, department_id):
        """The three rows a group adds to (thousands of groups: no AreaRow built per call)."""
        a = areas.get(area)
        if a is None:
            a = areas[area] = AreaRow(area)
        d = departments.get(department_id)
        if d is None:
            d = departments[department_id] = AreaRow(department_id)
        return a, d, total

    places_by_category: dict[str, int] = {}
    place_flags = dict.fromkeys(PLACE_FLAGS, 0)
    digits = scope.digits
    from_tally = tallied(user, scope)
    suffix = "_" if from_tally else ""  # a tally's sums cannot take its columns' names
    for g in plain_rows(place_tally_query(scope)) if from_tally else places_query(user, scope):
        n, key_units = g["n" + suffix], g["is_key_unit" + suffix]
        for row in rows(g["area"][:digits], g["dept"]):
            row.places += n
            row.key_units += key_units
        places_by_category[g["cat"]] = places_by_category.get(g["cat"], 0) + n
        for f in PLACE_FLAGS:
            place_flags[f] += g[f + suffix]

    for g in inspections_query(user, scope, today):
        areas.setdefault(g["area"], AreaRow(g["area"])).inspected += g["n"]
        total.inspected += g["n"]

    months = month_starts(today)
    hazard_figures = hazard_figures_from_tallies if tallied(user, scope) else hazard_figures_live
    by_status, by_category_group, by_age, found_by_month, closed_by_month = hazard_figures(
        user, scope, today, rows, months)

    names = dict(Jurisdiction.objects.filter(code__in=[area_code(k) for k in areas])
                 .values_list("code", "name"))
    for key, row in areas.items():
        row.label = names.get(area_code(key), key)
    order = {}
    for dept in Department.objects.filter(pk__in=[k for k in departments if k is not None]):
        order[dept.pk] = (dept.sort_order, dept.code)
        departments[dept.pk].label = str(dept)

    listed = list(listed_query(user, scope)[:LISTED_LIMIT + 1])
    listed_count = len(listed) if len(listed) <= LISTED_LIMIT else \
        listed_query(user, scope).count()
    points = list(map_query(user, scope)[:MAP_LIMIT])
    return Figures(
        scope=scope, today=today, year_start=year_start, total=total,
        areas=[areas[k] for k in sorted(areas)],
        departments=[departments[k] for k in sorted(
            departments, key=lambda k: (k is None, order.get(k, (0, ""))))],
        by_status=by_status, by_age=by_age, by_category_group=by_category_group,
        places_by_category=places_by_category, place_flags=place_flags, months=months,
        found_by_month=found_by_month, closed_by_month=closed_by_month,
        listed=listed[:LISTED_LIMIT], listed_count=listed_count, map_points=points,
        map_places=major_places_query(user, scope).count(),
    )


def campaign_targets(user, today: datetime.date, limit: int = 12) -> list:
    """The status of the targets of campaigns running today that the user may see
    (campaigns.targets.evaluate: on or behind pace, scoped to the user)."""
    from fireledger.campaigns.models import Campaign, Target
    from fireledger.campaigns.targets import evaluate

    campaigns = Campaign.objects.visible_to(user, "view").filter(
        starts_on__lte=today, ends_on__gte=today)
    targets = (Target.objects.filter(campaign__in=campaigns)
               .select_related("campaign__jurisdiction").order_by("due_on", "pk")[:limit])
    return [evaluate(t, user, today) for t in targets]

