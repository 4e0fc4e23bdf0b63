"""Safety codes (消防安全码): the live token of a place, its QR code, its colour and the facts
its public page may show.

Public ids are tokens (ARCHITECTURE principle 9): the page is reached only by the token, and
`public_facts` is the whole of what it may show — name, address, the two published persons
and their phones (两公开), the commitment and its date, the last inspection date and the colour.
Never a hazard's text or photo, a note, a reporter, or anything about another place.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone

from fireledger.core import audit

from .models import SafetyCode

GREEN, YELLOW, RED = "green", "yellow", "red"


def live_place_id(token: str) -> int | None:
    """The place id of the live code `token`, or None: one lookup on the token's unique index,
    whatever the token (unknown, revoked, truncated, malformed), so a miss costs what a hit
    costs. No ordering, no join: the public page's hot path."""
    rows = list(SafetyCode.objects.filter(token=token, revoked_at__isnull=True)
                .order_by().values_list("place_id", flat=True)[:1])
    return rows[0] if rows else None


def code_for(place, actor=None) -> SafetyCode:
    """The place's live code, created on first use (audited)."""
    code = SafetyCode.objects.filter(place=place, revoked_at__isnull=True).first()
    if code is not None:
        return code
    try:
        with transaction.atomic():
            code = SafetyCode.objects.create(place=place)
            audit.record_create(actor, code)
    except IntegrityError:  # another request created it first
        code = SafetyCode.objects.get(place=place, revoked_at__isnull=True)
    return code


def ensure_codes(places) -> dict[int, str]:
    """A live code for each of `places` (places or ids), set-based: one read, one bulk
    insert of the missing ones, one read back. Returns place id → token. Bulk creation is not
    audited row by row (like the scale generators); the codes carry their creation time."""
    ids = {getattr(p, "pk", p) for p in places}
    if not ids:
        return {}
    have = set(SafetyCode.objects.filter(place_id__in=ids, revoked_at__isnull=True)
               .values_list("place_id", flat=True))
    missing = ids - have
    if missing:
        now = timezone.now()
        SafetyCode.objects.bulk_create(
            [SafetyCode(place_id=pk, created_at=now) for pk in sorted(missing)],
            batch_size=500, ignore_conflicts=True)
    return dict(SafetyCode.objects.filter(place_id__in=ids, revoked_at__isnull=True)
                .values_list("place_id", "token"))


@transaction.atomic
def revoke(actor, place) -> SafetyCode | None:
    """Revoke the place's live code (a sign stolen or misused): its token leads nowhere from
    now on; the next use gives the place a new one. Needs change rights on the place."""
    from fireledger.places.models import Place

    if not Place.objects.visible_to(actor, "change").filter(pk=place.pk).exists():
        raise PermissionDenied("change not permitted on this place")
    code = (SafetyCode.objects.select_for_update()
            .filter(place=place, revoked_at__isnull=True).first())
    if code is None:
        return None
    before = audit.snapshot(code)
    code.revoked_at = timezone.now()
    code.save(update_fields=["revoked_at"])
    audit.record_change(actor, code, before, note="revoked")
    return code


def colour(place, on=None) -> str:
    """green: no open hazard; yellow: open general hazards only; red: an open major hazard or
    a hazard under listed supervision (listed, not lifted on `on`). One query."""
    from fireledger.hazards import lifecycle
    from fireledger.hazards.models import Hazard, ListedSupervision

    on = on or timezone.localdate()
    open_q = Q(status__in=lifecycle.OPEN_STATUSES)
    listed_q = Q(listing__decision=ListedSupervision.Decision.LISTED) & (
        Q(listing__lifted_on__isnull=True) | Q(listing__lifted_on__gt=on))
    counts = Hazard.objects.filter(place=place).filter(open_q | listed_q).aggregate(
        open=Count("pk", filter=open_q),
        major=Count("pk", filter=open_q & Q(is_major=True)),
        listed=Count("pk", filter=listed_q))
    if counts["major"] or counts["listed"]:
        return RED
    if counts["open"]:
        return YELLOW
    return GREEN


def last_inspection_on(place):
    """The date of the place's last submitted inspection, or None."""
    from fireledger.inspections.choices import Status
    from fireledger.inspections.models import Inspection

    return (Inspection.objects.filter(place=place, status=Status.SUBMITTED)
            .aggregate(last=Max("inspected_on"))["last"])


def public_facts(place, on=None) -> dict:
    """Only what the public page may show. The persons and phones come from the commitment in
    force, else from the place's ledger row."""
    from fireledger.inspections.models import Commitment

    on = on or timezone.localdate()
    commitment = (Commitment.objects.filter(place=place).in_force(on)
                  .only("wording", "signed_on", "valid_until", "responsible_person",
                        "responsible_phone", "safety_manager", "safety_manager_phone")
                  .first())
    source = commitment if commitment is not None else place
    return {
        "name": place.name,
        "address": place.address,
        "responsible_person": source.responsible_person,
        "responsible_phone": source.responsible_phone,
        "safety_manager": source.safety_manager,
        "safety_manager_phone": source.safety_manager_phone,
        "commitment": commitment.wording if commitment else "",
        "commitment_signed_on": commitment.signed_on if commitment else None,
        "commitment_valid_until": commitment.valid_until if commitment else None,
        "last_inspection_on": last_inspection_on(place),
        "colour": colour(place, on),
    }


def public_path(token: str) -> str:
    return reverse("public:place", args=[token])


def public_url(token: str, request=None) -> str:
    """The address the QR code carries: FIRELEDGER_BASE_URL + the public path, else the
    request's own host."""
    path = public_path(token)
    base = (getattr(settings, "FIRELEDGER_BASE_URL", "") or "").rstrip("/")
    if base:
        return base + path
    if request is not None:
        return request.build_absolute_uri(path)
    return path


def qr_svg(url: str, *, scale: int = 4) -> bytes:
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=scale, xmldecl=False,
                                    svgns=True, title=None, border=2)
    return buffer.getvalue()


def qr_png(url: str, *, scale: int = 10) -> bytes:
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()
