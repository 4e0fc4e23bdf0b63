r"""Risk recompute over every place (risk.services.recompute_all) vs its grouped SELECTs alone.

    DATABASE_URL=sqlite:////work/main/var/bench_hazards.sqlite3 \
        .venv/bin/python bench/bench_risk.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5433/fireledger_bench_hazards \
        .venv/bin/python bench/bench_risk.py

Needs places and hazards from bench/gen_scale.py and bench/gen_hazards.py, and the risk
tables (`fireledger migrate risk`). Writes only the risk app's tables, and commits (the nightly
job commits chunk by chunk too):
  floor   the same grouped SELECTs per chunk (places, open hazards, current scores) and the
          three global ones (rebounds, inspections, listed supervision), fetched, nothing else
  cold    recompute_all with empty risk tables (--reset): every row inserted, every place gets
          its first history row
  warm    recompute_all again: only changed rows upserted, history only for changes
The ratio is recompute / floor; the time split is queries / combine (risk.index in Python) /
write. Best of -r runs for floor and warm.
"""

import argparse
import time

from _common import db_description, setup_django


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-r", "--repeat", type=int, default=1, help="runs of floor and warm")
    parser.add_argument("--reset", action="store_true",
                        help="empty the risk tables first and time the cold run")
    parser.add_argument("--chunk", type=int, default=None)
    return parser.parse_args()


def floor(chunk: int) -> tuple[float, int]:
    from django.db import connection
    from django.utils import timezone

    from fireledger.places.models import Place
    from fireledger.risk import recompute as r

    today = timezone.localdate()
    t0 = time.perf_counter()
    rows = 0
    with connection.cursor() as cur:
        low, high = r.fetch(cur, f"SELECT MIN(id), MAX(id) FROM {r._t(Place)}", [])[0]
        everything = ("1 = 1", [])
        for query in (r.query_rebounds, r.query_inspected, r.query_listed):
            rows += len(query(cur, everything))
    start = low - 1
    while start < high:
        where = r._range(start, start + chunk)
        with connection.cursor() as cur:
            rows += len(r.query_places(cur, where("id")))
            rows += len(r.query_open(cur, where("h.place_id"), today))
            rows += len(r.query_current(cur, where("place_id")))
        start += chunk
    return time.perf_counter() - t0, rows


def show(label: str, seconds: float, timing, floor_s: float, cpu: float) -> None:
    print(f"{label:5} {seconds:7.1f} s  (cpu {cpu:.1f} s)  queries {timing.queries:6.1f}  combine "
          f"{timing.combine:6.1f}  write {timing.write:6.1f}  places {timing.places:,}  "
          f"history rows {timing.changed:,}  upserted {timing.written:,}  ratio {seconds / floor_s:.2f}")


def main():
    args = parse_args()
    setup_django()
    from django.db import connection

    from fireledger.risk import recompute, services
    from fireledger.risk.models import RiskHistory, RiskScore

    chunk = args.chunk or recompute.CHUNK
    print(db_description(), f"chunk {chunk:,}")
    if args.reset:
        with connection.cursor() as cur:
            for model in (RiskHistory, RiskScore):
                cur.execute(f"DELETE FROM {recompute._t(model)}")
    c0 = time.process_time()
    floors = [floor(chunk) for _ in range(args.repeat)]
    floor_s = min(s for s, _ in floors)
    print(f"floor {floor_s:7.1f} s  (cpu {(time.process_time() - c0) / args.repeat:.1f} s)  "
          f"{floors[0][1]:,} rows fetched")
    if args.reset:
        t0, c0 = time.perf_counter(), time.process_time()
        timing = services.recompute_all(chunk=chunk)
        show("cold", time.perf_counter() - t0, timing, floor_s, time.process_time() - c0)
    best = None
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        timing = services.recompute_all(chunk=chunk)
        seconds = time.perf_counter() - t0
        if best is None or seconds < best[0]:
            best = (seconds, timing, time.process_time() - c0)
    show("warm", best[0], best[1], floor_s, best[2])
    total = sum(best[1].grades.values())
    print("grades", ", ".join(f"{g} {n:,} ({n / total:.1%})" for g, n in best[1].grades.items()))


if __name__ == "__main__":
    main()
