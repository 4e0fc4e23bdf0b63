"""The printable inspection record (检查记录) as PDF: the Chinese text comes out of the PDF intact
(pdftotext), the drawn signature is embedded (pdfimages), nothing is fetched, scope."""

import datetime
import shutil
import subprocess
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from fireledger.hazards import services as hazard_services
from fireledger.hazards.models import HazardCategory
from fireledger.inspections import record_pdf
from fireledger.inspections.choices import Kind, Outcome, Status
from records_builders import (
    SIGNATURE_SIZE,
    checklist_version,
    drawn_signature,
    inspection,
    result,
    typed_signature,
)

ADVICE = "立即清理疏散楼梯间杂物，三日内修复消火栓。"
ITEM_PASS = "安全出口未锁闭"
ITEM_HAZARD = "疏散楼梯间无杂物堆放"
ITEM_FIXED = "灭火器在有效期内"


def tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found: run `make test-deps` (Debian poppler-utils)",
                    pytrace=False)
    return path


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "record.pdf"
    path.write_bytes(data)
    return subprocess.run([tool("pdftotext"), "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def pdf_images(data: bytes, tmp_path) -> list[tuple[int, int]]:
    """(width, height) of each image in the PDF."""
    path = tmp_path / "images.pdf"
    path.write_bytes(data)
    listing = subprocess.run([tool("pdfimages"), "-list", str(path)], check=True,
                             capture_output=True, text=True).stdout.splitlines()[2:]
    return [(int(line.split()[3]), int(line.split()[4])) for line in listing if line.strip()]


@pytest.fixture
def record(places, admin_user, users):
    """A joint inspection of the mall (解放碑街道): four items, one hazard to rectify, one fixed
    on the spot; advice; a drawn and a typed signature."""
    mall = places["mall"]
    today = timezone.localdate()
    deadline = today + datetime.timedelta(days=7)
    hazard = hazard_services.log_hazard(
        admin_user, mall, category=HazardCategory.objects.get(code="hr.03.1"),
        description=ITEM_HAZARD, deadline=deadline)
    found = inspection(mall, kind=Kind.JOINT, inspected_on=today, version=checklist_version(),
                       location="三楼东侧", advice=ADVICE, created_by=users["street_officer"])
    result(found, 1, ITEM_PASS, Outcome.PASS, area="疏散通道")
    result(found, 2, ITEM_HAZARD, Outcome.HAZARD, note="东侧楼梯间堆放纸箱", hazard=hazard,
           deadline=deadline, area="疏散通道")
    result(found, 3, ITEM_FIXED, Outcome.FIXED, note="两具灭火器过期，已当场更换")
    result(found, 4, "厨房燃气报警装置完好", Outcome.NOT_APPLICABLE)
    drawn_signature(found, "张三", user=users["street_officer"])
    typed_signature(found, "李四")
    return {"inspection": found, "hazard": hazard, "deadline": deadline}


def test_the_chinese_text_is_in_the_pdf(record, users, login, tmp_path):
    found = record["inspection"]
    response = login(users["street_officer"]).get(
        reverse("inspections:record_pdf", args=[found.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    for expected in (
            gettext("Inspection record"), "解放碑时代广场", "重庆解放碑物业管理有限公司",
            "渝中区民权路1号 三楼东侧", "解放碑街道", str(Kind.JOINT.label),
            "高层公共建筑检查表 v2", found.inspected_on.strftime("%Y-%m-%d"),
            ITEM_PASS, ITEM_HAZARD, ITEM_FIXED, "东侧楼梯间堆放纸箱", "两具灭火器过期，已当场更换",
            ADVICE, "张三", "李四", gettext("confirmed"),
            f"No. {record['hazard'].pk}", record["deadline"].strftime("%Y-%m-%d")):
        assert expected in text, expected
    pages = text.count("\f")  # pdftotext ends each page with a form feed
    for page in range(1, pages + 1):
        assert gettext("Page {page} of {pages}").format(page=page, pages=pages) in text
    assert gettext("Printed %(time)s") % {"time": ""} in text
    assert gettext("Draft: not submitted") not in text


def test_the_drawn_signature_is_embedded(record, tmp_path):
    data = record_pdf.render_pdf(record["inspection"])
    assert pdf_images(data, tmp_path) == [SIGNATURE_SIZE]


def test_the_fonts_are_embedded_cjk_subsets(record, tmp_path):
    path = tmp_path / "fonts.pdf"
    path.write_bytes(record_pdf.render_pdf(record["inspection"]))
    fonts = subprocess.run([tool("pdffonts"), str(path)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    assert fonts, "no fonts"
    for line in fonts:  # name, type, encoding, embedded, subset, ToUnicode map, object, gen
        name, flags = line.split()[0], line.split()[-5:-2]
        assert "Noto-Sans-CJK-SC" in name or "Noto-Serif-CJK-SC" in name, line
        assert flags == ["yes", "yes", "yes"], line


def test_a_missing_signature_image_is_said_so(record, tmp_path):
    signature = record["inspection"].signatures.get(name="张三")
    signature.image.storage.delete(signature.image.name)
    data = record_pdf.render_pdf(record["inspection"])
    assert pdf_images(data, tmp_path) == []
    assert gettext("signature image missing") in pdf_text(data, tmp_path)


def test_a_draft_says_so(places, tmp_path):
    draft = inspection(places["mall"], status=Status.DRAFT, kind=Kind.SWEEP)
    text = pdf_text(record_pdf.render_pdf(draft), tmp_path)
    assert gettext("Draft: not submitted") in text
    assert gettext("No fire hazards found.") in text and gettext("Not signed.") in text
    # The inspection names no unit: the place's own.
    assert "重庆解放碑物业管理有限公司" in text


def test_file_name_inline_and_download(record, users, login):
    found = record["inspection"]
    client = login(users["street_officer"])
    url = reverse("inspections:record_pdf", args=[found.pk])
    name = f"检查记录-解放碑时代广场-{found.inspected_on:%Y%m%d}.pdf"
    inline = client.get(url)["Content-Disposition"]
    assert inline.startswith("inline;") and f"filename*=utf-8''{quote(name)}" in inline
    attachment = client.get(url, {"download": "1"})["Content-Disposition"]
    assert attachment.startswith("attachment;") and quote(name) in attachment


def test_another_streets_inspection_is_a_404(places, users, login):
    hotel = inspection(places["hotel"])  # 七星岗街道
    url = reverse("inspections:record_pdf", args=[hotel.pk])
    assert login(users["street_officer"]).get(url).status_code == 404
    assert login(users["nobody"]).get(url).status_code == 404
    assert login(users["district_office"]).get(url).status_code == 200


def test_the_unit_sees_its_own_places_records_only(places, users, login):
    mall = inspection(places["mall"])  # managed by the unit
    compound = inspection(places["compound"])  # same street, not the unit's
    client = login(users["unit_manager"])
    assert client.get(reverse("inspections:record_pdf", args=[mall.pk])).status_code == 200
    assert client.get(reverse("inspections:record_pdf", args=[compound.pk])).status_code == 404


def test_login_required(record, client):
    response = client.get(reverse("inspections:record_pdf", args=[record["inspection"].pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_nothing_is_fetched_but_data_uris():
    fetcher = record_pdf._url_fetcher()
    for url in ("file:///etc/passwd", "http://127.0.0.1/", "https://example.com/x.png",
                "ftp://example.com/x"):
        with pytest.raises(ValueError):
            fetcher(url)
    assert fetcher("data:text/plain;base64,5qOA5p+l").read().decode() == "检查"


def test_typed_text_stays_text(places, tmp_path):
    """What an inspector types is escaped: markup in it neither renders nor fetches."""
    found = inspection(places["mall"], advice='<img src="file:///etc/hostname">整改<b>意见</b>')
    text = pdf_text(record_pdf.render_pdf(found), tmp_path)
    assert '<img src="file:///etc/hostname">整改<b>意见</b>' in text


def test_css_strings_escape_what_could_end_them():
    assert record_pdf.css_string("打印于 2026-11-23 15:00") == '"打印于 2026-11-23 15:00"'
    escaped = record_pdf.css_string('"</style><b>')
    assert '"' not in escaped[1:-1] and "<" not in escaped and ">" not in escaped
    assert record_pdf.page_counter_css("第 {page} 页，共 {pages} 页") == (
        '"第 " counter(page) " 页，共 " counter(pages) " 页"')
