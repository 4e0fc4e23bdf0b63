"""Every write to inspections, commitments and invitations: validate, write, and record an
audit event in one transaction. Failed items become hazards through hazards.services, in the
same transaction as the inspection's submission.

Who may inspect a place: anyone with "change" on it (street officer, grid worker, the place's
industry department, district office). A self-inspection is also open to the place's own unit
manager, or to whoever holds a valid invitation for it.
"""

import base64
import binascii
import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fireledger.core import audit
from fireledger.hazards import lifecycle
from fireledger.hazards import services as hazard_services
from fireledger.hazards.choices import Source
from fireledger.hazards.models import Hazard
from fireledger.places import services as place_services
from fireledger.risk.services import recompute_places

from .choices import TWO_INSPECTORS, FollowUp, Kind, Outcome, SignatureMethod, Status
from .models import (
    ChecklistTemplate,
    ChecklistVersion,
    Commitment,
    Inspection,
    InspectionResult,
    Invitation,
    ResultPhoto,
    Signature,
)

# Seed 001 第一篇 四、(十)2: the "三自主两公开一承诺" system in the seed's own words.
COMMITMENT_WORDING = (
    "本单位已落实消防安全“三自主两公开一承诺”制度：自主评估风险、自主检查隐患、自主消除隐患，"
    "在单位场所醒目位置公开消防安全责任人、管理人及联系方式，"
    "承诺本单位场所不存在消防安全突出风险或已落实整改。")
INVITATION_DAYS = 14
SIGNATURE_MAX_BYTES = 512 * 1024
NOT_A_DRAFT = _("This inspection has been submitted and can no longer be changed.")


# --- who may do what -------------------------------------------------------------------

def may_inspect(actor, place) -> bool:
    return place_services.may(actor, "change", place)


is_unit_manager_of = place_services.is_unit_manager_of


def may_self_inspect(actor, place, invitation=None) -> bool:
    if invitation is not None:
        return invitation_usable(invitation) and invitation.place_id == place.pk
    return is_unit_manager_of(actor, place) or may_inspect(actor, place)


def _may_edit(actor, inspection: Inspection, invitation=None) -> bool:
    if inspection.invitation_id is not None:
        return invitation is not None and invitation.pk == inspection.invitation_id \
            and invitation_usable(invitation)
    if actor is None:
        return False
    if inspection.kind == Kind.RANDOM and _drawn_for(actor, inspection):
        return True  # the draw chose them for this place, their own street or not
    if inspection.created_by_id != actor.pk:
        return False
    if inspection.kind == Kind.SELF:
        return may_self_inspect(actor, inspection.place)
    return may_inspect(actor, inspection.place)


def _drawn_for(actor, inspection: Inspection) -> bool:
    from .services_draws import is_drawn_inspector

    return is_drawn_inspector(actor, inspection)


def _draft(actor, inspection: Inspection, invitation=None) -> Inspection:
    """The inspection locked for writing: a draft the actor may edit, or refused."""
    current = Inspection.objects.select_for_update().select_related("place").get(
        pk=inspection.pk)
    if not _may_edit(actor, current, invitation):
        raise PermissionDenied("not this actor's draft")
    if current.status != Status.DRAFT:
        raise ValidationError(NOT_A_DRAFT, code="submitted")
    return current


# --- checklists ------------------------------------------------------------------------

def templates_for(place) -> list[ChecklistTemplate]:
    """The active checklists that apply to the place's category (a handful of rows)."""
    return [t for t in ChecklistTemplate.objects.filter(is_active=True)
            if place.category in t.place_categories]


@transaction.atomic
def snapshot_version(actor, template: ChecklistTemplate) -> ChecklistVersion:
    """Freeze the template's items as a new version, unless they equal the latest one."""
    items = [item.as_data() for item in template.items.order_by("sort_order", "pk")]
    latest = template.versions.order_by("-version").first()
    if latest is not None and latest.items == items and latest.name == template.name:
        return latest
    version = ChecklistVersion.objects.create(
        template=template, version=(latest.version + 1) if latest else 1, name=template.name,
        items=items)
    audit.record_create(actor, version)
    return version


# --- inspections -----------------------------------------------------------------------

def _results_from_version(version: ChecklistVersion) -> list[InspectionResult]:
    return [InspectionResult(
        sort_order=n, number=item["number"], area=item.get("area", ""), text=item["text"],
        category_id=item["category_id"], is_major=item.get("is_major", False),
        workdays=item.get("workdays")) for n, item in enumerate(version.items)]


def _results_from_previous(previous: Inspection) -> list[InspectionResult]:
    """One result per hazard the previous inspection left open."""
    hazard_ids = previous.results.filter(hazard__isnull=False).values("hazard_id")
    hazards = Hazard.objects.filter(pk__in=hazard_ids).open().select_related("category") \
        .order_by("pk")
    return [InspectionResult(
        sort_order=n, number=str(n + 1), text=h.description, category=h.category,
        is_major=h.is_major, hazard=h) for n, h in enumerate(hazards)]


@transaction.atomic
def start_inspection(actor, place, *, kind: str, version: ChecklistVersion | None = None,
                     previous: Inspection | None = None, token=None, inspected_on=None,
                     invitation: Invitation | None = None) -> Inspection:
    """A draft inspection of place with its results to answer. The same `token` twice (a
    double tap, a retried request) returns the draft already started."""
    if token is not None:
        existing = Inspection.objects.filter(token=token).first()
        if existing is not None:
            if existing.place_id != place.pk or existing.created_by_id != getattr(actor, "pk", None):
                raise PermissionDenied("token belongs to another inspection")
            return existing
    if invitation is not None:
        kind = Kind.SELF
        if invitation.place_id != place.pk or not invitation_usable(invitation):
            raise PermissionDenied("invitation not usable for this place")
        existing = Inspection.objects.filter(invitation=invitation).first()
        if existing is not None:
            return existing
    if kind not in Kind.values:
        raise ValueError(f"unknown kind {kind!r}")
    allowed = may_self_inspect(actor, place, invitation) if kind == Kind.SELF \
        else may_inspect(actor, place)
    if not allowed:
        raise PermissionDenied("inspection not permitted at this place")
    today = timezone.localdate()
    inspected_on = inspected_on or today
    if inspected_on > today:
        raise ValidationError({"inspected_on": _("The inspection date cannot be in the future.")},
                              code="future_date")
    if kind == Kind.FOLLOW_UP:
        if previous is None or previous.place_id != place.pk or previous.is_draft:
            raise ValidationError({"previous": _("A re-inspection starts from a submitted "
                                                 "inspection of the same place.")},
                                  code="invalid")
        results = _results_from_previous(previous)
        version = None
    else:
        if version is None:
            raise ValidationError({"version": _("Choose a checklist.")}, code="required")
        if place.category not in version.template.place_categories:
            raise ValidationError({"version": _("This checklist is not for places of this "
                                                "category.")}, code="invalid")
        results = _results_from_version(version)
    unit = place.occupant or place.manager or place.owner
    inspection = Inspection(
        place=place, jurisdiction_code=place.jurisdiction_code, department_id=place.department_id,
        kind=kind, version=version, previous=previous, inspected_on=inspected_on,
        unit_name=unit.name if unit else "", created_by=actor, invitation=invitation)
    if token is not None:
        inspection.token = token
    inspection.save()
    for result in results:
        result.inspection = inspection
    InspectionResult.objects.bulk_create(results)
    audit.record_create(actor, inspection, note=f"{len(results)} items")
    return inspection


DETAIL_FIELDS = frozenset({"location", "advice", "unit_name", "inspected_on"})


@transaction.atomic
def save_details(actor, inspection: Inspection, invitation=None, **data) -> Inspection:
    """Autosave of the record's own fields (location, advice, unit, date)."""
    unknown = set(data) - DETAIL_FIELDS
    if unknown:
        raise TypeError(f"save_details does not take {', '.join(sorted(unknown))}")
    current = _draft(actor, inspection, invitation)
    before = audit.snapshot(current)
    for field, value in data.items():
        setattr(current, field, value)
    if current.inspected_on > timezone.localdate():
        raise ValidationError({"inspected_on": _("The inspection date cannot be in the future.")},
                              code="future_date")
    current.full_clean(exclude=["token"])
    current.save()
    audit.record_change(actor, current, before)
    return current


@transaction.atomic
def save_result(actor, result: InspectionResult, invitation=None, **data) -> InspectionResult:
    """Autosave of one answered item: outcome (or re-inspection finding), note, deadline."""
    unknown = set(data) - {"outcome", "note", "deadline", "follow_up", "interim_safeguards"}
    if unknown:
        raise TypeError(f"save_result does not take {', '.join(sorted(unknown))}")
    _draft(actor, result.inspection, invitation)
    current = InspectionResult.objects.select_related("hazard").get(pk=result.pk)
    before = audit.snapshot(current)
    for field, value in data.items():
        setattr(current, field, value)
    if current.outcome and current.outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")}, code="invalid")
    if current.follow_up:
        if current.hazard_id is None:
            raise ValidationError({"follow_up": _("Only a re-inspection of a hazard has this.")},
                                  code="invalid")
        allowed = follow_ups_for(current.hazard)
        if current.follow_up not in allowed:
            raise ValidationError({"follow_up": _("This finding is not possible while the "
                                                  "hazard is “%(status)s”.") % {
                "status": current.hazard.get_status_display()}}, code="invalid")
    if current.deadline is not None and current.deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The rectification deadline cannot be in the "
                                             "past.")}, code="past_date")
    current.full_clean()
    current.save()
    audit.record_change(actor, current, before)
    return current


def follow_ups_for(hazard: Hazard) -> list[str]:
    """What a re-inspection may find for a hazard in its current status: verify a reported
    rectification (pass or fail), or see it still being rectified."""
    if hazard.status == lifecycle.AWAITING_VERIFICATION:
        return [FollowUp.VERIFIED, FollowUp.NOT_RECTIFIED, FollowUp.STILL_OPEN]
    return [FollowUp.STILL_OPEN]


@transaction.atomic
def add_result_photo(actor, result: InspectionResult, upload, invitation=None) -> ResultPhoto:
    _draft(actor, result.inspection, invitation)
    hazard_services.check_photo(upload)
    photo = ResultPhoto(result=result)
    photo.image.save(upload.name, upload, save=False)
    photo.save()
    audit.record(actor, "create", photo, after={"result": result.pk, "image": photo.image.name})
    return photo


@transaction.atomic
def remove_result_photo(actor, photo: ResultPhoto, invitation=None) -> None:
    _draft(actor, photo.result.inspection, invitation)
    audit.record(actor, "delete", photo, before={"result": photo.result_id,
                                                 "image": photo.image.name})
    photo.image.delete(save=False)
    photo.delete()


def decode_drawn(data_url: str) -> bytes:
    """The PNG bytes of a canvas's data: URL, refused unless it is a PNG of sane size."""
    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix):
        raise ValidationError({"drawing": _("Draw the signature, or type the name and "
                                            "confirm.")}, code="invalid")
    try:
        raw = base64.b64decode(data_url[len(prefix):], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"drawing": _("The drawn signature could not be read.")},
                              code="invalid") from None
    if len(raw) > SIGNATURE_MAX_BYTES or not raw.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValidationError({"drawing": _("The drawn signature could not be read.")},
                              code="invalid")
    return raw


@transaction.atomic
def sign(actor, inspection: Inspection, *, name: str, drawing: str = "", confirmed=False,
         user=None, invitation=None) -> Signature:
    """An inspector's (or the unit's) signature: a drawing from the phone's screen, or the
    typed name with a confirmation tick."""
    current = _draft(actor, inspection, invitation)
    name = name.strip()[:50]  # as stored, so the duplicate check sees a long name too
    if not name:
        raise ValidationError({"name": _("Type the signer's name.")}, code="required")
    if current.signatures.filter(name=name).exists():
        raise ValidationError({"name": _("“%(name)s” has already signed.") % {"name": name}},
                              code="duplicate")
    signature = Signature(inspection=current, name=name, user=user)
    if drawing:
        signature.method = SignatureMethod.DRAWN
        signature.image.save("signature.png", ContentFile(decode_drawn(drawing)), save=False)
    elif confirmed:
        signature.method = SignatureMethod.TYPED
    else:
        raise ValidationError({"drawing": _("Draw the signature, or type the name and "
                                            "confirm.")}, code="required")
    signature.save()
    audit.record_create(actor, signature)
    return signature


@transaction.atomic
def remove_signature(actor, signature: Signature, invitation=None) -> None:
    _draft(actor, signature.inspection, invitation)
    audit.record(actor, "delete", signature, before=audit.snapshot(signature))
    signature.image.delete(save=False)
    signature.delete()


def _problems(inspection: Inspection, results: list[InspectionResult]) -> list[str]:
    """Everything that stops a submission, each naming the item or field."""
    problems = []
    for r in results:
        label = f"{r.number} {r.text[:30]}"
        if r.hazard_id is not None and inspection.kind == Kind.FOLLOW_UP:
            if not r.follow_up:
                problems.append(gettext("Item %(item)s: say what the re-inspection found.") % {
                    "item": label})
            elif r.follow_up == FollowUp.VERIFIED and not r.photo_list:
                problems.append(gettext("Item %(item)s: add a photo taken at verification.") % {
                    "item": label})
            elif r.follow_up == FollowUp.NOT_RECTIFIED and (not r.deadline or not r.note.strip()):
                problems.append(gettext("Item %(item)s: give a new deadline and what is still "
                                   "wrong.") % {"item": label})
            continue
        if not r.outcome:
            problems.append(gettext("Item %(item)s has no outcome.") % {"item": label})
    signers = len(inspection.signature_list)
    if inspection.kind in TWO_INSPECTORS and signers < 2:
        problems.append(gettext("A %(kind)s needs the signatures of at least two inspectors; "
                           "%(count)d signed.") % {"kind": inspection.get_kind_display(),
                                                   "count": signers})
    elif signers < 1:
        problems.append(gettext("The record needs a signature."))
    return problems


def _open_files(result: InspectionResult):
    files = []
    for photo in result.photo_list:
        photo.image.open("rb")
        photo.image.file.name = photo.image.name
        files.append(photo.image.file)
    return files


@transaction.atomic
def submit(actor, inspection: Inspection, invitation=None) -> Inspection:
    """Close the record: every failed item becomes a hazard (fixed on the spot: logged and
    closed the same day), every re-inspected hazard moves through the hazard services.
    Submitting a record already submitted returns it unchanged."""
    current = Inspection.objects.select_for_update().select_related("place").get(
        pk=inspection.pk)
    if current.status == Status.SUBMITTED:
        return current
    current = _draft(actor, current, invitation)
    results = list(current.results.select_related("hazard").prefetch_related("photos"))
    for r in results:
        r.photo_list = list(r.photos.all())
    current.signature_list = list(current.signatures.all())
    problems = _problems(current, results)
    if problems:
        raise ValidationError([ValidationError(p, code="incomplete") for p in problems])
    finder = actor if actor is not None else invitation.created_by
    source = Source.SELF_INSPECTION if current.kind == Kind.SELF else Source.INSPECTION
    for r in results:
        try:
            if r.follow_up:
                _follow_up(actor, r)
            elif r.outcome in (Outcome.FIXED, Outcome.HAZARD):
                _log(actor, finder, current, r, source)
        except ValidationError as error:
            raise ValidationError(
                gettext("Item %(item)s: %(error)s") % {"item": f"{r.number} {r.text[:30]}",
                                                  "error": " ".join(error.messages)},
                code="item") from None
    before = audit.snapshot(current)
    current.status = Status.SUBMITTED
    current.submitted_at = timezone.now()
    current.save()
    audit.record_change(actor, current, before, note="submitted")
    recompute_places([current.place_id])
    return current


def _log(actor, finder, inspection: Inspection, r: InspectionResult, source: str) -> None:
    fixed = r.outcome == Outcome.FIXED
    data = dict(category_id=r.category_id, description=r.note.strip() or r.text,
                location_in_place=inspection.location, found_on=inspection.inspected_on,
                found_by=finder, source=source, is_major=r.is_major and not fixed,
                fixed_on_spot=fixed, interim_safeguards=r.interim_safeguards)
    if not fixed:
        data["deadline"] = r.deadline or _default_deadline(r, inspection.inspected_on)
    data = {k: v for k, v in data.items() if v is not None}
    category = data.pop("category_id")
    from fireledger.hazards.models import HazardCategory

    photos = _open_files(r)
    hazard = hazard_services.log_hazard(
        actor, inspection.place, photos=photos if actor is not None else (),
        # self_inspection: "the caller has checked the actor's authority" — a unit's own
        # self-inspection, or a random inspection the actor was drawn for (maybe in a street
        # whose places they may not otherwise change).
        category=HazardCategory(pk=category),
        self_inspection=inspection.kind == Kind.SELF or (
            inspection.kind == Kind.RANDOM and _drawn_for(actor, inspection)),
        **data)
    if actor is None:
        _save_invited_photos(finder, hazard, photos)
    r.hazard = hazard
    r.save(update_fields=["hazard"])


def _save_invited_photos(finder, hazard: Hazard, uploads) -> None:
    """The photos of a hazard logged through an invitation, with nobody logged in:
    HazardPhoto.taken_by cannot be empty, so they are credited to the inviter (as found_by
    is); the audit events keep actor None."""
    from fireledger.hazards.models import HazardPhoto

    for upload in uploads:
        hazard_services.check_photo(upload)
        photo = HazardPhoto(hazard=hazard, kind=HazardPhoto.Kind.FOUND, taken_by=finder)
        photo.image.save(upload.name, upload, save=False)
        photo.save()
        audit.record(None, "create", photo,
                     after={"hazard": hazard.pk, "kind": photo.kind, "image": photo.image.name})


def _default_deadline(r: InspectionResult, found_on):
    """The item's own period in working days, else the hazard register's rules."""
    if r.workdays:
        return hazard_services.deadline_after(found_on, r.workdays)
    if r.category is None:
        return None
    return hazard_services.default_deadline(r.category, r.is_major, found_on)


def _follow_up(actor, r: InspectionResult) -> None:
    if r.follow_up == FollowUp.VERIFIED:
        hazard_services.transition(actor, r.hazard, lifecycle.VERIFY_PASS, note=r.note,
                                   photos=_open_files(r))
    elif r.follow_up == FollowUp.NOT_RECTIFIED:
        hazard_services.transition(actor, r.hazard, lifecycle.VERIFY_FAIL, note=r.note,
                                   photos=_open_files(r), deadline=r.deadline)


# --- commitments -----------------------------------------------------------------------

def declared_clear(inspection: Inspection) -> bool:
    """The self-inspection left nothing open: every failed item was fixed on the spot."""
    return not inspection.results.filter(outcome=Outcome.HAZARD).exists()


@transaction.atomic
def sign_commitment(actor, inspection: Inspection, *, signer_name: str,
                    responsible_person: str, responsible_phone: str, safety_manager: str,
                    safety_manager_phone: str, invitation=None) -> Commitment:
    """The unit signs the commitment on its submitted self-inspection and publishes its
    responsible person and safety manager (两公开). It is in force for a year."""
    current = Inspection.objects.select_for_update().select_related("place").get(
        pk=inspection.pk)
    if current.kind != Kind.SELF or current.status != Status.SUBMITTED:
        raise ValidationError(_("A commitment is signed on a submitted self-inspection."),
                              code="invalid")
    if current.invitation_id is not None:
        if invitation is None or invitation.pk != current.invitation_id \
                or not invitation_usable(invitation):
            raise PermissionDenied("not this invitation's self-inspection, or expired")
    elif actor is None or actor.pk != current.created_by_id:
        raise PermissionDenied("not this actor's self-inspection")
    if Commitment.objects.filter(inspection=current).exists():
        raise ValidationError(_("This self-inspection already has its commitment."),
                              code="duplicate")
    signed_on = timezone.localdate()
    place = current.place
    unit = place.occupant or place.manager or place.owner
    commitment = Commitment(
        place=place, organisation=unit, inspection=current, wording=COMMITMENT_WORDING,
        signer_name=signer_name.strip(), signed_by=actor, signed_on=signed_on,
        valid_until=valid_until(signed_on),
        responsible_person=responsible_person.strip(),
        responsible_phone=responsible_phone.strip(), safety_manager=safety_manager.strip(),
        safety_manager_phone=safety_manager_phone.strip())
    commitment.full_clean()
    commitment.save()
    audit.record_create(actor, commitment,
                        note=f"invitation {invitation.pk}" if invitation is not None else "")
    if invitation is not None:
        _use_invitation(invitation)
    return commitment


def valid_until(signed_on: datetime.date) -> datetime.date:
    """The last day of the year a commitment lasts: signed 2026-11-24, in force through
    2027-11-23; signed on 29 February, through 28 February of the next year."""
    anniversary = signed_on + relativedelta(years=1)  # 29 February → 28 February
    if (signed_on.month, signed_on.day) == (2, 29):
        return anniversary
    return anniversary - datetime.timedelta(days=1)


def commitment_in_force(place, on=None) -> Commitment | None:
    on = on or timezone.localdate()
    return place.commitments.in_force(on).select_related("inspection").first()


def may_mark_untrue(commitment: Commitment, hazard: Hazard) -> bool:
    """The hazard was found at the place while the commitment was in force, after it was
    signed, on a self-inspection that declared nothing left open; not marked yet."""
    return (commitment.untrue_on is None and hazard.place_id == commitment.place_id
            and commitment.signed_on <= hazard.found_on <= commitment.valid_until
            and hazard.source != Source.SELF_INSPECTION
            and declared_clear(commitment.inspection))


@transaction.atomic
def mark_untrue(actor, commitment: Commitment, *, hazard: Hazard, note: str) -> Commitment:
    """承诺不实: recorded on the commitment, and so on the unit that signed it."""
    current = Commitment.objects.select_for_update().select_related("place", "inspection").get(
        pk=commitment.pk)
    if not may_inspect(actor, current.place):
        raise PermissionDenied("change not permitted on this place")
    if not may_mark_untrue(current, hazard):
        raise ValidationError(_("This hazard does not show the commitment untrue."),
                              code="invalid")
    if not note.strip():
        raise ValidationError({"untrue_note": _("Say what the commitment got wrong.")},
                              code="required")
    before = audit.snapshot(current)
    current.untrue_on = timezone.localdate()
    current.untrue_by = actor
    current.untrue_hazard = hazard
    current.untrue_note = note.strip()[:200]
    current.save()
    audit.record_change(actor, current, before, note="untrue")
    return current


# --- invitations -----------------------------------------------------------------------

def invitation_usable(invitation: Invitation, today=None) -> bool:
    today = today or timezone.localdate()
    return invitation.used_at is None and invitation.expires_on >= today


@transaction.atomic
def invite(actor, place, *, organisation=None, days: int = INVITATION_DAYS) -> Invitation:
    """A one-time link for the place's unit to self-inspect without a login."""
    if not may_inspect(actor, place):
        raise PermissionDenied("change not permitted on this place")
    invitation = Invitation.objects.create(
        place=place, organisation=organisation or place.occupant or place.manager or place.owner,
        created_by=actor, expires_on=timezone.localdate() + datetime.timedelta(days=days))
    audit.record(actor, "create", invitation,
                 after={"place": place.pk, "expires_on": str(invitation.expires_on)})
    return invitation


def _use_invitation(invitation: Invitation) -> None:
    """Used once: the link stops working when the commitment on its self-inspection is
    signed."""
    updated = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
        used_at=timezone.now())
    if not updated:
        raise PermissionDenied("invitation already used")
    invitation.refresh_from_db()
    audit.record(None, "change", invitation, after={"used_at": str(invitation.used_at)},
                 note="used")
