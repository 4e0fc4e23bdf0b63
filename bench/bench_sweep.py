r"""The escalation sweep over the bench database vs the same statements as hand-written SQL.

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/bench_sweep.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5433/fireledger_bench \
        .venv/bin/python bench/bench_sweep.py

Needs hazards from bench/gen_hazards.py. Each measurement runs inside a transaction that is
rolled back, so the data stay as generated and the runs are comparable:
  sweep  hazards.sweep.run(day) as the nightly task runs it (one day: no earlier run exists),
         audit event and all; webhooks off.
  raw    the floor: the same INSERT … SELECT and UPDATE statements written by hand with
         cursor.execute, same filters, same day.
Both report the rows each step touched (they must agree) and the wall time; the ratio is
sweep / raw. Repeat with -r to take the best of several runs of each.
"""

import argparse
import datetime
import time

from _common import db_description, setup_django


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--day", help="the day to sweep (default: today)")
    parser.add_argument("-r", "--repeat", type=int, default=2,
                        help="runs of each, alternating (best kept; the first pays the cold cache)")
    parser.add_argument("--raw-first", action="store_true",
                        help="measure the floor first (to see which run pays for a cold start)")
    return parser.parse_args()


def raw_floor(day: datetime.date) -> dict[str, int]:
    """Every step of sweep.sweep_day for one day, as plain SQL."""
    from django.db import connection

    from fireledger.core.calendar import add_workdays, overdue_cutoff
    from fireledger.hazards import lifecycle
    from fireledger.hazards.models import EscalationPolicy

    policy = EscalationPolicy.current()
    soon = add_workdays(day, policy.reminder_workdays)
    cutoff = overdue_cutoff(day, policy.district_after_workdays)
    month_ago = day - datetime.timedelta(days=policy.listed_check_days)
    deadline_statuses = tuple(sorted(lifecycle.DEADLINE_STATUSES))
    open_statuses = tuple(sorted(lifecycle.OPEN_STATUSES))
    marks = lambda values: ", ".join(["%s"] * len(values))  # noqa: E731
    counts = {}
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":  # as the sweep does: see sweep._plan_for_inserts
            cur.execute("SET LOCAL enable_nestloop = off")
        cur.execute("INSERT INTO hazards_sweeprun (first_day, last_day, started_at, counts) "
                    "VALUES (%s, %s, %s, %s)", [day, day, datetime.datetime.now(
                        datetime.timezone.utc), "{}"])
        cur.execute("SELECT max(id) FROM hazards_sweeprun")
        run_id = cur.fetchone()[0]
        ladder = [
            ("reminder", "h.deadline >= %s AND h.deadline <= %s", [day, soon]),
            ("street", "h.deadline < %s", [day]),
            ("district", "h.deadline < %s", [cutoff]),
        ]
        for step, condition, params in ladder:
            cur.execute(
                'INSERT INTO hazards_escalation (hazard_id, step, "on", deadline, '
                "jurisdiction_code, sweep_id) SELECT h.id, %s, %s, h.deadline, "
                "h.jurisdiction_code, %s FROM hazards_hazard h "
                f"WHERE h.status IN ({marks(deadline_statuses)}) AND h.found_on <= %s AND "
                f"{condition} AND NOT EXISTS (SELECT 1 FROM hazards_escalation e WHERE "
                "e.hazard_id = h.id AND e.step = %s AND e.deadline = h.deadline)",
                [step, day, run_id, *deadline_statuses, day, *params, step])
            counts[step] = cur.rowcount
        unproposed = (f"FROM hazards_hazard h WHERE h.is_major AND h.status IN "
                      f"({marks(open_statuses)}) AND h.found_on <= %s AND NOT EXISTS "
                      "(SELECT 1 FROM hazards_listedsupervision l WHERE l.hazard_id = h.id)")
        cur.execute('INSERT INTO hazards_escalation (hazard_id, step, "on", deadline, '
                    "jurisdiction_code, sweep_id) SELECT h.id, 'listing_proposed', %s, "
                    f"h.deadline, h.jurisdiction_code, %s {unproposed}",
                    [day, run_id, *open_statuses, day])
        counts["listing_proposed"] = cur.rowcount
        cur.execute("INSERT INTO hazards_listedsupervision (hazard_id, jurisdiction_code, "
                    "proposed_on, decision, decision_note) SELECT h.id, h.jurisdiction_code, %s, "
                    f"'proposed', '' {unproposed}", [day, *open_statuses, day])
        cur.execute(
            'INSERT INTO hazards_escalation (hazard_id, step, "on", deadline, jurisdiction_code, '
            "sweep_id) SELECT l.hazard_id, 'check_due', %s, h.deadline, l.jurisdiction_code, %s "
            "FROM hazards_listedsupervision l JOIN hazards_hazard h ON h.id = l.hazard_id "
            f"WHERE l.decision = 'listed' AND l.lifted_on IS NULL AND h.status IN "
            f"({marks(open_statuses)}) AND COALESCE(l.last_check_on, l.decided_on) < %s "
            "AND NOT EXISTS (SELECT 1 FROM hazards_escalation e WHERE e.hazard_id = l.hazard_id "
            "AND e.step = 'check_due' AND e.\"on\" > COALESCE(l.last_check_on, l.decided_on))",
            [day, run_id, *open_statuses, month_ago])
        counts["check_due"] = cur.rowcount
        cur.execute(
            'INSERT INTO hazards_escalation (hazard_id, step, "on", deadline, jurisdiction_code, '
            "sweep_id) SELECT n.hazard_id, 'notice_late', %s, h.deadline, n.jurisdiction_code, %s "
            "FROM hazards_referralnotice n JOIN hazards_hazard h ON h.id = n.hazard_id "
            "WHERE n.sent_on IS NULL AND n.due_on < %s AND NOT EXISTS (SELECT 1 FROM "
            "hazards_escalation e WHERE e.hazard_id = n.hazard_id AND e.step = 'notice_late')",
            [day, run_id, day])
        counts["notice_late"] = cur.rowcount
    return counts


def measure(fn) -> tuple[float, dict]:
    """Run fn in a transaction that is rolled back; returns (seconds, its counts).

    On PostgreSQL the rolled-back rows of the run before stay behind as dead tuples in the
    tables the sweep inserts into (and reads in its NOT EXISTS); VACUUM ANALYZE first, so each
    run starts from the same tables as a real night would.
    """
    from django.db import connection, transaction

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE hazards_escalation, hazards_listedsupervision")
    with transaction.atomic():
        start = time.perf_counter()
        counts = fn()
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    return seconds, counts


def main() -> None:
    args = parse_args()
    setup_django()
    from django.utils import timezone

    from fireledger.hazards import lifecycle, sweep
    from fireledger.hazards.models import Hazard, SweepRun

    day = datetime.date.fromisoformat(args.day) if args.day else timezone.localdate()
    if SweepRun.objects.exists():
        raise SystemExit("the bench database has sweep runs: regenerate it (gen_hazards.py)")
    total = Hazard.objects.count()
    open_ = Hazard.objects.filter(status__in=lifecycle.OPEN_STATUSES).count()
    print(f"{db_description()}: {total:,} hazards, {open_:,} open; sweeping {day}")

    best = {}
    for _ in range(args.repeat):
        runs = [("sweep", lambda: sweep.run(day, notify=False).counts),
                ("raw", lambda: raw_floor(day))]
        for name, fn in reversed(runs) if args.raw_first else runs:
            seconds, counts = measure(fn)
            print(f"  {name:5} {seconds:8.2f} s  {counts}")
            if name not in best or seconds < best[name][0]:
                best[name] = (seconds, counts)
    (s_time, s_counts), (r_time, r_counts) = best["sweep"], best["raw"]
    agree = {k: v for k, v in s_counts.items() if v} == {k: v for k, v in r_counts.items() if v}
    print(f"sweep {s_time:.2f} s, raw floor {r_time:.2f} s, ratio {s_time / r_time:.2f}x; "
          f"rows {'agree' if agree else 'DIFFER'}; {sum(s_counts.values()):,} steps taken")


if __name__ == "__main__":
    main()
