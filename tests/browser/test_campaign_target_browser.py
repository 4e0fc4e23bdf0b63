"""A campaign target in a browser: the district office opens the campaign, then its
"50 % of logged hazards rectified" target, and sees which streets are behind (on a desktop and
on a 390 px phone)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fireledger.campaigns import services as campaign_services
from fireledger.campaigns import services_targets
from fireledger.hazards import services as hazard_services
from fireledger.hazards.models import HazardCategory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
             "is_mobile": True, "has_touch": True}
JIEFANGBEI, QIXINGGANG = "500103001000", "500103002000"


@pytest.fixture
def target(users, tree, places):
    """A district campaign over both streets, started 40 days ago, with "rectified_share ≥ 50 %"
    due in 40 days (today's pace: 25 %). 解放碑街道 has closed both its hazards; 七星岗街道 has
    closed none of its two."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=40)
    office = users["district_office"]
    campaign = campaign_services.create_campaign(
        office, name="高层建筑消防安全专项整治", starts_on=start,
        ends_on=today + datetime.timedelta(days=60), jurisdiction=tree["district"])
    category = HazardCategory.objects.get(code="hr.03.1")

    def log(place, found, **kw):
        return hazard_services.log_hazard(office, places[place], category=category,
                                          description="疏散楼梯间堆放杂物",
                                          found_on=start + datetime.timedelta(days=found), **kw)
    log("mall", 3, rectified_on=start + datetime.timedelta(days=9))
    log("compound", 5, rectified_on=start + datetime.timedelta(days=12))
    log("hotel", 4, deadline=today + datetime.timedelta(days=7))
    log("hotel", 20, deadline=today + datetime.timedelta(days=7))
    return services_targets.add_target(
        office, campaign, text="12月底前完成50%上账隐患整改", metric="rectified_share",
        threshold=50, due_on=today + datetime.timedelta(days=40))


def check_target_page(page):
    streets = page.locator("#target-streets tr.target-row")
    assert streets.count() == 2
    first, second = streets.nth(0), streets.nth(1)
    # Behind first: 七星岗街道 red at 0 %, then 解放碑街道 green at 100 %.
    assert first.get_attribute("data-key") == QIXINGGANG
    assert first.get_attribute("data-colour") == "red"
    assert "七星岗街道" in first.locator(".target-label").inner_text()
    assert first.locator(".target-value").inner_text() == "0.0%"
    assert first.locator(".target-parts").inner_text() == "0 / 2"
    assert "table-danger" in first.get_attribute("class")
    assert second.get_attribute("data-key") == JIEFANGBEI
    assert second.get_attribute("data-colour") == "green"
    assert "解放碑街道" in second.locator(".target-label").inner_text()
    assert second.locator(".target-value").inner_text() == "100.0%"
    # The behind list names 七星岗街道 only among the streets.
    behind = page.locator("#target-behind .target-behind-name").all_inner_texts()
    assert any("七星岗街道" in b for b in behind)
    assert not any("解放碑街道" in b for b in behind)
    # Red badge background on the street behind, green on the other.
    red = first.locator(".target-badge").evaluate("e => getComputedStyle(e).backgroundColor")
    green = second.locator(".target-badge").evaluate("e => getComputedStyle(e).backgroundColor")
    assert red != green
    assert page.locator("#target-overall").inner_text() == "50.0%"
    assert page.locator("#target-pace").inner_text().startswith("25.0%")


def test_district_office_sees_which_streets_are_behind(new_page, log_in, users, target,
                                                       screenshots_dir):
    detail = reverse("campaigns:detail", args=[target.campaign_id])
    page = log_in(new_page(), users["district_office"], next=detail)
    item = page.locator(f"#campaign-targets .target-item[data-target='{target.pk}']")
    assert "12月底前完成50%上账隐患整改" in item.inner_text()
    with page.expect_navigation():
        item.click()
    assert page.url.endswith(reverse("campaigns:target", args=[target.campaign_id, target.pk]))
    check_target_page(page)
    page.screenshot(path=str(screenshots_dir / "campaign-target-desktop.png"), full_page=True)

    # A day before 七星岗街道's second hazard was logged, before anything was closed: the
    # date selector shows both streets red.
    on = target.campaign.starts_on + datetime.timedelta(days=8)
    page.fill("#id_on", on.isoformat())
    with page.expect_navigation():
        page.click("#target-on-submit")
    colours = page.locator("#target-streets tr.target-row").evaluate_all(
        "rows => rows.map(r => r.dataset.colour)")
    assert colours == ["red", "red"]
    assert not page.failed_responses

    # On a 390 px phone: the same order and colours, nothing wider than the screen.
    phone = log_in(new_page(**PHONE_390), users["district_office"],
                   next=reverse("campaigns:target", args=[target.campaign_id, target.pk]))
    check_target_page(phone)
    assert phone.locator("#target-streets tr.target-row .target-label").first.is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    phone.screenshot(path=str(screenshots_dir / "campaign-target-phone.png"), full_page=True)
    assert not phone.failed_responses
