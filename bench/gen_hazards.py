"""Write bench-scale hazards over the places already in the database named by DATABASE_URL.

    DATABASE_URL=sqlite:///$PWD/var/bench.sqlite3 .venv/bin/python bench/gen_hazards.py --hazards 5000000

Run bench/gen_scale.py first (it writes the places). Migrates, refuses a database that already
holds hazards, then writes N hazards with fireledger.hazards.demo.generate_scale_hazards:
SCALE_MIX (found over the last 12 months, ~80 % closed, so 5,000,000 hazards leave ~1,000,000
open, half of those past their deadline by 1 to 150 days), categories and wording by place kind
as in the demo, in chunks of 20,000 rows (one transaction each, core.bulk.insert: executemany
on SQLite, COPY on PostgreSQL), without audit events. Every hazard is found (and, when closed,
verified) by the user `bench_inspector`. Finishes with ANALYZE (SQLite) or VACUUM ANALYZE
(PostgreSQL).
"""

import argparse
import time

from _common import db_description, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hazards", type=int, default=5_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--chunk", type=int, default=20_000)
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args()

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from fireledger.core.models import User
    from fireledger.hazards.demo import generate_scale_hazards
    from fireledger.hazards.models import Hazard
    from fireledger.places.models import Place

    print(f"database: {db_description()}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not Place.objects.exists():
        raise SystemExit("this database holds no places: run bench/gen_scale.py first "
                         "(e.g. --places 1000000), then this script")
    if Hazard.objects.exists():
        raise SystemExit("this database already holds hazards; use a fresh one for bench data")
    inspector, _ = User.objects.get_or_create(username="bench_inspector",
                                              defaults={"first_name": "压测检查员"})

    bar = None
    if not args.no_progress:
        from tqdm import tqdm

        bar = tqdm(total=args.hazards, unit="hazards", smoothing=0.05)

    def progress(n):
        if bar:
            bar.update(n - bar.n)

    t0 = time.perf_counter()
    counts = generate_scale_hazards(args.hazards, seed=args.seed, chunk=args.chunk,
                                    progress=progress, found_by=inspector)
    if bar:
        bar.close()
    t_write = time.perf_counter() - t0

    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    t_analyze = time.perf_counter() - t0

    print(f"places {Place.objects.count():,}; " + ", ".join(
        f"{k} {v:,}" for k, v in counts.items()))
    print(f"write {t_write:.1f} s ({counts['hazards'] / t_write:,.0f} hazards/s), "
          f"analyze {t_analyze:.1f} s, total with migrate {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
