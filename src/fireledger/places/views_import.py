"""Import and export pages: upload → dry-run report (with progress) → commit; downloads.

The check and the write run in a background thread (`imports.start`); the report page polls a
small progress fragment with htmx until the job is done. A job is visible to its owner only.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from fireledger.core.jobs import InvalidTransition
from fireledger.core.scope import may_ever

from . import exports, imports, sheets
from .models import ImportJob, ImportStatus
from .views import filtered_places

# Seconds the upload and commit requests wait for the thread, so a small file is done at once.
WAIT_SECONDS = 2.0
REPORT_PAGE_SIZE = 100
SHOW = {
    "problems": ("error", "warning", "skipped"),
    "errors": ("error",),
    "warnings": ("warning", "skipped"),
    "ok": ("ok",),
    "all": ("ok", "warning", "error", "skipped"),
}
LAYOUT_LABELS = {
    sheets.LAYOUT_SYSTEM: _("system template"),
    sheets.LAYOUT_MALL: _("mall survey sheet (附件1.3.2)"),
}
LEVEL_LABELS = {"ok": _("OK"), "warning": _("warning"), "error": _("error"),
                "skipped": _("skipped")}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"), allow_empty_file=True,
                           widget=forms.ClearableFileInput(attrs={
                               "accept": ".xlsx,application/vnd.openxmlformats-officedocument."
                                         "spreadsheetml.sheet",
                               "class": "form-control"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.FIRELEDGER_IMPORT_MAX_BYTES
        if upload.size == 0:
            raise ValidationError(gettext(sheets.M_EMPTY_FILE))
        if upload.size > limit:
            raise ValidationError(gettext("The file is larger than %(mb)s MB.")
                                  % {"mb": megabytes(limit)})
        problem = sheets.sniff_file(upload, upload.name)
        if problem:
            raise ValidationError(gettext(problem))
        return upload


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f}"


def _job(request, job_id) -> ImportJob:
    """The user's own job; anyone else's does not exist for them (404)."""
    return get_object_or_404(ImportJob.objects.exclude(layout=ImportJob.STREET_SUMMARY),
                             pk=job_id, user=request.user)


def _can_commit(job: ImportJob) -> bool:
    counts = (job.report or {}).get("counts") or {}
    ready = counts.get("total", 0) - counts.get("skipped", 0)
    return (job.status == ImportStatus.VALIDATED and not counts.get("error")
            and not counts.get("file_errors") and ready > 0)


def _rendered(issue: dict) -> dict:
    return {**issue, "text": sheets.render(issue, gettext)}


def rendered(issues: list) -> list:
    """Issues with their message in the user's language."""
    return [_rendered(issue) for issue in issues]


def split_issues(report: dict) -> tuple[list, dict[int, list]]:
    """An import report's issues: those about the file (no row, or in the title and header,
    rendered) and the rest by row (rendered when a page shows them). Shared with the street
    table import."""
    header_row = report.get("header_row") or 0
    by_row: dict[int, list] = {}
    file_issues = []
    for issue in report.get("issues", []):
        if issue["row"] is None or issue["row"] <= header_row:
            file_issues.append(_rendered(issue))
        else:
            by_row.setdefault(issue["row"], []).append(issue)
    return file_issues, by_row


def _list_url(job: ImportJob) -> str:
    """The place list, narrowed to the imported category when the file had only one."""
    categories = (job.report or {}).get("categories") or []
    url = reverse("places:list")
    return f"{url}?{urlencode({'category': categories[0]})}" if len(categories) == 1 else url


def _committed_message(request, job: ImportJob) -> None:
    messages.success(request, gettext("%(n)s places imported from “%(file)s”.") % {
        "n": (job.report or {}).get("created", 0), "file": job.original_name})


@login_required
def import_upload(request):
    if not may_ever(request.user, "create"):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = imports.create_job(request.user, upload, upload.name)
        imports.start(imports.run_validation_job, job, wait=WAIT_SECONDS)
        job.refresh_from_db()
        file_errors = [i for i in (job.report or {}).get("issues", [])
                       if i["row"] is None and i["level"] == sheets.ERROR]
        if job.status == ImportStatus.VALIDATED and file_errors:
            # The sheet as a whole is unusable (empty, no header): say so on the form.
            for issue in file_errors:
                form.add_error("file", sheets.render(issue, gettext))
            imports.job_path(job).unlink(missing_ok=True)
            job.delete()
        else:
            return redirect("places:import_report", job_id=job.pk)
    return render(request, "places/import_upload.html", {
        "form": form,
        "jobs": ImportJob.objects.filter(user=request.user).exclude(
            layout=ImportJob.STREET_SUMMARY)[:10],
        "max_mb": megabytes(settings.FIRELEDGER_IMPORT_MAX_BYTES),
    })


@login_required
def import_report(request, job_id):
    job = _job(request, job_id)
    report = job.report or {}
    show = request.GET.get("show")
    counts = report.get("counts") or {}
    if show not in SHOW:
        show = "problems" if counts.get("error") or counts.get("warning") else "all"
    file_issues, by_row = split_issues(report)
    levels = SHOW[show]
    rows = [r for r in report.get("rows", []) if r[2] in levels]
    page = Paginator(rows, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    page_rows = [{"row": n, "name": name, "level": level, "label": LEVEL_LABELS[level],
                  "issues": rendered(by_row.get(n, []))}
                 for n, name, level in page.object_list]
    return render(request, "places/import_report.html", {
        "job": job,
        "report": report,
        "counts": counts,
        "layout_label": LAYOUT_LABELS.get(report.get("layout"), ""),
        "file_issues": file_issues,
        "page": page,
        "page_rows": page_rows,
        "show": show,
        "tabs": [(key, label, _tab_count(key, counts)) for key, label in (
            ("problems", _("problems")), ("errors", _("errors")), ("warnings", _("warnings")),
            ("ok", _("OK")), ("all", _("all rows")))],
        "can_commit": _can_commit(job),
        "ready": counts.get("total", 0) - counts.get("skipped", 0) - counts.get("error", 0),
        "progress": progress_context(job),
        "list_url": _list_url(job),
    })


def _tab_count(key: str, counts: dict) -> int:
    return sum(counts.get(level, 0) for level in SHOW[key])


def progress_context(job: ImportJob) -> dict:
    phase, done, total = imports.progress_of(job)
    percent = min(100, int(done * 100 / total)) if total else 0
    return {"phase": phase, "done": done, "total": total, "percent": percent,
            "waiting": job.status == ImportStatus.UPLOADED}


def progress_or_on(request, job: ImportJob, *, template: str, context: dict, report_url: str,
                   done_url, committed):
    """The progress fragment while a job runs; once it is done, send the browser on (to
    done_url(job) after a commit, else to the report). Shared with the street table import."""
    if job.is_running:
        return render(request, template, {"job": job, **context})
    if job.status == ImportStatus.COMMITTED:
        committed(request, job)
        target = done_url(job)
    else:
        target = report_url
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


def start_commit(request, job: ImportJob, *, run, report_url: str, done_url, committed,
                 can_commit=None):
    """Commit a checked job once (a second click is told it started); waits a little so a small
    file lands before the page answers. Shared with the street table import."""
    if not (can_commit or _can_commit)(job):
        messages.error(request, gettext("This file cannot be imported: it has errors or has "
                                        "already been imported."))
        return redirect(report_url)
    try:
        job.transition(ImportStatus.COMMITTING, done_rows=0)
    except InvalidTransition:  # another click started it first
        messages.warning(request, gettext("This import has already started."))
        return redirect(report_url)
    imports.start(run, job, wait=WAIT_SECONDS)
    job.refresh_from_db()
    if job.status == ImportStatus.COMMITTED:
        committed(request, job)
        return redirect(done_url(job))
    return redirect(report_url)


@login_required
def import_progress(request, job_id):
    job = _job(request, job_id)
    return progress_or_on(request, job, template="places/_import_progress.html",
                          context={"progress": progress_context(job)},
                          report_url=reverse("places:import_report", args=[job.pk]),
                          done_url=_list_url, committed=_committed_message)


@require_POST
@login_required
def import_commit(request, job_id):
    job = _job(request, job_id)
    return start_commit(request, job, run=imports.run_commit_job,
                        report_url=reverse("places:import_report", args=[job.pk]),
                        done_url=_list_url, committed=_committed_message)
    try:
        job.transition(ImportStatus.COMMITTING, done_rows=0)
    except InvalidTransition:  # another click started it first
        messages.warning(request, gettext("This import has already started."))
        return redirect("places:import_report", job_id=job.pk)
    imports.start(imports.run_commit_job, job, wait=WAIT_SECONDS)
    job.refresh_from_db()
    if job.status == ImportStatus.COMMITTED:
        _committed_message(request, job)
        return redirect(_list_url(job))
    return redirect("places:import_report", job_id=job.pk)


@login_required
def import_template(request):
    return exports.template_response(request.user)


@login_required
def export_places(request):
    place_filter = filtered_places(request)
    if not place_filter.is_valid():
        return redirect(f"{reverse('places:list')}?{request.GET.urlencode()}")
    queryset = place_filter.qs
    if queryset.count() > exports.EXCEL_MAX_DATA_ROWS:
        messages.error(request, gettext("More than %(n)s places match: narrow the filters to "
                                        "export them to one sheet.")
                       % {"n": exports.EXCEL_MAX_DATA_ROWS})
        return redirect(f"{reverse('places:list')}?{request.GET.urlencode()}")
    return exports.export_response(queryset)
