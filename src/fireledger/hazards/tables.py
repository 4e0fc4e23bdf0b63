"""The street summary table (附件1.5.2 of seed 003): one row per place with hazards, the problems
numbered in one cell. `split_items` reads such a cell back into separate problems.

    所属街道 名称 地址 | 排查隐患数量 具体问题 已整改数量 已整改具体问题 | 剩余隐患整改期限 整改责任人 联系电话

具体问题 lists every hazard found at the place; 已整改具体问题 the ones already rectified (closed),
so the open ones are 具体问题 minus 已整改具体问题.
"""

from __future__ import annotations

import datetime
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

# Cells that mean "nothing": an empty list, not one problem called "无".
NOTHING_WORDS = frozenset({"无", "没有", "暂无", "/", "-", "—", "——", "--", "0"})
_CIRCLED = {chr(0x2460 + i): f"({i + 1})" for i in range(20)}  # ① … ⑳
# A list marker: "(1)" or "1." "1、" "1)" "1:", not part of a number ("1.5", "102."); split_items
# takes it only when its number is the next one of the list.
_MARKER = re.compile(r"(?<!\d)(?:\((\d{1,2})\)|(\d{1,2})\s*[.、):](?!\d))")
_UNNUMBERED_SPLIT = re.compile(r"[\n;]+")
_TRIM = " \t\n;,.。、:"


def _normal(text: str) -> str:
    """Full-width forms to plain ones (１．→1.  ；→;  （1）→(1)), circled numbers to (n)."""
    text = "".join(_CIRCLED.get(ch, ch) for ch in text)
    text = unicodedata.normalize("NFKC", text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_items(cell) -> list[str]:
    """The problems of one cell: "1.xxx 2.xxx", "1、xxx；2、xxx", "(1)xxx\\n(2)xxx", "①xxx②xxx".

    Numbering must run 1, 2, 3 …, and a number followed by a digit is no marker, so
    "1.宽度不足1.5米" or "1.二楼2、3号房" stay one item. A cell without numbering is split at line
    breaks and semicolons. Blank, "无" or "/" → no items.
    """
    text = _normal(str(cell if cell is not None else "")).strip()
    if text in NOTHING_WORDS or not text:
        return []
    starts = []  # (marker start, text start)
    expected = 1
    for match in _MARKER.finditer(text):
        number = int(match.group(1) or match.group(2))
        if number != expected or (expected == 1 and text[:match.start()].strip()):
            continue
        starts.append((match.start(), match.end()))
        expected += 1
    if starts:
        ends = [s for s, _e in starts[1:]] + [len(text)]
        pieces = [text[e:end] for (_s, e), end in zip(starts, ends, strict=True)]
    else:
        pieces = _UNNUMBERED_SPLIT.split(text)
    items = [_one_line(p.strip(_TRIM)) for p in pieces]
    return [i for i in items if i and i not in NOTHING_WORDS]


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text).strip()


def item_key(text: str) -> str:
    """What two spellings of one problem share: plain forms, no spaces or punctuation at ends."""
    return re.sub(r"\s+", "", _normal(text)).strip(_TRIM).lower()


def number_items(items) -> str:
    """The cell the other way round: "1.xxx\\n2.xxx", one line per problem ("2. 3号楼…" with a
    space, so a problem that starts with a digit is not read as "2.3")."""
    lines = []
    for n, item in enumerate(items, start=1):
        text = _one_line(str(item))
        lines.append(f"{n}. {text}" if text[:1].isdigit() else f"{n}.{text}")
    return "\n".join(lines)


@dataclass
class SummaryRow:
    """One place's line of the street summary table."""

    place_id: int
    street: str
    name: str
    address: str
    problems: list[str] = field(default_factory=list)   # every hazard found
    rectified: list[str] = field(default_factory=list)  # the closed ones
    deadline: datetime.date | None = None               # latest deadline of the open ones
    person: str = ""
    phone: str = ""

    @property
    def found_count(self) -> int:
        return len(self.problems)

    @property
    def rectified_count(self) -> int:
        return len(self.rectified)


# What street_rows reads per hazard, in this order (one query, ordered by place).
ROW_FIELDS = ("place_id", "place__name", "place__address", "place__responsible_person",
              "place__responsible_phone", "description", "status", "deadline",
              "responsible_person", "responsible_phone")


def summarise(street_name: str, hazards) -> SummaryRow:
    """One place's row from its hazards (tuples of ROW_FIELDS, oldest first).

    The person responsible is the one named on the latest open hazard, else on the latest
    hazard, else the place's own 消防安全责任人.
    """
    from .lifecycle import CLOSED

    first = hazards[0]
    row = SummaryRow(first[0], street_name, first[1], first[2])
    open_person = any_person = None
    for (_pk, _n, _a, _p, _ph, description, status, deadline, person, phone) in hazards:
        row.problems.append(description)
        if status == CLOSED:
            row.rectified.append(description)
        else:
            if deadline and (row.deadline is None or deadline > row.deadline):
                row.deadline = deadline
            if person:
                open_person = (person, phone)
        if person:
            any_person = (person, phone)
    row.person, row.phone = open_person or any_person or (first[3], first[4])
    return row


def street_rows(hazards_queryset, street) -> Iterator[SummaryRow]:
    """The summary rows of `street`: the place's hazards from `hazards_queryset` (already scoped
    to the user) within the street's subtree, streamed one place at a time."""
    from fireledger.core.codes import range_lookup

    rows = (hazards_queryset.filter(**range_lookup("jurisdiction_code", street.prefix))
            .order_by("place__name", "place_id", "found_on", "id")
            .values_list(*ROW_FIELDS).iterator(chunk_size=2000))
    for _place_id, group in itertools.groupby(rows, key=lambda r: r[0]):
        yield summarise(street.name, list(group))
