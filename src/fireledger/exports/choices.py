"""Export kinds and job statuses, with the jobs' transition table."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    HAZARDS = "hazards", _("hazard register")
    RECTIFICATIONS = "rectifications", _("rectification responsibility list")
    LISTED = "listed", _("listed supervision list")
    PLACES = "places", _("place ledger")
    INSPECTIONS = "inspections", _("inspection records")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


TRANSITIONS: dict[str, frozenset[str]] = {
    JobStatus.QUEUED: frozenset({JobStatus.RUNNING, JobStatus.FAILED}),
    JobStatus.RUNNING: frozenset({JobStatus.DONE, JobStatus.FAILED}),
    JobStatus.DONE: frozenset(),
    JobStatus.FAILED: frozenset(),
}
