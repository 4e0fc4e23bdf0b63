"""A random draw in a browser: the district office draws (two inspectors per place are left
after recusal), reads the list, presses reproduce (identical), draws again with the same seed
(the same list); a drawn inspector finds the random inspection in the inbox and opens it."""

import sys
from pathlib import Path

import pytest
from django.urls import reverse

from fireledger.inspections.models import DrawnPlace, RandomDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "inspections"))
from draw_builders import district_places, inspectors  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
             "is_mobile": True, "has_touch": True}


def drawn_rows(page):
    rows = page.locator("#drawn-table tr.drawn-row")
    return [(rows.nth(n).get_attribute("data-place"), rows.nth(n).get_attribute("data-inspectors"))
            for n in range(rows.count())]


def draw_with_seed(page, tree, seed):
    page.goto(reverse("inspections:draw_new"))
    page.select_option("#id_jurisdiction", str(tree["district"].pk))
    page.fill("#id_seed", seed)
    with page.expect_navigation():
        page.click("#draw-submit")
    assert "/draws/" in page.url and "/new/" not in page.url, page.inner_text("body")[:500]


def test_draw_reproduce_and_the_inspectors_draft(new_page, log_in, users, tree, unit,
                                                 admin_user, screenshots_dir):
    people = inspectors(tree)
    district_places(admin_user, tree, unit)
    page = log_in(new_page(), users["district_office"], next=reverse("inspections:draw_new"))
    page.screenshot(path=str(screenshots_dir / "draw-form.png"), full_page=True)
    draw_with_seed(page, tree, "browser-seed")
    first = drawn_rows(page)
    assert len(first) == 2  # default ratios: ceil(5 %) of the red and the ungraded malls/hotels
    assert all(len(team.split(",")) == 2 for _, team in first)
    assert page.inner_text("#draw-seed") == "browser-seed"
    page.screenshot(path=str(screenshots_dir / "draw-detail.png"), full_page=True)

    page.click("#draw-reproduce")
    page.wait_for_selector("#reproduce-result")
    assert page.get_attribute("#reproduce-result", "data-identical") == "yes"
    assert drawn_rows(page) == first
    page.screenshot(path=str(screenshots_dir / "draw-reproduced.png"), full_page=True)

    draw_with_seed(page, tree, "browser-seed")
    assert drawn_rows(page) == first
    assert RandomDraw.objects.count() == 2

    dp = DrawnPlace.objects.filter(draw=RandomDraw.objects.order_by("pk").first()) \
        .order_by("order").first()
    second = dp.inspectors.get(position=2).user
    assert second.pk in {p.pk for p in people.values()} | {users["district_office"].pk}
    phone = log_in(new_page(**PHONE_390), second, next=None)
    link = phone.locator(f"a[href*='/inspections/{dp.inspection_id}/']").first
    assert link.count() == 1
    phone.screenshot(path=str(screenshots_dir / "draw-inbox-phone.png"), full_page=True)
    with phone.expect_navigation():
        link.click()
    assert f"/inspections/{dp.inspection_id}/" in phone.url
    phone.screenshot(path=str(screenshots_dir / "draw-inspection-phone.png"), full_page=True)

    district_phone = log_in(new_page(**PHONE_390), users["district_office"],
                            next=reverse("inspections:draw_detail", args=[dp.draw_id]))
    district_phone.screenshot(path=str(screenshots_dir / "draw-detail-phone.png"),
                              full_page=True)
