"""Burn-down figures: the share of logged hazards closed by given dates, per street and per
department (seed 001: "12月底前完成50%上账隐患整改任务；6月底前80%；11月底前全部").

This is the metric campaign targets will bind to. For a hazard queryset that is already scoped
(`Hazard.objects.visible_to(user, "view")`) and a list of dates it counts, for each date D:

- **logged by D** (上账): hazards with `found_on <= D`.
- **closed by D** (已整改销号): of those, hazards with `closed_on <= D`.
- **share**: closed / logged (None when nothing was logged by D).

How the edge cases count, and why:

- *Fixed on the spot* (当场整改) counts as logged and closed on the day it was found. It was
  found and rectified, and the seeds' own tables count it so (附件1.5.2: 排查隐患数量 and
  已整改数量 include it); leaving it out would make a street that fixes problems at once look
  worse than one that lets them wait for a deadline. The same holds for hazards imported as
  already rectified (`log_hazard(rectified_on=…)`): closed on that date.
- *A reopened hazard* (反弹) has `closed_on` cleared, so it counts as **not closed for every
  date**, including dates on which it was closed at the time: the figures are today's records
  looked at by date, not snapshots of what was known on that date. A rebound means the hazard
  was not really rectified, so it does not keep counting as done. (A bulletin that must keep
  the figures it published stores them when it is issued.)
- *Cannot be rectified* (确实不能整改) counts as logged and not closed: the seeds keep it on the
  list, explained in writing and tracked, until it is rectified.

Everything is counted by SQL in one GROUP BY query (street prefix × department, a conditional
COUNT per date), portable to SQLite and PostgreSQL; Python only folds the few dozen groups into
the street table, the department table and the total row.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Substr

from fireledger.core.choices import LEVEL_PREFIX_LENGTH, Level

STREET_DIGITS = LEVEL_PREFIX_LENGTH[Level.STREET]  # 9: a street's subtree is its first 9 digits


def street_code(prefix: str) -> str:
    """The 12-digit code of the street whose subtree starts with `prefix` (9 digits or more)."""
    return prefix[:STREET_DIGITS] + "0" * (12 - STREET_DIGITS)
MAX_DATES = 4


@dataclass(frozen=True)
class TargetRule:
    """One dated target of a campaign year: `percent` of logged hazards closed by the date."""

    month: int
    day: int
    year_offset: int  # years after the start of the campaign year
    percent: int

    def on(self, start_year: int) -> datetime.date:
        return datetime.date(start_year + self.year_offset, self.month, self.day)


# The defaults of the burn-down page: seed 001's three targets (高层建筑消防安全专项整治,
# 持续整治阶段) — 50 % of logged hazards rectified by the end of December, 80 % by the end of June,
# all by the end of November. The plan's text dates all three "2024年", which cannot be right
# (the November deadline would come before the December one); read in order, a campaign year
# runs from 1 December to 30 November: 12-31 of its first year, then 06-30 and 11-30 of the next.
SEED_TARGETS: tuple[TargetRule, ...] = (
    TargetRule(month=12, day=31, year_offset=0, percent=50),
    TargetRule(month=6, day=30, year_offset=1, percent=80),
    TargetRule(month=11, day=30, year_offset=1, percent=100),
)


def default_targets(today: datetime.date,
                    rules: tuple[TargetRule, ...] = SEED_TARGETS) -> list[tuple[datetime.date, int]]:
    """(date, percent) of `rules` in the current campaign year: the earliest one whose last
    target date is today or later (so on 2026-11-23: 2025-12-31, 2026-06-30, 2026-11-30; from
    2026-12-01: 2026-12-31, 2027-06-30, 2027-11-30)."""
    last = max(rules, key=lambda r: (r.year_offset, r.month, r.day))
    start = today.year - last.year_offset
    if last.on(start) < today:
        start += 1
    return sorted((rule.on(start), rule.percent) for rule in rules)


@dataclass(frozen=True)
class Cell:
    """The counts for one row and one date."""

    on: datetime.date
    logged: int
    closed: int

    @property
    def share(self) -> float | None:
        """Closed / logged, 0…1; None when nothing was logged by the date."""
        return self.closed / self.logged if self.logged else None

    @property
    def percent(self) -> float | None:
        """The share in percent, rounded down to 0.1 (so 49.96 % shows as 49.9 %, not as a
        50.0 % that misses a 50 % target)."""
        return None if not self.logged else math.floor(1000 * self.closed / self.logged) / 10

    def meets(self, target_percent: int | None) -> bool | None:
        """Whether the share reaches target_percent (exact integer arithmetic, no rounding);
        None without a target. Nothing logged meets any target: there is nothing left to fix."""
        if target_percent is None:
            return None
        return self.closed * 100 >= target_percent * self.logged


@dataclass
class Row:
    """One street, one department, or the total: a Cell per date, in date order."""

    key: str
    label: str
    cells: list[Cell] = field(default_factory=list)

    def _add(self, logged: list[int], closed: list[int], dates: list[datetime.date]) -> None:
        if not self.cells:
            self.cells = [Cell(d, 0, 0) for d in dates]
        self.cells = [Cell(c.on, c.logged + n, c.closed + k)
                      for c, n, k in zip(self.cells, logged, closed)]


@dataclass
class BurnDown:
    dates: list[datetime.date]
    streets: list[Row]
    departments: list[Row]
    total: Row


def _alias(kind: str, i: int) -> str:
    return f"{kind}_{i}"


def counts(queryset, dates: list[datetime.date]):
    """The one GROUP BY query: per (street prefix, department id), logged_i and closed_i for
    each date i. Returns the values() queryset (not yet evaluated)."""
    aggregates = {}
    for i, on in enumerate(dates):
        aggregates[_alias("logged", i)] = Count("pk", filter=Q(found_on__lte=on))
        aggregates[_alias("closed", i)] = Count("pk", filter=Q(found_on__lte=on,
                                                                 closed_on__lte=on))
    return (queryset.order_by()
            .annotate(street=Substr("jurisdiction_code", 1, STREET_DIGITS))
            .values("street", "department_id")
            .annotate(**aggregates)
            .order_by())


def burndown(queryset, dates, *, no_department_label: str = "—") -> BurnDown:
    """Logged, closed and share per street, per department and in total for each date.

    `queryset` must already be scoped (Hazard.objects.visible_to(user, "view")). Dates are
    sorted and deduplicated. Streets are ordered by code, departments by their own order;
    rows with nothing logged by the last date are left out.
    """
    from fireledger.core.models import Department, Jurisdiction

    dates = sorted(set(dates))
    if not dates:
        raise ValueError("at least one date")
    if len(dates) > MAX_DATES:
        raise ValueError(f"at most {MAX_DATES} dates")
    streets: dict[str, Row] = {}
    departments: dict[int | None, Row] = {}
    total = Row("total", "")
    for group in counts(queryset, dates):
        logged = [group[_alias("logged", i)] for i in range(len(dates))]
        if not logged[-1]:
            continue  # found after the last date: nothing to show for this group
        closed = [group[_alias("closed", i)] for i in range(len(dates))]
        streets.setdefault(group["street"], Row(group["street"], ""))._add(logged, closed, dates)
        departments.setdefault(group["department_id"], Row(str(group["department_id"] or ""),
                                                           ""))._add(logged, closed, dates)
        total._add(logged, closed, dates)
    if not total.cells:
        total.cells = [Cell(d, 0, 0) for d in dates]

    names = dict(Jurisdiction.objects.filter(
        code__in=[street_code(prefix) for prefix in streets])
        .values_list("code", "name"))
    for prefix, row in streets.items():
        row.label = names.get(street_code(prefix), prefix)
    order = {}
    for dept in Department.objects.filter(pk__in=[k for k in departments if k is not None]):
        order[dept.pk] = (dept.sort_order, dept.code)
        departments[dept.pk].label = str(dept)
    if None in departments:
        departments[None].label = no_department_label
    return BurnDown(
        dates=dates,
        streets=[streets[k] for k in sorted(streets)],
        departments=[departments[k] for k in sorted(
            departments, key=lambda k: (k is None, order.get(k, (0, ""))))],
        total=total,
    )
