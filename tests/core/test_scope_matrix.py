"""Every role × action on places: list, detail, create, change — 404 outside scope, 403 inside."""

import pytest
from django.urls import reverse

from fireledger.places.models import Place

# Which of the three fixture places each role sees.
SEES = {
    "district_office": {"mall", "compound", "hotel"},
    "department_officer": {"mall"},  # 商务's industry only
    "street_officer": {"mall", "compound"},  # 解放碑街道
    "grid_worker": {"mall"},  # grid 1-1-1
    "unit_manager": {"mall"},  # the unit manages the mall
    "nobody": set(),
}
CHANGES = {
    "district_office": {"mall", "compound", "hotel"},
    "department_officer": {"mall"},
    "street_officer": {"mall", "compound"},
    "grid_worker": {"mall"},
    "unit_manager": set(),
    "nobody": set(),
}
CREATES = {"district_office", "street_officer", "grid_worker"}


@pytest.mark.parametrize("role", SEES)
def test_list_shows_only_scope(role, users, places, login):
    client = login(users[role])
    response = client.get(reverse("places:list"))
    assert response.status_code == 200
    shown = {key for key, place in places.items() if place.name in response.content.decode()}
    assert shown == SEES[role]
    assert set(Place.objects.visible_to(users[role], "view").values_list("name", flat=True)) == {
        places[k].name for k in SEES[role]}


@pytest.mark.parametrize("role", SEES)
@pytest.mark.parametrize("key", ["mall", "compound", "hotel"])
def test_detail_404_outside_scope(role, key, users, places, login):
    response = login(users[role]).get(reverse("places:detail", args=[places[key].pk]))
    assert response.status_code == (200 if key in SEES[role] else 404)


@pytest.mark.parametrize("role", SEES)
@pytest.mark.parametrize("key", ["mall", "compound", "hotel"])
def test_change_403_when_visible_but_not_changeable(role, key, users, places, login):
    response = login(users[role]).get(reverse("places:edit", args=[places[key].pk]))
    if key not in SEES[role]:
        assert response.status_code == 404
    elif key in CHANGES[role]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", SEES)
def test_create_page(role, users, login):
    response = login(users[role]).get(reverse("places:create"))
    assert response.status_code == (200 if role in CREATES else 403)


@pytest.mark.parametrize("role", sorted(CREATES))
def test_create_outside_scope_is_refused(role, users, tree, login):
    """Posting a jurisdiction outside the user's scope is a form error, nothing is saved."""
    client = login(users[role])
    target = tree["grid211"]  # 七星岗街道: outside every creating role except the district office
    response = client.post(reverse("places:create"), {
        "name": "越界场所", "category": "nine_small", "building_use": "public",
        "jurisdiction": target.pk,
    })
    saved = Place.objects.filter(name="越界场所").exists()
    if role == "district_office":
        assert response.status_code == 302 and saved
    else:
        assert response.status_code == 200 and not saved


def test_anonymous_redirected_to_login(client, places):
    response = client.get(reverse("places:list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
