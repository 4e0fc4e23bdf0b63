"""Duties in a browser: a street officer on a 390 px phone records a resident drill from the
duty calendar and the period turns done; the due-inspection queue shows an overdue place with a
link that starts its inspection."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from fireledger.duties import periods
from fireledger.inspections.choices import Kind, Status
from fireledger.inspections.models import Inspection
from fireledger.risk.models import RiskScore

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
             "is_mobile": True, "has_touch": True}


@pytest.fixture
def duty_rows():
    """The data migration's rules and duty kinds (the previous test's flush emptied them)."""
    importlib.import_module("fireledger.duties.migrations.0002_defaults").add(apps, None)


def test_street_officer_records_a_drill_on_the_phone(new_page, log_in, users, tree, duty_rows,
                                                     screenshots_dir):
    street = tree["street1"]
    today = timezone.localdate()
    quarter = periods.period_containing(periods.QUARTER, today)
    cell_id = f"#cell-resident_drill-{quarter.key}"
    page = log_in(new_page(**PHONE_390), users["street_officer"],
                  next=reverse("duties:calendar", args=[street.pk]))
    cell = page.locator(cell_id)
    assert cell.get_attribute("data-state") == "due"
    # the page fits the phone: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshots_dir / "duties-calendar-phone.png"), full_page=True)

    with page.expect_navigation():
        cell.click()
    assert page.locator("#id_kind").input_value() != ""
    page.fill("#id_summary", "指导解放碑社区开展居民消防逃生演练")
    page.fill("#id_participants", "36")
    page.screenshot(path=str(screenshots_dir / "duties-record-form-phone.png"), full_page=True)
    with page.expect_navigation():
        page.click("#duty-save")
    cell = page.locator(cell_id)
    assert cell.get_attribute("data-state") == "done"
    assert "/duties/records/" in cell.get_attribute("href")
    page.screenshot(path=str(screenshots_dir / "duties-calendar-done-phone.png"), full_page=True)


def test_due_queue_starts_an_overdue_inspection(new_page, log_in, users, places, duty_rows,
                                                screenshots_dir):
    mall = places["mall"]
    RiskScore.objects.update_or_create(  # the risk hook graded it when it was created
        place=mall, defaults={"jurisdiction_code": mall.jurisdiction_code, "score": 80,
                              "grade": "red"})
    last = timezone.localdate() - dt.timedelta(days=75)
    Inspection.objects.create(place=mall, jurisdiction_code=mall.jurisdiction_code,
                              kind=Kind.SWEEP, status=Status.SUBMITTED, inspected_on=last,
                              submitted_at=timezone.now())
    page = log_in(new_page(), users["street_officer"], next=reverse("duties:due"))
    row = page.locator(f"tr.due-row[data-place='{mall.pk}']")
    assert row.locator(".badge-overdue").count() == 1
    assert row.locator(".grade-red").count() == 1
    assert page.locator("tr.due-row").count() == 2  # the mall and the never-inspected compound
    page.screenshot(path=str(screenshots_dir / "duties-due-queue.png"), full_page=True)
    with page.expect_navigation():
        row.locator("a.start-inspection").click()
    assert f"/inspections/start/?place={mall.pk}" in page.url
    assert page.locator("form").count() >= 1


def test_district_office_reads_overdue_duties_and_workload(new_page, log_in, users, places,
                                                           duty_rows, screenshots_dir):
    from fireledger.duties import demo

    demo.generate_demo_duties()
    RiskScore.objects.update_or_create(  # the risk hook graded it when it was created
        place=places["mall"], defaults={"jurisdiction_code": places["mall"].jurisdiction_code,
                                        "score": 80, "grade": "red"})
    page = log_in(new_page(), users["district_office"], next=reverse("duties:overview"))
    rows = page.locator("#duty-overview tr.station-row")
    assert rows.count() == 2
    assert all(int(t) >= 0 for t in rows.locator(".station-overdue").all_inner_texts())
    page.screenshot(path=str(screenshots_dir / "duties-overview.png"), full_page=True)
    page.goto(reverse("duties:workload"))
    total = page.locator("#workload-total td")
    # mall red 12 × 120 min + compound 60 + hotel 90 (both ungraded: yearly) = 1590 min
    assert total.nth(1).inner_text() == "3"
    assert total.nth(3).inner_text() in ("26.5", "26,5")
    page.screenshot(path=str(screenshots_dir / "duties-workload.png"), full_page=True)
    phone = log_in(new_page(**PHONE_390), users["street_officer"], next=None)
    assert phone.locator("#inbox-duties_overdue").count() == 1
    assert phone.locator("#inbox-inspections_due").count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(screenshots_dir / "duties-inbox-phone.png"), full_page=True)
