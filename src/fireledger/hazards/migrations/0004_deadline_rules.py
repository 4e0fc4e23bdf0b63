"""Default rectification periods and the escalation policy row.

The periods are our own starting values, not taken from a regulation ([G]: unverified);
administrators correct them in the admin (DeadlineRule, EscalationPolicy). The seeds ask for
e-bike charging and parking in buildings to be stopped at once (责令立即整改): one working day.
Idempotent, so tests can load it again after a flush.
"""

from django.db import migrations

DEFAULTS = [  # (category code or None, is_major, working days)
    (None, False, 10),
    (None, True, 30),
    ("hr.09.1", False, 1),
]


def add(apps, schema_editor):
    DeadlineRule = apps.get_model("hazards", "DeadlineRule")
    HazardCategory = apps.get_model("hazards", "HazardCategory")
    EscalationPolicy = apps.get_model("hazards", "EscalationPolicy")
    for code, is_major, workdays in DEFAULTS:
        category = HazardCategory.objects.filter(code=code).first() if code else None
        if code and category is None:
            continue
        DeadlineRule.objects.get_or_create(category=category, is_major=is_major,
                                           defaults={"workdays": workdays})
    EscalationPolicy.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("hazards", "0003_escalation_photos_extensions")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
