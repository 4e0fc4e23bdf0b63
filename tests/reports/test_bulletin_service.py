"""Issuing bulletins (numbering, frozen figures, who may, bad periods) and their documents:
the Word file opens and holds the numbers, the PDF's text keeps its Chinese, an uploaded
template replaces the bundled one and a bad one is refused with the old one kept."""

import datetime
import io
import subprocess

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from bulletin_builders import END, START, STREET1, build
from fireledger.core.choices import Level
from fireledger.core.models import AuditEvent, Jurisdiction
from fireledger.documents.models import DocumentSequence
from fireledger.hazards import lifecycle
from fireledger.hazards.models import Hazard
from fireledger.reports import bulletin_docs, services_bulletins
from fireledger.reports.bulletins import Settings
from fireledger.reports.models import Bulletin, BulletinTemplate

THIS_YEAR = datetime.date.today().year


@pytest.fixture
def categories(db):
    from fireledger.hazards.models import HazardCategory

    return {c.code: c for c in HazardCategory.objects.all()}


@pytest.fixture
def dataset(tree, places, admin_user, categories):
    return build(tree, places, admin_user, categories)


@pytest.fixture
def issue(users, tree, dataset):
    def _issue(**kwargs):
        kwargs.setdefault("settings", Settings(bottom=1, threshold=45))
        return services_bulletins.issue_bulletin(users["district_office"], tree["district"],
                                                 START, END, **kwargs)
    return _issue


def docx_text(data: bytes) -> tuple[str, list[list[str]]]:
    document = docx.Document(io.BytesIO(data))
    rows = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
    return "\n".join(p.text for p in document.paragraphs), rows


def test_numbers_count_per_issuer_and_year(issue, tree, admin_user):
    first, second = issue(), issue()
    assert (first.year, first.number, second.number) == (THIS_YEAR, 1, 2)
    assert second.reference == f"{THIS_YEAR}年第2期"
    other = Jurisdiction.objects.create(code="500104000000", name="大渡口区",
                                        level=Level.DISTRICT)
    third = services_bulletins.issue_bulletin(admin_user, other, START, END)
    assert third.number == 1
    assert DocumentSequence.objects.get(issuer=tree["district"].code, kind="bulletin").last == 2


def test_issue_records_an_audit_event_and_the_wording(issue):
    bulletin = issue(requirements="  限期整改  ")
    event = AuditEvent.objects.for_object(bulletin).get()
    assert event.action == "create" and event.jurisdiction_code == "500103000000"
    text = bulletin.figures["text"]
    assert bulletin.title == "渝中区消防安全隐患整治工作情况通报"
    assert "本期共排查发现隐患7处，已整改销号3处，整改率42.8%" in text["intro"]
    assert "逾期未整改隐患2处" in text["intro"] and "挂牌督办重大火灾隐患1处" in text["intro"]
    assert "解放碑街道（整改率40.0%，逾期未改2处，检查覆盖率50.0%）" in text["laggards"][0]
    assert text["requirements"] == "限期整改"


def test_figures_stay_frozen_after_the_data_changes(issue, dataset):
    bulletin = issue()
    before_docx = docx_text(bulletin_docs.bulletin_docx(bulletin))
    frozen = bulletin.figures
    Hazard.objects.filter(pk=dataset["hazards"]["f"].pk).update(
        status=lifecycle.CLOSED, closed_on=datetime.date(2026, 3, 28), measures="已整改")
    Hazard.objects.filter(pk=dataset["hazards"]["d"].pk).delete()
    bulletin = Bulletin.objects.get(pk=bulletin.pk)
    assert bulletin.figures == frozen
    assert docx_text(bulletin_docs.bulletin_docx(bulletin)) == before_docx
    # A new bulletin for the same period sees the change.
    again = issue()
    street1 = {r["code"]: r for r in again.figures["areas"]}[STREET1]
    assert (street1["closed"], street1["overdue"]) == (3, 1)


@pytest.mark.parametrize("role", ["street_officer", "department_officer", "grid_worker",
                                  "unit_manager", "nobody"])
def test_only_the_district_office_issues_for_the_district(users, tree, dataset, role):
    with pytest.raises(PermissionDenied):
        services_bulletins.issue_bulletin(users[role], tree["district"], START, END)
    assert not Bulletin.objects.exists()


@pytest.mark.parametrize("start,end,field", [
    (datetime.date(2026, 3, 1), datetime.date.today() + datetime.timedelta(days=1), "end"),
    (datetime.date(2026, 4, 1), datetime.date(2026, 3, 1), "start"),
    (datetime.date(2024, 1, 1), datetime.date(2025, 1, 1), "start"),
])
def test_a_bad_period_writes_nothing(users, tree, dataset, start, end, field):
    with pytest.raises(ValidationError) as caught:
        services_bulletins.issue_bulletin(users["district_office"], tree["district"], start, end)
    assert field in caught.value.error_dict
    assert start.isoformat() in str(caught.value) or end.isoformat() in str(caught.value)
    assert not Bulletin.objects.exists() and not DocumentSequence.objects.exists()


def test_docx_opens_and_holds_the_numbers(issue):
    bulletin = issue()
    text, rows = docx_text(bulletin_docs.bulletin_docx(bulletin))
    assert "渝中区消防安全隐患整治工作情况通报" in text
    assert f"（{THIS_YEAR}年第1期）" in text and "2026年3月1日至2026年3月31日" in text
    assert "渝中区消防安全委员会办公室" in text
    assert ["1", "七星岗街道", "2", "1", "50.0%", "0", "2", "0", "0.0%"] in rows
    assert ["2", "解放碑街道", "5", "2", "40.0%", "2", "2", "1", "50.0%"] in rows
    assert ["3", "大溪沟街道", "0", "0", "—", "0", "0", "0", "—"] in rows
    assert ["", "合计", "7", "3", "42.8%", "2", "4", "1", "25.0%"] in rows
    assert ["4", "教育", "0", "0", "—", "0", "1", "0", "0.0%"] in rows
    assert any(r[1] == "解放碑时代广场" and r[5] == "2026年2月1日" for r in rows)


def test_pdf_text_keeps_its_chinese(issue, tmp_path):
    bulletin = issue()
    pdf = tmp_path / "bulletin.pdf"
    pdf.write_bytes(bulletin_docs.bulletin_pdf(bulletin))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          check=True, text=True).stdout
    for expected in ("渝中区消防安全隐患整治工作情况通报", f"{THIS_YEAR}年第1期", "解放碑街道",
                     "七星岗街道", "42.8%", "挂牌督办重大火灾隐患", "解放碑时代广场",
                     "渝中区消防安全委员会办公室"):
        assert expected in text, expected


def template_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type=bulletin_docs.DOCX_TYPE)


def test_an_uploaded_template_replaces_the_default_for_later_bulletins(issue, users, tree):
    earlier = issue()
    first = services_bulletins.upload_template(
        users["district_office"], tree["district"],
        upload("我的模板.docx", template_bytes("{{ title }} 自定义抬头 {{ number }}",
                                          "{% for r in areas %}{{ r.name }}={{ r.rate }};"
                                          "{% endfor %}")))
    assert (first.version, first.original_name) == (1, "我的模板.docx")
    assert AuditEvent.objects.for_object(first).exists()
    later = issue()
    assert later.template == first and earlier.template is None
    text, _rows = docx_text(bulletin_docs.bulletin_docx(later))
    assert "自定义抬头" in text and "解放碑街道=40.0%;" in text
    assert "自定义抬头" not in docx_text(bulletin_docs.bulletin_docx(earlier))[0]
    second = services_bulletins.upload_template(
        users["district_office"], tree["district"], upload("v2.docx", template_bytes("{{ title }}")))
    assert second.version == 2 and services_bulletins.current_template(tree["district"]) == second
    # The bulletin issued with version 1 still prints with it.
    assert "自定义抬头" in docx_text(bulletin_docs.bulletin_docx(later))[0]


@pytest.mark.parametrize("name,data,message", [
    ("通报.pdf", b"%PDF-1.4", "is not a Word .docx file"),
    ("通报.docx", b"not a zip at all", "cannot be opened"),
    ("通报.docx", "broken", "cannot be filled in"),
    ("通报.docx", "unknown", "cannot be filled in"),
])
def test_a_bad_template_is_refused_and_the_old_one_stays(users, tree, name, data, message):
    good = services_bulletins.upload_template(users["district_office"], tree["district"],
                                              upload("good.docx", template_bytes("{{ title }}")))
    if data == "broken":
        data = template_bytes("{{ title ")
    elif data == "unknown":
        data = template_bytes("{{ titel }}")
    with pytest.raises(ValidationError) as caught:
        services_bulletins.upload_template(users["district_office"], tree["district"],
                                           upload(name, data))
    assert len(caught.value.message_dict["file"]) == 1
    assert list(BulletinTemplate.objects.all()) == [good]
    assert services_bulletins.current_template(tree["district"]) == good
    with translation.override("en"):
        assert message in check_message(name, data)


def check_message(name, data) -> str:
    with pytest.raises(ValidationError) as caught:
        bulletin_docs.check_template(upload(name, data))
    return caught.value.messages[0]


def test_a_template_upload_needs_the_district_office(users, tree):
    with pytest.raises(PermissionDenied):
        services_bulletins.upload_template(users["street_officer"], tree["district"],
                                           upload("t.docx", template_bytes("{{ title }}")))


def test_a_street_bulletin_is_numbered_apart_and_names_the_work_station(users, tree, dataset):
    bulletin = services_bulletins.issue_bulletin(users["street_officer"], tree["street1"],
                                                 START, END)
    assert bulletin.number == 1 and bulletin.jurisdiction_code == tree["street1"].code
    assert bulletin.figures["issuer_office"] == "渝中区解放碑街道消防工作站"
    assert "渝中区解放碑街道各社区、各行业部门" in bulletin.figures["text"]["intro"]
    text, rows = docx_text(bulletin_docs.bulletin_docx(bulletin))
    assert "（一）各社区排名" in text and ["排名", "社区"] == rows[0][:2]
    with pytest.raises(PermissionDenied):
        services_bulletins.issue_bulletin(users["street_officer"], tree["street2"], START, END)
