"""A street officer runs the major-hazard determination assistant on a hazard whose findings
meet a direct element, sees the clause cited live and proposes; the district office confirms it
with an expert panel's record (minutes PDF uploaded); the hazard then shows as major."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from fireledger.hazards import services
from fireledger.hazards.models import Determination, Hazard, HazardCategory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_propose_and_confirm_a_major_hazard(new_page, phone_page, log_in, users, places,
                                            screenshots_dir):
    # The rule sets of migration 0007 (an earlier transactional test may have flushed them).
    importlib.import_module("fireledger.hazards.migrations.0007_major_determination").add(
        apps, None)
    category = HazardCategory.objects.get(code="hr.03.1")
    hazard = services.log_hazard(users["street_officer"], places["mall"], category=category,
                                 description="地下一层超市安全出口被封堵，仅余一个出口",
                                 deadline=timezone.localdate() + datetime.timedelta(days=10))

    # The street officer opens the assistant from the hazard page.
    page = log_in(new_page(), users["street_officer"], next=f"/hazards/{hazard.pk}/")
    submit(page, "#determine-link")
    assert page.locator("input[name=place_classes][value=人员密集场所]").is_checked()
    assert page.locator("#result-empty").is_visible()
    # The 2025 rule set is incomplete: a warning, no findings, no proposal.
    submit(page, "#rule-set-GB35181-2025")
    page.wait_for_selector("#incomplete-warning")
    assert page.locator("#propose-button").count() == 0
    assert page.locator("input[name=findings]").count() == 0
    page.screenshot(path=str(screenshots_dir / "determination-2025-incomplete.png"))
    submit(page, "#rule-set-GB35181-2017")

    # Ticking 6.5 updates the proposal live (htmx): a direct determination citing 6.5.
    page.check("#finding-65")
    page.wait_for_selector("#outcome[data-outcome=direct]")
    cited = page.locator("#cited .cited-element[data-code='6.5']")
    assert cited.count() == 1 and "80 %" in cited.inner_text()
    page.fill("#id_note", "现场核实：安全出口数量不足")
    page.screenshot(path=str(screenshots_dir / "determination-assistant.png"))
    submit(page, "#propose-button")
    determination = Determination.objects.get(hazard=hazard)
    assert page.url.endswith(f"/hazards/determinations/{determination.pk}/")
    assert page.locator("#determination-status").get_attribute("class").count("bg-yellow-lt")

    # The district office finds it in the pending list and confirms it on an expert panel.
    office = log_in(new_page(), users["district_office"], next=None)
    assert office.locator("#inbox-determinations .inbox-row").count() == 1
    office.locator("#inbox-determinations").screenshot(
        path=str(screenshots_dir / "determination-inbox.png"))
    office.goto("/hazards/determinations/")
    assert office.locator(".determination-row").count() == 1
    office.screenshot(path=str(screenshots_dir / "determination-list.png"))
    submit(office, ".determination-row")
    office.check("input[name=decision][value=confirm]")
    office.check("input[name=basis][value=expert_panel]")
    office.fill("#id_meeting_on", timezone.localdate().isoformat())
    office.fill("#id_participants", "\n".join(f"专家{i}" for i in range(1, 8)))
    office.fill("#id_experts_agreeing", "6")
    office.fill("#id_minutes", "专家组7人论证，6人同意该场所安全出口数量不足构成重大火灾隐患。")
    office.set_input_files("#id_minutes_file", files=[{
        "name": "专家论证纪要.pdf", "mimeType": "application/pdf",
        "buffer": b"%PDF-1.4\n% minutes\n"}])
    office.screenshot(path=str(screenshots_dir / "determination-decide.png"), full_page=True)
    submit(office, "#decide-button")
    assert office.locator(".alert-success").count() == 1
    assert office.locator("#decision-basis").get_attribute("data-basis") == "expert_panel"
    assert office.locator("#minutes-file").count() == 1
    office.screenshot(path=str(screenshots_dir / "determination-confirmed.png"), full_page=True)

    # The hazard is now a major hazard, with the determination in its history.
    hazard.refresh_from_db()
    assert hazard.is_major
    office.goto(f"/hazards/{hazard.pk}/")
    assert office.locator(".determination-history-row[data-status=confirmed]").count() == 1
    office.screenshot(path=str(screenshots_dir / "determination-hazard-major.png"),
                      full_page=True)

    assert office.locator("#determine-link").count() == 0  # determined once and for all

    # The assistant works on a phone: another hazard, three comprehensive elements.
    other = services.log_hazard(users["grid_worker"], places["mall"], category=category,
                                description="疏散楼梯防火门损坏，外窗被广告牌遮挡",
                                deadline=timezone.localdate() + datetime.timedelta(days=10))
    phone = log_in(phone_page, users["grid_worker"], next=f"/hazards/{other.pk}/determine/")
    phone.check("#finding-737")
    phone.check("#finding-739")
    phone.check("#finding-75")
    phone.wait_for_selector("#outcome[data-outcome=comprehensive]")
    assert phone.locator("#counts .count-row[data-rule='5.3-crowded']").get_attribute(
        "data-count") == "3"
    assert phone.locator("#outcome-mini").is_visible()  # the answer stays in view on a phone
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"page is {width}px wide on a phone"
    phone.screenshot(path=str(screenshots_dir / "determination-phone.png"))
    phone.goto(f"/hazards/determinations/{determination.pk}/")
    assert phone.locator("#decision-record").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    phone.screenshot(path=str(screenshots_dir / "determination-record-phone.png"),
                     full_page=True)
    assert Hazard.objects.get(pk=hazard.pk).is_major
