r"""The district dashboard (/stats/): full view vs its aggregates vs the same SQL run raw.

    DATABASE_URL=sqlite:////work/main/var/bench_hazards.sqlite3 \
        .venv/bin/python bench/bench_dashboard.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5433/fireledger_bench_hazards \
        .venv/bin/python bench/bench_dashboard.py

Needs places and hazards (bench/gen_scale.py, bench/gen_hazards.py). Logs in as
`bench_district`, district office over the district of 解放碑街道 (or the first street's; --street
CODE picks another), like bench_hazard_list.py --district. Columns:
  view      GET /stats/ through django.test.Client: session, scope, every aggregate, the
            links, the template (charts' JSON, tables, map points);
  raw(all)  every SQL statement that request ran, re-executed with connection.cursor() on the
            same connection and fetched;
  agg       reports.aggregates.compute(): the figures alone (ORM, folding in Python);
  raw(agg)  the statements compute() ran, raw: the floor.
p50/p95 over N requests after a warm-up; ratios view/raw(all), agg/raw(agg). DEBUG off.
Nothing is cached between requests (the tallies of reports 0003 are data, kept by triggers).
CPU: this process's CPU time plus, on PostgreSQL, the server backend's (/proc/<pid>/stat of
pg_backend_pid(), the server being local), per request, p50/p95 — wall time on a loaded
machine is mostly waiting. --live: count from the hazards as before the tallies (the "before"
figures, on the same database).
"""

import argparse
import os

from _common import db_description, pair, ratio, replayable, run_raw, setup_django, summary


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=30, help="timed repetitions (30; at least 30)")
    parser.add_argument("--live", action="store_true",
                        help="count from the hazards, not the tallies (as before reports 0003)")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--street", help="street code (default: 解放碑街道 if present)")
    parser.add_argument("--explain", action="store_true", help="print each aggregate's plan")
    parser.add_argument("--queries", action="store_true", help="print each captured query")
    parser.add_argument("--statements", action="store_true",
                        help="time each of compute()'s statements raw (p50 of 5, wall and CPU)")
    return parser.parse_args()


def dashboard_user(street_code):
    """`bench_dashboard`, district office over the street's district. Written only when missing
    (the SQLite bench file is shared: other benchmarks may hold its write lock for a while)."""
    import time

    from django.db import OperationalError, transaction

    from fireledger.core.choices import Role
    from fireledger.core.models import Jurisdiction, RoleAssignment, User

    streets = Jurisdiction.objects.filter(level="street")
    street = (streets.get(code=street_code) if street_code
              else streets.filter(name="解放碑街道").first() or streets.first())
    if street is None:
        raise SystemExit("no jurisdictions: run bench/gen_scale.py and bench/gen_hazards.py")
    district = street.parent
    user = User.objects.filter(username="bench_dashboard").first()
    if user is not None and list(user.assignments.values_list("role", "jurisdiction_id")) == [
            (Role.DISTRICT_OFFICE, district.pk)]:
        return user, district
    for attempt in range(60):
        try:
            with transaction.atomic():
                user, _ = User.objects.get_or_create(username="bench_dashboard",
                                                     defaults={"first_name": "压测用户"})
                user.assignments.all().delete()
                RoleAssignment.objects.create(user=user, role=Role.DISTRICT_OFFICE,
                                              jurisdiction=district)
            return user, district
        except OperationalError:
            time.sleep(5)
    raise SystemExit("the bench database stayed locked for five minutes")


def cpu_clock(connection):
    """CPU seconds so far of this process and, on PostgreSQL, of the server backend."""
    import time

    backend = None
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("SELECT pg_backend_pid()")
            backend = f"/proc/{c.fetchone()[0]}/stat"
    ticks = os.sysconf("SC_CLK_TCK")

    def clock():
        total = time.process_time()
        if backend:
            with open(backend) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
        return total
    return clock


def timed_cpu(fn, n, warmup, cpu):
    """Wall and CPU ms of n runs after warmup runs."""
    import time

    for _ in range(warmup):
        fn()
    wall, used = [], []
    for _ in range(n):
        c0, t0 = cpu(), time.perf_counter()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        used.append((cpu() - c0) * 1000)
    return wall, used


def main() -> None:
    args = parse_args()
    if args.n < 30:
        raise SystemExit("-n: at least 30 requests")
    os.environ["FIRELEDGER_DEBUG"] = "0"
    os.environ.setdefault("FIRELEDGER_SECRET_KEY", "bench-only-not-secret")
    setup_django()

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from fireledger.core.models import User
    from fireledger.hazards.models import Hazard
    from fireledger.places.models import Place
    from fireledger.reports import aggregates as agg

    if args.live:
        agg.tallied = lambda user, scope: False
    user, district = dashboard_user(args.street)
    today = timezone.localdate()
    user = User.objects.get(pk=user.pk)
    scope = agg.scopes_for(user)[0][0]
    print(f"database: {db_description()}")
    print(f"places {Place.objects.count():,}, hazards {Hazard.objects.count():,}; "
          f"district office over {district.name} ({district.code}): "
          f"{Place.objects.visible_to(user).count():,} places, "
          f"{Hazard.objects.visible_to(user).count():,} hazards")
    print(f"N={args.n} after {args.warmup} warm-up, DEBUG off, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f} (other work on the machine skews p95)\n")

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = reverse("reports:dashboard")

    def view():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    def compute():
        fresh = User.objects.get(pk=user.pk)  # no assignments cached between runs
        agg.compute(fresh, scope, today)

    with CaptureQueriesContext(connection) as ctx:
        view()
    view_sql = [replayable(q["sql"]) for q in ctx.captured_queries]
    with CaptureQueriesContext(connection) as ctx:
        compute()
    agg_sql = [replayable(q["sql"]) for q in ctx.captured_queries]

    cpu = cpu_clock(connection)
    view_ms, view_cpu = timed_cpu(view, args.n, args.warmup, cpu)
    raw_all_ms, raw_all_cpu = timed_cpu(lambda: run_raw(view_sql), args.n, args.warmup, cpu)
    agg_ms, agg_cpu = timed_cpu(compute, args.n, args.warmup, cpu)
    raw_agg_ms, raw_agg_cpu = timed_cpu(lambda: run_raw(agg_sql), args.n, args.warmup, cpu)

    v, ra, a, rg = (summary(x) for x in (view_ms, raw_all_ms, agg_ms, raw_agg_ms))
    header = (f"{'view':>18}{'raw(all)':>18}{'view/raw':>11}{'agg':>18}{'raw(agg)':>18}"
              f"{'agg/raw':>11}{'queries':>9}")
    print(header)
    print("-" * len(header))
    print(f"{pair(v):>18}{pair(ra):>18}{ratio(v, ra):>11}{pair(a):>18}{pair(rg):>18}"
          f"{ratio(a, rg):>11}{len(view_sql):>9}")
    cv, cra, ca, crg = (summary(x) for x in (view_cpu, raw_all_cpu, agg_cpu, raw_agg_cpu))
    print(f"{pair(cv):>18}{pair(cra):>18}{ratio(cv, cra):>11}{pair(ca):>18}{pair(crg):>18}"
          f"{ratio(ca, crg):>11}   (CPU ms)")
    print(f"\nview/raw(agg) {v['p50'] / rg['p50']:.2f}/{v['p95'] / rg['p95']:.2f}"
          f"  ({'live counts' if args.live else 'tallies'})")
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    print("Times in ms, p50/p95; ratios p50/p95.")

    if args.statements:
        print("\nper statement (raw, p50 of 5): wall ms / CPU ms")
        for sql in agg_sql:
            w, c = timed_cpu(lambda: run_raw([sql]), 5, 1, cpu)
            print(f"{summary(w)['p50']:8.1f} {summary(c)['p50']:8.1f}  {sql[:110]}")

    if args.queries or args.explain:
        explain = ("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ")
        for sql in agg_sql:
            print("\n--", sql[:600])
            if args.explain and sql.lstrip().upper().startswith("SELECT"):
                with connection.cursor() as cur:
                    cur.execute(explain + sql)
                    for row in cur.fetchall():
                        print("     ", " | ".join(str(c) for c in row))


if __name__ == "__main__":
    main()
