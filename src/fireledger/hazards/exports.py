"""The statutory tables as .xlsx: a place's two lists (问题隐患清单 and 整改责任清单) and a street's
summary table (附件1.5.2). Headers are the tables' own Chinese ones, whatever the UI language:
officials file them as they are, and the street table imports again (table_import.py).
"""

from __future__ import annotations

import datetime

import xlsxwriter
from django.utils import timezone, translation

from fireledger.places.exports import file_response

from . import tables
from .choices import Source, Status

HAZARD_LIST = "问题隐患清单"
RECTIFICATION_LIST = "整改责任清单"
# (header, width)
HAZARD_COLUMNS = (("序号", 6), ("隐患类别", 22), ("具体问题", 40), ("位置", 16), ("发现日期", 12),
                  ("发现方式", 10), ("是否重大隐患", 8), ("状态", 12))
RECTIFICATION_COLUMNS = (
    ("序号", 6), ("具体问题", 36), ("整改责任单位", 20), ("责任人", 10), ("联系电话", 14),
    ("整改措施", 30), ("整改期限", 12), ("资金来源", 14), ("资金金额（元）", 12),
    ("临时防范措施", 26), ("完成情况/销号日期", 18))

STREET_TITLE = "{street}消防安全隐患排查情况汇总表"
# The seed's two header rows: a group label over four columns, the rest on the first row.
STREET_GROUP = ("存在隐患", 4, 7)  # label, first and last column under it
STREET_COLUMNS = (("序号", 6), ("所属街道", 12), ("名称", 22), ("地址", 26),
                  ("排查隐患数量", 8), ("具体问题", 40), ("已整改数量", 8), ("已整改具体问题", 40),
                  ("剩余隐患整改期限", 14), ("整改责任人", 10), ("联系电话", 14), ("备注", 10))
DATE_FORMAT = "yyyy-mm-dd"
DEADLINE_FORMAT = 'yyyy"年"m"月"d"日前"'
WORKBOOK_OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False,
                    "strings_to_urls": False}


def _formats(workbook) -> dict:
    return {
        "title": workbook.add_format({"bold": True, "font_size": 14, "align": "center",
                                      "valign": "vcenter"}),
        "header": workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1,
                                       "text_wrap": True, "align": "center",
                                       "valign": "vcenter"}),
        "cell": workbook.add_format({"border": 1, "text_wrap": True, "valign": "top"}),
        "date": workbook.add_format({"border": 1, "valign": "top", "num_format": DATE_FORMAT}),
        "deadline": workbook.add_format({"border": 1, "valign": "top",
                                         "num_format": DEADLINE_FORMAT}),
        "money": workbook.add_format({"border": 1, "valign": "top", "num_format": "#,##0.00"}),
    }


def _sheet(workbook, fmt, name: str, title: str, columns) -> object:
    """A sheet with its title row, one header row frozen under it, and the column widths."""
    sheet = workbook.add_worksheet(name)
    sheet.merge_range(0, 0, 0, len(columns) - 1, title, fmt["title"])
    sheet.set_row(0, 28)
    for col, (header, width) in enumerate(columns):
        sheet.set_column(col, col, width)
        sheet.write_string(1, col, header, fmt["header"])
    sheet.set_row(1, 32)
    sheet.freeze_panes(2, 0)
    return sheet


def _write(sheet, row: int, col: int, value, fmt: dict) -> None:
    if value is None or value == "":
        sheet.write_blank(row, col, None, fmt["cell"])
    elif isinstance(value, datetime.date):
        sheet.write_datetime(row, col, value, fmt["date"])
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(row, col, value, fmt["cell"])
    else:
        sheet.write_string(row, col, str(value), fmt["cell"])


def write_book(book, target) -> None:
    """The place's 问题隐患清单 and 整改责任清单, one sheet each, one row per hazard."""
    place = book.place
    workbook = xlsxwriter.Workbook(str(target), WORKBOOK_OPTIONS)
    fmt = _formats(workbook)
    hazards = _sheet(workbook, fmt, HAZARD_LIST, f"{place.name} {HAZARD_LIST}", HAZARD_COLUMNS)
    rectification = _sheet(workbook, fmt, RECTIFICATION_LIST, f"{place.name} {RECTIFICATION_LIST}",
                           RECTIFICATION_COLUMNS)
    with translation.override("zh-hans"):
        status_labels = {k: str(v) for k, v in Status.choices}
        source_labels = {k: str(v) for k, v in Source.choices}
    for n, hazard in enumerate(book.hazards, start=1):
        row = n + 1
        category = hazard.category.name
        if hazard.category.parent_id:
            category = f"{hazard.category.parent.name}·{category}"
        for col, value in enumerate((
                n, category, hazard.description, hazard.location_in_place, hazard.found_on,
                source_labels.get(hazard.source, hazard.source), "是" if hazard.is_major else "否",
                status_labels.get(hazard.status, hazard.status))):
            _write(hazards, row, col, value, fmt)
        done = (f"{status_labels['closed']} {hazard.closed_on:%Y-%m-%d}" if hazard.closed_on
                else status_labels.get(hazard.status, hazard.status))
        for col, value in enumerate((
                n, hazard.description, hazard.responsible_unit, hazard.responsible_person,
                hazard.responsible_phone, hazard.measures, hazard.deadline, hazard.funding_source,
                None, hazard.interim_safeguards, done)):
            _write(rectification, row, col, value, fmt)
        if hazard.funding_amount is not None:
            rectification.write_number(row, 8, float(hazard.funding_amount), fmt["money"])
    workbook.close()


def book_response(book):
    name = f"{book.place.name}-问题隐患清单和整改责任清单-{timezone.localdate():%Y%m%d}.xlsx"
    return file_response(lambda path: write_book(book, path), name)


def write_street_table(street_name: str, rows, target) -> int:
    """附件1.5.2 for one street, streamed: constant memory whatever the number of places.

    Two header rows as in the seed, without the vertical merges (xlsxwriter cannot merge across
    rows already flushed in constant-memory mode): a column's label stands in the first row.
    """
    workbook = xlsxwriter.Workbook(str(target), {**WORKBOOK_OPTIONS, "constant_memory": True})
    fmt = _formats(workbook)
    sheet = workbook.add_worksheet("附件1.5.2")
    last = len(STREET_COLUMNS) - 1
    sheet.merge_range(0, 0, 0, last, STREET_TITLE.format(street=street_name), fmt["title"])
    sheet.set_row(0, 28)
    group, first, end = STREET_GROUP
    for col, (header, width) in enumerate(STREET_COLUMNS):
        sheet.set_column(col, col, width)
        if first < col <= end:
            continue
        if col == first:
            sheet.merge_range(1, first, 1, end, group, fmt["header"])
        else:
            sheet.write_string(1, col, header, fmt["header"])
    for col, (header, _width) in enumerate(STREET_COLUMNS):
        if first <= col <= end:
            sheet.write_string(2, col, header, fmt["header"])
        else:
            sheet.write_blank(2, col, None, fmt["header"])
    sheet.freeze_panes(3, 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        r = count + 2
        for col, value in enumerate((
                count, row.street, row.name, row.address, row.found_count,
                tables.number_items(row.problems), row.rectified_count,
                tables.number_items(row.rectified))):
            _write(sheet, r, col, value, fmt)
        if row.deadline:
            sheet.write_datetime(r, 8, row.deadline, fmt["deadline"])
        else:
            sheet.write_blank(r, 8, None, fmt["cell"])
        for col, value in ((9, row.person), (10, row.phone), (11, "")):
            _write(sheet, r, col, value, fmt)
    workbook.close()
    return count


def street_table_response(street, rows):
    name = f"{street.name}隐患排查情况汇总表-{timezone.localdate():%Y%m%d}.xlsx"
    return file_response(lambda path: write_street_table(street.name, rows, path), name)
