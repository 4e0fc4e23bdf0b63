"""Working days against China's real 2024 arrangement (国务院办公厅 2023-10-25 notice)."""

import datetime

import pytest
from django.core.management import call_command

from fireledger.core import calendar, workdays
from fireledger.core.models import CalendarDay

D = datetime.date


def test_pure_rules_without_exceptions():
    friday = D(2024, 11, 22)
    assert workdays.add_workdays(friday, 1, {}) == D(2024, 11, 25)
    assert workdays.add_workdays(friday, 0, {}) == friday
    assert workdays.workdays_between(friday, D(2024, 11, 27), {}) == 3
    assert workdays.workdays_between(friday, friday, {}) == 0
    with pytest.raises(ValueError):
        workdays.add_workdays(friday, -1, {})


def test_exceptions_override_the_weekend_rule():
    exceptions = {D(2024, 11, 25): False, D(2024, 11, 23): True}
    assert workdays.add_workdays(D(2024, 11, 22), 2, exceptions) == D(2024, 11, 26)


@pytest.mark.django_db
def test_seeded_calendar_has_2024_days_off_and_make_up_days():
    assert CalendarDay.objects.get(day=D(2024, 10, 1)).is_workday is False      # 国庆节
    assert CalendarDay.objects.get(day=D(2024, 9, 29)).is_workday is True       # Sunday, 调休上班
    assert CalendarDay.objects.get(day=D(2024, 2, 4)).is_workday is True        # Sunday, 调休上班
    assert CalendarDay.objects.get(day=D(2024, 2, 15)).is_workday is False


@pytest.mark.django_db
def test_three_working_days_across_national_day():
    """A 复查 due 3 working days after Monday 30 Sep 2024 falls on Thursday 10 Oct."""
    assert calendar.add_workdays(D(2024, 9, 30), 3) == D(2024, 10, 10)
    # Saturday 12 Oct 2024 was a make-up working day.
    assert calendar.add_workdays(D(2024, 10, 11), 1) == D(2024, 10, 12)
    # Sun 29 Sep (make-up), Mon 30 Sep, Tue 8 Oct; 1–7 Oct off.
    assert calendar.workdays_between(D(2024, 9, 27), D(2024, 10, 8)) == 3


@pytest.mark.django_db
def test_seeding_keeps_admin_edits_and_is_idempotent():
    CalendarDay.objects.filter(day=D(2024, 10, 1)).update(is_workday=True, source="admin")
    call_command("seed_calendar", "--years", "2024")
    call_command("seed_calendar", "--years", "2024")
    assert CalendarDay.objects.get(day=D(2024, 10, 1)).is_workday is True
    assert CalendarDay.objects.filter(day=D(2024, 10, 12)).count() == 1


@pytest.mark.django_db
def test_bad_year_range_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="年份范围"):
        call_command("seed_calendar", "--years", "二〇二八")


def test_overdue_cutoff_agrees_with_counting_working_days():
    """deadline < overdue_cutoff(day, n)  ⇔  more than n working days lie after the deadline."""
    exceptions = {D(2026, 10, d): False for d in range(1, 9)} | {D(2026, 9, 28): True,
                                                                 D(2026, 10, 10): True}
    for day in (D(2026, 9, 1) + datetime.timedelta(days=k) for k in range(70)):
        for n in range(0, 12):
            cutoff = workdays.overdue_cutoff(day, n, exceptions)
            for back in range(-3, 45):
                deadline = day - datetime.timedelta(days=back)
                assert (deadline < cutoff) == (
                    workdays.workdays_between(deadline, day, exceptions) > n), (day, n, deadline)
