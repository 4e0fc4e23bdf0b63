"""`fireledger sweep [--today YYYY-MM-DD] [--no-notify]`: run the escalation sweep now.

The Huey periodic task (hazards/tasks.py) runs the same thing every night; this command is for
a machine with no consumer running, or to catch up by hand. Safe to run any number of times.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from fireledger.hazards import sweep


class Command(BaseCommand):
    help = "Send deadline reminders and escalate overdue hazards (idempotent, catches up)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="sweep up to this date (default: today)")
        parser.add_argument("--no-notify", action="store_true", help="do not call webhooks")

    def handle(self, *args, today=None, no_notify=False, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError(f"--today must be YYYY-MM-DD, not {today!r}") from None
        days = sweep.days_to_sweep(day or timezone.localdate())
        with tqdm(total=len(days), unit="day", disable=options["verbosity"] == 0) as bar:
            run = sweep.run(day, progress=lambda d: bar.update(1), notify=not no_notify)
        summary = ", ".join(f"{step}={n}" for step, n in run.counts.items() if n) or "nothing"
        self.stdout.write(f"swept {run.first_day} – {run.last_day}: {summary}")
