"""Hazard.objects.visible_to per role and action, and the same rule in may_transition."""

import pytest

from fireledger.hazards.models import Hazard
from fireledger.hazards.services import may_transition

# role → action → the places whose hazards it selects (mall: grid 1-1-1, 商务, managed by the
# unit; compound: community 1-2, 住建; hotel: street 2, 文旅).
EXPECTED = {
    "district_office": {"view": {"mall", "compound", "hotel"},
                        "change": {"mall", "compound", "hotel"},
                        "delete": {"mall", "compound", "hotel"}},
    "department_officer": {"view": {"mall"}, "change": {"mall"}, "delete": set()},
    "street_officer": {"view": {"mall", "compound"}, "change": {"mall", "compound"},
                       "delete": set()},
    "grid_worker": {"view": {"mall"}, "change": {"mall"}, "delete": set()},
    "unit_manager": {"view": {"mall"}, "change": set(), "delete": set()},
    "nobody": {"view": set(), "change": set(), "delete": set()},
}


@pytest.fixture
def hazards(places, admin_user, log):
    return {name: log(admin_user, place) for name, place in places.items()}


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("action", ["view", "change", "delete"])
def test_visible_to(hazards, users, role, action):
    names = {h.pk: n for n, h in hazards.items()}
    got = {names[pk] for pk in Hazard.objects.visible_to(users[role], action)
           .values_list("pk", flat=True)}
    assert got == EXPECTED[role][action]


def test_superuser_sees_everything_and_anonymous_nothing(hazards, admin_user):
    from django.contrib.auth.models import AnonymousUser

    assert Hazard.objects.visible_to(admin_user).count() == 3
    assert not Hazard.objects.visible_to(AnonymousUser()).exists()


def test_unit_scope_follows_the_places_units(hazards, users, places, unit):
    """A unit manager sees a hazard by any of the place's three unit roles."""
    from fireledger.places import services as place_services

    place_services.change_place(users["district_office"], places["compound"], occupant=unit)
    got = set(Hazard.objects.visible_to(users["unit_manager"]).values_list("pk", flat=True))
    assert got == {hazards["mall"].pk, hazards["compound"].pk}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_may_transition_agrees_with_the_change_scope(hazards, users, role):
    changeable = set(Hazard.objects.visible_to(users[role], "change"))
    viewable_units = set(Hazard.objects.visible_to(users[role], "view")) \
        if role == "unit_manager" else set()
    for hazard in Hazard.objects.select_related("place"):
        assert may_transition(users[role], hazard, "verify_pass") == (hazard in changeable)
        assert may_transition(users[role], hazard, "report_rectification") == (
            hazard in changeable or hazard in viewable_units)


def test_scope_is_one_query(hazards, users, django_assert_num_queries):
    user = users["unit_manager"]
    with django_assert_num_queries(2):  # the user's assignments (then cached), the hazards
        list(Hazard.objects.visible_to(user))
