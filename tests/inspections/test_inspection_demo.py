"""The demo's inspections and commitments: counts, consistency (signatures, results copied from
the checklist, failed items pointing at the register's hazards, re-inspections, commitments),
audit rows, spot-check ratios on both sides of the targets, determinism, deletion; the checker
refusing bad rows; and the `demo` command making them."""

import datetime
import io
import uuid
from collections import Counter

import pytest

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from fireledger.core.models import AuditEvent
from fireledger.hazards import demo as hazard_demo
from fireledger.hazards.models import Hazard
from fireledger.inspections import demo, seeding, services
from fireledger.inspections import spot_checks as sc
from fireledger.inspections.choices import TWO_INSPECTORS, FollowUp, Kind, Outcome, Status
from fireledger.inspections.models import (
    Commitment,
    Inspection,
    InspectionResult,
    Signature,
)
from fireledger.places import generator
from fireledger.places.management.commands import demo as demo_command
from fireledger.places.models import Place

PLACES = 1200
SEED = 5
KINDS = ("sweep", "department", "joint", "random", "unannounced", "self", "follow_up")
COMPARED = ("token", "place_id", "kind", "status", "version_id", "inspected_on",
            "created_by_id", "unit_name", "location", "advice")


@pytest.fixture
def demo_district(db, today):
    generator.generate_demo(places=PLACES, seed=SEED)
    hazard_demo.generate_demo_hazards(seed=SEED, today=today)
    return demo.generate_demo_inspections(seed=SEED, today=today)


def test_counts(demo_district):
    counts = demo_district
    assert counts["inspections"] == Inspection.objects.count()
    assert counts["drafts"] == Inspection.objects.filter(status=Status.DRAFT).count() == 5
    assert counts["submitted"] == Inspection.objects.filter(status=Status.SUBMITTED).count()
    # about 1,200 at 5,000 places
    assert 0.15 <= counts["submitted"] / PLACES <= 0.35
    by_kind = Counter(Inspection.objects.filter(status=Status.SUBMITTED)
                      .values_list("kind", flat=True))
    for kind in KINDS:
        assert by_kind[kind] == counts[kind] > 0, kind
    assert by_kind["sweep"] == max(by_kind.values())
    assert counts["results"] == InspectionResult.objects.count()
    assert counts["signatures"] == Signature.objects.count()
    assert counts["commitments"] == Commitment.objects.count() > 0
    assert counts["untrue"] == Commitment.objects.exclude(untrue_on=None).count() > 0
    outcomes = Counter(InspectionResult.objects.values_list("outcome", flat=True))
    assert outcomes[Outcome.PASS] > 0.85 * counts["results"]
    assert outcomes[Outcome.NOT_APPLICABLE] > 0
    assert outcomes[Outcome.HAZARD] > 0 and outcomes[Outcome.FIXED] > 0
    # drafts of today by the grid worker, partly answered
    drafts = Inspection.objects.filter(status=Status.DRAFT)
    assert set(drafts.values_list("created_by__username", flat=True)) == {"grid"}
    assert set(drafts.values_list("inspected_on", flat=True)) == {timezone.localdate()}
    assert InspectionResult.objects.filter(inspection__in=drafts, outcome="").exists()


def test_every_inspection_is_consistent(demo_district, today):
    linked = Counter()
    for i in Inspection.objects.select_related("place", "version__template", "previous") \
            .prefetch_related("results__hazard", "signatures"):
        results = list(i.results.all())
        signatures = list(i.signatures.all())
        assert i.jurisdiction_code == i.place.jurisdiction_code
        assert i.department_id == i.place.department_id
        assert i.inspected_on <= today
        if i.status == Status.SUBMITTED:
            assert i.submitted_at and i.started_at <= i.submitted_at <= timezone.now()
            assert len(signatures) >= (2 if i.kind in TWO_INSPECTORS else 1), i.kind
            assert len({s.name for s in signatures}) == len(signatures)
            assert all(r.outcome or r.follow_up for r in results)
        else:
            assert i.submitted_at is None and not any(r.hazard_id for r in results)
        if i.kind == Kind.FOLLOW_UP:
            assert i.version_id is None and i.previous.place_id == i.place_id
            assert i.previous.inspected_on < i.inspected_on
            found = set(i.previous.results.filter(outcome=Outcome.HAZARD)
                        .values_list("hazard_id", flat=True))
            assert results and {r.hazard_id for r in results} <= found
            for r in results:
                if r.follow_up == FollowUp.VERIFIED:
                    assert r.hazard.status == "closed" and r.hazard.verified_on == i.inspected_on
                else:
                    assert r.follow_up == FollowUp.STILL_OPEN
                    assert r.hazard.closed_on is None or r.hazard.closed_on >= i.inspected_on
            continue
        assert i.version.template in services.templates_for(i.place)
        items = i.version.items
        assert len(results) == len(items)
        for r, item in zip(results, items):
            assert (r.number, r.text, r.category_id) == (item["number"], item["text"],
                                                         item["category_id"])
            if r.hazard_id is not None:
                linked[r.hazard_id] += 1
                assert r.outcome in (Outcome.HAZARD, Outcome.FIXED)
                assert r.hazard.place_id == i.place_id
                assert r.hazard.found_on == i.inspected_on
                assert (r.outcome == Outcome.FIXED) == r.hazard.fixed_on_spot
                assert r.hazard.source == ("self_inspection" if i.kind == Kind.SELF
                                           else "inspection")
            elif i.status == Status.SUBMITTED:
                assert r.outcome in (Outcome.PASS, Outcome.NOT_APPLICABLE)
    assert linked and max(linked.values()) == 1  # no hazard is the finding of two results
    assert not Hazard.objects.filter(pk__in=linked).exclude(
        jurisdiction_code__startswith=generator.DEMO_DISTRICT[0]).exists()


def test_commitments(demo_district, today):
    in_force = Commitment.objects.in_force(today).count()
    assert 0 < in_force < Commitment.objects.count()  # some have fallen due
    for c in Commitment.objects.select_related("inspection", "untrue_hazard", "untrue_by"):
        assert c.valid_until == services.valid_until(c.signed_on)
        assert c.inspection.kind == Kind.SELF and c.inspection.status == Status.SUBMITTED
        assert c.inspection.place_id == c.place_id
        assert c.inspection.inspected_on <= c.signed_on <= today
        assert today - c.signed_on <= datetime.timedelta(days=demo.COMMITMENT_DAYS)
        assert c.responsible_person and c.responsible_phone and c.safety_manager \
            and c.safety_manager_phone and c.signer_name
        if c.untrue_on is not None:
            h = c.untrue_hazard
            assert h.place_id == c.place_id and h.status != "closed"
            assert c.signed_on <= h.found_on <= c.untrue_on <= today
            assert h.source == "inspection"
            # found by one of the demo's inspections of the place, after the commitment
            assert InspectionResult.objects.filter(
                hazard=h, inspection__place=c.place, inspection__kind__in=[
                    Kind.SWEEP, Kind.UNANNOUNCED]).exists()
            assert c.untrue_by.username == "street" and c.untrue_note
            assert services.declared_clear(c.inspection)
            # the rule the untrue page applies, once the mark is taken off
            c.untrue_on = None
            assert services.may_mark_untrue(c, h)


def test_spot_check_ratios_on_both_sides_of_the_targets(demo_district, today):
    start = max(datetime.date(today.year, 1, 1), today - datetime.timedelta(days=320))
    ratios = sc.spot_checks(Place.objects.all(), start, today)
    public = [row.public.meets for row in ratios.streets if row.public.total >= 5]
    assert ratios.total.public.checked > 0 and ratios.total.residential.checked > 0
    assert True in public
    for row in ratios.streets:
        if row.public.total:
            assert row.public.checked <= 0.2 * row.public.total + 1
    joint = Inspection.objects.filter(kind=Kind.JOINT)
    assert not joint.filter(signatures__isnull=True).exists()
    assert set(joint.values_list("created_by__username", flat=True)) == {"district"}


def test_one_audit_event_per_inspection_and_commitment(demo_district):
    events = AuditEvent.objects.filter(object_type="inspections.inspection")
    assert events.count() == Inspection.objects.count()
    assert set(events.values_list("object_id", flat=True)) == {
        str(pk) for pk in Inspection.objects.values_list("pk", flat=True)}
    assert AuditEvent.objects.filter(object_type="inspections.commitment").count() == \
        Commitment.objects.count()
    event = events.first()
    assert event.action == "create" and event.note == generator.DEMO_NOTE
    assert event.after["kind"] == Inspection.objects.get(pk=int(event.object_id)).kind
    assert event.jurisdiction_code.startswith(generator.DEMO_DISTRICT[0])


def test_deterministic_and_delete_is_idempotent(demo_district, today):
    first = list(Inspection.objects.order_by("pk").values_list(*COMPARED))
    results = list(InspectionResult.objects.order_by("pk").values_list(
        "number", "outcome", "hazard_id", "follow_up"))
    demo.delete_inspections()
    demo.delete_inspections()
    assert not Inspection.objects.exists() and not Commitment.objects.exists()
    assert not InspectionResult.objects.exists() and not Signature.objects.exists()
    assert demo.generate_demo_inspections(seed=SEED, today=today) == demo_district
    assert list(Inspection.objects.order_by("pk").values_list(*COMPARED)) == first
    assert list(InspectionResult.objects.order_by("pk").values_list(
        "number", "outcome", "hazard_id", "follow_up")) == results
    demo.delete_inspections()
    demo.generate_demo_inspections(seed=SEED + 1, today=today)
    assert list(Inspection.objects.order_by("pk").values_list(*COMPARED)) != first
    # the hazards can go once the inspections have
    demo.delete_inspections()
    hazard_demo.delete_hazards()
    assert not Hazard.objects.exists()


# --- the checker ----------------------------------------------------------------------------

def _generated(place, version, creator, kind="joint", signers=("谭志刚",), today=None):
    today = today or timezone.localdate()
    now = timezone.now()
    inspection = Inspection(token=uuid.uuid4(), place=place, kind=kind,
                            status=Status.SUBMITTED, version=version, inspected_on=today,
                            started_at=now - datetime.timedelta(hours=1),
                            submitted_at=now - datetime.timedelta(minutes=30),
                            created_by=creator)
    results = [InspectionResult(
        sort_order=n, number=item["number"], area=item.get("area", ""), text=item["text"],
        category_id=item["category_id"], is_major=item.get("is_major", False),
        workdays=item.get("workdays"), outcome=Outcome.PASS)
        for n, item in enumerate(version.items)]
    signatures = [Signature(name=name, method="typed", signed_at=now) for name in signers]
    return seeding.GeneratedInspection(inspection, results, signatures)


def test_checker_refuses_a_joint_inspection_with_one_signer(places, version, users,
                                                            admin_user):
    g = _generated(places["mall"], version, users["district_office"])
    with pytest.raises(ValidationError) as refused:
        seeding.bulk_create_inspections(admin_user, [g])
    assert refused.value.messages == [
        "#0: a joint inspection needs at least 2 signatures, it has 1"]
    assert not Inspection.objects.exists() and not AuditEvent.objects.filter(
        object_type="inspections.inspection").exists()

    g = _generated(places["mall"], version, users["district_office"],
                   signers=("谭志刚", "刘芳"))
    seeding.bulk_create_inspections(admin_user, [g], note="generated")
    written = Inspection.objects.get()
    assert written.signatures.count() == 2 and written.results.count() == 4
    assert written.jurisdiction_code == places["mall"].jurisdiction_code
    assert AuditEvent.objects.get(object_type="inspections.inspection").note == "generated"


def test_checker_refuses_a_failed_item_without_its_hazard_or_elsewhere(
        places, version, users, admin_user, today):
    from fireledger.hazards import lifecycle
    from fireledger.hazards.models import HazardCategory

    hotel_hazard = Hazard.objects.create(
        place=places["hotel"], jurisdiction_code=places["hotel"].jurisdiction_code,
        category=HazardCategory.objects.get(code="other"), description="x", found_on=today,
        found_by=admin_user, deadline=today, status=lifecycle.PENDING)
    g = _generated(places["mall"], version, users["street_officer"], kind="sweep",
                   signers=("street",))
    g.results[0].outcome = Outcome.HAZARD
    with pytest.raises(ValidationError) as refused:
        seeding.bulk_create_inspections(admin_user, [g])
    assert "point" in refused.value.messages[0]
    g.results[0].hazard_id = hotel_hazard.pk
    with pytest.raises(ValidationError) as refused:
        seeding.bulk_create_inspections(admin_user, [g])
    assert "another place" in refused.value.messages[0]
    g.results[0].number = "99"
    with pytest.raises(ValidationError) as refused:
        seeding.bulk_create_inspections(admin_user, [g])
    assert "not copied" in " ".join(refused.value.messages)


def test_checker_refuses_a_commitment_valid_too_long(places, version, users, admin_user, today):
    g = _generated(places["mall"], version, None, kind="self", signers=("王经理",))
    g.commitment = Commitment(
        place=places["mall"], wording="…", signer_name="王经理", signed_on=today,
        valid_until=today + relativedelta(years=1), responsible_person="王经理",
        responsible_phone="13800000001", safety_manager="李主管",
        safety_manager_phone="13800000002")
    with pytest.raises(ValidationError) as refused:
        seeding.bulk_create_inspections(admin_user, [g])
    assert refused.value.messages == ["#0: valid_until is signed_on + 1 year − 1 day"]
    g.commitment.valid_until = seeding.valid_until(today)
    seeding.bulk_create_inspections(admin_user, [g])
    assert Commitment.objects.get().inspection.kind == Kind.SELF


# --- the command ----------------------------------------------------------------------------

def test_demo_command_loads_and_resets_inspections(db, settings, monkeypatch):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo", "--places", "300", "--no-progress", stdout=out)
    submitted = Inspection.objects.filter(status=Status.SUBMITTED).count()
    assert submitted > 0
    assert (f"演示检查已生成 / demo inspections loaded: {submitted} 次检查 inspections"
            in out.getvalue())
    # --reset deletes the inspections before the hazards their results point at
    # The count below is the ledger's own: the supervision and report layers (issues 6, 8)
    # have their own demo tests; the first load above ran them and the reset removed them.
    monkeypatch.setattr(demo_command.Command, "_supervision_and_reports", lambda self, seed: None)
    call_command("demo", "--places", "120", "--reset", "--no-progress", stdout=io.StringIO(),
                 stderr=io.StringIO())
    assert Place.objects.count() == 120
    assert Inspection.objects.exists()
    # One event per place, hazard, referral notice, inspection and commitment.
    from fireledger.hazards.models import ReferralNotice

    assert AuditEvent.objects.exclude(object_type__startswith="campaigns.").exclude(
        object_type__startswith="public.").exclude(note__contains="citizen report").count() == (
        120 + Hazard.objects.count() + ReferralNotice.objects.count()
        + Inspection.objects.count() + Commitment.objects.count())
