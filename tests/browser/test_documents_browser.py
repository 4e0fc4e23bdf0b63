"""A street officer issues a 整改通知书 from a hazard page and downloads it: the PDF's text
(pdftotext) holds the Chinese wording and the 〔2026〕第N号 number; the .docx opens."""

import datetime
import io
import re
import subprocess
from pathlib import Path

import docx
import pytest
from django.utils import timezone

from fireledger.documents.models import IssuedDocument
from fireledger.hazards import services as hazard_services
from fireledger.hazards.models import HazardCategory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_street_officer_issues_and_downloads_a_rectification_notice(
        new_page, phone_page, log_in, users, places, screenshots_dir):
    today = timezone.localdate()
    hazard = hazard_services.log_hazard(
        users["grid_worker"], places["mall"], category=HazardCategory.objects.get(code="hr.03.1"),
        description="二层东侧安全出口被货架堵塞", location_in_place="二层东侧",
        deadline=today + datetime.timedelta(days=7), responsible_person="李明",
        interim_safeguards="安排专人值守")
    page = log_in(new_page(), users["street_officer"], next=f"/hazards/{hazard.pk}/")
    page.locator("#documents-panel").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots_dir / "documents-hazard-panel.png"), full_page=True)
    with page.expect_navigation():
        page.click("#issue-rectification_notice button")
    document = IssuedDocument.objects.get()
    assert page.url.endswith(f"/documents/{document.pk}/")
    assert page.inner_text("#document-reference") == document.reference
    assert re.fullmatch(rf"〔{today.year}〕第\d+号", document.reference)
    page.screenshot(path=str(screenshots_dir / "documents-detail.png"), full_page=True)

    with page.expect_download() as caught:
        page.click("#download-pdf")
    pdf = Path(caught.value.path()).read_bytes()
    assert caught.value.suggested_filename.endswith(".pdf")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode("utf-8")
    flat = re.sub(r"\s+", "", text)
    for expected in ("火灾隐患整改通知书", document.reference, "二层东侧安全出口被货架堵塞",
                     "安排专人值守", "重庆解放碑物业管理有限公司", "签收人"):
        assert expected in flat, expected

    with page.expect_download() as caught:
        page.click("#download-docx")
    word = docx.Document(io.BytesIO(Path(caught.value.path()).read_bytes()))
    assert document.reference in [p.text for p in word.paragraphs]
    assert caught.value.suggested_filename.endswith(".docx")

    # The same page on a phone.
    phone = log_in(phone_page, users["street_officer"], next=f"/documents/{document.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    phone.screenshot(path=str(screenshots_dir / "documents-detail-phone.png"), full_page=True)


def test_the_inspection_record_gets_its_number_on_a_phone(phone_page, log_in, users, places,
                                                          admin_user, screenshots_dir):
    from fireledger.inspections import services as inspection_services
    from fireledger.inspections.models import ChecklistItem, ChecklistTemplate
    from fireledger.places.choices import Category

    template = ChecklistTemplate.objects.create(code="docs-b", name="商场检查表",
                                                place_categories=[Category.MALL])
    ChecklistItem.objects.create(template=template, number="1", area="疏散通道",
                                 text="疏散楼梯间无杂物堆放", sort_order=1,
                                 category=HazardCategory.objects.get(code="hr.03.1"))
    version = inspection_services.snapshot_version(admin_user, template)
    officer = users["street_officer"]
    draft = inspection_services.start_inspection(officer, places["mall"], kind="sweep",
                                                 version=version)
    inspection_services.save_result(officer, draft.results.get(), outcome="hazard",
                                    note="楼梯间堆放纸箱")
    inspection_services.sign(officer, draft, name="李检查", confirmed=True)
    inspection = inspection_services.submit(officer, draft)
    page = log_in(phone_page, officer, next=f"/inspections/{inspection.pk}/")
    page.locator("#issue-inspection_record").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots_dir / "documents-inspection-phone.png"), full_page=True)
    with page.expect_navigation():
        page.click("#issue-inspection_record button")
    document = IssuedDocument.objects.get(inspection=inspection)
    assert page.inner_text("#document-reference") == document.reference
    assert "楼梯间堆放纸箱" in page.inner_text("#document-preview")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
