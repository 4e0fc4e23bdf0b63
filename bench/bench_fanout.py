r"""Campaign fan-out over the 1,000,000-place scale database vs a hand-written INSERT … SELECT.

    DATABASE_URL=sqlite:///$PWD/var/bench.sqlite3 .venv/bin/python bench/bench_fanout.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5433/fireledger_bench \
        .venv/bin/python bench/bench_fanout.py
    #   -r 2 (runs of each, best kept)   --district 500103   --street 500103002000

Without DATABASE_URL it uses var/bench.sqlite3, else var/bench_hazards.sqlite3, if present.
Migrates first (the campaigns and inspections tables; as gen_scale.py does), then, each in its
own transaction that is rolled back (so the data stay as generated and runs are comparable):

  fanout   campaigns.services_fanout.fan_out as the fan-out page calls it (permission, counts,
           the INSERT … SELECT, the unheld count, one audit event), district office of the
           district, on a campaign created in the same transaction;
  again    the same fan-out a second time right after (idempotent: nothing new, every place
           already there) — what a repeated click costs;
  panel    campaigns.fanout.fanout_context: the campaign page's counts by street and state and
           the first unheld rows, over the rows just written;
  floor    the same rows written by one hand-written INSERT … SELECT (street, and grid worker
           else street officer, as CASE expressions from the officers read first; NOT EXISTS
           against the table) — the floor;
  subq     (--subqueries) the same with a correlated subquery per row for the street and each
           officer, the first design: planner-dependent, ~10× slower on SQLite;
  copy     a bare INSERT … SELECT of the places with constants only (no street, no assignee,
           no NOT EXISTS): what the database needs to copy the rows at all.

Scenarios: one street × the "九小" checklist, the district × the "九小" checklist, the
district × a checklist of every category (about 100,000 places; the checklist is created in
the rolled-back transaction). Street officers are created (rolled back too) for every other
street and grid workers for every third grid, so a part of the work is unheld, as in life.
"""

import argparse
import datetime
import os
import time
from pathlib import Path

from _common import REPO, db_description, setup_django


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-r", "--repeat", type=int, default=2, help="runs of each (best kept)")
    parser.add_argument("--district", default="500103", help="district code prefix (6 digits)")
    parser.add_argument("--street", help="street code (default: the district's 解放碑街道 or first)")
    parser.add_argument("--subqueries", action="store_true",
                        help="also time the correlated-subquery design (slow: ~10 s at 100k)")
    return parser.parse_args()


def default_database() -> None:
    if "DATABASE_URL" in os.environ:
        return
    for name in ("bench.sqlite3", "bench_hazards.sqlite3"):
        path = Path(REPO) / "var" / name
        if path.exists():
            os.environ["DATABASE_URL"] = f"sqlite:///{path}"
            return
    raise SystemExit("no scale database: set DATABASE_URL or run bench/gen_scale.py first")


class Rollback(Exception):
    pass


def in_rollback(fn):
    """(seconds, result) of fn() in a transaction that is rolled back afterwards."""
    from django.db import connection, transaction

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE campaigns_assignment")
    out = {}
    try:
        with transaction.atomic():
            out["value"] = fn()
            raise Rollback
    except Rollback:
        pass
    return out["value"]


def world(district, template_code, categories, officers=True):
    """Inside the caller's transaction: the campaign, a checklist (an existing one, or one
    made for every category), and the officers (every other street, every third grid)."""
    from fireledger.campaigns.models import Campaign
    from fireledger.core.choices import Level, Role
    from fireledger.core.models import RoleAssignment, User
    from fireledger.inspections.models import ChecklistTemplate

    today = datetime.date.today()
    campaign = Campaign.objects.create(
        name="压测专项行动", starts_on=today, ends_on=today + datetime.timedelta(days=180),
        jurisdiction=district, jurisdiction_code=district.code)
    if template_code:
        template = ChecklistTemplate.objects.get(code=template_code)
    else:
        template = ChecklistTemplate.objects.create(code="bench-all", name="压测：全部类别",
                                                    place_categories=categories)
    if officers:
        from fireledger.core.models import Jurisdiction

        streets = list(Jurisdiction.objects.under(district.prefix).filter(level=Level.STREET))
        grids = list(Jurisdiction.objects.under(district.prefix).filter(level=Level.GRID))
        people = [User(username=f"bench_fanout_{j.code}", first_name="压测") for j in
                  streets[::2] + grids[::3]]
        User.objects.bulk_create(people)
        by_name = dict(User.objects.filter(username__startswith="bench_fanout_")
                       .values_list("username", "pk"))
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user_id=by_name[f"bench_fanout_{j.code}"], role=Role.STREET_OFFICER,
                            jurisdiction=j) for j in streets[::2]]
            + [RoleAssignment(user_id=by_name[f"bench_fanout_{j.code}"], role=Role.GRID_WORKER,
                              jurisdiction=j) for j in grids[::3]])
    return campaign, template


def floor_sql(campaign, template, prefix: str, categories, variant: str) -> tuple[str, list]:
    """The fan-out's INSERT … SELECT written by hand.

    variant "case": street and assignee as CASE expressions from the streets and officers read
    first (the design fan_out uses), literal ids; "subquery": correlated subqueries per row
    (street by code, grid worker, street officer — the first design, kept to show why not);
    "bare": constants only, no street, no assignee, no NOT EXISTS."""
    from django.db import connection

    from fireledger.core.choices import Level, Role
    from fireledger.core.codes import upper_bound
    from fireledger.core.models import Jurisdiction, RoleAssignment

    now = datetime.datetime.now(datetime.timezone.utc)
    adapt_dt = connection.ops.adapt_datetimefield_value
    adapt_d = connection.ops.adapt_datefield_value
    concat = "(substr(p.jurisdiction_code, 1, 9) || '000')"
    marks = ", ".join(["%s"] * len(categories))
    not_there = ("AND NOT EXISTS (SELECT 1 FROM campaigns_assignment a WHERE "
                 f"a.campaign_id = {campaign.pk} AND a.template_id = {template.pk} AND "
                 "a.place_id = p.id)")
    if variant == "bare":
        street = assignee = "NULL"
        not_there = ""
    elif variant == "subquery":
        street = (f"(SELECT j.id FROM core_jurisdiction j WHERE j.code = {concat} "
                  "AND j.level = 'street')")
        assignee = (
            "COALESCE((SELECT min(r.user_id) FROM core_roleassignment r JOIN core_user u ON "
            "u.id = r.user_id WHERE r.jurisdiction_id = p.jurisdiction_id AND "
            "r.role = 'grid_worker' AND u.is_active), (SELECT min(r.user_id) FROM "
            "core_roleassignment r JOIN core_jurisdiction j ON j.id = r.jurisdiction_id JOIN "
            f"core_user u ON u.id = r.user_id WHERE j.code = {concat} AND j.level = 'street' "
            "AND r.role = 'street_officer' AND u.is_active))")
    else:
        area = Jurisdiction.objects.under(prefix[:6])
        streets = list(area.filter(level=Level.STREET).filter(code__startswith=prefix[:9])
                       if len(prefix) >= 9 else area.filter(level=Level.STREET))
        first = {}
        for jid, role, uid, code in RoleAssignment.objects.filter(
                user__is_active=True, role__in=(Role.STREET_OFFICER, Role.GRID_WORKER),
                jurisdiction__code__startswith=prefix[:6]).values_list(
                "jurisdiction_id", "role", "user_id", "jurisdiction__code"):
            key = (role, jid)
            first[key] = min(uid, first.get(key, (uid, code))[0]), code
        street_cases, assignee_cases = [], []
        for st in streets:
            lo, hi = st.code[:9], upper_bound(st.code[:9])
            cond = f"p.jurisdiction_code >= '{lo}' AND p.jurisdiction_code < '{hi}'"
            street_cases.append(f"WHEN {cond} THEN {st.pk}")
            officer = first.get((Role.STREET_OFFICER, st.pk), ("NULL",))[0]
            grids = " ".join(f"WHEN p.jurisdiction_id = {jid} THEN {uid}"
                             for (role, jid), (uid, code) in sorted(first.items())
                             if role == Role.GRID_WORKER and code.startswith(lo))
            holder = f"CASE {grids} ELSE {officer} END" if grids else str(officer)
            assignee_cases.append(f"WHEN {cond} THEN {holder}")
        street = f"CASE {' '.join(street_cases)} ELSE NULL END"
        assignee = f"CASE {' '.join(assignee_cases)} ELSE NULL END"
    sql = (
        "INSERT INTO campaigns_assignment (campaign_id, task_id, place_id, jurisdiction_code, "
        "template_id, street_id, department_id, assignee_id, due_on, created_at) "
        f"SELECT {campaign.pk}, NULL, p.id, p.jurisdiction_code, {template.pk}, {street}, NULL, "
        f"{assignee}, %s, %s FROM places_place p WHERE p.jurisdiction_code >= %s AND "
        f"p.jurisdiction_code < %s AND p.category IN ({marks}) {not_there}")
    return sql, [adapt_d(campaign.ends_on), adapt_dt(now), prefix, upper_bound(prefix),
                 *categories]


def run_scenario(name, prefix_j, district, office, template_code, categories, repeat,
                 subqueries):
    from django.db import connection

    from fireledger.campaigns import fanout
    from fireledger.campaigns.services_fanout import fan_out

    best: dict[str, tuple[float, object]] = {}

    def keep(key, seconds, value):
        if key not in best or seconds < best[key][0]:
            best[key] = (seconds, value)

    def ours():
        campaign, template = world(district, template_code, categories)
        jurisdictions = None if prefix_j == district else [prefix_j]
        t0 = time.perf_counter()
        result = fan_out(office, campaign, template=template, jurisdictions=jurisdictions)
        t1 = time.perf_counter()
        again = fan_out(office, campaign, template=template, jurisdictions=jurisdictions)
        t2 = time.perf_counter()
        panel = fanout.fanout_context(campaign, office, datetime.date.today())
        t3 = time.perf_counter()
        assert again.created == 0 and again.already == result.created + result.already
        return (t1 - t0, t2 - t1, t3 - t2, result,
                panel["assignment_panel"]["totals"], len(panel["assignment_panel"]["groups"]))

    def floor(variant):
        def run():
            campaign, template = world(district, template_code, categories)
            cats = template.place_categories
            sql, params = floor_sql(campaign, template, prefix_j.prefix, cats, variant)
            t0 = time.perf_counter()
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("SET LOCAL enable_nestloop = off")
                cursor.execute(sql, params)
                rows = cursor.rowcount
            seconds = time.perf_counter() - t0
            unheld = None
            if variant != "bare":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM campaigns_assignment WHERE "
                                   "campaign_id = %s AND assignee_id IS NULL", [campaign.pk])
                    unheld = cursor.fetchone()[0]
            return seconds, rows, unheld
        return run

    for _ in range(repeat):
        fan_s, again_s, panel_s, result, totals, groups = in_rollback(ours)
        keep("fanout", fan_s, result)
        keep("again", again_s, None)
        keep("panel", panel_s, (totals, groups))
        seconds, rows, unheld = in_rollback(floor("case"))
        keep("floor", seconds, (rows, unheld))
        if subqueries:
            seconds, rows, unheld = in_rollback(floor("subquery"))
            keep("subquery", seconds, (rows, unheld))
        seconds, rows, _ = in_rollback(floor("bare"))
        keep("copy", seconds, rows)
    fan_s, result = best["fanout"]
    floor_s, (floor_rows, floor_unheld) = best["floor"]
    copy_s, copy_rows = best["copy"]
    panel_s, (totals, groups) = best["panel"]
    agree = (result.created, result.unheld) == (floor_rows, floor_unheld)
    rate = result.created / fan_s if fan_s else 0
    print(f"\n{name}: {result.created:,} assignments, {result.unheld:,} unheld "
          f"(floor: {floor_rows:,}, {floor_unheld:,} unheld: {'agree' if agree else 'DIFFER'})")
    print(f"  fanout {fan_s:7.2f} s  ({rate:,.0f} rows/s)   ratio to floor "
          f"{fan_s / floor_s:.2f}x, to bare copy {fan_s / copy_s:.2f}x")
    print(f"  floor  {floor_s:7.2f} s    copy {copy_s:7.2f} s ({copy_rows:,} rows)")
    if "subquery" in best:
        sub_s, (sub_rows, sub_unheld) = best["subquery"]
        print(f"  subq   {sub_s:7.2f} s  (correlated subqueries per row instead of CASE; "
              f"{sub_rows:,} rows, {sub_unheld:,} unheld)")
    print(f"  again  {best['again'][0]:7.2f} s  (idempotent re-run, nothing written)")
    print(f"  panel  {panel_s:7.2f} s  (campaign page counts: {totals['total']:,} total, "
          f"{totals['unheld']:,} unheld, {groups} groups)")
    return {"name": name, "rows": result.created, "fanout": fan_s, "floor": floor_s,
            "copy": copy_s, "again": best["again"][0], "panel": panel_s,
            "subquery": best["subquery"][0] if "subquery" in best else None}


def main() -> None:
    args = parse_args()
    default_database()
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from _common import bench_user

    from fireledger.core.choices import Level
    from fireledger.core.models import Jurisdiction
    from fireledger.places.choices import Category
    from fireledger.places.models import Place

    district = Jurisdiction.objects.filter(level=Level.DISTRICT, code__startswith=args.district)\
        .first()
    if district is None:
        raise SystemExit(f"no district {args.district} in {db_description()}")
    streets = Jurisdiction.objects.under(district.prefix).filter(level=Level.STREET)
    street = (streets.get(code=args.street) if args.street
              else streets.filter(name="解放碑街道").first() or streets.first())
    office, _role, _j = bench_user(street.code, True, "no street")
    places = Place.objects.count()
    in_district = Place.objects.filter(jurisdiction_code__startswith=district.prefix).count()
    load = os.getloadavg()
    print(f"{db_description()}: {places:,} places, {in_district:,} in {district.name}; "
          f"load {load[0]:.1f}")
    all_categories = list(Category.values)
    results = [
        run_scenario(f"street {street.name} × 九小", street, district, office, "nine_small",
                     None, args.repeat, args.subqueries),
        run_scenario(f"district {district.name} × 九小", district, district, office,
                     "nine_small", None, args.repeat, args.subqueries),
        run_scenario(f"district {district.name} × every category", district, district, office,
                     None, all_categories, args.repeat, args.subqueries),
    ]
    print("\n| scenario | rows | fan_out | floor | ratio | bare copy | re-run | panel |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['name']} | {r['rows']:,} | {r['fanout']:.2f} s | {r['floor']:.2f} s | "
              f"{r['fanout'] / r['floor']:.2f}× | {r['copy']:.2f} s | {r['again']:.2f} s | "
              f"{r['panel']:.2f} s |")


if __name__ == "__main__":
    main()
