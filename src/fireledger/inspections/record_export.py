"""Inspection records to Excel: one row per inspection, streamed to .xlsx.

The queryset comes in already scoped (`Inspection.objects.visible_to(user, "view")`) and
filtered. Its rows are read with `.values_list(...).iterator()`, the per-inspection counts
(items, hazards found, fixed on the spot) computed by SQL in the same query; the inspectors'
names are read in one query per chunk of rows. xlsxwriter writes in constant-memory mode, so
memory stays flat whatever the number of inspections (the place export's approach and helpers:
`places.exports.file_response`, `JurisdictionNames`).

How the counts count:

- **items** (检查项数): every result of the inspection (a re-inspection's results are the open
  hazards it looked at again).
- **hazards found** (发现隐患数): results answered "fixed on the spot" or "hazard to rectify";
  a hazard fixed on the spot was found all the same (as 附件1.5.2 counts it).
- **fixed on the spot** (当场整改数): results answered "fixed on the spot".

Headers and the labels of kinds and statuses are in the active language.
"""

from __future__ import annotations

import datetime
import itertools

import xlsxwriter
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from fireledger.places.exports import EXCEL_MAX_DATA_ROWS, JurisdictionNames, file_response

from .choices import FAILED, Kind, Outcome, Status
from .models import Inspection, Signature

SHEET_NAME = "检查记录"
CHUNK = 2000
DATE_FORMAT = "yyyy-mm-dd"
WORKBOOK_OPTIONS = {"constant_memory": True, "strings_to_numbers": False,
                    "strings_to_formulas": False, "strings_to_urls": False}

# (header msgid, width)
COLUMNS = (
    (gettext_noop("Date inspected"), 12),
    (gettext_noop("Kind"), 12),
    (gettext_noop("Place"), 24),
    (gettext_noop("Address"), 28),
    (gettext_noop("Street"), 12),
    (gettext_noop("Unit"), 24),
    (gettext_noop("Checklist and version"), 24),
    (gettext_noop("Number of items"), 8),
    (gettext_noop("Number of hazards found"), 8),
    (gettext_noop("Number fixed on the spot"), 8),
    (gettext_noop("Rectification or precaution advice"), 36),
    (gettext_noop("Inspectors"), 16),
    (gettext_noop("Status"), 8),
)

FIELDS = ("pk", "inspected_on", "kind", "place__name", "place__address", "location",
          "place__jurisdiction_id", "unit_name", "place__owner__name", "place__manager__name",
          "place__occupant__name", "version__name", "version__version", "items", "found",
          "fixed", "advice", "status")


def unit_name(unit_name: str, *units: str | None) -> str:
    """The unit the inspection names, else the place's units (owner, manager, occupant), each
    once."""
    if unit_name:
        return unit_name
    return "、".join(dict.fromkeys(u for u in units if u))


def checklist_label(name: str | None, version: int | None) -> str:
    return f"{name} v{version}" if name else ""


def place_address(address: str | None, location: str | None) -> str:
    """The place's address, then where in it (Inspection.location)."""
    return " ".join(part for part in (address, location) if part)


def with_counts(queryset):
    """The inspections annotated with `items`, `found` and `fixed` (one GROUP BY), in the
    queryset's order (a GROUP BY query drops the model's default ordering: restated here)."""
    order = queryset.query.order_by or Inspection._meta.ordering
    return queryset.order_by(*order).annotate(
        items=Count("results"),
        found=Count("results", filter=Q(results__outcome__in=FAILED)),
        fixed=Count("results", filter=Q(results__outcome=Outcome.FIXED)),
    )


def signers(inspection_ids) -> dict[int, list[str]]:
    """The names signed on each inspection, in signing order."""
    names: dict[int, list[str]] = {}
    for inspection_id, name in (Signature.objects.filter(inspection_id__in=inspection_ids)
                                .order_by("inspection_id", "signed_at", "pk")
                                .values_list("inspection_id", "name")):
        names.setdefault(inspection_id, []).append(name)
    return names


def write_records(queryset, target) -> int:
    """Write the inspections of `queryset` (scoped, filtered) to an .xlsx at `target`; returns
    the number of rows written."""
    kinds = {k: str(v) for k, v in Kind.choices}
    statuses = {k: str(v) for k, v in Status.choices}
    names = JurisdictionNames()
    names.load(queryset.order_by().values_list("place__jurisdiction_id", flat=True).distinct())
    workbook = xlsxwriter.Workbook(str(target), WORKBOOK_OPTIONS)
    header = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1,
                                  "text_wrap": True, "valign": "vcenter"})
    date = workbook.add_format({"num_format": DATE_FORMAT, "valign": "top"})
    cell = workbook.add_format({"valign": "top"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    sheet = workbook.add_worksheet(SHEET_NAME)
    for col, (title, width) in enumerate(COLUMNS):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, gettext(title), header)
    sheet.set_row(0, 30)
    sheet.freeze_panes(1, 1)

    rows = with_counts(queryset).values_list(*FIELDS).iterator(chunk_size=CHUNK)
    count = 0
    while count < EXCEL_MAX_DATA_ROWS:
        chunk = list(itertools.islice(rows, min(CHUNK, EXCEL_MAX_DATA_ROWS - count)))
        if not chunk:
            break
        signed = signers([values[0] for values in chunk])
        for values in chunk:
            count += 1
            v = dict(zip(FIELDS, values))
            sheet.write_datetime(count, 0, v["inspected_on"], date)
            texts = (
                (1, kinds.get(v["kind"], v["kind"])),
                (2, v["place__name"]),
                (3, place_address(v["place__address"], v["location"])),
                (4, names(v["place__jurisdiction_id"])[0]),
                (5, unit_name(v["unit_name"], v["place__owner__name"], v["place__manager__name"],
                              v["place__occupant__name"])),
                (6, checklist_label(v["version__name"], v["version__version"])),
                (10, v["advice"]),
                (11, "、".join(signed.get(v["pk"], []))),
                (12, statuses.get(v["status"], v["status"])),
            )
            for col, text in texts:
                if text:
                    sheet.write_string(count, col, text, wrap if col == 10 else cell)
            for col, number in ((7, v["items"]), (8, v["found"]), (9, v["fixed"])):
                sheet.write_number(count, col, number, cell)
    workbook.close()
    return count


def export_filename(now: datetime.datetime | None = None) -> str:
    return f"检查记录-{timezone.localtime(now):%Y%m%d-%H%M}.xlsx"


def export_response(queryset):
    return file_response(lambda path: write_records(queryset, path), export_filename())
