"""Overdue is a query on dates, never a stored flag."""

import datetime

import pytest

from fireledger.hazards import services
from fireledger.hazards.models import Hazard

DAY = datetime.timedelta(days=1)


@pytest.fixture
def board(places, users, admin_user, log, today, photo):
    """One hazard per status, each due in three days, plus one fixed on the spot."""
    mall = places["mall"]
    due = today + 3 * DAY
    h = {s: log(admin_user, mall, deadline=due) for s in
         ("pending", "rectifying", "awaiting_verification", "closed", "cannot_rectify")}
    services.transition(admin_user, h["rectifying"], "start")
    services.transition(admin_user, h["awaiting_verification"], "report_rectification",
                        measures="x")
    services.transition(admin_user, h["closed"], "report_rectification", measures="x")
    services.transition(users["street_officer"], h["closed"], "verify_pass", photos=[photo()])
    services.transition(admin_user, h["cannot_rectify"], "declare_cannot_rectify",
                        cannot_rectify_reason="结构限制")
    h["on_spot"] = log(admin_user, mall, fixed_on_spot=True)
    for status, hazard in h.items():
        assert hazard.status == ("closed" if status == "on_spot" else status)
    return h


def pks(qs):
    return set(qs.values_list("pk", flat=True))


def test_overdue_only_after_the_deadline_and_only_while_being_rectified(board, today):
    due = today + 3 * DAY
    assert pks(Hazard.objects.overdue(on=due)) == set()  # due today is not overdue yet
    expected = {board[s].pk for s in ("pending", "rectifying", "awaiting_verification")}
    assert pks(Hazard.objects.overdue(on=due + DAY)) == expected
    assert pks(Hazard.objects.overdue(on=due + 400 * DAY)) == expected  # catches up: `<`, not `==`


def test_is_overdue_agrees_with_the_query(board, today):
    for on in (today, today + 3 * DAY, today + 4 * DAY):
        overdue = pks(Hazard.objects.overdue(on=on))
        for hazard in Hazard.objects.all():
            assert hazard.is_overdue(on) == (hazard.pk in overdue)


def test_open_includes_cannot_rectify_but_not_closed(board):
    assert pks(Hazard.objects.open()) == {
        board[s].pk for s in ("pending", "rectifying", "awaiting_verification", "cannot_rectify")}


def test_overdue_composes_with_scope(board, users, today):
    on = today + 10 * DAY
    assert Hazard.objects.visible_to(users["street_officer"]).overdue(on=on).count() == 3
    assert not Hazard.objects.visible_to(users["nobody"]).overdue(on=on).exists()
