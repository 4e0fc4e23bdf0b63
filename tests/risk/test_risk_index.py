"""risk.index: the factors, their sum and the grade, property-tested with hypothesis."""

import dataclasses
import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from fireledger.risk import index

TODAY = datetime.date(2026, 11, 23)
CATEGORIES = sorted(index.DEFAULT_WEIGHTS["category"])
GROUPS = sorted(index.DEFAULT_WEIGHTS["open_hazard"])
maybe_bool = st.sampled_from([True, False, None])

facts = st.builds(
    index.PlaceFacts,
    category=st.sampled_from(CATEGORIES),
    height_m=st.none() | st.floats(0, 400, allow_nan=False),
    year_built=st.none() | st.integers(1900, 2026),
    area=st.none() | st.floats(0, 500_000, allow_nan=False),
    people=st.none() | st.integers(0, 3000),
    is_key_unit=st.booleans(), is_high_rise=st.booleans(),
    has_fire_alarm=maybe_bool, has_sprinkler=maybe_bool, has_hydrant=maybe_bool,
    has_smoke_control=maybe_bool,
    open_by_group=st.dictionaries(st.sampled_from(GROUPS), st.integers(1, 30), max_size=4),
    open_major=st.integers(0, 10), overdue=st.integers(0, 30), rebounds=st.integers(0, 20),
    last_inspected=st.none() | st.dates(datetime.date(2015, 1, 1), TODAY),
    listed=st.integers(0, 4),
)


def score(f):
    return index.score_of(index.factors(f, index.DEFAULT_WEIGHTS, TODAY))


# Each adverse change: a function making the facts worse (or leaving them as they are).
WORSE = {
    "taller": lambda f: dataclasses.replace(f, height_m=(f.height_m or 0) + 30),
    "older": lambda f: dataclasses.replace(f, year_built=(f.year_built or 2026) - 15),
    "larger": lambda f: dataclasses.replace(f, area=(f.area or 0) + 8000),
    "more people": lambda f: dataclasses.replace(f, people=(f.people or 0) + 150),
    "key unit": lambda f: dataclasses.replace(f, is_key_unit=True),
    "alarm missing": lambda f: dataclasses.replace(f, has_fire_alarm=False),
    "sprinkler missing": lambda f: dataclasses.replace(f, has_sprinkler=False),
    "one more open hazard": lambda f: dataclasses.replace(
        f, open_by_group={**(f.open_by_group or {}),
                          "e_bike": (f.open_by_group or {}).get("e_bike", 0) + 1}),
    "one more major hazard": lambda f: dataclasses.replace(f, open_major=f.open_major + 1),
    "one more overdue": lambda f: dataclasses.replace(f, overdue=f.overdue + 1),
    "one more rebound": lambda f: dataclasses.replace(f, rebounds=f.rebounds + 1),
    "one more listing": lambda f: dataclasses.replace(f, listed=f.listed + 1),
    "inspected earlier": lambda f: dataclasses.replace(
        f, last_inspected=f.last_inspected and f.last_inspected - datetime.timedelta(days=200)),
    "never inspected": lambda f: dataclasses.replace(f, last_inspected=None),
}


@settings(max_examples=300, deadline=None)
@given(facts, st.sampled_from(sorted(WORSE)))
def test_monotone_in_each_adverse_factor(f, change):
    assert score(WORSE[change](f)) >= score(f)


@settings(max_examples=300, deadline=None)
@given(facts)
def test_points_sum_to_the_score_and_the_grade_follows_it(f):
    score_, grade, found = index.assess(f, index.DEFAULT_WEIGHTS, index.DEFAULT_CUTOFFS, TODAY)
    assert score_ == sum(points for _k, points, _p in found)
    assert all(points > 0 for _k, points, _p in found)
    assert all(key in index.MESSAGES for key, _points, _p in found)
    assert grade == index.grade(score_, index.DEFAULT_CUTOFFS)


@settings(deadline=None)
@given(st.floats(0, 500, allow_nan=False), st.floats(0, 500, allow_nan=False))
def test_grade_monotone_in_score(a, b):
    low, high = sorted((a, b))
    rank = index.GRADES.index
    assert rank(index.grade(high, index.DEFAULT_CUTOFFS)) <= rank(
        index.grade(low, index.DEFAULT_CUTOFFS))


def test_a_major_hazard_is_a_factor_of_its_own():
    f = index.PlaceFacts(category="mall", open_major=1, last_inspected=TODAY)
    found = dict((k, (p, params)) for k, p, params in index.factors(f, index.DEFAULT_WEIGHTS, TODAY))
    assert found["open_major"] == (index.DEFAULT_WEIGHTS["open_major"], {"count": 1})
    assert "never_inspected" not in found


def test_cut_offs_are_inclusive():
    cut = index.DEFAULT_CUTOFFS
    assert index.grade(cut["red"], cut) == "red"
    assert index.grade(cut["red"] - 0.1, cut) == "orange"
    assert index.grade(cut["yellow"], cut) == "yellow"
    assert index.grade(0, cut) == "blue"


def test_required_systems_only_counted_when_recorded_absent():
    f = index.PlaceFacts(category="hotel", has_fire_alarm=None, has_sprinkler=False,
                         has_hydrant=False, last_inspected=TODAY)
    found = {k: (p, params) for k, p, params in index.factors(f, index.DEFAULT_WEIGHTS, TODAY)}
    # A hotel needs alarm and sprinklers (not hydrants, as it is not high-rise); alarm unknown.
    assert found["missing_systems"] == (index.DEFAULT_WEIGHTS["missing_system"],
                                        {"systems": ["has_sprinkler"]})


def test_check_policy():
    assert index.check_policy(index.DEFAULT_WEIGHTS, index.DEFAULT_CUTOFFS) == []
    bad = {**index.DEFAULT_WEIGHTS, "open_major": -1, "height": [[50, 8], [24, 4]]}
    keys = {p.get("key") for _m, p in index.check_policy(bad, {"red": 10, "orange": 20,
                                                                "yellow": 5})}
    assert {"open_major", "height", None} <= keys
