"""GB 35181 determination engine: pure rules, no database."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fireledger.hazards import gb35181_2017 as d17
from fireledger.hazards.gb35181 import (
    GB35181_2017,
    OUTCOMES,
    RULE_SETS,
    Finding,
    determine,
)

RS = GB35181_2017
DIRECT = RS.direct_codes
COMP = RS.comprehensive_codes
ALL_CODES = DIRECT + COMP
CROWDED, FLAMMABLE = d17.PLACE_CROWDED, d17.PLACE_FLAMMABLE
IMPORTANT, OTHER = d17.PLACE_IMPORTANT, d17.PLACE_OTHER

# Codes outside both specific rows (only counted by the "any ch. 7 element" rows).
CROWDED_ROW = ("7.3.1", "7.3.2", "7.3.3", "7.3.4", "7.3.5", "7.3.6", "7.3.7", "7.3.8", "7.3.9",
               "7.5", "7.9.3")
FLAMMABLE_ROW = ("7.1.1", "7.1.2", "7.1.3", "7.4.5", "7.4.6")
NEUTRAL = tuple(c for c in COMP if c not in CROWDED_ROW and c not in FLAMMABLE_ROW)


def run(codes, place=OTHER, **kw):
    return determine(RS, [Finding(c) for c in codes], place_class=place, **kw)


# --- data ---------------------------------------------------------------------------------------

def test_registry_and_counts():
    assert set(RULE_SETS) == {"GB 35181-2017", "GB 35181-2025"}
    assert RULE_SETS["GB 35181-2017"].complete is True
    assert RULE_SETS["GB 35181-2025"].complete is False
    assert DIRECT == tuple(f"6.{i}" for i in range(1, 11))
    assert len(COMP) == 39
    assert len(set(ALL_CODES)) == len(ALL_CODES)
    assert {e.code for e in RS.elements if e.kind == "direct" and not e.verified} == {"6.8", "6.10"}
    verified_comp = {e.code for e in RS.elements if e.kind == "comprehensive" and e.verified}
    assert verified_comp == {"7.3.6", "7.3.7"}
    assert all(not r.verified for r in RS.counting_rules)  # §1.6 is [G]
    assert all(e.source for e in RS.elements)


def test_counting_rule_data_matches_reference():
    rows = {r.rule_id: r for r in RS.counting_rules}
    assert rows["5.3-crowded"].counted_codes == CROWDED_ROW and rows["5.3-crowded"].threshold == 3
    assert rows["5.3-flammable"].counted_codes == FLAMMABLE_ROW
    assert rows["5.3-flammable"].threshold == 3
    assert rows["5.3-any4"].counted_codes is None and rows["5.3-any4"].threshold == 4
    assert set(rows["5.3-any4"].place_classes) == {CROWDED, FLAMMABLE, IMPORTANT}
    assert rows["5.3-other"].counted_codes is None and rows["5.3-other"].threshold == 6
    for r in RS.counting_rules:
        for c in r.counted_codes or ():
            assert RS.element(c).kind == "comprehensive"


# --- direct -------------------------------------------------------------------------------------

@pytest.mark.parametrize("code", DIRECT)
@pytest.mark.parametrize("place", d17.PLACE_CLASSES)
def test_each_direct_element_alone_is_direct(code, place):
    d = run([code], place)
    assert d.outcome == "direct"
    assert d.elements_cited == (code,)
    assert d.proposal_only is True


def test_mixed_direct_and_comprehensive_cites_direct_only():
    d = run(["7.3.1", "6.5", "7.3.2", "7.3.3", "6.1", "7.5"], CROWDED)
    assert d.outcome == "direct"
    assert d.elements_cited == ("6.1", "6.5")


def test_unverified_basis_listed():
    d = run(["6.8", "6.1"])
    assert d.unverified_basis == ("6.8",)


# --- exclusions ---------------------------------------------------------------------------------

@pytest.mark.parametrize("excl", ["5.1.3(a)", "5.1.3(b)", "5.1.3(c)"])
def test_claimed_exclusion_excludes_direct(excl):
    d = run(["6.4"], exclusions_claimed=[excl])
    assert d.outcome == "excluded"
    assert d.excluded_by == (excl,)
    assert "direct" in d.explanation


def test_exclusion_on_comprehensive_and_on_nothing():
    d = run(NEUTRAL[:6], OTHER, exclusions_claimed=["5.1.3(b)", "5.1.3(b)"])
    assert d.outcome == "excluded" and d.excluded_by == ("5.1.3(b)",)
    assert run([], exclusions_claimed=["5.1.3(c)"]).outcome == "excluded"


def test_unknown_exclusion_raises():
    with pytest.raises(ValueError, match="5.1.9"):
        run(["6.1"], exclusions_claimed=["5.1.9"])


def test_corrected_on_spot_not_counted():
    d = determine(RS, [Finding("6.1", corrected_on_spot=True)], place_class=OTHER)
    assert d.outcome == "not_major" and d.ignored == ("6.1",)
    # the same element also found uncorrected still counts
    d = determine(RS, [Finding("6.1", corrected_on_spot=True), Finding("6.1")], place_class=OTHER)
    assert d.outcome == "direct" and d.ignored == ()


# --- counting thresholds at their boundaries ----------------------------------------------------

@pytest.mark.parametrize("place,pool,threshold,rule_id", [
    (CROWDED, CROWDED_ROW, 3, "5.3-crowded"),
    (FLAMMABLE, FLAMMABLE_ROW, 3, "5.3-flammable"),
    (CROWDED, NEUTRAL, 4, "5.3-any4"),
    (FLAMMABLE, NEUTRAL, 4, "5.3-any4"),
    (IMPORTANT, NEUTRAL, 4, "5.3-any4"),
    (IMPORTANT, CROWDED_ROW, 4, "5.3-any4"),
    (OTHER, NEUTRAL, 6, "5.3-other"),
    (OTHER, CROWDED_ROW, 6, "5.3-other"),
])
def test_threshold_boundaries(place, pool, threshold, rule_id):
    below = run(pool[:threshold - 1], place)
    assert below.outcome == "not_major"
    at = run(pool[:threshold], place)
    assert at.outcome == "comprehensive"
    def clause(code):
        return [int(p) for p in code.split(".")]
    assert at.elements_cited == tuple(sorted(pool[:threshold], key=clause))
    fired = [r for r in at.counts if r.met]
    assert rule_id in {r.rule_id for r in fired}
    row = next(r for r in fired if r.rule_id == rule_id)
    assert row.threshold == threshold and row.count == threshold
    assert rule_id in at.unverified_basis


def test_rows_only_apply_to_their_place_class():
    # three crowded-row elements do not make an "other" place or a flammable place major
    assert run(CROWDED_ROW[:3], OTHER).outcome == "not_major"
    assert run(CROWDED_ROW[:3], FLAMMABLE).outcome == "not_major"
    assert run(FLAMMABLE_ROW[:3], CROWDED).outcome == "not_major"
    # a place of several classes gets every applicable row
    assert run(FLAMMABLE_ROW[:3], [CROWDED, FLAMMABLE]).outcome == "comprehensive"


def test_duplicate_findings_count_once():
    assert run(["7.3.1", "7.3.1", "7.3.2"], CROWDED).outcome == "not_major"


# --- errors and the 2025 set --------------------------------------------------------------------

def test_unknown_element_code_raises_naming_it():
    with pytest.raises(ValueError, match=r"7\.99"):
        run(["6.1", "7.99"])


def test_unknown_place_class_raises():
    with pytest.raises(ValueError, match="儿童活动场所"):
        run(["6.1"], "儿童活动场所")
    with pytest.raises(ValueError):
        run(["6.1"], [])


def test_2025_is_incomplete_never_not_major():
    rs = RULE_SETS["GB 35181-2025"]
    for findings in ([], [Finding("6.1")], [Finding("5.1")]):
        d = determine(rs, findings, place_class="人员密集场所")
        assert d.outcome == "incomplete_rules"
        assert d.missing and d.missing == rs.missing
        assert d.elements_cited == ()
        assert d.proposal_only is True


# --- properties ---------------------------------------------------------------------------------

codes_st = st.sets(st.sampled_from(ALL_CODES))
places_st = st.sets(st.sampled_from(d17.PLACE_CLASSES), min_size=1)
excl_st = st.sets(st.sampled_from([x.code for x in RS.exclusions]), max_size=2)


@settings(max_examples=300, deadline=None)
@given(codes=codes_st, extra=codes_st, places=places_st, excl=excl_st)
def test_properties(codes, extra, places, excl):
    d = run(sorted(codes), places, exclusions_claimed=sorted(excl))
    assert d.outcome in OUTCOMES
    assert d.outcome != "incomplete_rules"
    assert set(d.elements_cited) <= codes
    if excl:
        assert d.outcome == "excluded"
    elif codes & set(DIRECT):
        assert d.outcome == "direct"
        assert set(d.elements_cited) == codes & set(DIRECT)

    # monotone: adding findings never turns a major proposal into not_major
    small = run(sorted(codes), places)
    big = run(sorted(codes | extra), places)
    if small.outcome in ("direct", "comprehensive"):
        assert big.outcome in ("direct", "comprehensive")
    if small.outcome == "direct":
        assert big.outcome == "direct"
