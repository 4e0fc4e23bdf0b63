"""China's days off and make-up working days for 2020–2027 from the `holidays` package.

Later years: `fireledger seed_calendar --years 2028-2030` once the State Council announces them.
"""

from django.db import migrations

YEARS = range(2020, 2028)


def add(apps, schema_editor):
    from fireledger.core.holidays_cn import china_exceptions

    CalendarDay = apps.get_model("core", "CalendarDay")
    for day, (is_workday, name) in china_exceptions(list(YEARS)).items():
        CalendarDay.objects.get_or_create(
            day=day, defaults={"is_workday": is_workday, "name": name[:100], "source": "holidays"})


def remove(apps, schema_editor):
    apps.get_model("core", "CalendarDay").objects.filter(source="holidays").delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_calendar_day")]
    operations = [migrations.RunPython(add, remove)]
