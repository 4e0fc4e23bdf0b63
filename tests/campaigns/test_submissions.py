"""Submissions (报送): the due dates a schedule makes (seed 004: 每月20日前), one report per
street and department, idempotent; who may send which report; the document checked by its
content; late computed; the inbox's two campaign sections."""

import datetime
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from fireledger.campaigns import submissions
from fireledger.campaigns.choices import PhaseKind, SubmissionKind
from fireledger.campaigns.models import Assignment, Campaign, Phase, Submission, SubmissionSchedule
from fireledger.campaigns.services_submissions import schedule_submissions, submit_report
from fireledger.core.choices import Role
from fireledger.core.models import AuditEvent, Department, RoleAssignment, User
from fireledger.hazards import inbox
from fireledger.inspections.choices import Kind, Status
from fireledger.inspections.models import ChecklistTemplate, Inspection

pytestmark = pytest.mark.django_db
D = datetime.date


# --- documents as offices send them ----------------------------------------------------

def pdf_bytes() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages"
            b"/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("解放碑街道2026年11月冬春火灾防控工作情况")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["排查隐患数量", "已整改数量"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- fixtures --------------------------------------------------------------------------

@pytest.fixture
def campaign(tree):
    """Seed 004's winter–spring campaign, on the whole district: 1 Nov 2026 – 31 Mar 2027."""
    return Campaign.objects.create(
        name="今冬明春火灾防控工作", starts_on=D(2026, 11, 1), ends_on=D(2027, 3, 31),
        jurisdiction=tree["district"], jurisdiction_code=tree["district"].code)


@pytest.fixture
def monthly(campaign):
    return SubmissionSchedule.objects.create(campaign=campaign, title="每月工作情况",
                                             kind=SubmissionKind.MONTHLY, day_of_month=20)


@pytest.fixture
def scheduled(monthly, users):
    schedule_submissions(users["district_office"], monthly)
    return monthly


def report(schedule, street, due):
    return Submission.objects.get(schedule=schedule, jurisdiction=street, due_on=due)


# --- due dates -------------------------------------------------------------------------

def test_monthly_dates_are_clamped_to_the_months_last_day():
    assert submissions.monthly_dates(D(2026, 9, 1), D(2027, 3, 31), 31) == [
        D(2026, 9, 30), D(2026, 10, 31), D(2026, 11, 30), D(2026, 12, 31), D(2027, 1, 31),
        D(2027, 2, 28), D(2027, 3, 31)]
    assert submissions.monthly_dates(D(2028, 1, 15), D(2028, 3, 1), 30) == [
        D(2028, 1, 30), D(2028, 2, 29)]  # a leap year; 30 March is after the end


def test_monthly_dates_stay_within_the_campaign():
    assert submissions.monthly_dates(D(2026, 11, 21), D(2027, 3, 19), 20) == [
        D(2026, 12, 20), D(2027, 1, 20), D(2027, 2, 20)]
    assert submissions.monthly_dates(D(2026, 11, 20), D(2027, 3, 20), 20) == [
        D(2026, 11, 20), D(2026, 12, 20), D(2027, 1, 20), D(2027, 2, 20), D(2027, 3, 20)]
    assert submissions.monthly_dates(D(2026, 11, 1), D(2026, 11, 10), 20) == []


def test_phase_and_final_summaries_fall_on_their_end(campaign):
    phase = Phase.objects.create(campaign=campaign, name="集中攻坚", kind=PhaseKind.TACKLE,
                                 starts_on=D(2026, 12, 1), ends_on=D(2027, 1, 31))
    assert submissions.due_dates(SubmissionSchedule(
        campaign=campaign, title="阶段总结", kind=SubmissionKind.PHASE, phase=phase)) == [
        D(2027, 1, 31)]
    assert submissions.due_dates(SubmissionSchedule(
        campaign=campaign, title="工作总结", kind=SubmissionKind.FINAL)) == [D(2027, 3, 31)]
    phase.ends_on = None
    with pytest.raises(ValidationError):
        submissions.due_dates(SubmissionSchedule(
            campaign=campaign, title="阶段总结", kind=SubmissionKind.PHASE, phase=phase))
    with pytest.raises(ValidationError):
        submissions.due_dates(SubmissionSchedule(
            campaign=campaign, title="月报", kind=SubmissionKind.MONTHLY, day_of_month=None))


# --- scheduling ------------------------------------------------------------------------

def test_one_report_per_street_and_department_per_due_date(monthly, users, tree):
    shangwu = Department.objects.get(code="shangwu")
    monthly.departments.add(shangwu)
    assert schedule_submissions(users["district_office"], monthly) == 15  # (2 + 1) × 5 months
    rows = Submission.objects.filter(schedule=monthly)
    assert sorted({s.due_on for s in rows}) == [
        D(2026, 11, 20), D(2026, 12, 20), D(2027, 1, 20), D(2027, 2, 20), D(2027, 3, 20)]
    street = rows.filter(jurisdiction=tree["street1"])
    assert street.count() == 5 and {s.jurisdiction_code for s in street} == {"500103001000"}
    department = rows.filter(department=shangwu)
    assert department.count() == 5 and {s.jurisdiction_id for s in department} == {None}
    assert {s.jurisdiction_code for s in department} == {"500103000000"}
    assert AuditEvent.objects.filter(object_type="campaigns.submission",
                                     action="create").count() == 15


def test_scheduling_again_adds_only_what_is_missing(scheduled, users, tree):
    assert schedule_submissions(users["district_office"], scheduled) == 0
    from fireledger.core.choices import Level
    from fireledger.core.models import Jurisdiction

    Jurisdiction.objects.create(code="500103003000", name="两路口街道", level=Level.STREET,
                                parent=tree["district"])
    assert schedule_submissions(users["district_office"], scheduled) == 5
    assert Submission.objects.filter(schedule=scheduled).count() == 15


def test_a_final_summary_from_departments_only(campaign, users):
    final = SubmissionSchedule.objects.create(campaign=campaign, title="冬春火灾防控工作总结",
                                              kind=SubmissionKind.FINAL, from_streets=False)
    final.departments.add(*Department.objects.filter(code__in=["shangwu", "zhujian"]))
    assert schedule_submissions(users["district_office"], final) == 2
    assert {s.due_on for s in final.submissions.all()} == {D(2027, 3, 31)}


@pytest.mark.parametrize("role", ["street_officer", "department_officer", "grid_worker",
                                  "unit_manager"])
def test_only_the_district_office_schedules(monthly, users, role):
    with pytest.raises(PermissionDenied):
        schedule_submissions(users[role], monthly)
    assert not Submission.objects.exists()


# --- sending a report ------------------------------------------------------------------

def test_the_street_officer_sends_the_streets_report(scheduled, users, tree):
    row = report(scheduled, tree["street1"], D(2026, 11, 20))
    sent = submit_report(users["street_officer"], row, document=upload(
        "解放碑街道11月工作情况.pdf", pdf_bytes(), "application/pdf"),
        note="附隐患台账", today=D(2026, 11, 18))
    assert sent.submitted_on == D(2026, 11, 18) and sent.submitted_by == users["street_officer"]
    assert sent.document_name == "解放碑街道11月工作情况.pdf" and sent.note == "附隐患台账"
    assert sent.document.name.startswith("submissions/") and "解放碑" not in sent.document.name
    assert not sent.document.name.endswith(".pdf")  # a random name, nothing of the original
    with sent.document.open("rb") as handle:
        assert handle.read() == pdf_bytes()
    event = AuditEvent.objects.for_object(sent).filter(action="change").get()
    assert event.after["submitted_on"] == "2026-11-18"
    assert event.note == "submitted: 解放碑街道11月工作情况.pdf"
    assert not submissions.is_late(sent, D(2026, 12, 1))


@pytest.mark.parametrize("role", ["grid_worker", "unit_manager", "department_officer", "nobody"])
def test_others_may_not_send_a_streets_report(scheduled, users, tree, role):
    row = report(scheduled, tree["street1"], D(2026, 11, 20))
    with pytest.raises(PermissionDenied):
        submit_report(users[role], row, document=upload("a.pdf", pdf_bytes()))
    assert Submission.objects.get(pk=row.pk).submitted_on is None


def test_a_street_officer_may_not_send_another_streets_report(scheduled, users, tree):
    with pytest.raises(PermissionDenied):
        submit_report(users["street_officer"], report(scheduled, tree["street2"], D(2026, 11, 20)),
                      document=upload("a.pdf", pdf_bytes()))


def test_the_department_and_the_district_office_send_theirs(monthly, users, tree):
    shangwu = Department.objects.get(code="shangwu")
    monthly.departments.add(shangwu)
    schedule_submissions(users["district_office"], monthly)
    mine = monthly.submissions.filter(department=shangwu).first()
    submit_report(users["department_officer"], mine, document=upload("商务委.docx", docx_bytes()))
    zhujian = Department.objects.get(code="zhujian")
    other = User.objects.create_user("zhujian", password="x")
    RoleAssignment.objects.create(user=other, role=Role.DEPARTMENT_OFFICER,
                                  jurisdiction=tree["district"], department=zhujian)
    with pytest.raises(PermissionDenied):
        submit_report(other, mine, document=upload("住建委.docx", docx_bytes()))
    street2 = report(monthly, tree["street2"], D(2026, 12, 20))
    submit_report(users["district_office"], street2, document=upload("代报.xlsx", xlsx_bytes()))
    assert Submission.objects.filter(submitted_on__isnull=False).count() == 2


@pytest.mark.parametrize("name,content", [
    ("月报.pdf", pdf_bytes()), ("月报.docx", docx_bytes()), ("月报.xlsx", xlsx_bytes()),
    ("月报.doc", OLE2), ("月报.xls", OLE2), ("月报.wps", OLE2), ("月报.PDF", pdf_bytes())],
    ids=["pdf", "docx", "xlsx", "doc", "xls", "wps", "upper-case-pdf"])
def test_office_documents_are_accepted(name, content):
    assert submissions.check_document(upload(name, content)) in {"pdf", "docx", "xlsx", "ole"}


@pytest.mark.parametrize("name,content,code", [
    ("现场照片.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not_a_document"),
    ("月报.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not_a_document"),
    ("月报.exe", b"MZ\x90\x00" + b"\x00" * 64, "not_a_document"),
    ("压缩包.zip", b"PK\x03\x04" + b"\x00" * 64, "not_a_document"),
    ("月报.txt", "解放碑街道11月工作情况".encode(), "not_a_document"),
    ("月报.pdf", docx_bytes(), "wrong_extension"),
    ("月报.docx", pdf_bytes(), "wrong_extension"),
    ("月报.exe", OLE2, "wrong_extension"),
    ("空白.pdf", b"", "empty"),
], ids=["png", "png-as-pdf", "exe", "bare-zip", "text", "docx-as-pdf", "pdf-as-docx",
        "ole-as-exe", "empty"])
def test_other_files_are_refused_naming_the_file(name, content, code):
    with pytest.raises(ValidationError) as error:
        submissions.check_document(upload(name, content))
    assert error.value.error_dict["document"][0].code == code
    assert f"“{name}”" in error.value.messages[0]


def test_more_than_20_mb_is_refused_in_chinese(scheduled, users, tree):
    big = upload("解放碑街道11月工作情况.pdf", pdf_bytes() + b"0" * (20 * 1024 * 1024))
    row = report(scheduled, tree["street1"], D(2026, 11, 20))
    with pytest.raises(ValidationError) as error:
        submit_report(users["street_officer"], row, document=big)
    assert error.value.messages == ["“解放碑街道11月工作情况.pdf”超过 20 MB。"]
    assert Submission.objects.get(pk=row.pk).submitted_on is None
    exactly = upload("刚好.pdf", pdf_bytes().ljust(20 * 1024 * 1024, b" "))
    assert submissions.check_document(exactly) == "pdf"


def test_a_resubmission_replaces_the_document(scheduled, users, tree,
                                              django_capture_on_commit_callbacks):
    row = report(scheduled, tree["street1"], D(2026, 11, 20))
    first = submit_report(users["street_officer"], row, document=upload("初稿.pdf", pdf_bytes()),
                          today=D(2026, 11, 19))
    old_name, storage = first.document.name, first.document.storage
    with django_capture_on_commit_callbacks(execute=True):
        second = submit_report(users["street_officer"], row,
                               document=upload("定稿.docx", docx_bytes()), today=D(2026, 11, 21))
    assert second.document_name == "定稿.docx" and second.document.name != old_name
    assert not storage.exists(old_name) and storage.exists(second.document.name)
    assert second.submitted_on == D(2026, 11, 21)  # the report as it stands: sent late
    assert submissions.is_late(second, D(2026, 11, 21))
    events = AuditEvent.objects.for_object(second).filter(action="change").order_by("at", "pk")
    assert [e.note for e in events] == ["submitted: 初稿.pdf", "resubmitted: 定稿.docx"]
    assert events[1].before["document_name"] == "初稿.pdf"
    assert events[1].before["submitted_on"] == "2026-11-19"


# --- late ------------------------------------------------------------------------------

def test_late_is_computed(scheduled, users, tree):
    on_time = report(scheduled, tree["street1"], D(2026, 11, 20))
    submit_report(users["street_officer"], on_time, document=upload("a.pdf", pdf_bytes()),
                  today=D(2026, 11, 20))
    sent_late = report(scheduled, tree["street1"], D(2026, 12, 20))
    submit_report(users["street_officer"], sent_late, document=upload("b.pdf", pdf_bytes()),
                  today=D(2026, 12, 22))
    missing = report(scheduled, tree["street2"], D(2026, 11, 20))
    due_today = report(scheduled, tree["street2"], D(2026, 12, 20))
    on = D(2026, 12, 20)
    late = dict(submissions.with_late(Submission.objects.filter(
        pk__in=[on_time.pk, sent_late.pk, missing.pk, due_today.pk]), on).values_list("pk", "late"))
    assert late == {on_time.pk: False, sent_late.pk: True, missing.pk: True, due_today.pk: False}
    assert submissions.cell_state(Submission.objects.get(pk=sent_late.pk), on) == "submitted_late"
    assert submissions.cell_state(missing, on) == "overdue"
    assert submissions.cell_state(due_today, on) == "due"
    assert submissions.cell_state(due_today, on + datetime.timedelta(days=1)) == "overdue"


# --- the inbox -------------------------------------------------------------------------

def keyed(user, today):
    return {s.key: s for s in inbox.sections(user, today)}


def test_reports_due_within_five_days_or_overdue(scheduled, users, tree):
    assert keyed(users["street_officer"], D(2026, 11, 14))["reports_due"].count == 0
    section = keyed(users["street_officer"], D(2026, 11, 15))["reports_due"]
    assert [(s.jurisdiction, s.due_on) for s in section.rows] == [
        (tree["street1"], D(2026, 11, 20))]  # not street 2's
    assert keyed(users["street_officer"], D(2026, 12, 16))["reports_due"].count == 2  # + overdue
    submit_report(users["street_officer"], report(scheduled, tree["street1"], D(2026, 11, 20)),
                  document=upload("a.pdf", pdf_bytes()), today=D(2026, 12, 16))
    assert [s.due_on for s in keyed(users["street_officer"], D(2026, 12, 16))[
        "reports_due"].rows] == [D(2026, 12, 20)]
    for role in ("district_office", "grid_worker", "unit_manager"):
        assert "reports_due" not in keyed(users[role], D(2026, 12, 16))


def test_a_departments_reports_are_due_for_its_officer(monthly, users):
    monthly.from_streets = False
    monthly.save()
    monthly.departments.add(Department.objects.get(code="shangwu"))
    schedule_submissions(users["district_office"], monthly)
    assert keyed(users["department_officer"], D(2026, 11, 20))["reports_due"].count == 1
    assert keyed(users["street_officer"], D(2026, 11, 20))["reports_due"].count == 0


def test_assigned_inspections_until_done(tree, users, places, campaign):
    mall = ChecklistTemplate.objects.get(code="mall")
    Assignment.objects.create(campaign=campaign, place=places["mall"], template=mall,
                              jurisdiction_code=places["mall"].jurisdiction_code,
                              street=tree["street1"], assignee=users["grid_worker"],
                              due_on=D(2026, 12, 31))
    section = keyed(users["grid_worker"], D(2026, 11, 10))["assigned"]
    assert [a.place for a in section.rows] == [places["mall"]] and not section.rows[0].overdue
    assert keyed(users["grid_worker"], D(2027, 1, 2))["assigned"].rows[0].overdue
    assert keyed(users["street_officer"], D(2026, 11, 10))["assigned"].count == 0  # not theirs
    Inspection.objects.create(place=places["mall"], jurisdiction_code=places["mall"].jurisdiction_code,
                              kind=Kind.SWEEP, version=mall.current_version(),
                              status=Status.SUBMITTED, inspected_on=D(2026, 11, 12))
    assert keyed(users["grid_worker"], D(2026, 11, 12))["assigned"].count == 0
    assert "assigned" not in keyed(users["unit_manager"], D(2026, 11, 12))


def test_the_inbox_page_flags_the_late_report(scheduled, users, tree, login):
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0), tick=False):
        page = login(users["street_officer"]).get("/hazards/inbox/").content.decode()
    assert 'id="inbox-reports_due"' in page and "每月工作情况" in page
    section = page.split('id="inbox-reports_due"')[1].split('class="card inbox-section"')[0]
    assert "2026-11-20" in section and "逾期" in section
    assert f"/campaigns/{scheduled.campaign_id}/submissions/#submission-" in section


def test_the_district_office_asks_for_a_monthly_report_from_the_page(client, campaign, users):
    """Seed 004: 每月20日前报送 — the default form; the due dates are made at once."""
    from django.urls import reverse

    client.force_login(users["district_office"])
    url = reverse("campaigns:submissions", kwargs={"campaign_pk": campaign.pk})
    page = client.get(url)
    assert page.context["schedule_form"].initial["day_of_month"] == 20
    response = client.post(url, {"action": "add", "title": "每月工作情况", "kind": "monthly",
                                 "day_of_month": 20, "from_streets": "on"})
    assert response.status_code == 302
    schedule = SubmissionSchedule.objects.get()
    # 20 Nov, 20 Dec, 20 Jan, 20 Feb, 20 Mar × the two streets.
    assert schedule.submissions.count() == 10
    assert AuditEvent.objects.filter(object_type="campaigns.submissionschedule").count() == 1


def test_a_report_from_nobody_is_refused_and_nothing_saved(client, campaign, users):
    from django.urls import reverse

    client.force_login(users["district_office"])
    url = reverse("campaigns:submissions", kwargs={"campaign_pk": campaign.pk})
    response = client.post(url, {"action": "add", "title": "阶段总结", "kind": "final"})
    assert response.status_code == 400
    assert not SubmissionSchedule.objects.exists()


def test_a_street_officer_cannot_ask_for_reports(client, campaign, users):
    from django.urls import reverse

    client.force_login(users["street_officer"])
    url = reverse("campaigns:submissions", kwargs={"campaign_pk": campaign.pk})
    response = client.post(url, {"action": "add", "title": "x", "kind": "final",
                                 "from_streets": "on"})
    assert response.status_code == 403
