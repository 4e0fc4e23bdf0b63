"""A bulletin in a browser: the district office previews March 2026, issues it, and downloads
the Word file (opens with python-docx) and the PDF (pdftotext shows its Chinese); screenshots
of the preview, the issued bulletin on a desktop and on a phone."""

import datetime
import subprocess

import docx
import pytest

from fireledger.hazards import lifecycle, seeding
from fireledger.hazards.models import Hazard, HazardCategory
from fireledger.reports.models import Bulletin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = datetime.date


def make_register(places, admin_user):
    category = HazardCategory.objects.get(code="hr.03.1")

    def hazard(place, found, closed=None, status=lifecycle.CLOSED):
        return Hazard(place=places[place], category=category, description="疏散通道堆放杂物",
                      found_on=found, found_by=admin_user, status=status, closed_on=closed,
                      deadline=found + datetime.timedelta(days=10), measures="已清理",
                      rectification_reported_on=closed)

    seeding.bulk_create_hazards(admin_user, [
        hazard("mall", D(2026, 3, 2), D(2026, 3, 9)),  # 解放碑街道, 商务
        hazard("mall", D(2026, 3, 5), status=lifecycle.RECTIFYING),  # overdue at the end
        hazard("compound", D(2026, 3, 10), D(2026, 3, 20)),  # 解放碑街道, 住建
        hazard("hotel", D(2026, 3, 12), status=lifecycle.PENDING),  # 七星岗街道: overdue
        hazard("hotel", D(2026, 3, 25), status=lifecycle.PENDING),
    ])


def test_issue_and_download_a_bulletin(new_page, phone_page, log_in, users, places, admin_user,
                                       screenshots_dir, tmp_path):
    make_register(places, admin_user)
    page = log_in(new_page(), users["district_office"], next="/stats/bulletins/")
    with page.expect_navigation():
        page.click("#bulletin-new-link")
    page.fill("#id_start", "2026-03-01")
    page.fill("#id_end", "2026-03-31")
    page.fill("#id_bottom", "1")
    page.fill("#id_requirements", "请各街道于下月20日前报送整改情况。")
    with page.expect_navigation():
        page.click("#bulletin-preview")
    streets = page.locator("#bulletin-areas tbody tr.bulletin-row")
    assert streets.count() == 2
    # 解放碑街道 3 found, 2 closed (66.6 %); 七星岗街道 2 found, none closed.
    first = streets.nth(0)
    assert first.locator(".bulletin-rank").inner_text() == "1"
    assert first.locator(".bulletin-rate").inner_text() == "66.6%"
    assert streets.nth(1).get_attribute("class").count("bulletin-laggard") == 1
    page.screenshot(path=str(screenshots_dir / "bulletin-preview.png"), full_page=True)
    assert not Bulletin.objects.exists()

    with page.expect_navigation():
        page.click("#bulletin-issue")
    bulletin = Bulletin.objects.get()
    assert page.url.endswith(f"/stats/bulletins/{bulletin.pk}/")
    assert page.inner_text("#bulletin-reference") == bulletin.reference
    page.screenshot(path=str(screenshots_dir / "bulletin-detail.png"), full_page=True)

    with page.expect_download() as word:
        page.click("#bulletin-docx")
    word_path = tmp_path / "bulletin.docx"
    word.value.save_as(word_path)
    assert word.value.suggested_filename.endswith(".docx")
    document = docx.Document(str(word_path))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "渝中区消防安全隐患整治工作情况通报" in text and bulletin.reference in text
    cells = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
    assert ["1", "解放碑街道", "3", "2", "66.6%", "1", "2", "0", "0.0%"] in cells

    with page.expect_download() as pdf:
        page.click("#bulletin-pdf")
    pdf_path = tmp_path / "bulletin.pdf"
    pdf.value.save_as(pdf_path)
    pdf_text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], check=True,
                              capture_output=True, text=True).stdout
    for expected in ("情况通报", "解放碑街道", "七星岗街道", bulletin.reference, "66.6%",
                     "请各街道于下月20日前报送整改情况。"):
        assert expected in pdf_text, expected
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf_path),
                    str(screenshots_dir / "bulletin-pdf")], check=True)

    phone = log_in(phone_page, users["district_office"], next=f"/stats/bulletins/{bulletin.pk}/")
    phone.screenshot(path=str(screenshots_dir / "bulletin-detail-phone.png"), full_page=True)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"the page is {width}px wide on a 375px phone"
