"""Places to Excel: the filtered list streamed to .xlsx, and the empty import template.

The export's header row is the system template's (`sheets.SYSTEM_HEADERS`) and its values are
written the way the import reads them (category labels in Chinese, 是/否, codes as text), so an
exported file imports again. Rows are streamed from the database (`.values_list` +
`.iterator`) into xlsxwriter in constant-memory mode: memory stays flat whatever the size.
"""

from __future__ import annotations

import datetime
import os
import tempfile
from decimal import Decimal

import xlsxwriter
from django.http import FileResponse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from fireledger.core.models import Department, Jurisdiction

from . import sheets
from .choices import Category

EXCEL_MAX_DATA_ROWS = 1_048_575  # one row of the sheet's 1,048,576 is the header
SHEET_NAME = "场所台账"
GUIDE_SHEET_NAME = "填写说明"
LISTS_SHEET_NAME = "选项"
TEXT_COLUMNS = frozenset({"code", "division_code", "responsible_phone", "safety_manager_phone"})

# What each export column is read from (a values_list field, or a computed one).
EXPORT_FIELDS = {
    "code": "code", "name": "name", "category": "category", "building_use": "building_use",
    "street_name": None, "community_name": None, "grid_name": None,
    "division_code": "jurisdiction_code", "address": "address", "building_name": "building_name",
    "department": "department_id", "owner_name": "owner__name", "manager_name": "manager__name",
    "occupant_name": "occupant__name",
}

G_INTRO = gettext_noop(
    "One place per row on the first sheet; keep its header row as it is (columns may be left "
    "out or reordered). Rows are checked in full before anything is saved.")
G_COLUMN = gettext_noop("Column")
G_REQUIRED = gettext_noop("Required")
G_VALUES = gettext_noop("Allowed values")
G_FORMAT = gettext_noop("Format")
G_CATEGORIES = gettext_noop("Categories (Chinese name or code)")
G_JURISDICTION_REQUIRED = gettext_noop("所属街道 or 行政区划代码")


def category_labels() -> dict[str, str]:
    """Category code → its Chinese label (what the template lists and the export writes)."""
    with translation.override("zh-hans"):
        return {code: str(label) for code, label in Category.choices}


def department_names() -> dict[int, str]:
    return {pk: short or name for pk, name, short in
            Department.objects.values_list("id", "name", "short_name")}


class JurisdictionNames:
    """(street, community, grid) names by jurisdiction id, loaded by subtree on demand."""

    def __init__(self):
        self.rows: dict[int, tuple[str, str, str, int | None]] = {}
        self.names: dict[int, tuple[str, str, str]] = {}

    def load(self, ids) -> None:
        """The given jurisdictions and their ancestors, a few queries in all."""
        wanted = set(ids) - self.rows.keys()
        while wanted:
            batch = list(wanted)[:5000]
            wanted -= set(batch)
            before = set(self.rows)
            self._add(Jurisdiction.objects.filter(pk__in=batch))
            wanted |= {parent for key in set(self.rows) - before
                       if (parent := self.rows[key][2]) and parent not in self.rows}

    def _add(self, queryset) -> None:
        for pk, name, level, parent in queryset.values_list("id", "name", "level", "parent_id"):
            self.rows[pk] = (name, level, parent)

    def __call__(self, pk: int) -> tuple[str, str, str]:
        found = self.names.get(pk)
        if found is not None:
            return found
        by_level = {}
        node = pk
        while node is not None:
            if node not in self.rows:
                self._add(Jurisdiction.objects.filter(pk=node))
                if node not in self.rows:
                    break
            name, level, parent = self.rows[node]
            by_level[level] = name
            node = parent
        found = (by_level.get("street", ""), by_level.get("community", ""),
                 by_level.get("grid", ""))
        self.names[pk] = found
        return found


def _formats(workbook):
    return {
        "header": workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1,
                                       "text_wrap": True, "valign": "vcenter"}),
        "required": workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1,
                                         "font_color": "#C00000", "text_wrap": True,
                                         "valign": "vcenter"}),
        "text": workbook.add_format({"num_format": "@"}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
        "bold": workbook.add_format({"bold": True}),
    }


def _header(workbook, sheet, fmt) -> None:
    for col, spec in enumerate(sheets.SYSTEM_COLUMNS):
        width = 28 if spec.kind == sheets.LONG_TEXT else 18 if spec.kind == sheets.TEXT else 12
        sheet.set_column(col, col, width, fmt["text"] if spec.field in TEXT_COLUMNS else None)
        sheet.write_string(0, col, spec.header, fmt["required" if spec.required else "header"])
    sheet.set_row(0, 30)
    sheet.freeze_panes(1, 2)


def write_places(queryset, target) -> int:
    """Write the places of `queryset` (any Place queryset) to an .xlsx at `target`."""
    labels = category_labels()
    uses = sheets.BUILDING_USE_LABEL
    departments = department_names()
    names = JurisdictionNames()
    names.load(queryset.order_by().values_list("jurisdiction_id", flat=True).distinct())
    columns = sheets.SYSTEM_COLUMNS
    lookups = ["jurisdiction_id"]
    positions = {}
    for spec in columns:
        source = EXPORT_FIELDS.get(spec.field, spec.field)
        if source is not None:
            positions[spec.field] = len(lookups)
            lookups.append(source)
    workbook = xlsxwriter.Workbook(str(target), {"constant_memory": True,
                                                  "strings_to_numbers": False,
                                                  "strings_to_formulas": False,
                                                  "strings_to_urls": False})
    fmt = _formats(workbook)
    sheet = workbook.add_worksheet(SHEET_NAME)
    _header(workbook, sheet, fmt)
    plan = []  # (column, field, kind, position)
    for col, spec in enumerate(columns):
        plan.append((col, spec.field, spec.kind, positions.get(spec.field)))
    row_number = 0
    rows = queryset.values_list(*lookups).iterator(chunk_size=2000)
    for values in rows:
        row_number += 1
        if row_number > EXCEL_MAX_DATA_ROWS:
            break
        street, community, grid = names(values[0])
        for col, name, kind, pos in plan:
            if name == "street_name":
                value = street
            elif name == "community_name":
                value = community
            elif name == "grid_name":
                value = grid
            else:
                value = values[pos]
            if value is None or value == "":
                continue
            if kind == sheets.CATEGORY:
                sheet.write_string(row_number, col, labels.get(value, value))
            elif kind == sheets.BUILDING_USE:
                sheet.write_string(row_number, col, uses.get(value, value))
            elif kind == sheets.LISTED_BY:
                sheet.write_string(row_number, col, sheets.LISTED_BY_LABEL.get(value, value))
            elif kind == sheets.DEPARTMENT:
                sheet.write_string(row_number, col, departments.get(value, ""))
            elif kind == sheets.BOOL:
                sheet.write_string(row_number, col, "是" if value else "否")
            elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                sheet.write_number(row_number, col, float(value))
            else:
                sheet.write_string(row_number, col, str(value))
    workbook.close()
    return min(row_number, EXCEL_MAX_DATA_ROWS)


def write_template(target, user=None) -> None:
    """The empty import template: the header row, drop-down lists, and a 填写说明 sheet."""
    labels = category_labels()
    departments = sorted(set(department_names().values()))
    streets = []
    if user is not None:
        streets = list(Jurisdiction.objects.visible_to(user, "create").filter(
            level="street").values_list("name", flat=True)[:51])
    workbook = xlsxwriter.Workbook(str(target))
    fmt = _formats(workbook)
    sheet = workbook.add_worksheet(SHEET_NAME)
    guide = workbook.add_worksheet(GUIDE_SHEET_NAME)
    lists = workbook.add_worksheet(LISTS_SHEET_NAME)
    lists.hide()
    _header(workbook, sheet, fmt)

    choices = {
        sheets.CATEGORY: list(labels.values()),
        sheets.BUILDING_USE: list(sheets.BUILDING_USE_LABEL.values()),
        sheets.LISTED_BY: list(sheets.LISTED_BY_LABEL.values()),
        sheets.BOOL: ["是", "否"],
        sheets.DEPARTMENT: departments,
    }
    list_columns = {}
    for i, (kind, values) in enumerate(choices.items()):
        for r, value in enumerate(values):
            lists.write_string(r, i, value)
        letter = xlsxwriter.utility.xl_col_to_name(i)
        list_columns[kind] = f"='{LISTS_SHEET_NAME}'!${letter}$1:${letter}${max(1, len(values))}"
    for col, spec in enumerate(sheets.SYSTEM_COLUMNS):
        if spec.kind in list_columns:
            sheet.data_validation(1, col, 5000, col, {
                "validate": "list", "source": list_columns[spec.kind],
                "error_type": "warning" if spec.kind == sheets.DEPARTMENT else "stop",
            })

    guide.set_column(0, 0, 24)
    guide.set_column(1, 1, 10)
    guide.set_column(2, 2, 50)
    guide.set_column(3, 3, 70)
    guide.merge_range(0, 0, 0, 3, gettext(G_INTRO), fmt["wrap"])
    guide.set_row(0, 36)
    for c, title in enumerate((G_COLUMN, G_REQUIRED, G_VALUES, G_FORMAT)):
        guide.write_string(2, c, gettext(title), fmt["header"])
    yes, no = gettext("yes"), gettext("no")
    for r, spec in enumerate(sheets.SYSTEM_COLUMNS, start=3):
        allowed = ""
        if spec.kind == sheets.CATEGORY:
            allowed = "、".join(labels.values())
        elif spec.kind == sheets.BUILDING_USE:
            allowed = "、".join(sheets.BUILDING_USE_LABEL.values())
        elif spec.kind == sheets.LISTED_BY:
            allowed = "、".join(sheets.LISTED_BY_LABEL.values())
        elif spec.kind == sheets.BOOL:
            allowed = "是、否"
        elif spec.kind == sheets.DEPARTMENT:
            allowed = "、".join(departments)
        elif spec.field == "street_name" and streets and len(streets) <= 50:
            allowed = "、".join(streets)
        required = yes if spec.required else (
            gettext(G_JURISDICTION_REQUIRED) if spec.field in ("street_name", "division_code")
            else no)
        guide.write_string(r, 0, spec.header, fmt["bold"])
        guide.write_string(r, 1, required)
        guide.write_string(r, 2, allowed, fmt["wrap"])
        guide.write_string(r, 3, gettext(spec.note) if spec.note else "", fmt["wrap"])
    r = len(sheets.SYSTEM_COLUMNS) + 4
    guide.write_string(r, 0, gettext(G_CATEGORIES), fmt["bold"])
    for code, label in labels.items():
        r += 1
        guide.write_string(r, 0, label)
        guide.write_string(r, 1, code)
    workbook.close()


def file_response(write, filename: str) -> FileResponse:
    """Write into a temporary file, then stream it; the file is unlinked once open."""
    handle, path = tempfile.mkstemp(suffix=".xlsx", prefix="fireledger-")
    os.close(handle)
    try:
        write(path)
        stream = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
    finally:
        os.unlink(path)
    return FileResponse(
        stream, as_attachment=True, filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def export_filename(now: datetime.datetime | None = None) -> str:
    now = timezone.localtime(now)
    return f"场所台账-{now:%Y%m%d-%H%M}.xlsx"


def export_response(queryset) -> FileResponse:
    return file_response(lambda path: write_places(queryset, path), export_filename())


def template_response(user=None) -> FileResponse:
    return file_response(lambda path: write_template(path, user), "场所导入模板.xlsx")

