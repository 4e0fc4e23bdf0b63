"""Calendar arithmetic for duties and inspection intervals: pure functions, no Django.

A duty period is a closed date range [start, end]. Periods of one kind never overlap, so a
day belongs to at most one of them (none for a semester kind in February or August).
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

MONTH = "month"
QUARTER = "quarter"
HALF_YEAR = "half_year"
SEMESTER = "semester"
YEAR = "year"

ONE_DAY = datetime.timedelta(days=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """day + months, clipped to the end of the target month (31 Jan + 1 month = 28/29 Feb),
    as dateutil's relativedelta and PostgreSQL's date + interval do."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def latest_start_due_by(day: datetime.date, months: int) -> datetime.date:
    """The latest date d with add_months(d, months) <= day: a place last inspected on or
    before it is due by `day`. Exact at month ends, where plain subtraction is not."""
    d = add_months(day, -months)
    while add_months(d + ONE_DAY, months) <= day:
        d += ONE_DAY
    return d


@dataclass(frozen=True)
class DutyPeriod:
    kind: str  # MONTH, QUARTER, …
    year: int  # the year the period starts in
    number: int  # month 1–12, quarter 1–4, half 1–2, semester 1 (spring) / 2 (autumn), year 1
    start: datetime.date
    end: datetime.date

    @property
    def key(self) -> str:
        return f"{self.start:%Y-%m-%d}"

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def state(self, today: datetime.date, done: bool) -> str:
        """done / overdue (ended with no record) / due (running) / upcoming."""
        if done:
            return "done"
        if self.end < today:
            return "overdue"
        if self.start <= today:
            return "due"
        return "upcoming"


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _make(kind: str, year: int, number: int) -> DutyPeriod:
    if kind == MONTH:
        return DutyPeriod(kind, year, number, datetime.date(year, number, 1),
                          _month_end(year, number))
    if kind == QUARTER:
        first = 3 * number - 2
        return DutyPeriod(kind, year, number, datetime.date(year, first, 1),
                          _month_end(year, first + 2))
    if kind == HALF_YEAR:
        first = 6 * number - 5
        return DutyPeriod(kind, year, number, datetime.date(year, first, 1),
                          _month_end(year, first + 5))
    if kind == SEMESTER:
        if number == 1:  # spring term: March to July
            return DutyPeriod(kind, year, 1, datetime.date(year, 3, 1), datetime.date(year, 7, 31))
        # autumn term: September to January of the next year
        return DutyPeriod(kind, year, 2, datetime.date(year, 9, 1),
                          datetime.date(year + 1, 1, 31))
    if kind == YEAR:
        return DutyPeriod(kind, year, 1, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    raise ValueError(f"unknown period kind {kind!r}")


COUNT = {MONTH: 12, QUARTER: 4, HALF_YEAR: 2, SEMESTER: 2, YEAR: 1}


def periods_in_year(kind: str, year: int) -> list[DutyPeriod]:
    """The periods that start in `year` (the autumn semester starting in it ends in the next)."""
    return [_make(kind, year, n) for n in range(1, COUNT[kind] + 1)]


def period_containing(kind: str, day: datetime.date) -> DutyPeriod | None:
    """The period of `kind` that `day` falls in; None in a semester kind's holidays."""
    for year in (day.year - 1, day.year):
        for period in periods_in_year(kind, year):
            if period.contains(day):
                return period
    return None


def period_starting(kind: str, start: datetime.date) -> DutyPeriod | None:
    """The period of `kind` that starts on `start`, if any (validates a posted period)."""
    period = period_containing(kind, start)
    return period if period is not None and period.start == start else None


def periods_ending_between(kind: str, first: datetime.date, last: datetime.date) -> list[DutyPeriod]:
    """Periods whose end lies in [first, last]."""
    out = []
    for year in range(first.year - 1, last.year + 1):
        out.extend(p for p in periods_in_year(kind, year) if first <= p.end <= last)
    return out
