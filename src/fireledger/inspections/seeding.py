"""The write path for generated inspections (demo data), next to services.start_inspection.

The services write what people do today, one step at a time: start a draft, answer each item,
sign, submit (the failed items become new hazards then), sign the commitment today. Generated
data must hold inspections whose whole history lies in the past — submitted in March, with the
hazard found that day already in the register, re-inspected in May, a commitment signed last
year and found untrue in the autumn — which the services rightly refuse.
`bulk_create_inspections` writes such inspections as they are, after checking each one for
consistency (`check_inspection`, the rules below), with their results, signatures and
commitments, and one audit event per inspection and per commitment (action "create", the note
saying they were generated, the full row as `after`), all in one transaction: the same idea as
hazards.seeding.bulk_create_hazards.

It is for generators only (inspections/demo.py); nothing a user types goes through it. It never
creates a hazard: a failed result points at a hazard already in the register, found at the same
place on the day of the inspection. Signatures are typed names (no images), results have no
photos.

The rules (each broken one is reported as "#row: problem"):

- kind, status and every outcome and re-inspection finding are known values; the date is not in
  the future; scope and department are the place's;
- a submitted inspection has submitted_at (not before it started, not in the future) and at
  least one signature, a joint or random inspection at least two, no name twice; a draft has no
  submitted_at and no commitment;
- an inspection on a checklist has one result per item of its version, copied from the item
  (number, area, text, category, major, period), in order, and the version's checklist applies
  to the place's category; a submitted one has an outcome for every result; a failed result
  (fixed on the spot, hazard to rectify) points at a hazard of the same place found that day —
  fixed on the spot exactly when the hazard was — and a passed one at none; no hazard is the
  finding of two results;
- a re-inspection has no checklist, follows a submitted inspection of the same place made no
  later, and each result is one hazard that inspection found, answered as the hazard's history
  allows (verified: closed and verified that day; still open or not rectified: found by then and
  not closed before);
- whoever created it may inspect the place (a self-inspection: or is the place's unit manager);
- a commitment is on a submitted self-inspection of the same place, signed on or after it and
  not in the future, valid for a year (signed_on + 1 year − 1 day), with the signer and the two
  published persons named; marked untrue only with all of date, user, hazard and reason, the
  hazard found at the place by someone else's inspection while the commitment was in force, on
  or before the day it was marked, the self-inspection having left nothing open, and the user
  allowed to inspect the place.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fireledger.core import audit, bulk
from fireledger.core.models import AuditAction, AuditEvent
from fireledger.core.scope import permits
from fireledger.hazards import lifecycle
from fireledger.hazards.choices import Source

from . import services
from .choices import FAILED, TWO_INSPECTORS, FollowUp, Kind, Outcome, SignatureMethod, Status
from .models import ChecklistVersion, Commitment, Inspection, InspectionResult, Signature

RESULT_COPIED = ("number", "area", "text", "category_id", "is_major", "workdays")
HAZARD_COLUMNS = ("pk", "place_id", "found_on", "source", "fixed_on_spot", "status", "closed_on",
                  "verified_on")
MAX_PROBLEMS = 20


@dataclass
class GeneratedInspection:
    """One inspection to write, with what hangs on it.

    inspection: an unsaved Inspection with `place` set (jurisdiction and department are taken
    from it); a re-inspection's `previous` is another GeneratedInspection's Inspection, or one
    already saved. results, signatures: InspectionResult and Signature instances, or any objects
    with their attnames (inspection_id is filled in on writing). commitment: an unsaved
    Commitment on a self-inspection (its inspection is set on writing), or None."""

    inspection: Inspection
    results: list = field(default_factory=list)
    signatures: list = field(default_factory=list)
    commitment: Commitment | None = None


valid_until = services.valid_until


@dataclass
class Context:
    """What the checks compare generated rows against: read from the database once."""

    today: datetime.date
    now: datetime.datetime
    versions: dict  # pk → ChecklistVersion (template loaded)
    hazards: dict  # pk → {HAZARD_COLUMNS}
    previous_hazards: dict  # pk of an inspection already saved → set of its hazard ids
    linked: set  # hazards already the finding of a saved result


def _may_create(user, place, kind: str) -> bool:
    from . import services

    if kind == Kind.SELF and services.is_unit_manager_of(user, place):
        return True
    return services.may_inspect(user, place)


def _found_by_then(h: dict, on: datetime.date) -> bool:
    """Found on or before `on` and not closed before it."""
    return h["found_on"] <= on and (h["closed_on"] is None or h["closed_on"] >= on)


def check_inspection(g: GeneratedInspection, ctx: Context, batch_hazards: dict | None = None
                     ) -> list[str]:
    """What is inconsistent about one generated inspection (empty when nothing is).

    batch_hazards: id(Inspection) → the hazard ids its results found, for the inspections
    written in the same batch (a re-inspection's results must be among its previous one's)."""
    i = g.inspection
    place = i.place
    problems: list[str] = []
    if i.kind not in Kind.values:
        return [f"unknown kind {i.kind!r}"]
    if i.status not in Status.values:
        return [f"unknown status {i.status!r}"]
    kind = Kind(i.kind)
    if i.jurisdiction_code != place.jurisdiction_code or i.department_id != place.department_id:
        problems.append("scope or department differs from the place's")
    if i.inspected_on is None or i.inspected_on > ctx.today:
        return [*problems, "inspected_on missing or in the future"]
    if i.started_at is None or i.started_at > ctx.now:
        problems.append("started_at missing or in the future")
    submitted = i.status == Status.SUBMITTED
    signers = [s.name for s in g.signatures]
    if submitted:
        if i.submitted_at is None:
            problems.append("a submitted inspection needs submitted_at")
        elif i.submitted_at > ctx.now or (i.started_at and i.submitted_at < i.started_at):
            problems.append("submitted_at before it started or in the future")
        needed = 2 if kind in TWO_INSPECTORS else 1
        if len(signers) < needed:
            problems.append(f"a {kind.value} inspection needs at least {needed} "
                            f"signature{'s' if needed > 1 else ''}, it has {len(signers)}")
    else:
        if i.submitted_at is not None:
            problems.append("a draft has no submitted_at")
        if g.commitment is not None:
            problems.append("a commitment is signed on a submitted self-inspection only")
    if len(set(signers)) != len(signers):
        problems.append("the same name signed twice")
    for s in g.signatures:
        if not s.name.strip() or len(s.name) > 50:
            problems.append("a signature needs a name of at most 50 characters")
        if s.method != SignatureMethod.TYPED or s.image:
            problems.append("generated signatures are typed names without an image")
    if i.created_by is not None and not _may_create(i.created_by, place, kind):
        problems.append(f"{i.created_by.username} may not inspect place {place.pk}")

    if kind == Kind.FOLLOW_UP:
        problems += _check_follow_up(g, ctx, batch_hazards or {})
    else:
        problems += _check_checklist(g, ctx, submitted)
    if g.commitment is not None:
        problems += _check_commitment(g, ctx)
    return problems


def _check_checklist(g: GeneratedInspection, ctx: Context, submitted: bool) -> list[str]:
    i = g.inspection
    problems = []
    if i.previous_id is not None or _cached_previous(i) is not None:
        problems.append("only a re-inspection has a previous inspection")
    version = ctx.versions.get(i.version_id)
    if version is None:
        return [*problems, "an inspection on a checklist needs its version"]
    if i.place.category not in version.template.place_categories:
        problems.append(f"checklist {version.template.code} is not for "
                        f"{i.place.category} places")
    if len(g.results) != len(version.items):
        return [*problems, f"{len(g.results)} results for the {len(version.items)} items of "
                           f"{version.template.code} v{version.version}"]
    for n, (r, item) in enumerate(zip(g.results, version.items)):
        label = f"item {item['number']}"
        if r.sort_order != n or tuple(getattr(r, k) for k in RESULT_COPIED) != _copied(item):
            problems.append(f"{label}: not copied from the version's item")
        if r.follow_up:
            problems.append(f"{label}: a re-inspection finding outside a re-inspection")
        if r.outcome and r.outcome not in Outcome.values:
            problems.append(f"{label}: unknown outcome {r.outcome!r}")
            continue
        if submitted and not r.outcome:
            problems.append(f"{label}: a submitted inspection answers every item")
        if not submitted:
            if r.hazard_id is not None:
                problems.append(f"{label}: a draft's result has no hazard yet")
            continue
        failed = r.outcome in FAILED
        if failed != (r.hazard_id is not None):
            problems.append(f"{label}: a failed item points at its hazard, a passed one at none")
            continue
        if not failed:
            continue
        h = ctx.hazards.get(r.hazard_id)
        if h is None:
            problems.append(f"{label}: hazard {r.hazard_id} does not exist")
        elif h["place_id"] != i.place.pk:
            problems.append(f"{label}: hazard {r.hazard_id} is at another place")
        elif h["found_on"] != i.inspected_on:
            problems.append(f"{label}: hazard {r.hazard_id} was not found on the day inspected")
        elif (r.outcome == Outcome.FIXED) != h["fixed_on_spot"]:
            problems.append(f"{label}: fixed on the spot exactly when the hazard was")
        elif r.hazard_id in ctx.linked:
            problems.append(f"{label}: hazard {r.hazard_id} is another result's finding")
    return problems


def _copied(item: dict) -> tuple:
    """What services._results_from_version copies from a version's item (RESULT_COPIED)."""
    return (item["number"], item.get("area", ""), item["text"], item["category_id"],
            item.get("is_major", False), item.get("workdays"))


def _cached_previous(i: Inspection):
    return i._state.fields_cache.get("previous")


def _check_follow_up(g: GeneratedInspection, ctx: Context, batch_hazards: dict) -> list[str]:
    i = g.inspection
    problems = []
    if i.version_id is not None:
        problems.append("a re-inspection has no checklist")
    previous = _cached_previous(i)
    if previous is None and i.previous_id is None:
        return [*problems, "a re-inspection follows a previous inspection"]
    if previous is not None and id(previous) in batch_hazards:
        found = batch_hazards[id(previous)]
    else:
        found = ctx.previous_hazards.get(i.previous_id, set())
        previous = previous or Inspection.objects.get(pk=i.previous_id)
    if previous.place_id != i.place.pk or previous.status != Status.SUBMITTED \
            or previous.inspected_on > i.inspected_on:
        problems.append("the previous inspection is a submitted one of the same place, "
                        "made no later")
    if not g.results:
        problems.append("a re-inspection re-checks at least one hazard")
    for n, r in enumerate(g.results):
        label = f"re-inspected hazard {r.hazard_id}"
        h = ctx.hazards.get(r.hazard_id)
        if r.sort_order != n or r.outcome:
            problems.append(f"{label}: in order, with a finding instead of an outcome")
        if h is None or r.hazard_id not in found:
            problems.append(f"{label}: not a hazard the previous inspection found")
            continue
        if r.follow_up not in FollowUp.values:
            problems.append(f"{label}: unknown finding {r.follow_up!r}")
        elif r.follow_up == FollowUp.VERIFIED:
            if h["status"] != lifecycle.CLOSED or h["verified_on"] != i.inspected_on:
                problems.append(f"{label}: verified, but not closed and verified that day")
        elif not _found_by_then(h, i.inspected_on):
            problems.append(f"{label}: not open on the day re-inspected")
    return problems


def _check_commitment(g: GeneratedInspection, ctx: Context) -> list[str]:
    from . import services

    c, i = g.commitment, g.inspection
    problems = []
    if i.kind != Kind.SELF or i.status != Status.SUBMITTED:
        problems.append("a commitment is signed on a submitted self-inspection")
    if c.place_id != i.place.pk:
        problems.append("the commitment is for another place")
    if c.signed_on is None or not i.inspected_on <= c.signed_on <= ctx.today:
        return [*problems, "signed_on before the self-inspection or in the future"]
    if c.valid_until != valid_until(c.signed_on):
        problems.append("valid_until is signed_on + 1 year − 1 day")
    if not all(v.strip() for v in (c.signer_name, c.responsible_person, c.responsible_phone,
                                   c.safety_manager, c.safety_manager_phone, c.wording)):
        problems.append("the commitment names its signer and both persons with phones")
    marks = (c.untrue_on, c.untrue_by_id, c.untrue_hazard_id, c.untrue_note.strip())
    if any(marks) and not all(marks):
        problems.append("marked untrue with its date, user, hazard and reason together")
    elif all(marks):
        h = ctx.hazards.get(c.untrue_hazard_id)
        if h is None or h["place_id"] != c.place_id:
            problems.append("the untrue hazard is not at this place")
        elif not c.signed_on <= h["found_on"] <= c.valid_until:
            problems.append("the untrue hazard was not found while the commitment was in force")
        elif h["source"] == Source.SELF_INSPECTION:
            problems.append("the untrue hazard was found by the unit's own self-inspection")
        elif not h["found_on"] <= c.untrue_on <= ctx.today:
            problems.append("untrue_on before the hazard was found or in the future")
        if any(r.outcome == Outcome.HAZARD for r in g.results):
            problems.append("marked untrue, but the self-inspection declared hazards open")
        if not services.may_inspect(c.untrue_by, i.place):
            problems.append(f"{c.untrue_by.username} may not mark this place's commitment")
    return problems


def _chunks(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _context(generated: list[GeneratedInspection], today, now) -> Context:
    version_ids = {g.inspection.version_id for g in generated} - {None}
    versions = {v.pk: v for v in ChecklistVersion.objects.filter(pk__in=version_ids)
                .select_related("template")}
    saved_previous = {g.inspection.previous_id for g in generated} - {None}
    previous_hazards: dict = {}
    for chunk in _chunks(sorted(saved_previous)):
        for inspection_id, hazard_id in InspectionResult.objects.filter(
                inspection_id__in=chunk, hazard__isnull=False, outcome=Outcome.HAZARD
        ).values_list("inspection_id", "hazard_id"):
            previous_hazards.setdefault(inspection_id, set()).add(hazard_id)
    hazard_ids = {r.hazard_id for g in generated for r in g.results} | {
        g.commitment.untrue_hazard_id for g in generated if g.commitment is not None}
    hazard_ids = sorted(hazard_ids - {None})
    hazards, linked = {}, set()
    for chunk in _chunks(hazard_ids):
        from fireledger.hazards.models import Hazard

        for row in Hazard.objects.filter(pk__in=chunk).values(*HAZARD_COLUMNS):
            hazards[row["pk"]] = row
        linked.update(InspectionResult.objects.filter(
            hazard_id__in=chunk, outcome__in=FAILED).values_list("hazard_id", flat=True))
    return Context(today, now, versions, hazards, previous_hazards, linked)


def check_all(generated: list[GeneratedInspection], today: datetime.date | None = None,
              now: datetime.datetime | None = None) -> None:
    """ValidationError listing the first problems (row number: problem); nothing written."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    ctx = _context(generated, today, now)
    batch_hazards = {id(g.inspection): {r.hazard_id for r in g.results
                                        if r.outcome == Outcome.HAZARD and r.hazard_id}
                     for g in generated}
    errors, seen = [], set()
    for n, g in enumerate(generated):
        problems = check_inspection(g, ctx, batch_hazards)
        if g.inspection.kind != Kind.FOLLOW_UP:
            for r in g.results:
                if r.hazard_id is not None and r.outcome in FAILED:
                    if r.hazard_id in seen:
                        problems.append(f"hazard {r.hazard_id} is the finding of two results")
                    seen.add(r.hazard_id)
        errors += [f"#{n}: {p}" for p in problems]
        if len(errors) >= MAX_PROBLEMS:
            break
    if errors:
        raise ValidationError(errors[:MAX_PROBLEMS])


def bulk_create_inspections(actor, generated: list[GeneratedInspection], *, note: str = "",
                            batch_size: int = 2000, progress=None,
                            today: datetime.date | None = None,
                            now: datetime.datetime | None = None) -> list[GeneratedInspection]:
    """Write generated inspections with their results, signatures and commitments, and one
    audit event per inspection and per commitment, all or nothing.

    The actor must be allowed to change every place (it is the audit events' actor, as in
    hazards.seeding). Rows go in with one executemany (COPY on PostgreSQL) per table and batch
    (core.bulk.insert); inspection ids are read back by their unique token, commitment ids by
    their inspection. A re-inspection is written after the inspection it follows. `progress(n)`
    is called after each batch with the number of inspections written so far.
    """
    today = today or timezone.localdate()
    now = now or timezone.now()
    for g in generated:
        i, place = g.inspection, g.inspection.place
        i.jurisdiction_code = place.jurisdiction_code
        i.department_id = place.department_id
        if not permits(actor, "change", place.jurisdiction_code, department_id=place.department_id,
                       organisation_ids=(place.owner_id, place.manager_id, place.occupant_id)):
            raise PermissionDenied(f"change not permitted on place {place.pk}")
    check_all(generated, today, now)
    written = 0
    with transaction.atomic():
        pending = list(generated)
        while pending:
            # A re-inspection waits for the inspection it follows to have its id.
            ready = [g for g in pending if (_cached_previous(g.inspection) is None
                                            or _cached_previous(g.inspection).pk is not None)]
            if not ready:
                raise ValidationError("re-inspections follow each other in a circle")
            ready_ids = {id(g) for g in ready}
            pending = [g for g in pending if id(g) not in ready_ids]
            for start in range(0, len(ready), batch_size):
                batch = ready[start:start + batch_size]
                _write_batch(actor, batch, note)
                written += len(batch)
                if progress:
                    progress(written)
    return generated


def _signature_row(s) -> SimpleNamespace:
    """A signature as a plain row (a Signature's image is a FieldFile: its stored name)."""
    image = s.image
    return SimpleNamespace(inspection_id=s.inspection_id, user_id=s.user_id, name=s.name,
                           method=s.method, image=getattr(image, "name", image) or "",
                           signed_at=s.signed_at)


def _write_batch(actor, batch: list[GeneratedInspection], note: str) -> None:
    inspections = [g.inspection for g in batch]
    for i in inspections:
        previous = _cached_previous(i)
        if previous is not None:
            i.previous_id = previous.pk
    bulk.insert(Inspection, inspections)
    ids = bulk.ids_by(Inspection, "token", [i.token for i in inspections])
    if len(ids) != len(inspections):
        raise RuntimeError(f"read back {len(ids)} ids for {len(inspections)} inspections")
    for i in inspections:
        i.pk = ids[i.token]
        i._state.adding = False
    results, signatures = [], []
    for g in batch:
        for r in g.results:
            r.inspection_id = g.inspection.pk
        for s in g.signatures:
            s.inspection_id = g.inspection.pk
        results += g.results
        signatures += [_signature_row(s) for s in g.signatures]
    bulk.insert(InspectionResult, results)
    bulk.insert(Signature, signatures)
    at = timezone.now()
    events = [audit.event_row(actor, AuditAction.CREATE, i, note=note, at=at,
                              after=audit.snapshot(i, skip_empty=True)) for i in inspections]
    commitments = [g.commitment for g in batch if g.commitment is not None]
    if commitments:
        for g in batch:
            if g.commitment is not None:
                g.commitment.inspection = g.inspection
        bulk.insert(Commitment, commitments)
        ids = bulk.ids_by(Commitment, "inspection_id", [c.inspection_id for c in commitments])
        for c in commitments:
            c.pk = ids[c.inspection_id]
            c._state.adding = False
        events += [audit.event_row(actor, AuditAction.CREATE, c, note=note, at=at,
                                   after=audit.snapshot(c, skip_empty=True))
                   for c in commitments]
    bulk.insert(AuditEvent, events)


__all__ = ["GeneratedInspection", "bulk_create_inspections", "check_all", "check_inspection",
           "valid_until"]
