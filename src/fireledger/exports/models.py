"""Export jobs: one .xlsx of a list, made in the background with its progress."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fireledger.core.jobs import GuardedStatus

from . import choices
from .choices import JobStatus, Kind




class ExportJob(GuardedStatus, models.Model):
    """One export asked for by a user: what (kind + the list's filter), how far, and the file.

    The id is a random UUID: job pages and downloads are never enumerable. Progress is written
    outside any long transaction so the job page can poll it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                             on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("export"), max_length=20, choices=Kind.choices)
    query = models.CharField(_("filter"), max_length=2000, blank=True,
                             help_text=_("The list's query string"))
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices,
                              default=JobStatus.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    done_rows = models.PositiveIntegerField(_("rows done"), default=0)
    file_path = models.CharField(_("file"), max_length=300, blank=True,
                                 help_text=_("Relative to MEDIA_ROOT"))
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        indexes = [models.Index(fields=["user", "created_at"], name="exportjob_user_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_status_display()}"

    TRANSITIONS = choices.TRANSITIONS  # a task delivered twice cannot run the export twice

    @property
    def is_running(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, self.done_rows * 100 // self.total_rows)
