"""fireledger export KIND OUT.xlsx --user USERNAME [--filter "status=open&…"]

The same job as the list page's Export button (scope, filter, audit event), written to OUT.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from fireledger.core.models import User
from fireledger.exports import services
from fireledger.exports.choices import JobStatus, Kind


class Command(BaseCommand):
    help = ("Export a list to .xlsx as USERNAME (that user's scope), filtered like the list page "
            "(its query string). Kinds: " + ", ".join(Kind.values))

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=Kind.values)
        parser.add_argument("out", help="the .xlsx file to write")
        parser.add_argument("--user", required=True, help="export as this user (their scope)")
        parser.add_argument("--filter", default="", help='the list\'s query string, e.g. '
                            '"status=open&overdue=true"')
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, kind, out, user, filter, no_progress, **options):
        try:
            actor = User.objects.get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"no user named {user!r}") from None
        try:
            job = services.start_export(actor, kind, filter)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        quiet = no_progress or options.get("verbosity", 1) < 1
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if quiet:
                return
            if bar is None:
                bar = tqdm(total=total, desc="导出 / exporting", unit="行", file=self.stderr._out)
            bar.total = total
            bar.update(done - bar.n)

        try:
            job = services.run_export(job.pk, target=out, progress=progress)
        finally:
            if bar is not None:
                bar.close()
        if job.status != JobStatus.DONE:
            raise CommandError(job.error or "the export failed")
        self.stdout.write(f"{job.done_rows} rows → {out}")
