"""Huey jobs of the hazard register. `fireledger run_huey` runs them (make run starts it)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import sweep


@db_periodic_task(crontab(hour="1", minute="10"))
def nightly_sweep():
    """Every night at 01:10 (Asia/Shanghai); a missed night is caught up by the next run."""
    run = sweep.run()
    return run.counts
