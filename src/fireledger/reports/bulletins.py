"""The figures of a bulletin (通报) for one issuer and period: its areas (the streets of a
district, or the communities of a street) and the departments ranked by rectification rate,
overdue count and inspection coverage; the laggards named; the hazards under listed supervision.

What counts, and why:

- **found** (本期发现): hazards with `found_on` in the period (start … end, both included), those
  fixed on the spot too (hazards.burndown counts them the same way: found and rectified).
- **closed** (已整改销号): of those, the ones whose status is closed (销号, lifecycle.CLOSED) with
  `closed_on` on or before the period end. A reopened hazard (反弹) has no `closed_on` and counts
  as not closed; one that cannot be rectified (确实不能整改) is not closed either.
- **rectification rate** (整改率): closed / found; none (shown "—") when nothing was found.
- **overdue** (逾期未改): hazards found by the period end whose deadline is before the period end
  (the rule of HazardQuerySet.overdue(on=end)) and that were still open at the end: still being
  rectified now, or closed only after the end. Cannot-rectify hazards are tracked by their review
  date, not counted overdue (as everywhere else).
- **inspection coverage** (检查覆盖率): of the places on the ledger in the area (or of the
  department's industry), the share with at least one submitted inspection other than a
  self-inspection dated in the period. The ledger as it stands today: places carry no
  "in the ledger since" date.
- **listed hazards** (挂牌督办): ListedSupervision decided "listed" on or before the period end
  and not lifted by then.

Ranking: rectification rate (higher first; areas with nothing found after all that found
something), then fewer overdue, then higher coverage; equal on all three share a rank
(1, 2, 2, 4). Laggards (排名靠后): among the rows with a rate, those below the threshold
percent and the last `bottom` by rank (ties at the boundary included); either can be off.

Every count is SQL: one GROUP BY (area prefix × department) over hazards, one over places,
one over inspections; Python folds the groups into the two tables. The result is plain JSON
data: the service freezes it in the bulletin as it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Q
from django.db.models.functions import Substr

from fireledger.core.choices import LEVEL_CHILD, LEVEL_PREFIX_LENGTH, Level
from fireledger.core.codes import range_lookup
from fireledger.hazards import lifecycle
from fireledger.hazards.burndown import street_code

FIGURES_VERSION = 1
DEFAULT_BOTTOM = 3
# No threshold by default: early in a period most hazards found are still within their
# deadline, so any fixed rate would name nearly everyone (the demo district's October: every
# street below 80 %). The form sets one when an office wants it.
DEFAULT_THRESHOLD: int | None = None


@dataclass(frozen=True)
class Settings:
    """How laggards are picked: the last `bottom` by rank and/or a rate below `threshold` %."""

    bottom: int = DEFAULT_BOTTOM
    threshold: int | None = DEFAULT_THRESHOLD


def percent(part: int, whole: int) -> float | None:
    """part / whole in percent rounded down to 0.1 (49.96 % is not shown as 50.0 %)."""
    return None if not whole else (1000 * part // whole) / 10


def _blank() -> dict:
    return {"found": 0, "closed": 0, "overdue": 0, "places": 0, "inspected": 0}


def _hazard_groups(prefix: str, digits: int, start, end):
    from fireledger.hazards.models import Hazard

    in_period = Q(found_on__gte=start, found_on__lte=end)
    open_at_end = (Q(status__in=lifecycle.DEADLINE_STATUSES)
                   | Q(status=lifecycle.CLOSED, closed_on__gt=end))
    return (Hazard.objects.filter(**range_lookup("jurisdiction_code", prefix))
            .filter(found_on__lte=end)
            .annotate(area=Substr("jurisdiction_code", 1, digits))
            .values("area", "department_id")
            .annotate(found=Count("pk", filter=in_period),
                      closed=Count("pk", filter=in_period & Q(status=lifecycle.CLOSED,
                                                              closed_on__lte=end)),
                      overdue=Count("pk", filter=Q(deadline__lt=end) & open_at_end))
            .order_by())


def _place_groups(prefix: str, digits: int):
    from fireledger.places.models import Place

    return (Place.objects.filter(**range_lookup("jurisdiction_code", prefix))
            .annotate(area=Substr("jurisdiction_code", 1, digits))
            .values("area", "department_id")
            .annotate(places=Count("pk"))
            .order_by())


def _inspected_groups(prefix: str, digits: int, start, end):
    """Places (counted once) with a submitted non-self inspection in the period, grouped by the
    place's own area and department (the inspection's copies may be older)."""
    from fireledger.inspections.choices import Kind, Status
    from fireledger.inspections.models import Inspection

    return (Inspection.objects.filter(**range_lookup("place__jurisdiction_code", prefix))
            .filter(status=Status.SUBMITTED, inspected_on__gte=start, inspected_on__lte=end)
            .exclude(kind=Kind.SELF)
            .annotate(area=Substr("place__jurisdiction_code", 1, digits))
            .values("area", "place__department_id")
            .annotate(inspected=Count("place_id", distinct=True))
            .order_by())


def _sort_key(row: dict):
    rate = Fraction(row["closed"], row["found"]) if row["found"] else None
    coverage = Fraction(row["inspected"], row["places"]) if row["places"] else Fraction(0)
    return (rate is None, -(rate or 0), row["overdue"], -coverage)


def rank(rows: list[dict]) -> list[dict]:
    """Sort rows best first and number them; equal keys share a rank (1, 2, 2, 4)."""
    rows = sorted(rows, key=lambda r: (_sort_key(r), r["code"]))
    previous = None
    for i, row in enumerate(rows, start=1):
        key = _sort_key(row)
        if key != previous:
            row["rank"], previous = i, key
        else:
            row["rank"] = rows[i - 2]["rank"]
    return rows


def laggards(rows: list[dict], settings: Settings) -> list[str]:
    """The codes of the ranked rows named as laggards (see the module docstring)."""
    rated = [r for r in rows if r["found"]]
    named = set()
    if settings.threshold is not None:
        named |= {r["code"] for r in rated
                  if r["closed"] * 100 < settings.threshold * r["found"]}
    if settings.bottom and rated:
        cut = rated[-min(settings.bottom, len(rated))]["rank"]
        named |= {r["code"] for r in rated if r["rank"] >= cut}
    return [r["code"] for r in rows if r["code"] in named]


def _finish(row: dict) -> dict:
    row["rate"] = percent(row["closed"], row["found"])
    row["coverage"] = percent(row["inspected"], row["places"])
    return row


def listed_hazards(prefix: str, end) -> list[dict]:
    from fireledger.core.models import Jurisdiction
    from fireledger.hazards.models import ListedSupervision

    listings = list(ListedSupervision.objects
                    .filter(**range_lookup("jurisdiction_code", prefix))
                    .filter(decision=ListedSupervision.Decision.LISTED, decided_on__lte=end)
                    .filter(Q(lifted_on__isnull=True) | Q(lifted_on__gt=end))
                    .select_related("hazard__place", "hazard__department", "hazard__category")
                    .order_by("decided_on", "hazard_id"))
    streets = dict(Jurisdiction.objects.filter(
        code__in={street_code(x.jurisdiction_code) for x in listings}).values_list("code", "name"))
    return [{
        "hazard_id": x.hazard_id,
        "place": x.hazard.place.name,
        "address": x.hazard.place.address,
        "street": streets.get(street_code(x.jurisdiction_code), ""),
        "department": str(x.hazard.department) if x.hazard.department else "",
        "description": x.hazard.description,
        "listed_on": x.decided_on.isoformat(),
        "deadline": x.hazard.deadline.isoformat() if x.hazard.deadline else "",
        "responsible_unit": x.hazard.responsible_unit,
    } for x in listings]


AREA_LABELS = {Level.DISTRICT: "街道", Level.STREET: "社区"}  # what the ranked areas are called


def compute(issuer, start: datetime.date, end: datetime.date,
            settings: Settings = Settings()) -> dict:
    """The bulletin's figures for `issuer` (a district, ranking its streets, or a street,
    ranking its communities) as JSON data."""
    from fireledger.core.models import Department, Jurisdiction

    if issuer.level not in AREA_LABELS:
        raise ValueError("bulletins rank the streets of a district or the communities of a street")
    prefix = issuer.prefix
    child = LEVEL_CHILD[Level(issuer.level)]
    digits = LEVEL_PREFIX_LENGTH[child]
    areas = {j.code[:digits]: {"code": j.code, "name": j.name, **_blank()}
             for j in Jurisdiction.objects.under(prefix).filter(level=child)}
    departments: dict[int, dict] = {}
    total = {"code": issuer.code, "name": issuer.name, **_blank()}

    def cell(area: str, department_id):
        rows = [total]
        if area in areas:
            rows.append(areas[area])
        if department_id is not None:
            rows.append(departments.setdefault(department_id, {"id": department_id, **_blank()}))
        return rows

    for group in _hazard_groups(prefix, digits, start, end):
        for row in cell(group["area"], group["department_id"]):
            for key in ("found", "closed", "overdue"):
                row[key] += group[key]
    for group in _place_groups(prefix, digits):
        for row in cell(group["area"], group["department_id"]):
            row["places"] += group["places"]
    for group in _inspected_groups(prefix, digits, start, end):
        for row in cell(group["area"], group["place__department_id"]):
            row["inspected"] += group["inspected"]

    for dept in Department.objects.filter(pk__in=list(departments)):
        departments[dept.pk].update(code=dept.code, name=str(dept), order=dept.sort_order)
    area_rows = rank([_finish(r) for r in areas.values()])
    department_rows = rank([_finish(r) for r in departments.values()])
    lag_areas = laggards(area_rows, settings)
    lag_departments = laggards(department_rows, settings)
    for rows, named in ((area_rows, lag_areas), (department_rows, lag_departments)):
        for row in rows:
            row["laggard"] = row["code"] in named
    return {
        "version": FIGURES_VERSION,
        "issuer": {"code": issuer.code, "name": issuer.name, "level": issuer.level},
        "area_label": AREA_LABELS[Level(issuer.level)],
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "settings": {"bottom": settings.bottom, "threshold": settings.threshold},
        "total": _finish(total),
        "areas": area_rows,
        "departments": department_rows,
        "laggards": {"areas": lag_areas, "departments": lag_departments},
        "listed": listed_hazards(prefix, end),
    }
