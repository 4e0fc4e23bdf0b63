"""The burn-down page in a browser: the district office opens it (the seed's targets by
default), changes the dates, and reads the shares per street and per department."""

import datetime

import pytest
from django.utils import timezone

from fireledger.hazards import lifecycle, seeding
from fireledger.hazards.models import Hazard, HazardCategory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def make_register(places, admin_user):
    category = HazardCategory.objects.get(code="hr.03.1")

    def hazard(place, found, closed=None, status=lifecycle.CLOSED):
        return Hazard(place=places[place], category=category, description="疏散通道堆放杂物",
                      found_on=days_ago(found), found_by=admin_user, status=status,
                      closed_on=days_ago(closed) if closed is not None else None,
                      deadline=days_ago(found - 10), measures="已清理",
                      rectification_reported_on=days_ago(closed) if closed is not None else None)

    seeding.bulk_create_hazards(admin_user, [
        hazard("mall", 90, 80),  # 解放碑街道, 商务
        hazard("mall", 70, status=lifecycle.RECTIFYING),
        hazard("compound", 40, 30),  # 解放碑街道, 住建
        hazard("hotel", 60, status=lifecycle.PENDING),  # 七星岗街道, 文旅
        hazard("hotel", 20, 10),
    ])


def test_district_office_changes_the_dates(new_page, phone_page, log_in, users, places,
                                           admin_user, screenshots_dir):
    make_register(places, admin_user)
    page = log_in(new_page(), users["district_office"])
    page.goto("/hazards/burndown/")
    # The seed's three targets by default: 50 %, 80 %, 100 %.
    assert [page.input_value(f"#id_target_{i}") for i in (1, 2, 3, 4)] == ["50", "80", "100", ""]
    assert page.locator("#burndown-streets").count() == 1

    # One date, 35 days ago, target 50 %.
    on = days_ago(35)
    page.fill("#id_on_1", on.isoformat())
    page.fill("#id_target_1", "50")
    for i in (2, 3):
        page.fill(f"#id_on_{i}", "")
        page.fill(f"#id_target_{i}", "")
    with page.expect_navigation():
        page.click("#burndown-submit")
    assert f"on_1={on.isoformat()}" in page.url

    streets = page.locator("#burndown-streets")
    assert streets.locator("thead th").nth(1).get_attribute("data-date") == on.isoformat()
    rows = streets.locator("tbody tr")
    assert rows.count() == 3  # two streets and the total
    first = rows.nth(0).inner_text()
    assert "解放碑街道" in first and "33.3%" in first and "1 / 3" in first
    second = rows.nth(1).inner_text()
    assert "七星岗街道" in second and "0.0%" in second and "0 / 1" in second
    total = streets.locator("tr.burndown-total").inner_text()
    assert "25.0%" in total and "1 / 4" in total
    assert streets.locator('.burndown-share[data-met="no"]').count() == 3
    departments = page.locator("#burndown-departments").inner_text()
    assert "商务" in departments and "住建" in departments and "文旅" in departments

    # A 30 % target is met by 解放碑街道 (33.3 %) only.
    page.fill("#id_target_1", "30")
    with page.expect_navigation():
        page.click("#burndown-submit")
    met = page.locator('#burndown-streets .burndown-share[data-met="yes"]')
    assert met.count() == 1
    page.screenshot(path=str(screenshots_dir / "burndown-desktop.png"), full_page=True)

    # A target without its date is refused on the field; the page says so.
    page.fill("#id_target_2", "80")
    with page.expect_navigation():
        page.click("#burndown-submit")
    assert page.locator("#burndown-form .invalid-feedback").count() == 1
    assert page.locator("#burndown-streets").count() == 0

    # On a phone: the street officer's own street, the campaign's default dates.
    page = log_in(phone_page, users["street_officer"])
    page.goto("/hazards/burndown/")
    streets = page.locator("#burndown-streets")
    assert "七星岗街道" not in streets.inner_text()
    assert streets.locator("tbody tr").count() == 2  # 解放碑街道 and the total
    page.screenshot(path=str(screenshots_dir / "burndown-phone.png"), full_page=True)
