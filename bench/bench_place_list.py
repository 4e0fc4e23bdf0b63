r"""The street officer's place list, page 1: full view vs ORM vs the same SQL run raw.

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/bench_place_list.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5433/fireledger_bench \
        .venv/bin/python bench/bench_place_list.py

For each scenario (no filter; the street's most common category; a pinyin search):
  view      GET /places/?… through django.test.Client, logged in as a street officer over one
            street (user `bench_street`, created if missing): every query, the filter form,
            the template; p50/p95 over N requests after a warm-up.
  raw(all)  every SQL statement that request ran (captured with CaptureQueriesContext),
            re-executed with connection.cursor() on the same connection and fetched.
  orm       the page's queryset evaluation as the view does it: PlaceFilter(...).qs through
            Paginator(…, 25).get_page(1): count + page rows, model instances built.
  raw(page) the same two statements (count, page rows) run raw and fetched.
Ratios: view/raw(all) and orm/raw(page), p50 and p95.

Runs with DEBUG off (production-like template and query handling) unless --debug.
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
    parser.add_argument("-n", type=int, default=60, help="timed repetitions (60)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--street", help="street code (default: 解放碑街道 if present)")
    parser.add_argument("--district", action="store_true",
                        help="log in as a district office over the street's district instead")
    parser.add_argument("--category", help="category filter (default: the street's commonest)")
    parser.add_argument("--explain", action="store_true", help="print the count and page plans")
    parser.add_argument("--queries", action="store_true", help="print each captured query")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the category view and the ORM page; print the top entries")
    parser.add_argument("--debug", action="store_true", help="run with FIRELEDGER_DEBUG=1")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if not args.debug:
        os.environ["FIRELEDGER_DEBUG"] = "0"
        os.environ.setdefault("FIRELEDGER_SECRET_KEY", "bench-only-not-secret")
    setup_django()

    from django.core.paginator import Paginator
    from django.db import connection
    from django.db.models import Count
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from fireledger.core.codes import range_lookup
    from fireledger.core.models import User
    from fireledger.places.models import Place
    from fireledger.places.views import PAGE_SIZE, filtered_places

    user, role, street = bench_user(args.street, args.district,
                                    "no jurisdictions: run bench/gen_scale.py first")

    in_street = Place.objects.filter(**range_lookup("jurisdiction_code", street.prefix))
    by_category = list(in_street.values("category").annotate(n=Count("id")).order_by("-n"))
    category = args.category or by_category[0]["category"]
    total = Place.objects.count()
    print(f"database: {db_description()}")
    in_category = next(r["n"] for r in by_category if r["category"] == category)
    print(f"places {total:,}; {role.label} over {street.name} ({street.code}): "
          f"{in_street.count():,} places, category {category}: {in_category:,}")
    print(f"N={args.n} after {args.warmup} warm-up, page size {PAGE_SIZE}, "
          f"DEBUG={'on' if args.debug else 'off'}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f} (other work on the machine skews p95)\n")

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = reverse("places:list")
    factory = RequestFactory(HTTP_HOST="localhost")
    scenarios = [("no filter", {}), (f"category={category}", {"category": category}),
                 ("q=hg (pinyin)", {"q": "hg"})]

    header = (f"{'scenario':<24}{'view':>14}{'raw(all)':>14}{'view/raw':>12}"
              f"{'orm':>14}{'raw(page)':>14}{'orm/raw':>12}{'queries':>9}")
    print(header)
    print("-" * len(header))
    details = []
    for label, params in scenarios:
        def view(params=params):
            response = client.get(url, params)
            assert response.status_code == 200, response.status_code

        view_ms = timed(view, args.n, args.warmup)
        with CaptureQueriesContext(connection) as ctx:
            view()
        statements = [replayable(q["sql"]) for q in ctx.captured_queries]
        raw_all_ms = timed(lambda: run_raw(statements), args.n, args.warmup)

        # The ORM half: the view's own filter and queryset, page 1 through the paginator.
        request = factory.get(url, params)
        request.user = User.objects.get(pk=user.pk)
        place_filter = filtered_places(request)
        assert place_filter.is_valid(), place_filter.errors
        base = place_filter.qs

        def orm(base=base):
            page = Paginator(base.all(), PAGE_SIZE).get_page(1)
            page.paginator.count  # noqa: B018  (the count query, as the template asks for it)
            rows = list(page.object_list)
            assert rows

        orm()
        with CaptureQueriesContext(connection) as ctx:
            orm()
        page_statements = [q["sql"] for q in ctx.captured_queries]
        assert len(page_statements) == 2, page_statements
        orm_ms = timed(orm, args.n, args.warmup)
        raw_page_ms = timed(lambda: run_raw(page_statements), args.n, args.warmup)

        v, ra, o, rp = (summary(x) for x in (view_ms, raw_all_ms, orm_ms, raw_page_ms))
        print(f"{label:<24}{pair(v):>14}{pair(ra):>14}{ratio(v, ra):>12}"
              f"{pair(o):>14}{pair(rp):>14}{ratio(o, rp):>12}{len(statements):>9}")
        details.append((label, statements, page_statements))
        if args.profile and "category" in params:
            profiles = [("view", view), ("orm", orm)]

    print(f"\nload average at the end {os.getloadavg()[0]:.2f}")
    print("view = full request through the Django test client; raw(all) = every statement it "
          "ran, executed raw; orm = count + page rows via the view's FilterSet and Paginator; "
          "raw(page) = those two statements raw. Times in ms, ratios p50/p95.")

    if args.profile:
        import cProfile
        import pstats

        for name, fn in profiles:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.n):
                fn()
            profiler.disable()
            print(f"\n== profile: {name}, {args.n} calls")
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(40)
            stats.sort_stats("tottime").print_stats(15)

    if args.queries or args.explain:
        for label, statements, page_statements in details:
            print(f"\n== {label}")
            if args.queries:
                for sql in statements:
                    print("  ", sql[:300])
            if args.explain:
                explain = ("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite"
                           else "EXPLAIN (ANALYZE, BUFFERS) ")
                for sql in page_statements:
                    print("  --", sql[:200])
                    with connection.cursor() as cur:
                        cur.execute(explain + sql)
                        for row in cur.fetchall():
                            print("     ", " | ".join(str(c) for c in row))


if __name__ == "__main__":
    main()
