"""Install the dashboard tallies (reports 0002–0004: tables, triggers, the tallies of the
existing hazards and places, the partial indexes on open hazards) on a bench copy whose migration history
`migrate` refuses, timing each step. Use only on a private copy of a bench database.

    DATABASE_URL=sqlite:////tmp/fl-dash-bench/bench_copy.sqlite3 python bench/build_tallies.py
"""

import importlib
import sys
import time

from _common import setup_django

setup_django()

from django.db import connection, transaction  # noqa: E402

from fireledger.reports.models import CategoryTally, HazardTally, PlaceTally  # noqa: E402

m = importlib.import_module("fireledger.reports.migrations.0003_tally_triggers")
m4 = importlib.import_module("fireledger.reports.migrations.0004_place_tally")


def step(label, statements):
    t0 = time.perf_counter()
    with connection.cursor() as c:
        for sql in statements:
            c.execute(sql)
    print(f"{label}: {time.perf_counter() - t0:.1f} s", flush=True)


pg = connection.vendor == "postgresql"
only_places = "--places-only" in sys.argv  # a copy built before reports 0004
existing = connection.introspection.table_names()
with connection.schema_editor() as editor:
    for model in (HazardTally, CategoryTally, PlaceTally):
        if model._meta.db_table not in existing:
            editor.create_model(model)
if not only_places:
    with transaction.atomic():
        step("triggers", m.POSTGRESQL_DROP + m.POSTGRESQL if pg else m.SQLITE_DROP + m.SQLITE)
        step("tally build (DELETE + INSERT … SELECT … GROUP BY over all hazards)",
             m.rebuild_sql(m.pg_month if pg else m.sqlite_month))
    step("open-hazard partial index", ["DROP INDEX IF EXISTS hazard_open_idx", m.OPEN_INDEX])
    step("open major hazards' partial index",
         ["DROP INDEX IF EXISTS hazard_open_major_idx", m.OPEN_MAJOR_INDEX])
with transaction.atomic():
    step("place triggers", m4.POSTGRESQL_DROP + m4.POSTGRESQL if pg else m4.SQLITE_DROP + m4.SQLITE)
    step("place tally build (DELETE + INSERT … SELECT … GROUP BY over all places)", m4.REBUILD)
step("analyze", [f"ANALYZE {t}" for t in (
    "reports_hazardtally", "reports_categorytally", "reports_placetally")])
print("rows:", HazardTally.objects.count(), CategoryTally.objects.count(),
      PlaceTally.objects.count())
