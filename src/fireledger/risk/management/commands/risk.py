"""`fireledger risk`: recompute every place's risk score now (what the nightly job does)."""

import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Recompute the risk index and grade of every place (风险指数重算)"

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, no_progress=False, **options):
        from fireledger.risk import services

        bar = None
        if not no_progress:
            from tqdm import tqdm

            bar = tqdm(unit="场所", desc="风险重算 risk", file=self.stderr._out)

        def progress(done, total):
            bar.total = total
            bar.update(done - bar.n)

        started = time.perf_counter()
        timing = services.recompute_all(progress=progress if bar else None)
        if bar:
            bar.close()
        grades = ", ".join(f"{g} {n}" for g, n in timing.grades.items())
        self.stdout.write(self.style.SUCCESS(
            f"风险重算完成 / risk recomputed: {timing.places} 个场所 places, "
            f"{timing.changed} 处变化 changed ({grades}) in {time.perf_counter() - started:.1f} s "
            f"(queries {timing.queries:.1f} s, combine {timing.combine:.1f} s, "
            f"write {timing.write:.1f} s)"))
