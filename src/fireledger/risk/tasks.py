"""Huey jobs of the risk app. `fireledger run_huey` runs them (make run starts it)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(hour="2", minute="30"))
def nightly_recompute():
    """Every night at 02:30 (after the escalation sweep at 01:10, whose steps it does not read
    but whose day it shares): every place, so time-based factors (overdue, days since the last
    inspection, building age) move even where no record changed."""
    timing = services.recompute_all()
    return {"places": timing.places, "changed": timing.changed, **timing.grades}
