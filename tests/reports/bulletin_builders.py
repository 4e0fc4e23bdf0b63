"""A hand-built district for the bulletin tests: hazards, places and inspections with known
dates, so every figure of the March 2026 bulletin can be counted by hand (see EXPECTED)."""

import datetime

from django.utils import timezone

from fireledger.core.choices import Level
from fireledger.core.models import Department, Jurisdiction
from fireledger.hazards import lifecycle, seeding
from fireledger.hazards.models import Hazard, ListedSupervision
from fireledger.inspections.models import Inspection
from fireledger.places import services as place_services
from fireledger.places.choices import Category

D = datetime.date
START, END = D(2026, 3, 1), D(2026, 3, 31)
STREET1, STREET2, STREET3 = "500103001000", "500103002000", "500103003000"


def hazard(place, found, *, status=lifecycle.CLOSED, closed=None, deadline=None, **extra):
    """An unsaved hazard with its whole history (seeding writes the past as it is)."""
    fixed = extra.get("fixed_on_spot", False)
    data = {"category": extra.pop("category"), "description": "疏散通道堆放杂物",
            "found_on": found, "status": status, "closed_on": closed,
            "deadline": None if fixed else (deadline or found + datetime.timedelta(days=14)),
            "found_by": extra.pop("found_by")}
    if status in (lifecycle.CLOSED, lifecycle.AWAITING_VERIFICATION):
        data["measures"] = "已清理"
        data["rectification_reported_on"] = closed or found
    data.update(extra)
    return Hazard(place=place, **data)


def inspect(place, on, kind="department", status="submitted", user=None):
    return Inspection.objects.create(
        place=place, jurisdiction_code=place.jurisdiction_code, department=place.department,
        kind=kind, status=status, inspected_on=on, created_by=user,
        submitted_at=(timezone.make_aware(datetime.datetime.combine(on, datetime.time(10)))
                      if status == "submitted" else None))


def build(tree, places, admin_user, categories) -> dict:
    """Street 3 (渝中街道) has nothing; 教育's school has places but no hazards."""
    Jurisdiction.objects.create(code=STREET3, name="大溪沟街道", level=Level.STREET,
                                parent=tree["district"])
    school = place_services.create_place(
        admin_user, name="七星岗小学", category=Category.SCHOOL, jurisdiction=tree["grid212"],
        department=Department.objects.get(code="jiaoyu"), address="渝中区中山一路20号")
    mall, compound, hotel = places["mall"], places["compound"], places["hotel"]
    common = {"category": categories["hr.03.1"], "found_by": admin_user}
    rows = {
        # street 1, mall (商务)
        "a": hazard(mall, D(2026, 3, 5), closed=D(2026, 3, 10), **common),  # found, closed
        "b": hazard(mall, D(2026, 3, 12), closed=D(2026, 3, 12), fixed_on_spot=True,
                    **common),  # fixed on the spot: found, closed
        "c": hazard(mall, D(2026, 3, 20), closed=D(2026, 4, 5), deadline=D(2026, 3, 25),
                    **common),  # found, closed after the end: not closed, overdue at the end
        "d": hazard(mall, D(2026, 2, 10), status=lifecycle.RECTIFYING, deadline=D(2026, 2, 24),
                    **common),  # before the period: overdue only
        "k": hazard(mall, D(2026, 1, 5), status=lifecycle.PENDING, deadline=D(2026, 6, 30),
                    is_major=True, interim_safeguards="设专人值守", **common),  # listed
        # street 1, compound (住建)
        "e": hazard(compound, D(2026, 3, 15), status=lifecycle.CANNOT_RECTIFY,
                    deadline=D(2026, 3, 29), cannot_rectify_reason="受规划限制",
                    review_on=D(2026, 12, 1), **common),  # found, not closed, not overdue
        "f": hazard(compound, D(2026, 3, 25), status=lifecycle.PENDING, deadline=D(2026, 4, 8),
                    **common),  # found, not yet due
        "g": hazard(compound, D(2026, 4, 2), status=lifecycle.PENDING, **common),  # after
        # street 2, hotel (文旅)
        "h": hazard(hotel, D(2026, 3, 1), closed=D(2026, 3, 31), **common),  # found, closed
        "i": hazard(hotel, D(2026, 3, 31), status=lifecycle.PENDING, **common),  # found
        "j": hazard(hotel, D(2026, 1, 10), closed=D(2026, 3, 5), deadline=D(2026, 1, 24),
                    **common),  # closed late but before the end: nothing
        "l": hazard(hotel, D(2026, 1, 6), closed=D(2026, 3, 15), deadline=D(2026, 3, 20),
                    is_major=True, **common),  # listed, lifted in the period
    }
    seeding.bulk_create_hazards(admin_user, list(rows.values()))
    ListedSupervision.objects.create(hazard=rows["k"], jurisdiction_code=mall.jurisdiction_code,
                                     proposed_on=D(2026, 1, 20), decision="listed",
                                     decided_by=admin_user, decided_on=D(2026, 2, 1))
    ListedSupervision.objects.create(hazard=rows["l"], jurisdiction_code=hotel.jurisdiction_code,
                                     proposed_on=D(2026, 1, 20), decision="listed",
                                     decided_by=admin_user, decided_on=D(2026, 2, 1),
                                     lifted_on=D(2026, 3, 15))
    inspect(mall, D(2026, 3, 10), user=admin_user)
    inspect(mall, D(2026, 3, 20), kind="joint", user=admin_user)  # the same place: once
    inspect(compound, D(2026, 3, 10), kind="self")  # self-inspection: not counted
    inspect(hotel, D(2026, 3, 15), kind="sweep", status="draft")  # draft: not counted
    inspect(school, D(2026, 4, 2), kind="sweep", user=admin_user)  # after the period
    inspect(hotel, D(2026, 2, 28), kind="random", user=admin_user)  # before the period
    return {"hazards": rows, "school": school}


# (found, closed, rate %, overdue, places, inspected, coverage %, rank)
EXPECTED_STREETS = {
    STREET2: (2, 1, 50.0, 0, 2, 0, 0.0, 1),
    STREET1: (5, 2, 40.0, 2, 2, 1, 50.0, 2),
    STREET3: (0, 0, None, 0, 0, 0, None, 3),
}
EXPECTED_DEPARTMENTS = {
    "shangwu": (3, 2, 66.6, 2, 1, 1, 100.0, 1),
    "wenlv": (2, 1, 50.0, 0, 1, 0, 0.0, 2),
    "zhujian": (2, 0, 0.0, 0, 1, 0, 0.0, 3),
    "jiaoyu": (0, 0, None, 0, 1, 0, 0.0, 4),
}
EXPECTED_TOTAL = (7, 3, 42.8, 2, 4, 1, 25.0)
FIELDS = ("found", "closed", "rate", "overdue", "places", "inspected", "coverage", "rank")
