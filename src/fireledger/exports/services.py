"""Export jobs: ask for one (checked, recorded), run it (streamed, with progress), sweep old files.

Exports carry personal data (names, phones): each one is an audit event naming who exported
which table with which filter, and another with the row count once the file exists.
"""

from __future__ import annotations

import datetime
import os
from contextlib import nullcontext
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext

from fireledger.core import audit
from fireledger.core.choices import AuditAction
from fireledger.core.jobs import InvalidTransition

from . import registers
from .choices import JobStatus, Kind
from .models import ExportJob

EXPORT_DIR = "exports"
KEEP_DAYS = 7  # files are deleted this many days after the export (the job row stays)
PROGRESS_EVERY = registers.CHUNK
MAX_UNFINISHED = 3  # a user's exports queued or running at once: more waits for one to end
STALE_AFTER = datetime.timedelta(hours=6)  # a job unfinished this long lost its worker
ONE_SHEET_MAX_ROWS = 1_048_575  # places and inspections exports write one sheet


def keep_days() -> int:
    return int(getattr(settings, "FIRELEDGER_EXPORT_KEEP_DAYS", KEEP_DAYS))


def _query(query: str) -> QueryDict:
    data = QueryDict(query, mutable=True)
    data.pop("page", None)
    return data


def _queryset(user, kind: str, query: str):
    """The rows of the export as the list page shows them (same FilterSet, same scope)."""
    if kind == Kind.PLACES:
        from fireledger.places.filters import PlaceFilter
        from fireledger.places.models import Place

        place_filter = PlaceFilter(_query(query), queryset=Place.objects.visible_to(user, "view"),
                                   request=SimpleNamespace(user=user, GET=_query(query)))
        if not place_filter.is_valid():
            raise registers.FilterError("; ".join(
                f"{field}: {' '.join(errors)}" for field, errors in place_filter.errors.items()))
        return place_filter.qs
    if kind == Kind.INSPECTIONS:
        from fireledger.inspections.forms import RecordFilterForm
        from fireledger.inspections.models import Inspection

        form = RecordFilterForm(_query(query), user=user)
        if not form.is_valid():
            raise registers.FilterError("; ".join(
                f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()))
        return form.filter(Inspection.objects.visible_to(user, "view"))
    return registers.hazard_queryset(user, _query(query), kind)


def describe_filter(job: ExportJob) -> list[tuple[str, str]]:
    """(label, value) of each filter the job was made with, in the UI language, for its page."""
    data = _query(job.query)
    if not data:
        return []
    if job.kind == Kind.INSPECTIONS:
        from fireledger.inspections.forms import RecordFilterForm

        form = RecordFilterForm(data, user=job.user)
    elif job.kind == Kind.PLACES:
        from fireledger.places.filters import PlaceFilter

        form = PlaceFilter(data, request=SimpleNamespace(user=job.user, GET=data)).form
    else:
        from fireledger.hazards.filters import HazardFilter

        form = HazardFilter(data).form
    described = []
    for name, field in form.fields.items():
        values = data.getlist(name)
        if not any(values):
            continue
        choices = {str(k): str(v) for k, v in getattr(field, "choices", ()) or ()}
        shown = "、".join(choices.get(v, v) for v in values if v)
        described.append((str(field.label or name), shown))
    return described


def start_export(user, kind: str, query: str = "") -> ExportJob:
    """A queued job for `kind` over the list filtered by `query` (the list page's query string).

    Refuses an unknown kind or a filter that does not validate, saving nothing.
    """
    if kind not in Kind.values:
        raise ValidationError(gettext("Unknown export “%(kind)s”.") % {"kind": kind})
    query = _query(query).urlencode()
    if len(query) > ExportJob._meta.get_field("query").max_length:
        raise ValidationError(gettext("The filter is too long to export."))
    try:
        _queryset(user, kind, query)
    except registers.FilterError as error:
        raise ValidationError(gettext("The filter is not valid: %(errors)s")
                              % {"errors": error}) from error
    unfinished = ExportJob.objects.filter(
        user=user, status__in=(JobStatus.QUEUED, JobStatus.RUNNING),
        created_at__gt=timezone.now() - STALE_AFTER)
    if unfinished.count() >= MAX_UNFINISHED:
        raise ValidationError(gettext("You already have %(n)s exports in progress: wait for one "
                                      "to finish.") % {"n": MAX_UNFINISHED})
    with transaction.atomic():
        job = ExportJob.objects.create(user=user, kind=kind, query=query)
        audit.record_create(user, job, note=f"export {kind} ?{query}"[:200])
    return job


class _Progress:
    """Writes done_rows while the export reads. On PostgreSQL the read holds a transaction (its
    server-side cursor), so progress goes through a second connection to be seen meanwhile."""

    def __init__(self, job: ExportJob, also=None):
        self.job = job
        self.also = also
        self.side = None
        if connection.vendor == "postgresql":
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self, done: int) -> None:
        if self.side is not None:
            with self.side.cursor() as cursor:
                cursor.execute(f"UPDATE {ExportJob._meta.db_table} SET done_rows = %s "
                               "WHERE id = %s", [done, self.job.pk])
        else:
            ExportJob.objects.filter(pk=self.job.pk).update(done_rows=done)
        if self.also is not None:
            self.also(done, self.job.total_rows)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def _write(job: ExportJob, path: Path, progress, max_rows: int | None) -> int:
    queryset = _queryset(job.user, job.kind, job.query)
    if job.kind == Kind.PLACES:
        from fireledger.places.exports import write_places

        return write_places(queryset, path)
    if job.kind == Kind.INSPECTIONS:
        from fireledger.inspections.record_export import write_records

        return write_records(queryset, path)
    register = registers.REGISTERS[job.kind]
    sql, params = registers.rows_sql(queryset, register)
    # PostgreSQL: one transaction, so the cursor streams from the server (no WITH HOLD copy).
    # SQLite: no transaction, as atomic() would take the write lock for the whole export.
    reading = transaction.atomic() if connection.vendor == "postgresql" else nullcontext()
    with reading:
        return registers.write(register, sql, params, path, progress=progress,
                               max_rows=max_rows, every=PROGRESS_EVERY)


def run_export(job_id, *, target: str | os.PathLike | None = None, progress=None,
               max_rows: int | None = None) -> ExportJob:
    """Run a queued job: count, stream the rows into the file, record the outcome.

    `target` writes somewhere else than MEDIA_ROOT/exports/ (the CLI); `progress(done, total)`
    is called as rows go (the CLI's bar). A failure leaves the job failed with its reason and no
    half-written file.
    """
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    try:
        total = _queryset(job.user, job.kind, job.query).count()
    except registers.FilterError as error:
        job.transition(JobStatus.FAILED, error=str(error), finished_at=timezone.now())
        return job
    if job.kind in (Kind.PLACES, Kind.INSPECTIONS):
        total = min(total, ONE_SHEET_MAX_ROWS)
    job.transition(JobStatus.RUNNING, total_rows=total, done_rows=0)
    if target is None:
        relative = f"{EXPORT_DIR}/{job.pk.hex}.xlsx"
        path = Path(settings.MEDIA_ROOT) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
    else:
        path, relative = Path(target), ""
    tracker = _Progress(job, progress)
    try:
        rows = _write(job, path, tracker, max_rows)
    except Exception as error:  # noqa: BLE001 - the job records why it failed
        path.unlink(missing_ok=True)
        job.transition(JobStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000],
                       finished_at=timezone.now())
        raise
    finally:
        tracker.close()
    if progress is not None:
        progress(rows, rows)
    register = registers.REGISTERS.get(job.kind)
    name = registers.file_name(register) if register else other_file_name(job.kind)
    with transaction.atomic():
        job.transition(JobStatus.DONE, done_rows=rows, total_rows=rows, file_path=relative,
                       file_name=name, finished_at=timezone.now())
        audit.record(job.user, AuditAction.CHANGE, job,
                     before={"status": JobStatus.RUNNING},
                     after={"status": JobStatus.DONE, "rows": rows, "kind": job.kind,
                            "query": job.query},
                     note=f"exported {rows} rows")
    return job


def other_file_name(kind: str) -> str:
    """The file names of the place ledger's and the inspection list's own exports."""
    if kind == Kind.INSPECTIONS:
        from fireledger.inspections.record_export import export_filename
    else:
        from fireledger.places.exports import export_filename
    return export_filename()


def job_file(job: ExportJob) -> Path | None:
    """The job's file if it is done and still on disk."""
    if job.status != JobStatus.DONE or not job.file_path:
        return None
    path = Path(settings.MEDIA_ROOT) / job.file_path
    return path if path.is_file() else None


def sweep_old_files(now: datetime.datetime | None = None) -> int:
    """Delete the files of exports older than keep_days() (the job rows stay as the record),
    and fail the jobs left unfinished for STALE_AFTER (their worker died). Idempotent;
    returns how many files went."""
    now = now or timezone.now()
    stale = ExportJob.objects.filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING),
                                     created_at__lte=now - STALE_AFTER)
    for job in stale:
        before = job.status
        try:
            with transaction.atomic():
                job.transition(JobStatus.FAILED, finished_at=now, error=gettext(
                    "The export was not finished in time; start it again."))
                audit.record(None, AuditAction.CHANGE, job, before={"status": before},
                             after={"status": JobStatus.FAILED}, note="sweep: unfinished")
        except InvalidTransition:  # it finished meanwhile
            continue
        (Path(settings.MEDIA_ROOT) / EXPORT_DIR / f"{job.pk.hex}.xlsx").unlink(missing_ok=True)
    cutoff = now - datetime.timedelta(days=keep_days())
    removed = 0
    for job in ExportJob.objects.filter(created_at__lte=cutoff).exclude(file_path=""):
        path = Path(settings.MEDIA_ROOT) / job.file_path
        with transaction.atomic():
            ExportJob.objects.filter(pk=job.pk).update(file_path="")
            audit.record(None, AuditAction.CHANGE, job, before={"file_path": job.file_path},
                         after={"file_path": ""}, note="sweep: file deleted")
        if path.is_file():
            path.unlink()
            removed += 1
    return removed
