"""Importing places from Excel: check every row first, then write all or nothing.

    check(user, path)           parse (places.sheets) and validate against the database: the
                                user's scope, existing place codes, departments; no writes
    commit(user, validation)    one transaction: new units (audited), then the places through
                                services.bulk_create_places (permission, derived flags, audit)
    import_file(...)            both, for the command line

The web flow keeps its state in an `ImportJob` and runs `run_validation_job` / `run_commit_job`
in a background thread (`start`), updating the job's progress between chunks with plain UPDATEs
in autocommit mode, never inside the import's own transaction. While the places are being
written the database row cannot be updated from outside that transaction (SQLite allows one
writer), so write progress is published in this process's memory (`LIVE`) as well.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from fireledger.core import audit
from fireledger.core.models import AuditAction, AuditEvent, Department, Jurisdiction, Organisation

from . import services, sheets
from .choices import DEFAULT_DEPARTMENT, Category
from .models import ImportJob, ImportStatus, Place
from .sheets import ERROR, WARNING, Issue

log = logging.getLogger(__name__)

CHUNK = 2000             # rows per validation chunk (one progress update, a few queries)
WRITE_CHUNK = 5000       # places per bulk_create_places call inside the one transaction
IMPORT_NOTE = "Excel 导入：{name}"

M_NOT_STREET = gettext_noop(
    "Row {row} “{column}”: value “{value}” is not a street of your jurisdiction.")
M_NOT_STREET_HINT = gettext_noop(
    "Row {row} “{column}”: value “{value}” is not a street of your jurisdiction (did you mean "
    "“{suggestion}”?).")
M_NOT_COMMUNITY = gettext_noop(
    "Row {row} “{column}”: value “{value}” is not a community of your jurisdiction.")
M_NOT_CHILD = gettext_noop("Row {row} “{column}”: value “{value}” is not in {parent}.")
M_GRID_NEEDS_COMMUNITY = gettext_noop(
    "Row {row} “{column}”: grid “{value}” needs its community (“所属社区”): grid names repeat.")
M_AMBIGUOUS = gettext_noop(
    "Row {row} “{column}”: value “{value}” names several jurisdictions; give the street or the "
    "division code.")
M_NO_JURISDICTION = gettext_noop(
    "Row {row}: the jurisdiction is missing; fill in “所属街道” or “行政区划代码”.")
M_OUT_OF_SCOPE = gettext_noop(
    "Row {row} “{column}”: value “{value}” is outside the jurisdictions where you may record "
    "places.")
M_NO_SUCH_CODE = gettext_noop("Row {row} “{column}”: no jurisdiction has the code “{value}”.")
M_CODE_MISMATCH = gettext_noop(
    "Row {row} “{column}”: value “{value}” does not match the division code {code} ({name}).")
M_DUPLICATE = gettext_noop("Row {row} “{column}”: value “{value}” is a duplicate of row {other}.")
M_EXISTS = gettext_noop(
    "Row {row} “{column}”: value “{value}” is already used by a place in the ledger.")
M_SAME_PLACE = gettext_noop("Row {row}: same name and address as row {other}.")
M_CHANGED_SINCE_CHECK = gettext_noop(
    "New problems were found since the check (the ledger changed meanwhile); nothing was "
    "imported. See the report.")
M_UNEXPECTED = gettext_noop("The import stopped on an unexpected error; nothing was imported.")
M_HAS_ERRORS = gettext_noop("The file has errors; nothing was imported.")

# Fields of Place a row may set directly (others are resolved: jurisdiction, department, units).
PLACE_FIELDS = (
    "code", "name", "category", "building_use", "address", "building_name",
    "responsible_person", "responsible_phone", "safety_manager", "safety_manager_phone",
    "height_m", "floors_above", "floors_below", "area_above", "area_below", "area_total",
    "year_built", "guest_rooms", "beds", "has_property_management", "is_key_unit", "listed_by",
    "has_fire_alarm", "has_sprinkler", "has_hydrant", "has_smoke_control", "has_micro_station",
    "latitude", "longitude", "survey_hazards", "notes",
)
TEXT_FIELDS = frozenset(
    f.name for f in Place._meta.concrete_fields
    if f.get_internal_type() in ("CharField", "TextField") and f.name in PLACE_FIELDS)
UNIT_FIELDS = ("owner", "manager", "occupant")
# A checked row is kept as a tuple in this order (a dict per row would need three times the
# memory at 50,000 rows).
READY_FIELDS = (*PLACE_FIELDS, "jurisdiction", "department_id", "owner_name", "manager_name",
                "occupant_name")
READY_INDEX = {name: i for i, name in enumerate(READY_FIELDS)}
LEVEL_COLUMNS = (("street", "street_name"), ("community", "community_name"), ("grid", "grid_name"))


class ImportRefused(Exception):
    """Raised by import_file when the check found errors (nothing was written)."""

    def __init__(self, validation: Validation):
        super().__init__(gettext(M_HAS_ERRORS))
        self.validation = validation


# ------------------------------------------------------------------------------------------
# Vocabulary and scope
# ------------------------------------------------------------------------------------------


def vocabulary() -> sheets.Vocabulary:
    """Categories by code, English and Chinese label and common aliases; departments by code,
    name and short name."""
    labels = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            labels += [(str(label), code) for code, label in Category.choices]
    departments = []
    for code, name, short in Department.objects.values_list("code", "name", "short_name"):
        departments += [(code, code), (name, code), (short, code)]
    return sheets.default_vocabulary(labels, departments)


class JurisdictionIndex:
    """The jurisdictions where the user may create places, and their ancestors, by name."""

    def __init__(self, user):
        scope = list(Jurisdiction.objects.visible_to(user, "create").only(
            "id", "code", "name", "level", "parent_id"))
        self.in_scope = {j.id for j in scope}
        self.by_id = {j.id: j for j in scope}
        missing = {j.parent_id for j in scope if j.parent_id and j.parent_id not in self.by_id}
        while missing:  # ancestors of the scope roots, so "所属街道" resolves for a grid worker
            found = list(Jurisdiction.objects.filter(id__in=missing).only(
                "id", "code", "name", "level", "parent_id"))
            self.by_id.update({j.id: j for j in found})
            missing = {j.parent_id for j in found if j.parent_id and j.parent_id not in self.by_id}
        self.by_code = {j.code: j for j in self.by_id.values()}
        self.by_name: dict[tuple[str, str], list[Jurisdiction]] = {}
        self.children: dict[tuple[int | None, str], list[Jurisdiction]] = {}
        for j in self.by_id.values():
            key = sheets.normalise_name(j.name)
            self.by_name.setdefault((j.level, key), []).append(j)
            self.children.setdefault((j.parent_id, key), []).append(j)
        for j in self.by_id.values():  # so Place.jurisdiction_code needs no query per place
            if j.parent_id in self.by_id:
                j.parent = self.by_id[j.parent_id]

    def chain(self, j: Jurisdiction) -> dict[str, Jurisdiction]:
        """The jurisdiction and its loaded ancestors by level."""
        out = {}
        while j is not None:
            out[j.level] = j
            j = self.by_id.get(j.parent_id)
        return out

    def street_suggestion(self, text: str) -> str | None:
        key = sheets.normalise_name(text)
        names = {j.name for (level, name), js in self.by_name.items() if level == "street"
                 for j in js if key and (name.startswith(key) or key.startswith(name))}
        return names.pop() if len(names) == 1 else None


# ------------------------------------------------------------------------------------------
# Checking
# ------------------------------------------------------------------------------------------


@dataclass
class Validation:
    """What the check found: every row's outcome and problems, and the rows ready to write."""

    filename: str = ""
    layout: str = ""
    sheet: str = ""
    header_row: int | None = None
    issues: list[Issue] = field(default_factory=list)
    outcomes: list[list] = field(default_factory=list)   # [row, name, ok|warning|error|skipped]
    ready: list[tuple] = field(default_factory=list)     # checked rows, READY_FIELDS order
    unit_names: set[str] = field(default_factory=set)
    new_units: int = 0
    created: int = 0

    @property
    def error_count(self) -> int:
        return sum(1 for i in self.issues if i.level == ERROR)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def counts(self) -> dict[str, int]:
        counts = {"ok": 0, "warning": 0, "error": 0, "skipped": 0}
        for _row, _name, level in self.outcomes:
            counts[level] += 1
        counts["total"] = len(self.outcomes)
        counts["file_errors"] = sum(1 for i in self.issues if i.row is None and i.level == ERROR)
        return counts

    def report(self) -> dict:
        """JSON for ImportJob.report: messages stay templates, rendered in the reader's language."""
        return {
            "filename": self.filename, "layout": self.layout, "sheet": self.sheet,
            "header_row": self.header_row, "counts": self.counts(),
            "issues": [i.as_dict() for i in self.issues], "rows": self.outcomes,
            "new_units": self.new_units, "created": self.created,
            "categories": sorted({r[READY_INDEX["category"]] for r in self.ready}),
        }

    def messages(self, levels: Iterable[str] = (ERROR, WARNING)) -> list[str]:
        levels = set(levels)
        return [sheets.render(i, gettext) for i in self.issues if i.level in levels]


Progress = Callable[[str, int, int], None]


def check(user, path: str | Path, *, filename: str = "", progress: Progress | None = None
          ) -> Validation:
    """Parse and validate the whole file; nothing is written."""
    path = Path(path)
    result = Validation(filename=filename or path.name)
    problem = sheets.sniff_file(path, result.filename)
    if problem:
        result.issues.append(Issue(None, "", "", ERROR, problem))
        return result
    try:
        sheet = sheets.read_sheet(path)
    except sheets.FileProblem as exc:
        result.issues.append(exc.issue())
        return result
    header = sheet.header
    result.layout, result.sheet, result.header_row = header.layout, header.sheet, header.row
    result.issues.extend(sheets.header_issues(header))
    if not result.ok:  # the sheet as a whole cannot be imported: say that, not it per row
        return result
    vocab = vocabulary()
    checker = _RowChecker(user, vocab)
    total = sheet.total_rows
    done = 0
    chunk: list[sheets.ParsedRow] = []
    for row in sheets.parse_rows(sheet, vocab):
        chunk.append(row)
        if len(chunk) >= CHUNK:
            checker.check_chunk(chunk, result)
            done = chunk[-1].number - header.first_data_row + 1
            chunk = []
            if progress:
                progress("checking", done, total)
    if chunk:
        checker.check_chunk(chunk, result)
    if not result.outcomes and result.ok:
        result.issues.append(Issue(None, "", "", ERROR, sheets.M_NO_DATA))
    checker.finish(result)
    if progress:
        progress("checking", total, total)
    return result


class _RowChecker:
    """Database-side checks, a chunk of parsed rows at a time (a few queries per chunk)."""

    def __init__(self, user, vocab: sheets.Vocabulary):
        self.user = user
        self.index = JurisdictionIndex(user)
        self.departments = dict(Department.objects.values_list("code", "id"))
        self.codes: dict[str, int] = {}          # place code → first row using it
        self.places: dict[tuple[str, str], int] = {}  # (name, address) → first row
        self.units: set[str] = set()
        self._names: dict[str, str] = {}

    def norm(self, text: str) -> str:
        """normalise_name, remembered: the same few street and community names repeat."""
        key = self._names.get(text)
        if key is None:
            key = self._names[text] = sheets.normalise_name(text)
        return key

    def check_chunk(self, rows: list[sheets.ParsedRow], result: Validation) -> None:
        codes = [r.values["code"] for r in rows if r.values.get("code")]
        existing = set(Place.objects.filter(code__in=codes).values_list("code", flat=True)) \
            if codes else set()
        pending_codes: list[tuple[sheets.ParsedRow, dict, str, str]] = []
        for row in rows:
            if row.skipped:
                result.issues.extend(row.issues)
                result.outcomes.append([row.number, "", "skipped"])
                continue
            issues = row.issues
            values = row.values
            code = values.get("code")
            if code:
                head, shown = row.cells["code"]
                if code in self.codes:
                    issues.append(Issue(row.number, head, shown, ERROR, M_DUPLICATE,
                                        {"other": self.codes[code]}))
                else:
                    self.codes[code] = row.number
                    if code in existing:
                        issues.append(Issue(row.number, head, shown, ERROR, M_EXISTS))
            name, address = values.get("name"), values.get("address")
            if name and address:
                key = (sheets.normalise_name(name), sheets.normalise_name(address))
                if key in self.places:
                    issues.append(Issue(row.number, "", "", WARNING, M_SAME_PLACE,
                                        {"other": self.places[key]}))
                else:
                    self.places[key] = row.number
            jurisdiction = self.jurisdiction(row, pending_codes)
            ready = None
            if not row.has_errors and jurisdiction is not None:
                ready = self.ready_row(values, jurisdiction)
            result.issues.extend(issues)
            level = ERROR if row.has_errors else WARNING if issues else "ok"
            result.outcomes.append([row.number, values.get("name") or "", level])
            if ready is not None and level != ERROR:
                result.ready.append(ready)
        if pending_codes:
            self.resolve_unloaded_codes(pending_codes, result, len(rows))

    def jurisdiction(self, row: sheets.ParsedRow, pending_codes) -> Jurisdiction | None:
        """The row's jurisdiction from its code and/or names, or None with an error added."""
        values, index = row.values, self.index
        names = {level: values.get(col) for level, col in LEVEL_COLUMNS if values.get(col)}
        if row.failed & {"division_code", "street_name", "community_name", "grid_name"}:
            return None
        code = values.get("division_code")
        if code:
            head, shown = row.cells["division_code"]
            j = index.by_code.get(code)
            if j is None:
                pending_codes.append((row, values, head, shown))
                return None
            if j.id not in index.in_scope:
                row.issues.append(Issue(row.number, head, shown, ERROR, M_OUT_OF_SCOPE))
                return None
            chain = index.chain(j)
            for level, col in LEVEL_COLUMNS:
                if level in names and (level not in chain or self.norm(
                        chain[level].name) != self.norm(names[level])):
                    c_head, c_shown = row.cells[col]
                    row.issues.append(Issue(row.number, c_head, c_shown, ERROR, M_CODE_MISMATCH,
                                            {"code": j.code, "name": j.name}))
            return None if row.has_errors else j
        if not names:
            row.issues.append(Issue(row.number, "", "", ERROR, M_NO_JURISDICTION))
            return None
        found = None
        for level, col in LEVEL_COLUMNS:
            if level not in names:
                continue
            head, shown = row.cells[col]
            key = self.norm(names[level])
            if found is not None:
                candidates = [j for j in index.children.get((found.id, key), [])
                              if j.level == level]
            elif level == "grid":
                row.issues.append(Issue(row.number, head, shown, ERROR, M_GRID_NEEDS_COMMUNITY))
                return None
            else:
                candidates = index.by_name.get((level, key), [])
            if not candidates:
                if found is not None and found.id not in index.in_scope:
                    # Only the ancestors of the user's scope are loaded: whatever lies below
                    # them outside the scope is not the user's to name.
                    message, params = M_OUT_OF_SCOPE, {}
                elif found is not None:
                    message, params = M_NOT_CHILD, {"parent": found.name}
                elif level == "street":
                    hint = index.street_suggestion(names[level])
                    message, params = (M_NOT_STREET_HINT, {"suggestion": hint}) if hint else (
                        M_NOT_STREET, {})
                else:
                    message, params = M_NOT_COMMUNITY, {}
                row.issues.append(Issue(row.number, head, shown, ERROR, message, params))
                return None
            if len(candidates) > 1:
                row.issues.append(Issue(row.number, head, shown, ERROR, M_AMBIGUOUS))
                return None
            found = candidates[0]
            last_head, last_shown = head, shown
        if found.id not in index.in_scope:
            row.issues.append(Issue(row.number, last_head, last_shown, ERROR, M_OUT_OF_SCOPE))
            return None
        return found

    def resolve_unloaded_codes(self, pending, result: Validation, chunk_size: int) -> None:
        """Codes not among the user's jurisdictions: outside the scope, or no such code."""
        codes = {values["division_code"] for _r, values, _h, _s in pending}
        known = set(Jurisdiction.objects.filter(code__in=codes).values_list("code", flat=True))
        for row, values, head, shown in pending:
            message = M_OUT_OF_SCOPE if values["division_code"] in known else M_NO_SUCH_CODE
            issue = Issue(row.number, head, shown, ERROR, message)
            result.issues.append(issue)
        # Mark those rows as errors (their outcome was recorded before the query; they were
        # not made ready, having no jurisdiction).
        numbers = {row.number for row, *_rest in pending}
        for outcome in result.outcomes[-chunk_size:]:
            if outcome[0] in numbers:
                outcome[2] = ERROR

    def ready_row(self, values: dict, jurisdiction: Jurisdiction) -> tuple:
        """The row's Place values in READY_FIELDS order (blank text as "", defaults filled)."""
        out = []
        get = values.get
        for name in PLACE_FIELDS:
            value = get(name)
            if value is None and name in TEXT_FIELDS:
                value = ""
            out.append(value)
        out[READY_INDEX["building_use"]] = get("building_use") or "public"
        out[READY_INDEX["is_key_unit"]] = bool(get("is_key_unit"))
        department = get("department") or DEFAULT_DEPARTMENT.get(get("category"))
        out += [jurisdiction, self.departments.get(department)]
        for unit in UNIT_FIELDS:
            unit_name = get(f"{unit}_name") or ""
            out.append(unit_name)
            if unit_name:
                self.units.add(unit_name)
        return tuple(out)

    def finish(self, result: Validation) -> None:
        result.issues.sort(key=lambda i: (i.row is not None, i.row or 0))
        result.unit_names = set(self.units)
        existing, new = resolve_units(None, result.unit_names, create=False)
        result.new_units = len(new)


# ------------------------------------------------------------------------------------------
# Writing
# ------------------------------------------------------------------------------------------


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def resolve_units(actor, names: set[str], *, create: bool, note: str = ""
                  ) -> tuple[dict[str, int], set[str]]:
    """Unit ids by exact name (the oldest unit of a name, as `unit_named`); with create=True the
    missing ones are created, each with its audit event (the caller holds the transaction)."""
    ids: dict[str, int] = {}
    for chunk in _chunks(sorted(names), 500):
        for name, pk in Organisation.objects.filter(name__in=chunk).order_by("-id").values_list(
                "name", "id"):
            ids[name] = pk  # descending ids: the oldest one is written last and wins
    new = set(names) - ids.keys()
    if create and new:
        units = Organisation.objects.bulk_create([Organisation(name=n) for n in sorted(new)],
                                                 batch_size=1000)
        AuditEvent.objects.bulk_create(
            [audit.build_event(actor, AuditAction.CREATE, u, after=audit.snapshot(u), note=note)
             for u in units], batch_size=1000)
        ids.update({u.name: u.pk for u in units})
    return ids, new


def _place_builder():
    """A fast Place(...) for checked rows: positional values in field order (the form
    Model.from_db uses), defaults for the fields a row does not set."""
    plan = []
    for f in Place._meta.concrete_fields:
        if f.attname in ("owner_id", "manager_id", "occupant_id"):
            plan.append(("unit", READY_INDEX[f.attname[:-3] + "_name"]))
        elif f.name == "jurisdiction":
            plan.append(("jurisdiction", READY_INDEX["jurisdiction"]))
        elif f.attname in READY_INDEX:
            plan.append(("row", READY_INDEX[f.attname]))
        elif f.primary_key:
            plan.append(("value", None))
        else:
            plan.append(("default", f))
    j_index = READY_INDEX["jurisdiction"]

    def build(row: tuple, unit_ids: dict) -> Place:
        args = []
        for how, key in plan:
            if how == "row":
                args.append(row[key])
            elif how == "unit":
                args.append(unit_ids.get(row[key]) if row[key] else None)
            elif how == "jurisdiction":
                args.append(row[key].pk)
            elif how == "value":
                args.append(None)
            else:
                args.append(key.get_default())
        place = Place(*args)
        place.jurisdiction = row[j_index]  # cached: no query for its code
        return place
    return build


def commit(user, validation: Validation, *, note: str = "",
           progress: Progress | None = None) -> int:
    """Write every checked row in one transaction, or nothing. Returns the number of places."""
    if not validation.ok:
        raise ImportRefused(validation)
    note = note or IMPORT_NOTE.format(name=validation.filename)[:200]
    rows = validation.ready
    total = len(rows)
    code = READY_INDEX["code"]
    taken = {r[code] for r in rows if r[code]}
    written = 0
    with transaction.atomic():
        unit_ids, new = resolve_units(user, validation.unit_names, create=True, note=note)
        build = _place_builder()
        for chunk in _chunks(rows, WRITE_CHUNK):
            places = [build(r, unit_ids) for r in chunk]
            for place in places:
                place.jurisdiction_code = place.jurisdiction.code
            services.assign_codes(places, taken)
            offset = written
            services.bulk_create_places(
                user, places, note=note,
                progress=(lambda n, offset=offset: progress("writing", offset + n, total))
                if progress else None)
            written += len(places)
    validation.created = written
    validation.new_units = len(new)
    return written


def import_file(user, path, *, filename: str = "", dry_run: bool = False,
                progress: Progress | None = None) -> Validation:
    """Check, then (unless dry_run) write all or nothing. Raises ImportRefused on errors."""
    validation = check(user, path, filename=filename, progress=progress)
    if not validation.ok:
        raise ImportRefused(validation)
    if not dry_run:
        commit(user, validation, progress=progress)
    return validation


# ------------------------------------------------------------------------------------------
# Jobs (the web flow)
# ------------------------------------------------------------------------------------------

# Write-phase progress of running commits in this process: job id → (phase, done, total).
LIVE: dict = {}


def upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def create_job(user, upload, original_name: str) -> ImportJob:
    """Store an uploaded file (any file-like with chunks() or read()) under MEDIA_ROOT/imports/."""
    job = ImportJob(user=user, original_name=original_name[:200])
    relative = Path("imports") / f"{job.id}.xlsx"
    target = upload_dir() / relative.name
    with target.open("wb") as out:
        if hasattr(upload, "chunks"):
            for piece in upload.chunks():
                out.write(piece)
        else:
            out.write(upload.read())
    job.file_path = str(relative)
    job.save()
    return job


def job_path(job: ImportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / job.file_path


def progress_writer(job_id, every: float = 0.5) -> Progress:
    """Progress to the job row, outside any transaction, at most every `every` seconds."""
    last = [0.0]

    def update(phase: str, done: int, total: int) -> None:
        LIVE[job_id] = (phase, done, total)
        now = time.monotonic()
        if now - last[0] >= every or done >= total:
            last[0] = now
            if not connections["default"].in_atomic_block:
                ImportJob.objects.filter(pk=job_id).update(done_rows=done, total_rows=total)
    return update


def run_validation_job(job_id) -> ImportJob:
    """uploaded → validating → validated (with its report) | failed."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    job.transition(ImportStatus.VALIDATING)
    try:
        validation = check(job.user, job_path(job), filename=job.original_name,
                           progress=progress_writer(job.pk))
    except Exception:
        log.exception("import check %s failed", job.pk)
        job.transition(ImportStatus.FAILED, error=M_UNEXPECTED, finished_at=timezone.now())
        return job
    finally:
        LIVE.pop(job.pk, None)
    counts = validation.counts()
    job.transition(ImportStatus.VALIDATED, layout=validation.layout, report=validation.report(),
                   total_rows=counts["total"], done_rows=counts["total"],
                   finished_at=timezone.now())
    return job


def run_commit_job(job_id) -> ImportJob:
    """committing → committed | failed. The file is checked again first (the ledger may have
    changed since the dry run); any error then stops the import before anything is written."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status != ImportStatus.COMMITTING:
        job.transition(ImportStatus.COMMITTING)
    progress = progress_writer(job.pk)
    try:
        validation = check(job.user, job_path(job), filename=job.original_name, progress=progress)
        if not validation.ok:
            job.transition(ImportStatus.FAILED, report=validation.report(),
                           error=M_CHANGED_SINCE_CHECK, finished_at=timezone.now())
            return job
        commit(job.user, validation, progress=progress)
    except Exception:
        log.exception("import commit %s failed", job.pk)
        job.transition(ImportStatus.FAILED, error=M_UNEXPECTED, finished_at=timezone.now())
        return job
    finally:
        LIVE.pop(job.pk, None)
    job.transition(ImportStatus.COMMITTED, report=validation.report(),
                   done_rows=validation.created, total_rows=validation.created,
                   finished_at=timezone.now())
    return job


def _in_thread(target, job_id) -> None:
    try:
        target(job_id)
    finally:
        connections.close_all()  # this thread's connections only


def start(target, job: ImportJob, *, run_inline: bool | None = None,
          wait: float = 0.0) -> threading.Thread | None:
    """Run `target(job.id)` in a daemon thread (inline when FIRELEDGER_IMPORT_INLINE or asked),
    waiting up to `wait` seconds so a small file is done before the page is shown."""
    if run_inline is None:
        run_inline = getattr(settings, "FIRELEDGER_IMPORT_INLINE", False)
    if run_inline:
        target(job.id)
        return None
    thread = threading.Thread(target=_in_thread, args=(target, job.id), daemon=True,
                              name=f"import-{job.id}")
    thread.start()
    if wait:
        thread.join(wait)
    return thread


def progress_of(job: ImportJob) -> tuple[str, int, int]:
    """(phase, done, total) for the progress bar: this process's live figures when it runs the
    job, else the job row's."""
    live = LIVE.get(job.pk)
    if live:
        return live
    phase = "writing" if job.status == ImportStatus.COMMITTING else "checking"
    return phase, job.done_rows, job.total_rows
