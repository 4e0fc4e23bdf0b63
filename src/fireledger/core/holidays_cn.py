"""China's official days off and make-up working days, read from the `holidays` package.

Each year's arrangement is announced by the State Council in November; the package carries the
announced years, and for later years only the fixed festivals ("estimated"). Admins correct and
extend the calendar (core.CalendarDay) by hand; seeding never overwrites their rows.
"""

import datetime

import holidays
from holidays.countries.china import ChinaStaticHolidays

MAKE_UP_DAY = "调休上班"


def china_exceptions(years) -> dict[datetime.date, tuple[bool, str]]:
    """{date: (is_workday, name)} for weekday days off and weekend make-up working days."""
    days: dict[datetime.date, tuple[bool, str]] = {}
    for day, name in holidays.China(years=years, language="zh_CN").items():
        if day.weekday() < 5:
            days[day] = (False, name)
    for year in years:
        for entry in ChinaStaticHolidays.special_public_holidays.get(year, ()):
            if len(entry) < 4 or not isinstance(entry[2], int):
                continue  # a named special holiday, not a swap
            from_year = entry[4] if len(entry) > 4 else year
            make_up = datetime.date(from_year, entry[2], entry[3])
            if make_up.weekday() >= 5:
                days[make_up] = (True, MAKE_UP_DAY)
    return days
