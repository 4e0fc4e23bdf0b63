"""`fireledger import_places FILE --user USERNAME [--dry-run]`: the web import, from a shell.

Checks every row first and prints the report (in the active language, Chinese by default);
then writes all rows in one transaction, or nothing. Exits non-zero when the file has errors.
"""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from fireledger.core.models import User
from fireledger.places import imports
from fireledger.places.sheets import ERROR, WARNING


class Command(BaseCommand):
    help = ("Import places from an .xlsx (the system template or the 附件1.3.2 mall survey sheet) "
            "as USERNAME, within that user's scope; all rows or none.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument("--user", required=True, help="import as this user (their scope)")
        parser.add_argument("--dry-run", action="store_true",
                            help="check and report only; write nothing")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, file, user, dry_run, no_progress, **options):
        try:
            actor = User.objects.get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"no user named {user!r}") from None
        bars: dict[str, tqdm] = {}
        quiet = no_progress or options.get("verbosity", 1) < 1

        def progress(phase: str, done: int, total: int) -> None:
            if quiet:
                return
            bar = bars.get(phase)
            if bar is None:
                label = {"checking": "检查 / checking", "writing": "写入 / writing"}[phase]
                bar = bars[phase] = tqdm(total=total, desc=label, unit="行", file=self.stderr._out)
            bar.total = total
            bar.update(done - bar.n)

        validation = imports.check(actor, file, progress=progress)
        self._report(validation)
        if not validation.ok:
            self._close(bars)
            raise CommandError(f"{validation.error_count} error(s); nothing was imported")
        if dry_run:
            self._close(bars)
            self.stdout.write(f"dry run: {len(validation.ready)} place(s) would be imported")
            return
        written = imports.commit(actor, validation, progress=progress)
        self._close(bars)
        self.stdout.write(self.style.SUCCESS(
            f"{written} place(s) imported, {validation.new_units} new unit(s)"))

    def _close(self, bars) -> None:
        for bar in bars.values():
            bar.close()

    def _report(self, validation) -> None:
        counts = validation.counts()
        for line in validation.messages((ERROR,)):
            self.stdout.write(self.style.ERROR(line))
        for line in validation.messages((WARNING,)):
            self.stdout.write(self.style.WARNING(line))
        self.stdout.write(
            f"{validation.filename}: layout={validation.layout or '-'} rows={counts['total']} "
            f"ok={counts['ok']} warnings={counts['warning']} errors={counts['error']} "
            f"skipped={counts['skipped']}")
