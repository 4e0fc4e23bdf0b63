"""Every write to the hazard register: validate, write and record an audit event in one
transaction. The allowed status changes are lifecycle.TRANSITIONS; nothing else sets a status.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fireledger.core import audit
from fireledger.core.files import image_format
from fireledger.core.choices import Role
from fireledger.core.models import AuditAction
from fireledger.core.scope import assignments, permits
from fireledger.places import services as place_services
from fireledger.risk.services import recompute_places

from . import lifecycle
from .choices import Status
from .models import (
    DeadlineRule,
    Enforcement,
    EscalationPolicy,
    ExtensionRequest,
    Hazard,
    HazardPhoto,
    ListedSupervision,
    ReferralNotice,
    SupervisionCheck,
)

RECTIFICATION_FIELDS = frozenset({
    "responsible_unit", "responsible_person", "responsible_phone", "measures",
    "funding_source", "funding_amount", "interim_safeguards",
})
LOG_FIELDS = RECTIFICATION_FIELDS | {
    "category", "description", "location_in_place", "found_on", "found_by", "source",
    "is_major", "fixed_on_spot", "deadline",
}
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
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


def _may_change(actor, place) -> bool:
    return place_services.may(actor, "change", place)


def may_transition(actor, hazard: Hazard, action: str) -> bool:
    """Whether actor's roles allow action on hazard (the status is checked separately).

    The same rule as Hazard.objects.visible_to(actor, "change"), plus the place's own unit
    manager for the unit's steps.
    """
    if permits(actor, "change", hazard.jurisdiction_code, department_id=hazard.department_id,
               organisation_ids=place_services.organisation_ids(hazard.place)):
        return True
    return action in UNIT_ACTIONS and place_services.is_unit_manager_of(actor, hazard.place)


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


def default_deadline(category, is_major: bool, found_on, today=None):
    """The deadline DeadlineRule gives: working days counted from the day found, or from today
    when the hazard is logged so late that the period has already run out."""
    rules = {(r.category_id, r.is_major): r.workdays for r in DeadlineRule.objects.filter(
        Q(category__isnull=True) | Q(category_id__in=[category.pk, category.parent_id]),
        is_major=is_major)}
    for key in (category.pk, category.parent_id, None):
        if (key, is_major) in rules:
            return deadline_after(found_on, rules[(key, is_major)], today)
    return None


def deadline_after(found_on, workdays: int, today=None):
    """`workdays` working days from the day found, or from today when the hazard is logged so
    late that the period has already run out."""
    from fireledger.core.calendar import add_workdays

    today = today or timezone.localdate()
    deadline = add_workdays(found_on, workdays)
    return deadline if deadline >= today else add_workdays(today, workdays)


def check_photo(upload) -> None:
    """Refuse anything that is not a JPEG, PNG, WebP or GIF image within the size limit."""
    name = getattr(upload, "name", "")
    if upload.size > settings.FIRELEDGER_PHOTO_MAX_BYTES:
        raise ValidationError({"photos": _("“%(name)s” is larger than %(mb)d MB.") % {
            "name": name, "mb": settings.FIRELEDGER_PHOTO_MAX_BYTES // (1024 * 1024)}},
            code="too_large")
    if image_format(upload) not in PHOTO_FORMATS:
        raise ValidationError(
            {"photos": _("“%(name)s” is not a photo: upload a JPEG, PNG or WebP image.") % {
                "name": name}}, code="not_an_image")


def _save_photos(actor, hazard: Hazard, kind: str, uploads) -> list[HazardPhoto]:
    photos = []
    for upload in uploads:
        photo = HazardPhoto(hazard=hazard, kind=kind, taken_by=actor)
        photo.image.save(upload.name, upload, save=False)
        photo.save()
        audit.record(actor, AuditAction.CREATE, photo,
                     after={"hazard": hazard.pk, "kind": kind, "image": photo.image.name})
        photos.append(photo)
    return photos


def is_district_office_for(actor, code: str) -> bool:
    if getattr(actor, "is_superuser", False):
        return True
    return any(a.role == Role.DISTRICT_OFFICE and code.startswith(a.jurisdiction.prefix)
               for a in assignments(actor))


def _open_notice(hazard: Hazard, place) -> None:
    """A hazard at a unit listed by the brigade or a police station is copied to them (抄告)."""
    from fireledger.core.calendar import add_workdays

    if not place.listed_by:
        return
    policy = EscalationPolicy.current()
    notice = ReferralNotice.objects.create(
        hazard=hazard, jurisdiction_code=hazard.jurisdiction_code, agency=place.listed_by,
        due_on=add_workdays(hazard.found_on, policy.notice_workdays))
    audit.record_create(None, notice)


@transaction.atomic
def log_hazard(actor, place, *, photos=(), rectified_on=None, self_inspection=False,
               **data) -> Hazard:
    """Put a hazard on the list (上账).

    Fixed on the spot: it is closed on the day it was found. `rectified_on` (imports of a
    street's summary table) puts a hazard on the list that was already rectified on that date.
    With no deadline given, DeadlineRule gives one. `self_inspection`: a unit's own
    self-inspection puts it there; inspections.services has checked that the actor may
    self-inspect the place (its unit manager, or an invitation), which "change" does not cover.
    """
    _check_fields(data, LOG_FIELDS, "log_hazard")
    if not self_inspection and not _may_change(actor, place):
        raise PermissionDenied("change not permitted on this place")
    for upload in photos:
        check_photo(upload)
    today = timezone.localdate()
    data.setdefault("found_by", actor)
    data.setdefault("found_on", today)
    hazard = Hazard(place=place, jurisdiction_code=place.jurisdiction_code,
                    department_id=place.department_id, **data)
    if hazard.found_on > today:
        raise ValidationError({"found_on": _("The date found cannot be in the future.")},
                              code="future_date")
    if rectified_on is not None:
        if not hazard.found_on <= rectified_on <= today:
            raise ValidationError({"closed_on": _(
                "The rectification date must lie between the date found and today.")},
                code="invalid_date")
        hazard.status = lifecycle.CLOSED
        hazard.closed_on = rectified_on
    elif hazard.fixed_on_spot:
        hazard.deadline = None
        hazard.status = lifecycle.CLOSED
        hazard.closed_on = hazard.found_on
    else:
        if hazard.deadline is None and hazard.category_id:
            hazard.deadline = default_deadline(hazard.category, hazard.is_major,
                                               hazard.found_on, today)
        _require_deadline(hazard.deadline, today)
        hazard.status = lifecycle.PENDING
        if hazard.is_major and not hazard.interim_safeguards.strip():
            raise ValidationError(
                {"interim_safeguards": MAJOR_NEEDS_SAFEGUARDS}, code="required")
    hazard.full_clean()
    hazard.save()
    audit.record_create(actor, hazard)
    _save_photos(actor, hazard, HazardPhoto.Kind.FOUND, photos)
    _open_notice(hazard, place)
    recompute_places([place.pk])
    return hazard


@transaction.atomic
def transition(actor, hazard: Hazard, action: str, *, note: str = "", photos=(),
               **details) -> Hazard:
    """Apply one action of lifecycle.TRANSITIONS to hazard, with its details and photos;
    returns hazard refreshed from the database."""
    if action not in lifecycle.TRANSITIONS:
        raise ValueError(f"unknown action {action!r}")
    _check_fields(details, ACTION_FIELDS[action], action)
    note = _note(note)
    for upload in photos:
        check_photo(upload)
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
        if action == lifecycle.VERIFY_PASS and not photos:
            raise ValidationError(
                {"photos": _("Add at least one photo taken at verification.")},
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
    audit.record_change(actor, current, before, note=f"{action}: {note}" if note else action)
    kind = {lifecycle.REPORT_RECTIFICATION: HazardPhoto.Kind.RECTIFIED,
            lifecycle.VERIFY_PASS: HazardPhoto.Kind.VERIFICATION,
            lifecycle.VERIFY_FAIL: HazardPhoto.Kind.VERIFICATION}.get(action,
                                                                     HazardPhoto.Kind.FOUND)
    _save_photos(actor, current, kind, photos)
    if new_status == lifecycle.CLOSED:
        _lift_listing(actor, current, today)
    recompute_places([current.place_id])
    hazard.refresh_from_db()
    return hazard


def _lift_listing(actor, hazard: Hazard, today) -> None:
    """Closing a listed hazard lifts its listed supervision; an undecided proposal lapses."""
    listing = ListedSupervision.objects.filter(hazard=hazard, lifted_on__isnull=True).first()
    if listing is None or listing.decision == ListedSupervision.Decision.DECLINED:
        return
    before = audit.snapshot(listing)
    listing.lifted_on = today
    listing.save()
    audit.record_change(actor, listing, before, note="lifted: hazard closed")


def may_act_for_unit(actor, hazard: Hazard) -> bool:
    """Officers with change rights, and the place's own unit manager (asking for more time)."""
    return may_transition(actor, hazard, lifecycle.REPORT_RECTIFICATION)


def may_change_hazard(actor, hazard: Hazard) -> bool:
    """Change rights on the hazard's place: checks, notices, enforcement records."""
    return _may_change(actor, hazard.place)


@transaction.atomic
def request_extension(actor, hazard: Hazard, *, new_deadline, reason: str) -> ExtensionRequest:
    """延期申请: the unit (or an officer) asks for a later deadline; someone else decides."""
    hazard = Hazard.objects.select_related("place").select_for_update(of=("self",)).get(
        pk=hazard.pk)
    if not may_act_for_unit(actor, hazard):
        raise PermissionDenied("extension not permitted on this hazard")
    if hazard.status not in lifecycle.DEADLINE_STATUSES or hazard.deadline is None:
        raise ValidationError(_("Only a hazard being rectified against a deadline can be "
                                "extended."), code="invalid_transition")
    if ExtensionRequest.objects.filter(hazard=hazard,
                                       decision=ExtensionRequest.Decision.PENDING).exists():
        raise ValidationError(_("An extension request for this hazard is already awaiting a "
                                "decision."), code="duplicate")
    if new_deadline is None or new_deadline <= hazard.deadline:
        raise ValidationError({"new_deadline": _(
            "The new deadline must be later than the current one (%(date)s).") % {
            "date": hazard.deadline.isoformat()}}, code="not_later")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why more time is needed.")}, code="required")
    extension = ExtensionRequest.objects.create(
        hazard=hazard, requested_by=actor, requested_on=timezone.localdate(),
        current_deadline=hazard.deadline, new_deadline=new_deadline, reason=reason.strip())
    audit.record_create(actor, extension)
    return extension


@transaction.atomic
def decide_extension(actor, extension: ExtensionRequest, *, approve: bool,
                     note: str = "") -> ExtensionRequest:
    """Approve (the deadline moves and the ladder starts again) or refuse an extension."""
    extension = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    hazard = Hazard.objects.select_related("place").select_for_update(of=("self",)).get(
        pk=extension.hazard_id)
    if not permits(actor, "change", hazard.jurisdiction_code, department_id=hazard.department_id):
        raise PermissionDenied("deciding extensions not permitted here")
    if extension.decision != ExtensionRequest.Decision.PENDING:
        raise ValidationError(_("This request has already been decided."), code="decided")
    if extension.requested_by_id == actor.pk:
        raise ValidationError(_("An extension must be decided by someone other than the person "
                                "who requested it."), code="own_request")
    if not approve and not note.strip():
        raise ValidationError({"decision_note": _("Say why the extension is refused.")},
                              code="required")
    today = timezone.localdate()
    before = audit.snapshot(extension)
    extension.decision = (ExtensionRequest.Decision.APPROVED if approve
                          else ExtensionRequest.Decision.REFUSED)
    extension.decided_by = actor
    extension.decided_on = today
    extension.decision_note = _note(note)
    extension.save()
    audit.record_change(actor, extension, before)
    if approve and hazard.status in lifecycle.DEADLINE_STATUSES:
        hazard_before = audit.snapshot(hazard)
        hazard.deadline = extension.new_deadline  # a new ladder: sweep steps are per deadline
        hazard.save()
        audit.record_change(actor, hazard, hazard_before, note="extension approved")
        recompute_places([hazard.place_id])
    return extension


@transaction.atomic
def decide_listing(actor, listing: ListedSupervision, *, listed: bool,
                   note: str = "") -> ListedSupervision:
    """The district office lists a proposed major hazard for supervision (挂牌督办), or not."""
    listing = ListedSupervision.objects.select_for_update().get(pk=listing.pk)
    if not is_district_office_for(actor, listing.jurisdiction_code):
        raise PermissionDenied("only the district office decides listed supervision")
    if listing.decision != ListedSupervision.Decision.PROPOSED or listing.lifted_on:
        raise ValidationError(_("This proposal has already been decided."), code="decided")
    if not listed and not note.strip():
        raise ValidationError({"decision_note": _("Say why the hazard is not listed.")},
                              code="required")
    before = audit.snapshot(listing)
    listing.decision = (ListedSupervision.Decision.LISTED if listed
                        else ListedSupervision.Decision.DECLINED)
    listing.decided_by = actor
    listing.decided_on = timezone.localdate()
    listing.decision_note = _note(note)
    listing.save()
    audit.record_change(actor, listing, before)
    recompute_places(Hazard.objects.filter(pk=listing.hazard_id).values_list("place_id", flat=True))
    return listing


@transaction.atomic
def record_check(actor, listing: ListedSupervision, *, checked_on,
                 findings: str) -> SupervisionCheck:
    """A check of a listed hazard; the monthly rule counts from the latest one."""
    listing = ListedSupervision.objects.select_for_update().select_related("hazard__place").get(
        pk=listing.pk)
    hazard = listing.hazard
    if not _may_change(actor, hazard.place):
        raise PermissionDenied("checks not permitted here")
    if listing.decision != ListedSupervision.Decision.LISTED or listing.lifted_on:
        raise ValidationError(_("Only a hazard under listed supervision takes check records."),
                              code="not_listed")
    today = timezone.localdate()
    if checked_on is None or checked_on > today:
        raise ValidationError({"checked_on": _("The check date cannot be in the future.")},
                              code="future_date")
    if not findings.strip():
        raise ValidationError({"findings": _("Record what the check found.")}, code="required")
    check = SupervisionCheck.objects.create(listing=listing, checked_on=checked_on,
                                            checked_by=actor, findings=findings.strip())
    audit.record_create(actor, check)
    if listing.last_check_on is None or checked_on > listing.last_check_on:
        before = audit.snapshot(listing)
        listing.last_check_on = checked_on
        listing.save()
        audit.record_change(actor, listing, before)
    return check


@transaction.atomic
def send_notice(actor, notice: ReferralNotice, *, sent_on, reference: str = "") -> ReferralNotice:
    """Record that the referral notice (抄告单) went to the brigade or police station."""
    notice = ReferralNotice.objects.select_for_update().select_related("hazard__place").get(
        pk=notice.pk)
    if not _may_change(actor, notice.hazard.place):
        raise PermissionDenied("notices not permitted here")
    if notice.sent_on:
        raise ValidationError(_("This notice has already been sent."), code="sent")
    if sent_on is None or sent_on > timezone.localdate() or sent_on < notice.hazard.found_on:
        raise ValidationError({"sent_on": _(
            "The date sent must lie between the date found and today.")}, code="invalid_date")
    before = audit.snapshot(notice)
    notice.sent_on = sent_on
    notice.sent_by = actor
    notice.reference = reference.strip()[:60]
    notice.save()
    audit.record_change(actor, notice, before)
    return notice


@transaction.atomic
def record_enforcement(actor, hazard: Hazard, *, kind: str, on, note: str,
                       department=None) -> Enforcement:
    """A unit refuses to rectify: referral (移送) to a department or joint enforcement."""
    hazard = Hazard.objects.select_related("place").get(pk=hazard.pk)
    if not _may_change(actor, hazard.place):
        raise PermissionDenied("enforcement not permitted here")
    if not hazard.is_open:
        raise ValidationError(_("The hazard is closed."), code="closed")
    if kind not in Enforcement.Kind.values:
        raise ValidationError({"kind": _("Choose referral or joint enforcement.")},
                              code="invalid")
    if kind == Enforcement.Kind.REFERRAL and department is None:
        raise ValidationError({"department": _("Name the department the case is referred to.")},
                              code="required")
    if on is None or on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")}, code="future_date")
    if not note.strip():
        raise ValidationError({"note": _("Describe what was done.")}, code="required")
    record = Enforcement.objects.create(hazard=hazard, kind=kind, department=department, on=on,
                                        note=note.strip(), recorded_by=actor)
    audit.record_create(actor, record)
    return record
