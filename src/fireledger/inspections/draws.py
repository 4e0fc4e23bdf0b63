"""The random-inspection draw (双随机): which places, and which inspectors go to each.

Pure: no Django. Data in (a seed, an algorithm version, the pool as (place_id, stratum) pairs
sorted by place id — or as a Pool, the same as per-stratum id arrays, which a million-place
draw uses — per-stratum ratios, the inspector pool and each drawn place's facts for
recusal), data out (the drawn places in order, each with its inspectors and the recusals
applied). The same inputs give the same draw on any machine and Python version, because the
random numbers come from our own use of hashlib and Mersenne Twister's `getrandbits` on an
integer seed (both fixed), not from `random.sample`/`shuffle`, whose algorithms may change.

Algorithm "fl-draw-1":

1. Strata in sorted name order. In each, n places (in pool order) and the ratio p % give
   k = ceil(n * p / 100) places (exact arithmetic on the ratio's decimal text), drawn by a
   partial Fisher–Yates shuffle whose generator is seeded with
   sha256("fl-draw-1|<seed>|places|<stratum>"). The order of the draw is the order of the list.
2. Inspectors, place by place in that order, with one generator seeded with
   sha256("fl-draw-1|<seed>|inspectors"): every inspector (by user id) gets a random 32-bit key;
   for each place the `team` inspectors not recused from it with the fewest places so far in
   this draw go, ties broken by their keys (a min-heap of (places, key, user id)); each chosen
   one gets a new key. So the work spreads evenly, and a place costs O(team + recused) heap
   steps, not a pass over the pool. Fewer than `team` eligible: NotEnoughInspectors naming the
   place.

Recusal (依法回避, 一单两库一细则): an inspector is recused from a place when assigned to the
place's street, related to the place's unit (owner, manager or occupant), or one of those who
inspected the place last time.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import operator
import random
from array import array
from itertools import chain, islice, repeat
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

ALGORITHM_VERSION = "fl-draw-1"
VERSIONS = frozenset({ALGORITHM_VERSION})
MIN_TEAM = 2  # 双随机: at least two inspectors per check
TIE_KEYS = 1 << 32

RECUSE_STREET = "street"
RECUSE_UNIT = "unit"
RECUSE_LAST = "last_inspection"


class DrawError(ValueError):
    """Inputs the draw cannot work with (unknown version, unsorted pool, bad ratio)."""


class NotEnoughInspectors(Exception):
    """Fewer inspectors than the team size are left for a place after recusal."""

    def __init__(self, place_id: int, eligible: int, needed: int):
        super().__init__(f"place {place_id}: {eligible} eligible inspectors, {needed} needed")
        self.place_id, self.eligible, self.needed = place_id, eligible, needed


@dataclass(frozen=True)
class Inspector:
    user_id: int
    streets: frozenset = frozenset()  # street prefixes of the user's assignments
    organisations: frozenset = frozenset()  # units the user acts for


@dataclass(frozen=True)
class PlaceFacts:
    street: str = ""  # the place's street prefix
    organisations: frozenset = frozenset()  # owner, manager, occupant
    last_inspectors: frozenset = frozenset()  # user ids of its latest submitted inspection


@dataclass(frozen=True)
class Drawn:
    place_id: int
    stratum: str
    order: int  # 1-based
    inspectors: tuple = ()  # user ids, the first leads
    recusals: tuple = ()  # (user_id, reason) for every recused inspector of the pool


@dataclass
class Result:
    places: list = field(default_factory=list)  # [Drawn]


class _Rng:
    """Uniform integers from Mersenne Twister seeded by a sha256 digest (both stable)."""

    def __init__(self, *parts: str):
        digest = hashlib.sha256("|".join(parts).encode("utf-8")).digest()
        self._r = random.Random(int.from_bytes(digest, "big"))

    def below(self, n: int) -> int:
        """0 <= x < n by rejection sampling on getrandbits (no modulo bias)."""
        bits = n.bit_length()
        while True:
            x = self._r.getrandbits(bits)
            if x < n:
                return x

    def shuffle(self, items: list) -> None:
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]


def _check_version(version: str) -> None:
    if version not in VERSIONS:
        raise DrawError(f"unknown algorithm version {version!r}")


def percent(value) -> Fraction:
    """A ratio in percent as an exact fraction, 0…100 (from int, str or Decimal)."""
    try:
        p = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise DrawError(f"ratio {value!r} is not a number") from None
    if not 0 <= p <= 100:
        raise DrawError(f"ratio {value!r} is not between 0 and 100")
    return p


def sample_size(count: int, ratio) -> int:
    """ceil(count × ratio %): a 10 % sample of 11 places is 2."""
    return math.ceil(count * percent(ratio) / 100)


class Pool:
    """The pool as compact columns: per stratum, its place ids ascending (array 'q'). Iterates
    as the (place_id, stratum) pairs sorted by id, so it stands wherever such a list does, but
    a million places cost 8 MB and no tuples; the draw uses the groups as they are."""

    def __init__(self, groups: Mapping[str, Sequence[int]]):
        self.groups = {s: ids if isinstance(ids, array) else array("q", ids)
                       for s, ids in groups.items() if len(ids)}
        for ids in self.groups.values():
            if any(map(operator.ge, ids, islice(ids, 1, None))):
                raise DrawError("pool not sorted by place id")

    def __len__(self) -> int:
        return sum(map(len, self.groups.values()))

    def keyed(self) -> tuple[list[str], list[int], list[int]]:
        """(stratum names sorted, ids ascending, id × 32 + stratum index for each): the whole
        pool in id order, built and sorted in C (timsort merges the strata's ascending runs)."""
        names = sorted(self.groups)
        if len(names) > 32:
            raise DrawError("more than 32 strata")
        keys = sorted(chain.from_iterable(
            map(operator.add, map(operator.mul, self.groups[s], repeat(32)), repeat(k))
            for k, s in enumerate(names)))
        ids = list(map(operator.rshift, keys, repeat(5)))
        if any(map(operator.ge, ids, islice(ids, 1, None))):
            raise DrawError("a place is in two strata")
        return names, ids, keys

    def __iter__(self):
        names, ids, keys = self.keyed()
        return zip(ids, (names[k & 31] for k in keys))


def strata_of(pool) -> dict[str, list[int]]:
    """Place ids per stratum, in pool order; refuses a pool not strictly sorted by id."""
    if isinstance(pool, Pool):
        return dict(pool.groups)
    ids = [pid for pid, _ in pool]
    if any(a >= b for a, b in zip(ids, ids[1:])):
        raise DrawError("pool not sorted by place id")
    groups: dict[str, list[int]] = {}
    for place_id, stratum in pool:
        members = groups.get(stratum)
        if members is None:
            members = groups[stratum] = []
        members.append(place_id)
    return groups


def draw_places(seed: str, version: str, pool: Sequence[tuple[int, str]],
                ratios: Mapping[str, object]) -> list[tuple[int, str]]:
    """The drawn (place_id, stratum) pairs in draw order. A stratum without a ratio: 0 %."""
    _check_version(version)
    drawn: list[tuple[int, str]] = []
    for stratum, ids in sorted(strata_of(pool).items()):
        k = sample_size(len(ids), ratios.get(stratum, 0))
        if not k:
            continue
        rng = _Rng(version, seed, "places", stratum)
        ids = ids.tolist() if isinstance(ids, array) else list(ids)
        n = len(ids)
        for i in range(k):  # partial Fisher–Yates: positions 0…k-1 become the sample
            j = i + rng.below(n - i)
            ids[i], ids[j] = ids[j], ids[i]
        drawn.extend((pid, stratum) for pid in ids[:k])
    return drawn


def recusal_reasons(inspector: Inspector, facts: PlaceFacts) -> tuple[str, ...]:
    reasons = []
    if facts.street and facts.street in inspector.streets:
        reasons.append(RECUSE_STREET)
    if inspector.organisations & facts.organisations:
        reasons.append(RECUSE_UNIT)
    if inspector.user_id in facts.last_inspectors:
        reasons.append(RECUSE_LAST)
    return tuple(reasons)


def assign_inspectors(seed: str, version: str, places: Sequence[tuple[int, str]],
                      inspectors: Sequence[Inspector], facts: Mapping[int, PlaceFacts],
                      team: int = MIN_TEAM) -> list[Drawn]:
    """Each drawn place with `team` inspectors not recused from it, the load spread evenly."""
    _check_version(version)
    if team < MIN_TEAM:
        raise DrawError(f"a team needs at least {MIN_TEAM} inspectors")
    pool = sorted(inspectors, key=lambda i: i.user_id)
    if len({i.user_id for i in pool}) != len(pool):
        raise DrawError("an inspector is in the pool twice")
    rng = _Rng(version, seed, "inspectors")
    ids = [i.user_id for i in pool]
    load = dict.fromkeys(ids, 0)
    # (places so far, random key, user id): the least loaded first, ties in random order.
    heap = [(0, rng.below(TIE_KEYS), user_id) for user_id in ids]
    heapq.heapify(heap)
    by_street: dict[str, list[int]] = {}
    by_unit: dict[object, list[int]] = {}
    for i in pool:
        for street in i.streets:
            by_street.setdefault(street, []).append(i.user_id)
        for unit in i.organisations:
            by_unit.setdefault(unit, []).append(i.user_id)
    out = []
    empty = PlaceFacts()
    # Most places are recused only by their street's inspectors: those (recusals, ids) are
    # worked out once per street; a place with a unit or last-inspection relation to an
    # inspector of the pool takes the full path. Same output, no per-place sorting.
    per_street: dict[str, tuple[tuple, frozenset]] = {}
    for order, (place_id, stratum) in enumerate(places, start=1):
        f = facts.get(place_id, empty)
        if (by_unit and not by_unit.keys().isdisjoint(f.organisations)) or (
                f.last_inspectors and not load.keys().isdisjoint(f.last_inspectors)):
            recused = [(u, RECUSE_STREET) for u in by_street.get(f.street, ())] \
                if f.street else []
            for unit in sorted(f.organisations, key=str):
                recused += [(u, RECUSE_UNIT) for u in by_unit.get(unit, ())]
            recused += [(u, RECUSE_LAST) for u in sorted(f.last_inspectors) if u in load]
            recusals = tuple(sorted(set(recused)))
            out_of = {u for u, _ in recused}
        else:
            cached = per_street.get(f.street)
            if cached is None:
                users = by_street.get(f.street, ()) if f.street else ()
                cached = per_street[f.street] = (
                    tuple(sorted({(u, RECUSE_STREET) for u in users})), frozenset(users))
            recusals, out_of = cached
        chosen, skipped = [], []
        while len(chosen) < team and heap:
            entry = heapq.heappop(heap)
            (skipped if entry[2] in out_of else chosen).append(entry)
        for entry in skipped:
            heapq.heappush(heap, entry)
        if len(chosen) < team:
            raise NotEnoughInspectors(place_id, len(chosen), team)
        for count, _key, user_id in chosen:
            heapq.heappush(heap, (count + 1, rng.below(TIE_KEYS), user_id))
        chosen = [user_id for _c, _k, user_id in chosen]
        out.append(Drawn(place_id, stratum, order, tuple(chosen), recusals))
    return out


def draw(seed: str, version: str, pool: Sequence[tuple[int, str]], ratios: Mapping[str, object],
         inspectors: Sequence[Inspector],
         facts_for: Callable[[list[int]], Mapping[int, PlaceFacts]] | Mapping[int, PlaceFacts],
         team: int = MIN_TEAM) -> Result:
    """Places, then inspectors. `facts_for` is called with the drawn place ids only (a
    database reads the facts of a few thousand places, not of the whole pool)."""
    places = draw_places(seed, version, pool, ratios)
    facts = facts_for([pid for pid, _ in places]) if callable(facts_for) else facts_for
    return Result(assign_inspectors(seed, version, places, inspectors, facts, team))


def compare(first: Sequence[Drawn], second: Sequence[Drawn]) -> list[str]:
    """What differs between two draws, one line per order position (empty: identical)."""
    out = []
    for n in range(max(len(first), len(second))):
        a = first[n] if n < len(first) else None
        b = second[n] if n < len(second) else None
        if a is None or b is None:
            out.append(f"#{n + 1}: {'missing' if a is None else a.place_id} ≠ "
                       f"{'missing' if b is None else b.place_id}")
        elif (a.place_id, a.stratum) != (b.place_id, b.stratum):
            out.append(f"#{n + 1}: place {a.place_id} ({a.stratum}) ≠ {b.place_id} ({b.stratum})")
        elif tuple(a.inspectors) != tuple(b.inspectors):
            out.append(f"#{n + 1}: place {a.place_id} inspectors {list(a.inspectors)} ≠ "
                       f"{list(b.inspectors)}")
        elif sorted(a.recusals) != sorted(b.recusals):
            out.append(f"#{n + 1}: place {a.place_id} recusals differ")
    return out
