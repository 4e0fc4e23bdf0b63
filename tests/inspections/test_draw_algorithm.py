"""The pure draw (inspections/draws.py), property-tested: deterministic for a seed, ceil of
the ratio per stratum, no recused inspector, a team of at least two or an error naming the
place."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fireledger.inspections import draws
from fireledger.inspections.draws import Inspector, PlaceFacts

V = draws.ALGORITHM_VERSION
STRATA = ["red/crowded", "blue/other", "ungraded/other", "high_rise_public"]

pools = st.lists(st.tuples(st.integers(1, 10_000), st.sampled_from(STRATA)), max_size=300) \
    .map(lambda rows: sorted({pid: s for pid, s in rows}.items()))
ratios = st.dictionaries(st.sampled_from(STRATA),
                         st.sampled_from([0, 1, 2.5, 5, 10, "12.5", 33, 100]))
seeds = st.text(min_size=1, max_size=20)


@settings(max_examples=60, deadline=None)
@given(pool=pools, ratios=ratios, seed=seeds)
def test_same_seed_same_draw_and_ratio_per_stratum(pool, ratios, seed):
    first = draws.draw_places(seed, V, pool, ratios)
    assert first == draws.draw_places(seed, V, list(pool), dict(ratios))
    assert len({pid for pid, _ in first}) == len(first)
    members = dict(pool)
    for stratum in STRATA:
        n = sum(1 for _, s in pool if s == stratum)
        got = [pid for pid, s in first if s == stratum]
        assert len(got) == math.ceil(n * draws.percent(ratios.get(stratum, 0)) / 100)
        assert all(members[pid] == stratum for pid in got)


def test_seed_changes_the_draw():
    pool = [(i, "a") for i in range(1, 1001)]
    a = draws.draw_places("1", V, pool, {"a": 5})
    b = draws.draw_places("2", V, pool, {"a": 5})
    assert len(a) == len(b) == 50 and a != b


def test_known_output_is_pinned():
    """The algorithm version's output must never change: a stored draw is reproduced by it."""
    pool = [(i, "a" if i % 3 else "b") for i in range(1, 101)]
    got = draws.draw_places("seed", V, pool, {"a": 10, "b": 10})
    assert got == PINNED


PINNED = [(4, "a"), (70, "a"), (74, "a"), (11, "a"), (43, "a"), (28, "a"), (98, "a"),
          (72, "b"), (15, "b"), (51, "b"), (87, "b")]


inspector_ids = st.lists(st.integers(1, 50), min_size=0, max_size=12, unique=True)


@settings(max_examples=60, deadline=None)
@given(pool=pools, seed=seeds, ids=inspector_ids, data=st.data())
def test_inspectors_never_recused_and_team_of_two(pool, seed, ids, data):
    streets = ["s1", "s2", "s3"]
    inspectors = [Inspector(u, frozenset(data.draw(st.sets(st.sampled_from(streets), max_size=2))),
                            frozenset(data.draw(st.sets(st.integers(1, 4), max_size=1))))
                  for u in ids]
    places = draws.draw_places(seed, V, pool, {s: 20 for s in STRATA})
    facts = {pid: PlaceFacts(streets[pid % 3], frozenset({pid % 5}),
                             frozenset(ids[:1] if pid % 2 else ()))
             for pid, _ in places}
    try:
        out = draws.assign_inspectors(seed, V, places, inspectors, facts)
    except draws.NotEnoughInspectors as e:
        f = facts[e.place_id]
        eligible = [i for i in inspectors if not draws.recusal_reasons(i, f)]
        assert len(eligible) < 2 and e.eligible == len(eligible)
        assert str(e.place_id) in str(e)
        return
    assert out == draws.assign_inspectors(seed, V, places, inspectors, facts)
    by_id = {i.user_id: i for i in inspectors}
    for d in out:
        assert len(d.inspectors) == 2 and len(set(d.inspectors)) == 2
        f = facts[d.place_id]
        for u in d.inspectors:
            assert not draws.recusal_reasons(by_id[u], f)
        recused = {u for u, _ in d.recusals}
        assert recused == {i.user_id for i in inspectors if draws.recusal_reasons(i, f)}


def test_recusal_reasons():
    f = PlaceFacts("500101001", frozenset({7}), frozenset({3}))
    assert draws.recusal_reasons(Inspector(3, frozenset({"500101001"}), frozenset({7})), f) == (
        draws.RECUSE_STREET, draws.RECUSE_UNIT, draws.RECUSE_LAST)
    assert draws.recusal_reasons(Inspector(4, frozenset({"500101002"})), f) == ()


def test_load_is_spread_evenly():
    places = [(i, "a") for i in range(1, 41)]
    out = draws.assign_inspectors("x", V, places, [Inspector(u) for u in range(1, 9)], {})
    counts = {}
    for d in out:
        for u in d.inspectors:
            counts[u] = counts.get(u, 0) + 1
    assert set(counts.values()) == {10}


def test_bad_inputs_refused():
    with pytest.raises(draws.DrawError):
        draws.draw_places("s", "fl-draw-0", [(1, "a")], {"a": 5})
    with pytest.raises(draws.DrawError):
        draws.draw_places("s", V, [(2, "a"), (1, "a")], {"a": 5})
    with pytest.raises(draws.DrawError):
        draws.draw_places("s", V, [(1, "a")], {"a": 101})
    with pytest.raises(draws.DrawError):
        draws.assign_inspectors("s", V, [], [Inspector(1)], {}, team=1)


def test_compare_names_differences():
    a = [draws.Drawn(1, "a", 1, (1, 2)), draws.Drawn(2, "a", 2, (3, 4))]
    b = [draws.Drawn(1, "a", 1, (1, 2)), draws.Drawn(2, "a", 2, (4, 3))]
    assert draws.compare(a, a) == []
    assert draws.compare(a, b) == ["#2: place 2 inspectors [3, 4] ≠ [4, 3]"]
    assert draws.compare(a, a[:1]) == ["#2: 2 ≠ missing"]
