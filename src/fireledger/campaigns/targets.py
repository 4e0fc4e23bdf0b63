"""A target's status on a day: its metric overall, per street and per department, against the
pace expected by then, coloured green / amber / red, and who is behind.

- **pace** on day D: threshold × the elapsed share of the time from the campaign's start to the
  target's due date ((D − start) / (due − start), between 0 and 1); the full threshold on and
  after the due date (and when the due date is not after the start).
- **colour** (`colour()`, a pure rule):
  green — the threshold is met, or the value is at or above the pace;
  amber — below the pace but at least 80 % of it, before the due date is past;
  red — below 80 % of the pace, or the due date is past (D > due) and the threshold not met;
  none — nothing to measure (no places, no hazards logged, no figure entered).
  All comparisons are exact (fractions), so 49.99 % does not meet 50 %.
- A count target (inspections done, hazards logged, a count entered by hand) applies to the
  whole campaign: its overall row is coloured, the streets' and departments' rows show their
  part without a colour. Percent targets colour every row.
- Rows are sorted worst first (red, amber, green, no data; then the lowest value, then the
  code); `behind` is the amber and red rows, streets then departments.

Queries: the metric's own (one GROUP BY per grouping, three), the street names and the
department names — however many places, hazards or inspections there are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext_lazy as _

from . import metrics
from .metrics import DEPARTMENT, NOTHING, STREET, TOTAL, Figure

GREEN, AMBER, RED = "green", "amber", "red"
AMBER_FLOOR = Fraction(4, 5)  # amber down to 80 % of the pace
RANK = {RED: 0, AMBER: 1, GREEN: 2, None: 3}


def pace(threshold, start: datetime.date, due: datetime.date, on: datetime.date) -> Fraction:
    """The share of `threshold` expected by `on`: linear from 0 at `start` to the full threshold
    at `due`, full from then on."""
    threshold = Fraction(threshold)
    if on >= due or due <= start:
        return threshold
    if on <= start:
        return Fraction(0)
    return threshold * Fraction((on - start).days, (due - start).days)


def colour(value, expected, threshold, *, overdue: bool) -> str | None:
    """green, amber, red or None (no value) for `value` against the pace `expected` and the
    `threshold`; `overdue`: the due date is past."""
    if value is None:
        return None
    value, expected, threshold = Fraction(value), Fraction(expected), Fraction(threshold)
    if value >= threshold:
        return GREEN
    if overdue:
        return RED
    if value >= expected:
        return GREEN
    if value >= expected * AMBER_FLOOR:
        return AMBER
    return RED


# Tabler classes for the templates: the badge of a colour, the highlight of a row behind.
BADGE_CLASSES = {GREEN: "bg-green text-green-fg", AMBER: "bg-yellow text-yellow-fg",
                 RED: "bg-red text-red-fg", None: "bg-secondary-lt"}
ROW_CLASSES = {AMBER: "table-warning", RED: "table-danger"}

STATE_LABELS = {
    "met": _("met"),
    "on_track": _("on track"),
    AMBER: _("slightly behind"),
    RED: _("behind"),
    None: _("no data"),
}


def _show(value, is_percent: bool) -> str:
    """A pace or a threshold as shown: a percent to 0.1, a count whole (rounded half up), a
    figure entered by hand as entered."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if is_percent:
        return f"{float(value):.1f}"
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal(1), rounding=ROUND_HALF_UP)) if isinstance(value, Fraction) else str(value)


@dataclass
class Row:
    """One street, department or the overall figure, with its colour."""

    key: Any
    label: str
    figure: Figure
    colour: str | None
    met: bool = False
    is_percent: bool = True

    @property
    def value(self):
        return self.figure.value

    @property
    def numerator(self):
        return self.figure.numerator

    @property
    def denominator(self):
        return self.figure.denominator

    @property
    def is_behind(self) -> bool:
        return self.colour in (AMBER, RED)

    @property
    def state(self) -> str | None:
        if self.colour == GREEN:
            return "met" if self.met else "on_track"
        return self.colour

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def badge_class(self) -> str:
        return BADGE_CLASSES[self.colour]

    @property
    def row_class(self) -> str:
        return ROW_CLASSES.get(self.colour, "")

    @property
    def shown(self) -> str:
        """The value as the page shows it (a percent rounded down to 0.1)."""
        if self.is_percent and self.figure.value is not None \
                and not isinstance(self.figure.value, Decimal):
            return f"{self.figure.percent:.1f}"
        return _show(self.figure.value, self.is_percent)

    def sort_key(self):
        value = self.figure.value
        return (RANK[self.colour], value is None, Fraction(value) if value is not None else 0,
                str(self.key))


@dataclass
class TargetStatus:
    target: Any
    metric: metrics.Metric | None
    on: datetime.date
    start: datetime.date
    pace: Fraction
    overdue: bool
    is_percent: bool
    overall: Row
    streets: list[Row] = field(default_factory=list)
    departments: list[Row] = field(default_factory=list)

    @property
    def colour(self) -> str | None:
        return self.overall.colour

    @property
    def behind(self) -> list[Row]:
        return [r for r in self.streets + self.departments if r.is_behind]

    @property
    def behind_groups(self) -> list[dict]:
        """The rows behind, by street and by department, for the page's summary."""
        return [
            {"key": "streets", "title": _("streets"),
             "rows": [r for r in self.streets if r.is_behind]},
            {"key": "departments", "title": _("departments"),
             "rows": [r for r in self.departments if r.is_behind]},
        ]

    @property
    def pace_shown(self) -> str:
        return _show(self.pace, self.is_percent)

    @property
    def threshold_shown(self) -> str:
        return _show(Decimal(self.target.threshold), self.is_percent)

    @property
    def unit_label(self) -> str:
        if self.is_percent:
            return "%"
        return (self.target.unit or "").strip()


def _row(key, label, figure: Figure, *, expected, threshold, overdue, coloured,
         is_percent) -> Row:
    value = figure.value
    row_colour = colour(value, expected, threshold, overdue=overdue) if coloured else None
    met = value is not None and Fraction(value) >= Fraction(threshold)
    return Row(key, label, figure, row_colour, met=met, is_percent=is_percent)


def _names(street_keys, department_keys, no_department_label) -> tuple[dict, dict]:
    from fireledger.core.models import Department, Jurisdiction

    streets = dict(Jurisdiction.objects.filter(code__in=list(street_keys))
                   .values_list("code", "name")) if street_keys else {}
    departments = {}
    ids = [k for k in department_keys if k is not None]
    if ids:
        departments = {d.pk: str(d) for d in Department.objects.filter(pk__in=ids)}
    departments[None] = str(no_department_label)
    return streets, departments


def evaluate(target, user, on: datetime.date, *,
             no_department_label=_("no department")) -> TargetStatus:
    """The target's status for `user` (only what they may see) on day `on`."""
    campaign = target.campaign
    start = campaign.starts_on
    metric = metrics.REGISTRY.get(target.metric)
    is_percent = metrics.unit_of(target) == metrics.PERCENT
    expected = pace(target.threshold, start, target.due_on, on)
    overdue = on > target.due_on
    common = {"expected": expected, "threshold": target.threshold, "overdue": overdue,
              "is_percent": is_percent}
    if metric is None:  # a target whose metric is not (or no longer) in the registry
        return TargetStatus(target, None, on, start, expected, overdue, is_percent,
                            _row(TOTAL, "", NOTHING, coloured=False, **common))
    scope = metrics.MetricScope(target, user, on)
    overall = metric.compute(scope, None).get(TOTAL, NOTHING)
    by_street = metric.compute(scope, STREET)
    by_department = metric.compute(scope, DEPARTMENT)
    street_names, department_names = _names(by_street, by_department, no_department_label)
    status = TargetStatus(target, metric, on, start, expected, overdue, is_percent,
                          _row(TOTAL, "", overall, coloured=True, **common))
    status.streets = sorted(
        (_row(k, street_names.get(k, k), f, coloured=is_percent, **common)
         for k, f in by_street.items()), key=Row.sort_key)
    status.departments = sorted(
        (_row(k, department_names.get(k, str(k)), f, coloured=is_percent, **common)
         for k, f in by_department.items()), key=Row.sort_key)
    return status


def targets_context(campaign, user, on: datetime.date) -> dict:
    """For the campaign page (campaigns/_targets.html): every target's status on `on`."""
    targets = campaign.targets.select_related("campaign__jurisdiction")
    return {"target_statuses": [evaluate(t, user, on) for t in targets], "targets_on": on}
