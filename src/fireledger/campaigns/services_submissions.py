"""Writing submissions (报送): the rows a schedule makes, and the report a street or department
sends. Each validates, writes and audits in one transaction."""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fireledger.core import audit
from fireledger.core.models import AuditAction, AuditEvent

from .fanout import streets_of
from .models import Campaign, Submission, SubmissionSchedule
from .submissions import check_document, due_dates, may_submit

log = logging.getLogger(__name__)


@transaction.atomic
def schedule_submissions(actor, schedule: SubmissionSchedule) -> int:
    """Create the schedule's Submission rows: one per due date (submissions.due_dates) and per
    street in the campaign's area (when `from_streets`) and per chosen department. Idempotent:
    rows already there are left as they are (and kept if the dates have changed since); returns
    how many were created. Only the campaign's district office. One audit event per new row."""
    campaign = Campaign.objects.visible_to(actor, "change").select_for_update().filter(
        pk=schedule.campaign_id).select_related("jurisdiction").first()
    if campaign is None:
        raise PermissionDenied("only the campaign's district office schedules its reports")
    schedule.campaign = campaign
    dates = due_dates(schedule)
    senders = []  # (jurisdiction, department, division code)
    if schedule.from_streets:
        senders += [(street, None, street.code) for street in streets_of(campaign)]
    senders += [(None, department, campaign.jurisdiction_code)
                for department in schedule.departments.all()]
    # The unique constraint does not hold for NULL columns: compare in Python (a few hundred).
    existing = set(schedule.submissions.values_list("jurisdiction_id", "department_id",
                                                    "due_on"))
    new = [Submission(schedule=schedule, jurisdiction=j, department=d, jurisdiction_code=code,
                      due_on=due)
           for due in dates for j, d, code in senders
           if (getattr(j, "pk", None), getattr(d, "pk", None), due) not in existing]
    created = Submission.objects.bulk_create(new)  # ids returned (SQLite ≥ 3.35, PostgreSQL)
    AuditEvent.objects.bulk_create([
        audit.build_event(actor, AuditAction.CREATE, s, after=audit.snapshot(s, skip_empty=True),
                          note=f"scheduled: {schedule.title}") for s in created])
    return len(created)


@transaction.atomic
def add_schedule(actor, campaign: Campaign, *, title: str, kind: str, day_of_month=None,
                 phase=None, from_streets: bool = True, departments=()) -> SubmissionSchedule:
    """A report the campaign asks for (monthly by a day, a phase summary, the final summary),
    with its due dates made at once (schedule_submissions)."""
    if not Campaign.objects.visible_to(actor, "change").filter(pk=campaign.pk).exists():
        raise PermissionDenied("only the campaign's district office schedules its reports")
    if phase is not None and phase.campaign_id != campaign.pk:
        raise ValidationError({"phase": _("The phase belongs to another campaign.")})
    schedule = SubmissionSchedule(campaign=campaign, title=title.strip()[:200], kind=kind,
                                  day_of_month=day_of_month, phase=phase,
                                  from_streets=from_streets)
    schedule.full_clean()
    if not from_streets and not departments:
        raise ValidationError(_("Say who sends the report: the streets, or departments."))
    schedule.save()
    schedule.departments.set(departments)
    audit.record_create(actor, schedule)
    schedule_submissions(actor, schedule)
    return schedule


def _file_name(upload) -> str:
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    if len(name) > 200:  # keep the ending: it says what the file is
        stem, dot, ext = name.rpartition(".")
        name = stem[:200 - len(ext) - 1] + dot + ext if dot else name[:200]
    return name


def submit_report(actor, submission: Submission, *, document, note: str = "",
                  today: datetime.date | None = None) -> Submission:
    """Send the report: the street officer of the submission's street, the department officer
    of its department, or the district office (submissions.submission_scope). The document is
    checked by its content (submissions.check_document) and stored under a random name, its
    original name kept in `document_name`; submitted_on is today. A resubmission replaces the
    document (and the date): the audit event keeps the earlier ones."""
    if not may_submit(actor, submission):
        raise PermissionDenied("not this user's report")
    check_document(document)
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationError({"note": _("The note is too long (at most 300 characters).")},
                              code="too_long")
    today = today or timezone.localdate()
    with transaction.atomic():
        current = Submission.objects.select_for_update().get(pk=submission.pk)
        before = audit.snapshot(current)
        old_file = current.document.name if current.document else ""
        current.document_name = _file_name(document)
        current.document.save("report", document, save=False)
        new_file = current.document.name
        try:
            current.submitted_on = today
            current.submitted_by = actor
            current.note = note
            current.save()
            audit.record_change(actor, current, before,
                                note=("resubmitted: " if old_file else "submitted: ")
                                + current.document_name)
        except Exception:
            current.document.storage.delete(new_file)
            raise
    if old_file and old_file != new_file:
        storage = current.document.storage
        transaction.on_commit(lambda: _delete_quietly(storage, old_file))
    submission.refresh_from_db()
    return current


def _delete_quietly(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:  # the record is right either way; a stray file is only space
        log.warning("could not delete the replaced report %s", name)
