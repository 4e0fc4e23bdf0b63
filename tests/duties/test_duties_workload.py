"""The workload estimate against sums computed by hand."""

import datetime as dt

import pytest
from django.urls import reverse

from fireledger.duties import queries
from fireledger.duties.models import InspectionEffort
from fireledger.places.models import Place

from duties_builders import grade

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def graded(places, duty_data):
    grade(places["mall"], "red")  # 12 a year × 120 min (mall)
    grade(places["hotel"], "orange")  # 4 a year × 90 min (hotel)
    # the compound stays ungraded: the yearly baseline, 1 × 60 min (old compound)
    return places


def test_per_street(graded, tree):
    result = queries.workload(Place.objects.all(), TODAY, hours_per_year=1600)
    rows = {r.label: r for r in result.rows}
    s1, s2 = rows["解放碑街道"], rows["七星岗街道"]
    assert (s1.places, s1.per_year, s1.minutes, s1.hours) == (2, 13, 12 * 120 + 60, 25)
    assert (s2.places, s2.per_year, s2.minutes, s2.hours) == (1, 4, 360, 6)
    assert (result.total.places, result.total.per_year, result.total.hours) == (3, 17, 31)
    assert result.total.fte == pytest.approx(31 / 1600)


def test_per_grid_within_a_street(graded, tree):
    street = tree["street1"]
    places = queries.in_jurisdiction(Place.objects.all(), street)
    result = queries.workload(places, TODAY, street=street, hours_per_year=100)
    rows = {r.key: r for r in result.rows}
    assert rows[tree["grid111"].code].hours == 24
    assert rows[tree["community12"].code].hours == 1
    assert result.total.fte == pytest.approx(25 / 100)
    assert rows[tree["grid111"].code].label == tree["grid111"].label


def test_minutes_are_data(graded):
    InspectionEffort.objects.filter(category="mall").update(minutes=30)
    InspectionEffort.objects.filter(category="old_compound").delete()  # falls back to "other"
    InspectionEffort.objects.filter(category="").update(minutes=120)
    result = queries.workload(Place.objects.all(), TODAY)
    assert result.total.minutes == 12 * 30 + 120 + 4 * 90


def test_view(login, users, graded, tree):
    client = login(users["district_office"])
    response = client.get(reverse("duties:workload"), {"hours": "1000"})
    assert response.status_code == 200
    result = response.context["result"]
    assert result.total.hours == 31 and result.total.fte == pytest.approx(0.031)
    response = client.get(reverse("duties:workload"), {"street": tree["street1"].pk})
    assert response.context["result"].total.hours == 25
    # a street officer's workload is their street's
    response = login(users["street_officer"]).get(reverse("duties:workload"))
    assert response.context["result"].total.hours == 25
