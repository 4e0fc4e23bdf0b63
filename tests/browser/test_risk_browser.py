"""Risk through the real pages: a street officer logs a major hazard at a low-risk place; the
place page then shows a higher grade with the major-hazard factor line."""

import datetime

import pytest
from django.utils import timezone

from fireledger.hazards.models import Hazard, HazardCategory
from fireledger.risk import index
from fireledger.risk.models import RiskHistory, RiskScore

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_major_hazard_raises_the_grade_on_the_place_page(
        new_page, phone_page, log_in, users, places, screenshots_dir):
    compound = places["compound"]
    before = RiskScore.objects.get(place=compound)
    assert before.grade in ("blue", "yellow")
    category = HazardCategory.objects.get(code="hr.03.1")

    page = log_in(new_page(), users["street_officer"])
    page.goto(f"/places/{compound.pk}/")
    assert page.get_attribute("#place-risk .risk-grade", "data-grade") == before.grade
    assert page.locator('#place-risk .risk-factor[data-factor="open_major"]').count() == 0
    page.screenshot(path=str(screenshots_dir / "risk_place_before.png"), full_page=True)

    page.click("#hazards-tab")
    with page.expect_navigation():
        page.click("#log-hazard")
    page.select_option("#id_category", str(category.pk))
    page.fill("#id_description", "地下室配电间线路老化，消防控制室无人值班")
    page.check("#id_is_major")
    page.fill("#id_interim_safeguards", "专人值守，配置灭火器")
    page.fill("#id_deadline", (timezone.localdate() + datetime.timedelta(days=20)).isoformat())
    with page.expect_navigation():
        page.click("#hazard-form button[type=submit]")
    hazard = Hazard.objects.get()
    assert hazard.is_major

    page.goto(f"/places/{compound.pk}/")
    after = RiskScore.objects.get(place=compound)
    assert index.GRADES.index(after.grade) < index.GRADES.index(before.grade)
    assert page.get_attribute("#place-risk .risk-grade", "data-grade") == after.grade
    line = page.locator('#place-risk .risk-factor[data-factor="open_major"]')
    assert line.count() == 1
    assert f"+{index.DEFAULT_WEIGHTS['open_major']}" in line.inner_text()
    assert "1" in line.inner_text()
    page.screenshot(path=str(screenshots_dir / "risk_place_after.png"), full_page=True)

    # The risk page lists the place under its new grade, and its history shows both grades.
    page.goto(f"/risk/?grade={after.grade}")
    assert page.locator(f'.risk-place[data-place="{compound.pk}"]').count() == 1
    page.screenshot(path=str(screenshots_dir / "risk_overview.png"), full_page=True)
    assert RiskHistory.objects.filter(place=compound).count() == 2

    phone = log_in(phone_page, users["street_officer"])
    phone.goto(f"/risk/places/{compound.pk}/")
    assert phone.locator(".risk-history-row").count() == 2
    phone.screenshot(path=str(screenshots_dir / "risk_place_phone.png"), full_page=True)
