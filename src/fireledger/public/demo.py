"""The demo district's public face: a safety code for every place, a few citizen reports in
every state of triage, and published random-inspection results — all through the services, so
the demo shows what the pages will show for real data."""

import random

from django.db.models import Count, Q

from fireledger.core.choices import Role
from fireledger.core.models import User
from fireledger.hazards.models import HazardCategory
from fireledger.inspections.models import Inspection
from fireledger.places.models import Place

from . import codes, disclosures, reports
from .models import CitizenReport, Disclosure, RateLimitHit, SafetyCode

# What citizens write, with the taxonomy code it is filed under (ours, for the demo).
REPORTS = (
    ("hr.03.1", "一楼安全出口被纸箱和电动车堵住了，推不开门。"),
    ("hr.09.1", "楼道里天天有人给电动车充电，电线从窗户拉进来。"),
    ("hr.02.1", "消火栓箱门锁着，里面的水带不见了。"),
    ("mall.2", "商场二楼疏散通道堆满货物，只剩一人宽。"),
    ("hr.03.3", "疏散指示灯不亮，晚上楼梯间一片黑。"),
    ("hr.06.1", "店门口乱拉电线，插线板泡在雨水里。"),
)


def generate_demo_public(seed: int = 2026) -> dict:
    """Codes for every place; citizen reports (received, accepted, rejected, duplicate);
    the district office publishes two random-inspection results."""
    rng = random.Random(seed)
    counts = {"codes": len(codes.ensure_codes(Place.objects.all()))}
    street = User.objects.filter(assignments__role=Role.STREET_OFFICER).first()
    office = User.objects.filter(assignments__role=Role.DISTRICT_OFFICE).first()
    if street is None or office is None:
        return counts
    prefix = street.assignments.get(role=Role.STREET_OFFICER).jurisdiction.prefix
    places = list(Place.objects.filter(jurisdiction_code__startswith=prefix)
                  .annotate(open_count=Count("hazards", filter=Q(hazards__status="pending")))
                  .order_by("pk")[:200])
    rng.shuffle(places)
    categories = {c.code: c for c in HazardCategory.objects.filter(
        code__in=[code for code, _text in REPORTS])}
    made = []
    for n, (code, text) in enumerate(REPORTS * 2):
        place = places[n % len(places)]
        made.append(reports.receive(place=place, category=categories[code], description=text,
                                    contact_name="王先生" if n % 3 == 0 else "",
                                    contact_phone="13900001111" if n % 3 == 0 else "",
                                    client_key=f"demo-{n}"))
    RateLimitHit.objects.filter(key__startswith="demo-").delete()  # not real clients
    accepted = 0
    for report in made[:3]:
        reports.accept(street, report)
        accepted += 1
    reports.decide_reward(street, made[0], True, "核实属实，按有奖举报办法给予奖励")
    reports.reject(street, made[3], "现场核查时安全出口已清理畅通，未发现所述情况。")
    counts.update(reports=len(made), accepted=accepted, rejected=1)
    published = 0
    for inspection in Inspection.objects.filter(kind="random", status="submitted",
                                                jurisdiction_code__startswith=prefix
                                                ).order_by("-inspected_on")[:2]:
        title, text = disclosures.suggested_text(inspection=inspection)
        disclosures.publish(office, inspection=inspection, title=title, text=text)
        published += 1
    counts["disclosures"] = published
    return counts


def delete_public() -> None:
    """For demo --reset: reports and disclosures point at hazards and inspections."""
    Disclosure.objects.all().delete()
    CitizenReport.objects.all().delete()
    SafetyCode.objects.all().delete()
    RateLimitHit.objects.all().delete()
