"""Derived flags of a place, computed by rule with a reason. Pure: data in, data out.

Thresholds come from DOMAIN.md and the seeds (high-rise 27/24 m, old compound before 2000,
mall focus 1000 m² above / 500 m² below ground) and, for key units, from criteria rows passed
in by the caller (standards-cn.md §3.1; the national table is data, provinces override it).
Reasons are English message templates marked for gettext and rendered in the user's language.
"""

from dataclasses import dataclass, field
from decimal import Decimal


def gettext_noop(message: str) -> str:
    """Marks a message for translation without importing Django (xgettext keyword)."""
    return message


Number = int | float | Decimal | None


@dataclass(frozen=True)
class Facts:
    category: str
    building_use: str = ""
    height_m: Number = None
    floors_above: int | None = None
    area_above: Number = None
    area_below: Number = None
    area_total: Number = None
    year_built: int | None = None
    guest_rooms: int | None = None
    beds: int | None = None

    def metric(self, name: str) -> Number:
        if name == "area_total":
            if self.area_total is not None:
                return self.area_total
            if self.area_above is None and self.area_below is None:
                return None
            return (self.area_above or 0) + (self.area_below or 0)
        return getattr(self, name)


@dataclass(frozen=True)
class Finding:
    """A flag's value and why: a message template and its parameters."""

    value: bool
    reason: str = ""
    params: dict = field(default_factory=dict)

    def as_json(self) -> list:
        return [self.reason, self.params]


@dataclass(frozen=True)
class Criterion:
    """One key-unit threshold row: category, metric >= threshold (">=" is 以上, inclusive)."""

    category: str
    metric: str
    threshold: Number
    label: str
    source: str = ""


def _num(value: Number) -> str:
    """Numbers as people write them: 30 not 30.0, 27.5 as is."""
    d = Decimal(str(value)).normalize()
    return format(d, "f")


def high_rise(f: Facts) -> Finding:
    if f.height_m is None:
        return Finding(False, gettext_noop("Height not recorded"))
    if f.building_use == "industrial" and f.floors_above == 1:
        return Finding(False, gettext_noop("Single-storey factory or warehouse is never high-rise"))
    h = _num(f.height_m)
    if f.building_use == "residential":
        if f.height_m > 27:
            return Finding(True, gettext_noop("Residential building higher than 27 m ({height} m)"), {"height": h})
        return Finding(False, gettext_noop("Residential building not higher than 27 m ({height} m)"), {"height": h})
    if f.height_m > 24:
        return Finding(True, gettext_noop("Non-residential building higher than 24 m ({height} m)"), {"height": h})
    return Finding(False, gettext_noop("Non-residential building not higher than 24 m ({height} m)"), {"height": h})


def old_compound(f: Facts) -> Finding:
    if f.category != "old_compound" and f.building_use != "residential":
        return Finding(False)
    if f.year_built is None:
        return Finding(False, gettext_noop("Year built not recorded"))
    if f.year_built < 2000:
        return Finding(True, gettext_noop("Residential compound built before 2000 ({year})"), {"year": f.year_built})
    return Finding(False, gettext_noop("Built in {year}, not before 2000"), {"year": f.year_built})


def mall_in_focus(f: Facts) -> Finding:
    if f.category not in ("mall", "commercial_complex"):
        return Finding(False)
    if f.area_above is not None and f.area_above >= 1000:
        return Finding(True, gettext_noop("Above-ground area {area} m² is at least 1000 m²"), {"area": _num(f.area_above)})
    if f.area_below is not None and f.area_below >= 500:
        return Finding(True, gettext_noop("Below-ground area {area} m² is at least 500 m²"), {"area": _num(f.area_below)})
    if f.area_above is None and f.area_below is None and f.area_total is not None:
        if f.area_total >= 1000:
            return Finding(True, gettext_noop("Floor area {area} m² (above/below not split) is at least 1000 m²"), {"area": _num(f.area_total)})
        return Finding(False, gettext_noop("Floor area {area} m² (above/below not split) is under 1000 m²"), {"area": _num(f.area_total)})
    if f.area_above is None and f.area_below is None:
        return Finding(False, gettext_noop("Floor area not recorded"))
    return Finding(False, gettext_noop("Below 1000 m² above ground and 500 m² below"))


def suggested_key_unit(f: Facts, criteria: list[Criterion]) -> Finding:
    """True when any criterion for the place's category is met; the first met one is the reason."""
    for c in criteria:
        if c.category != f.category:
            continue
        if c.metric == "always":
            return Finding(True, gettext_noop("Every {label} is a key unit ({source})"), {"label": c.label, "source": c.source})
        value = f.metric(c.metric)
        if value is not None and value >= c.threshold:
            return Finding(
                True,
                gettext_noop("{label}: {value} meets the key-unit threshold {threshold} ({source})"),
                {"label": c.label, "value": _num(value), "threshold": _num(c.threshold), "source": c.source},
            )
    return Finding(False)


def derive(f: Facts, criteria: list[Criterion]) -> dict[str, Finding]:
    """Every derived flag by its Place field name."""
    return {
        "is_high_rise": high_rise(f),
        "is_old_compound": old_compound(f),
        "is_mall_in_focus": mall_in_focus(f),
        "suggested_key_unit": suggested_key_unit(f, criteria),
    }
