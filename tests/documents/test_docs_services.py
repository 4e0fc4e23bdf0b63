"""Issuing documents: numbers per issuer and year, frozen content, re-issue, referral notices,
listing notices, inspection records, permissions, and a failed render keeping its number."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fireledger.core.choices import Role
from fireledger.core.models import AuditEvent, Department
from fireledger.documents import render, services
from fireledger.documents.choices import DocStatus, Kind
from fireledger.documents.models import DocumentSequence, IssuedDocument, IssuerPrefix
from fireledger.hazards import services as hazard_services
from fireledger.hazards.models import Hazard

from docs_text import docx_text, pdf_flat, pdf_fonts

pytestmark = pytest.mark.django_db
RN = Kind.RECTIFICATION_NOTICE


def test_numbers_count_per_issuer_and_year(hazard, users, places, categories, today):
    street, district = users["street_officer"], users["district_office"]
    first = services.issue(street, RN, hazard)
    second = services.issue(street, RN, hazard)
    assert (first.issuer, first.number, second.number) == ("500103001", 1, 2)
    assert first.reference == f"〔{today.year}〕第1号" and second.reference == f"〔{today.year}〕第2号"
    # The district office counts on its own; so does another year.
    other = services.issue(district, RN, hazard)
    assert (other.issuer, other.number) == ("500103", 1)
    next_year = services.issue(street, RN, hazard, on=datetime.date(today.year + 1, 1, 2))
    assert (next_year.year, next_year.number) == (today.year + 1, 1)
    # A configured prefix is printed before the year.
    IssuerPrefix.objects.create(issuer="500103001", kind="", prefix="解放碑消整",
                                name="解放碑街道消防工作站（测试）")
    prefixed = services.issue(street, RN, hazard)
    assert prefixed.reference == f"解放碑消整〔{today.year}〕第3号"
    assert prefixed.content["issuer_name"] == "解放碑街道消防工作站（测试）"


def test_a_reissue_supersedes_the_earlier_document(hazard, users):
    first = services.issue(users["street_officer"], RN, hazard)
    second = services.issue(users["street_officer"], RN, hazard)
    first.refresh_from_db()
    assert first.status == DocStatus.SUPERSEDED and first.superseded_by == second
    assert second.status == DocStatus.ISSUED
    assert AuditEvent.objects.for_object(first).filter(action="change").exists()


def test_the_content_is_frozen_at_issue(hazard, users, login):
    document = services.issue(users["street_officer"], RN, hazard)
    Hazard.objects.filter(pk=hazard.pk).update(description="已改写的描述",
                                               location_in_place="别处")
    client = login(users["street_officer"])
    text = pdf_flat(client.get(f"/documents/{document.pk}/document.pdf").content)
    assert "疏散楼梯间堆放杂物" in text and "已改写的描述" not in text
    docx = docx_text(client.get(f"/documents/{document.pk}/document.docx").content)
    assert any("疏散楼梯间堆放杂物" in line for line in docx)


def test_the_notice_prints_what_the_law_asks(hazard, users, tmp_path, today):
    document = services.issue(users["street_officer"], RN, hazard)
    pdf = render.render_pdf(document.content)
    text = pdf_flat(pdf)
    for expected in ("火灾隐患整改通知书", document.reference, "重庆解放碑物业管理有限公司",
                     "疏散楼梯间堆放杂物", "3层东侧楼梯间", "专人值守", "王经理", "签收人",
                     "解放碑街道消防工作站", f"{today.year}年{today.month}月{today.day}日"):
        assert expected in text, expected
    fonts = pdf_fonts(pdf, tmp_path)
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes yes " in line for line in cjk)  # embedded subsets
    lines = docx_text(render.render_docx(document.content, document.docx_template))
    assert lines[:2] == ["火灾隐患整改通知书", document.reference]
    assert any("疏散楼梯间堆放杂物" in line for line in lines)


def test_a_failed_render_keeps_its_number(hazard, users, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(render, "render_docx", broken)
    events = AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        services.issue(users["street_officer"], RN, hazard)
    assert not IssuedDocument.objects.exists()
    assert not DocumentSequence.objects.filter(last__gt=0).exists()
    assert AuditEvent.objects.count() == events
    monkeypatch.undo()
    assert services.issue(users["street_officer"], RN, hazard).number == 1


@pytest.mark.parametrize("role", ["grid_worker", "unit_manager", "nobody"])
def test_who_may_not_issue_a_rectification_notice(hazard, users, role):
    with pytest.raises(PermissionDenied):
        services.issue(users[role], RN, hazard)


def test_a_department_issues_only_for_its_industry(hazard, users, role_user, tree):
    assert services.issue(users["department_officer"], RN, hazard).issuer == \
        f"dept:{Department.objects.get(code='shangwu').pk}"
    other = role_user("zhujian", Role.DEPARTMENT_OFFICER, tree["district"],
                      department=Department.objects.get(code="zhujian"))
    with pytest.raises(PermissionDenied):
        services.issue(other, RN, hazard)


def test_another_street_may_not_issue(hazard, role_user, tree):
    with pytest.raises(PermissionDenied):
        services.issue(role_user("qxg", Role.STREET_OFFICER, tree["street2"]), RN, hazard)


def test_a_closed_hazard_gets_no_rectification_notice(hazard, users):
    Hazard.objects.filter(pk=hazard.pk).update(status="closed", closed_on=hazard.found_on)
    with pytest.raises(ValidationError):
        services.issue(users["street_officer"], RN, hazard)
    assert not DocumentSequence.objects.filter(last__gt=0).exists()


def test_the_listing_notice_is_the_district_offices(listing, users):
    with pytest.raises(PermissionDenied):
        services.issue(users["street_officer"], Kind.LISTING_NOTICE, listing)
    document = services.issue(users["district_office"], Kind.LISTING_NOTICE, listing)
    assert document.issuer == "500103" and document.listing == listing
    text = pdf_flat(render.render_pdf(document.content))
    for expected in ("挂牌督办通知书", document.reference, "渝中区消防安全委员会办公室",
                     "每月至少开展1次消防检查", "解放碑街道消防工作站", "疏散楼梯间堆放杂物"):
        assert expected in text, expected


def test_an_undecided_proposal_gets_no_listing_notice(hazard, users, today):
    from fireledger.hazards.models import ListedSupervision

    proposal = ListedSupervision.objects.create(
        hazard=hazard, jurisdiction_code=hazard.jurisdiction_code, proposed_on=today)
    with pytest.raises(ValidationError):
        services.issue(users["district_office"], Kind.LISTING_NOTICE, proposal)


def test_issuing_the_referral_notice_sends_it_with_its_number(notice, users, today):
    document = services.issue(users["street_officer"], Kind.REFERRAL_NOTICE, notice)
    notice.refresh_from_db()
    assert notice.sent_on == today and notice.reference == document.reference
    assert notice.sent_by == users["street_officer"]
    text = pdf_flat(render.render_pdf(document.content))
    assert "抄告单" in text and "消防车通道被占用" in text and document.reference in text
    assert document.content["fields"]["agency"] in text
    # Sent once: a second one is refused and takes no number.
    with pytest.raises(ValidationError):
        services.issue(users["street_officer"], Kind.REFERRAL_NOTICE, notice)
    assert DocumentSequence.objects.get(kind=Kind.REFERRAL_NOTICE).last == 1


def test_the_numbered_inspection_record(inspection, users):
    document = services.issue(users["unit_manager"], Kind.INSPECTION_RECORD, inspection)
    assert document.issuer == "500103001"  # in the street's name
    text = pdf_flat(render.render_pdf(document.content))
    for expected in ("消防安全检查记录", document.reference, "解放碑时代广场", "楼梯间堆放纸箱",
                     "李检查", "疏散楼梯间无杂物堆放"):
        assert expected in text, expected


def test_a_draft_inspection_gets_no_number(inspection, places, users):
    from fireledger.inspections import services as inspection_services

    draft = inspection_services.start_inspection(users["street_officer"], places["mall"],
                                                 kind="sweep", version=inspection.version)
    with pytest.raises(ValidationError):
        services.issue(users["street_officer"], Kind.INSPECTION_RECORD, draft)


def test_a_superuser_issues_in_the_districts_name(hazard, admin_user):
    assert services.issue(admin_user, RN, hazard).issuer == "500103"


def test_the_audit_event_holds_the_whole_document(hazard, users):
    document = services.issue(users["street_officer"], RN, hazard)
    event = services.issue_event(document)
    assert event.after["content"] == document.content
    assert event.after["content_hash"] == services.content_hash(document.content)
    assert event.after["docx_template"] == render.BUILTIN_DOCX
    assert event.after["pdf_template"] == render.PDF_LAYOUT
    assert services.issue_event(document.reference) == event


def test_hazard_changes_go_on_through_services(hazard, users):
    """Issuing leaves the hazard as it was (no status change): the notice is paperwork."""
    before = Hazard.objects.values().get(pk=hazard.pk)
    services.issue(users["street_officer"], RN, hazard)
    assert Hazard.objects.values().get(pk=hazard.pk) == before
    hazard_services.transition(users["street_officer"], hazard, "start",
                               measures="清理杂物", deadline=hazard.deadline)


def test_the_demo_issues_through_the_service(hazard, notice, inspection, users):
    from fireledger.documents import demo
    from fireledger.places.generator import DEMO_DISTRICT

    assert DEMO_DISTRICT[0] == "500103"  # the test district is the demo district
    counts = demo.generate_demo_documents(rectification=1)
    assert counts[Kind.RECTIFICATION_NOTICE] == 1 and counts[Kind.REFERRAL_NOTICE] == 1
    assert counts[Kind.INSPECTION_RECORD] == 1
    references = list(IssuedDocument.objects.values_list("reference", flat=True))
    assert len(set(references)) == len(references)  # one 字号 per kind
    assert all(AuditEvent.objects.for_object(d).exists() for d in IssuedDocument.objects.all())
    demo.delete_documents()
    assert not IssuedDocument.objects.exists()


def test_the_notice_cites_the_hazards_found_there_the_same_day(hazard, users, places,
                                                               categories, today):
    other = hazard_services.log_hazard(
        users["grid_worker"], places["mall"], category=categories["hr.03.1"],
        description="灭火器压力不足", deadline=today + 3 * datetime.timedelta(days=1))
    hazard_services.log_hazard(  # another place: not on this notice
        users["street_officer"], places["compound"], category=categories["hr.03.1"],
        description="楼道电动车充电", deadline=today + datetime.timedelta(days=3))
    document = services.issue(users["street_officer"], RN, hazard)
    rows = document.content["tables"][0]["rows"]
    assert [r["description"] for r in rows] == ["疏散楼梯间堆放杂物", "灭火器压力不足"]
    assert document.content["fields"]["hazard_count"] == "2"
    assert other.pk != hazard.pk
