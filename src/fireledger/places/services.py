"""Every write to the place ledger: validate, write, and record an audit event in one transaction."""

import datetime
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from fireledger.core import audit, bulk
from fireledger.core.models import AuditAction, AuditEvent
from fireledger.core.scope import permits
from fireledger.risk.services import recompute_places

from .models import KeyUnitCriterion, Place
from .pinyin import initials
from .rules import Criterion, Facts, derive

FACT_FIELDS = (
    "category", "building_use", "height_m", "floors_above", "area_above", "area_below",
    "area_total", "year_built", "guest_rooms", "beds",
)


class CriteriaBook:
    """The key-unit criteria in force on a day, resolved per place by its division code."""

    def __init__(self, on: datetime.date | None = None):
        rows = KeyUnitCriterion.objects.in_force(on or datetime.date.today())
        self._by_region: dict[str, list[Criterion]] = {}
        for r in rows:
            self._by_region.setdefault(r.region, []).append(
                Criterion(r.category, r.metric, r.threshold, r.label, r.source_doc)
            )
        # Most specific region first, national ('') last.
        self._regions = sorted(self._by_region, key=len, reverse=True)

    def for_place(self, code: str, category: str) -> list[Criterion]:
        for region in self._regions:
            if code.startswith(region):
                found = [c for c in self._by_region[region] if c.category == category]
                if found:
                    return found
        return []


def search_text(name: str, address: str) -> str:
    """What the list search matches: name, address and the name's pinyin initials."""
    return f"{name} {address} {initials(name)}".lower()[:600]


def new_code(jurisdiction_code: str) -> str:
    """A readable ledger number: the street's 9 digits and a random suffix."""
    return f"P{jurisdiction_code[:9]}{secrets.token_hex(3).upper()}"


def refresh_derived(place: Place, book: CriteriaBook) -> None:
    """Recompute derived flags, their reasons and the search text (no save)."""
    facts = Facts(**{f: getattr(place, f) for f in FACT_FIELDS})
    findings = derive(facts, book.for_place(place.jurisdiction_code, place.category))
    for flag, finding in findings.items():
        setattr(place, flag, finding.value)
    place.flag_reasons = {flag: f.as_json() for flag, f in findings.items() if f.reason}
    place.search_text = search_text(place.name, place.address)


def organisation_ids(place: Place) -> tuple:
    """The place's units: owner, manager, occupant (a unit manager acts for one of them)."""
    return (place.owner_id, place.manager_id, place.occupant_id)


def may(actor, action: str, place: Place) -> bool:
    """Whether actor's roles allow action on place (scope.permits with the place's columns)."""
    return permits(actor, action, place.jurisdiction_code, department_id=place.department_id,
                   organisation_ids=organisation_ids(place))


def is_unit_manager_of(actor, place: Place) -> bool:
    """A unit manager assigned to one of the place's units, with the place in their area."""
    from fireledger.core.choices import Role
    from fireledger.core.scope import assignments

    org_ids = set(organisation_ids(place)) - {None}
    return any(a.role == Role.UNIT_MANAGER and a.organisation_id in org_ids
               and place.jurisdiction_code.startswith(a.jurisdiction.prefix)
               for a in assignments(actor))


def _check(actor, action: str, place: Place) -> None:
    if not may(actor, action, place):
        raise PermissionDenied(f"{action} not permitted here")


def _prepare(place: Place) -> None:
    place.jurisdiction_code = place.jurisdiction.code
    if not place.code:
        place.code = new_code(place.jurisdiction_code)
    place.full_clean()


@transaction.atomic
def create_place(actor, **data) -> Place:
    place = Place(**data)
    _prepare(place)
    _check(actor, "create", place)
    refresh_derived(place, CriteriaBook())
    place.save()
    audit.record(actor, AuditAction.CREATE, place, after=audit.snapshot(place))
    recompute_places([place.pk])
    return place


@transaction.atomic
def change_place(actor, place: Place, **data) -> Place:
    """Apply data to place; the actor must may change it where it was and where it goes."""
    _check(actor, "change", place)
    before = audit.snapshot(Place.objects.select_for_update().get(pk=place.pk))
    for field, value in data.items():
        setattr(place, field, value)
    _prepare(place)
    _check(actor, "change", place)
    refresh_derived(place, CriteriaBook())
    place.save()
    changed = audit.record_change(actor, place, before)
    if changed & {"jurisdiction_code", "department_id"}:
        # Hazards copy their place's code and department for scope; keep them in step.
        from fireledger.hazards.models import Hazard

        Hazard.objects.filter(place=place).update(
            jurisdiction_code=place.jurisdiction_code, department_id=place.department_id)
    recompute_places([place.pk])
    return place


@transaction.atomic
def delete_place(actor, place: Place) -> None:
    _check(actor, "delete", place)
    audit.record(actor, AuditAction.DELETE, place, before=audit.snapshot(place))
    place.delete()


def assign_codes(places: list[Place], taken: set[str]) -> None:
    """Number the places that have no code, unique among `taken`, each other and the ledger.

    new_code draws 6 random hex digits per street: thousands of places in one street collide
    now and then, so a clash is drawn again before anything is inserted.
    """
    blank = [p for p in places if not p.code]
    while blank:
        for p in blank:
            p.code = new_code(p.jurisdiction_code)
            while p.code in taken:
                p.code = new_code(p.jurisdiction_code)
            taken.add(p.code)
        clash = set(bulk.ids_by(Place, "code", [p.code for p in blank]))
        blank = [p for p in blank if p.code in clash]
        for p in blank:
            p.code = ""


def bulk_create_places(actor, places: list[Place], note: str = "", batch_size: int = 2000,
                       progress=None) -> list[Place]:
    """Create many validated places and their audit events; the caller holds the transaction.

    Used by imports and the demo generator: permission, derived flags and the audit event are
    the same as for one place; rows go in with one executemany per batch (core.bulk) and their
    ids are read back by code. `progress(n)` is called after each batch with the count so far.
    """
    book = CriteriaBook()
    for place in places:
        place.jurisdiction_code = place.jurisdiction.code
        _check(actor, "create", place)
        refresh_derived(place, book)
    assign_codes(places, {p.code for p in places if p.code})
    written = []
    now = timezone.now()
    for start in range(0, len(places), batch_size):
        batch = places[start:start + batch_size]
        bulk.insert(Place, batch)
        ids = bulk.ids_by(Place, "code", [p.code for p in batch])
        for place in batch:
            place.pk = ids[place.code]
            place._state.adding = False
        bulk.insert(AuditEvent, [
            audit.event_row(actor, AuditAction.CREATE, p, note=note, at=now,
                            after=audit.snapshot(p, skip_empty=True))
            for p in batch])
        written.extend(batch)
        if progress:
            progress(len(written))
    recompute_places([p.pk for p in written])  # set-based, once for the whole call
    return written
