"""Every write of the duties app: a duty record, validated, written and audited in one
transaction. (Frequency rules, efforts and duty kinds are edited in the admin, whose
AuditedAdmin records each change the same way; the models' clean() validates them.)"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from fireledger.core import audit
from fireledger.core.choices import Level
from fireledger.core.scope import permits

from . import periods
from .models import DutyKind, DutyRecord

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

# Leading bytes → content type. Images a phone sends, and PDF.
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
    (b"GIF8", "image/gif"),
)


def attachment_type(upload) -> str:
    """The upload's content type from its first bytes, or '' if it is not an image or PDF."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return ""


def check_attachment(upload) -> str:
    """The content type, or a ValidationError naming the field and what is wrong."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"attachment": gettext(
            "Photo or document: {name} is {size:.1f} MB; at most {limit} MB is accepted."
        ).format(name=upload.name, size=upload.size / 1024 / 1024,
                 limit=MAX_ATTACHMENT_BYTES // 1024 // 1024)})
    content_type = attachment_type(upload)
    if not content_type:
        raise ValidationError({"attachment": gettext(
            "Photo or document: {name} is not an image (JPEG, PNG, WebP, GIF) or a PDF."
        ).format(name=upload.name)})
    return content_type


def may_record(user, station) -> bool:
    """Street officers of the street and the district office (roles that may create there)."""
    return station.level == Level.STREET and permits(user, "create", station.code)


def record_duty(actor, *, station, kind: DutyKind, held_on: datetime.date, summary: str,
                participants: int | None = None, attachment=None,
                today: datetime.date | None = None) -> DutyRecord:
    """Record a duty done by the street's work station. The period it covers is the one of
    the kind's periods that held_on falls in: a drill held in April counts for Q2, whatever
    quarter the officer was looking at."""
    today = today or timezone.localdate()
    if not may_record(actor, station):
        raise PermissionDenied
    errors = {}
    if not kind.is_active:
        errors["kind"] = gettext("This duty is no longer in use.")
    if held_on > today:
        errors["held_on"] = gettext("Date held: {date} is in the future.").format(
            date=held_on.isoformat())
    period = periods.period_containing(kind.period, held_on)
    if period is None and "held_on" not in errors:
        errors["held_on"] = gettext(
            "Date held: {date} falls in no semester (spring: March to July, autumn: September "
            "to January).").format(date=held_on.isoformat())
    if not (summary or "").strip():
        errors["summary"] = gettext("Summary: say what was done.")
    if participants is not None and participants < 0:
        errors["participants"] = gettext("Participants: {value} is not a count.").format(
            value=participants)
    content_type = ""
    if attachment:
        try:
            content_type = check_attachment(attachment)
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record = DutyRecord(
            station=station, jurisdiction_code=station.code, kind=kind,
            period_start=period.start, period_end=period.end, held_on=held_on,
            summary=summary.strip(), participants=participants, attachment_type=content_type,
            recorded_by=actor)
        if attachment:
            record.attachment.save(attachment.name, attachment, save=False)
        record.save()
        audit.record_create(actor, record)
    return record
