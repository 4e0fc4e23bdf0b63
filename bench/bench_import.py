r"""Place import throughput: parse+validate, commit and end to end, against floors.

    .venv/bin/python bench/bench_import.py                      # SQLite, 50,000 rows
    .venv/bin/python bench/bench_import.py -n 10000 --profile
    .venv/bin/python bench/bench_import.py --pg postgres://postgres@127.0.0.1:5433

The bench never touches DATABASE_URL's database: it uses its own, created afresh each run
(SQLite var/bench_import.sqlite3, or the database `fireledger_bench_import` on the --pg server,
dropped and created again). Steps:

  file      N rows of realistic places (places.generator, demo district 渝中区) written in the
            system template with xlsxwriter; half carry a place code, half are numbered on
            import; some areas are written "约1200㎡" or in full-width digits; owners and
            managers are drawn from a pool of which half already exist
  read      floor: the same file read raw with python-calamine (every row, every cell)
  check     imports.check: parse, normalise and validate every row against the database
  commit    imports.commit: units, places, derived flags and audit events in one transaction
  insert    floor: the rows just written (SELECT * FROM places_place) inserted again with one
            raw executemany into an empty copy of the table with the same indexes; and the
            same for places plus their audit events
Target: end to end (check + commit) >= 5,000 rows/s on 2 cores.
"""

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

from _common import REPO

SQLITE_PATH = REPO / "var" / "bench_import.sqlite3"
PG_DB = "fireledger_bench_import"
TARGET = 5000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--rows", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--pg", metavar="SERVER_URL",
                        help=f"PostgreSQL server URL; the bench uses its own database {PG_DB}")
    parser.add_argument("--profile", action="store_true", help="cProfile check and commit")
    parser.add_argument("--file", help="keep the generated workbook at this path")
    return parser.parse_args()


def fresh_database(args) -> str:
    if not args.pg:
        SQLITE_PATH.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{SQLITE_PATH}"
    import psycopg

    server = args.pg.rstrip("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}"')
        conn.execute(f'CREATE DATABASE "{PG_DB}"')
    return f"{server}/{PG_DB}"


def rate(rows: int, seconds: float, cpu: float | None = None) -> str:
    text = f"{seconds:7.2f} s  {rows / seconds:9,.0f} rows/s" if seconds else "-"
    if cpu is not None:
        text += f"  (cpu {cpu:5.2f} s)"
    return text


class Timer:
    """Wall and this process's CPU time (other load on the machine shows as wall > cpu)."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def build_file(path: Path, plan, n: int, seed: int, existing_units: set[str]) -> None:
    """The system template with N generated places (not timed as part of the import)."""
    import xlsxwriter

    from fireledger.places import exports, generator, sheets

    rng = random.Random(seed + 1)
    labels = exports.category_labels()
    nodes = {node.code: node for node in plan.nodes}
    orgs = [o.name for o in plan.organisations]
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet(exports.SHEET_NAME)
    headers = sheets.SYSTEM_HEADERS
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header)
    index = {spec.field: col for col, spec in enumerate(sheets.SYSTEM_COLUMNS)}
    yes_no = {True: "是", False: "否"}
    for i, row in enumerate(generator.iter_place_rows(rng, plan, n), start=1):
        grid = nodes[row["grid_code"]]
        community = nodes[grid.parent_code]
        street = nodes[community.parent_code]
        values = {
            "code": row["code"] if i % 2 else "",
            "name": row["name"], "category": labels[row["category"]],
            "building_use": sheets.BUILDING_USE_LABEL[row["building_use"]],
            "street_name": street.name, "community_name": community.name,
            "grid_name": grid.name, "address": row["address"],
            "building_name": row.get("building_name", ""),
            "owner_name": orgs[row["owner"]] if row["owner"] is not None else "",
            "manager_name": orgs[row["manager"]] if row["manager"] is not None else "",
            "occupant_name": orgs[row["occupant"]] if row["occupant"] is not None else "",
            "responsible_person": row["responsible_person"],
            "responsible_phone": row["responsible_phone"],
            "safety_manager": row["safety_manager"],
            "safety_manager_phone": row["safety_manager_phone"],
            "survey_hazards": row.get("survey_hazards", ""),
        }
        for field in ("height_m", "floors_above", "floors_below", "area_above", "area_below",
                      "year_built", "guest_rooms", "beds", "latitude", "longitude"):
            if row.get(field) is not None:
                values[field] = float(row[field])
        if i % 50 == 0 and values.get("area_above"):
            values["area_above"] = f"约{values['area_above']:g}㎡"
        if i % 70 == 0 and values.get("floors_above") is not None:
            values["floors_above"] = sheets.nfkc(str(int(values["floors_above"]))).translate(
                str.maketrans("0123456789", "０１２３４５６７８９"))
        for field in ("has_property_management", "has_fire_alarm", "has_sprinkler",
                      "has_hydrant", "has_smoke_control", "has_micro_station", "is_key_unit"):
            if row.get(field) is not None:
                values[field] = yes_no[bool(row[field])]
        for field, value in values.items():
            if value in (None, ""):
                continue
            col = index[field]
            if isinstance(value, float):
                sheet.write_number(i, col, value)
            else:
                sheet.write_string(i, col, str(value))
    workbook.close()


def floor_read(path: Path) -> int:
    import python_calamine

    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    cells = 0
    for row in sheet.iter_rows():
        cells += len(row)
    return cells


def floor_insert(table: str, where: str = "") -> tuple[int, float]:
    """Re-insert the rows of `table` into an empty indexed copy with one executemany."""
    from django.db import connection, transaction

    copy = f"bench_floor_{table}"
    with connection.cursor() as cur:
        cur.execute(f"SELECT * FROM {table} {where}")
        rows = cur.fetchall()
        columns = [c[0] for c in cur.description]
        if connection.vendor == "sqlite":
            cur.execute(f"DROP TABLE IF EXISTS {copy}")
            cur.execute(f"CREATE TABLE {copy} AS SELECT * FROM {table} WHERE 0")
            cur.execute("SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name=%s "
                        "AND sql IS NOT NULL", [table])
            for name, sql in cur.fetchall():
                cur.execute(sql.replace(f'"{name}"', f'"floor_{name}"')
                            .replace(f'"{table}"', f'"{copy}"'))
            # unique constraints made by CREATE TABLE (autoindexes) are not in sqlite_master.sql
            if table == "places_place":
                cur.execute(f'CREATE UNIQUE INDEX floor_code ON {copy} ("code")')
        else:
            cur.execute(f"DROP TABLE IF EXISTS {copy}")
            cur.execute(f"CREATE TABLE {copy} (LIKE {table} INCLUDING ALL)")
        placeholders = ", ".join(["%s"] * len(columns))
        names = ", ".join(f'"{c}"' for c in columns)
        sql = f"INSERT INTO {copy} ({names}) VALUES ({placeholders})"
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.executemany(sql, rows)
    elapsed = time.perf_counter() - started
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE {copy}")
    return len(rows), elapsed


def main() -> None:
    args = parse_args()
    os.environ["DATABASE_URL"] = fresh_database(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fireledger.settings")
    os.environ.setdefault("FIRELEDGER_DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command

    from _common import db_description
    from fireledger.core.choices import Role
    from fireledger.core.models import Organisation, RoleAssignment, User
    from fireledger.places import generator, imports
    from fireledger.places.models import Place

    print(f"database: {db_description()}   cpus: {os.cpu_count()}   python: {sys.version.split()[0]}")
    call_command("migrate", verbosity=0)
    _rng, plan = generator.demo_plan(args.seed)
    by_code = generator.create_jurisdictions(plan)
    existing = plan.organisations[: len(plan.organisations) // 2]
    generator.create_organisations(existing)
    user = User.objects.create_user("bench_import", password="bench-only")
    RoleAssignment.objects.create(user=user, role=Role.DISTRICT_OFFICE,
                                  jurisdiction=by_code[plan.code + "000000"])

    n = args.rows
    path = Path(args.file) if args.file else REPO / "var" / f"bench_import_{n}.xlsx"
    t0 = time.perf_counter()
    build_file(path, plan, n, args.seed, {o.name for o in existing})
    print(f"file      {path.name}: {n:,} rows, {path.stat().st_size / 1e6:.1f} MB, "
          f"written in {time.perf_counter() - t0:.1f} s")

    with Timer() as read:
        floor_read(path)

    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    with Timer() as check:
        validation = imports.check(user, path)
    if not validation.ok:
        for line in validation.messages()[:20]:
            print("  ", line)
        raise SystemExit("the generated file has errors")
    with Timer() as commit:
        written = imports.commit(user, validation)
    if profiler:
        profiler.disable()
    assert written == n == Place.objects.count(), (written, n)

    units_new = Organisation.objects.count() - len(existing)
    places_n, insert_s = floor_insert("places_place")
    audit_n, audit_s = floor_insert("core_auditevent")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    counts = validation.counts()

    print(f"rows      {n:,} ({counts['warning']:,} with warnings), new units {units_new:,}")
    print(f"read      {rate(n, read.wall, read.cpu)}   floor: raw calamine read of the same file")
    print(f"check     {rate(n, check.wall, check.cpu)}   parse + validate "
          f"({check.wall / read.wall:.1f}× the read floor)")
    print(f"commit    {rate(n, commit.wall, commit.cpu)}   units, places, flags, audit; "
          f"one transaction")
    print(f"insert    {rate(places_n, insert_s)}   floor: raw executemany of the places rows "
          f"(commit is {commit.wall / insert_s:.1f}× this)")
    print(f"insert+au {rate(places_n, insert_s + audit_s)}   floor: places + {audit_n:,} audit "
          f"rows (commit is {commit.wall / (insert_s + audit_s):.1f}× this)")
    total, total_cpu = check.wall + commit.wall, check.cpu + commit.cpu
    floor = read.wall + insert_s + audit_s
    verdict = "OK" if n / total >= TARGET else "BELOW TARGET"
    print(f"end2end   {rate(n, total, total_cpu)}   check + commit; "
          f"floor {rate(n, floor).strip()} ({total / floor:.1f}×); "
          f"target {TARGET:,} rows/s: {verdict}")
    print(f"load      {os.getloadavg()[0]:.1f} (1-min load average on {os.cpu_count()} cpus)")
    print(f"peak RSS  {peak_mb:,.0f} MB")
    if profiler:
        import pstats

        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
