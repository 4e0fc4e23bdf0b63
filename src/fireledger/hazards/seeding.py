"""The write path for generated hazards (demo and scale data), next to services.log_hazard.

services.log_hazard and services.transition write what people do today: a hazard found today
or earlier, then one step at a time, each dated today. Generated data must hold hazards whose
whole history lies in the past (found in June, rectified in July, verified in August, reopened
in September …), which the services rightly refuse. `bulk_create_hazards` writes such hazards
as they are, after checking that each one is consistent (the rules below), together with one
audit event per hazard (action "create", the note saying they were generated, the full row as
`after`), in one transaction — the same idea as places.services.bulk_create_places.

It is for generators only (hazards/demo.py); nothing a user types goes through it. The
escalation dates (reminded_on, …) are left empty: the sweep catches up on missed days. As
services.log_hazard does, a hazard at a place listed by the brigade or a police station gets its
referral notice (抄告, due within EscalationPolicy.notice_workdays working days of the day found),
with the date it was sent if the generator says so, and an audit event of its own.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from fireledger.core import audit, bulk
from fireledger.core.models import AuditAction, AuditEvent
from fireledger.core.scope import permits

from . import lifecycle
from .models import EscalationPolicy, Hazard, ReferralNotice


def check_hazard(h, today: datetime.date) -> list[str]:
    """What is inconsistent about one generated hazard (empty when nothing is).

    Works on a Hazard or on any object with its attnames (a SimpleNamespace row)."""
    problems = []
    status = h.status
    if status not in lifecycle.STATUSES:
        return [f"unknown status {status!r}"]
    if not h.description:
        problems.append("no description")
    if h.found_on is None or h.found_on > today:
        problems.append("found_on missing or in the future")
        return problems
    closed = status == lifecycle.CLOSED
    if closed != (h.closed_on is not None):
        problems.append("closed_on must be set exactly when closed")
    if h.closed_on is not None and not h.found_on <= h.closed_on <= today:
        problems.append("closed_on outside found_on … today")
    if h.fixed_on_spot:
        if h.deadline is not None or not closed or h.closed_on != h.found_on or h.reopen_count:
            problems.append("fixed on the spot: closed the day found, no deadline, no rebound")
    elif h.deadline is None or h.deadline < h.found_on:
        problems.append("deadline missing or before found_on")
    if h.is_major and status in lifecycle.OPEN_STATUSES and not h.interim_safeguards.strip():
        problems.append("an open major hazard needs interim safeguards")
    if status == lifecycle.CANNOT_RECTIFY and not (h.cannot_rectify_reason.strip()
                                                    and h.review_on):
        problems.append("cannot be rectified: reason and review date needed")
    reported = h.rectification_reported_on
    if status == lifecycle.AWAITING_VERIFICATION and (reported is None or not h.measures.strip()):
        problems.append("awaiting verification: measures and the date reported needed")
    if reported is not None and not h.found_on <= reported <= today:
        problems.append("rectification_reported_on outside found_on … today")
    if h.verified_on is not None and not h.found_on <= h.verified_on <= today:
        problems.append("verified_on outside found_on … today")
    if h.review_on is not None and h.review_on < h.found_on:
        problems.append("review_on before found_on")
    if h.reopen_count < 0:
        problems.append("negative reopen_count")
    return problems


def check_all(hazards, today: datetime.date) -> None:
    """ValidationError listing the first problems (row number: problem); nothing written."""
    errors = []
    for i, h in enumerate(hazards):
        errors += [f"#{i}: {p}" for p in check_hazard(h, today)]
        if len(errors) >= 20:
            break
    if errors:
        raise ValidationError(errors)


def bulk_create_hazards(actor, hazards: list[Hazard], *, note: str = "", batch_size: int = 2000,
                        progress=None, today: datetime.date | None = None,
                        notices_sent: list | None = None) -> list[Hazard]:
    """Write generated hazards (unsaved Hazard instances with `place` set) and one audit event
    each, all or nothing.

    Scope and department come from the place, as in log_hazard; the actor must be allowed to
    change every place. Rows go in with one executemany (COPY on PostgreSQL) per batch
    (core.bulk.insert); their ids are read back by the batch's own creation timestamp.
    Hazards at listed places get their referral notice; `notices_sent[i]` is the date hazard
    i's notice was sent (None: not yet), sent by the actor. `progress(n)` is called after each
    batch with the count so far.
    """
    today = today or timezone.localdate()
    if notices_sent is not None and len(notices_sent) != len(hazards):
        raise ValueError("notices_sent needs one entry per hazard")
    for h in hazards:
        place = h.place
        h.jurisdiction_code = place.jurisdiction_code
        h.department_id = place.department_id
        if not permits(actor, "change", place.jurisdiction_code, department_id=place.department_id,
                       organisation_ids=(place.owner_id, place.manager_id, place.occupant_id)):
            raise PermissionDenied(f"change not permitted on place {place.pk}")
    check_all(hazards, today)
    sent_on = notices_sent or [None] * len(hazards)
    for i, (h, sent) in enumerate(zip(hazards, sent_on)):
        if sent is not None and not (h.place.listed_by and h.found_on <= sent <= today):
            raise ValidationError(f"#{i}: a notice is sent between found_on and today, "
                                  "at a listed place only")
    written: list[Hazard] = []
    with transaction.atomic():
        for start in range(0, len(hazards), batch_size):
            batch = hazards[start:start + batch_size]
            before = Hazard.objects.aggregate(m=Max("pk"))["m"] or 0
            bulk.insert(Hazard, batch)
            # One timestamp per batch (core.bulk.insert), ids in insertion order.
            ids = list(Hazard.objects.filter(pk__gt=before, created_at=batch[0].created_at)
                       .order_by("pk").values_list("pk", flat=True))
            if len(ids) != len(batch):
                raise RuntimeError(f"read back {len(ids)} ids for {len(batch)} hazards")
            for h, pk in zip(batch, ids):
                h.pk = pk
                h._state.adding = False
            now = timezone.now()
            bulk.insert(AuditEvent, [
                audit.event_row(actor, AuditAction.CREATE, h, note=note, at=now,
                                after=audit.snapshot(h, skip_empty=True))
                for h in batch])
            _open_notices(actor, batch, sent_on[start:start + batch_size], note, now)
            written.extend(batch)
            if progress:
                progress(len(written))
    return written


def _open_notices(actor, batch: list[Hazard], sent_on: list, note: str, now) -> None:
    """services._open_notice for generated hazards: a notice per hazard at a listed place."""
    from fireledger.core.calendar import add_workdays

    listed = [(h, sent) for h, sent in zip(batch, sent_on) if h.place.listed_by]
    if not listed:
        return
    policy = EscalationPolicy.current()
    due: dict[datetime.date, datetime.date] = {}
    notices = []
    for h, sent in listed:
        if h.found_on not in due:
            due[h.found_on] = add_workdays(h.found_on, policy.notice_workdays)
        notices.append(ReferralNotice(
            hazard=h, jurisdiction_code=h.jurisdiction_code, agency=h.place.listed_by,
            due_on=due[h.found_on], sent_on=sent, sent_by=actor if sent else None,
            reference=f"抄告〔{sent.year}〕{h.pk}号" if sent else ""))
    bulk.insert(ReferralNotice, notices)
    ids = dict(ReferralNotice.objects.filter(hazard_id__in=[n.hazard_id for n in notices])
               .values_list("hazard_id", "pk"))
    for notice in notices:
        notice.pk = ids[notice.hazard_id]
    bulk.insert(AuditEvent, [
        audit.event_row(None, AuditAction.CREATE, n, note=note, at=now,
                        after=audit.snapshot(n, skip_empty=True))
        for n in notices])
