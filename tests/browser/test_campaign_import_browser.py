"""The plan importer through the real pages: the district office pastes seed 003's plan,
reviews what the importer read, adds a rectification target, saves, sees the seven tasks with
their lead units and targets, and opens the target to see which street is behind."""

from pathlib import Path

import pytest
from django.utils import timezone

from fireledger.campaigns.models import Campaign
from fireledger.hazards import services as hazard_services
from fireledger.hazards.models import HazardCategory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "seed003.txt"
PHONE_390 = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
             "is_mobile": True, "has_touch": True}


def test_import_seed_003_review_save_and_see_who_is_behind(
        new_page, log_in, users, places, admin_user, screenshots_dir):
    today = timezone.localdate()
    # Hazards in both streets: 解放碑街道's is closed, 七星岗街道's is not.
    category = HazardCategory.objects.get(code="hr.03.1")
    hazard_services.log_hazard(admin_user, places["mall"], category=category,
                               description="安全出口堵塞", fixed_on_spot=True)
    hazard_services.log_hazard(admin_user, places["hotel"], category=category,
                               description="疏散通道堆放杂物",
                               deadline=today.replace(year=today.year + 1))

    page = log_in(new_page(), users["district_office"], next="/campaigns/")
    with page.expect_navigation():
        page.click("#import-plan")
    page.fill("#id_text", PLAN.read_text(encoding="utf-8"))
    with page.expect_navigation():
        page.click("#read-plan")
    assert "全面除险清患" in page.input_value("#id_c-name")
    assert page.input_value("#id_c-issuer") == "重庆市渝中区人民政府办公室"
    assert page.locator("#tasks .formset-row").count() == 7
    assert page.input_value("#id_tasks-1-lead") == "区商务委"
    page.screenshot(path=str(screenshots_dir / "campaign-review.png"), full_page=False)

    # The plan gives no end date: the reviewer sets it, and the targets' dates.
    end = f"{today.year}-12-31"
    page.fill("#id_c-ends_on", end)
    for due in page.locator("#targets input[name$='-due_on']").all():
        if not due.input_value():
            due.fill(end)
    # A live target the reviewer adds: 50 % of logged hazards closed by the end of the year.
    page.click("#targets .formset-add")
    row = page.locator("#targets .formset-row").last
    row.locator("input[name$='-text']").fill("12月底前完成50%上账隐患整改")
    row.locator("select[name$='-metric']").select_option("rectified_share")
    row.locator("input[name$='-threshold']").fill("50")
    row.locator("input[name$='-unit']").fill("%")
    row.locator("input[name$='-due_on']").fill(end)
    with page.expect_navigation():
        page.click("#save-campaign")
    campaign = Campaign.objects.get()
    assert page.url.endswith(f"/campaigns/{campaign.pk}/"), page.inner_text("body")[:1500]

    tasks = page.locator("#campaign-tasks .task-row")
    assert tasks.count() == 7
    assert "区商务委" in tasks.nth(1).locator(".task-lead").inner_text()
    assert "区住建委" in tasks.nth(3).locator(".task-lead").inner_text()
    body = page.inner_text("body")
    assert "不少于5000人" in body and "12月底前完成50%上账隐患整改" in body
    page.screenshot(path=str(screenshots_dir / "campaign-detail.png"), full_page=True)

    # Open the rectification target: 七星岗街道 is behind, 解放碑街道 is not.
    with page.expect_navigation():
        page.get_by_role("link", name="12月底前完成50%上账隐患整改").click()
    behind = page.inner_text("body")
    assert "七星岗街道" in behind and "解放碑街道" in behind
    phone = log_in(new_page(**PHONE_390), users["district_office"], next=page.url.split(
        page.url.split("/campaigns/")[0])[1])
    phone.screenshot(path=str(screenshots_dir / "campaign-target-imported-phone.png"),
                     full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
