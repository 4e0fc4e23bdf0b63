"""The citizen report loop through the real pages: a citizen opens a place's safety code on a
phone and reports a blocked exit with a photo; the street officer accepts it from the triage
page; the hazard is on the place's Hazards tab; the reporter's status page says accepted."""

import datetime

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from fireledger.hazards.choices import Source
from fireledger.hazards.models import Hazard, HazardCategory
from fireledger.public.models import CitizenReport, ReportStatus, SafetyCode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESCRIPTION = "安全出口被堵塞"
PHONE_390 = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
             "is_mobile": True, "has_touch": True}


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_citizen_reports_street_officer_accepts(new_page, log_in, users, places,
                                                screenshots_dir, photo):
    mall = places["mall"]
    code = SafetyCode.objects.create(place=mall)
    category = HazardCategory.objects.get(code="hr.03.1")

    # The citizen, on a phone: the place's code page, then its report link.
    citizen = new_page(**PHONE_390)
    citizen.goto(f"/code/{code.token}/")
    if citizen.locator("#report-link").count():
        submit(citizen, "#report-link")
    else:
        citizen.goto(f"/code/{code.token}/report/")
    assert citizen.url.endswith(f"/code/{code.token}/report/")
    assert mall.name in citizen.inner_text("#report-place")
    citizen.select_option("#id_category", str(category.pk))
    citizen.fill("#id_description", DESCRIPTION)
    citizen.fill("#id_contact_phone", "13800001234")
    citizen.set_input_files("#id_photos", files=[
        {"name": "出口.png", "mimeType": "image/png", "buffer": photo("出口.png").read()}])
    assert not citizen.locator("#id_website").is_visible()  # the honeypot
    citizen.screenshot(path=str(screenshots_dir / "citizen-report-1-form.png"), full_page=True)
    # Nothing is wider than the phone.
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 390
    submit(citizen, "#report-submit")
    report = CitizenReport.objects.get()
    assert citizen.inner_text("#tracking").strip() == report.tracking
    assert report.photos.count() == 1 and report.place == mall
    citizen.screenshot(path=str(screenshots_dir / "citizen-report-2-sent.png"), full_page=True)
    status_url = citizen.get_attribute("#status-link", "href")

    # The street officer, at a desk: inbox → the report → accept.
    officer = log_in(new_page(), users["street_officer"], next="/")
    assert officer.locator("#inbox-citizen_reports").count() == 1
    submit(officer, "#inbox-citizen_reports a.inbox-row")
    assert "13800001234" in officer.inner_text("#reporter-contact")
    assert officer.locator("#report-photos img").count() == 1
    assert officer.evaluate("document.querySelector('#report-photos img').naturalWidth") > 0
    deadline = timezone.localdate() + datetime.timedelta(days=7)
    officer.fill("#id_accept-deadline", deadline.isoformat())
    officer.fill("#id_accept-location_in_place", "一层东侧")
    officer.screenshot(path=str(screenshots_dir / "citizen-report-3-triage.png"), full_page=True)
    submit(officer, "#triage-accept button[type=submit]")
    assert officer.locator(".alert-success").count() == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    hazard = Hazard.objects.get()
    assert hazard.source == Source.CITIZEN_REPORT and hazard.photos.count() == 1
    officer.click("#triage-reward button[type=submit]")
    officer.wait_for_selector("#report-reward")

    # The hazard is in the place's dossier.
    officer.goto(f"/places/{mall.pk}/")
    officer.click("#hazards-tab")
    assert DESCRIPTION in officer.inner_text("#tab-hazards")
    officer.screenshot(path=str(screenshots_dir / "citizen-report-4-dossier.png"),
                       full_page=True)

    # The reporter's status page: accepted, the hazard's status, nothing else.
    citizen.goto(status_url)
    text = citizen.inner_text("#report-status")
    assert gettext("Accepted: put on the hazard list for rectification") in text
    assert hazard.get_status_display() in text
    assert DESCRIPTION not in text and "13800001234" not in text and "一层东侧" not in text
    citizen.screenshot(path=str(screenshots_dir / "citizen-report-5-status.png"), full_page=True)
