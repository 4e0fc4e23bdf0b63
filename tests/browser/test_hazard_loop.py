"""The rectification loop through the real pages: a grid worker logs a hazard at the mall, the
unit manager reports the rectification, the street officer verifies and closes it; verifying
your own rectification is refused with a message."""

import datetime

import pytest
from django.utils import timezone

from fireledger.hazards import lifecycle
from fireledger.hazards.models import Hazard, HazardCategory, HazardPhoto

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESCRIPTION = "二层东侧安全出口被货架堵塞"


def picture(photo, name="现场.png"):
    """A photo fixture's upload as Playwright sets it on a file input."""
    return {"name": name, "mimeType": "image/png", "buffer": photo(name).read()}


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_grid_worker_logs_unit_reports_street_verifies(
        new_page, phone_page, log_in, users, places, screenshots_dir, photo):
    mall = places["mall"]
    today = timezone.localdate()
    category = HazardCategory.objects.get(code="hr.03.1")

    # The grid worker logs the hazard from the mall's page.
    page = log_in(new_page(), users["grid_worker"])
    page.goto(f"/places/{mall.pk}/")
    page.click("#hazards-tab")
    submit(page, "#log-hazard")
    page.select_option("#id_category", str(category.pk))
    page.fill("#id_description", DESCRIPTION)
    page.fill("#id_location_in_place", "二层东侧")
    page.fill("#id_deadline", (today - datetime.timedelta(days=1)).isoformat())
    page.fill("#id_responsible_person", "李明")
    submit(page, "#hazard-form button[type=submit]")
    # A past deadline is refused on the field; what was typed is kept.
    assert page.locator("#id_deadline.is-invalid").count() == 1
    assert page.input_value("#id_description") == DESCRIPTION
    assert not Hazard.objects.exists()
    page.fill("#id_deadline", (today + datetime.timedelta(days=7)).isoformat())
    # A file that is not a photo is refused, naming the file.
    page.set_input_files("#id_photos", files=[
        {"name": "清单.png", "mimeType": "image/png", "buffer": "不是图片".encode()}])
    submit(page, "#hazard-form button[type=submit]")
    assert "清单.png" in page.inner_text("#hazard-form")
    assert not Hazard.objects.exists()
    page.set_input_files("#id_photos", files=[picture(photo)])
    submit(page, "#hazard-form button[type=submit]")
    hazard = Hazard.objects.get()
    assert hazard.photos.get().kind == HazardPhoto.Kind.FOUND
    assert page.url.endswith(f"/hazards/{hazard.pk}/")
    assert hazard.found_by == users["grid_worker"] and hazard.status == lifecycle.PENDING
    assert page.locator(".alert-success").count() == 1

    # The unit manager reports the rectification; verifying is not theirs to offer.
    page = log_in(new_page(), users["unit_manager"])
    page.goto(f"/hazards/{hazard.pk}/")
    assert page.locator("#action-verify_pass").count() == 0
    page.fill("#id_report_rectification-measures", "货架已移走，安全出口保持畅通")
    submit(page, "#action-report_rectification button[type=submit]")
    hazard.refresh_from_db()
    assert hazard.status == lifecycle.AWAITING_VERIFICATION
    assert hazard.rectification_reported_by == users["unit_manager"]
    assert page.locator("#action-verify_pass").count() == 0

    # The street officer verifies: closed (已销号).
    page = log_in(phone_page, users["street_officer"])
    page.goto(f"/hazards/{hazard.pk}/")
    submit(page, "#action-verify_pass button[type=submit]")
    assert page.locator("#id_verify_pass-photos.is-invalid").count() == 1  # evidence needed
    page.set_input_files("#id_verify_pass-photos", files=[picture(photo, "复查.png")])
    submit(page, "#action-verify_pass button[type=submit]")
    hazard.refresh_from_db()
    assert hazard.status == lifecycle.CLOSED and hazard.verified_by == users["street_officer"]
    assert "已销号" in page.inner_text("#hazard-status")
    page.screenshot(path=str(screenshots_dir / "hazard-detail-phone.png"), full_page=True)

    # A rebound: the street officer reopens it and reports the rectification themselves; their
    # own verification is refused with a message and nothing changes.
    page.fill("#id_reopen-deadline", (today + datetime.timedelta(days=5)).isoformat())
    submit(page, "#action-reopen button[type=submit]")
    page.fill("#id_report_rectification-measures", "再次清理")
    submit(page, "#action-report_rectification button[type=submit]")
    hazard.refresh_from_db()
    assert hazard.status == lifecycle.AWAITING_VERIFICATION and hazard.reopen_count == 1
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.url}])
    page.reload()
    page.set_input_files("#id_verify_pass-photos", files=[picture(photo, "复查.png")])
    submit(page, "#action-verify_pass button[type=submit]")
    assert "someone other than the person who reported it" in page.inner_text(".alert-danger")
    assert Hazard.objects.get(pk=hazard.pk).status == lifecycle.AWAITING_VERIFICATION
