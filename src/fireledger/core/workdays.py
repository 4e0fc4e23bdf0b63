"""Working days: weekends off, except where the calendar says otherwise. Pure: data in, data out.

`exceptions` maps a date to True (a working day, e.g. a weekend make-up day 调休上班) or False (a
day off on a weekday, e.g. 国庆节). Deadlines in the regulations count working days
(复查 within 3 个工作日, 抄告 within 3 个工作日).
"""

import datetime
from collections.abc import Mapping

ONE_DAY = datetime.timedelta(days=1)


def is_workday(day: datetime.date, exceptions: Mapping[datetime.date, bool]) -> bool:
    return exceptions.get(day, day.weekday() < 5)


def add_workdays(start: datetime.date, n: int, exceptions: Mapping[datetime.date, bool]) -> datetime.date:
    """The n-th working day after start (start itself not counted); n=0 gives start."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    while n:
        day += ONE_DAY
        if is_workday(day, exceptions):
            n -= 1
    return day


def workdays_between(start: datetime.date, end: datetime.date,
                     exceptions: Mapping[datetime.date, bool]) -> int:
    """Working days in (start, end]: how many working days after start `end` is; 0 if end <= start."""
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        count += is_workday(day, exceptions)
    return count


def overdue_cutoff(day: datetime.date, n: int, exceptions: Mapping[datetime.date, bool]) -> datetime.date:
    """The earliest date c with workdays_between(c, day) <= n.

    So `deadline < c` says "more than n working days overdue on `day`": a plain range on an
    indexed date column instead of counting working days per row.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    count, c = 0, day
    while count + is_workday(c, exceptions) <= n:
        count += is_workday(c, exceptions)
        c -= ONE_DAY
    return c
