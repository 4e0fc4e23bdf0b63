"""Recompute through the services and hooks: scores, factors, history only on change, the
policy as versioned data."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from fireledger.core.models import AuditEvent
from fireledger.hazards import services as hazard_services
from fireledger.hazards.models import HazardCategory, ListedSupervision
from fireledger.inspections.models import Inspection
from fireledger.places import services as place_services
from fireledger.risk import index, recompute, services
from fireledger.risk.models import RiskHistory, RiskPolicy, RiskScore

pytestmark = pytest.mark.django_db


def keys(score):
    return {key: (points, params) for key, points, params in score.factors}


def log(actor, place, **data):
    data.setdefault("category", HazardCategory.objects.get(code="hr.03.1"))
    data.setdefault("description", "疏散楼梯间堆放杂物")
    data.setdefault("deadline", datetime.date.today() + datetime.timedelta(days=10))
    if data.get("is_major"):
        data.setdefault("interim_safeguards", "专人值守")
    return hazard_services.log_hazard(actor, place, **data)


def test_a_new_place_is_scored_with_history(places):
    mall = places["mall"]
    score = RiskScore.objects.get(place=mall)
    assert score.jurisdiction_code == mall.jurisdiction_code
    found = keys(score)
    assert found["category"] == (12, {"category": "mall"})
    assert found["height"][1] == {"height": 98, "threshold": 50}
    assert "never_inspected" in found
    assert score.score == sum(points for points, _p in found.values())
    assert list(RiskHistory.objects.filter(place=mall).values_list("score", "grade")) == [
        (score.score, score.grade)]


def test_a_major_hazard_raises_the_grade_at_once(places, users):
    compound = places["compound"]
    before = RiskScore.objects.get(place=compound)
    log(users["district_office"], compound, is_major=True)
    after = RiskScore.objects.get(place=compound)
    assert after.score == before.score + index.DEFAULT_WEIGHTS["open_major"]
    assert keys(after)["open_major"] == (30, {"count": 1})
    assert index.GRADES.index(after.grade) < index.GRADES.index(before.grade)
    assert RiskHistory.objects.filter(place=compound).count() == 2


def test_general_hazards_weighted_by_group_and_overdue_by_date(places, users):
    hotel = places["hotel"]
    log(users["district_office"], hotel)
    log(users["district_office"], hotel)
    found = keys(RiskScore.objects.get(place=hotel))
    group = HazardCategory.objects.get(code="hr.03.1").group
    assert found["open_hazards"] == (2 * index.DEFAULT_WEIGHTS["open_hazard"][group],
                                     {"group": group, "count": 2})
    assert "overdue" not in found
    recompute.run_places([hotel.pk], today=datetime.date.today() + datetime.timedelta(days=30))
    assert keys(RiskScore.objects.get(place=hotel))["overdue"] == (10, {"count": 2})


def test_unchanged_recompute_writes_no_history(places):
    assert RiskHistory.objects.count() == 3
    stamps = dict(RiskScore.objects.values_list("place_id", "computed_at"))
    timing = services.recompute_all(chunk=2)
    assert timing.places == 3 and timing.changed == 0
    assert RiskHistory.objects.count() == 3
    # Unchanged rows are not rewritten (on PostgreSQL: the upsert's IS DISTINCT FROM).
    assert dict(RiskScore.objects.values_list("place_id", "computed_at")) == stamps
    assert sum(timing.grades.values()) == 3


def test_recompute_all_fills_places_written_without_the_hook(places):
    RiskScore.objects.all().delete()
    progress = []
    timing = services.recompute_all(progress=lambda done, total: progress.append((done, total)))
    assert RiskScore.objects.count() == 3 and timing.places == 3
    assert progress[-1] == (3, 3)


def test_an_officers_inspection_counts_a_self_inspection_does_not(places):
    mall = places["mall"]
    for kind, days in (("self", 1), ("sweep", 200)):
        Inspection.objects.create(place=mall, jurisdiction_code=mall.jurisdiction_code,
                                  kind=kind, status="submitted",
                                  inspected_on=datetime.date.today() - datetime.timedelta(days=days))
    services.recompute_places([mall.pk])
    found = keys(RiskScore.objects.get(place=mall))
    assert "never_inspected" not in found
    assert found["not_inspected"][0] == 2 and found["not_inspected"][1]["days"] == 200


def test_place_edit_and_listing_hooks(places, users, admin_user):
    compound = places["compound"]
    place_services.change_place(admin_user, compound, is_key_unit=True)
    assert "key_unit" in keys(RiskScore.objects.get(place=compound))
    hazard = log(users["district_office"], compound, is_major=True)
    listing = ListedSupervision.objects.create(
        hazard=hazard, jurisdiction_code=hazard.jurisdiction_code,
        proposed_on=datetime.date.today())
    hazard_services.decide_listing(users["district_office"], listing, listed=True)
    assert keys(RiskScore.objects.get(place=compound))["listed"] == (15, {"count": 1})


def test_adopt_policy_versions_and_validation(places, admin_user):
    with pytest.raises(ValidationError):
        services.adopt_policy(admin_user, weights={"open_major": -5}, red_from=60,
                              orange_from=40, yellow_from=20)
    assert not RiskPolicy.objects.exists()
    first = services.adopt_policy(admin_user, weights={}, red_from=60, orange_from=40,
                                  yellow_from=20)
    second = services.adopt_policy(admin_user, weights={"category": {"mall": 50}},
                                   red_from=70, orange_from=45, yellow_from=25, note="更严")
    first.refresh_from_db()
    assert (first.version, first.in_force, second.version, second.in_force) == (1, False, 2, True)
    assert second.weights["open_major"] == index.DEFAULT_WEIGHTS["open_major"]
    assert AuditEvent.objects.filter(object_type="risk.riskpolicy").count() == 3
    services.recompute_places([places["mall"].pk])
    score = RiskScore.objects.get(place=places["mall"])
    assert score.policy_version == 2 and keys(score)["category"][0] == 50
    assert RiskHistory.objects.filter(place=places["mall"]).first().policy_version == 2



def test_an_unchanged_place_is_not_sent_to_the_database_again(places, users):
    """The unchanged-row check compares the stored text with the new one: on PostgreSQL
    jsonb's own text form (every kind of params here), on SQLite the JSON as written."""
    hotel = places["hotel"]
    place_services.change_place(users["district_office"], hotel, year_built=1980,
                                has_sprinkler=False, height_m=30, beds=120)
    log(users["district_office"], hotel)
    Inspection.objects.create(place=hotel, jurisdiction_code=hotel.jurisdiction_code,
                              kind="sweep", status="submitted",
                              inspected_on=datetime.date.today() - datetime.timedelta(days=400))
    first = services.recompute_places([hotel.pk])
    assert first.written == 1
    assert {"age", "open_hazards", "not_inspected", "missing_systems", "height"} <= set(
        keys(RiskScore.objects.get(place=hotel)))
    assert services.recompute_places([hotel.pk]).written == 0


def test_imported_places_are_graded_in_the_import(tree, admin_user):
    from fireledger.places.models import Place

    new = [Place(name=f"小超市{i}", category="nine_small", jurisdiction=tree["grid111"])
           for i in range(3)]
    place_services.bulk_create_places(admin_user, new)
    assert RiskScore.objects.filter(place__in=new).count() == 3
