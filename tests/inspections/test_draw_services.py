"""services_draws: the pool snapshot, make_draw (drafts, recusals, audit, all or nothing),
reproduce, who may draw, and the drawn inspectors' drafts through to the disclosure queue."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fireledger.core.choices import Role
from fireledger.core.models import AuditEvent
from fireledger.inspections import draws
from fireledger.inspections import services
from fireledger.inspections import services_draws as sd
from fireledger.inspections.choices import Kind, Status
from fireledger.inspections.models import (
    DrawnInspector,
    DrawnPlace,
    DrawRecusal,
    Inspection,
    RandomDraw,
)
from fireledger.public.disclosures import random_results_due_qs

from draw_builders import district_places, inspectors, make_user, unit_manager_too

GRADE = RandomDraw.Mode.GRADE
EVERY = {s: 100 for s in sd.grade_strata()}


@pytest.fixture
def world(tree, unit, admin_user, users):
    return {"inspectors": inspectors(tree),
            "places": district_places(admin_user, tree, unit)}


def test_pool_snapshot_round_trip():
    rows = [(3, "a"), (7, "red/crowded"), (10**12, "a")]
    blob, sha = sd.encode_pool(rows)
    assert sd.decode_pool(blob, sha) == rows
    with pytest.raises(ValueError):
        sd.decode_pool(blob, "0" * 64)
    assert sd.decode_pool(*sd.encode_pool([])) == []


def test_pool_strata_by_grade_and_group(world, tree):
    rows = dict(sd.pool(tree["district"], GRADE))
    places = world["places"]
    assert rows[places[0].pk] == "red/crowded"  # graded red, a mall
    assert rows[places[1].pk] == "ungraded/crowded"  # a hotel without a score
    assert list(rows) == sorted(rows)
    street1 = dict(sd.pool(tree["street1"], GRADE))
    assert set(street1) == {p.pk for p in places[:4]}


def test_draw_writes_random_drafts_for_two_inspectors_not_of_the_street(world, users, tree):
    district = users["district_office"]
    draw = sd.make_draw(district, tree["district"], ratios=EVERY, seed="s-1")
    ins = world["inspectors"]
    assert draw.drawn_count == 8 == draw.places.count()
    assert draw.pool_size >= 8 and draw.algorithm_version == draws.ALGORITHM_VERSION
    for dp in draw.places.select_related("inspection", "place"):
        team = list(dp.inspectors.order_by("position").values_list("user_id", flat=True))
        assert len(team) == 2
        street = "street1" if dp.place.jurisdiction_code.startswith("500103001") else "street2"
        own = {ins[f"s{street[-1]}a"].pk, ins[f"s{street[-1]}b"].pk}
        assert not own & set(team)
        assert own <= set(dp.recusals.filter(reason="street").values_list("user_id", flat=True))
        i = dp.inspection
        assert (i.kind, i.status, i.created_by_id, i.place_id) == (
            Kind.RANDOM, Status.DRAFT, team[0], dp.place_id)
        assert i.results.count() == len(i.version.items) > 0
    assert AuditEvent.objects.filter(object_type="inspections.randomdraw",
                                     object_id=str(draw.pk)).count() == 1
    assert AuditEvent.objects.filter(object_type="inspections.inspection",
                                     note=f"draw {draw.pk}").count() == 8
    assert sd.reproduce(draw) == []


def test_same_seed_same_draw_and_ratio_ceil(world, users, tree):
    district = users["district_office"]
    ratios = {s: 10 for s in sd.grade_strata()}  # ceil(10 % of 1..6) = 1 per stratum
    a = sd.make_draw(district, tree["district"], ratios=ratios, seed="same")
    b = sd.make_draw(district, tree["district"], ratios=ratios, seed="same")
    strata = {s for _, s in sd.pool(tree["district"], GRADE)}
    assert a.drawn_count == len(strata)
    assert sd.stored(a) == sd.stored(b)


def test_reproduce_reports_a_tampered_draw(world, users, tree):
    draw = sd.make_draw(users["district_office"], tree["district"], ratios=EVERY, seed="x")
    first = DrawnInspector.objects.filter(drawn_place__draw=draw, position=1).first()
    others = set(DrawnInspector.objects.filter(drawn_place=first.drawn_place)
                 .values_list("user_id", flat=True))
    recused = set(DrawRecusal.objects.filter(drawn_place=first.drawn_place)
                  .values_list("user_id", flat=True))
    stranger = next(i["id"] for i in draw.inspector_snapshot
                    if i["id"] not in others | recused)
    DrawnInspector.objects.filter(pk=first.pk).update(user_id=stranger)
    differences = sd.reproduce(draw)
    assert len(differences) == 1 and f"#{first.drawn_place.order}:" in differences[0]
    RandomDraw.objects.filter(pk=draw.pk).update(pool_sha256="0" * 64)
    draw.refresh_from_db()
    with pytest.raises(ValueError):
        sd.reproduce(draw)


def test_not_enough_inspectors_names_the_place_and_writes_nothing(world, users, tree):
    """Only street officers in the pool: a street-1 place keeps the two of street 2, but the
    street officer's draw over street 1 alone with the district role left out still has
    street 2's officers; take them away and the place is named."""
    ins = world["inspectors"]
    for key in ("s2a", "s2b"):
        ins[key].assignments.all().delete()
    with pytest.raises(ValidationError) as e:
        sd.make_draw(users["district_office"], tree["street1"], ratios=EVERY,
                     inspector_roles=[Role.STREET_OFFICER])
    assert e.value.code == "not_enough_inspectors"
    assert "解放碑街道场所" in e.value.messages[0]
    assert not RandomDraw.objects.exists() and not Inspection.objects.exists()


def test_recused_for_the_unit_and_for_the_last_inspection(world, users, tree, unit, admin_user):
    ins = world["inspectors"]
    place = world["places"][1]  # street 1, managed by `unit`
    unit_manager_too(ins["s2a"], unit, tree["street1"])
    # s2b made and signed the place's latest submitted inspection, with d1
    version = sd._checklists()[place.category]
    i = services.start_inspection(admin_user, place, kind=Kind.SWEEP, version=version)
    for r in i.results.all():
        services.save_result(admin_user, r, outcome="pass")
    services.sign(admin_user, i, name="s2b", confirmed=True, user=ins["s2b"])
    services.submit(admin_user, i)
    Inspection.objects.filter(pk=i.pk).update(created_by=ins["d1"])
    district = users["district_office"]
    with pytest.raises(ValidationError):  # street 1 officers, s2a (unit), s2b and d1 (last)
        sd.make_draw(district, tree["district"], ratios=EVERY)
    extra = make_user("d2", Role.DISTRICT_OFFICE, tree["district"])
    draw = sd.make_draw(district, tree["district"], ratios=EVERY)
    dp = DrawnPlace.objects.get(draw=draw, place=place)
    reasons = set(dp.recusals.values_list("user_id", "reason"))
    assert {(ins["s2a"].pk, "unit"), (ins["s2b"].pk, "last_inspection"),
            (ins["d1"].pk, "last_inspection"), (ins["s1a"].pk, "street")} <= reasons
    team = set(dp.inspectors.values_list("user_id", flat=True))
    assert extra.pk in team and team <= {extra.pk, district.pk}
    assert sd.reproduce(draw) == []


def test_who_may_draw(world, users, tree):
    with pytest.raises(PermissionDenied):
        sd.make_draw(users["street_officer"], tree["district"], ratios=EVERY)
    for role in ("grid_worker", "department_officer", "unit_manager", "nobody"):
        with pytest.raises(PermissionDenied):
            sd.make_draw(users[role], tree["street1"], ratios=EVERY)
    draw = sd.make_draw(users["street_officer"], tree["street1"], ratios=EVERY)
    assert draw.drawn_count == 4
    assert list(RandomDraw.objects.visible_to(users["street_officer"])) == [draw]
    assert list(RandomDraw.objects.visible_to(users["district_office"])) == [draw]
    assert not RandomDraw.objects.visible_to(users["grid_worker"]).exists()  # a street record
    assert not RandomDraw.objects.visible_to(users["nobody"]).exists()


def test_bad_ratio_and_team_refused(world, users, tree):
    district = users["district_office"]
    with pytest.raises(ValidationError):
        sd.make_draw(district, tree["district"], ratios={"red/crowded": 120})
    with pytest.raises(ValidationError):
        sd.make_draw(district, tree["district"], ratios={"nonsense": 5})
    with pytest.raises(ValidationError):
        sd.make_draw(district, tree["district"], ratios=EVERY, team=1)
    assert not RandomDraw.objects.exists()


def test_campaign_ratios_draw_high_rise_only(world, users, tree, admin_user, unit):
    from fireledger.places import services as place_services
    from fireledger.places.choices import Category

    tall = [place_services.create_place(
        admin_user, name=f"高层{n}", category=Category.HIGH_RISE, jurisdiction=tree["grid211"],
        building_use="residential" if n % 2 else "public", height_m=80, floors_above=25,
        address=f"高层路{n}号") for n in range(6)]
    assert all(p.is_high_rise for p in tall)
    draw = sd.make_draw(users["district_office"], tree["district"],
                        mode=RandomDraw.Mode.CAMPAIGN, ratios=None)
    strata = list(draw.places.values_list("stratum", flat=True))
    pool = dict(sd.pool(tree["district"], RandomDraw.Mode.CAMPAIGN))
    public = sum(1 for s in pool.values() if s == sd.HIGH_RISE_PUBLIC)
    residential = sum(1 for s in pool.values() if s == sd.HIGH_RISE_RESIDENTIAL)
    assert strata.count(sd.HIGH_RISE_PUBLIC) == -(-public * 10 // 100)
    assert strata.count(sd.HIGH_RISE_RESIDENTIAL) == -(-residential * 5 // 100)
    assert draw.ratios == {sd.HIGH_RISE_PUBLIC: "10", sd.HIGH_RISE_RESIDENTIAL: "5"}


def test_both_drawn_inspectors_see_sign_and_submit_and_it_is_due_for_disclosure(
        world, users, tree):
    district = users["district_office"]
    draw = sd.make_draw(district, tree["district"], ratios={"red/crowded": 50}, seed="d")
    dp = draw.places.get()
    lead, second = [i.user for i in dp.inspectors.order_by("position")]
    inspection = dp.inspection
    for user in (lead, second):
        assert list(Inspection.objects.drafts_of(user)) == [inspection]
        assert Inspection.objects.visible_to(user).filter(pk=inspection.pk).exists()
    assert not Inspection.objects.drafts_of(world["inspectors"]["s1a"]).exists()  # recused
    for r in inspection.results.all():
        services.save_result(second, r, outcome="pass")
    services.sign(second, inspection, name=second.username, confirmed=True, user=second)
    services.sign(lead, inspection, name=lead.username, confirmed=True, user=lead)
    services.submit(second, inspection)
    inspection.refresh_from_db()
    assert inspection.status == Status.SUBMITTED
    assert inspection in random_results_due_qs(district)
    with pytest.raises(PermissionDenied):  # not drawn, not the creator
        services.save_details(world["inspectors"]["s1a"], inspection, location="x")


def test_a_hazard_found_by_a_drawn_inspector_of_another_street_is_logged(world, users, tree):
    draw = sd.make_draw(users["district_office"], tree["district"],
                        ratios={"red/crowded": 100}, seed="h",
                        inspector_roles=[Role.STREET_OFFICER])
    dp = draw.places.order_by("order").first()
    lead, second = [i.user for i in dp.inspectors.order_by("position")]
    inspection = dp.inspection
    first = True
    for r in inspection.results.order_by("sort_order"):
        services.save_result(lead, r, outcome="fixed" if first else "pass")
        first = False
    for user in (lead, second):
        services.sign(lead, inspection, name=user.username, confirmed=True, user=user)
    services.submit(lead, inspection)
    assert inspection.results.filter(hazard__isnull=False).count() == 1
