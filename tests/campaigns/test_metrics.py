"""campaigns.metrics: every metric of the registry on small hand-built data, exact values per
street, per department and overall; the campaign's jurisdiction and categories; the user's
scope; one query per metric per grouping."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fireledger.campaigns import metrics, services_targets
from fireledger.campaigns import services as campaign_services
from fireledger.campaigns.metrics import DEPARTMENT, STREET, TOTAL, Figure
from fireledger.core.models import Department
from fireledger.hazards import lifecycle
from fireledger.hazards import services as hazard_services
from fireledger.hazards.models import HazardCategory
from fireledger.inspections import services as inspection_services
from fireledger.inspections.choices import Kind, Status
from fireledger.inspections.models import ChecklistItem, ChecklistTemplate, Inspection
from fireledger.places.choices import Category
from fireledger.places.models import Place

TODAY = timezone.localdate()
START = TODAY - datetime.timedelta(days=30)
S1, S2 = "500103001000", "500103002000"  # 解放碑街道, 七星岗街道


def day(n: int) -> datetime.date:
    """The campaign's n-th day (0: the start)."""
    return START + datetime.timedelta(days=n)


def png(name="证明.png"):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (30, 120, 200)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def dept(db):
    return {code: Department.objects.get(code=code).pk
            for code in ("shangwu", "zhujian", "wenlv")}


@pytest.fixture
def campaign(users, tree):
    return campaign_services.create_campaign(
        users["district_office"], name="高层建筑消防安全专项整治", starts_on=START,
        ends_on=TODAY + datetime.timedelta(days=60), jurisdiction=tree["district"])


@pytest.fixture
def target(campaign, users):
    """target(metric, **fields): a target of the campaign through the service."""
    def _target(metric, **fields):
        fields.setdefault("threshold", 50)
        fields.setdefault("due_on", TODAY + datetime.timedelta(days=30))
        fields.setdefault("text", f"{metric} 目标")
        return services_targets.add_target(users["district_office"], campaign, metric=metric,
                                           **fields)
    return _target


def values(figures: dict) -> dict:
    """{key: (value, numerator, denominator)} as plain tuples."""
    return {k: tuple(f) for k, f in figures.items()}


# ------------------------------------------------------------------------------------------
# Hazards: rectified_share (the burn-down) and hazards_logged
# ------------------------------------------------------------------------------------------


@pytest.fixture
def hazards(places, users):
    """Street 1: the mall's closed (day 1 → 5) and open (day 2) hazards, the compound's fixed on
    the spot (day 3); the mall's hazard from before the campaign. Street 2: the hotel's two
    open hazards (day 4, today)."""
    actor = users["district_office"]
    category = HazardCategory.objects.get(code="hr.03.1")
    deadline = TODAY + datetime.timedelta(days=10)

    def log(place, found_on, **kw):
        if not kw.get("fixed_on_spot") and "rectified_on" not in kw:
            kw["deadline"] = deadline
        return hazard_services.log_hazard(actor, places[place], category=category,
                                          description="疏散楼梯间堆放杂物", found_on=found_on, **kw)
    return {
        "before": log("mall", day(-5)),
        "h1": log("mall", day(1), rectified_on=day(5)),
        "h2": log("mall", day(2)),
        "h3": log("compound", day(3), fixed_on_spot=True),
        "h4": log("hotel", day(4)),
        "h5": log("hotel", TODAY),
    }


def test_rectified_share_per_street_department_and_overall(target, hazards, users, dept):
    t = target("rectified_share")
    office = users["district_office"]
    assert values(metrics.compute(t, office, TODAY, None)) == {TOTAL: (Fraction(40), 2, 5)}
    assert values(metrics.compute(t, office, TODAY, STREET)) == {
        S1: (Fraction(200, 3), 2, 3), S2: (Fraction(0), 0, 2)}
    assert values(metrics.compute(t, office, TODAY, DEPARTMENT)) == {
        dept["shangwu"]: (Fraction(50), 1, 2), dept["zhujian"]: (Fraction(100), 1, 1),
        dept["wenlv"]: (Fraction(0), 0, 2)}


def test_rectified_share_on_an_earlier_day(target, hazards, users):
    """Day 4: h1..h4 logged, only h3 closed (h1 closed on day 5); before the start nothing."""
    t = target("rectified_share")
    office = users["district_office"]
    assert values(metrics.compute(t, office, day(4), None)) == {TOTAL: (Fraction(25), 1, 4)}
    assert values(metrics.compute(t, office, day(4), STREET)) == {
        S1: (Fraction(100, 3), 1, 3), S2: (Fraction(0), 0, 1)}
    assert values(metrics.compute(t, office, day(-1), None)) == {TOTAL: (None, 0, 0)}
    assert metrics.compute(t, office, day(-1), STREET) == {}


def test_a_reopened_hazard_is_not_closed(target, hazards, users, photo):
    t = target("rectified_share")
    hazard_services.transition(users["district_office"], hazards["h3"], lifecycle.REOPEN,
                               deadline=TODAY + datetime.timedelta(days=5), note="反弹")
    assert values(metrics.compute(t, users["district_office"], TODAY, None)) == {
        TOTAL: (Fraction(20), 1, 5)}


def test_hazards_logged_counts(target, hazards, users, dept):
    t = target("hazards_logged", threshold=10)
    office = users["district_office"]
    assert values(metrics.compute(t, office, TODAY, None)) == {TOTAL: (5, 5, None)}
    assert values(metrics.compute(t, office, TODAY, STREET)) == {
        S1: (3, 3, None), S2: (2, 2, None)}
    assert values(metrics.compute(t, office, day(3), DEPARTMENT)) == {
        dept["shangwu"]: (2, 2, None), dept["zhujian"]: (1, 1, None)}


def test_target_categories_then_campaign_categories(campaign, target, hazards, users):
    """The target's categories first; without them the campaign's; without either all."""
    office = users["district_office"]
    t = target("rectified_share", place_categories=[Category.HOTEL])
    assert values(metrics.compute(t, office, TODAY, None)) == {TOTAL: (Fraction(0), 0, 2)}
    campaign_services.change_campaign(office, campaign, place_categories=[Category.MALL])
    t = target("rectified_share")
    t.refresh_from_db()
    assert values(metrics.compute(t, office, TODAY, None)) == {TOTAL: (Fraction(50), 1, 2)}


def test_campaign_jurisdiction_bounds_the_data(users, tree, hazards):
    """A campaign of 解放碑街道 does not count 七星岗街道's hazards."""
    street_campaign = campaign_services.create_campaign(
        users["district_office"], name="解放碑街道百日攻坚", starts_on=START,
        ends_on=TODAY + datetime.timedelta(days=60), jurisdiction=tree["street1"])
    t = services_targets.add_target(users["district_office"], street_campaign,
                                    text="整改率50%", metric="rectified_share", threshold=50,
                                    due_on=TODAY)
    office = users["district_office"]
    assert values(metrics.compute(t, office, TODAY, STREET)) == {S1: (Fraction(200, 3), 2, 3)}


def test_scope_street_officer_and_department_officer(target, hazards, users, dept):
    t = target("rectified_share")
    street = users["street_officer"]  # 解放碑街道
    assert values(metrics.compute(t, street, TODAY, STREET)) == {S1: (Fraction(200, 3), 2, 3)}
    assert values(metrics.compute(t, street, TODAY, None)) == {TOTAL: (Fraction(200, 3), 2, 3)}
    shangwu = users["department_officer"]  # 商务, district-wide: the mall only
    assert values(metrics.compute(t, shangwu, TODAY, STREET)) == {S1: (Fraction(50), 1, 2)}
    assert values(metrics.compute(t, shangwu, TODAY, DEPARTMENT)) == {
        dept["shangwu"]: (Fraction(50), 1, 2)}
    assert values(metrics.compute(t, users["nobody"], TODAY, None)) == {TOTAL: (None, 0, 0)}


# ------------------------------------------------------------------------------------------
# Inspections: inspected_share, inspections_done, compliant_share
# ------------------------------------------------------------------------------------------


@pytest.fixture
def version(admin_user):
    """A two-item checklist for malls, old compounds and hotels."""
    categories = {c.code: c for c in HazardCategory.objects.filter(code__in=["hr.03.1",
                                                                            "hr.02.1"])}
    template = ChecklistTemplate.objects.create(
        code="test-campaign", name="专项行动检查表（测试）",
        place_categories=[Category.MALL, Category.OLD_COMPOUND, Category.HOTEL])
    for n, (text, code) in enumerate([("疏散楼梯间无杂物堆放", "hr.03.1"),
                                      ("消火栓箱内器材齐全", "hr.02.1")], start=1):
        ChecklistItem.objects.create(template=template, number=str(n), text=text,
                                     category=categories[code], sort_order=n)
    return inspection_services.snapshot_version(admin_user, template)


@pytest.fixture
def inspect(places, version, users):
    """inspect(place, on, {"1": "hazard"}, submit=True): a sweep by the district office."""
    actor = users["district_office"]

    def _inspect(place, on, outcomes=None, *, submit=True):
        inspection = inspection_services.start_inspection(
            actor, places[place], kind=Kind.SWEEP, version=version, inspected_on=on)
        for result in inspection.results.order_by("sort_order"):
            inspection_services.save_result(actor, result,
                                            outcome=(outcomes or {}).get(result.number, "pass"))
        if not submit:
            return inspection
        inspection_services.sign(actor, inspection, name="张三", confirmed=True)
        return inspection_services.submit(actor, inspection)
    return _inspect


def test_inspected_share(target, inspect, users, dept):
    """The mall inspected twice in the campaign, the hotel only before it, the compound only
    as a draft."""
    inspect("mall", day(2))
    inspect("mall", day(4))
    inspect("hotel", day(-3))
    inspect("compound", day(3), submit=False)
    t = target("inspected_share")
    office = users["district_office"]
    assert values(metrics.compute(t, office, TODAY, None)) == {TOTAL: (Fraction(100, 3), 1, 3)}
    assert values(metrics.compute(t, office, TODAY, STREET)) == {
        S1: (Fraction(50), 1, 2), S2: (Fraction(0), 0, 1)}
    assert values(metrics.compute(t, office, TODAY, DEPARTMENT)) == {
        dept["shangwu"]: (Fraction(100), 1, 1), dept["zhujian"]: (Fraction(0), 0, 1),
        dept["wenlv"]: (Fraction(0), 0, 1)}
    assert values(metrics.compute(t, office, day(1), None)) == {TOTAL: (Fraction(0), 0, 3)}


def test_inspections_done(target, inspect, users, dept):
    inspect("mall", day(2))
    inspect("mall", day(4))
    inspect("hotel", day(-3))
    inspect("compound", day(3), submit=False)
    t = target("inspections_done", threshold=20)
    office = users["district_office"]
    assert values(metrics.compute(t, office, TODAY, None)) == {TOTAL: (2, 2, None)}
    assert values(metrics.compute(t, office, TODAY, STREET)) == {S1: (2, 2, None)}
    assert values(metrics.compute(t, office, day(3), DEPARTMENT)) == {
        dept["shangwu"]: (1, 1, None)}


def test_compliant_share(target, inspect, users, hazards_open_at, photo, admin_user):
    """Compliant: inspected in the campaign, the latest inspection found nothing to rectify,
    every hazard logged in the campaign closed."""
    office = users["district_office"]
    t = target("compliant_share", threshold=100)
    inspect("mall", day(2), {"1": "hazard"})  # a hazard to rectify, still open
    inspect("mall", day(5))  # clean, but the hazard of day 2 is open
    inspect("compound", day(3))  # clean
    inspect("hotel", day(4), {"2": "fixed"})  # fixed on the spot: clean and closed
    assert values(metrics.compute(t, office, TODAY, None)) == {TOTAL: (Fraction(200, 3), 2, 3)}
    assert values(metrics.compute(t, office, TODAY, STREET)) == {
        S1: (Fraction(50), 1, 2), S2: (Fraction(100), 1, 1)}
    # On day 3 only the compound had been inspected (the mall's hazard of day 2 is open).
    assert values(metrics.compute(t, office, day(3), None)) == {TOTAL: (Fraction(100, 3), 1, 3)}

    # The mall's hazard rectified and verified (closed today): the mall is compliant now.
    mall_hazard = hazards_open_at("mall")[0]
    hazard_services.transition(office, mall_hazard, lifecycle.REPORT_RECTIFICATION,
                               measures="清理杂物")
    hazard_services.transition(admin_user, mall_hazard, lifecycle.VERIFY_PASS, photos=[photo()])
    assert values(metrics.compute(t, office, TODAY, None)) == {TOTAL: (Fraction(100), 3, 3)}

    # The compound's latest inspection finds a hazard: its clean earlier one no longer counts.
    inspect("compound", TODAY, {"1": "hazard"})
    assert values(metrics.compute(t, office, TODAY, STREET)) == {
        S1: (Fraction(50), 1, 2), S2: (Fraction(100), 1, 1)}


def test_compliant_needs_hazards_logged_outside_inspections_closed(target, inspect, users,
                                                                    places):
    office = users["district_office"]
    t = target("compliant_share", threshold=100)
    inspect("hotel", day(4))
    assert values(metrics.compute(t, office, TODAY, STREET))[S2] == (Fraction(100), 1, 1)
    hazard_services.log_hazard(office, places["hotel"],
                               category=HazardCategory.objects.get(code="hr.03.1"),
                               description="群众举报：安全出口锁闭", found_on=day(6),
                               deadline=TODAY + datetime.timedelta(days=3))
    assert values(metrics.compute(t, office, TODAY, STREET))[S2] == (Fraction(0), 0, 1)
    assert values(metrics.compute(t, office, day(5), STREET))[S2] == (Fraction(100), 1, 1)


@pytest.fixture
def hazards_open_at(places):
    def _open(place):
        return list(places[place].hazards.filter(closed_on__isnull=True))
    return _open


# ------------------------------------------------------------------------------------------
# Spot checks
# ------------------------------------------------------------------------------------------


def high_rise(jurisdiction, n, *, residential=False, department=None):
    return Place.objects.bulk_create([
        Place(code=f"{'R' if residential else 'P'}{jurisdiction.code}{i:02d}",
              name=f"{jurisdiction.name}{'住宅' if residential else '大厦'}{i}号楼",
              category=Category.RESIDENTIAL if residential else Category.HIGH_RISE,
              building_use="residential" if residential else "public",
              jurisdiction=jurisdiction, jurisdiction_code=jurisdiction.code, height_m=80,
              department_id=department, address=f"渝中区测试路{i}号", is_high_rise=True)
        for i in range(1, n + 1)])


def joint(place, on, *, kind=Kind.JOINT, status=Status.SUBMITTED):
    return Inspection.objects.create(
        place=place, jurisdiction_code=place.jurisdiction_code, kind=kind, status=status,
        department_id=place.department_id, inspected_on=on, submitted_at=timezone.now())


def test_spot_check_share(target, users, tree, dept):
    """Street 1: 10 high-rise public buildings (2 checked jointly in the campaign, one only
    before it, one by a sweep), 4 residential (1 checked: not counted); street 2: 4 public,
    1 checked."""
    s1 = high_rise(tree["community11"], 10, department=dept["zhujian"])
    s1_res = high_rise(tree["community12"], 4, residential=True, department=dept["zhujian"])
    s2 = high_rise(tree["community21"], 4, department=dept["shangwu"])
    joint(s1[0], day(1))
    joint(s1[1], day(2))
    joint(s1[1], day(3))  # the same building twice counts once
    joint(s1[2], day(-1))  # before the campaign
    joint(s1[3], day(2), kind=Kind.SWEEP)  # not a joint inspection
    joint(s1[4], day(2), status=Status.DRAFT)
    joint(s1_res[0], day(2))  # residential
    joint(s2[0], day(5))
    t = target("spot_check_share", threshold=10)
    office = users["district_office"]
    assert values(metrics.compute(t, office, TODAY, None)) == {TOTAL: (Fraction(300, 14), 3, 14)}
    assert values(metrics.compute(t, office, TODAY, STREET)) == {
        S1: (Fraction(20), 2, 10), S2: (Fraction(25), 1, 4)}
    assert values(metrics.compute(t, office, TODAY, DEPARTMENT)) == {
        dept["zhujian"]: (Fraction(20), 2, 10), dept["shangwu"]: (Fraction(25), 1, 4)}
    assert values(metrics.compute(t, office, day(1), STREET)) == {
        S1: (Fraction(10), 1, 10), S2: (Fraction(0), 0, 4)}


# ------------------------------------------------------------------------------------------
# Manual figures
# ------------------------------------------------------------------------------------------


def test_manual_latest_figure_per_group(target, users, tree, dept, settings):
    office = users["district_office"]
    t = target("manual", threshold=5000, unit="人", text="注册人员不少于5000人")
    shangwu = Department.objects.get(code="shangwu")

    def enter(value, on, **where):
        return services_targets.enter_figure(office, t, value=value, on=on, evidence=png(),
                                             **where)
    enter(3000, day(5))
    enter(4200, TODAY - datetime.timedelta(days=1))
    enter(1500, TODAY - datetime.timedelta(days=2), jurisdiction=tree["street1"])
    enter(1600, TODAY - datetime.timedelta(days=1), jurisdiction=tree["street1"])
    enter(1550, TODAY - datetime.timedelta(days=1), jurisdiction=tree["street1"])  # later entry
    enter(2000, TODAY, jurisdiction=tree["street2"])
    enter(800, day(6), department=shangwu)

    yesterday = TODAY - datetime.timedelta(days=1)
    assert values(metrics.compute(t, office, yesterday, None)) == {
        TOTAL: (Decimal("4200"), None, None)}
    assert values(metrics.compute(t, office, yesterday, STREET)) == {
        S1: (Decimal("1550"), None, None)}
    assert values(metrics.compute(t, office, TODAY, STREET)) == {
        S1: (Decimal("1550"), None, None), S2: (Decimal("2000"), None, None)}
    assert values(metrics.compute(t, office, TODAY, DEPARTMENT)) == {
        dept["shangwu"]: (Decimal("800"), None, None)}
    assert values(metrics.compute(t, office, day(5), None)) == {
        TOTAL: (Decimal("3000"), None, None)}
    assert metrics.compute(t, office, day(5), STREET) == {}
    assert values(metrics.compute(t, office, day(4), None)) == {TOTAL: (None, None, None)}

    # Scope: the street officer sees their street's figure only (not the district's total,
    # not the departments'); the department officer their department's and the total; a
    # unit manager nothing.
    street = users["street_officer"]
    assert values(metrics.compute(t, street, TODAY, STREET)) == {
        S1: (Decimal("1550"), None, None)}
    assert values(metrics.compute(t, street, TODAY, None)) == {TOTAL: (None, None, None)}
    assert metrics.compute(t, street, TODAY, DEPARTMENT) == {}
    officer = users["department_officer"]
    assert metrics.compute(t, officer, TODAY, STREET) == {}
    assert values(metrics.compute(t, officer, TODAY, DEPARTMENT)) == {
        dept["shangwu"]: (Decimal("800"), None, None)}
    assert values(metrics.compute(t, officer, TODAY, None)) == {
        TOTAL: (Decimal("4200"), None, None)}
    unit = users["unit_manager"]
    for grouping in (STREET, DEPARTMENT):
        assert metrics.compute(t, unit, TODAY, grouping) == {}


# ------------------------------------------------------------------------------------------
# The registry and its queries
# ------------------------------------------------------------------------------------------


def test_registry_keys_units_and_labels():
    assert set(metrics.REGISTRY) == {"inspected_share", "rectified_share", "hazards_logged",
                                     "inspections_done", "compliant_share", "spot_check_share",
                                     "manual"}
    for key, metric in metrics.REGISTRY.items():
        assert metric.key == key and str(metric.label) and metric.unit in ("%", "count")
    assert metrics.REGISTRY["hazards_logged"].unit == "count"
    assert metrics.REGISTRY["rectified_share"].unit == "%"


def test_figure_percent_rounds_down():
    assert Figure(Fraction(4996, 100), 4996, 10000).percent == 49.9
    assert metrics.share(0, 0) == Figure(None, 0, 0)
    assert metrics.share(1, 3).percent == 33.3


@pytest.mark.parametrize("metric", sorted(metrics.REGISTRY))
def test_one_query_per_metric_per_grouping(metric, target, hazards, users, tree):
    office = users["district_office"]
    t = target(metric, threshold=10)
    t.campaign.jurisdiction  # loaded once, as the target page loads it with the campaign
    from fireledger.core.scope import assignments
    from fireledger.inspections.models import drawn_for
    assignments(office)  # loaded once per request
    drawn_for(office)  # the random inspections the user was drawn for, read once per request
    for grouping in metrics.GROUPINGS:
        with CaptureQueriesContext(connection) as queries:
            metrics.compute(t, office, TODAY, grouping)
        assert len(queries) == 1, [q["sql"] for q in queries]
