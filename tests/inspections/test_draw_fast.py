"""The fast paths of the draw give exactly fl-draw-1's output: the compact pool
(draws.Pool) against the (id, stratum) list, its snapshot bytes, and assign_inspectors'
per-street shortcut against the reference implementation it replaced (kept here verbatim)."""

import heapq

from hypothesis import given, settings
from hypothesis import strategies as st

from fireledger.inspections import draws
from fireledger.inspections import services_draws as sd
from fireledger.inspections.draws import Drawn, Inspector, PlaceFacts

V = draws.ALGORITHM_VERSION
STRATA = ["red/crowded", "blue/other", "ungraded/other", "high_rise_public"]
pools = st.lists(st.tuples(st.integers(1, 10**12), st.sampled_from(STRATA)), max_size=300) \
    .map(lambda rows: sorted({pid: s for pid, s in rows}.items()))
ratios = st.dictionaries(st.sampled_from(STRATA),
                         st.sampled_from([0, 1, 2.5, 5, 10, "12.5", 33, 100]))


def as_pool(rows):
    groups = {}
    for pid, s in rows:
        groups.setdefault(s, []).append(pid)
    return draws.Pool(groups)


@settings(max_examples=80, deadline=None)
@given(rows=pools, ratios=ratios, seed=st.text(min_size=1, max_size=12))
def test_pool_columns_draw_and_snapshot_as_the_list(rows, ratios, seed):
    pool = as_pool(rows)
    assert list(pool) == rows and len(pool) == len(rows)
    assert draws.draw_places(seed, V, pool, ratios) == draws.draw_places(seed, V, rows, ratios)
    assert sd.encode_pool(pool) == sd.encode_pool(rows)
    assert sd.decode_pool(*sd.encode_pool(pool)) == rows
    assert list(sd.decode_pool(*sd.encode_pool(rows), as_pool=True)) == rows


def test_pool_refuses_unsorted_or_shared_ids():
    import pytest

    with pytest.raises(draws.DrawError):
        draws.Pool({"a": [2, 1]})
    with pytest.raises(draws.DrawError):
        draws.Pool({"a": [1, 2], "b": [2]}).keyed()


def reference_assign(seed, version, places, inspectors, facts, team=2):
    """fl-draw-1's assign_inspectors as first written (commit ac137d0)."""
    pool = sorted(inspectors, key=lambda i: i.user_id)
    rng = draws._Rng(version, seed, "inspectors")
    ids = [i.user_id for i in pool]
    load = dict.fromkeys(ids, 0)
    heap = [(0, rng.below(draws.TIE_KEYS), user_id) for user_id in ids]
    heapq.heapify(heap)
    by_street, by_unit = {}, {}
    for i in pool:
        for street in i.streets:
            by_street.setdefault(street, []).append(i.user_id)
        for unit in i.organisations:
            by_unit.setdefault(unit, []).append(i.user_id)
    out = []
    empty = PlaceFacts()
    for order, (place_id, stratum) in enumerate(places, start=1):
        f = facts.get(place_id, empty)
        recused = [(u, "street") for u in by_street.get(f.street, ())] if f.street else []
        for unit in sorted(f.organisations, key=str):
            recused += [(u, "unit") for u in by_unit.get(unit, ())]
        recused += [(u, "last_inspection") for u in sorted(f.last_inspectors) if u in load]
        out_of = {u for u, _ in recused}
        chosen, skipped = [], []
        while len(chosen) < team and heap:
            entry = heapq.heappop(heap)
            (skipped if entry[2] in out_of else chosen).append(entry)
        for entry in skipped:
            heapq.heappush(heap, entry)
        if len(chosen) < team:
            raise draws.NotEnoughInspectors(place_id, len(chosen), team)
        for count, _key, user_id in chosen:
            heapq.heappush(heap, (count + 1, rng.below(draws.TIE_KEYS), user_id))
        chosen = [user_id for _c, _k, user_id in chosen]
        out.append(Drawn(place_id, stratum, order, tuple(chosen), tuple(sorted(set(recused)))))
    return out


@settings(max_examples=80, deadline=None)
@given(data=st.data(), seed=st.text(min_size=1, max_size=12),
       ids=st.lists(st.integers(1, 40), min_size=2, max_size=14, unique=True),
       n=st.integers(0, 120), team=st.integers(2, 3))
def test_assign_inspectors_as_the_reference(data, seed, ids, n, team):
    streets = ["", "s1", "s2", "s3", "s4"]
    inspectors = [Inspector(u, frozenset(data.draw(st.sets(st.sampled_from(streets[1:]),
                                                           max_size=2))),
                            frozenset(data.draw(st.sets(st.integers(1, 6), max_size=2))))
                  for u in ids]
    places = [(pid, "a") for pid in range(1, n + 1)]
    facts = {pid: PlaceFacts(
        data.draw(st.sampled_from(streets)),
        frozenset(data.draw(st.sets(st.integers(1, 9), max_size=3))),
        frozenset(data.draw(st.sets(st.integers(1, 45), max_size=2))))
        for pid in range(1, n + 1) if data.draw(st.booleans())}
    try:
        expected = reference_assign(seed, V, places, inspectors, facts, team)
    except draws.NotEnoughInspectors as e:
        try:
            draws.assign_inspectors(seed, V, places, inspectors, facts, team)
        except draws.NotEnoughInspectors as again:
            assert (again.place_id, again.eligible) == (e.place_id, e.eligible)
            return
        raise AssertionError("the fast path drew where the reference refused") from None
    assert draws.assign_inspectors(seed, V, places, inspectors, facts, team) == expected
