"""Citizen reports (举报): every write. Receive (validate, clean the photos, route), then triage:
accept into a hazard (through hazards.services), mark as a duplicate of an open hazard, or
reject with a reason the reporter sees; and the reward decision (有奖举报).

Each service writes and records its audit event in one transaction. Audit rows never carry
the reporter's contact: only the triage page shows it.
"""

import io

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fireledger.core import audit
from fireledger.core.models import AuditAction, Department, Jurisdiction
from fireledger.hazards import services as hazard_services
from fireledger.hazards.choices import CategoryGroup, Source
from fireledger.hazards.models import Hazard
from fireledger.places.choices import DEFAULT_DEPARTMENT
from fireledger.places.choices import Category as PlaceCategory

from .models import CitizenReport, ReportPhoto, ReportStatus

MAX_PHOTOS = 3
DESCRIPTION_MIN = 5
DESCRIPTION_MAX = 2000
MAX_SIDE = 2560  # px: larger photos are scaled down when re-encoded
CONTACT_FIELDS = ("contact_name", "contact_phone")

# Ours: the department a report goes to when it names no place, by the hazard category's group
# (through the place category whose industry department supervises such hazards). None: the
# street handles it alone.
DEPARTMENT_BY_GROUP = {
    CategoryGroup.HIGH_RISE: PlaceCategory.HIGH_RISE,
    CategoryGroup.MALL: PlaceCategory.MALL,
    CategoryGroup.OLD_COMPOUND: PlaceCategory.OLD_COMPOUND,
    CategoryGroup.E_BIKE: PlaceCategory.RESIDENTIAL,
    CategoryGroup.NEW_BUSINESS: PlaceCategory.NINE_SMALL,
    CategoryGroup.PRINCIPLE: None,
    CategoryGroup.GENERIC: None,
}


def _snapshot(report: CitizenReport) -> dict:
    """The report as the audit log keeps it: never the reporter's contact."""
    data = audit.snapshot(report, skip_empty=True)
    for field in CONTACT_FIELDS:
        data.pop(field, None)
    return data


def _clean_photo(upload) -> ContentFile:
    """The photo re-encoded as a JPEG from its pixels alone: EXIF (GPS, camera, time), ICC
    profiles, comments and any other metadata are left behind. The orientation is applied
    first, so the photo still stands the right way up."""
    from PIL import Image, ImageOps

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.seek(0)
            image = ImageOps.exif_transpose(image)
            if image.mode in ("RGBA", "LA", "P"):
                image = image.convert("RGBA")
                background = Image.new("RGB", image.size, (255, 255, 255))
                background.paste(image, mask=image.getchannel("A"))
                image = background
            else:
                image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            clean = Image.frombytes("RGB", image.size, image.tobytes())  # pixels only
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError({"photos": _("“%(name)s” is not a photo: upload a JPEG, PNG or "
                                           "WebP image.") % {"name": getattr(upload, "name", "")}},
                              code="not_an_image") from None
    buffer = io.BytesIO()
    clean.save(buffer, "JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def check_photos(photos) -> None:
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Attach at most %(max)d photos.") % {
            "max": MAX_PHOTOS}}, code="too_many")
    for upload in photos:
        hazard_services.check_photo(upload)


def _department_for(place, category):
    if place is not None:
        return place.department
    place_category = DEPARTMENT_BY_GROUP.get(category.group)
    code = DEFAULT_DEPARTMENT.get(place_category) if place_category else None
    return Department.objects.filter(code=code).first() if code else None


def _validate_text(description: str, address: str, place, street) -> str:
    description = (description or "").strip()
    if len(description) < DESCRIPTION_MIN:
        raise ValidationError({"description": _(
            "Describe what you saw in at least %(min)d characters.") % {"min": DESCRIPTION_MIN}},
            code="too_short")
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError({"description": _(
            "Keep the description to %(max)d characters.") % {"max": DESCRIPTION_MAX}},
            code="too_long")
    if place is None:
        if street is None:
            raise ValidationError({"street": _("Choose the street where you saw it.")},
                                  code="required")
        if not (address or "").strip():
            raise ValidationError({"address": _("Give the address where you saw it.")},
                                  code="required")
    return description


@transaction.atomic
def receive(*, place=None, address="", latitude=None, longitude=None, street=None, category,
            description, photos=(), contact_name="", contact_phone="",
            client_key="") -> CitizenReport:
    """A citizen's report arrives: validated, its photos cleaned, routed to the street (the
    place's code, else the chosen street's) and the department (the place's, else by
    DEPARTMENT_BY_GROUP). `client_key` (the address the rate limit counted) is not stored."""
    description = _validate_text(description, address, place, street)
    photos = list(photos)
    check_photos(photos)
    cleaned = [_clean_photo(upload) for upload in photos]
    report = CitizenReport(
        place=place, address=(address or "").strip()[:200] or (place.address if place else ""),
        latitude=latitude, longitude=longitude, category=category, description=description,
        contact_name=(contact_name or "").strip()[:50],
        contact_phone=(contact_phone or "").strip()[:30],
        jurisdiction_code=place.jurisdiction_code if place is not None else street.code,
        department=_department_for(place, category))
    report.full_clean()
    report.save()
    audit.record(None, AuditAction.CREATE, report, after=_snapshot(report))
    for content in cleaned:
        photo = ReportPhoto(report=report)
        photo.image.save(content.name, content, save=False)
        photo.save()
        audit.record(None, AuditAction.CREATE, photo,
                     after={"report": report.pk, "image": photo.image.name})
    return report


def _lock(actor, report: CitizenReport, *, status=ReportStatus.RECEIVED) -> CitizenReport:
    """The report again, locked, if actor may triage it; it must still be `status`."""
    current = (CitizenReport.objects.visible_to(actor, "change").select_for_update(of=("self",))
               .filter(pk=report.pk).first())
    if current is None:
        raise PermissionDenied("triage not permitted on this report")
    if status is not None and current.status != status:
        raise ValidationError(_("This report has already been triaged."), code="triaged")
    return current


def _triaged(actor, report: CitizenReport, before: dict, note: str = "") -> CitizenReport:
    report.triaged_at = timezone.now()
    report.triaged_by = actor
    report.full_clean()
    report.save()
    after = _snapshot(report)
    changed = {k for k in after if before.get(k) != after.get(k)}
    audit.record(actor, AuditAction.CHANGE, report, before={k: before.get(k) for k in changed},
                 after={k: after[k] for k in changed}, note=note)
    return report


ACCEPT_FIELDS = hazard_services.LOG_FIELDS - {"description", "source", "found_by"}


@transaction.atomic
def accept(actor, report: CitizenReport, *, place=None, **hazard_fields) -> Hazard:
    """Accept the report: it becomes a hazard (hazards.services.log_hazard, source citizen
    report, the report's description and photos), linked from the report. A report from the
    general form names no place: the officer gives it (`place`)."""
    unknown = set(hazard_fields) - ACCEPT_FIELDS
    if unknown:
        raise TypeError(f"accept does not take {', '.join(sorted(unknown))}")
    current = _lock(actor, report)
    place = current.place or place
    if place is None:
        raise ValidationError({"place": _("Choose the place the hazard is at.")},
                              code="required")
    hazard_fields.setdefault("category", current.category)
    hazard_fields.setdefault("found_on", timezone.localdate(current.received_at))
    photos = [ContentFile(p.image.read(), name="report.jpg") for p in current.photos.all()]
    hazard = hazard_services.log_hazard(
        actor, place, photos=photos, source=Source.CITIZEN_REPORT,
        description=current.description, **hazard_fields)
    before = _snapshot(current)
    current.place = place
    current.hazard = hazard
    current.status = ReportStatus.ACCEPTED
    _triaged(actor, current, before)
    return hazard


def _in_street(report: CitizenReport, hazard: Hazard) -> bool:
    street = Jurisdiction.objects.filter(code=report.jurisdiction_code).first()
    prefix = street.prefix if street else report.jurisdiction_code
    return hazard.jurisdiction_code.startswith(prefix)


@transaction.atomic
def mark_duplicate(actor, report: CitizenReport, hazard: Hazard) -> CitizenReport:
    """The report describes a hazard already on the list and still open: linked to it."""
    current = _lock(actor, report)
    hazard = Hazard.objects.visible_to(actor, "view").filter(pk=hazard.pk).first()
    if hazard is None:
        raise PermissionDenied("hazard not visible")
    if not hazard.is_open:
        raise ValidationError({"hazard": _("Only a hazard still open can be the original.")},
                              code="closed")
    same = hazard.place_id == current.place_id if current.place_id else _in_street(current,
                                                                                    hazard)
    if not same:
        raise ValidationError({"hazard": _("The hazard is at another place.")},
                              code="other_place")
    before = _snapshot(current)
    current.place_id = hazard.place_id
    current.hazard = hazard
    current.status = ReportStatus.DUPLICATE
    return _triaged(actor, current, before)


@transaction.atomic
def reject(actor, report: CitizenReport, reason: str) -> CitizenReport:
    """Rejected, with the reason the reporter reads on the status page."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason the reporter will read.")},
                              code="required")
    current = _lock(actor, report)
    before = _snapshot(current)
    current.reason = reason[:300]
    current.status = ReportStatus.REJECTED
    return _triaged(actor, current, before)


@transaction.atomic
def decide_reward(actor, report: CitizenReport, granted: bool,
                  note: str = "") -> CitizenReport:
    """有奖举报: whether an accepted report earns a reward; the decision can be revised."""
    current = _lock(actor, report, status=None)
    if current.status != ReportStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted report can earn a reward."),
                              code="not_accepted")
    before = _snapshot(current)
    current.reward = "granted" if granted else "refused"
    current.reward_note = (note or "").strip()[:200]
    current.full_clean()
    current.save()
    after = _snapshot(current)
    changed = {k for k in after if before.get(k) != after.get(k)}
    audit.record(actor, AuditAction.CHANGE, current, before={k: before.get(k) for k in changed},
                 after={k: after[k] for k in changed}, note="reward")
    return current


def likely_duplicates(report: CitizenReport, actor=None):
    """Open hazards at the same place in the same category (none without a place)."""
    if report.place_id is None:
        return Hazard.objects.none()
    hazards = Hazard.objects.visible_to(actor, "view") if actor is not None else Hazard.objects
    return (hazards.open().filter(place_id=report.place_id, category_id=report.category_id)
            .select_related("place", "category").order_by("-found_on", "-pk"))


def photo_max_bytes() -> int:
    return settings.FIRELEDGER_PHOTO_MAX_BYTES
