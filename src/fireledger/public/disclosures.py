"""Public disclosure (双随机、一公开 results and 曝光): what is due, publishing, withdrawing, and
what the public sees on a day.

Due dates are computed, never stored before publication: a submitted random inspection is due
within DisclosurePolicy.publish_workdays working days of its submission ([G] 20, standards-cn.md
§5); a listed hazard (挂牌督办, decided LISTED and not lifted) is a candidate for public naming,
due from the listing decision. No model marks a hazard "to be named", so every listed hazard is
offered to the district office, which decides by publishing (or not).

Who publishes: the district office, anything in its range; a street officer, the random
inspection results of its own street (谁检查、谁公开). Exposures are the district office's only.
Withdrawing follows the same rule.

The public text is what the officer wrote for the public; nothing of the internal record (the
hazard's description, photos, notes, the inspection's advice, people) is shown beside it.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fireledger.core import audit
from fireledger.core.calendar import add_workdays
from fireledger.core.choices import Role
from fireledger.core.scope import assignments, roles_q
from fireledger.hazards import lifecycle
from fireledger.hazards.models import Hazard, ListedSupervision
from fireledger.inspections.choices import Kind, Status
from fireledger.inspections.models import Inspection

from .models import Disclosure, DisclosureKind, DisclosurePolicy

RANDOM_PUBLISHERS = frozenset({Role.DISTRICT_OFFICE, Role.STREET_OFFICER})
EXPOSURE_PUBLISHERS = frozenset({Role.DISTRICT_OFFICE})


def _may(user, roles: frozenset, code: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return any(a.role in roles and code.startswith(a.jurisdiction.prefix)
               for a in assignments(user))


def may_manage(user) -> bool:
    """Whether the user publishes anything at all (the manage page)."""
    return getattr(user, "is_authenticated", False) and (
        user.is_superuser or any(a.role in RANDOM_PUBLISHERS for a in assignments(user)))


def may_publish(user, kind: str, code: str) -> bool:
    roles = RANDOM_PUBLISHERS if kind == DisclosureKind.RANDOM_RESULT else EXPOSURE_PUBLISHERS
    return _may(user, roles, code)


def _live(**link) -> QuerySet:
    return Disclosure.objects.filter(withdrawn_on__isnull=True, **link)


@dataclass
class Due:
    """A record waiting for its public disclosure."""

    kind: str
    record_on: datetime.date
    due_on: datetime.date
    overdue: bool
    inspection: Inspection | None = None
    hazard: Hazard | None = None

    @property
    def place(self):
        return self.inspection.place if self.inspection is not None else self.hazard.place


def submitted_on(inspection: Inspection) -> datetime.date:
    return timezone.localtime(inspection.submitted_at).date() if inspection.submitted_at \
        else inspection.inspected_on


def listed_on(hazard: Hazard) -> datetime.date:
    listing = hazard.listing
    return listing.decided_on or listing.proposed_on


def due_date(record_on: datetime.date, policy: DisclosurePolicy | None = None) -> datetime.date:
    policy = policy or DisclosurePolicy.current()
    return add_workdays(record_on, policy.publish_workdays)


def random_results_due_qs(user) -> QuerySet:
    """Submitted random inspections the user may publish, with no live disclosure; oldest
    first (the due date follows the submission date)."""
    return (Inspection.objects.filter(roles_q(user, RANDOM_PUBLISHERS, "jurisdiction_code"),
                                      kind=Kind.RANDOM, status=Status.SUBMITTED)
            .exclude(Exists(_live(inspection=OuterRef("pk"))))
            .select_related("place").order_by("submitted_at", "pk"))


def exposures_due_qs(user) -> QuerySet:
    """Hazards under listed supervision (listed, not lifted) in the district office's range, not
    publicly named yet; oldest listing first."""
    return (Hazard.objects.filter(roles_q(user, EXPOSURE_PUBLISHERS, "jurisdiction_code"),
                                  listing__decision=ListedSupervision.Decision.LISTED,
                                  listing__lifted_on__isnull=True)
            .exclude(Exists(_live(hazard=OuterRef("pk"))))
            .select_related("place", "category", "listing")
            .order_by("listing__decided_on", "pk"))


def _rows(items, kind: str, record_of, today: datetime.date, limit) -> list[Due]:
    policy = DisclosurePolicy.current()
    dues: dict[datetime.date, datetime.date] = {}
    out = []
    for item in (items[:limit] if limit else items):
        record_on = record_of(item)
        if record_on not in dues:
            dues[record_on] = add_workdays(record_on, policy.publish_workdays)
        due_on = dues[record_on]
        link = {"inspection": item} if kind == DisclosureKind.RANDOM_RESULT else {"hazard": item}
        out.append(Due(kind, record_on, due_on, due_on < today, **link))
    return out


def due_random_results(user, today: datetime.date, limit: int | None = None) -> list[Due]:
    return _rows(random_results_due_qs(user), DisclosureKind.RANDOM_RESULT, submitted_on, today,
                 limit)


def due_exposures(user, today: datetime.date, limit: int | None = None) -> list[Due]:
    return _rows(exposures_due_qs(user), DisclosureKind.EXPOSURE, listed_on, today, limit)


def published_qs(user) -> QuerySet:
    """Disclosures the user may withdraw, newest first (withdrawn ones left out)."""
    q = (Q(kind=DisclosureKind.RANDOM_RESULT)
         & roles_q(user, RANDOM_PUBLISHERS, "jurisdiction_code")) | (
        Q(kind=DisclosureKind.EXPOSURE) & roles_q(user, EXPOSURE_PUBLISHERS, "jurisdiction_code"))
    return Disclosure.objects.filter(q, withdrawn_on__isnull=True).select_related(
        "inspection__place", "hazard__place")


def suggested_text(*, inspection: Inspection | None = None,
                   hazard: Hazard | None = None) -> tuple[str, str]:
    """(title, text) for the officer to edit: facts a citizen may read, nothing internal."""
    if inspection is not None:
        results = list(inspection.results.select_related("hazard"))
        checked = sum(1 for r in results if r.outcome and r.outcome != "na")
        hazards = [r.hazard for r in results if r.hazard_id]
        open_ = sum(1 for h in hazards if h.status != lifecycle.CLOSED)
        title = gettext("Random inspection result: %(place)s") % {"place": inspection.place.name}
        if not hazards:
            outcome = gettext("no hazard was found.")
        elif not open_:
            outcome = gettext("%(n)d hazard(s) found, all rectified.") % {"n": len(hazards)}
        else:
            outcome = gettext("%(n)d hazard(s) found, %(open)d still being rectified.") % {
                "n": len(hazards), "open": open_}
        text = gettext("On %(date)s a random inspection (双随机) of %(place)s checked %(items)d "
                       "items: %(outcome)s") % {
            "date": inspection.inspected_on.isoformat(), "place": inspection.place.name,
            "items": checked, "outcome": outcome}
        return title, text
    title = gettext("Publicly named hazard: %(place)s") % {"place": hazard.place.name}
    text = gettext("%(place)s is under listed supervision for a fire hazard (%(category)s); "
                   "it must be rectified by %(deadline)s.") % {
        "place": hazard.place.name, "category": hazard.category.name,
        "deadline": hazard.deadline.isoformat() if hazard.deadline else "—"}
    return title, text


@transaction.atomic
def publish(actor, *, inspection: Inspection | None = None, hazard: Hazard | None = None,
            title: str, text: str) -> Disclosure:
    """Publish a random inspection's result or name a listed hazard, shown from today for the
    policy's days."""
    if (inspection is None) == (hazard is None):
        raise ValueError("publish exactly one of an inspection or a hazard")
    today = timezone.localdate()
    policy = DisclosurePolicy.current()
    if inspection is not None:
        inspection = Inspection.objects.select_for_update().select_related("place").get(
            pk=inspection.pk)
        kind, place, code = DisclosureKind.RANDOM_RESULT, inspection.place, \
            inspection.jurisdiction_code
        if not may_publish(actor, kind, code):
            raise PermissionDenied("publishing random results not permitted here")
        if inspection.kind != Kind.RANDOM or inspection.status != Status.SUBMITTED:
            raise ValidationError(_("Only a submitted random inspection's result is published."),
                                  code="invalid")
        record_on, link = submitted_on(inspection), {"inspection": inspection}
    else:
        hazard = Hazard.objects.select_for_update(of=("self",)).select_related(
            "place", "listing").get(pk=hazard.pk)
        kind, place, code = DisclosureKind.EXPOSURE, hazard.place, hazard.jurisdiction_code
        if not may_publish(actor, kind, code):
            raise PermissionDenied("only the district office names hazards publicly")
        listing = getattr(hazard, "listing", None)
        if listing is None or listing.decision != ListedSupervision.Decision.LISTED \
                or listing.lifted_on:
            raise ValidationError(_("Only a hazard under listed supervision is named publicly."),
                                  code="invalid")
        record_on, link = listed_on(hazard), {"hazard": hazard}
    if _live(**link).exists():
        raise ValidationError(_("This has already been published."), code="published")
    title, text = (title or "").strip(), (text or "").strip()
    errors = {}
    if not title:
        errors["title"] = ValidationError(_("This field is required."), code="required")
    if not text:
        errors["text"] = ValidationError(_("This field is required."), code="required")
    if place.code and any(place.code in value for value in (title, text)):
        errors.setdefault("text", ValidationError(
            _("The public text must not contain the place's internal code."), code="internal"))
    if errors:
        raise ValidationError(errors)
    disclosure = Disclosure.objects.create(
        kind=kind, jurisdiction_code=code, title=title[:200], text=text,
        due_on=add_workdays(record_on, policy.publish_workdays), published_on=today,
        until=today + datetime.timedelta(days=policy.shown_days), published_by=actor, **link)
    audit.record_create(actor, disclosure, note="published")
    return disclosure


@transaction.atomic
def withdraw(actor, disclosure: Disclosure, reason: str) -> Disclosure:
    """Take a disclosure down from today, with the reason on the audit trail."""
    disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    if not may_publish(actor, disclosure.kind, disclosure.jurisdiction_code):
        raise PermissionDenied("withdrawing not permitted here")
    if disclosure.withdrawn_on:
        raise ValidationError(_("This has already been withdrawn."), code="withdrawn")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why it is withdrawn.")}, code="required")
    before = audit.snapshot(disclosure)
    disclosure.withdrawn_on = timezone.localdate()
    disclosure.save()
    audit.record_change(actor, disclosure, before, note=f"withdrawn: {reason}")
    return disclosure


@dataclass
class PublicItem:
    """Exactly what the public page shows of one disclosure: nothing else is passed on."""

    kind: str
    title: str
    text: str
    place_name: str
    address: str
    published_on: datetime.date


def public_list(on: datetime.date) -> list[PublicItem]:
    """What the public sees on a day: published on or before it, shown until it or later, and not
    withdrawn by then."""
    rows = (Disclosure.objects.filter(published_on__lte=on, until__gte=on)
            .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))
            .select_related("inspection__place", "hazard__place"))
    out = []
    for d in rows:
        place = d.inspection.place if d.inspection_id else d.hazard.place
        out.append(PublicItem(d.kind, d.title, d.text, place.name, place.address,
                              d.published_on))
    return out
