"""一栋一册 (a place's book and its two lists as .xlsx) and the street summary table (附件1.5.2):
download, and import with a dry run first (the place import's job, thread and progress)."""

import itertools

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from fireledger.core.choices import Level
from fireledger.core.forms import DateInput
from fireledger.core.models import Jurisdiction
from fireledger.places import imports, sheets
from fireledger.places.models import ImportJob, ImportStatus, Place
from fireledger.places.views_import import (
    WAIT_SECONDS,
    UploadForm,
    megabytes,
    progress_context,
    progress_or_on,
    rendered,
    split_issues,
    start_commit,
)

from . import book as books
from . import exports, table_import, tables
from .models import Hazard

PREVIEW_ROWS = 50
REPORT_PAGE_SIZE = 100


# ------------------------------------------------------------------------------------------
# 一栋一册
# ------------------------------------------------------------------------------------------


def _visible_place(request, pk: int) -> Place:
    queryset = Place.objects.visible_to(request.user, "view").select_related(
        "jurisdiction__parent__parent__parent", "department", "owner", "manager", "occupant")
    return get_object_or_404(queryset, pk=pk)


@login_required
def place_book(request, place_pk: int):
    place = _visible_place(request, place_pk)
    return render(request, "hazards/book.html", {"book": books.place_book(request.user, place),
                                                 "place": place})


@login_required
def place_book_export(request, place_pk: int):
    place = _visible_place(request, place_pk)
    return exports.book_response(books.place_book(request.user, place, with_history=False))


# ------------------------------------------------------------------------------------------
# The street summary table
# ------------------------------------------------------------------------------------------


def _streets(user, action: str = "view"):
    return Jurisdiction.objects.visible_to(user, action).filter(level=Level.STREET)


def _street(request, action: str = "view"):
    """The street named by ?street=: outside the user's view a 404; not theirs to change
    (when `action` is "change") a 403."""
    pk = request.GET.get("street", "")
    if not pk.isdigit():
        raise Http404
    street = get_object_or_404(_streets(request.user), pk=int(pk))
    if action != "view" and not _streets(request.user, action).filter(pk=street.pk).exists():
        raise PermissionDenied
    return street


@login_required
def street_table(request):
    streets = list(_streets(request.user))
    street = _street(request) if request.GET.get("street") else (streets[0] if streets else None)
    rows = []
    if street is not None:
        rows = list(itertools.islice(tables.street_rows(
            Hazard.objects.visible_to(request.user, "view"), street), PREVIEW_ROWS + 1))
    return render(request, "hazards/street_table.html", {
        "streets": streets,
        "street": street,
        "rows": rows[:PREVIEW_ROWS],
        "more": len(rows) > PREVIEW_ROWS,
        "can_import": street is not None and _streets(request.user, "change").filter(
            pk=street.pk).exists(),
    })


@login_required
def street_table_export(request):
    street = _street(request)
    rows = tables.street_rows(Hazard.objects.visible_to(request.user, "view"), street)
    return exports.street_table_response(street, rows)


class StreetImportForm(UploadForm):
    """The file (checked as the place import checks it), its street and the two dates."""

    street = forms.ModelChoiceField(queryset=Jurisdiction.objects.none(), label=_("street"),
                                    empty_label=None,
                                    widget=forms.Select(attrs={"class": "form-select"}))
    found_on = forms.DateField(label=_("date found"), widget=DateInput(
        attrs={"class": "form-control"}), help_text=_("Recorded on every hazard of the file."))
    rectified_on = forms.DateField(label=_("rectified on"), widget=DateInput(
        attrs={"class": "form-control"}), help_text=_(
        "The date the items under “已整改具体问题” were rectified."))
    field_order = ["street", "file", "found_on", "rectified_on"]

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        found_on, rectified_on = data.get("found_on"), data.get("rectified_on")
        if found_on and found_on > today:
            self.add_error("found_on", _("The date found cannot be in the future."))
        if rectified_on and rectified_on > today:
            self.add_error("rectified_on", _("The rectification date cannot be in the future."))
        if found_on and rectified_on and rectified_on < found_on:
            self.add_error("rectified_on", _("The rectification date cannot be before the date "
                                             "found."))
        return data


@login_required
def street_import(request):
    """Upload: the street must be one where the user may change places."""
    streets = _streets(request.user, "change")
    if not streets.exists():
        raise PermissionDenied
    initial = {"found_on": timezone.localdate(), "rectified_on": timezone.localdate()}
    if request.GET.get("street"):
        initial["street"] = _street(request, "change")
    form = StreetImportForm(request.POST or None, request.FILES or None, streets=streets,
                            initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        job = table_import.create_job(request.user, upload, upload.name, data["street"],
                                      found_on=data["found_on"],
                                      rectified_on=data["rectified_on"])
        imports.start(table_import.run_check_job, job, wait=WAIT_SECONDS)
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
            return redirect("hazards:street_import_report", job_id=job.pk)
    return render(request, "hazards/street_import.html", {
        "form": form,
        "max_mb": megabytes(settings.FIRELEDGER_IMPORT_MAX_BYTES),
        "jobs": ImportJob.objects.filter(user=request.user, layout=table_import.LAYOUT)[:10],
    })


def _job(request, job_id) -> ImportJob:
    """The user's own street-table job; anyone else's does not exist for them (404)."""
    return get_object_or_404(ImportJob, pk=job_id, user=request.user,
                             layout=table_import.LAYOUT)


def _can_commit(job: ImportJob) -> bool:
    counts = (job.report or {}).get("counts") or {}
    return (job.status == ImportStatus.VALIDATED and not counts.get("error")
            and not counts.get("file_errors") and counts.get("open", 0) + counts.get("closed", 0))


def _table_url(job: ImportJob) -> str:
    return f"{reverse('hazards:street_table')}?street={(job.report or {}).get('street', '')}"


@login_required
def street_import_report(request, job_id):
    job = _job(request, job_id)
    report = job.report or {}
    file_issues, by_row = split_issues(report)
    show = "all" if request.GET.get("show") == "all" else "problems"
    rows = report.get("rows", [])
    if show == "problems" and any(r["level"] != "ok" for r in rows):
        rows = [r for r in rows if r["level"] != "ok"]
    else:
        show = "all"
    page = Paginator(rows, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "hazards/street_import_report.html", {
        "job": job,
        "report": report,
        "counts": report.get("counts") or {},
        "file_issues": file_issues,
        "page": page,
        "page_rows": [{**r, "issues": rendered(by_row.get(r["row"], []))}
                      for r in page.object_list],
        "show": show,
        "can_commit": _can_commit(job),
        "progress": progress_context(job),
        "table_url": _table_url(job),
    })


def _committed_message(request, job: ImportJob) -> None:
    messages.success(request, gettext("%(n)s hazards logged from “%(file)s”.") % {
        "n": (job.report or {}).get("created", 0), "file": job.original_name})


@login_required
def street_import_progress(request, job_id):
    job = _job(request, job_id)
    return progress_or_on(request, job, template="hazards/street_import_progress.html",
                          context={"progress": progress_context(job)},
                          report_url=reverse("hazards:street_import_report", args=[job.pk]),
                          done_url=_table_url, committed=_committed_message)


@require_POST
@login_required
def street_import_commit(request, job_id):
    job = _job(request, job_id)
    return start_commit(request, job, run=table_import.run_commit_job,
                        report_url=reverse("hazards:street_import_report", args=[job.pk]),
                        done_url=_table_url, committed=_committed_message,
                        can_commit=_can_commit)

