"""The demo hazard register: counts, status mix, consistency, audit rows, determinism; and the
`demo` command making it."""

import datetime
import io
import random

import pytest

from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from fireledger.core.models import AuditEvent
from fireledger.hazards import demo, lifecycle, seeding
from fireledger.hazards.models import Hazard, ReferralNotice
from fireledger.places import generator
from fireledger.places.management.commands import demo as demo_command
from fireledger.places.models import Place

PLACES = 1200
SEED = 11
COMPARED = ("place_id", "category_id", "description", "location_in_place", "found_on",
            "found_by_id", "source", "is_major", "fixed_on_spot", "status", "deadline",
            "closed_on", "reopen_count", "responsible_unit", "responsible_person",
            "responsible_phone", "measures", "interim_safeguards", "cannot_rectify_reason",
            "review_on", "verified_by_id", "verified_on", "rectification_reported_on")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def register(db, today):
    generator.generate_demo(places=PLACES, seed=SEED)
    made = demo.generate_demo_hazards(seed=SEED, today=today)
    return made


def test_counts(register):
    assert register == Hazard.objects.count()
    # about one hazard per 2–3 places
    assert 2 <= PLACES / register <= 3
    # more per place at high-rises, malls and old compounds than at small venues
    per_place = {}
    for category in ("high_rise", "mall", "old_compound", "nine_small"):
        places = Place.objects.filter(category=category, is_high_rise=(category == "high_rise"))
        per_place[category] = (Hazard.objects.filter(place__in=places).count()
                               / max(1, places.count()))
    assert min(per_place["high_rise"], per_place["mall"], per_place["old_compound"]) > \
        2 * per_place["nine_small"]


def test_status_mix(register, today):
    n = Hazard.objects.count()
    by_status = dict(Hazard.objects.values_list("status").annotate(n=Count("pk")))
    assert set(by_status) == set(lifecycle.STATUSES)
    assert 0.45 <= by_status[lifecycle.CLOSED] / n <= 0.65
    overdue = Hazard.objects.overdue(today).count()
    assert 0.05 * n <= overdue <= 0.3 * n
    assert Hazard.objects.filter(status=lifecycle.AWAITING_VERIFICATION).count() >= 0.05 * n
    assert 0 < Hazard.objects.filter(status=lifecycle.CANNOT_RECTIFY).count() <= 0.05 * n
    majors = Hazard.objects.filter(is_major=True)
    assert 0 < majors.count() <= 0.06 * n
    assert not majors.filter(interim_safeguards="").exists()
    rebounds = Hazard.objects.filter(reopen_count__gt=0)
    assert 0 < rebounds.count() <= 0.08 * n
    assert rebounds.filter(status=lifecycle.CLOSED).exists()
    assert rebounds.exclude(status=lifecycle.CLOSED).exists()
    assert Hazard.objects.filter(fixed_on_spot=True).count() >= 0.05 * n
    # overdue by various amounts: a few days to months
    late = sorted((today - d).days for d in Hazard.objects.overdue(today)
                  .values_list("deadline", flat=True))
    assert late[0] <= 5 and late[-1] >= 45


def test_every_hazard_is_consistent_and_in_the_district(register, today):
    window_start = today - datetime.timedelta(days=200)
    for h in Hazard.objects.select_related("place", "category"):
        assert seeding.check_hazard(h, today) == []
        assert h.jurisdiction_code == h.place.jurisdiction_code
        assert h.jurisdiction_code.startswith(generator.DEMO_DISTRICT[0])
        assert h.department_id == h.place.department_id
        assert window_start <= h.found_on <= today
        if h.fixed_on_spot:
            assert h.deadline is None and h.closed_on == h.found_on
        else:
            assert h.deadline >= h.found_on
        if h.closed_on and not h.fixed_on_spot:
            assert h.verified_by_id and h.verified_on == h.closed_on
        if h.status == lifecycle.CANNOT_RECTIFY:
            assert h.cannot_rectify_reason and h.review_on > today
        assert h.responsible_person in (h.place.responsible_person, h.place.safety_manager)
        assert h.responsible_phone in (h.place.responsible_phone, h.place.safety_manager_phone)
        assert not h.category.children.exists()  # a leaf of the taxonomy
        if h.place.category == "mall":
            assert h.category.code.split(".")[0] in {"mall", "prin", "gen"}
        elif h.place.is_high_rise and h.place.category != "commercial_complex":
            assert h.category.code.split(".")[0] in {"hr", "eb", "gen"}


def test_one_audit_event_per_hazard(register):
    events = AuditEvent.objects.filter(object_type="hazards.hazard")
    assert events.count() == register
    assert set(events.values_list("object_id", flat=True)) == {
        str(pk) for pk in Hazard.objects.values_list("pk", flat=True)}
    event = events.first()
    assert event.action == "create" and event.note == generator.DEMO_NOTE
    assert event.after["status"] == Hazard.objects.get(pk=int(event.object_id)).status
    assert event.jurisdiction_code.startswith(generator.DEMO_DISTRICT[0])


def test_referral_notices_at_listed_places(register, today):
    listed = Hazard.objects.exclude(place__listed_by="")
    assert listed.exists() and Hazard.objects.filter(place__listed_by="").exists()
    notices = ReferralNotice.objects.select_related("hazard__place")
    assert notices.count() == listed.count()
    for notice in notices:
        hazard = notice.hazard
        assert notice.agency == hazard.place.listed_by
        assert notice.jurisdiction_code == hazard.jurisdiction_code
        assert notice.due_on > hazard.found_on
        if notice.sent_on:
            assert hazard.found_on <= notice.sent_on <= today and notice.sent_by_id
    assert notices.filter(sent_on__isnull=True).exists()
    sent = notices.exclude(sent_on=None)
    assert sum(n.sent_on > n.due_on for n in sent) < sum(n.sent_on <= n.due_on for n in sent)
    assert AuditEvent.objects.filter(object_type="hazards.referralnotice").count() == \
        notices.count()


def test_deterministic(register, today):
    first = list(Hazard.objects.order_by("pk").values_list(*COMPARED))
    demo.delete_hazards()
    assert demo.generate_demo_hazards(seed=SEED, today=today) == register
    assert list(Hazard.objects.order_by("pk").values_list(*COMPARED)) == first
    demo.delete_hazards()
    demo.generate_demo_hazards(seed=SEED + 1, today=today)
    assert list(Hazard.objects.order_by("pk").values_list(*COMPARED)) != first


def test_planner_is_pure():
    taxonomy = demo.Taxonomy([(1, "hr.03", None, "安全疏散"), (2, "hr.03.1", 1, "占用疏散通道"),
                              (3, "other", None, "其他")], {(None, False): 10, (None, True): 30})
    place = demo.PlaceFacts(7, "high_rise", True, "500103002001001", None, "张三", "13800000000",
                            "李四", "13900000000", "", "重庆某物业")
    today = datetime.date(2026, 11, 23)

    def plan(seed):
        planner = demo.HazardPlanner(random.Random(seed), taxonomy, today)
        return [planner.plan(place) for _ in range(200)]

    first = plan(1)
    assert first == plan(1) and first != plan(2)
    assert {h["category"] for h in first} == {"hr.03.1"}  # the only high-rise leaf
    assert all(h["deadline"] is None or h["deadline"] >= h["found_on"] for h in first)


def test_bulk_create_refuses_inconsistent_rows(db, places, admin_user, categories, today):
    bad = Hazard(place=places["mall"], category=categories["other"], description="x",
                 found_on=today, found_by=admin_user, status=lifecycle.CLOSED, closed_on=None,
                 deadline=today)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        seeding.bulk_create_hazards(admin_user, [bad])
    assert not Hazard.objects.exists() and not AuditEvent.objects.filter(
        object_type="hazards.hazard").exists()


def test_bulk_create_needs_change_rights(db, places, users, categories, today):
    from django.core.exceptions import PermissionDenied

    hotel_hazard = Hazard(place=places["hotel"], category=categories["other"], description="x",
                          found_on=today, found_by=users["street_officer"],
                          deadline=today, status=lifecycle.PENDING)
    with pytest.raises(PermissionDenied):  # the hotel is in the other street
        seeding.bulk_create_hazards(users["street_officer"], [hotel_hazard])


def test_demo_command_prints_the_hazard_count(db, settings, monkeypatch):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo", "--places", "80", "--no-progress", stdout=out)
    from fireledger.public.models import CitizenReport

    # The demo's citizen reports are accepted after the hazards are counted.
    count = Hazard.objects.count() - CitizenReport.objects.filter(hazard__isnull=False).count()
    assert count > 0
    assert f"{count} 条隐患 hazards" in out.getvalue()
    # --reset deletes the hazards with the places they stand on
    # The count below is the ledger's own: the supervision and report layers (issues 6, 8)
    # have their own demo tests; the first load above ran them and the reset removed them.
    monkeypatch.setattr(demo_command.Command, "_supervision_and_reports", lambda self, seed: None)
    call_command("demo", "--places", "40", "--reset", "--no-progress", stdout=io.StringIO(),
                 stderr=io.StringIO())
    assert Place.objects.count() == 40
    from fireledger.inspections.models import Commitment, Inspection

    assert AuditEvent.objects.exclude(object_type__startswith="campaigns.").exclude(
        object_type__startswith="public.").exclude(note__contains="citizen report").count() == (
        40 + Hazard.objects.count()
                                          + ReferralNotice.objects.count()
                                          + Inspection.objects.count()
                                          + Commitment.objects.count())
