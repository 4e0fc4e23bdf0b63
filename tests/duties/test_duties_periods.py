"""Pure calendar arithmetic: month ends, semesters, quarters, a period's state."""

import datetime as dt

import pytest

from fireledger.duties import periods

D = dt.date


@pytest.mark.parametrize("day, months, expected", [
    (D(2026, 1, 31), 1, D(2026, 2, 28)),
    (D(2028, 1, 31), 1, D(2028, 2, 29)),
    (D(2026, 3, 31), 3, D(2026, 6, 30)),
    (D(2026, 8, 31), 6, D(2027, 2, 28)),
    (D(2026, 11, 15), 12, D(2027, 11, 15)),
    (D(2026, 3, 31), -1, D(2026, 2, 28)),
])
def test_add_months_clips_to_month_end(day, months, expected):
    assert periods.add_months(day, months) == expected


@pytest.mark.parametrize("months", [1, 3, 6, 12])
def test_latest_start_due_by_is_exact(months):
    day = D(2026, 1, 1)
    while day < D(2027, 1, 1):
        limit = periods.latest_start_due_by(day, months)
        assert periods.add_months(limit, months) <= day
        assert periods.add_months(limit + dt.timedelta(days=1), months) > day
        day += dt.timedelta(days=1)


def test_latest_start_at_feb_end_includes_jan_31():
    # 31 Jan + 1 month = 28 Feb: a place inspected on 29, 30 or 31 Jan is due by 28 Feb too.
    assert periods.latest_start_due_by(D(2026, 2, 28), 1) == D(2026, 1, 31)


@pytest.mark.parametrize("day, expected", [
    (D(2026, 1, 15), (2025, 2)),  # January belongs to the autumn semester begun in September
    (D(2026, 1, 31), (2025, 2)),
    (D(2026, 2, 1), None),  # winter holiday
    (D(2026, 2, 28), None),
    (D(2026, 3, 1), (2026, 1)),
    (D(2026, 7, 31), (2026, 1)),
    (D(2026, 8, 15), None),  # summer holiday
    (D(2026, 9, 1), (2026, 2)),
    (D(2026, 12, 31), (2026, 2)),
])
def test_semester_boundaries(day, expected):
    period = periods.period_containing(periods.SEMESTER, day)
    if expected is None:
        assert period is None
    else:
        assert (period.year, period.number) == expected
        assert period.contains(day)


def test_semesters_of_a_year():
    spring, autumn = periods.periods_in_year(periods.SEMESTER, 2026)
    assert (spring.start, spring.end) == (D(2026, 3, 1), D(2026, 7, 31))
    assert (autumn.start, autumn.end) == (D(2026, 9, 1), D(2027, 1, 31))


@pytest.mark.parametrize("day, quarter, start, end", [
    (D(2026, 3, 31), 1, D(2026, 1, 1), D(2026, 3, 31)),
    (D(2026, 4, 1), 2, D(2026, 4, 1), D(2026, 6, 30)),
    (D(2026, 9, 30), 3, D(2026, 7, 1), D(2026, 9, 30)),
    (D(2026, 12, 31), 4, D(2026, 10, 1), D(2026, 12, 31)),
])
def test_quarters(day, quarter, start, end):
    period = periods.period_containing(periods.QUARTER, day)
    assert (period.number, period.start, period.end) == (quarter, start, end)


def test_half_years_and_months():
    h1, h2 = periods.periods_in_year(periods.HALF_YEAR, 2026)
    assert (h1.end, h2.start) == (D(2026, 6, 30), D(2026, 7, 1))
    feb = periods.periods_in_year(periods.MONTH, 2028)[1]
    assert feb.end == D(2028, 2, 29)


def test_state_is_computed_from_dates():
    q1 = periods.period_containing(periods.QUARTER, D(2026, 2, 1))
    assert q1.state(D(2026, 3, 31), done=False) == "due"  # the last day is still in time
    assert q1.state(D(2026, 4, 1), done=False) == "overdue"
    assert q1.state(D(2026, 4, 1), done=True) == "done"
    assert q1.state(D(2025, 12, 31), done=False) == "upcoming"


def test_period_starting_validates():
    assert periods.period_starting(periods.QUARTER, D(2026, 4, 1)).number == 2
    assert periods.period_starting(periods.QUARTER, D(2026, 4, 2)) is None


def test_periods_ending_between():
    ended = periods.periods_ending_between(periods.SEMESTER, D(2026, 1, 1), D(2026, 12, 31))
    assert [(p.year, p.number) for p in ended] == [(2025, 2), (2026, 1)]
