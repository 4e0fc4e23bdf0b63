"""The statutory hazard tables as streamed .xlsx: the register (问题隐患清单), the rectification
responsibility list (整改责任清单) and the listed-supervision list (挂牌督办清单).

Rows come from one SELECT (the list's own FilterSet and scope, turned into SQL) read in chunks
through a raw cursor — a server-side cursor on PostgreSQL — with no model instances, then go
through `xlsx_stream`. Headers are the tables' own Chinese ones whatever the UI language (the
place book in hazards/exports.py uses the same), as officials file them as they are.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from typing import Callable

from django.db import connection
from django.utils import timezone, translation

from fireledger.core.models import Jurisdiction
from fireledger.hazards import lifecycle
from fireledger.hazards.burndown import STREET_DIGITS
from fireledger.hazards.choices import Source, Status
from fireledger.hazards.filters import HazardFilter, with_overdue
from fireledger.hazards.models import Hazard, HazardCategory

from .xlsx_stream import DATE, NUMBER, Column, StreamingWorkbook

CHUNK = 5000
PREFETCH = 4  # chunks read ahead
YES, NO = "是", "否"


@dataclass(frozen=True)
class Register:
    """One table: its sheet name, columns, the values it reads and how a row is made."""

    title: str
    columns: tuple[Column, ...]
    fields: tuple[str, ...]  # values_list lookups on Hazard (with `overdue` annotated)
    row: Callable  # (n, values, lookups) -> the row's cells


class Lookups:
    """The small tables a row refers to, loaded once: street names, categories, labels."""

    def __init__(self):
        self.streets = {code[:STREET_DIGITS]: name for code, name in
                        Jurisdiction.objects.filter(level="street").values_list("code", "name")}
        rows = list(HazardCategory.objects.values_list("id", "name", "parent_id"))
        names = {pk: name for pk, name, _parent in rows}
        self.categories = {pk: f"{names[parent]}·{name}" if parent in names else name
                           for pk, name, parent in rows}
        with translation.override("zh-hans"):
            self.statuses = {k: str(v) for k, v in Status.choices}
            self.sources = {k: str(v) for k, v in Source.choices}

    def street(self, code: str) -> str:
        return self.streets.get(code[:STREET_DIGITS], "")


def _yes_no(value) -> str:
    return YES if value else NO


def _hazard_row(n, v, lk):
    (code, place, address, category, description, location, found_on, source, major, status,
     deadline, unit, person, phone, measures, interim, closed_on, overdue) = v
    return (n, lk.street(code), place, address, lk.categories.get(category, ""), description,
            location, found_on, lk.sources.get(source, source), _yes_no(major),
            lk.statuses.get(status, status), deadline, unit, person, phone, measures, interim,
            closed_on, _yes_no(overdue))


def _rectification_row(n, v, lk):
    (code, place, description, unit, person, phone, measures, deadline, funding_source,
     funding_amount, interim, status, closed_on) = v
    if closed_on:
        done = f"{lk.statuses[lifecycle.CLOSED]} {str(closed_on)[:10]}"
    else:
        done = lk.statuses.get(status, status)
    return (n, lk.street(code), place, description, unit, person, phone, measures, deadline,
            funding_source, float(funding_amount) if funding_amount is not None else None,
            interim, done)


def _listed_row(n, v, lk):
    (code, place, address, category, description, status, deadline, unit, person, phone,
     interim, listed_on, last_check, lifted_on, overdue) = v
    return (n, lk.street(code), place, address, lk.categories.get(category, ""), description,
            lk.statuses.get(status, status), deadline, unit, person, phone, interim, listed_on,
            last_check, lifted_on, _yes_no(overdue))


W = Column  # (header, width, kind)
REGISTERS = {
    "hazards": Register(
        title="问题隐患清单",
        columns=(W("序号", 7, NUMBER), W("街道", 12), W("场所", 24), W("地址", 28),
                 W("隐患类别", 22), W("具体问题", 40), W("位置", 14), W("发现日期", 12, DATE),
                 W("发现方式", 10), W("是否重大隐患", 8), W("状态", 12), W("整改期限", 12, DATE),
                 W("整改责任单位", 20), W("责任人", 10), W("联系电话", 14), W("整改措施", 30),
                 W("临时防范措施", 26), W("销号日期", 12, DATE), W("是否逾期", 8)),
        fields=("jurisdiction_code", "place__name", "place__address", "category_id",
                "description", "location_in_place", "found_on", "source", "is_major", "status",
                "deadline", "responsible_unit", "responsible_person", "responsible_phone",
                "measures", "interim_safeguards", "closed_on", "overdue"),
        row=_hazard_row),
    "rectifications": Register(
        title="整改责任清单",
        columns=(W("序号", 7, NUMBER), W("街道", 12), W("场所", 24), W("具体问题", 36),
                 W("整改责任单位", 20), W("责任人", 10), W("联系电话", 14), W("整改措施", 30),
                 W("整改期限", 12, DATE), W("资金来源", 14), W("资金金额（元）", 12, NUMBER),
                 W("临时防范措施", 26), W("完成情况/销号日期", 18)),
        fields=("jurisdiction_code", "place__name", "description", "responsible_unit",
                "responsible_person", "responsible_phone", "measures", "deadline",
                "funding_source", "funding_amount", "interim_safeguards", "status", "closed_on"),
        row=_rectification_row),
    "listed": Register(
        title="挂牌督办清单",
        columns=(W("序号", 7, NUMBER), W("街道", 12), W("场所", 24), W("地址", 28),
                 W("隐患类别", 22), W("具体问题", 40), W("状态", 12), W("整改期限", 12, DATE),
                 W("整改责任单位", 20), W("责任人", 10), W("联系电话", 14),
                 W("临时防范措施", 26), W("挂牌日期", 12, DATE), W("最近检查日期", 12, DATE),
                 W("摘牌日期", 12, DATE), W("是否逾期", 8)),
        fields=("jurisdiction_code", "place__name", "place__address", "category_id",
                "description", "status", "deadline", "responsible_unit", "responsible_person",
                "responsible_phone", "interim_safeguards", "listing__decided_on",
                "listing__last_check_on", "listing__lifted_on", "overdue"),
        row=_listed_row),
}


class FilterError(ValueError):
    """The saved filter no longer validates (a value outside the user's scope, say)."""


def hazard_queryset(user, query, kind: str, today=None):
    """The hazards of the list page for `query` (a QueryDict), scoped to the user: the same
    FilterSet and `visible_to` as hazards.views.hazard_list, plus the kind's own condition."""
    queryset = with_overdue(Hazard.objects.visible_to(user, "view"), today)
    hazard_filter = HazardFilter(query, queryset=queryset)
    if not hazard_filter.is_valid():
        raise FilterError("; ".join(f"{field}: {' '.join(errors)}"
                                    for field, errors in hazard_filter.errors.items()))
    queryset = hazard_filter.qs
    if kind == "listed":
        queryset = queryset.filter(listing__decision="listed")
    return queryset


def rows_sql(queryset, register: Register) -> tuple[str, tuple]:
    """The SELECT of the register's values, in the list's order (street, then id)."""
    values = queryset.order_by("jurisdiction_code", "id").values_list(*register.fields)
    return values.query.sql_with_params()


def fetch(sql: str, params, chunk: int = CHUNK, *, prefetch: bool = True):
    """Rows of one SELECT in chunks: a server-side cursor on PostgreSQL (inside the caller's
    transaction), a plain lazy cursor on SQLite. Raw values: ISO strings for SQLite dates.

    With `prefetch`, a reader thread fetches the next chunks (at most PREFETCH of them) while
    the caller formats this one: the database's work (PostgreSQL's server, SQLite's stepping,
    both outside the GIL) overlaps the writer's, so an export takes about the longer of the
    two rather than their sum.
    """
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        if not prefetch:
            while rows := cursor.fetchmany(chunk):
                yield from rows
            return
        chunks: queue.Queue = queue.Queue(maxsize=PREFETCH)
        stop = threading.Event()

        def put(item) -> bool:
            while not stop.is_set():
                try:
                    chunks.put(item, timeout=0.1)
                    return True
                except queue.Full:
                    continue
            return False

        def read() -> None:
            try:
                while True:
                    rows = cursor.fetchmany(chunk)
                    if not put(rows) or not rows:
                        return
            except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
                put(error)

        reader = threading.Thread(target=read, name="export-prefetch", daemon=True)
        reader.start()
        try:
            while True:
                item = chunks.get()
                if isinstance(item, BaseException):
                    raise item
                if not item:
                    return
                yield from item
        finally:
            stop.set()
            reader.join()


def write(register: Register, sql: str, params, path, *, progress=None,
          max_rows: int | None = None, every: int = CHUNK) -> int:
    """Stream the rows of `sql` into an .xlsx at `path`; `progress(done)` every `every` rows."""
    lookups = Lookups()
    make = register.row
    options = {"max_rows": max_rows} if max_rows else {}

    def rows():
        n = 0
        for n, values in enumerate(fetch(sql, params), start=1):
            yield make(n, values, lookups)
            if progress is not None and n % every == 0:
                progress(n)

    with StreamingWorkbook(path, register.title, register.columns, **options) as book:
        return book.write_rows(rows())


def file_name(register: Register, now=None) -> str:
    return f"{register.title}-{timezone.localtime(now):%Y%m%d-%H%M}.xlsx"
