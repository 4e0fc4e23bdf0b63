"""The demo determinations: written through the services, deterministic."""

import importlib

from fireledger.hazards.demo_determination import generate_demo_determinations
from fireledger.hazards.models import Determination


def test_demo_determinations(db, users, places, log):
    from django.apps import apps

    importlib.import_module("fireledger.hazards.migrations.0007_major_determination").add(
        apps, None)
    hazards = [log(users["street_officer"], places["mall"], description=f"演示隐患{i}")
               for i in range(3)]
    counts = generate_demo_determinations()
    assert counts == {"proposed": 3, "confirmed": 1, "withdrawn": 1}
    by_hazard = {d.hazard_id: d for d in Determination.objects.all()}
    assert [by_hazard[h.pk].status for h in hazards] == ["confirmed", "proposed", "withdrawn"]
    assert by_hazard[hazards[1].pk].outcome == "comprehensive"
    hazards[0].refresh_from_db()
    assert hazards[0].is_major
    assert generate_demo_determinations()["proposed"] == 0  # no hazard left to propose


def test_demo_without_rule_sets_does_nothing(db, users):
    from fireledger.hazards.models import DeterminationRuleSet

    DeterminationRuleSet.objects.all().delete()
    assert generate_demo_determinations() == {"proposed": 0, "confirmed": 0, "withdrawn": 0}
