"""Deterministic, realistic inspections and commitments for the demo district.

Same split as hazards/demo.py:

* `InspectionPlanner` is pure: a `random.Random`, today and now, the places, their checklists,
  the hazard register and the demo users (as plain tuples) in; plain dicts of inspections with
  their results, signatures and commitments out. No database, no clock.
* `generate_demo_inspections` reads all that from the database (after `fireledger demo` has
  written the places, users and hazards) and writes the plan through
  `seeding.bulk_create_inspections` (one audit event per inspection and per commitment, one
  transaction).

What the demo holds (at the demo's 5,000 places; other sizes scale with the number of places):

* about 1,200 submitted inspections over the last ~10 months (self-inspections over 13 months,
  as their commitments are), each on a checklist that applies to the place (services.
  templates_for; places of a category without a checklist are not inspected):
  - sweeps (排查, ~620): several at each place of the demo grid worker's grid (王小兵), about one
    at every second place of 解放碑街道 by its street officer (陈静), the rest across the
    district by street staff without a login (created by nobody, signed by name);
  - department inspections (~170), a good share at the 商务 department's places by its officer
    (刘芳), the rest by other departments' staff (by name);
  - joint inspections (联合检查) by the district office (谭志刚) with one or two more inspectors
    (2–3 signatures): per street, a share of its high-rise public buildings drawn between 8 % and
    15 % and of its residential high-rises between 3 % and 8 % (seed 003's targets are 10 % and
    5 %, so some streets meet them and some do not), dated in the current year (the spot-check
    page's default period) unless the year is under two months old; a few more at malls,
    complexes and crowded places;
  - random (双随机, ~30, two or three signatures) and unannounced (暗访, ~30) inspections;
  - self-inspections (~320) by the places' units, ~93 % of them with the signed commitment
    (三自主两公开一承诺: the place's responsible person and safety manager published), signed
    within the last 13 months, so most are in force and some have fallen due; about ten
    commitments in 解放碑街道 are marked untrue (承诺不实) by its street officer, each with an
    open hazard that a sweep found at the place after the commitment was signed;
  - re-inspections (复查, ~20) of earlier inspections that found hazards: a hazard since closed
    is verified on the day it was verified, one still open is seen still being rectified;
* most items pass, some do not apply (na); failed items are the hazards of the demo register
  found at that place on the day inspected (by an inspection, or by the unit's self-inspection
  for a self-inspection), "fixed" for those fixed on the spot; no hazard is created;
* five drafts of today by the grid worker, partly answered, for the phone's edit page.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import NamedTuple

ONE_DAY = datetime.timedelta(days=1)
DEMO_PLACES = 5000  # the counts below are for this many places
PER_DEMO = {"sweep": 620, "department": 170, "random": 30, "unannounced": 30, "self": 320,
            "joint_elsewhere": 12, "follow_up": 20, "untrue": 10}
DRAFTS = 5
MONTHS = 10
COMMITMENT_DAYS = 395  # commitments signed within the last 13 months
COMMITMENT_SHARE = 0.93  # of self-inspections
JOINT_PUBLIC = (0.08, 0.15)  # seed 003: ≥ 10 % of high-rise public buildings per street
JOINT_RESIDENTIAL = (0.03, 0.08)  # seed 003: ≥ 5 % of residential high-rises per street
LINK_SHARE = 0.6  # an inspection at a place with hazards found on some day is made that day
DRIVEN_SWEEPS = 0.45  # share of the district's other sweeps made where a hazard was found
NA_RATES = (0.0, 0.0, 0.03, 0.06, 0.1)
WEIGHT = {"high_rise": 3, "mall": 3, "commercial_complex": 3, "old_compound": 2,
          "urban_village_rental": 1.5, "hotel": 1.5, "entertainment": 1.5, "escape_room": 2,
          "logistics": 1.5, "nine_small": 1}

ADVICE_HAZARDS = (
    "请按整改通知要求限期整改，整改完成后报街道复查。",
    "责令立即整改；不能立即整改的，落实临时防范措施并于期限内整改到位。",
    "发现的问题已当场告知单位负责人，请于规定期限内整改并书面报告整改情况。",
    "请单位落实消防安全主体责任，按期完成整改，逾期未改的将依法移交处理。",
)
ADVICE_CLEAR = (
    "", "", "检查未发现问题，请继续落实每日防火巡查。",
    "继续保持，定期组织员工消防安全培训和疏散演练。",
    "请加强消防设施日常维护保养，确保完好有效。",
)
UNTRUE_NOTES = (
    "承诺不存在消防安全突出风险，{d}检查发现：{h}",
    "承诺已自主消除隐患，但检查发现：{h}",
    "自查未如实报告隐患，{d}街道检查发现：{h}",
)


class PlaceFacts(NamedTuple):
    """What the planner needs to know about a place."""

    pk: int
    category: str
    is_high_rise: bool
    residential: bool  # building_use residential
    jurisdiction_code: str
    department_id: int | None
    unit_ids: tuple  # owner, manager, occupant ids (None where none)
    unit_id: int | None  # the unit inspected: occupant, else manager, else owner
    unit_name: str
    responsible_person: str
    responsible_phone: str
    safety_manager: str
    safety_manager_phone: str


class HazardFacts(NamedTuple):
    pk: int
    place_id: int
    category_id: int
    category_code: str
    description: str
    location: str
    found_on: datetime.date
    source: str
    fixed_on_spot: bool
    is_major: bool
    interim_safeguards: str
    status: str
    deadline: datetime.date | None
    closed_on: datetime.date | None
    verified_on: datetime.date | None
    verified_by_id: int | None
    rectification_reported_on: datetime.date | None


class Checklist(NamedTuple):
    """A checklist's current version: its pk, the template's code and the items."""

    version_id: int
    code: str
    items: list


class Person(NamedTuple):
    """A demo user and the scope of their role."""

    id: int
    name: str
    prefix: str  # jurisdiction prefix
    department_id: int | None = None
    organisation_id: int | None = None


@dataclass(frozen=True)
class Crew:
    """The demo users who inspect (any of them may be missing)."""

    district: Person | None = None
    street: Person | None = None
    grid: Person | None = None
    department: Person | None = None
    unit: Person | None = None

    def by_id(self) -> dict[int, Person]:
        return {p.id: p for p in (self.district, self.street, self.grid, self.department,
                                  self.unit) if p is not None}


def _street(code: str) -> str:
    return code[:9]


@dataclass
class InspectionPlanner:
    """Plans the demo's inspections: pure (plain data in, a list of dicts out)."""

    rng: random.Random
    today: datetime.date
    now: datetime.datetime  # aware
    places: list[PlaceFacts]
    checklists: dict[str, list[Checklist]]  # place category → its checklists
    hazards: list[HazardFacts]
    crew: Crew
    category_codes: dict[int, str]  # hazard category pk → code
    scale: float = 1.0
    planned: list[dict] = field(default_factory=list)

    def __post_init__(self):
        self.window_start = self.today - datetime.timedelta(days=int(MONTHS * 30.44))
        self.by_pk = {p.pk: p for p in self.places}
        self.eligible = [p for p in self.places if self.checklists.get(p.category)]
        self.hazards_at: dict[int, list[HazardFacts]] = defaultdict(list)
        for h in sorted(self.hazards, key=lambda h: h.pk):
            self.hazards_at[h.place_id].append(h)
        self.used: set[int] = set()  # hazards already the finding of a planned result
        self._item_index: dict[int, tuple[dict, dict]] = {}
        year_start = datetime.date(self.today.year, 1, 1)
        self.joint_start = (max(year_start, self.window_start)
                            if (self.today - year_start).days >= 60 else self.window_start)

    # -- helpers ---------------------------------------------------------------------------

    def count(self, what: str) -> int:
        return round(PER_DEMO[what] * self.scale)

    def day(self, lo: datetime.date) -> datetime.date:
        return self.today - datetime.timedelta(days=self.rng.randint(0, (self.today - lo).days))

    def times(self, on: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
        """Started and submitted: within working hours of that day, never after now."""
        rng, tz = self.rng, self.now.tzinfo
        # As many draws whatever the time of day, so the plan does not depend on the clock.
        at, took, ago = rng.randint(0, 540), rng.randint(15, 120), rng.randint(1, 20)
        start = datetime.datetime.combine(on, datetime.time(8, 30), tzinfo=tz) + \
            datetime.timedelta(minutes=at)
        end = start + datetime.timedelta(minutes=took)
        if end > self.now:  # today, before the working day is over
            midnight = datetime.datetime.combine(on, datetime.time(0, 0), tzinfo=tz)
            end = max(midnight, self.now - datetime.timedelta(minutes=ago))
            start = max(midnight, end - datetime.timedelta(minutes=took))
        return start, end

    def name(self, taken) -> str:
        from fireledger.places.generator import person_name

        while True:
            name = person_name(self.rng)
            if name not in taken:
                return name

    def weighted(self, places: list[PlaceFacts], n: int) -> list[PlaceFacts]:
        """n places drawn with replacement, more often where more goes wrong."""
        if not places or n <= 0:
            return []
        weights = [WEIGHT.get(p.category, 1) * (1.5 if p.is_high_rise else 1) for p in places]
        return self.rng.choices(places, weights, k=n)

    def in_scope(self, person: Person | None, place: PlaceFacts) -> bool:
        return person is not None and place.jurisdiction_code.startswith(person.prefix)

    def street_inspector(self, place: PlaceFacts) -> Person | None:
        """The grid worker in their grid, the street officer in their street, else nobody."""
        if self.in_scope(self.crew.grid, place):
            return self.crew.grid
        if self.in_scope(self.crew.street, place):
            return self.crew.street
        return None

    def department_inspector(self, place: PlaceFacts) -> Person | None:
        d = self.crew.department
        return d if self.in_scope(d, place) and d.department_id == place.department_id else None

    def unit_manager(self, place: PlaceFacts) -> Person | None:
        u = self.crew.unit
        return u if self.in_scope(u, place) and u.organisation_id in place.unit_ids else None

    # -- checklists and hazards ------------------------------------------------------------

    def checklist(self, place: PlaceFacts, kind: str) -> Checklist:
        """A sweep uses the street's own list where there is one; other kinds the full one."""
        options = self.checklists[place.category]
        street = [c for c in options if c.code.endswith("_street")]
        full = [c for c in options if not c.code.endswith("_street")] or options
        return self.rng.choice(street if kind == "sweep" and street else full)

    def _items(self, checklist: Checklist) -> tuple[dict, dict]:
        """Item indexes by hazard category and by the category code's first part."""
        found = self._item_index.get(checklist.version_id)
        if found is None:
            by_category, by_family = defaultdict(list), defaultdict(list)
            for n, item in enumerate(checklist.items):
                by_category[item["category_id"]].append(n)
                code = self.category_codes.get(item["category_id"], "")
                by_family[code.split(".")[0]].append(n)
            found = self._item_index[checklist.version_id] = (by_category, by_family)
        return found

    def item_for(self, checklist: Checklist, h: HazardFacts, taken: set) -> int | None:
        """The item a hazard is the failure of: one of its category, else of its family."""
        by_category, by_family = self._items(checklist)
        for n in by_category.get(h.category_id, ()):
            if n not in taken:
                return n
        for n in by_family.get(h.category_code.split(".")[0], ()):
            if n not in taken:
                return n
        return None

    def pool(self, place: PlaceFacts, kind: str, lo: datetime.date,
             checklist: Checklist) -> list[HazardFacts]:
        """Hazards at the place this inspection could have found: by the right kind of visit,
        in the window, not yet another result's, with an item to fail."""
        source = "self_inspection" if kind == "self" else "inspection"
        return [h for h in self.hazards_at.get(place.pk, ())
                if h.source == source and h.pk not in self.used and lo <= h.found_on <= self.today
                and self.item_for(checklist, h, set()) is not None]

    # -- one inspection --------------------------------------------------------------------

    def inspect(self, place: PlaceFacts, kind: str, inspector: Person | None, *,
                lo: datetime.date | None = None, on: datetime.date | None = None,
                found: list[HazardFacts] | None = None, checklist: Checklist | None = None,
                signers: int = 1, link: bool = True) -> dict:
        """Plan one submitted inspection on a checklist; failed items are hazards of the
        register found there that day (`found`, or drawn from the place's own)."""
        rng = self.rng
        lo = lo or self.window_start
        checklist = checklist or self.checklist(place, kind)
        if found is None:
            found = []
            pool = self.pool(place, kind, lo, checklist) if link and on is None else []
            if pool and rng.random() < LINK_SHARE:
                first = rng.choice(pool)
                found = [h for h in pool if h.found_on == first.found_on]
        if found:
            on = found[0].found_on
        on = on or self.day(lo)
        results, linked = self.answer(checklist, found)
        started, submitted = self.times(on)
        plan = {
            "place_id": place.pk, "kind": kind, "status": "submitted",
            "version_id": checklist.version_id, "previous": None, "inspected_on": on,
            "started_at": started, "submitted_at": submitted, "unit_name": place.unit_name,
            "location": linked[0].location if len(linked) == 1 else "",
            "advice": rng.choice(ADVICE_HAZARDS if linked else ADVICE_CLEAR),
            "created_by": inspector.id if inspector else None,
            "token": uuid.UUID(int=rng.getrandbits(128), version=4),
            "results": results, "signatures": [], "commitment": None,
            "hazards": [h.pk for h in linked if not h.fixed_on_spot],
        }
        plan["signatures"] = self.signatures(plan, place, inspector, signers)
        self.planned.append(plan)
        return plan

    def answer(self, checklist: Checklist, found: list[HazardFacts]):
        """Results copied from the items: the found hazards fail their items, the rest pass
        or do not apply."""
        rng = self.rng
        taken: set[int] = set()
        failed: dict[int, HazardFacts] = {}
        for h in found:
            if h.pk in self.used:
                continue
            n = self.item_for(checklist, h, taken)
            if n is not None:
                taken.add(n)
                failed[n] = h
                self.used.add(h.pk)
        na_rate = rng.choice(NA_RATES)
        results = []
        for n, item in enumerate(checklist.items):
            r = {"sort_order": n, "number": item["number"], "area": item.get("area", ""),
                 "text": item["text"], "category_id": item["category_id"],
                 "is_major": item.get("is_major", False), "workdays": item.get("workdays"),
                 "outcome": "pass", "note": "", "deadline": None, "interim_safeguards": "",
                 "hazard_id": None, "follow_up": ""}
            h = failed.get(n)
            if h is not None:
                r.update(outcome="fixed" if h.fixed_on_spot else "hazard", hazard_id=h.pk,
                         note=h.description[:300], deadline=h.deadline,
                         interim_safeguards=h.interim_safeguards)
            elif rng.random() < na_rate:
                r["outcome"] = "na"
            results.append(r)
        return results, [failed[n] for n in sorted(failed)]

    def signatures(self, plan: dict, place: PlaceFacts, inspector: Person | None,
                   signers: int) -> list[dict]:
        """The inspectors' typed names (the demo user's own where one inspected), and for a
        visit by one inspector sometimes the unit's person too."""
        rng = self.rng
        names: list[tuple[str, int | None]] = []
        if plan["kind"] == "self":
            names.append((place.safety_manager or self.name(()), None))
            if rng.random() < 0.4 and place.responsible_person not in ("", names[0][0]):
                names.append((place.responsible_person, None))
        else:
            if inspector is not None:
                names.append((inspector.name, inspector.id))
            while len(names) < signers:
                names.append((self.name({n for n, _ in names}), None))
            if signers == 1 and rng.random() < 0.3 and place.safety_manager \
                    and place.safety_manager not in {n for n, _ in names}:
                names.append((place.safety_manager, None))
        at, started = plan["submitted_at"], plan["started_at"]
        return [{"name": n[:50], "user_id": user_id,
                 "signed_at": max(started, at - datetime.timedelta(minutes=len(names) - k))}
                for k, (n, user_id) in enumerate(names)]

    def self_inspection(self, place: PlaceFacts, *, on: datetime.date | None = None,
                        lo: datetime.date, clear: bool = False, commitment: bool = True) -> dict:
        """A unit's self-inspection and, mostly, the commitment it signs on it."""
        rng = self.rng
        inspector = self.unit_manager(place)
        plan = self.inspect(place, "self", inspector, lo=lo, on=on, link=not clear,
                            found=[] if clear else None)
        if commitment:
            signed_on = min(self.today, plan["inspected_on"]
                            + datetime.timedelta(days=rng.choice((0, 0, 0, 1, 2))))
            phone = self._phone
            plan["commitment"] = {
                "signer_name": place.responsible_person or plan["signatures"][0]["name"],
                "signed_by": inspector.id if inspector else None, "signed_on": signed_on,
                "responsible_person": place.responsible_person or self.name(()),
                "responsible_phone": place.responsible_phone or phone(),
                "safety_manager": place.safety_manager or plan["signatures"][0]["name"],
                "safety_manager_phone": place.safety_manager_phone or phone(),
                "organisation_id": place.unit_id,
                "untrue_on": None, "untrue_by": None, "untrue_hazard_id": None,
                "untrue_note": "",
            }
        return plan

    def _phone(self) -> str:
        from fireledger.places.generator import mobile

        return mobile(self.rng)

    # -- the whole demo --------------------------------------------------------------------

    def plan(self) -> list[dict]:
        self.plan_untrue()
        self.plan_joint()
        self.plan_self()
        self.plan_department()
        self.plan_random_and_unannounced()
        self.plan_sweeps()
        self.plan_follow_ups()
        self.plan_drafts()
        return self.planned

    def plan_untrue(self) -> None:
        """Commitments in the street officer's street that a later sweep showed untrue."""
        street = self.crew.street
        if street is None:
            return
        earliest = self.today - datetime.timedelta(days=COMMITMENT_DAYS - 30)
        candidates = [h for h in sorted(self.hazards, key=lambda h: h.pk)
                      if h.source == "inspection" and h.status != "closed"
                      and h.found_on >= earliest and h.place_id in self.by_pk
                      and self.in_scope(street, self.by_pk[h.place_id])
                      and self.by_pk[h.place_id].unit_id is not None]
        self.rng.shuffle(candidates)
        places: set[int] = set()
        for h in candidates:
            if len(places) >= max(1, self.count("untrue")):
                break
            place = self.by_pk[h.place_id]
            if place.pk in places or h.pk in self.used:
                continue
            checklist = next((c for c in self.checklists.get(place.category, ())
                              if self.item_for(c, h, set()) is not None), None)
            if checklist is None:
                continue
            places.add(place.pk)
            others = [g for g in self.pool(place, "sweep", h.found_on, checklist)
                      if g.found_on == h.found_on and g.pk != h.pk]
            self.inspect(place, "sweep", self.street_inspector(place), found=[h, *others],
                         checklist=checklist)
            signed = max(self.today - datetime.timedelta(days=COMMITMENT_DAYS),
                         h.found_on - datetime.timedelta(days=self.rng.randint(10, 200)))
            plan = self.self_inspection(place, on=signed, lo=signed, clear=True)
            c = plan["commitment"]
            c["signed_on"] = signed
            c.update(untrue_on=min(self.today, h.found_on + datetime.timedelta(
                days=self.rng.randint(0, 10))), untrue_by=street.id, untrue_hazard_id=h.pk,
                untrue_note=self.rng.choice(UNTRUE_NOTES).format(
                    d=f"{h.found_on.month}月{h.found_on.day}日", h=h.description)[:200])

    def plan_joint(self) -> None:
        """Per street, a share of its high-rise buildings around seed 003's targets."""
        rng = self.rng
        streets: dict[str, list[PlaceFacts]] = defaultdict(list)
        for p in self.places:
            if p.is_high_rise:
                streets[_street(p.jurisdiction_code)].append(p)
        inspector = self.crew.district
        for key in sorted(streets):
            for residential, (lo, hi) in ((False, JOINT_PUBLIC), (True, JOINT_RESIDENTIAL)):
                group = [p for p in streets[key] if p.residential == residential]
                n = round(rng.uniform(lo, hi) * len(group))
                usable = [p for p in group if self.checklists.get(p.category)]
                for place in rng.sample(usable, min(n, len(usable))):
                    self.inspect(place, "joint", inspector, lo=self.joint_start,
                                 signers=rng.randint(2, 3))
        others = [p for p in self.eligible if not p.is_high_rise and p.category in (
            "mall", "commercial_complex", "hotel", "entertainment", "escape_room")]
        for place in self.weighted(others, self.count("joint_elsewhere")):
            self.inspect(place, "joint", inspector, lo=self.joint_start,
                         signers=rng.randint(2, 3))

    def plan_self(self) -> None:
        """Self-inspections by the units, half of them where the unit logged hazards itself."""
        rng = self.rng
        lo = self.today - datetime.timedelta(days=COMMITMENT_DAYS)
        done = {p["place_id"] for p in self.planned if p["kind"] == "self"}
        units = [p for p in self.eligible if p.unit_id is not None and p.pk not in done]
        with_own = [p for p in units if any(h.source == "self_inspection"
                                            for h in self.hazards_at.get(p.pk, ()))]
        n = self.count("self")
        chosen = rng.sample(with_own, min(len(with_own), n // 2))
        chosen_ids = {p.pk for p in chosen}
        rest = [p for p in units if p.pk not in chosen_ids]
        chosen += rng.sample(rest, min(len(rest), n - len(chosen)))
        for place in chosen:
            self.self_inspection(place, lo=lo, commitment=rng.random() < COMMITMENT_SHARE)

    def plan_department(self) -> None:
        rng = self.rng
        d = self.crew.department
        own = [p for p in self.eligible if d is not None and p.department_id == d.department_id]
        n = self.count("department")
        n_own = round(n * 0.45) if own else 0
        for place in self.weighted(own, n_own) + self.weighted(self.eligible, n - n_own):
            self.inspect(place, "department", self.department_inspector(place),
                         signers=2 if rng.random() < 0.5 else 1)

    def plan_random_and_unannounced(self) -> None:
        rng = self.rng
        for place in rng.sample(self.eligible, min(len(self.eligible), self.count("random"))):
            inspector = self.department_inspector(place) or self.crew.district
            self.inspect(place, "random", inspector, signers=3 if rng.random() < 0.25 else 2)
        for place in self.weighted(self.eligible, self.count("unannounced")):
            inspector = self.street_inspector(place) or self.crew.district
            self.inspect(place, "unannounced", inspector,
                         signers=2 if rng.random() < 0.4 else 1)

    def plan_sweeps(self) -> None:
        """The grid worker's places several times, the street's places about every second one,
        the rest of the district partly where hazards were found."""
        rng = self.rng
        n = self.count("sweep")
        done = 0
        for place in self.eligible:
            inspector = self.street_inspector(place)
            if inspector is None:
                continue
            if inspector is self.crew.grid:
                times = rng.randint(2, 3)
            else:
                times = 1 if rng.random() < 0.5 else 0
            for _ in range(times):
                self.inspect(place, "sweep", inspector)
                done += 1
        rest = max(0, n - done)
        elsewhere = [p for p in self.eligible if self.street_inspector(p) is None]
        elsewhere_ids = {p.pk for p in elsewhere}
        open_finds = [h for h in sorted(self.hazards, key=lambda h: h.pk)
                      if h.source == "inspection" and h.place_id in elsewhere_ids
                      and h.found_on >= self.window_start]
        rng.shuffle(open_finds)
        driven = 0
        for h in open_finds:
            if driven >= round(rest * DRIVEN_SWEEPS):
                break
            if h.pk in self.used:
                continue
            place = self.by_pk[h.place_id]
            checklist = self.checklist(place, "sweep")
            found = [g for g in self.pool(place, "sweep", h.found_on, checklist)
                     if g.found_on == h.found_on]
            if h not in found:
                continue
            self.inspect(place, "sweep", None, found=found, checklist=checklist,
                         signers=2 if rng.random() < 0.3 else 1)
            driven += 1
        for place in self.weighted(elsewhere, rest - driven):
            self.inspect(place, "sweep", None, signers=2 if rng.random() < 0.3 else 1)

    def plan_follow_ups(self) -> None:
        """Re-inspections of inspections that left hazards to rectify: verified the day a
        since closed hazard was verified, or still being rectified."""
        rng = self.rng
        hazards = {h.pk: h for h in self.hazards}
        people = self.crew.by_id()
        candidates = [(n, p) for n, p in enumerate(self.planned)
                      if p["hazards"] and p["kind"] not in ("self", "follow_up")]
        rng.shuffle(candidates)
        made = 0
        for index, previous in candidates:
            if made >= max(1, self.count("follow_up")):
                break
            since = previous["inspected_on"]
            linked = [hazards[pk] for pk in previous["hazards"]]
            verified = [h for h in linked if h.status == "closed" and h.verified_on
                        and since < h.verified_on <= self.today]
            if verified and (made % 2 == 0 or len(verified) == len(linked)):
                h = rng.choice(verified)
                on = h.verified_on
                inspector = people.get(h.verified_by_id)
            else:
                open_now = [h for h in linked if h.status != "closed"]
                if not open_now:
                    continue
                h = rng.choice(open_now)
                until = self.today
                if h.status == "awaiting_verification" and h.rectification_reported_on:
                    until = min(until, h.rectification_reported_on - ONE_DAY)
                if until <= since:
                    continue
                on = since + datetime.timedelta(days=rng.randint(1, (until - since).days))
                inspector = None
            place = self.by_pk[previous["place_id"]]
            creator = previous["created_by"]
            if inspector is None or not self.in_scope(inspector, place):
                inspector = people.get(creator) if creator else None
            results = []
            for g in linked:
                if g.closed_on is not None and g.closed_on < on:
                    continue  # closed before: not re-inspected
                finding = ("verified" if g.status == "closed" and g.verified_on == on
                           else "still_open")
                results.append({
                    "sort_order": len(results), "number": str(len(results) + 1), "area": "",
                    "text": g.description, "category_id": g.category_id,
                    "is_major": g.is_major, "workdays": None, "outcome": "",
                    "follow_up": finding, "hazard_id": g.pk, "deadline": None,
                    "interim_safeguards": "",
                    "note": "已整改到位，复查合格" if finding == "verified" else "正在整改，督促按期完成",
                })
            if not results:
                continue
            started, submitted = self.times(on)
            plan = {
                "place_id": place.pk, "kind": "follow_up", "status": "submitted",
                "version_id": None, "previous": index, "inspected_on": on,
                "started_at": started, "submitted_at": submitted, "unit_name": place.unit_name,
                "location": "", "advice": "", "created_by": inspector.id if inspector else None,
                "token": uuid.UUID(int=rng.getrandbits(128), version=4), "results": results,
                "signatures": [], "commitment": None, "hazards": [],
            }
            plan["signatures"] = self.signatures(plan, place, inspector, 1)
            self.planned.append(plan)
            made += 1

    def plan_drafts(self) -> None:
        """Today's drafts of the grid worker, partly answered."""
        grid = self.crew.grid
        if grid is None:
            return
        places = [p for p in self.eligible if self.in_scope(grid, p)]
        if not places:
            return
        rng = self.rng
        chosen = (rng.sample(places, DRAFTS) if len(places) >= DRAFTS
                  else [places[k % len(places)] for k in range(DRAFTS)])
        midnight = datetime.datetime.combine(self.today, datetime.time(0, 0),
                                             tzinfo=self.now.tzinfo)
        for k, place in enumerate(chosen):
            checklist = self.checklist(place, "sweep")
            results, _ = self.answer(checklist, [])
            answered = rng.randint(0, len(results))
            for r in results[answered:]:
                r["outcome"] = ""
            if answered and k % 2 == 0:
                r = results[rng.randrange(answered)]
                r.update(outcome="hazard", note=r["text"][:300])
            self.planned.append({
                "place_id": place.pk, "kind": "sweep", "status": "draft",
                "version_id": checklist.version_id, "previous": None,
                "inspected_on": self.today,
                "started_at": max(midnight, self.now - datetime.timedelta(
                    minutes=rng.randint(5, 300))),
                "submitted_at": None, "unit_name": place.unit_name, "location": "",
                "advice": "", "created_by": grid.id,
                "token": uuid.UUID(int=rng.getrandbits(128), version=4), "results": results,
                "signatures": [], "commitment": None, "hazards": [],
            })


# --------------------------------------------------------------------------------------------
# Reading what the planner needs, writing what it plans
# --------------------------------------------------------------------------------------------

def _place_facts(p) -> PlaceFacts:
    unit = p.occupant or p.manager or p.owner
    return PlaceFacts(p.pk, p.category, p.is_high_rise, p.building_use == "residential",
                      p.jurisdiction_code, p.department_id,
                      (p.owner_id, p.manager_id, p.occupant_id), unit.pk if unit else None,
                      unit.name if unit else "", p.responsible_person, p.responsible_phone,
                      p.safety_manager, p.safety_manager_phone)


def load_checklists(categories) -> dict[str, list[Checklist]]:
    """services.templates_for per category, each template's current version."""
    from . import services

    versions: dict[int, Checklist | None] = {}
    found: dict[str, list[Checklist]] = {}
    for category in sorted(categories):
        lists = []
        for template in services.templates_for(SimpleNamespace(category=category)):
            if template.pk not in versions:
                v = template.current_version()
                versions[template.pk] = Checklist(v.pk, template.code, v.items) if v else None
            if versions[template.pk] is not None and versions[template.pk].items:
                lists.append(versions[template.pk])
        found[category] = lists
    return found


def load_crew(users: dict) -> Crew:
    """The demo users by role (places/generator.py creates them)."""
    def person(username: str) -> Person | None:
        user = users.get(username)
        if user is None:
            return None
        a = user.assignments.select_related("jurisdiction").first()
        if a is None:
            return None
        return Person(user.pk, user.first_name or user.username, a.jurisdiction.prefix,
                      a.department_id, a.organisation_id)

    return Crew(district=person("district"), street=person("street"), grid=person("grid"),
                department=person("shangwu"), unit=person("unit"))


HAZARD_FIELDS = ("pk", "place_id", "category_id", "category__code", "description",
                 "location_in_place", "found_on", "source", "fixed_on_spot", "is_major",
                 "interim_safeguards", "status", "deadline", "closed_on", "verified_on",
                 "verified_by_id", "rectification_reported_on")


def generate_demo_inspections(seed: int = 2026, progress=None,
                              today: datetime.date | None = None,
                              district_code: str | None = None) -> dict:
    """Write the demo district's inspections and commitments; returns counts of what was
    written (inspections, submitted, drafts, results, failed, signatures, commitments,
    untrue, and one per kind).

    Reads the places, hazards and demo users `fireledger demo` wrote before; written through
    seeding.bulk_create_inspections with the demo superuser as actor.
    """
    from django.utils import timezone

    from fireledger.core.codes import range_lookup
    from fireledger.core.models import User
    from fireledger.hazards.models import Hazard, HazardCategory
    from fireledger.places import generator
    from fireledger.places.models import Place

    from . import seeding
    from .models import Commitment, Inspection, InspectionResult
    from .services import COMMITMENT_WORDING

    today = today or timezone.localdate()
    now = timezone.localtime()
    if today < now.date():  # a past `today` (tests): the end of that day
        now = datetime.datetime.combine(today, datetime.time(23, 0), tzinfo=now.tzinfo)
    district_code = district_code or generator.DEMO_DISTRICT[0]
    in_district = range_lookup("jurisdiction_code", district_code)
    places = list(Place.objects.filter(**in_district)
                  .select_related("occupant", "manager", "owner").order_by("pk"))
    if not places:
        return {"inspections": 0}
    users = {u.username: u for u in User.objects.filter(
        username__in=["admin", "district", "shangwu", "street", "grid", "unit"])}
    admin = users.get("admin") or User.objects.filter(is_superuser=True).order_by("pk").first()
    by_id = {u.pk: u for u in users.values()}
    facts = [_place_facts(p) for p in places]
    hazards = [HazardFacts(*row) for row in Hazard.objects.filter(**in_district)
               .order_by("pk").values_list(*HAZARD_FIELDS)]
    planner = InspectionPlanner(
        random.Random(f"inspections-{seed}"), today, now, facts,
        load_checklists({p.category for p in facts}), hazards, load_crew(users),
        dict(HazardCategory.objects.values_list("pk", "code")),
        scale=len(places) / DEMO_PLACES)
    plans = planner.plan()

    by_pk = {p.pk: p for p in places}
    result_defaults = {f.attname: f.get_default() for f in InspectionResult._meta.concrete_fields
                       if not f.primary_key}
    generated: list[seeding.GeneratedInspection] = []
    counts = defaultdict(int)
    for plan in plans:
        place = by_pk[plan["place_id"]]
        inspection = Inspection(
            token=plan["token"], place=place, kind=plan["kind"], status=plan["status"],
            version_id=plan["version_id"], inspected_on=plan["inspected_on"],
            started_at=plan["started_at"], submitted_at=plan["submitted_at"],
            unit_name=plan["unit_name"], location=plan["location"], advice=plan["advice"],
            created_by=by_id.get(plan["created_by"]))
        if plan["previous"] is not None:
            inspection.previous = generated[plan["previous"]].inspection
        results = [SimpleNamespace(**{**result_defaults, "inspection_id": None, **r})
                   for r in plan["results"]]
        signatures = [SimpleNamespace(inspection_id=None, user_id=s["user_id"], name=s["name"],
                                      method="typed", image="", signed_at=s["signed_at"])
                      for s in plan["signatures"]]
        commitment = None
        c = plan["commitment"]
        if c is not None:
            commitment = Commitment(
                place=place, organisation_id=c["organisation_id"], wording=COMMITMENT_WORDING,
                signer_name=c["signer_name"], signed_by=by_id.get(c["signed_by"]),
                signed_on=c["signed_on"], valid_until=seeding.valid_until(c["signed_on"]),
                responsible_person=c["responsible_person"],
                responsible_phone=c["responsible_phone"], safety_manager=c["safety_manager"],
                safety_manager_phone=c["safety_manager_phone"], untrue_on=c["untrue_on"],
                untrue_by=by_id.get(c["untrue_by"]), untrue_hazard_id=c["untrue_hazard_id"],
                untrue_note=c["untrue_note"])
            counts["commitments"] += 1
            counts["untrue"] += c["untrue_on"] is not None
            counts["commitments_in_force"] += seeding.valid_until(c["signed_on"]) >= today
        generated.append(seeding.GeneratedInspection(inspection, results, signatures, commitment))
        counts["inspections"] += 1
        counts[plan["status"]] += 1
        if plan["status"] == "submitted":
            counts[plan["kind"]] += 1
        counts["results"] += len(results)
        counts["failed"] += sum(r.outcome in ("fixed", "hazard") and r.hazard_id is not None
                                for r in results)
        counts["signatures"] += len(signatures)
    seeding.bulk_create_inspections(admin, generated, note=generator.DEMO_NOTE, batch_size=500,
                                    progress=progress, today=today, now=timezone.now())
    return {"drafts": counts.pop("draft", 0), **counts}


def delete_inspections() -> None:
    """Delete every inspection and what hangs on it (for `fireledger demo --reset`, before the
    hazards, which their results PROTECT; their audit events go with the reset's own)."""
    from .models import Commitment, Inspection, Invitation

    Commitment.objects.all().delete()
    # A re-inspection PROTECTs the inspection it follows: those nothing follows go first.
    while Inspection.objects.filter(follow_ups__isnull=True).delete()[0]:
        pass
    Invitation.objects.all().delete()


__all__ = ["InspectionPlanner", "delete_inspections", "generate_demo_inspections"]
