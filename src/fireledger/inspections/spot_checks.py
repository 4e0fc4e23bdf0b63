"""Joint-inspection spot-check ratios per street (seed 003, 高层建筑消防安全“除险清患”专项行动).

Seed 003, 三、(二) 全面排查:

    “区住建、经信、城管、消防等部门成立联合检查组，对街道排查情况开展抽查，
    其中高层公共建筑抽查率不低于10%、住宅建筑不低于5%。”

For a Place queryset that is already scoped (`Place.objects.visible_to(user, "view")`) and a
period (by default the current calendar year), per street:

- **high-rise public buildings**: places with `is_high_rise` whose `building_use` is not
  residential (public, mixed and industrial all count as not residential); **checked**: those of
  them with at least one *submitted* joint inspection (`Kind.JOINT`) dated within the period.
  Target: at least 10 %.
- **high-rise residential buildings**: places with `is_high_rise` and `building_use`
  residential, checked the same way. Target: at least 5 %.

Drafts do not count, nor do inspections of other kinds (a street's own sweep is what the joint
group spot-checks), nor joint inspections dated outside the period. A place inspected jointly
twice counts once.

The street is the first 9 digits of the place's division code (its street subtree; the
street's own code is those digits + "000"), as hazards/burndown.py groups. Everything is
counted by SQL in one GROUP BY query with conditional COUNTs; Python only names the streets
and adds up the total row.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Substr

from fireledger.hazards.burndown import STREET_DIGITS, street_code
from fireledger.places.choices import BuildingUse

from .choices import Kind, Status

# Seed 003 三、(二): 高层公共建筑抽查率不低于10%、住宅建筑不低于5%.
PUBLIC_TARGET_PERCENT = 10
RESIDENTIAL_TARGET_PERCENT = 5


@dataclass(frozen=True)
class Ratio:
    """How many buildings of one kind, how many of them were checked, against a target."""

    total: int
    checked: int
    target: int

    @property
    def share(self) -> float | None:
        """checked / total, 0…1; None when there is no such building."""
        return self.checked / self.total if self.total else None

    @property
    def percent(self) -> float | None:
        """The share in percent rounded down to 0.1, so 9.99 % shows as 9.9 %, not as a 10.0 %
        that misses a 10 % target."""
        return None if not self.total else math.floor(1000 * self.checked / self.total) / 10

    @property
    def meets(self) -> bool | None:
        """Whether the share reaches the target (exact integer arithmetic); None when there is
        no such building (nothing to spot-check)."""
        if not self.total:
            return None
        return self.checked * 100 >= self.target * self.total

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(self.total + other.total, self.checked + other.checked, self.target)


@dataclass
class StreetRow:
    """One street (key: its 9-digit prefix) or the total (key "total")."""

    key: str
    label: str
    public: Ratio
    residential: Ratio

    @property
    def code(self) -> str:
        """The street's 12-digit division code."""
        return street_code(self.key)


@dataclass
class SpotChecks:
    start: datetime.date
    end: datetime.date
    streets: list[StreetRow] = field(default_factory=list)
    total: StreetRow | None = None


def year_period(year: int) -> tuple[datetime.date, datetime.date]:
    """The calendar year: 1 January to 31 December."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def joint_inspected(start: datetime.date, end: datetime.date):
    """The ids of places with a submitted joint inspection dated start…end (a subquery)."""
    from .models import Inspection

    return (Inspection.objects.order_by()
            .filter(kind=Kind.JOINT, status=Status.SUBMITTED,
                    inspected_on__gte=start, inspected_on__lte=end)
            .values("place_id"))


def counts(places, start: datetime.date, end: datetime.date):
    """The one GROUP BY query over high-rise places: per street prefix, public, public_checked,
    residential, residential_checked. Returns the values() queryset (not yet evaluated)."""
    residential = Q(building_use=BuildingUse.RESIDENTIAL)
    checked = Q(pk__in=joint_inspected(start, end))
    return (places.order_by()
            .filter(is_high_rise=True)
            .annotate(street=Substr("jurisdiction_code", 1, STREET_DIGITS))
            .values("street")
            .annotate(public=Count("pk", filter=~residential),
                      public_checked=Count("pk", filter=~residential & checked),
                      residential=Count("pk", filter=residential),
                      residential_checked=Count("pk", filter=residential & checked))
            .order_by("street"))


def spot_checks(places, start: datetime.date, end: datetime.date) -> SpotChecks:
    """The ratios per street (ordered by code) and in total. `places` must already be scoped
    (Place.objects.visible_to(user, "view")); streets without high-rise buildings are left
    out."""
    from fireledger.core.models import Jurisdiction

    if end < start:
        raise ValueError("the period ends before it starts")
    result = SpotChecks(start=start, end=end)
    total = StreetRow("total", "", Ratio(0, 0, PUBLIC_TARGET_PERCENT),
                      Ratio(0, 0, RESIDENTIAL_TARGET_PERCENT))
    for group in counts(places, start, end):
        row = StreetRow(group["street"], group["street"],
                        Ratio(group["public"], group["public_checked"], PUBLIC_TARGET_PERCENT),
                        Ratio(group["residential"], group["residential_checked"],
                              RESIDENTIAL_TARGET_PERCENT))
        result.streets.append(row)
        total.public += row.public
        total.residential += row.residential
    names = dict(Jurisdiction.objects.filter(code__in=[r.code for r in result.streets])
                 .values_list("code", "name"))
    for row in result.streets:
        row.label = names.get(row.code, row.key)
    result.total = total
    return result
