"""Demo exports: the street officer's open-hazard register and the district's listed-supervision
list, made through the job path (start_export → run_export), so "My exports" shows finished
jobs with files to download. Deterministic given the demo data; call after the hazards."""

from fireledger.core.models import User

from . import services
from .choices import Kind

DEMO_EXPORTS = (("street", Kind.HAZARDS, "status=open"), ("district", Kind.LISTED, ""),
                ("district", Kind.RECTIFICATIONS, "overdue=true"))


def generate_demo_exports() -> dict[str, int]:
    """One finished job per DEMO_EXPORTS entry whose user exists; {kind: rows} of those made."""
    made = {}
    users = {u.username: u for u in User.objects.filter(
        username__in={username for username, _kind, _query in DEMO_EXPORTS})}
    for username, kind, query in DEMO_EXPORTS:
        user = users.get(username)
        if user is None:
            continue
        job = services.run_export(services.start_export(user, kind, query).pk)
        made[f"{username}:{kind}"] = job.done_rows
    return made


def delete_exports() -> None:
    """For `demo --reset`: the jobs and their files."""
    from pathlib import Path

    from django.conf import settings

    from .models import ExportJob

    for relative in ExportJob.objects.exclude(file_path="").values_list("file_path", flat=True):
        (Path(settings.MEDIA_ROOT) / relative).unlink(missing_ok=True)
    ExportJob.objects.all().delete()
