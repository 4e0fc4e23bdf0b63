"""Recurring submissions (报送): the due dates a schedule makes, who sees and sends which
report, the uploaded document's check, late as a computed state, and the campaign page's panel.
Writes are in services_submissions.py.

Late is never stored: a report is late when it was submitted after its due date, or is still
missing once the due date has passed (seed 004: 每月20日前报送; "逾期").
"""

import calendar
import datetime
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, F, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from fireledger.core.choices import Role
from fireledger.core.codes import range_lookup
from fireledger.core.scope import NOTHING, assignments

from .choices import SubmissionKind
from .models import Campaign, Submission, SubmissionSchedule

REMIND_DAYS = 5  # the inbox shows a report this many days before it is due
LATE_SHOWN = 8
DOCUMENT_MAX_BYTES = getattr(settings, "FIRELEDGER_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)

# Cell states of the submissions grid.
SUBMITTED, SUBMITTED_LATE, OVERDUE, DUE = "submitted", "submitted_late", "overdue", "due"


# --- due dates -------------------------------------------------------------------------

def monthly_dates(starts_on: datetime.date, ends_on: datetime.date,
                  day: int) -> list[datetime.date]:
    """Day `day` of every month from the start to the end, clamped to the month's last day
    (31 → 30 November, 28 or 29 February), keeping only the dates within the campaign."""
    dates = []
    year, month = starts_on.year, starts_on.month
    while (year, month) <= (ends_on.year, ends_on.month):
        due = datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))
        if starts_on <= due <= ends_on:
            dates.append(due)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dates


def due_dates(schedule: SubmissionSchedule) -> list[datetime.date]:
    """The schedule's due dates: monthly by its day, the phase's end, or the campaign's end."""
    campaign = schedule.campaign
    if schedule.kind == SubmissionKind.MONTHLY:
        if not schedule.day_of_month or not 1 <= schedule.day_of_month <= 31:
            raise ValidationError({"day_of_month": _(
                "A monthly report needs a day of the month from 1 to 31.")}, code="required")
        return monthly_dates(campaign.starts_on, campaign.ends_on, schedule.day_of_month)
    if schedule.kind == SubmissionKind.PHASE:
        if schedule.phase is None or schedule.phase.ends_on is None:
            raise ValidationError({"phase": _(
                "A phase summary needs a phase with an end date.")}, code="required")
        return [schedule.phase.ends_on]
    return [campaign.ends_on]


# --- scope -----------------------------------------------------------------------------

def submission_scope(user) -> Q:
    """The reports `user` sees and may send: the district office those of its district, a
    street officer their street's, a department officer their department's. (Street reports
    carry the street's code; department reports the campaign's, so a street's range never
    takes in a department's report.)"""
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    if user.is_superuser:
        return Q()
    q = own_scope(user)
    for a in assignments(user):
        if a.role == Role.DISTRICT_OFFICE:
            q |= Q(**range_lookup("jurisdiction_code", a.jurisdiction.prefix))
    return q


def own_scope(user) -> Q:
    """The reports of the user's own streets and departments (not the whole district)."""
    q = NOTHING
    for a in assignments(user):
        if a.role == Role.STREET_OFFICER:
            q |= Q(**range_lookup("jurisdiction_code", a.jurisdiction.prefix),
                   jurisdiction__isnull=False)
        elif a.role == Role.DEPARTMENT_OFFICER:
            q |= Q(**range_lookup("jurisdiction_code", a.jurisdiction.prefix),
                   department_id=a.department_id)
    return q


def visible(user) -> QuerySet:
    return Submission.objects.filter(submission_scope(user))


def may_submit(user, submission: Submission) -> bool:
    return visible(user).filter(pk=submission.pk).exists()


# --- late ------------------------------------------------------------------------------

def with_late(queryset: QuerySet, on: datetime.date) -> QuerySet:
    """Annotate late: submitted after the due date, or still missing after it (as of `on`)."""
    return queryset.annotate(late=Case(
        When(submitted_on__gt=F("due_on"), then=Value(True)),
        When(submitted_on__isnull=True, due_on__lt=on, then=Value(True)),
        default=Value(False), output_field=BooleanField()))


def is_late(submission: Submission, on: datetime.date) -> bool:
    if submission.submitted_on is not None:
        return submission.submitted_on > submission.due_on
    return submission.due_on < on


def cell_state(submission: Submission, on: datetime.date) -> str:
    if submission.submitted_on is not None:
        return SUBMITTED_LATE if submission.submitted_on > submission.due_on else SUBMITTED
    return OVERDUE if submission.due_on < on else DUE


def reports_due(user, on: datetime.date) -> QuerySet:
    """The inbox's section: unsubmitted reports of the user's streets and departments due
    within REMIND_DAYS days, or overdue; earliest first."""
    return Submission.objects.filter(
        own_scope(user), submitted_on__isnull=True,
        due_on__lte=on + datetime.timedelta(days=REMIND_DAYS),
    ).select_related("schedule__campaign", "jurisdiction", "department").order_by("due_on", "pk")


# --- the document ----------------------------------------------------------------------

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# What the content is → the file name endings it may carry.
EXTENSIONS = {
    "pdf": ("pdf",),
    "docx": ("docx",),
    "xlsx": ("xlsx",),
    "ole": ("doc", "xls", "wps", "et"),  # Word / Excel 97–2003 and WPS files: one container
}
KIND_LABELS = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel", "ole": "Word/Excel/WPS"}


def _content_kind(upload) -> str | None:
    handle = getattr(upload, "file", upload)
    handle.seek(0)
    head = handle.read(1024)
    handle.seek(0)
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(OLE2):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(handle) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError, EOFError):
            return None
        finally:
            handle.seek(0)
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def _refuse(message, code: str):
    return ValidationError({"document": ValidationError(message, code=code)})


def check_document(upload) -> str:
    """The content kind of an acceptable report document (PDF, Word, Excel or WPS, at most
    DOCUMENT_MAX_BYTES, its name's ending matching its content); otherwise a ValidationError
    in the user's language that names the file."""
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    if not upload.size:
        raise _refuse(_("“%(name)s” is empty.") % {"name": name}, "empty")
    if upload.size > DOCUMENT_MAX_BYTES:
        raise _refuse(_("“%(name)s” is larger than %(mb)d MB.") % {
            "name": name, "mb": DOCUMENT_MAX_BYTES // (1024 * 1024)}, "too_large")
    kind = _content_kind(upload)
    if kind is None:
        raise _refuse(_("“%(name)s” is not a PDF, Word, Excel or WPS document.") % {
            "name": name}, "not_a_document")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS[kind]:
        raise _refuse(_("“%(name)s”: the name's ending does not match its content "
                        "(%(kind)s).") % {"name": name, "kind": KIND_LABELS[kind]},
                      "wrong_extension")
    return kind


# --- the campaign page -----------------------------------------------------------------

def submissions_context(campaign: Campaign, user, on: datetime.date) -> dict:
    """The campaign page's submissions panel: per schedule the next due date with how many of
    its reports are in, and the late reports (missing past the due date, or sent late)."""
    rows = visible(user).filter(schedule__campaign=campaign)
    schedules = []
    for schedule in campaign.schedules.all():
        mine = [s for s in rows.filter(schedule=schedule).only(
            "pk", "due_on", "submitted_on", "schedule_id")]
        upcoming = sorted({s.due_on for s in mine if s.due_on >= on})
        next_due = upcoming[0] if upcoming else None
        at_next = [s for s in mine if s.due_on == next_due]
        schedules.append({
            "schedule": schedule, "expected": len(mine), "next_due": next_due,
            "next_total": len(at_next),
            "next_submitted": sum(1 for s in at_next if s.submitted_on is not None),
        })
    late = with_late(rows, on).filter(late=True).select_related(
        "schedule", "jurisdiction", "department").order_by("-due_on", "pk")
    late_rows = list(late[:LATE_SHOWN])
    late_count = len(late_rows) if len(late_rows) < LATE_SHOWN else late.count()
    for s in late_rows:
        s.state = cell_state(s, on)
    return {"submission_panel": {
        "campaign": campaign, "schedules": schedules, "late": late_rows,
        "late_more": late_count - len(late_rows), "late_count": late_count,
    }}
