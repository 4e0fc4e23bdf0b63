"""The risk index of one place: named factors with points, their sum, and the grade.

Pure: plain data in, plain data out, no Django import, so it is property-tested and fast
enough to run over a million places in the nightly recompute.

There is no national formula for a place's fire risk (standards-cn.md §4: LEC, LS matrices and
regional indicator systems all leave the weights to whoever applies them). The DEFAULT_WEIGHTS
and DEFAULT_CUTOFFS below are OURS, [G]-grade: a transparent starting point chosen so that the
demo district spreads into a few red, some orange, more yellow and most blue places. They are
data: a RiskPolicy row holds them and administrators correct them in the admin.

A factor is (key, points, params), params keys in PostgreSQL jsonb's order (shorter keys
first, then by bytes) so the stored text can be compared as it is; the reason shown to people is MESSAGES[key] formatted with
the params, translated by the caller (the English templates are marked with gettext_noop).
"""

from dataclasses import dataclass
from datetime import date

GRADES = ("red", "orange", "yellow", "blue")  # highest risk first (risk.choices.Grade)


def gettext_noop(message: str) -> str:
    """Marks a message for translation without importing Django (xgettext keyword)."""
    return message


MESSAGES = {
    "category": gettext_noop("Category: {category}"),
    "height": gettext_noop("Height {height} m (at least {threshold} m)"),
    "age": gettext_noop("Built in {year}, {age} years ago (at least {threshold} years)"),
    "area": gettext_noop("Floor area {area} m² (at least {threshold} m²)"),
    "occupancy": gettext_noop("{people} beds and guest rooms (at least {threshold})"),
    "key_unit": gettext_noop("Key unit"),
    "missing_systems": gettext_noop("Required fire systems missing: {systems}"),
    "open_hazards": gettext_noop("Open hazards ({group}): {count}"),
    "open_major": gettext_noop("Open major hazards: {count}"),
    "overdue": gettext_noop("Open hazards past their deadline: {count}"),
    "rebounds": gettext_noop("Rebounds (closed hazards found again): {count}"),
    "never_inspected": gettext_noop("Never inspected by an officer"),
    "not_inspected": gettext_noop("Last inspected by an officer {days} days ago ({date})"),
    "listed": gettext_noop("Hazards under listed supervision: {count}"),
}

# Crowded or vulnerable places: automatic alarm and sprinklers expected (simplified from
# GB 50016 §8; we only count a system recorded as absent, never one not recorded).
ALARM_SPRINKLER_CATEGORIES = frozenset({
    "mall", "commercial_complex", "hotel", "entertainment", "elderly_care", "medical",
    "underground", "kindergarten", "escape_room",
})
FIRE_SYSTEMS = ("has_fire_alarm", "has_sprinkler", "has_hydrant", "has_smoke_control")

# OUR defaults, not from a regulation ([G]): see the module docstring.
DEFAULT_WEIGHTS: dict = {
    # Base points by place category (places.choices.Category).
    "category": {
        "high_rise": 8, "mall": 12, "commercial_complex": 14, "old_compound": 8,
        "residential": 2, "nine_small": 6, "urban_village_rental": 10, "heritage": 8,
        "petrochemical": 16, "underground": 10, "factory_warehouse": 8, "logistics": 8,
        "school": 6, "kindergarten": 10, "elderly_care": 12, "medical": 10, "hotel": 8,
        "religious": 6, "entertainment": 10, "escape_room": 8, "energy_storage": 14,
        "epidemic": 6,
    },
    # [threshold, points] tiers, ascending; the highest tier reached counts.
    "height": [[24, 4], [50, 8], [100, 14]],
    "age": [[25, 2], [35, 5], [45, 8]],
    "area": [[1000, 2], [5000, 4], [20000, 8]],
    "occupancy": [[50, 2], [200, 5], [500, 8]],
    "key_unit": 6,
    "missing_system": 4,  # per required system recorded as absent
    # Points per open (non-major) hazard by hazard category group (hazards.choices).
    "open_hazard": {"high_rise": 3, "mall": 3, "principle": 4, "old_compound": 3,
                    "e_bike": 4, "new_business": 3, "generic": 2},
    "open_hazard_cap": 10,  # hazards counted at most, per group
    "open_major": 30,
    "open_major_cap": 3,
    "overdue": 5,
    "overdue_cap": 6,
    "rebound": 4,
    "rebound_cap": 5,
    # [days since the last officer's inspection, points] tiers; never inspected scores
    # `never_inspected` (at least the highest tier, so the index stays monotone).
    "not_inspected": [[180, 2], [365, 5]],
    "never_inspected": 5,
    "listed": 15,
    "listed_cap": 2,
}
DEFAULT_CUTOFFS: dict = {"red": 60.0, "orange": 40.0, "yellow": 25.0}


@dataclass(slots=True)
class PlaceFacts:
    """What the index reads about one place (the recompute fills it from grouped queries)."""

    category: str
    height_m: float | None = None
    year_built: int | None = None
    area: float | None = None  # total floor area, above + below ground when split
    people: int | None = None  # beds + guest rooms
    is_key_unit: bool = False
    is_high_rise: bool = False
    has_fire_alarm: bool | None = None
    has_sprinkler: bool | None = None
    has_hydrant: bool | None = None
    has_smoke_control: bool | None = None
    open_by_group: dict | None = None  # hazard category group → open non-major hazards
    open_major: int = 0
    overdue: int = 0
    rebounds: int = 0
    last_inspected: date | None = None
    listed: int = 0


def _num(value) -> int | float:
    """30 not 30.0 in a reason; 27.5 stays."""
    value = float(value)
    return int(value) if value.is_integer() else round(value, 1)


def _tier(tiers: list, value) -> tuple[float, float]:
    """(points, threshold) of the highest tier `value` reaches, or (0, 0)."""
    points = threshold = 0
    for limit, tier_points in tiers:
        if value >= limit:
            points, threshold = tier_points, limit
    return points, threshold


def required_systems(f: PlaceFacts) -> tuple[str, ...]:
    """The systems we expect: all four in a high-rise; alarm and sprinklers in a key unit or
    a crowded/vulnerable category. Simplified on purpose (GB 50016 has many more cases)."""
    if f.is_high_rise:
        return FIRE_SYSTEMS
    if f.is_key_unit or f.category in ALARM_SPRINKLER_CATEGORIES:
        return ("has_fire_alarm", "has_sprinkler")
    return ()


def factors(f: PlaceFacts, weights: dict, today: date) -> list[tuple[str, float, dict]]:
    """Every factor with non-zero points, as (key, points, params)."""
    w = weights
    out = []
    points = w["category"].get(f.category, 0)
    if points:
        out.append(("category", points, {"category": f.category}))
    if f.height_m is not None:
        points, threshold = _tier(w["height"], f.height_m)
        if points:
            out.append(("height", points, {"height": _num(f.height_m), "threshold": threshold}))
    if f.year_built is not None:
        age = today.year - f.year_built
        points, threshold = _tier(w["age"], age)
        if points:
            out.append(("age", points, {"age": age, "year": f.year_built, "threshold": threshold}))
    if f.area is not None:
        points, threshold = _tier(w["area"], f.area)
        if points:
            out.append(("area", points, {"area": _num(f.area), "threshold": threshold}))
    if f.people:
        points, threshold = _tier(w["occupancy"], f.people)
        if points:
            out.append(("occupancy", points, {"people": f.people, "threshold": threshold}))
    if f.is_key_unit and w["key_unit"]:
        out.append(("key_unit", w["key_unit"], {}))
    required = required_systems(f)
    missing = [s for s in required if getattr(f, s) is False] if required else ()
    if missing and w["missing_system"]:
        out.append(("missing_systems", w["missing_system"] * len(missing), {"systems": missing}))
    if f.open_by_group:
        cap = w["open_hazard_cap"]
        for group in sorted(f.open_by_group):
            count = f.open_by_group[group]
            points = w["open_hazard"].get(group, w["open_hazard"].get("generic", 0)) * min(count, cap)
            if points:
                out.append(("open_hazards", points, {"count": count, "group": group}))
    if f.open_major and w["open_major"]:
        out.append(("open_major", w["open_major"] * min(f.open_major, w["open_major_cap"]),
                    {"count": f.open_major}))
    if f.overdue and w["overdue"]:
        out.append(("overdue", w["overdue"] * min(f.overdue, w["overdue_cap"]),
                    {"count": f.overdue}))
    if f.rebounds and w["rebound"]:
        out.append(("rebounds", w["rebound"] * min(f.rebounds, w["rebound_cap"]),
                    {"count": f.rebounds}))
    if f.listed and w["listed"]:
        out.append(("listed", w["listed"] * min(f.listed, w["listed_cap"]), {"count": f.listed}))
    if f.last_inspected is None:
        if w["never_inspected"]:
            out.append(("never_inspected", w["never_inspected"], {}))
    else:
        days = (today - f.last_inspected).days
        points, _threshold = _tier(w["not_inspected"], days)
        if points:
            out.append(("not_inspected", points,
                        {"date": f.last_inspected.isoformat(), "days": days}))
    return out


def score_of(found: list[tuple[str, float, dict]]) -> float:
    return float(sum(points for _key, points, _params in found))


def grade(score: float, cutoffs: dict) -> str:
    """red/orange/yellow at or above their cut-off, else blue."""
    for name in ("red", "orange", "yellow"):
        if score >= cutoffs[name]:
            return name
    return "blue"


def assess(f: PlaceFacts, weights: dict, cutoffs: dict, today: date):
    """(score, grade, factors) of one place."""
    found = factors(f, weights, today)
    score = score_of(found)
    return score, grade(score, cutoffs), found


def check_policy(weights: dict, cutoffs: dict) -> list[tuple[str, dict]]:
    """Problems with a policy as (English message template, params); [] = fine.

    Every key of DEFAULT_WEIGHTS must be present with the same shape; points are not negative
    (a negative weight would break the index's monotonicity); tiers ascend; red > orange >
    yellow > 0."""
    problems = []
    for key, default in DEFAULT_WEIGHTS.items():
        if key not in weights:
            problems.append((gettext_noop("weight “{key}” is missing"), {"key": key}))
            continue
        value = weights[key]
        if isinstance(default, dict):
            if not isinstance(value, dict) or any(
                    not _number(v) or v < 0 for v in value.values()):
                problems.append((gettext_noop("“{key}” must map names to points of 0 or more"),
                                 {"key": key}))
        elif isinstance(default, list):
            ok = isinstance(value, list) and all(
                isinstance(t, list) and len(t) == 2 and all(_number(x) for x in t) and t[1] >= 0
                for t in value)
            if ok and [t[0] for t in value] != sorted(t[0] for t in value):
                ok = False
            if not ok:
                problems.append((gettext_noop(
                    "“{key}” must be a list of [threshold, points] in ascending order"),
                    {"key": key}))
        elif not _number(value) or value < 0:
            problems.append((gettext_noop("“{key}” must be a number of 0 or more"), {"key": key}))
    if not problems:
        top = max((t[1] for t in weights["not_inspected"]), default=0)
        if weights["never_inspected"] < top:
            problems.append((gettext_noop(
                "“never_inspected” must be at least the highest “not_inspected” points"), {}))
    try:
        red, orange, yellow = (float(cutoffs[g]) for g in ("red", "orange", "yellow"))
    except (KeyError, TypeError, ValueError):
        problems.append((gettext_noop("cut-offs for red, orange and yellow are needed"), {}))
    else:
        if not red > orange > yellow > 0:
            problems.append((gettext_noop(
                "the cut-offs must satisfy red > orange > yellow > 0 (now {red}, {orange}, "
                "{yellow})"), {"red": red, "orange": orange, "yellow": yellow}))
    return problems


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
