"""The draw pages: list, form (403 for those who may not draw, 400 with the service's message),
a draw's page (404 out of scope) and its reproduce button."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from fireledger.inspections import services_draws as sd
from fireledger.inspections.models import RandomDraw

from draw_builders import district_places, inspectors


@pytest.fixture
def world(tree, unit, admin_user, users):
    return {"inspectors": inspectors(tree),
            "places": district_places(admin_user, tree, unit)}


def form_data(tree, **extra):
    data = {"jurisdiction": tree["district"].pk, "mode": "grade", "team": 2, "seed": "view-seed",
            "inspector_roles": ["district_office", "street_officer"]}
    for stratum in sd.grade_strata():
        data[f"ratio_{stratum}"] = "100" if stratum.startswith("red") else "0"
    for stratum in sd.CAMPAIGN_RATIOS:
        data[f"ratio_{stratum}"] = "10"
    data.update(extra)
    return data


def test_who_sees_the_form(world, users, login):
    url = reverse("inspections:draw_new")
    assert login(users["district_office"]).get(url).status_code == 200
    assert login(users["street_officer"]).get(url).status_code == 200
    assert login(users["grid_worker"]).get(url).status_code == 403
    assert login(users["nobody"]).get(url).status_code == 403


def test_draw_from_the_form_then_reproduce(world, users, login, tree):
    client = login(users["district_office"])
    response = client.post(reverse("inspections:draw_new"), form_data(tree))
    draw = RandomDraw.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("inspections:draw_detail", args=[draw.pk])
    assert draw.seed == "view-seed" and draw.drawn_count == 2
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "view-seed" in html and 'id="draw-pool-size"' in html
    assert html.count('class="drawn-row"') == 2
    reproduced = client.post(reverse("inspections:draw_reproduce", args=[draw.pk]))
    assert reproduced.status_code == 200
    assert 'data-identical="yes"' in reproduced.content.decode()
    listing = client.get(reverse("inspections:draw_list")).content.decode()
    assert reverse("inspections:draw_detail", args=[draw.pk]) in listing


def test_bad_ratio_is_400_and_names_the_field(world, users, login, tree):
    client = login(users["district_office"])
    response = client.post(reverse("inspections:draw_new"),
                           form_data(tree, **{"ratio_red/crowded": "150"}))
    assert response.status_code == 400
    assert not RandomDraw.objects.exists()
    assert "is-invalid" in response.content.decode()


def test_not_enough_inspectors_shows_the_service_message(world, users, login, tree):
    client = login(users["district_office"])
    response = client.post(reverse("inspections:draw_new"),
                           form_data(tree, inspector_roles=["grid_worker"]))
    assert response.status_code == 400
    assert 'id="draw-errors"' in response.content.decode()
    assert not RandomDraw.objects.exists()


def test_out_of_scope_draw_is_404(world, users, login, tree):
    draw = sd.make_draw(users["district_office"], tree["district"],
                        ratios={"red/crowded": 100})
    street = login(users["street_officer"])
    assert street.get(reverse("inspections:draw_detail", args=[draw.pk])).status_code == 404
    assert street.post(reverse("inspections:draw_reproduce",
                               args=[draw.pk])).status_code == 404


def test_a_drawn_inspector_finds_the_draft_in_the_inbox(world, users, login, tree):
    draw = sd.make_draw(users["district_office"], tree["district"],
                        ratios={"red/crowded": 100}, inspector_roles=["street_officer"])
    dp = draw.places.order_by("order").first()
    second = dp.inspectors.get(position=2).user
    html = login(second).get(reverse("hazards:inbox")).content.decode()
    assert reverse("inspections:edit", args=[dp.inspection_id]) in html \
        or reverse("inspections:detail", args=[dp.inspection_id]) in html
    assert login(second).get(reverse("inspections:edit",
                                     args=[dp.inspection_id])).status_code == 200
    with translation.override("zh-hans"):
        label = gettext("random inspection")
    listing = login(second).get(reverse("inspections:list"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert listing.status_code == 200 and label in listing.content.decode()


def test_category_filter_narrows_the_pool(world, users, login, tree):
    client = login(users["district_office"])
    data = form_data(tree, categories=["hotel"])
    for stratum in sd.grade_strata():
        data[f"ratio_{stratum}"] = "100"
    assert client.post(reverse("inspections:draw_new"), data).status_code == 302
    draw = RandomDraw.objects.get()
    assert draw.pool_size == 4 == draw.drawn_count  # the two hotels of each street
    assert set(draw.places.values_list("place__category", flat=True)) == {"hotel"}
