"""The derived-flag rules against the numbers in DOMAIN.md and the seeds."""

import pytest

from fireledger.places.rules import Criterion, Facts, derive, high_rise, mall_in_focus, old_compound, suggested_key_unit


@pytest.mark.parametrize("use,height,floors,expected", [
    ("residential", 27, 9, False),      # exactly 27 m is not "higher than 27 m"
    ("residential", 27.1, 9, True),
    ("public", 24, 8, False),
    ("public", 24.1, 8, True),
    ("mixed", 25, 8, True),             # 商住楼: judged as non-residential (24 m)
    ("residential", 25, 8, False),
    ("industrial", 30, 1, False),       # single-storey factory/warehouse never high-rise
    ("industrial", 30, 6, True),
])
def test_high_rise_thresholds(use, height, floors, expected):
    finding = high_rise(Facts(category="high_rise", building_use=use, height_m=height, floors_above=floors))
    assert finding.value is expected
    assert finding.reason


def test_high_rise_reason_names_threshold_and_height():
    finding = high_rise(Facts(category="residential", building_use="residential", height_m=30))
    assert "27 m" in finding.reason and finding.params == {"height": "30"}


def test_height_unknown_is_said():
    assert high_rise(Facts(category="mall")).reason == "Height not recorded"


@pytest.mark.parametrize("year,expected", [(1999, True), (2000, False), (1985, True)])
def test_old_compound_before_2000(year, expected):
    assert old_compound(Facts(category="old_compound", year_built=year)).value is expected


def test_old_compound_only_for_housing():
    assert old_compound(Facts(category="hotel", building_use="public", year_built=1990)).value is False


@pytest.mark.parametrize("above,below,total,expected", [
    (1000, None, None, True),    # "地上1000平方米 … 以上" includes 1000
    (999, None, None, False),
    (None, 500, None, True),
    (800, 499, None, False),
    (None, None, 1788, True),    # seed 003 example row: 面积 1788 (not split)
    (None, None, 999, False),
])
def test_mall_in_focus(above, below, total, expected):
    f = Facts(category="mall", area_above=above, area_below=below, area_total=total)
    assert mall_in_focus(f).value is expected


def test_mall_rule_ignores_other_categories():
    assert mall_in_focus(Facts(category="hotel", area_above=5000)).value is False


CRITERIA = [
    Criterion("mall", "area_total", 1000, "商场建筑面积", "公通字〔2001〕97号"),
    Criterion("hotel", "guest_rooms", 50, "客房数", "公通字〔2001〕97号"),
    Criterion("petrochemical", "always", 0, "易燃易爆化学物品生产单位", "公通字〔2001〕97号"),
]


@pytest.mark.parametrize("facts,expected", [
    (Facts(category="hotel", guest_rooms=50), True),        # 50 间以上 includes 50
    (Facts(category="hotel", guest_rooms=49), False),
    (Facts(category="mall", area_above=600, area_below=400), True),  # total of split areas
    (Facts(category="mall", area_above=600), False),
    (Facts(category="petrochemical"), True),
    (Facts(category="school", beds=500), False),           # no criterion given for schools
])
def test_suggested_key_unit(facts, expected):
    assert suggested_key_unit(facts, CRITERIA).value is expected


def test_derive_returns_every_flag():
    assert set(derive(Facts(category="mall"), CRITERIA)) == {
        "is_high_rise", "is_old_compound", "is_mall_in_focus", "suggested_key_unit"}
