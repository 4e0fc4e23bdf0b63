"""Burn-down figures: hand-built hazards with known dates give exact shares per street, per
department and in total; scope; reopened hazards; the page and its form."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from fireledger.core.models import Department
from fireledger.hazards import burndown as bd
from fireledger.hazards import lifecycle, seeding, services
from fireledger.hazards.models import Hazard

D = datetime.date
D1, D2, D3 = D(2026, 1, 31), D(2026, 3, 31), D(2026, 6, 30)
DATES = [D1, D2, D3]
STREET1, STREET2 = "500103001", "500103002"  # 解放碑街道, 七星岗街道 in tests/conftest.py


def hazard(place, found, status=lifecycle.CLOSED, closed=None, **extra):
    """An unsaved hazard with the given history (written through seeding, which takes the past)."""
    data = {"category": extra.pop("category"), "description": "疏散通道堆放杂物",
            "found_on": found, "status": status, "closed_on": closed,
            "deadline": None if extra.get("fixed_on_spot") else found + datetime.timedelta(days=14),
            "found_by": extra.pop("found_by")}
    if status in (lifecycle.CLOSED, lifecycle.AWAITING_VERIFICATION):
        data["measures"] = "已清理"
        data["rectification_reported_on"] = closed or found
    data.update(extra)
    return Hazard(place=place, **data)


@pytest.fixture
def register(places, admin_user, categories):
    """Nine hazards; the comment says how each counts at D1 / D2 / D3 (L logged, C closed)."""
    mall, compound, hotel = places["mall"], places["compound"], places["hotel"]
    common = {"category": categories["hr.03.1"], "found_by": admin_user}
    rows = {
        # street 1, mall (商务)
        "a": hazard(mall, D(2026, 1, 10), closed=D(2026, 1, 20), **common),  # LC LC LC
        "b": hazard(mall, D(2026, 1, 15), closed=D(2026, 1, 15), fixed_on_spot=True,
                    **common),  # fixed on the spot: LC LC LC
        "c": hazard(mall, D(2026, 2, 10), closed=D(2026, 4, 15), **common),  # - L LC
        "d": hazard(mall, D(2026, 3, 1), status=lifecycle.RECTIFYING, reopen_count=1,
                    measures="", **common),  # reopened: - L L
        # street 1, compound (住建)
        "e": hazard(compound, D(2026, 1, 5), status=lifecycle.CANNOT_RECTIFY,
                    cannot_rectify_reason="受规划限制", review_on=D(2026, 12, 1),
                    **common),  # L L L
        "f": hazard(compound, D(2026, 5, 1), closed=D(2026, 6, 30), **common),  # - - LC (<=)
        "g": hazard(compound, D(2026, 7, 1), status=lifecycle.PENDING, **common),  # after D3
        # street 2, hotel (文旅)
        "h": hazard(hotel, D(2026, 1, 31), closed=D(2026, 2, 1), **common),  # L LC LC
        "i": hazard(hotel, D(2026, 3, 31), status=lifecycle.PENDING, **common),  # - L L
    }
    seeding.bulk_create_hazards(admin_user, list(rows.values()))
    return rows


def cells(row):
    return [(c.logged, c.closed) for c in row.cells]


def test_exact_counts_per_street_department_and_total(register):
    figures = bd.burndown(Hazard.objects.all(), [D3, D1, D2, D1])  # sorted, deduplicated
    assert figures.dates == DATES
    streets = {r.key: r for r in figures.streets}
    assert [r.key for r in figures.streets] == [STREET1, STREET2]
    assert streets[STREET1].label == "解放碑街道" and streets[STREET2].label == "七星岗街道"
    assert cells(streets[STREET1]) == [(3, 2), (5, 2), (6, 4)]
    assert cells(streets[STREET2]) == [(1, 0), (2, 1), (2, 1)]
    assert cells(figures.total) == [(4, 2), (7, 3), (8, 5)]

    departments = {r.label: r for r in figures.departments}
    assert set(departments) == {"商务", "住建", "文旅"}
    assert cells(departments["商务"]) == [(2, 2), (4, 2), (4, 3)]
    assert cells(departments["住建"]) == [(1, 0), (1, 0), (2, 1)]
    assert cells(departments["文旅"]) == [(1, 0), (2, 1), (2, 1)]
    order = [Department.objects.get(short_name=r.label).sort_order for r in figures.departments]
    assert order == sorted(order)

    s1 = streets[STREET1].cells
    assert s1[0].share == pytest.approx(2 / 3) and s1[1].share == pytest.approx(0.4)
    assert s1[2].percent == 66.6  # rounded down: 66.67 % does not show as 66.7
    assert streets[STREET2].cells[0].percent == 0.0


def test_targets_are_met_with_exact_arithmetic(register):
    figures = bd.burndown(Hazard.objects.all(), DATES)
    s1 = {r.key: r for r in figures.streets}[STREET1].cells
    assert s1[0].meets(50) is True and s1[0].meets(67) is False  # 2/3
    assert s1[1].meets(40) is True and s1[1].meets(41) is False  # 2/5, exactly 40 %
    assert s1[2].meets(None) is None
    assert bd.Cell(D1, 0, 0).meets(100) is True and bd.Cell(D1, 0, 0).share is None
    assert bd.Cell(D1, 3, 3).meets(100) is True


def test_nothing_logged_by_the_last_date_leaves_no_rows(register):
    figures = bd.burndown(Hazard.objects.all(), [D(2025, 12, 31)])
    assert figures.streets == [] and figures.departments == []
    assert cells(figures.total) == [(0, 0)]


def test_one_grouped_query_whatever_the_rows(register, django_assert_num_queries):
    # the counts, the street names, the departments
    with django_assert_num_queries(3):
        bd.burndown(Hazard.objects.all(), DATES)


def test_scope_street_officer_department_officer_unit(register, users):
    def streets_and_total(user):
        figures = bd.burndown(Hazard.objects.visible_to(user, "view"), DATES)
        return [r.key for r in figures.streets], cells(figures.total)

    assert streets_and_total(users["street_officer"]) == (
        [STREET1], [(3, 2), (5, 2), (6, 4)])
    assert streets_and_total(users["department_officer"]) == (  # 商务: the mall only
        [STREET1], [(2, 2), (4, 2), (4, 3)])
    assert streets_and_total(users["unit_manager"]) == (  # the unit manages the mall
        [STREET1], [(2, 2), (4, 2), (4, 3)])
    assert streets_and_total(users["nobody"]) == ([], [(0, 0), (0, 0), (0, 0)])


def test_a_reopened_hazard_counts_as_not_closed_for_every_date(register, users, today):
    figures = bd.burndown(Hazard.objects.all(), DATES)
    assert cells(figures.total) == [(4, 2), (7, 3), (8, 5)]
    services.transition(users["street_officer"], register["a"], lifecycle.REOPEN,
                         deadline=today + datetime.timedelta(days=10), note="反弹")
    reopened = Hazard.objects.get(pk=register["a"].pk)
    assert reopened.closed_on is None and reopened.reopen_count == 1
    figures = bd.burndown(Hazard.objects.all(), DATES)
    assert cells(figures.total) == [(4, 1), (7, 2), (8, 4)]


def test_default_targets_follow_the_campaign_year():
    assert bd.default_targets(D(2026, 11, 23)) == [
        (D(2025, 12, 31), 50), (D(2026, 6, 30), 80), (D(2026, 11, 30), 100)]
    assert bd.default_targets(D(2026, 11, 30)) == bd.default_targets(D(2026, 1, 1))
    assert bd.default_targets(D(2026, 12, 1)) == [
        (D(2026, 12, 31), 50), (D(2027, 6, 30), 80), (D(2027, 11, 30), 100)]
    assert [t.percent for t in bd.SEED_TARGETS] == [50, 80, 100]


def test_too_many_or_no_dates_are_refused(db):
    with pytest.raises(ValueError):
        bd.burndown(Hazard.objects.all(), [])
    with pytest.raises(ValueError):
        bd.burndown(Hazard.objects.all(), [D(2026, m, 1) for m in range(1, 6)])


# ----- the page ---------------------------------------------------------------------------

URL = "/hazards/burndown/"


def test_route():
    assert reverse("hazards:burndown") == URL


def test_page_needs_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_page_defaults_to_the_seed_targets(login, users, register):
    response = login(users["district_office"]).get(URL)
    assert response.status_code == 200
    figures = response.context["figures"]
    assert [(c["on"], c["target"]) for c in response.context["columns"]] == \
        bd.default_targets(response.context["today"])
    assert figures is not None


def test_page_with_dates_shows_shares_against_targets(login, users, register):
    client = login(users["district_office"])
    response = client.get(URL, {"on_1": "2026-01-31", "target_1": "50",
                                "on_2": "2026-03-31", "target_2": "80",
                                "on_3": "2026-06-30", "target_3": ""})
    assert response.status_code == 200
    streets, departments = response.context["tables"]
    by_key = {row["key"]: row for row in streets["rows"]}
    assert [item["met"] for item in by_key[STREET1]["cells"]] == [True, False, None]
    assert [item["met"] for item in by_key[STREET2]["cells"]] == [False, False, None]
    total = streets["rows"][-1]
    assert total["is_total"] and [(i["cell"].logged, i["cell"].closed)
                                  for i in total["cells"]] == [(4, 2), (7, 3), (8, 5)]
    assert departments["rows"][-1]["is_total"]
    html = response.content.decode()
    # met: street 1 and 商务 (2/2) at D1, and the total at D1 (2/4 = 50 %) in both tables
    assert html.count('data-met="yes"') == 4
    assert 'class="badge burndown-share bg-red' in html
    assert "66.6%" in html and "2 / 3" in html


def test_page_is_scoped(login, users, register):
    response = login(users["street_officer"]).get(URL, {"on_1": "2026-06-30",
                                                        "target_1": "80"})
    streets = response.context["tables"][0]["rows"]
    assert [row["key"] for row in streets] == [STREET1, "total"]
    assert "七星岗街道" not in response.content.decode()


@pytest.mark.parametrize("params, field", [
    ({"target_1": "50"}, "on_1"),  # a target without its date
    ({"on_1": "2026-01-31", "target_1": "150"}, "target_1"),
    ({"on_1": "2026-01-31", "on_2": "2026-01-31"}, "on_2"),
    ({"on_1": "not a date"}, "on_1"),
])
def test_page_refuses_bad_input(login, users, register, params, field):
    response = login(users["district_office"]).get(URL, params)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert response.context["figures"] is None


def test_page_labels_chinese_and_english(login, users, register):
    client = login(users["district_office"])
    params = {"on_1": "2026-06-30", "target_1": "80"}
    zh = client.get(URL, params).content.decode()
    assert "解放碑街道" in zh and "七星岗街道" in zh and "商务" in zh and "住建" in zh
    assert 'lang="zh-hans"' in zh
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get(URL, params).content.decode()
    assert 'lang="en"' in en
    for text in ("Rectification progress", "By street", "By industry department", "Total",
                 "target 80%", "Campaign defaults"):
        assert text in en
    assert "解放碑街道" in en  # names are data: Chinese in both languages
