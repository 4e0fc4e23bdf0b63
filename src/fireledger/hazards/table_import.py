"""Importing a street's summary table (附件1.5.2): every row is checked first, then the hazards
are logged all or nothing.

Per row: the place is found in the ledger within the chosen street by name (and address when
names repeat); 具体问题 and 已整改具体问题 are split into items (tables.split_items) and must
number 排查隐患数量 and 已整改数量. 已整改具体问题 items are logged as rectified on the form's date;
the rest of 具体问题 as open hazards due by 剩余隐患整改期限. An item already on the place's list
is skipped with a warning, so importing the same table twice adds nothing.

The web flow reuses the place import's ImportJob (layout `LAYOUT`), upload storage, thread and
progress (places.imports); messages are English templates rendered by places.sheets.render.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from fireledger.core.models import Jurisdiction
from fireledger.places import imports, sheets
from fireledger.places.imports import M_CHANGED_SINCE_CHECK, M_UNEXPECTED
from fireledger.places.models import ImportJob, ImportStatus, Place
from fireledger.places.sheets import ERROR, WARNING, Issue, ValueProblem

from . import services, tables
from .choices import Source
from .models import Hazard, HazardCategory

log = logging.getLogger(__name__)

LAYOUT = ImportJob.STREET_SUMMARY  # ImportJob.layout of these jobs
CATEGORY_CODE = "other"
PROGRESS_EVERY = 200

M_NO_HEADER = gettext_noop(
    "No header row found in the first {rows} rows: expected the street summary table "
    "(名称, 排查隐患数量, 具体问题 …).")
M_OTHER_STREET = gettext_noop(
    "Row {row} “{column}”: value “{value}” is not {street}, the street chosen for this import.")
M_UNKNOWN_PLACE = gettext_noop(
    "Row {row} “{column}”: there is no place named “{value}” in {street} in the ledger.")
M_SAME_NAME = gettext_noop(
    "Row {row} “{column}”: several places in {street} are named “{value}”; give the address "
    "as the ledger has it.")
M_NOT_YOURS = gettext_noop(
    "Row {row} “{column}”: you may not record hazards at “{value}”.")
M_SAME_PLACE = gettext_noop("Row {row} “{column}”: “{value}” is the same place as row {other}.")
M_COUNT = gettext_noop(
    "Row {row} “{column}”: value “{value}” does not match the {count} items listed in "
    "“{other}”.")
M_NOT_LISTED = gettext_noop(
    "Row {row} “{column}”: item “{value}” is not among the problems listed in “{other}”.")
M_NOT_DATE = gettext_noop(
    "Row {row} “{column}”: value “{value}” is not a date (write e.g. 2025-06-30 or 6月30日前).")
M_PAST = gettext_noop("Row {row} “{column}”: the deadline “{value}” has already passed.")
M_NO_DEADLINE = gettext_noop(
    "Row {row} “{column}”: {count} hazards remain to be rectified, so a deadline is required.")
M_REFUSED = gettext_noop("Row {row}: “{value}” could not be logged: {reason}")
M_ALREADY = gettext_noop(
    "Row {row} “{column}”: {count} problems already on this place's hazard list were skipped "
    "(“{value}”).")

# field → (header, aliases); headers are compared by sheets.normalise_header.
COLUMNS = {
    "seq": ("序号", ()),
    "street": ("所属街道", ("街道", "所属街道(镇)", "街镇")),
    "name": ("名称", ("小区名称", "场所名称", "单位名称", "建筑名称", "场所(单位)名称")),
    "address": ("地址", ("详细地址",)),
    "found_count": ("排查隐患数量", ("隐患数量", "存在隐患排查隐患数量")),
    "problems": ("具体问题", ("存在隐患具体问题", "隐患具体问题")),
    "rectified_count": ("已整改数量", ("存在隐患已整改数量",)),
    "rectified": ("已整改具体问题", ("存在隐患已整改具体问题",)),
    "deadline": ("剩余隐患整改期限", ("整改期限", "剩余隐患整改时限")),
    "person": ("整改责任人", ("责任人",)),
    "phone": ("联系电话", ("电话", "手机")),
    "notes": ("备注", ()),
}
_LOOKUP = {sheets.normalise_header(text): name for name, (header, aliases) in COLUMNS.items()
           for text in (header, *aliases)}
HEADER_KEYS = {"name", "problems"}


# ------------------------------------------------------------------------------------------
# Pure parts: header, dates
# ------------------------------------------------------------------------------------------


def find_header(head: list[tuple[int, list]]) -> tuple[int, dict[str, tuple[int, str]]] | None:
    """(last header row, {field: (column index, header as written)}) among the first rows.

    The header may be one row, or the seed's two: "存在隐患" over four sub-labels, the other
    labels on the first row (merged down or not).
    """
    texts = {n: {i: sheets.one_line(sheets.cell_text(v)) for i, v in enumerate(cells)}
             for n, cells in head}
    best = None
    for n, _cells in head:
        candidates = [(n, texts[n])]
        if n + 1 in texts:
            combined = {i: texts[n + 1].get(i) or texts[n].get(i, "")
                        for i in set(texts[n]) | set(texts[n + 1])}
            candidates.append((n + 1, combined))
        for last, cells in candidates:
            found: dict[str, tuple[int, str]] = {}
            for i, text in sorted(cells.items()):
                name = _LOOKUP.get(sheets.normalise_header(text)) if text else None
                if name and name not in found:
                    found[name] = (i, text)
            if HEADER_KEYS <= found.keys() and (best is None or len(found) > len(best[1])):
                best = (last, found)
    return best


_FULL_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:前|之前|以前)?$")
_MONTH_DAY = re.compile(r"^(\d{1,2})[月/.-](\d{1,2})日?(?:前|之前|以前)?$")


def parse_deadline(value, today: datetime.date) -> datetime.date:
    """A deadline cell: a date cell, 2025-06-30, 2025/6/30, 2025年6月30日前, or 6月30日前 (this
    year). Raises ValueProblem(M_NOT_DATE); whether it has passed is the caller's check."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = re.sub(r"\s+", "", sheets.nfkc(sheets.cell_text(value)))
    text = text.removesuffix("00:00:00")
    try:
        if match := _FULL_DATE.match(text):
            return datetime.date(*(int(g) for g in match.groups()))
        if match := _MONTH_DAY.match(text):
            return datetime.date(today.year, int(match.group(1)), int(match.group(2)))
    except ValueError:
        pass
    raise ValueProblem(M_NOT_DATE)


# ------------------------------------------------------------------------------------------
# Checking
# ------------------------------------------------------------------------------------------


@dataclass
class Ready:
    """A checked row: what commit logs for it."""

    row: int
    place: Place
    open: list[str]
    closed: list[str]
    deadline: datetime.date | None
    person: str
    phone: str


@dataclass
class Check:
    """What the check found: issues, the report rows, and the rows ready to write."""

    filename: str
    street: Jurisdiction
    found_on: datetime.date
    rectified_on: datetime.date
    header_row: int | None = None
    issues: list[Issue] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    ready: list[Ready] = field(default_factory=list)
    created: int = 0

    @property
    def ok(self) -> bool:
        return not any(i.level == ERROR for i in self.issues)

    def counts(self) -> dict[str, int]:
        levels = Counter(r["level"] for r in self.rows)
        return {"total": len(self.rows), "ok": levels["ok"], "warning": levels["warning"],
                "error": levels["error"], "skipped": levels["skipped"],
                "file_errors": sum(1 for i in self.issues if i.row is None and i.level == ERROR),
                "open": sum(len(r.open) for r in self.ready),
                "closed": sum(len(r.closed) for r in self.ready)}

    def report(self) -> dict:
        """JSON for ImportJob.report; messages stay templates, rendered in the reader's language."""
        return {**params(self.street, self.found_on, self.rectified_on),
                "filename": self.filename, "street_name": self.street.name,
                "header_row": self.header_row, "counts": self.counts(),
                "issues": [i.as_dict() for i in self.issues], "rows": self.rows,
                "created": self.created}


def params(street, found_on, rectified_on) -> dict:
    return {"street": street.pk, "found_on": found_on.isoformat(),
            "rectified_on": rectified_on.isoformat()}


def read_rows(path) -> tuple[int, dict, list[tuple[int, list]]]:
    """(header row, columns, data rows) of the first sheet with a summary-table header.
    Raises sheets.FileProblem."""
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception:  # calamine's own errors for damaged or encrypted files
        raise sheets.FileProblem(sheets.M_NOT_XLSX) from None
    saw_rows = False
    for name in workbook.sheet_names[:sheets.MAX_SHEETS_SEARCHED]:
        try:
            sheet = workbook.get_sheet_by_name(name)
        except Exception:
            continue
        if sheet.start is None or sheet.height == 0:
            continue
        saw_rows = True
        col0 = sheet.start[1]  # rows come from row 1, columns from the first used one
        rows = [(n, [""] * col0 + list(cells)) for n, cells in enumerate(sheet.to_python(), 1)]
        found = find_header(rows[:sheets.HEADER_SEARCH_ROWS + 1])
        if found:
            last, columns = found
            return last, columns, [(n, cells) for n, cells in rows if n > last]
    if not saw_rows:
        raise sheets.FileProblem(sheets.M_EMPTY_SHEET)
    raise sheets.FileProblem(M_NO_HEADER, rows=sheets.HEADER_SEARCH_ROWS)


class _Places:
    """The places of the street the user may see, by name; which of them the user may change."""

    def __init__(self, user, street):
        from fireledger.core.codes import range_lookup

        subtree = range_lookup("jurisdiction_code", street.prefix)
        self.by_name: dict[str, list[Place]] = {}
        for place in Place.objects.visible_to(user, "view").filter(**subtree).only(
                "id", "name", "address", "jurisdiction_code", "department_id", "owner_id",
                "manager_id", "occupant_id", "listed_by"):
            self.by_name.setdefault(sheets.normalise_name(place.name), []).append(place)
        self.changeable = set(Place.objects.visible_to(user, "change").filter(**subtree)
                              .values_list("id", flat=True))

    def find(self, name: str, address: str) -> list[Place]:
        found = self.by_name.get(sheets.normalise_name(name), [])
        if len(found) > 1 and address:
            key = sheets.normalise_name(address)
            found = [p for p in found if sheets.normalise_name(p.address) == key]
        return found


def _count(value, column: str, row: int, issues: list[Issue]) -> int | None:
    if sheets.cell_text(value) == "":
        return None
    try:
        number, _approx, _rounded = sheets.parse_number(value, units=("个", "处", "项", "条"),
                                                        integer=True)
    except ValueProblem as problem:
        issues.append(Issue(row, column, sheets.cell_text(value), ERROR, problem.message,
                            problem.params))
        return None
    return number


def _row(number: int, cells: list, columns: dict, street, places: _Places, today,
         seen: dict[int, int]) -> tuple[dict, Ready | None, list[Issue]]:
    """One data row: its report line, what to write (None on errors) and its issues."""
    def cell(name):
        if name not in columns or columns[name][0] >= len(cells):
            return ""
        return cells[columns[name][0]]

    def head(name):
        return columns[name][1] if name in columns else COLUMNS[name][0]

    def shown(name):
        text = sheets.cell_text(cell(name))
        return text if len(text) <= 60 else text[:57] + "…"

    issues: list[Issue] = []
    name = sheets.one_line(sheets.cell_text(cell("name")))
    address = sheets.one_line(sheets.cell_text(cell("address")))
    line = {"row": number, "name": name, "level": "ok", "open": [], "closed": [],
            "deadline": "", "person": "", "phone": "", "place": None}
    first_texts = [t for t in (sheets.cell_text(c) for c in cells) if t][:2]
    if any("计" in t and any(w in t for w in sheets.TOTAL_WORDS) for t in first_texts):
        line["level"] = "skipped"
        return line, None, [Issue(number, "", first_texts[0], WARNING, sheets.M_TOTAL_ROW)]

    street_text = sheets.cell_text(cell("street"))
    if street_text and sheets.normalise_name(street_text) != sheets.normalise_name(street.name):
        issues.append(Issue(number, head("street"), shown("street"), ERROR, M_OTHER_STREET,
                            {"street": street.name}))
    place = None
    if not name:
        issues.append(Issue(number, head("name"), "", ERROR, sheets.M_REQUIRED))
    else:
        found = places.find(name, address)
        if not found:
            issues.append(Issue(number, head("name"), shown("name"), ERROR, M_UNKNOWN_PLACE,
                                {"street": street.name}))
        elif len(found) > 1:
            issues.append(Issue(number, head("name"), shown("name"), ERROR, M_SAME_NAME,
                                {"street": street.name}))
        elif found[0].pk not in places.changeable:
            issues.append(Issue(number, head("name"), shown("name"), ERROR, M_NOT_YOURS))
        elif found[0].pk in seen:
            issues.append(Issue(number, head("name"), shown("name"), ERROR, M_SAME_PLACE,
                                {"other": seen[found[0].pk]}))
        else:
            place = found[0]
            seen[place.pk] = number
            line["place"] = place.pk

    problems = tables.split_items(cell("problems"))
    rectified = tables.split_items(cell("rectified"))
    for count_field, items_field, items in (("found_count", "problems", problems),
                                            ("rectified_count", "rectified", rectified)):
        count = _count(cell(count_field), head(count_field), number, issues)
        if count is None and items and count_field in columns \
                and sheets.cell_text(cell(count_field)) == "":
            issues.append(Issue(number, head(count_field), "", ERROR, sheets.M_REQUIRED))
        elif count is not None and count != len(items):
            issues.append(Issue(number, head(count_field), shown(count_field), ERROR, M_COUNT,
                                {"count": len(items), "other": head(items_field)}))
    remaining = Counter(tables.item_key(p) for p in problems)
    for item in rectified:
        key = tables.item_key(item)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            issues.append(Issue(number, head("rectified"), item[:60], ERROR, M_NOT_LISTED,
                                {"other": head("problems")}))
    open_items = []
    for item in problems:  # what is left of 具体问题 once the rectified ones are taken out
        key = tables.item_key(item)
        if remaining[key] > 0:
            remaining[key] -= 1
            open_items.append(item)

    deadline = None
    if open_items:
        raw = cell("deadline")
        if sheets.cell_text(raw) == "":
            issues.append(Issue(number, head("deadline"), "", ERROR, M_NO_DEADLINE,
                                {"count": len(open_items)}))
        else:
            try:
                deadline = parse_deadline(raw, today)
            except ValueProblem as problem:
                issues.append(Issue(number, head("deadline"), shown("deadline"), ERROR,
                                    problem.message))
            else:
                if deadline < today:
                    issues.append(Issue(number, head("deadline"), shown("deadline"), ERROR,
                                        M_PAST))
    person = sheets.one_line(sheets.cell_text(cell("person")))[:50]
    phone = ""
    if sheets.cell_text(cell("phone")):
        try:
            phone = sheets.parse_phone(cell("phone"))
        except ValueProblem as problem:
            phone = problem.params.pop("text")
            issues.append(Issue(number, head("phone"), shown("phone"), problem.level,
                                problem.message, problem.params))
        phone = phone[:30]
    # The report line shares the item lists with Ready: _skip_logged trims both at once.
    line.update(open=open_items, closed=rectified, person=person, phone=phone,
                deadline=deadline.isoformat() if deadline else "")
    if any(i.level == ERROR for i in issues) or place is None:
        line["level"] = "error"
        return line, None, issues
    line["level"] = "warning" if issues else "ok"
    return line, Ready(number, place, open_items, rectified, deadline, person, phone), issues


def _skip_logged(check: Check, head: str) -> None:
    """Items already on their place's hazard list (same text) are skipped with a warning."""
    by_place: dict[int, Counter] = {}
    ids = [r.place.pk for r in check.ready]
    for start in range(0, len(ids), 500):
        for place_id, description in Hazard.objects.filter(
                place_id__in=ids[start:start + 500]).values_list("place_id", "description"):
            by_place.setdefault(place_id, Counter())[tables.item_key(description)] += 1
    lines = {line["row"]: line for line in check.rows}
    for ready in check.ready:
        logged = by_place.get(ready.place.pk)
        if not logged:
            continue
        skipped = []
        for items in (ready.open, ready.closed):
            kept = []
            for item in items:
                key = tables.item_key(item)
                if logged[key] > 0:
                    logged[key] -= 1
                    skipped.append(item)
                else:
                    kept.append(item)
            items[:] = kept
        if skipped:
            shown = "；".join(skipped)
            shown = shown if len(shown) <= 60 else shown[:57] + "…"
            check.issues.append(Issue(ready.row, head, shown, WARNING, M_ALREADY,
                                      {"count": len(skipped)}))
            lines[ready.row]["level"] = "warning"


def check(user, path, street, *, found_on, rectified_on, filename: str = "",
          progress: imports.Progress | None = None) -> Check:
    """Read and check the whole file against the ledger; nothing is written."""
    path = Path(path)
    result = Check(filename or path.name, street, found_on, rectified_on)
    problem = sheets.sniff_file(path, result.filename)
    if problem:
        result.issues.append(Issue(None, "", "", ERROR, problem))
        return result
    try:
        header_row, columns, rows = read_rows(path)
    except sheets.FileProblem as exc:
        result.issues.append(exc.issue())
        return result
    result.header_row = header_row
    places = _Places(user, street)
    today = timezone.localdate()
    seen: dict[int, int] = {}
    total = len(rows)
    # A row with nothing but its 序号 or 备注 is blank (templates come with numbered empty rows).
    content = [i for name, (i, _h) in columns.items() if name not in ("seq", "notes")]
    for done, (number, cells) in enumerate(rows, start=1):
        if any(sheets.cell_text(cells[i]) for i in content if i < len(cells)):
            line, ready, issues = _row(number, cells, columns, street, places, today, seen)
            result.rows.append(line)
            result.issues.extend(issues)
            if ready is not None:
                result.ready.append(ready)
        if progress and done % PROGRESS_EVERY == 0:
            progress("checking", done, total)
    if not result.rows:
        result.issues.append(Issue(None, "", "", ERROR, sheets.M_NO_DATA))
    problems_head = columns.get("problems", (0, COLUMNS["problems"][0]))[1]
    _skip_logged(result, problems_head)
    result.issues.sort(key=lambda i: (i.row is not None, i.row or 0))
    if progress:
        progress("checking", total, total)
    return result


class RowFailed(Exception):
    """A service refused one item during the commit: the whole import is rolled back."""

    def __init__(self, issue: Issue):
        super().__init__(issue.message)
        self.issue = issue


def commit(user, result: Check, *, progress: imports.Progress | None = None) -> int:
    """Log every checked item in one transaction, or nothing. Returns the number of hazards."""
    if not result.ok:
        raise ValueError("the check found errors")
    category = HazardCategory.objects.get(code=CATEGORY_CODE)
    total = sum(len(r.open) + len(r.closed) for r in result.ready)
    written = 0
    with transaction.atomic():
        for ready in result.ready:
            common = {"category": category, "source": Source.INSPECTION,
                      "found_on": result.found_on, "responsible_person": ready.person,
                      "responsible_phone": ready.phone}
            for item, closed in [(i, False) for i in ready.open] + [(i, True) for i in
                                                                      ready.closed]:
                try:
                    if closed:
                        services.log_hazard(user, ready.place, description=item,
                                            rectified_on=result.rectified_on, **common)
                    else:
                        services.log_hazard(user, ready.place, description=item,
                                            deadline=ready.deadline, **common)
                except (ValidationError, PermissionDenied) as error:
                    reason = " ".join(getattr(error, "messages", None) or [str(error)])
                    raise RowFailed(Issue(ready.row, "", item[:60], ERROR, M_REFUSED,
                                          {"reason": reason})) from error
                written += 1
            if progress:
                progress("writing", written, total)
    result.created = written
    return written


# ------------------------------------------------------------------------------------------
# Jobs (the web flow), on places.imports' machinery
# ------------------------------------------------------------------------------------------


def create_job(user, upload, original_name: str, street, *, found_on, rectified_on) -> ImportJob:
    job = imports.create_job(user, upload, original_name)
    job.layout = LAYOUT
    job.report = params(street, found_on, rectified_on)
    job.save(update_fields=["layout", "report"])
    return job


def _job_check(job: ImportJob, progress) -> Check:
    report = job.report or {}
    street = Jurisdiction.objects.get(pk=report["street"])
    return check(job.user, imports.job_path(job), street,
                 found_on=datetime.date.fromisoformat(report["found_on"]),
                 rectified_on=datetime.date.fromisoformat(report["rectified_on"]),
                 filename=job.original_name, progress=progress)


def run_check_job(job_id) -> ImportJob:
    """uploaded → validating → validated (with its report) | failed."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    job.transition(ImportStatus.VALIDATING)
    try:
        result = _job_check(job, imports.progress_writer(job.pk))
    except Exception:
        log.exception("street table check %s failed", job.pk)
        job.transition(ImportStatus.FAILED, error=M_UNEXPECTED, finished_at=timezone.now())
        return job
    finally:
        imports.LIVE.pop(job.pk, None)
    total = len(result.rows)
    job.transition(ImportStatus.VALIDATED, report=result.report(), total_rows=total,
                   done_rows=total, finished_at=timezone.now())
    return job


def run_commit_job(job_id) -> ImportJob:
    """committing → committed | failed. The file is checked again first (the ledger may have
    changed since the dry run); any error then stops the import before anything is written."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status != ImportStatus.COMMITTING:
        job.transition(ImportStatus.COMMITTING)
    progress = imports.progress_writer(job.pk)
    try:
        result = _job_check(job, progress)
        if not result.ok:
            job.transition(ImportStatus.FAILED, report=result.report(),
                           error=M_CHANGED_SINCE_CHECK, finished_at=timezone.now())
            return job
        commit(job.user, result, progress=progress)
    except RowFailed as failed:
        result.issues.append(failed.issue)
        job.transition(ImportStatus.FAILED, report=result.report(),
                       error=M_CHANGED_SINCE_CHECK, finished_at=timezone.now())
        return job
    except Exception:
        log.exception("street table import %s failed", job.pk)
        job.transition(ImportStatus.FAILED, error=M_UNEXPECTED, finished_at=timezone.now())
        return job
    finally:
        imports.LIVE.pop(job.pk, None)
    job.transition(ImportStatus.COMMITTED, report=result.report(), done_rows=result.created,
                   total_rows=result.created, finished_at=timezone.now())
    return job
