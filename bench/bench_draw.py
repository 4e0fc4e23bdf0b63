r"""A random inspection draw (双随机) over the 1,000,000-place scale database.

    DATABASE_URL=sqlite:////work/main/var/bench_hazards.sqlite3 \
        /work/main/.venv/bin/python bench/bench_draw.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5433/fireledger_bench_hazards \
        /work/main/.venv/bin/python bench/bench_draw.py
    #   -r 3 (runs, best kept)   --prefix 500 (pool: every place under it)   --percent 5
    #   --no-write (skip the 50k-draft write; the inspector pool is then plain data, nothing is
#   written at all, so a busy SQLite writer cannot lock the run out)   --district 500103 (end-to-end make_draw)

Needs `fireledger migrate inspections` on the database (0004_random_draws) and the risk table
(places without a score are "ungraded"; without the table at all the run says so and stops).
Everything runs inside one transaction that is rolled back at the end: the inspectors it creates
(two street officers per street, one district office per district), the drafts it writes.

Timed, best of -r runs (wall and this process's CPU time: the machine is shared):
  floor     the pool's one statement (place ids aggregated per category UNION ALL the
            risk grades' ids per grade; on SQLite via covering indexes) fetched with
            fetchall() on the DB-API cursor: the database's share, ~27 rows;
  pool      services_draws.pool_rows: the same statement, ids parsed, strata, a draws.Pool;
  snapshot  encode_pool: delta ids + stratum indexes, zlib, sha256;
  places    draws.draw_places: every stratum at --percent (ceil);
  team      the drawn places' facts (services_draws.drawn_facts: place columns and the latest
            submitted inspection's people, one statement per 100,000 ids) +
            draws.assign_inspectors with recusal;
  draw      pool + snapshot + places + team: THE FIGURE (target < 5 s);
  (a catch-all checklist for the categories the seeded ones leave out is created first)
  write     services_draws._write of every drawn place (≈ 5 % of the pool: the drafts with
            their checklist results, drawn places, inspectors, recusals, audit events), once;
  e2e       make_draw_timed over one district (about 100,000 places), once: permission, pool,
            snapshot, draw, team, checklists, writes.
"""

import argparse
import os
import time

from _common import db_description, setup_django


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-r", "--repeat", type=int, default=3)
    parser.add_argument("--prefix", default="500", help="division-code prefix of the pool")
    parser.add_argument("--percent", default="5")
    parser.add_argument("--district", default="500103")
    parser.add_argument("--no-write", action="store_true")
    return parser.parse_args()


class Rollback(Exception):
    pass


CPU = {}  # step → CPU seconds of this process in the best run (the machine is shared)


def best(fn, n, name=None):
    times, value = [], None
    for _ in range(n):
        t0, c0 = time.perf_counter(), time.process_time()
        value = fn()
        times.append((time.perf_counter() - t0, time.process_time() - c0))
    wall, cpu = min(times)
    if name:
        CPU[name] = cpu
    return wall, value


def _catch_all_checklist(actor):
    """A checklist for every category (rolled back with the rest): the seeded ones leave some
    categories without one, and make_draw refuses a drawn place with no checklist."""
    from fireledger.inspections import services
    from fireledger.inspections.models import ChecklistItem, ChecklistTemplate
    from fireledger.places.choices import Category

    source = ChecklistTemplate.objects.filter(code="nine_small").first()
    template = ChecklistTemplate.objects.create(
        code="bench-draw-all", name="抽查通用检查表（压测）", place_categories=Category.values,
        sort_order=10_000)
    ChecklistItem.objects.bulk_create([
        ChecklistItem(template=template, number=i.number, area=i.area, text=i.text,
                      category_id=i.category_id, is_major=i.is_major, workdays=i.workdays,
                      sort_order=i.sort_order) for i in source.items.all()])
    services.snapshot_version(actor, template)


def main():
    args = parse_args()
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("set DATABASE_URL to a bench database")
    setup_django()
    from django.db import connection, transaction

    from fireledger.core.choices import Role
    from fireledger.core.models import Jurisdiction, RoleAssignment, User
    from fireledger.inspections import draws
    from fireledger.inspections import services_draws as sd
    from fireledger.inspections.models import RandomDraw

    if "risk_riskscore" not in connection.introspection.table_names():
        raise SystemExit("no risk_riskscore table here: migrate risk first (not this bench's)")
    print(db_description())
    grade = RandomDraw.Mode.GRADE
    ratios = {s: args.percent for s in sd.grade_strata()}
    try:
        with transaction.atomic():
            streets = list(Jurisdiction.objects.filter(level="street",
                                                       code__startswith=args.prefix))
            districts = list(Jurisdiction.objects.filter(level="district",
                                                         code__startswith=args.prefix))
            if args.no_write:  # the same pool as plain data: no write lock taken at all
                fake = 10**9
                inspectors = [{"id": fake + n, "name": "", "streets": [j.code[:9]],
                               "organisations": []}
                              for n, j in enumerate(j for j in streets for _ in (1, 2))]
                inspectors += [{"id": fake + len(inspectors) + n, "name": "", "streets": [],
                                "organisations": []} for n, _ in enumerate(districts)]
            else:
                users = User.objects.bulk_create(
                    [User(username=f"bench_draw_s{j.code}_{n}", first_name="抽查")
                     for j in streets for n in (1, 2)]
                    + [User(username=f"bench_draw_d{j.code}", first_name="抽查")
                       for j in districts])
                RoleAssignment.objects.bulk_create(
                    [RoleAssignment(user=u, role=Role.STREET_OFFICER, jurisdiction=j)
                     for u, j in zip(users, [j for j in streets for _ in (1, 2)])]
                    + [RoleAssignment(user=u, role=Role.DISTRICT_OFFICE, jurisdiction=j)
                       for u, j in zip(users[2 * len(streets):], districts)])
                inspectors = []
                for j in districts:
                    inspectors += sd.inspector_pool(j)
                inspectors = list({i["id"]: i for i in inspectors}.values())

            sql, params = sd.grade_pool_sql(args.prefix)

            def floor():
                with connection.cursor() as cur:
                    cur.execute(sql, params)
                    return len(cur.fetchall())

            t_floor, n_floor = best(floor, args.repeat, "floor")
            t_pool, rows = best(lambda: sd.pool_rows(args.prefix, grade), args.repeat, "pool")
            t_snap, (blob, sha) = best(lambda: sd.encode_pool(rows), args.repeat, "snapshot")
            t_places, drawn = best(
                lambda: draws.draw_places("bench", draws.ALGORITHM_VERSION, rows, ratios),
                args.repeat, "places")
            ids = [pid for pid, _ in drawn]

            def team():
                info, facts, typed = sd.drawn_facts(ids)
                result = draws.assign_inspectors(
                    "bench", draws.ALGORITHM_VERSION, drawn, sd.as_inspectors(inspectors), typed)
                return info, facts, result

            t_team, (info, facts, result) = best(team, args.repeat, "team")
            draw_total = t_pool + t_snap + t_places + t_team
            print(f"pool: {len(rows):,} places (floor read {n_floor:,}), "
                  f"{len(rows) and len(set(s for _, s in rows))} strata, "
                  f"snapshot {len(blob) / 1e6:.1f} MB; drawn {len(drawn):,} at {args.percent} %; "
                  f"inspector pool {len(inspectors)}")
            cpu = {k: f"  cpu {v:5.2f} s" for k, v in CPU.items()}
            print(f"floor     {t_floor:7.2f} s{cpu['floor']}")
            print(f"pool      {t_pool:7.2f} s{cpu['pool']}  ({t_pool / t_floor:.2f}× floor)")
            print(f"snapshot  {t_snap:7.2f} s{cpu['snapshot']}")
            print(f"places    {t_places:7.2f} s{cpu['places']}")
            print(f"team      {t_team:7.2f} s{cpu['team']}")
            print(f"draw      {draw_total:7.2f} s  cpu {sum(CPU.values()) - CPU['floor']:5.2f} s  "
                  f"({draw_total / t_floor:.2f}× floor)  "
                  f"target < 5 s: {'met' if draw_total < 5 else 'MISSED'}")
            if not args.no_write:
                actor = users[-1]
                _catch_all_checklist(actor)
                record = RandomDraw.objects.create(
                    jurisdiction=districts[0], jurisdiction_code=districts[0].code,
                    mode=grade, created_by=actor, seed="bench",
                    algorithm_version=draws.ALGORITHM_VERSION, ratios=ratios,
                    pool_size=len(rows), pool_snapshot=blob, pool_sha256=sha,
                    inspector_snapshot=inspectors, drawn_count=len(result))
                t0 = time.perf_counter()
                sd._write(actor, record, result, info, facts, sd._checklists(), None)
                t_write = time.perf_counter() - t0
                print(f"write     {t_write:7.2f} s  ({len(result):,} drafts, "
                      f"{len(result) / t_write:,.0f}/s)")
                district = Jurisdiction.objects.get(code=f"{args.district}000000")
                office = next(u for u in users if u.username == f"bench_draw_d{district.code}")
                outcome = sd.make_draw_timed(office, district, ratios=ratios, seed="bench-e2e")
                steps = "  ".join(f"{k} {v:.2f}" for k, v in outcome.timings.items())
                print(f"e2e       {outcome.timings['total']:7.2f} s  "
                      f"(district {district.code}: pool {outcome.draw.pool_size:,}, "
                      f"{outcome.draw.drawn_count:,} drafts; {steps})")
            raise Rollback
    except Rollback:
        print("rolled back")


if __name__ == "__main__":
    main()
