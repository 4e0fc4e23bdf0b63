"""Working-day arithmetic against the stored calendar (core.CalendarDay)."""

import datetime

from . import workdays
from .holidays_cn import china_exceptions
from .models import CalendarDay


def exceptions(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    """{date: is_workday} for the stored exceptions between start and end inclusive."""
    return dict(CalendarDay.objects.filter(day__gte=start, day__lte=end)
                .values_list("day", "is_workday"))


def add_workdays(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day after start. The window read covers any run of holidays."""
    window = start + datetime.timedelta(days=n * 2 + 30)
    return workdays.add_workdays(start, n, exceptions(start, window))


def overdue_cutoff(day: datetime.date, n: int) -> datetime.date:
    """See workdays.overdue_cutoff; the window read covers any run of holidays."""
    return workdays.overdue_cutoff(day, n, exceptions(day - datetime.timedelta(days=n * 2 + 30),
                                                      day))


def workdays_between(start: datetime.date, end: datetime.date) -> int:
    return workdays.workdays_between(start, end, exceptions(start, end))


def seed_from_package(years) -> int:
    """Write the package's days for these years; days an administrator set are left alone.

    Returns how many rows were written. Idempotent.
    """
    days = china_exceptions(list(years))
    admin_days = set(CalendarDay.objects.filter(day__in=days, source=CalendarDay.Source.ADMIN)
                     .values_list("day", flat=True))
    written = 0
    for day, (is_workday, name) in sorted(days.items()):
        if day in admin_days:
            continue
        CalendarDay.objects.update_or_create(
            day=day, defaults={"is_workday": is_workday, "name": name[:100],
                               "source": CalendarDay.Source.PACKAGE})
        written += 1
    return written
