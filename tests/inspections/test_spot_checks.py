"""Seed 003's joint-inspection spot-check ratios per street: exact shares at the 10 % and 5 %
boundaries; drafts, other kinds, other years and places inspected twice; scope; the page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fireledger.inspections import spot_checks as sc
from fireledger.inspections.choices import Kind, Status
from fireledger.places.models import Place
from records_builders import high_rise, inspection

D = datetime.date
YEAR = 2025
START, END = sc.year_period(YEAR)
STREET1, STREET2 = "500103001", "500103002"  # 解放碑街道, 七星岗街道 in tests/conftest.py


@pytest.fixture
def ledger(tree):
    """Street 1: 10 public (1 checked: 10 %), 20 residential (1 checked: 5 %).
    Street 2: 10 public (none checked: 0 %), 21 residential (1 checked: 4.7 %).
    Plus inspections that must not count, and a low building that must not count."""
    public1 = high_rise(tree["community11"], 10, name="解放碑公共")
    residential1 = high_rise(tree["grid121"], 20, residential=True, name="解放碑住宅")
    public2 = high_rise(tree["community21"], 10, name="七星岗公共")
    residential2 = high_rise(tree["street2"], 21, residential=True, name="七星岗住宅")

    # Counted: the first day of the year; the same place again on the last day counts once.
    inspection(public1[0], inspected_on=D(YEAR, 1, 1))
    inspection(public1[0], inspected_on=D(YEAR, 12, 31))
    inspection(residential1[0], inspected_on=D(YEAR, 6, 30))
    inspection(residential2[5], inspected_on=D(YEAR, 12, 31))
    # Not counted: a draft, other kinds, the day before and the day after the year.
    inspection(public1[1], status=Status.DRAFT, inspected_on=D(YEAR, 5, 1))
    inspection(public1[2], kind=Kind.SWEEP, inspected_on=D(YEAR, 5, 1))
    inspection(public1[3], kind=Kind.RANDOM, inspected_on=D(YEAR, 5, 1))
    inspection(public2[0], inspected_on=D(YEAR - 1, 12, 31))
    inspection(public2[1], inspected_on=D(YEAR + 1, 1, 1))
    inspection(residential1[1], kind=Kind.DEPARTMENT, inspected_on=D(YEAR, 3, 1))
    # A public building below high-rise height, jointly inspected: in no count.
    low = Place.objects.create(code="LOW0001", name="低层商铺", category="mall",
                               jurisdiction=tree["community11"],
                               jurisdiction_code=tree["community11"].code, height_m=12)
    inspection(low, inspected_on=D(YEAR, 5, 1))
    return {"public1": public1, "residential1": residential1, "public2": public2,
            "residential2": residential2}


def ratios(row):
    return ((row.public.total, row.public.checked), (row.residential.total,
                                                     row.residential.checked))


def test_exact_shares_at_the_boundaries(ledger):
    figures = sc.spot_checks(Place.objects.all(), START, END)
    assert [r.key for r in figures.streets] == [STREET1, STREET2]
    street1, street2 = figures.streets
    assert street1.label == "解放碑街道" and street2.label == "七星岗街道"
    assert street1.code == "500103001000"

    assert ratios(street1) == ((10, 1), (20, 1))
    assert street1.public.percent == 10.0 and street1.public.meets is True  # 1 of 10 = 10 %
    assert street1.residential.percent == 5.0 and street1.residential.meets is True  # 1 of 20

    assert ratios(street2) == ((10, 0), (21, 1))
    assert street2.public.percent == 0.0 and street2.public.meets is False  # 0 of 10
    assert street2.residential.percent == 4.7 and street2.residential.meets is False  # 1 of 21

    assert ratios(figures.total) == ((20, 1), (41, 2))
    assert figures.total.public.meets is False  # 5 %
    assert figures.total.residential.meets is False  # 2 of 41 = 4.87 %


def test_targets_are_the_seeds():
    assert sc.PUBLIC_TARGET_PERCENT == 10
    assert sc.RESIDENTIAL_TARGET_PERCENT == 5
    assert "高层公共建筑抽查率不低于10%、住宅建筑不低于5%" in sc.__doc__


def test_ratio_arithmetic():
    assert sc.Ratio(11, 1, 10).percent == 9.0 and sc.Ratio(11, 1, 10).meets is False
    # 999 of 10,000 is 9.99 %: shown rounded down, and it misses 10 % (no rounding up).
    assert sc.Ratio(10_000, 999, 10).percent == 9.9 and sc.Ratio(10_000, 999, 10).meets is False
    assert sc.Ratio(10_000, 1000, 10).meets is True
    assert sc.Ratio(0, 0, 10).percent is None and sc.Ratio(0, 0, 10).meets is None
    assert sc.Ratio(0, 0, 10).share is None and sc.Ratio(4, 1, 5).share == 0.25


def test_other_years_count_their_own_inspections(ledger):
    figures = sc.spot_checks(Place.objects.all(), *sc.year_period(YEAR + 1))
    street2 = {r.key: r for r in figures.streets}[STREET2]
    assert ratios(street2) == ((10, 1), (21, 0))  # the joint inspection of 1 January


def test_mixed_use_counts_as_public(tree):
    place = high_rise(tree["community11"], 1)[0]
    Place.objects.filter(pk=place.pk).update(building_use="mixed")
    inspection(place, inspected_on=D(YEAR, 4, 1))
    (row,) = sc.spot_checks(Place.objects.all(), START, END).streets
    assert ratios(row) == ((1, 1), (0, 0))
    assert row.residential.meets is None


def test_scope_is_the_users_places(ledger, users):
    street_officer = users["street_officer"]  # 解放碑街道
    figures = sc.spot_checks(Place.objects.visible_to(street_officer, "view"), START, END)
    assert [r.key for r in figures.streets] == [STREET1]
    # The department officer sees the places of his department's industry: none of these.
    figures = sc.spot_checks(Place.objects.visible_to(users["department_officer"], "view"),
                             START, END)
    assert figures.streets == [] and ratios(figures.total) == ((0, 0), (0, 0))
    assert sc.spot_checks(Place.objects.visible_to(users["nobody"], "view"),
                          START, END).streets == []


def test_one_query_for_the_counts(ledger, django_assert_num_queries):
    with django_assert_num_queries(2):  # the GROUP BY, the street names
        sc.spot_checks(Place.objects.all(), START, END)


def test_the_page(ledger, users, login, django_assert_max_num_queries):
    client = login(users["street_officer"])
    url = reverse("inspections:spot_checks")
    with django_assert_max_num_queries(6):
        response = client.get(url, {"year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    assert "解放碑街道" in html and "七星岗街道" not in html
    rows = response.context["rows"]
    assert len(rows) == 1  # one street: no total row
    assert rows[0]["ratios"][0].percent == 10.0
    assert 'data-met="yes"' in html and "10.0%" in html and "5.0%" in html

    district = login(users["district_office"]).get(url, {"year": YEAR})
    html = district.content.decode()
    assert "七星岗街道" in html and "spot-checks-total" in html
    assert html.count('data-met="no"') == 4  # street 2 twice, the total twice


def test_the_page_defaults_to_this_year_and_refuses_other_years(ledger, users, login):
    client = login(users["district_office"])
    url = reverse("inspections:spot_checks")
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"].cleaned_data["year"] == timezone.localdate().year
    assert client.get(url, {"year": "1999"}).status_code == 400
    assert client.get(url, {"year": "x"}).status_code == 400


def test_the_page_needs_a_login(client):
    response = client.get(reverse("inspections:spot_checks"))
    assert response.status_code == 302 and "/login/" in response["Location"]
