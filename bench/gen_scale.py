"""Write bench-scale ledger data into the database named by DATABASE_URL.

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/gen_scale.py --places 1000000

Migrates first, refuses to write into a database that already holds places, then generates
~100k places per district (11 streets, 7-9 communities per street, 5-7 grids per community)
in chunks of 10k rows with fireledger.places.generator.generate_scale, and finishes with
ANALYZE (SQLite) or VACUUM ANALYZE (PostgreSQL) so the planner has statistics.
"""

import argparse
import time

from _common import db_description, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--chunk", type=int, default=10_000)
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args()

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from fireledger.places.generator import generate_scale
    from fireledger.places.models import Place

    print(f"database: {db_description()}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if Place.objects.exists():
        raise SystemExit("this database already holds places; use a fresh one for bench data")

    bar = None
    if not args.no_progress:
        from tqdm import tqdm

        bar = tqdm(total=args.places, unit="places", smoothing=0.05)

    def progress(n):
        if bar:
            bar.update(n - bar.n)

    t0 = time.perf_counter()
    summary = generate_scale(args.places, seed=args.seed, chunk=args.chunk, progress=progress)
    if bar:
        bar.close()
    t_write = time.perf_counter() - t0

    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    t_analyze = time.perf_counter() - t0

    print(", ".join(f"{k} {v}" for k, v in summary.items()))
    print(f"write {t_write:.1f} s ({summary['places'] / t_write:,.0f} places/s), "
          f"analyze {t_analyze:.1f} s, total with migrate {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
