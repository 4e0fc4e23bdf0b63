"""Huey jobs of the exports. `fireledger run_huey` runs them; tests run Huey immediate."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services


@db_task()
def run_export(job_id: str) -> int:
    """Make the job's file; returns its row count."""
    return services.run_export(job_id).done_rows


@db_periodic_task(crontab(hour="2", minute="40"))
def sweep_old_exports() -> int:
    """Every night: delete the files of exports older than the keep period."""
    return services.sweep_old_files()
