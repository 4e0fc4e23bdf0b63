"""Rule resolution and the due-inspection queue (dates computed in SQL, on SQLite and PG)."""

import datetime as dt

import pytest
from django.urls import reverse

from fireledger.duties import queries
from fireledger.duties.choices import Basis
from fireledger.duties.models import FrequencyRule
from fireledger.hazards.models import HazardCategory, ListedSupervision
from fireledger.hazards.services import log_hazard
from fireledger.inspections.choices import Kind, Status
from fireledger.places.choices import Category, ListedBy
from fireledger.places.models import Place

from duties_builders import grade, inspect

D = dt.date
TODAY = D(2026, 11, 23)


def _rows(today=TODAY, places=None, **kwargs):
    qs = Place.objects.all() if places is None else places
    return {p.name: p for p in queries.due_queue(qs, today, **kwargs)}


def _rule(row):
    return FrequencyRule.objects.get(pk=row.rule_id)


def test_ungraded_place_gets_the_annex_baseline(places, duty_data):
    row = _rows()["解放碑时代广场"]
    assert row.grade is None
    assert _rule(row).basis == Basis.STATION_BASELINE
    assert row.interval_months == 12


@pytest.mark.parametrize("value, months", [("red", 1), ("orange", 3), ("yellow", 6), ("blue", 12)])
def test_grade_rules(places, duty_data, value, months):
    grade(places["mall"], value)
    row = _rows()["解放碑时代广场"]
    assert row.interval_months == months
    # blue ties with the yearly baseline: the grade rule is tried first and shown
    assert _rule(row).basis == Basis.GRADE


def test_category_rule_wins_when_more_frequent(places, duty_data):
    FrequencyRule.objects.create(basis=Basis.GRADE, grade="yellow", category=Category.MALL,
                                 interval_months=2, valid_from=D(2026, 1, 1))
    grade(places["mall"], "yellow")
    grade(places["hotel"], "yellow")
    rows = _rows()
    assert rows["解放碑时代广场"].interval_months == 2
    assert _rule(rows["解放碑时代广场"]).category == Category.MALL
    assert rows["七星岗宾馆"].interval_months == 6


def test_rules_not_in_force_are_ignored(places, duty_data):
    FrequencyRule.objects.create(basis=Basis.GRADE, grade="yellow", interval_months=2,
                                 valid_from=D(2027, 1, 1))
    FrequencyRule.objects.create(basis=Basis.GRADE, grade="yellow", interval_months=2,
                                 valid_from=D(2025, 1, 1), valid_to=D(2025, 12, 31))
    grade(places["mall"], "yellow")
    assert _rows()["解放碑时代广场"].interval_months == 6


def test_places_listed_by_brigade_or_police_are_not_the_stations_duty(places, duty_data):
    Place.objects.filter(pk=places["hotel"].pk).update(listed_by=ListedBy.FIRE_BRIGADE)
    grade(places["hotel"], "red")
    assert "七星岗宾馆" not in _rows()


def test_listed_supervision_is_monthly_even_for_brigade_units(places, duty_data, admin_user):
    hotel = places["hotel"]
    Place.objects.filter(pk=hotel.pk).update(listed_by=ListedBy.POLICE_STATION)
    hazard = log_hazard(admin_user, Place.objects.get(pk=hotel.pk),
                        category=HazardCategory.objects.get(code="hr.03.1"),
                        description="疏散楼梯间堆放杂物", is_major=True,
                        interim_safeguards="专人值守", deadline=TODAY + dt.timedelta(days=30))
    listing = ListedSupervision.objects.create(
        hazard=hazard, jurisdiction_code=hotel.jurisdiction_code, proposed_on=TODAY,
        decision=ListedSupervision.Decision.LISTED)
    row = _rows()["七星岗宾馆"]
    assert (row.interval_months, _rule(row).basis) == (1, Basis.LISTED_SUPERVISION)
    listing.lifted_on = TODAY
    listing.save()
    assert "七星岗宾馆" not in _rows()


def test_due_dates_never_inspected_first_and_month_end(places, duty_data):
    grade(places["mall"], "red")
    inspect(places["mall"], D(2026, 1, 31))
    inspect(places["compound"], D(2026, 1, 31))  # ungraded: yearly
    rows = list(queries.due_queue(Place.objects.all(), TODAY))
    assert [r.name for r in rows] == ["七星岗宾馆", "解放碑时代广场", "新华路12号院"]
    hotel, mall, compound = rows
    assert hotel.last_on is None and hotel.due_on is None  # never inspected: due now
    assert mall.due_on == D(2026, 2, 28)  # 31 Jan + 1 month
    assert compound.due_on == D(2027, 1, 31)


def test_only_submitted_officer_inspections_count(places, duty_data):
    mall = places["mall"]
    inspect(mall, D(2026, 1, 10))
    inspect(mall, D(2026, 6, 1), kind=Kind.SELF)  # the unit's own check
    inspect(mall, D(2026, 7, 1), status=Status.DRAFT)  # not submitted
    inspect(mall, D(2025, 12, 1), kind=Kind.RANDOM)
    row = _rows()["解放碑时代广场"]
    assert row.last_on == D(2026, 1, 10)
    assert row.due_on == D(2027, 1, 10)


def test_window_filters(places, duty_data):
    grade(places["mall"], "orange")
    inspect(places["mall"], D(2026, 9, 10))  # due 2026-12-10: within 30 days of TODAY
    inspect(places["compound"], D(2025, 11, 20))  # due 2026-11-20: overdue
    inspect(places["hotel"], D(2026, 6, 1))  # due 2027-06-01
    assert set(_rows(within_days=0)) == {"新华路12号院"}
    assert set(_rows(within_days=30)) == {"新华路12号院", "解放碑时代广场"}
    assert len(_rows()) == 3


def test_a_page_is_two_queries(places, duty_data, django_assert_num_queries):
    for place in places.values():
        inspect(place, D(2026, 1, 5))
    rules = queries.rules_in_force(TODAY)
    queue = queries.due_queue(Place.objects.all(), TODAY, rules=rules)
    with django_assert_num_queries(2):  # the page's ids and dates, then its places
        rows = queue[1:3]
    assert [r.due_on for r in rows] == [D(2027, 1, 5)] * 2
    with django_assert_num_queries(1):
        assert queue.count() == 3


def test_view_scope_and_links(login, users, places, duty_data, django_assert_max_num_queries):
    client = login(users["street_officer"])
    response = client.get(reverse("duties:due"))
    assert response.status_code == 200
    body = response.content.decode()
    mall = places["mall"]
    assert f'{reverse("inspections:start")}?place={mall.pk}' in body
    assert reverse("places:detail", args=[mall.pk]) in body
    assert "七星岗宾馆" not in body  # another street
    with django_assert_max_num_queries(12):
        client.get(reverse("duties:due"), {"window": "all"})


def test_view_filters(login, users, places, tree, duty_data):
    grade(places["mall"], "red")
    client = login(users["district_office"])
    body = client.get(reverse("duties:due"), {"grade": "red"}).content.decode()
    assert "解放碑时代广场" in body and "新华路12号院" not in body
    body = client.get(reverse("duties:due"), {"grade": "none"}).content.decode()
    assert "解放碑时代广场" not in body and "新华路12号院" in body
    body = client.get(reverse("duties:due"),
                      {"jurisdiction": tree["street2"].pk}).content.decode()
    assert "七星岗宾馆" in body and "新华路12号院" not in body
    # a street outside the grid worker's scope is not a valid choice: no rows
    grid = login(users["grid_worker"])
    response = grid.get(reverse("duties:due"), {"jurisdiction": tree["street2"].pk})
    assert "七星岗宾馆" not in response.content.decode()


def test_unit_manager_may_not_see_the_queue(login, users, places, duty_data):
    assert login(users["unit_manager"]).get(reverse("duties:due")).status_code == 403
