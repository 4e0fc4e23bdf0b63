"""The splitter of the street summary table's problem cells, its inverse, and the deadline cell."""

import datetime

import random

import pytest

from fireledger.hazards.table_import import parse_deadline
from fireledger.hazards.tables import item_key, number_items, split_items
from fireledger.places.sheets import ValueProblem


@pytest.mark.parametrize("cell, items", [
    # The seed's own cells (附件1.5.2 of 003).
    ("1.xxx.\n2.xx.\n3.xxx", ["xxx", "xx", "xxx"]),
    ("1.xxx；2.xxx；", ["xxx", "xxx"]),
    # Separators: spaces, 、 after the number, Chinese and English semicolons, commas.
    ("1.堆放杂物 2.灭火器过期", ["堆放杂物", "灭火器过期"]),
    ("1、堆放杂物；2、灭火器过期", ["堆放杂物", "灭火器过期"]),
    ("1、堆放杂物;2、灭火器过期;", ["堆放杂物", "灭火器过期"]),
    ("1.堆放杂物，2.灭火器过期。", ["堆放杂物", "灭火器过期"]),
    ("1)堆放杂物 2)灭火器过期", ["堆放杂物", "灭火器过期"]),
    ("1:堆放杂物 2:灭火器过期", ["堆放杂物", "灭火器过期"]),
    # Full-width digits, points, spaces, brackets and semicolons.
    ("１．楼梯间堆物　２．灭火器过期", ["楼梯间堆物", "灭火器过期"]),
    ("１、楼梯间堆物；２、灭火器过期；", ["楼梯间堆物", "灭火器过期"]),
    ("（1）楼梯间堆物\n（2）灭火器过期", ["楼梯间堆物", "灭火器过期"]),
    ("(1)楼梯间堆物(2)灭火器过期", ["楼梯间堆物", "灭火器过期"]),
    ("①楼梯间堆物②灭火器过期③电线私拉", ["楼梯间堆物", "灭火器过期", "电线私拉"]),
    # Newlines: Windows line ends, blank lines, an item broken over two lines.
    ("1.楼梯间堆物\r\n2.灭火器过期\r\n", ["楼梯间堆物", "灭火器过期"]),
    ("1.楼梯间堆物\n\n2.灭火器\n过期", ["楼梯间堆物", "灭火器 过期"]),
    # No separator before the next number.
    ("1.楼梯间堆物2.灭火器过期", ["楼梯间堆物", "灭火器过期"]),
    # Numbers inside an item are not markers: decimals, room numbers, out-of-order numbers.
    ("1.通道宽度不足1.5米 2.灭火器过期", ["通道宽度不足1.5米", "灭火器过期"]),
    ("1.二楼2、3号房堆物", ["二楼2、3号房堆物"]),
    ("1.房间102.堆物", ["房间102.堆物"]),
    ("1.共3处堆物 2.灭火器过期", ["共3处堆物", "灭火器过期"]),
    ("1.a 3.b 2.c", ["a 3.b", "c"]),
    ("10.x", ["10.x"]),
    # Two-digit numbering.
    ("".join(f"{n}.问题{n} " for n in range(1, 13)), [f"问题{n}" for n in range(1, 13)]),
    # Unnumbered cells: one item, or one per line / semicolon.
    ("楼梯间堆物", ["楼梯间堆物"]),
    ("楼梯间堆物；灭火器过期\n电线私拉", ["楼梯间堆物", "灭火器过期", "电线私拉"]),
    ("说明：1.a 2.b", ["说明:1.a 2.b"]),
    # Nothing.
    ("", []), (None, []), ("无", []), ("/", []), ("——", []), ("  \n ", []),
    # An empty numbered item is dropped (so the count check catches it).
    ("1.楼梯间堆物\n2.\n3.灭火器过期", ["楼梯间堆物", "灭火器过期"]),
])
def test_split_items(cell, items):
    assert split_items(cell) == items


def test_a_number_cell_is_one_item():
    assert split_items(12) == ["12"]


def test_number_items_is_what_split_items_reads():
    items = ["楼梯间堆物", "灭火器过期", "通道宽度不足1.5米"]
    assert number_items(items) == "1.楼梯间堆物\n2.灭火器过期\n3.通道宽度不足1.5米"
    assert split_items(number_items(items)) == items


def test_number_items_keeps_one_item_on_one_line():
    assert split_items(number_items(["灭火器\n过期", "堆物"])) == ["灭火器 过期", "堆物"]


# Problems as written: words, numbers, spaces (a list marker inside a problem, "…3、…", is
# ambiguous by nature and left out).
ALPHABET = "楼梯间堆物灭火器过期电线私拉安全出口锁闭 0123456789米层号"
REAL = ["通道宽度不足1.5米", "2、3号楼消火栓无水", "8:30后无人值班", "（地下室）电动车充电"]


def test_round_trip():
    """Whatever problems the system holds (that read as one item alone), the cell it writes
    reads back as the same list. (Seeded random lists: hypothesis is not installed.)"""
    rng = random.Random(35181)
    for _case in range(500):
        items = []
        while len(items) < rng.randint(1, 12):
            text = rng.choice(REAL) if rng.random() < 0.2 else "".join(
                rng.choice(ALPHABET) for _ in range(rng.randint(1, 20))).strip()
            if text and split_items(text) == [text]:
                items.append(text)
        assert split_items(number_items(items)) == items, items


def test_item_key_ignores_width_spaces_and_end_punctuation():
    assert item_key("楼梯间 堆物；") == item_key("楼梯间堆物") == item_key("楼梯间堆物。")
    assert item_key("ＡＢ１") == item_key("ab1")
    assert item_key("楼梯间堆物") != item_key("灭火器过期")


TODAY = datetime.date(2025, 3, 10)


@pytest.mark.parametrize("value, expected", [
    (datetime.date(2025, 6, 30), datetime.date(2025, 6, 30)),
    (datetime.datetime(2025, 6, 30, 0, 0), datetime.date(2025, 6, 30)),
    ("2025-06-30", datetime.date(2025, 6, 30)),
    ("2025/6/30", datetime.date(2025, 6, 30)),
    ("2025.6.30", datetime.date(2025, 6, 30)),
    ("2025年6月30日", datetime.date(2025, 6, 30)),
    ("2025年6月30日前", datetime.date(2025, 6, 30)),
    ("２０２５年６月３０日之前", datetime.date(2025, 6, 30)),
    ("2025-06-30 00:00:00", datetime.date(2025, 6, 30)),
    ("6月30日前", datetime.date(2025, 6, 30)),  # the seed's form: this year
    ("6月30日", datetime.date(2025, 6, 30)),
    (" 6 月 30 日前 ", datetime.date(2025, 6, 30)),
])
def test_parse_deadline(value, expected):
    assert parse_deadline(value, TODAY) == expected


@pytest.mark.parametrize("value", ["尽快", "2025-02-30", "13月1日前", "6月底", 45000.0, "年底前"])
def test_parse_deadline_refuses(value):
    with pytest.raises(ValueProblem):
        parse_deadline(value, TODAY)
