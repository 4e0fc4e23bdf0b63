r"""The street officer's hazard list, page 1: full view vs ORM vs the same SQL run raw.

    DATABASE_URL=sqlite:///$PWD/var/bench.sqlite3 .venv/bin/python bench/bench_hazard_list.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5433/fireledger_bench \
        .venv/bin/python bench/bench_hazard_list.py

Needs places (bench/gen_scale.py) and hazards (bench/gen_hazards.py). Scenarios:
  open          the open-hazard list: GET /hazards/?status=open through django.test.Client,
                i.e. views.hazard_list's own path — visible_to → select_related → with_overdue
                → HazardFilter (status=open) → Paginator(…, 25).get_page(1) (COUNT + 25 rows)
                → hazards/list.html.
  all           GET /hazards/ as it is (every status).
  overdue       GET /hazards/?overdue=true (what the escalation ladder works on).
  pending       GET /hazards/?status=pending.
Columns, as in bench_place_list.py:
  view      the full request: middleware, session, scope, filter form, count, page, template;
  raw(all)  every SQL statement that request ran, re-executed with connection.cursor() on the
            same connection and fetched;
  orm       the page as the view evaluates it: Paginator(HazardFilter(...).qs, 25).get_page(1),
            its count and its 25 rows as models;
  raw(page) those two statements (count, page rows) run raw and fetched: the floor.
p50/p95 over N requests after a warm-up; ratios view/raw(all), orm/raw(page). DEBUG off.
"""

import argparse
import os

from _common import (
    db_description,
    pair,
    ratio,
    replayable,
    run_raw,
    bench_user,
    setup_django,
    summary,
    timed,
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=60, help="timed repetitions (60; at least 50)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--street", help="street code (default: 解放碑街道 if present)")
    parser.add_argument("--district", action="store_true",
                        help="log in as a district office over the street's district instead")
    parser.add_argument("--only", help="run only this scenario (open, all, overdue, pending)")
    parser.add_argument("--explain", action="store_true", help="print the count and page plans")
    parser.add_argument("--queries", action="store_true", help="print each captured query")
    parser.add_argument("--debug", action="store_true", help="run with FIRELEDGER_DEBUG=1")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if args.n < 50:
        raise SystemExit("-n: at least 50 requests")
    if not args.debug:
        os.environ["FIRELEDGER_DEBUG"] = "0"
        os.environ.setdefault("FIRELEDGER_SECRET_KEY", "bench-only-not-secret")
    setup_django()

    from django.core.paginator import Paginator
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from fireledger.core.models import User
    from fireledger.hazards.filters import HazardFilter, with_overdue
    from fireledger.hazards.models import Hazard
    from fireledger.hazards.views import PAGE_SIZE

    user, role, street = bench_user(
        args.street, args.district,
        "no jurisdictions: run bench/gen_scale.py and bench/gen_hazards.py")
    if not Hazard.objects.exists():
        raise SystemExit("no hazards: run bench/gen_hazards.py first")

    today = timezone.localdate()
    scoped = Hazard.objects.visible_to(user, "view")
    total = Hazard.objects.count()
    print(f"database: {db_description()}")
    print(f"hazards {total:,}; {role.label} over {street.name} ({street.code}): "
          f"{scoped.count():,} hazards, open {scoped.open().count():,}, "
          f"overdue {scoped.overdue(today).count():,}")
    print(f"N={args.n} after {args.warmup} warm-up, page size {PAGE_SIZE}, "
          f"DEBUG={'on' if args.debug else 'off'}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f} (other work on the machine skews p95)\n")

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = reverse("hazards:list")
    factory = RequestFactory(HTTP_HOST="localhost")
    scenarios = [("open", {"status": "open"}), ("all", {}),
                 ("overdue", {"overdue": "true"}), ("pending", {"status": "pending"})]
    if args.only:
        scenarios = [s for s in scenarios if s[0] == args.only]

    header = (f"{'scenario':<10}{'rows':>9}{'view':>14}{'raw(all)':>14}{'view/raw':>11}"
              f"{'orm':>14}{'raw(page)':>14}{'orm/raw':>11}{'queries':>9}")
    print(header)
    print("-" * len(header))
    details = []
    for label, params in scenarios:
        def view(params=params):
            response = client.get(url, params)
            assert response.status_code == 200, response.status_code
            return response

        view_ms = timed(view, args.n, args.warmup)
        with CaptureQueriesContext(connection) as ctx:
            view()
        statements = [replayable(q["sql"]) for q in ctx.captured_queries]
        raw_all_ms = timed(lambda: run_raw(statements), args.n, args.warmup)

        # The ORM half: the view's own queryset and filter, page 1 through the paginator.
        request = factory.get(url, params)
        request.user = User.objects.get(pk=user.pk)
        queryset = with_overdue(Hazard.objects.visible_to(request.user, "view")
                                .select_related("place", "category"))
        hazard_filter = HazardFilter(request.GET, queryset=queryset, request=request)
        assert hazard_filter.is_valid(), hazard_filter.errors
        base = hazard_filter.qs

        def orm(base=base):
            page = Paginator(base.all(), PAGE_SIZE).get_page(1)
            page.paginator.count  # noqa: B018  (the count query, as the template asks for it)
            rows = list(page.object_list)
            assert rows

        count = Paginator(base.all(), PAGE_SIZE).count
        with CaptureQueriesContext(connection) as ctx:
            orm()
        page_statements = [q["sql"] for q in ctx.captured_queries]
        assert len(page_statements) == 2, page_statements
        orm_ms = timed(orm, args.n, args.warmup)
        raw_page_ms = timed(lambda: run_raw(page_statements), args.n, args.warmup)

        v, ra, o, rp = (summary(x) for x in (view_ms, raw_all_ms, orm_ms, raw_page_ms))
        print(f"{label:<10}{count:>9,}{pair(v):>14}{pair(ra):>14}{ratio(v, ra):>11}"
              f"{pair(o):>14}{pair(rp):>14}{ratio(o, rp):>11}{len(statements):>9}",
              flush=True)
        details.append((label, statements, page_statements))

    print(f"\nload average at the end {os.getloadavg()[0]:.2f}")
    print("view = full request through the Django test client; raw(all) = every statement it "
          "ran, executed raw; orm = count + page rows via the view's HazardFilter and "
          "Paginator; raw(page) = those two statements raw. Times in ms, ratios p50/p95.")

    if args.queries or args.explain:
        for label, statements, page_statements in details:
            print(f"\n== {label}")
            if args.queries:
                for sql in statements:
                    print("  ", sql[:400])
            if args.explain:
                explain = ("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite"
                           else "EXPLAIN (ANALYZE, BUFFERS) ")
                for sql in page_statements:
                    print("  --", sql[:300])
                    with connection.cursor() as cur:
                        cur.execute(explain + sql)
                        for row in cur.fetchall():
                            print("     ", " | ".join(str(c) for c in row))


if __name__ == "__main__":
    main()
