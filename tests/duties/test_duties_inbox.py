"""The inbox's duties sections: inspections due (grid workers, street officers) and overdue
work-station duties (street officers)."""

import datetime as dt

import time_machine
from django.urls import reverse

from fireledger.duties import queries, services
from fireledger.hazards.inbox import sections

from duties_builders import grade, inspect

TODAY = dt.date(2026, 11, 23)


def _by_key(user):
    return {s.key: s for s in sections(user, TODAY)}


def test_inspections_due_in_scope(users, places, duty_data):
    grade(places["mall"], "red")
    inspect(places["mall"], dt.date(2026, 10, 31))  # due 30 Nov: within two weeks
    inspect(places["compound"], dt.date(2026, 6, 1))  # due 2027: not shown
    street = _by_key(users["street_officer"])["inspections_due"]
    assert [p.name for p in street.rows] == ["解放碑时代广场"]
    assert street.rows[0].due_on == dt.date(2026, 11, 30)
    grid = _by_key(users["grid_worker"])["inspections_due"]
    assert [p.name for p in grid.rows] == ["解放碑时代广场"]
    # the compound is outside the grid worker's grid
    inspect(places["mall"], dt.date(2026, 11, 20))
    assert _by_key(users["grid_worker"])["inspections_due"].count == 0
    assert "inspections_due" not in _by_key(users["unit_manager"])
    assert "inspections_due" not in _by_key(users["district_office"])


def test_duties_overdue_for_street_officers(users, tree, duty_data):
    section = _by_key(users["street_officer"])["duties_overdue"]
    assert section.count > 0
    assert {o.station.pk for o in section.rows} == {tree["street1"].pk}
    assert section.rows[0].period.end < TODAY
    assert "duties_overdue" not in _by_key(users["grid_worker"])
    # recording every overdue period clears the section
    for o in queries.overdue_duties([tree["street1"]], TODAY):
        held = o.period.end if o.kind.period != "semester" else o.period.start
        services.record_duty(users["street_officer"], station=o.station, kind=o.kind,
                             held_on=held, summary="补录", today=TODAY)
    assert _by_key(users["street_officer"])["duties_overdue"].count == 0


@time_machine.travel(dt.datetime(2026, 11, 23, 10), tick=False)
def test_inbox_page_renders_the_sections(login, users, places, duty_data):
    client = login(users["street_officer"])
    body = client.get(reverse("hazards:inbox")).content.decode()
    assert 'id="inbox-inspections_due"' in body
    assert f'{reverse("inspections:start")}?place={places["mall"].pk}' in body
    assert 'id="inbox-duties_overdue"' in body
    assert reverse("duties:record_create", args=[users["street_officer"].assignments.get()
                                                  .jurisdiction_id]) in body
