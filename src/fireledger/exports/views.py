"""Export pages: start a job from a list, follow its progress, download the file (owner only)."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import services, tasks
from .choices import Kind
from .models import ExportJob

logger = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_PAGES = {Kind.HAZARDS: "hazards:list", Kind.RECTIFICATIONS: "hazards:list",
              Kind.LISTED: "hazards:list", Kind.PLACES: "places:list",
              Kind.INSPECTIONS: "inspections:list"}


def _own_job(request, job_id) -> ExportJob:
    """The user's own job; anybody else's does not exist for them (404)."""
    return get_object_or_404(ExportJob, pk=job_id, user=request.user)


@login_required
@require_POST
def start(request, kind: str):
    """POST /exports/start/<kind>/ with `query` (the list's query string): queue the job."""
    if kind not in Kind.values:
        raise Http404
    query = request.POST.get("query", "")
    try:
        job = services.start_export(request.user, kind, query)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        back = reverse(LIST_PAGES[kind])
        return redirect(f"{back}?{query}" if query else back)
    try:
        tasks.run_export(str(job.pk))
    except Exception:  # noqa: BLE001 - immediate mode: the job page shows the failure
        logger.exception("export %s failed", job.pk)
    return redirect("exports:job", job_id=job.pk)


@login_required
def job_list(request):
    jobs = ExportJob.objects.filter(user=request.user)[:50]
    return render(request, "exports/list.html", {"jobs": jobs})


def _back_url(job: ExportJob) -> str:
    url = reverse(LIST_PAGES.get(job.kind, "exports:list"))
    return f"{url}?{job.query}" if job.query else url


@login_required
def job_detail(request, job_id):
    job = _own_job(request, job_id)
    return render(request, "exports/job.html", {
        "job": job, "back_url": _back_url(job), "available": services.job_file(job) is not None,
        "filters": services.describe_filter(job)})


@login_required
def job_progress(request, job_id):
    """The progress card alone, polled by htmx every second until the job ends."""
    job = _own_job(request, job_id)
    return render(request, "exports/_progress.html", {
        "job": job, "available": services.job_file(job) is not None})


@login_required
def download(request, job_id):
    job = _own_job(request, job_id)
    path = services.job_file(job)
    if path is None:
        raise Http404
    response = FileResponse(path.open("rb"), as_attachment=True, filename=job.file_name,
                            content_type=XLSX)
    response["Cache-Control"] = "private, no-store"
    return response


