"""The spot-check page and a record PDF in a browser: the street officer reads the joint
inspection share of the street's high-rise buildings (on a desktop and on a phone) and downloads
an inspection's printable record."""

import pytest
from django.urls import reverse
from django.utils import timezone

from fireledger.inspections.choices import Kind, Outcome, SignatureMethod, Status
from fireledger.inspections.models import Inspection, InspectionResult, Signature
from fireledger.places.models import Place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
             "is_mobile": True, "has_touch": True}


def high_rise(jurisdiction, n, residential=False):
    return Place.objects.bulk_create([
        Place(code=f"{'R' if residential else 'P'}{jurisdiction.code}{i:02d}",
              name=f"{jurisdiction.name}{'住宅' if residential else '大厦'}{i}号楼",
              category="residential" if residential else "high_rise",
              building_use="residential" if residential else "public",
              jurisdiction=jurisdiction, jurisdiction_code=jurisdiction.code, height_m=80,
              address=f"渝中区测试路{i}号", is_high_rise=True)
        for i in range(1, n + 1)])


def joint_inspection(place, **extra):
    today = timezone.localdate()
    return Inspection.objects.create(
        place=place, jurisdiction_code=place.jurisdiction_code, kind=Kind.JOINT,
        status=Status.SUBMITTED, inspected_on=today, submitted_at=timezone.now(), **extra)


def test_street_officer_reads_the_shares_and_prints_a_record(new_page, log_in, users, tree,
                                                             screenshots_dir):
    public = high_rise(tree["community11"], 10)  # 解放碑街道: 1 of 10 checked = 10 %
    high_rise(tree["community12"], 4, residential=True)  # none checked = 0 %
    high_rise(tree["community21"], 3)  # 七星岗街道: not the street officer's
    record = joint_inspection(public[0], location="一楼大堂", advice="限期清理消防车通道")
    InspectionResult.objects.create(inspection=record, number="1", text="消防车通道畅通",
                                    outcome=Outcome.HAZARD, note="通道被车辆占用")
    Signature.objects.create(inspection=record, name="王五", method=SignatureMethod.TYPED)

    page = log_in(new_page(), users["street_officer"], next=reverse("inspections:spot_checks"))
    table = page.locator("#spot-checks-streets")
    rows = table.locator("tbody tr.spot-checks-row")
    assert rows.count() == 1
    row = rows.first
    assert "解放碑街道" in row.inner_text() and "七星岗街道" not in table.inner_text()
    assert row.locator(".spot-checks-buildings").all_inner_texts() == ["10", "4"]
    assert row.locator(".spot-checks-checked").all_inner_texts() == ["1", "0"]
    shares = row.locator(".spot-checks-share")
    assert shares.all_inner_texts() == ["10.0%", "0.0%"]
    assert [shares.nth(i).get_attribute("data-met") for i in (0, 1)] == ["yes", "no"]
    assert page.locator("#id_year").input_value() == str(timezone.localdate().year)
    page.screenshot(path=str(screenshots_dir / "spot-checks-desktop.png"), full_page=True)

    # Last year: nothing inspected jointly then.
    page.select_option("#id_year", str(timezone.localdate().year - 1))
    with page.expect_navigation():
        page.click("#spot-checks-submit")
    assert page.locator("tr.spot-checks-row .spot-checks-share").all_inner_texts() == [
        "0.0%", "0.0%"]

    # The record of the joint inspection, downloaded.
    url = reverse("inspections:record_pdf", args=[record.pk]) + "?download=1"
    with page.expect_download() as download_info:
        page.evaluate("""url => { const a = document.createElement("a"); a.href = url;
                                  document.body.appendChild(a); a.click(); }""", url)
    download = download_info.value
    assert download.suggested_filename == (
        f"检查记录-{public[0].name}-{record.inspected_on:%Y%m%d}.pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # On a phone, 390 px wide: the table scrolls sideways inside its card, the street stays.
    phone = log_in(new_page(**PHONE_390), users["street_officer"],
                   next=reverse("inspections:spot_checks"))
    assert phone.locator("tr.spot-checks-row").first.locator("td").first.is_visible()
    page_width = phone.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 390, page_width
    phone.screenshot(path=str(screenshots_dir / "spot-checks-phone.png"), full_page=True)
    assert not phone.failed_responses
