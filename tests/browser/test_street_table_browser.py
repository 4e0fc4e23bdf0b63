"""The street summary table (附件1.5.2) in a real browser: a street officer downloads the table,
fills in a place, uploads it with one bad count (the report names the row, the column and the
value, and nothing is saved), fixes it and imports; then the place's hazard book on a phone."""

import datetime
import re

import openpyxl
import pytest
from django.utils import timezone

from fireledger.hazards import lifecycle
from fireledger.hazards.models import Hazard, HazardCategory
from fireledger.hazards.services import log_hazard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPOUND_PROBLEMS = "1、电动车在楼道内充电；\n2、楼道堆放杂物；"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(page, path):
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.click("#street-import-form button[type=submit]")
    page.wait_for_url(re.compile(r"/hazards/street-table/import/[0-9a-f-]{36}/"), timeout=30_000)
    page.locator("[data-count=total]").wait_for(timeout=30_000)


def test_download_fill_in_import_with_a_bad_row_fix_and_commit(
        new_page, phone_page, log_in, users, places, tmp_path, screenshots_dir):
    today = timezone.localdate()
    officer = users["street_officer"]
    category = HazardCategory.objects.get(code="hr.03.1")
    mall = places["mall"]
    for description, deadline in (("安全出口锁闭", 20), ("疏散楼梯间堆放杂物", 5)):
        log_hazard(officer, mall, category=category, description=description,
                   deadline=today + datetime.timedelta(days=deadline),
                   responsible_person="李明", responsible_phone="13800000001")
    log_hazard(officer, mall, category=category, description="灭火器过期", fixed_on_spot=True)

    # Download the street's table.
    page = log_in(new_page(), officer)
    page.goto("/hazards/street-table/")
    assert "解放碑时代广场" in page.inner_text("table.street-rows")
    with page.expect_download() as info:
        page.click("#street-export")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / "附件1.5.2.xlsx"
    download.save_as(path)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert ws["C4"].value == "解放碑时代广场" and ws["E4"].value == 3 and ws["G4"].value == 1

    # Fill in the compound with a wrong count (3 for 2 problems).
    deadline = today + datetime.timedelta(days=30)
    ws.append([2, "解放碑街道", "新华路12号院", "渝中区新华路12号", 3, COMPOUND_PROBLEMS, 0, None,
               f"{deadline:%Y-%m-%d}", "王芳", "13800000002", None])
    wb.save(path)
    bad_row = 5

    page.click("#street-import")
    page.wait_for_url("**/hazards/street-table/import/?street=*")
    upload(page, path)
    assert int(page.inner_text("[data-count=error]")) == 1
    assert page.locator("#import-commit button[type=submit]").is_disabled()
    errors = page.locator("table.import-rows tr.table-danger")
    assert errors.count() == 1
    reason = re.sub(r"\s", "", errors.first.locator("td.row-issues").inner_text())
    assert str(bad_row) in reason and "排查隐患数量" in reason and "3" in reason, reason
    assert f"第{bad_row}行" in reason, reason
    page.screenshot(path=str(screenshots_dir / "street-import-error.png"), full_page=True)
    assert not Hazard.objects.filter(place=places["compound"]).exists()

    # Fix the count, upload again, check and import.
    ws.cell(row=bad_row, column=5, value=2)
    wb.save(path)
    page.click(".btn-list a.btn[href*='/hazards/street-table/import/?street=']")  # upload another
    page.wait_for_url("**/hazards/street-table/import/?street=*")
    upload(page, path)
    assert int(page.inner_text("[data-count=error]")) == 0
    assert int(page.inner_text("[data-count=open]")) == 2
    assert int(page.inner_text("[data-count=closed]")) == 0  # the mall's are already listed
    with page.expect_navigation():
        page.click("#import-commit button[type=submit]")
    page.wait_for_url("**/hazards/street-table/?street=*", timeout=30_000)
    assert page.locator(".alert-success").count() == 1
    compound = Hazard.objects.filter(place=places["compound"]).order_by("id")
    assert [h.description for h in compound] == ["电动车在楼道内充电", "楼道堆放杂物"]
    assert all(h.status == lifecycle.PENDING and h.deadline == deadline
               and h.responsible_person == "王芳" for h in compound)
    assert Hazard.objects.filter(place=mall).count() == 3
    assert "新华路12号院" in page.inner_text("table.street-rows")

    # The mall's hazard book, from its page, on a phone.
    phone = log_in(phone_page, officer)
    phone.goto(f"/places/{mall.pk}/")
    phone.click("#hazards-tab")
    with phone.expect_navigation():
        phone.click("#hazard-book")
    assert phone.url.endswith(f"/hazards/book/{mall.pk}/")
    cards = phone.locator(".book-hazard")
    assert cards.count() == 3
    assert [cards.nth(i).get_attribute("data-status") for i in range(3)][-1] == lifecycle.CLOSED
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the book scrolls sideways on a phone ({width}px)"
    phone.screenshot(path=str(screenshots_dir / "hazard-book-phone.png"), full_page=True)
    # Printing hides the navigation and the buttons.
    phone.emulate_media(media="print")
    assert not phone.locator("header.navbar").is_visible()
    assert not phone.locator("#book-export").is_visible()
    assert phone.locator(".book h1").is_visible()
    phone.screenshot(path=str(screenshots_dir / "hazard-book-print.png"), full_page=True)
