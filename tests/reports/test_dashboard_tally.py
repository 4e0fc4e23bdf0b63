"""reports.HazardTally / CategoryTally stay equal to a live GROUP BY over the hazards whatever
writes them: the services, bulk inserts (core.bulk.insert, COPY on PostgreSQL), queryset
updates and deletes — the triggers of reports 0003 keep them, not Python."""

import collections
import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings, strategies as st

from fireledger.core import bulk
from fireledger.hazards import lifecycle, services
from fireledger.hazards.models import Hazard, HazardCategory
from fireledger.reports import aggregates as agg
from fireledger.reports.models import CategoryTally, HazardTally

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def month(d):
    return "" if d is None else f"{d.year:04d}-{d.month:02d}"


def live():
    h, c = collections.Counter(), collections.Counter()
    for code, dept, status, major, found, closed, cat in Hazard.objects.values_list(
            "jurisdiction_code", "department_id", "status", "is_major", "found_on", "closed_on",
            "category_id"):
        h[(code[:12], dept or 0, status, major, month(found), month(closed))] += 1
        c[(code[:9], dept or 0, cat, status)] += 1
    return h, c


def tallies():
    h = collections.Counter({k[:-1]: k[-1] for k in HazardTally.objects.exclude(n=0).values_list(
        "area", "department_id", "status", "is_major", "found_month", "closed_month", "n")})
    c = collections.Counter({k[:-1]: k[-1] for k in CategoryTally.objects.exclude(n=0)
                             .values_list("area", "department_id", "category_id", "status", "n")})
    return h, c


def make_photo():
    """A small PNG upload (as tests/conftest.py's photo fixture, which hypothesis cannot take
    per example)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile("p.png", buffer.getvalue(), content_type="image/png")


def details(action, today):
    return {lifecycle.START: {"deadline": today + 10 * DAY},
            lifecycle.REPORT_RECTIFICATION: {"measures": "已清理杂物"},
            lifecycle.VERIFY_FAIL: {"deadline": today + 5 * DAY},
            lifecycle.DECLARE_CANNOT_RECTIFY: {"cannot_rectify_reason": "产权不清",
                                               "review_on": today + 30 * DAY},
            lifecycle.RESUME: {"deadline": today + 10 * DAY},
            lifecycle.REOPEN: {"deadline": today + 10 * DAY}}.get(action, {})


DONE = collections.Counter()  # operations that went through, for the check below
OPS = ("log", "log_closed", "spot", "bulk") + lifecycle.ACTIONS + (
    "category", "major", "bulk_update", "delete", "move")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(steps=[(op, 1) for op in (  # every operation once, each applicable
    "log", "log", "spot", "log_closed", "bulk", "start", "report_rectification", "verify_fail",
    "report_rectification", "verify_pass", "reopen", "declare_cannot_rectify", "resume",
    "category", "major", "bulk_update", "delete", "move")])
@given(steps=st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 10_000)), max_size=30))
def test_tally_equals_live_group_by(places, admin_user, django_user_model, steps):
    today = timezone.localdate()
    categories = list(HazardCategory.objects.order_by("pk")[:5])
    spots = list(places.values())
    done = collections.Counter()
    verifier = django_user_model.objects.filter(username="verifier").first() or \
        django_user_model.objects.create_superuser("verifier", password="x")
    for op, k in steps:
        hazards = list(Hazard.objects.order_by("pk"))
        if op in lifecycle.ACTIONS:  # a hazard the action applies to
            hazards = [h for h in hazards if h.status in lifecycle.TRANSITIONS[op]]
        target = hazards[k % len(hazards)] if hazards else None
        place, category = spots[k % len(spots)], categories[k % len(categories)]
        found_on = today - (k % 400) * DAY
        try:
            with transaction.atomic():
                if op == "log":
                    services.log_hazard(admin_user, place, category=category, description="堆物",
                                        found_on=found_on, deadline=today + 3 * DAY,
                                        is_major=k % 7 == 0, interim_safeguards="临时措施")
                elif op == "log_closed":
                    services.log_hazard(admin_user, place, category=category, description="堆物",
                                        found_on=found_on, rectified_on=today)
                elif op == "spot":
                    services.log_hazard(admin_user, place, category=category, description="堆物",
                                        fixed_on_spot=True)
                elif op == "bulk":  # the raw path of hazards.seeding / table_import
                    rows = [Hazard(place=p, jurisdiction_code=p.jurisdiction_code,
                                   department_id=p.department_id, category=category,
                                   description="批量", found_on=found_on - i * 31 * DAY,
                                   found_by=admin_user, status=lifecycle.CLOSED if i % 2 else
                                   lifecycle.PENDING, closed_on=today if i % 2 else None,
                                   deadline=today + DAY, is_major=bool(i % 3 == 0))
                            for i, p in enumerate(spots * 2)]
                    bulk.insert(Hazard, rows)
                elif target is None:
                    continue
                elif op in lifecycle.ACTIONS:
                    actor = verifier if op.startswith("verify") else admin_user
                    services.transition(actor, target, op, **details(op, today),
                                        note="复查" if op.startswith("verify") else "",
                                        photos=[make_photo()] if op == "verify_pass" else ())
                elif op == "category":
                    target.category = category
                    target.save()
                elif op == "major":
                    Hazard.objects.filter(pk=target.pk).update(is_major=not target.is_major)
                elif op == "bulk_update":
                    Hazard.objects.filter(place=place).update(category=category)
                elif op == "delete":
                    Hazard.objects.filter(pk=target.pk).delete()
                elif op == "move":  # the place's department or code changed, then copied down
                    other = spots[(k + 1) % len(spots)]
                    Hazard.objects.filter(pk=target.pk).update(
                        jurisdiction_code=other.jurisdiction_code,
                        department_id=other.department_id)
                if k % 11 == 0:
                    raise RuntimeError("roll back")  # the tally rolls back with the write
            done[op] += 1
        except (ValidationError, PermissionDenied, RuntimeError):
            pass
        assert tallies() == live(), op
    DONE.update(done)


def test_every_operation_went_through_at_least_once():
    """Runs after the property test: a failing precondition must not hide an operation."""
    if DONE:  # not when run alone
        assert set(DONE) == set(OPS), set(OPS) - set(DONE)


def test_statuses_are_the_open_index_list():
    """The partial index's WHERE (reports 0003) must equal the IN list the open query uses,
    or the planners cannot use the index."""
    import importlib

    m = importlib.import_module("fireledger.reports.migrations.0003_tally_triggers")
    assert m.OPEN == "(" + ", ".join(f"'{s}'" for s in agg.OPEN_SORTED) + ")"
    assert agg.IsOpen.template == "%(expressions)s IN " + m.OPEN


def test_dashboard_same_from_tallies_and_live(places, admin_user, monkeypatch):
    """compute() gives the same figures from the tallies as counted from the hazards."""
    today = timezone.localdate()
    category = HazardCategory.objects.order_by("pk").first()
    for i, p in enumerate(places.values()):
        services.log_hazard(admin_user, p, category=category, description="堆物",
                            found_on=today - (40 * i) * DAY, deadline=today + DAY)
        services.log_hazard(admin_user, p, category=category, description="堆物",
                            found_on=today - (200 + i) * DAY, rectified_on=today - i * 20 * DAY)
    Hazard.objects.filter(found_on__lt=today - 30 * DAY, status=lifecycle.PENDING).update(
        deadline=today - DAY)
    scope = agg.Scope(agg.DISTRICT, "")
    fast = agg.compute(admin_user, scope, today)
    monkeypatch.setattr(agg, "tallied", lambda user, scope: False)
    slow = agg.compute(admin_user, scope, today)
    assert fast.total.overdue > 0
    assert vars(fast.total) == vars(slow.total)
    assert [vars(r) for r in fast.areas] == [vars(r) for r in slow.areas]
    assert [vars(r) for r in fast.departments] == [vars(r) for r in slow.departments]
    for name in ("by_status", "by_age", "by_category_group", "found_by_month", "closed_by_month"):
        assert getattr(fast, name) == getattr(slow, name), name


def live_places():
    from fireledger.places.models import Place

    return collections.Counter(
        (code[:12], dept or 0, cat, *flags) for code, dept, cat, *flags in
        Place.objects.values_list("jurisdiction_code", "department_id", "category",
                                  *agg.PLACE_FLAGS))


def place_tally():
    from fireledger.reports.models import PlaceTally

    return collections.Counter({k[:-1]: k[-1] for k in PlaceTally.objects.exclude(n=0).values_list(
        "area", "department_id", "category", *agg.PLACE_FLAGS, "n")})


SERIAL = itertools.count(1)  # unique place codes for the copies
PLACE_OPS = ("bulk", "save", "flag", "category", "move", "delete")


@example(steps=[(op, 1) for op in PLACE_OPS])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(PLACE_OPS), st.integers(0, 10_000)), max_size=20))
def test_place_tally_equals_live_group_by(places, steps):
    from fireledger.places.models import Place

    fixtures = list(places.values())
    assert place_tally() == live_places()
    for op, k in steps:
        source = fixtures[k % len(fixtures)]
        copies = list(Place.objects.exclude(pk__in=[p.pk for p in fixtures]).order_by("pk"))
        target = copies[k % len(copies)] if copies else None
        flag = agg.PLACE_FLAGS[k % len(agg.PLACE_FLAGS)]
        try:
            with transaction.atomic():
                if op == "bulk":  # the raw path of imports and bench/gen_scale.py
                    rows = []
                    for i in range(3):
                        p = Place.objects.get(pk=source.pk)
                        p.pk = None
                        p.name, p.code = f"{p.name}{k}-{i}", f"T{next(SERIAL)}"
                        setattr(p, flag, bool(i % 2))
                        rows.append(p)
                    bulk.insert(Place, rows)
                elif op == "save":
                    p = Place.objects.get(pk=source.pk)
                    p.pk = None
                    p.name, p.code = f"{p.name}副本{k}", f"T{next(SERIAL)}"
                    p.save()
                elif target is None:
                    continue
                elif op == "flag":
                    Place.objects.filter(pk=target.pk).update(**{flag: not getattr(target, flag)})
                elif op == "category":
                    Place.objects.filter(pk=target.pk).update(category=source.category)
                elif op == "move":
                    Place.objects.filter(pk=target.pk).update(
                        jurisdiction_code=source.jurisdiction_code,
                        department_id=source.department_id)
                elif op == "delete":
                    Place.objects.filter(pk=target.pk).delete()
                if k % 11 == 0:
                    raise RuntimeError("roll back")
        except RuntimeError:
            pass
        assert place_tally() == live_places(), op
