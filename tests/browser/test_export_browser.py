"""The hazard register export in a real browser: from the filtered hazard list a street officer
starts an export, watches the job page's progress card (polled by htmx) go from queued to done
as the worker runs the job, downloads the file and finds the list's rows in it; on a phone too."""

import openpyxl
import pytest
from django.utils import timezone

from fireledger.exports import services, views
from fireledger.exports.models import ExportJob
from fireledger.hazards.models import HazardCategory
from fireledger.hazards.services import log_hazard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def queued(monkeypatch):
    """The Huey task enqueued but not run: the test plays the worker."""
    jobs = []
    monkeypatch.setattr(views.tasks, "run_export", lambda job_id: jobs.append(job_id))
    return jobs


def test_export_the_filtered_register(new_page, phone_page, log_in, users, places, tmp_path,
                                      screenshots_dir, queued):
    today = timezone.localdate()
    officer = users["street_officer"]
    category = HazardCategory.objects.get(code="hr.03.1")
    for n in range(7):
        log_hazard(officer, places["mall" if n % 2 else "compound"], category=category,
                   description=f"疏散通道堆放杂物 {n}", is_major=n < 3,
                   interim_safeguards="专人值守" if n < 3 else "",
                   deadline=today + timezone.timedelta(days=5 + n),
                   responsible_person="李明", responsible_phone="13800000001")

    page = log_in(new_page(), officer, next="/hazards/?is_major=true")
    listed = page.locator("tr.hazard-row").count()
    assert listed == 3
    page.click("#hazard-export-toggle")
    page.locator("#export-listed").wait_for()
    page.screenshot(path=str(screenshots_dir / "export-menu.png"))
    with page.expect_navigation():
        page.click("#export-hazards")
    job = ExportJob.objects.get()
    assert page.url.endswith(f"/exports/{job.pk}/")
    card = page.locator("#export-progress")
    assert card.get_attribute("data-status") == "queued"
    assert page.locator("#export-progress .progress").is_visible()
    assert card.get_attribute("hx-trigger") == "every 1s"
    page.screenshot(path=str(screenshots_dir / "export-queued.png"), full_page=True)

    services.run_export(queued[0])  # the worker
    page.locator("#export-progress[data-status=done]").wait_for(timeout=10_000)
    assert page.locator("#export-progress .export-percent").inner_text() == "100%"
    page.screenshot(path=str(screenshots_dir / "export-done.png"), full_page=True)
    with page.expect_download() as info:
        page.click("#export-download")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / "register.xlsx"
    download.save_as(path)
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert ws.max_row - 1 == listed
    assert {ws.cell(r, 10).value for r in range(2, ws.max_row + 1)} == {"是"}  # 是否重大隐患

    phone = log_in(phone_page, officer, next="/hazards/?is_major=true")
    assert phone.locator("#hazard-export-toggle").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 376
    phone.screenshot(path=str(screenshots_dir / "export-list-phone.png"))
    phone.goto(f"/exports/{job.pk}/")
    assert phone.locator("#export-download").is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 376
    phone.screenshot(path=str(screenshots_dir / "export-done-phone.png"), full_page=True)
    phone.goto("/exports/")
    assert phone.locator("tr.export-job[data-status=done]").count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 376
    phone.screenshot(path=str(screenshots_dir / "export-list-jobs-phone.png"), full_page=True)

    other = log_in(new_page(), users["district_office"], next=None)
    response = other.goto(f"/exports/{job.pk}/download/")
    assert response.status == 404
