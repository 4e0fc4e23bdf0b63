"""The dashboards: figures per role, scope, and every number equal to the list behind its link."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fireledger.core.choices import Role
from fireledger.core.models import User
from fireledger.hazards import lifecycle, services as hazard_services
from fireledger.hazards.models import HazardCategory, ListedSupervision
from fireledger.inspections.models import Inspection
from fireledger.reports import aggregates as agg

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def hazards(places, admin_user, today):
    """Mall (street 1, 商务): one overdue, one major found 100 days ago, one fixed on the spot;
    compound (street 1, 住建): one found 200 days ago; hotel (street 2, 文旅): one rectified."""
    category = HazardCategory.objects.get(code="hr.03.1")
    other = HazardCategory.objects.exclude(group=category.group).first()

    def log(place, **data):
        data.setdefault("category", category)
        data.setdefault("description", "疏散楼梯间堆放杂物")
        if not data.get("fixed_on_spot") and "rectified_on" not in data:
            data.setdefault("deadline", today + 10 * DAY)
        return hazard_services.log_hazard(admin_user, place, **data)

    found = {
        "overdue": log(places["mall"], found_on=today - 40 * DAY),
        "major": log(places["mall"], found_on=today - 100 * DAY, is_major=True,
                     interim_safeguards="设置临时消防设施",
                     category=other),
        "spot": log(places["mall"], fixed_on_spot=True),
        "old": log(places["compound"], found_on=today - 200 * DAY),
        "rectified": log(places["hotel"], found_on=today - 5 * DAY, rectified_on=today),
    }
    # Time passes: the deadline of the first is now yesterday.
    type(found["overdue"]).objects.filter(pk=found["overdue"].pk).update(deadline=today - DAY)
    return found


def numbers(context) -> list[dict]:
    """Every linked number of the page's context."""
    found = [c for _k, _l, c in context["cards"]]
    found += [c for _l, c in context["by_status"]] + [c for _l, c in context["by_age"]]
    found += [c for _l, a, o in context["by_group"] for c in (a, o)]
    found += [c for _m, f, k in context["trend"] for c in (f, k)]
    found += [c for _l, c in context["place_categories"]] + [c for _l, c in context["place_flags"]]
    found += [c for row in context["areas"] + context["departments"] for c in row["cells"] if c]
    found.append(context["map_places"])
    return found


def list_count(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def test_district_figures(users, hazards, login, today):
    response = login(users["district_office"]).get(reverse("reports:dashboard"))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.scope.level == agg.DISTRICT
    total = figures.total
    assert (total.places, total.hazards, total.open, total.overdue, total.open_major) == \
        (3, 5, 3, 1, 1)
    assert sum(figures.by_status.values()) == 5
    assert figures.by_status[lifecycle.CLOSED] == 2
    assert sum(figures.by_age.values()) == 3
    assert [a.key for a in figures.areas] == ["500103001", "500103002"]
    assert [a.label for a in figures.areas] == ["解放碑街道", "七星岗街道"]
    assert len(response.context["departments"]) == 3
    assert figures.found_by_month[-1] == sum(
        1 for h in hazards.values() if h.found_on >= today.replace(day=1))
    assert figures.closed_by_month[-1] == 2


def test_every_number_equals_its_list(users, hazards, login):
    client = login(users["district_office"])
    context = client.get(reverse("reports:dashboard")).context
    linked = [c for c in numbers(context) if c["url"]]
    assert len(linked) > 60
    for c in linked:
        assert list_count(client, c["url"]) == c["value"], c


def test_street_dashboard_by_community(users, hazards, login):
    client = login(users["street_officer"])
    context = client.get(reverse("reports:dashboard")).context
    figures = context["figures"]
    assert figures.scope.level == agg.STREET
    assert [a.key for a in figures.areas] == ["500103001001", "500103001002"]
    assert figures.total.hazards == 4  # the hotel is in the other street
    assert context["departments"] == []
    for c in numbers(context):
        if c["url"]:
            assert list_count(client, c["url"]) == c["value"], c


def test_department_dashboard_only_its_department(users, hazards, login):
    client = login(users["department_officer"])
    context = client.get(reverse("reports:dashboard")).context
    figures = context["figures"]
    assert figures.scope.level == agg.DEPARTMENT
    assert figures.total.places == 1 and figures.total.hazards == 3  # the 商务 mall only
    for c in numbers(context):
        if c["url"]:
            assert "department=" in c["url"]
            assert list_count(client, c["url"]) == c["value"], c


def test_rectification_rate_counts_closed_of_found_this_year(users, hazards, login, today):
    figures = login(users["district_office"]).get(reverse("reports:dashboard")).context["figures"]
    found = [h for h in hazards.values() if h.found_on >= today.replace(month=1, day=1)]
    closed = [h for h in found if h.status == lifecycle.CLOSED]
    assert figures.total.found_year == len(found)
    assert figures.total.closed_year == len(closed)
    assert figures.total.rate == pytest.approx(100 * len(closed) / len(found))


def test_coverage_counts_places_with_a_submitted_non_self_inspection(
        users, places, login, admin_user, today):
    def inspect(place, kind, status="submitted", on=today):
        Inspection.objects.create(place=place, jurisdiction_code=place.jurisdiction_code,
                                  department_id=place.department_id, kind=kind, status=status,
                                  inspected_on=on, created_by=admin_user)
    inspect(places["mall"], "sweep")
    inspect(places["mall"], "joint")  # the same place twice: counted once
    inspect(places["compound"], "self")  # a self-inspection does not count
    inspect(places["hotel"], "sweep", status="draft")  # nor a draft
    client = login(users["district_office"])
    context = client.get(reverse("reports:dashboard")).context
    figures = context["figures"]
    assert figures.total.inspected == 1
    assert context["coverage"] == f"{100 / 3:.1f}%"
    street1 = next(a for a in figures.areas if a.key == "500103001")
    assert street1.inspected == 1 and street1.places == 2
    url = next(c for k, _l, c in context["cards"] if k == "inspected")["url"]
    assert list_count(client, url) == 1


def test_listed_supervision_and_map(users, hazards, places, login, settings, today):
    major = hazards["major"]
    listing = ListedSupervision.objects.create(hazard=major,
                                               jurisdiction_code=major.jurisdiction_code,
                                               proposed_on=today - 3 * DAY)
    hazard_services.decide_listing(users["district_office"], listing, listed=True)
    mall = places["mall"]
    type(mall).objects.filter(pk=mall.pk).update(latitude=29.557, longitude=106.577)
    settings.FIRELEDGER_MAP_TILE_URL = ""
    client = login(users["district_office"])
    context = client.get(reverse("reports:dashboard")).context
    assert [row["hazard"].pk for row in context["listed"]] == [major.pk]
    assert context["listed_n"]["value"] == 1
    assert list_count(client, context["listed_n"]["url"]) == 1
    assert context["map_data"]["tiles"] == ""
    assert [p[2] for p in context["map_data"]["points"]] == ["解放碑时代广场"]
    assert context["map_data"]["points"][0][3] == reverse("places:detail", args=[mall.pk])
    assert context["map_places"]["value"] == 1

    settings.FIRELEDGER_MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    settings.FIRELEDGER_MAP_ATTRIBUTION = "测试底图"
    response = client.get(reverse("reports:dashboard"))
    assert response.context["map_data"]["tiles"].startswith("http://127.0.0.1:9/")
    assert response.context["map_data"]["attribution"] == "测试底图"
    assert b"dash-map-data" in response.content


def test_roles_and_levels(users, hazards, login, tree):
    for name in ("unit_manager", "grid_worker", "nobody"):
        assert login(users[name]).get(reverse("reports:dashboard")).status_code == 403
    client = login(users["district_office"])
    assert client.get(reverse("reports:dashboard_level", args=["street"])).status_code == 403
    assert client.get("/stats/nowhere/").status_code == 404
    both = User.objects.create_user("both")
    both.assignments.create(role=Role.DISTRICT_OFFICE, jurisdiction=tree["district"])
    both.assignments.create(role=Role.STREET_OFFICER, jurisdiction=tree["street2"])
    client = login(both)
    response = client.get(reverse("reports:dashboard"))
    assert response.context["figures"].scope.level == agg.DISTRICT
    assert len(response.context["switch"]) == 2
    response = client.get(reverse("reports:dashboard_level", args=["street"]))
    figures = response.context["figures"]
    assert figures.scope.prefix == "500103002" and figures.total.hazards == 1
    # A street officer's numbers stay inside their street even though the user also sees
    # the whole district: the links name the street.
    for c in numbers(response.context):
        if c["url"]:
            assert list_count(client, c["url"]) == c["value"], c


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_queries_do_not_grow_with_rows(users, hazards, login, django_assert_max_num_queries):
    client = login(users["district_office"])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("reports:dashboard")).status_code == 200


def test_month_starts_and_ends():
    starts = agg.month_starts(datetime.date(2026, 2, 14))
    assert starts[0] == datetime.date(2025, 3, 1) and starts[-1] == datetime.date(2026, 2, 1)
    assert len(starts) == 12
    assert agg.month_end(datetime.date(2025, 12, 1)) == datetime.date(2025, 12, 31)
    assert agg.month_end(datetime.date(2024, 2, 1)) == datetime.date(2024, 2, 29)


def test_age_buckets_follow_the_list_filter(today):
    """aggregates.age_bucket (Python, over per-date counts) and hazards.filters.age_q (the
    list's SQL rule) put every age in the same single bucket."""
    from fireledger.hazards.filters import AGE_BUCKETS, age_q

    for days in [0, 1, 29, 30, 31, 89, 90, 91, 179, 180, 181, 400]:
        found_on = today - days * DAY
        matching = []
        for key in AGE_BUCKETS:
            q = age_q(key, today)
            bounds = dict(q.children)
            ok = found_on <= bounds["found_on__lte"] and (
                "found_on__gte" not in bounds or found_on >= bounds["found_on__gte"])
            if ok:
                matching.append(key)
        assert matching == [agg.age_bucket(days)], days
