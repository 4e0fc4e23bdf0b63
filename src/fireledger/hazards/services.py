"""Every write to the hazard register: validate, write and record an audit event in one
transaction. The allowed status changes are lifecycle.TRANSITIONS; nothing else sets a status.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fireledger.core import audit
from fireledger.core.choices import Role
from fireledger.core.models import AuditAction
from fireledger.core.scope import assignments, permits

from . import lifecycle
from .choices import Status
from .models import Hazard

RECTIFICATION_FIELDS = frozenset({
    "responsible_unit", "responsible_person", "responsible_phone", "measures",
    "funding_source", "funding_amount", "interim_safeguards",
})
LOG_FIELDS = RECTIFICATION_FIELDS | {
    "category", "description", "location_in_place", "found_on", "found_by", "source",
    "is_major", "fixed_on_spot", "deadline",
}
# The details each action takes besides `note` (which goes to the audit event).
ACTION_FIELDS: dict[str, frozenset[str]] = {
    lifecycle.START: RECTIFICATION_FIELDS | {"deadline"},
    lifecycle.REPORT_RECTIFICATION: RECTIFICATION_FIELDS,
    lifecycle.VERIFY_PASS: frozenset(),
    lifecycle.VERIFY_FAIL: frozenset({"deadline"}),
    lifecycle.DECLARE_CANNOT_RECTIFY: frozenset({"cannot_rectify_reason", "review_on"}),
    lifecycle.RESUME: frozenset({"deadline"}),
    lifecycle.REOPEN: frozenset({"deadline"}),
}
# What the unit responsible for the place may do itself; every other action needs "change".
UNIT_ACTIONS = frozenset({lifecycle.START, lifecycle.REPORT_RECTIFICATION})
NOTE_MAX = 180
MAJOR_NEEDS_SAFEGUARDS = _("A major hazard needs interim safeguards until it is rectified.")


def _organisation_ids(place) -> tuple:
    return (place.owner_id, place.manager_id, place.occupant_id)


def _may_change(actor, place) -> bool:
    return permits(actor, "change", place.jurisdiction_code, department_id=place.department_id,
                   organisation_ids=_organisation_ids(place))


def _is_unit_manager_for(actor, hazard: Hazard) -> bool:
    """A unit manager assigned to one of the place's units, with the place in their area."""
    org_ids = set(_organisation_ids(hazard.place)) - {None}
    return any(
        a.role == Role.UNIT_MANAGER and a.organisation_id in org_ids
        and hazard.jurisdiction_code.startswith(a.jurisdiction.prefix)
        for a in assignments(actor)
    )


def may_transition(actor, hazard: Hazard, action: str) -> bool:
    """Whether actor's roles allow action on hazard (the status is checked separately).

    The same rule as Hazard.objects.visible_to(actor, "change"), plus the place's own unit
    manager for the unit's steps.
    """
    if permits(actor, "change", hazard.jurisdiction_code, department_id=hazard.department_id,
               organisation_ids=_organisation_ids(hazard.place)):
        return True
    return action in UNIT_ACTIONS and _is_unit_manager_for(actor, hazard)


def _not_in_past(field: str, value, today) -> None:
    if value is not None and value < today:
        raise ValidationError({field: _("The date cannot be in the past.")}, code="past_date")


def _require_deadline(deadline, today) -> None:
    if deadline is None:
        raise ValidationError({"deadline": _("Set a rectification deadline.")}, code="required")
    if deadline < today:
        raise ValidationError(
            {"deadline": _("The rectification deadline cannot be in the past.")}, code="past_date")


def _check_fields(data: dict, allowed: frozenset[str], what: str) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise TypeError(f"{what} does not take {', '.join(sorted(unknown))}")


def _note(note: str) -> str:
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": _("Keep the note to %(max)d characters.") % {"max": NOTE_MAX}},
            code="max_length")
    return note


@transaction.atomic
def log_hazard(actor, place, **data) -> Hazard:
    """Put a hazard on the list (上账). Fixed on the spot: it is closed on the day it was found."""
    _check_fields(data, LOG_FIELDS, "log_hazard")
    if not _may_change(actor, place):
        raise PermissionDenied("change not permitted on this place")
    today = timezone.localdate()
    data.setdefault("found_by", actor)
    data.setdefault("found_on", today)
    hazard = Hazard(place=place, jurisdiction_code=place.jurisdiction_code,
                    department_id=place.department_id, **data)
    if hazard.found_on > today:
        raise ValidationError({"found_on": _("The date found cannot be in the future.")},
                              code="future_date")
    if hazard.fixed_on_spot:
        hazard.deadline = None
        hazard.status = lifecycle.CLOSED
        hazard.closed_on = hazard.found_on
    else:
        _require_deadline(hazard.deadline, today)
        hazard.status = lifecycle.PENDING
        if hazard.is_major and not hazard.interim_safeguards.strip():
            raise ValidationError(
                {"interim_safeguards": MAJOR_NEEDS_SAFEGUARDS}, code="required")
    hazard.full_clean()
    hazard.save()
    audit.record(actor, AuditAction.CREATE, hazard, after=audit.snapshot(hazard, skip_empty=True))
    return hazard


@transaction.atomic
def transition(actor, hazard: Hazard, action: str, *, note: str = "", **details) -> Hazard:
    """Apply one action of lifecycle.TRANSITIONS to hazard, with its details; returns hazard
    refreshed from the database."""
    if action not in lifecycle.TRANSITIONS:
        raise ValueError(f"unknown action {action!r}")
    _check_fields(details, ACTION_FIELDS[action], action)
    note = _note(note)
    current = Hazard.objects.select_related("place").select_for_update(of=("self",)).get(
        pk=hazard.pk)
    if not may_transition(actor, current, action):
        raise PermissionDenied(f"{action} not permitted on this hazard")
    try:
        new_status = lifecycle.next_status(current.status, action)
    except lifecycle.InvalidTransition:
        raise ValidationError(
            _("This step is not possible while the hazard is “%(status)s”."),
            params={"status": Status(current.status).label}, code="invalid_transition",
        ) from None
    today = timezone.localdate()
    before = audit.snapshot(current)
    for field, value in details.items():
        setattr(current, field, value)

    if action in (lifecycle.START, lifecycle.VERIFY_FAIL) and "deadline" in details:
        _require_deadline(current.deadline, today)
    elif action in (lifecycle.RESUME, lifecycle.REOPEN):
        _require_deadline(details.get("deadline"), today)
    if "interim_safeguards" in details and current.is_major \
            and not current.interim_safeguards.strip():
        raise ValidationError({"interim_safeguards": MAJOR_NEEDS_SAFEGUARDS}, code="required")
    if action == lifecycle.REPORT_RECTIFICATION:
        if not current.measures.strip():
            raise ValidationError({"measures": _("Describe the rectification measures taken.")},
                                  code="required")
        current.rectification_reported_by = actor
        current.rectification_reported_on = today
    elif action in (lifecycle.VERIFY_PASS, lifecycle.VERIFY_FAIL):
        if current.rectification_reported_by_id == getattr(actor, "pk", None):
            raise ValidationError(
                _("The rectification must be verified by someone other than the person who "
                  "reported it."),
                code="own_rectification",
            )
        if action == lifecycle.VERIFY_FAIL and not note.strip():
            raise ValidationError(
                {"note": _("Say why the rectification did not pass verification.")},
                code="required")
        current.verified_by = actor
        current.verified_on = today
    elif action == lifecycle.DECLARE_CANNOT_RECTIFY:
        if not current.cannot_rectify_reason.strip():
            raise ValidationError(
                {"cannot_rectify_reason": _("Explain why the hazard cannot be rectified.")},
                code="required")
        _not_in_past("review_on", current.review_on, today)
    elif action == lifecycle.REOPEN:
        current.reopen_count += 1
        current.rectification_reported_by = None
        current.rectification_reported_on = None
        current.verified_by = None
        current.verified_on = None

    current.status = new_status
    current.closed_on = today if new_status == lifecycle.CLOSED else None
    current.full_clean()
    current.save()
    after = audit.snapshot(current)
    changed = {k for k in after if before.get(k) != after.get(k)} - {"updated_at"}
    audit.record(
        actor, AuditAction.CHANGE, current,
        before={k: before[k] for k in changed}, after={k: after[k] for k in changed},
        note=f"{action}: {note}" if note else action,
    )
    hazard.refresh_from_db()
    return hazard
