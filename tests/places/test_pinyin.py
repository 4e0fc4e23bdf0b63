"""Our direct reading of pypinyin's dictionaries agrees with lazy_pinyin(FIRST_LETTER)."""

import random

import pytest
from pypinyin import Style, lazy_pinyin

from fireledger.places.pinyin import initials


def reference(text):
    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")).lower()


@pytest.mark.parametrize("text", [
    "解放碑时代广场", "重庆大都会东方广场购物中心（解放碑店）", "较场口老火锅", "银行", "长江路12号院",
    "重庆市第四十二中学", "渝中区人民医院", "安乐小区", "欧式酒店", "ABC网吧", "",
])
def test_matches_pypinyin(text):
    assert initials(text) == reference(text)


def test_matches_pypinyin_on_random_text():
    rng = random.Random(7)
    common = "".join(chr(c) for c in range(0x4E00, 0x9FA5))
    for _ in range(300):
        text = "".join(rng.choice(common) for _ in range(rng.randint(2, 12)))
        assert initials(text) == reference(text), text
