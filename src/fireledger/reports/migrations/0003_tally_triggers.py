"""Triggers that keep reports.HazardTally and reports.CategoryTally exact, the tallies built
for the hazards already there, and a partial index on open hazards.

Why triggers and not the services: hazards are written by the services (hazards.services,
determinations, inspections via log_hazard) but also by raw bulk paths (core.bulk.insert from
hazards.seeding and table_import, COPY on PostgreSQL, the demo and bench/gen_hazards.py). The
one-write-path principle cannot cover those, and a tally that is exact only for some paths is
a cache, not a figure. A trigger runs in the same transaction as whatever statement wrote the
hazard, so the tally commits or rolls back with it.

SQLite: row triggers with UPSERT. PostgreSQL: statement triggers with transition tables, so a
COPY of 100,000 hazards adds one grouped INSERT … ON CONFLICT, not 100,000 upserts.

The partial indexes (open hazards only, ~20 % of all; open major ones) serve the figures that depend on today
(overdue, age of open hazards): they cannot be tallied and are counted live from it.
"""

from django.db import migrations

OPEN = "('awaiting_verification', 'cannot_rectify', 'pending', 'rectifying')"
OPEN_INDEX = ("CREATE INDEX hazard_open_idx ON hazards_hazard "
              "(jurisdiction_code, department_id, status, found_on, deadline) "
              f"WHERE status IN {OPEN}")
# The map's places with an open major hazard: a few thousand rows per district (the hazards
# app's hazard_major_status_idx covers every district's major hazards, and not the code).
OPEN_MAJOR_INDEX = ("CREATE INDEX hazard_open_major_idx ON hazards_hazard "
                    f"(jurisdiction_code, place_id) WHERE is_major AND status IN {OPEN}")

H_COLS = "area, department_id, status, is_major, found_month, closed_month"
C_COLS = "area, department_id, category_id, status"


def h_key(row, month):
    return (f"substr({row}.jurisdiction_code, 1, 12), coalesce({row}.department_id, 0), "
            f"{row}.status, {row}.is_major, {month(row + '.found_on')}, "
            f"coalesce({month(row + '.closed_on')}, '')")


def c_key(row):
    return (f"substr({row}.jurisdiction_code, 1, 9), coalesce({row}.department_id, 0), "
            f"{row}.category_id, {row}.status")


def sqlite_month(col):
    return f"substr({col}, 1, 7)"


def pg_month(col):
    return f"to_char({col}, 'YYYY-MM')"


def rebuild_sql(month):
    """Empty both tallies and count every hazard again (also used by `reports.tallies`)."""
    return [
        "DELETE FROM reports_hazardtally",
        "DELETE FROM reports_categorytally",
        f"INSERT INTO reports_hazardtally ({H_COLS}, n) SELECT {h_key('h', month)}, count(*) "
        "FROM hazards_hazard h GROUP BY 1, 2, 3, 4, 5, 6",
        f"INSERT INTO reports_categorytally ({C_COLS}, n) SELECT {c_key('h')}, count(*) "
        "FROM hazards_hazard h GROUP BY 1, 2, 3, 4",
    ]


def sqlite_upserts(row, sign):
    return (
        f"INSERT INTO reports_hazardtally ({H_COLS}, n) VALUES ({h_key(row, sqlite_month)}, "
        f"{sign}1) ON CONFLICT ({H_COLS}) DO UPDATE SET n = n {sign} 1;\n"
        f"INSERT INTO reports_categorytally ({C_COLS}, n) VALUES ({c_key(row)}, {sign}1) "
        f"ON CONFLICT ({C_COLS}) DO UPDATE SET n = n {sign} 1;\n")


TALLIED = ("jurisdiction_code", "department_id", "status", "is_major", "found_on", "closed_on",
           "category_id")

SQLITE = [
    "CREATE TRIGGER reports_tally_insert AFTER INSERT ON hazards_hazard BEGIN\n"
    + sqlite_upserts("NEW", "+") + "END",
    "CREATE TRIGGER reports_tally_delete AFTER DELETE ON hazards_hazard BEGIN\n"
    + sqlite_upserts("OLD", "-") + "END",
    f"CREATE TRIGGER reports_tally_update AFTER UPDATE OF {', '.join(TALLIED)} "
    "ON hazards_hazard WHEN "
    + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in TALLIED) + " BEGIN\n"
    + sqlite_upserts("OLD", "-") + sqlite_upserts("NEW", "+") + "END",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS reports_tally_insert",
               "DROP TRIGGER IF EXISTS reports_tally_delete",
               "DROP TRIGGER IF EXISTS reports_tally_update"]


def pg_delta(table, cols, key, sources):
    """Add to a tally the grouped rows of the transition tables: +1 for each row of
    new_rows, -1 for each row of old_rows (an UPDATE has both)."""
    n = len(split_key(key("r")))
    keys = ", ".join(f"x.k{i}" for i in range(1, n + 1))
    groups = ", ".join(str(i) for i in range(1, n + 1))
    union = " UNION ALL ".join(
        f"SELECT {aliased(key('r'))}, {sign}1 AS d FROM {source} r" for source, sign in sources)
    return (f"INSERT INTO {table} ({cols}, n) SELECT {keys}, sum(x.d) FROM ({union}) x "
            f"GROUP BY {groups} HAVING sum(x.d) <> 0 ORDER BY {groups} "
            f"ON CONFLICT ({cols}) DO UPDATE SET n = {table}.n + excluded.n;")


def aliased(key):
    return ", ".join(f"{part} AS k{i}" for i, part in enumerate(split_key(key), 1))


def split_key(text):
    """Split a key expression list on its top-level commas."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
            continue
        depth += ch == "("
        depth -= ch == ")"
        cur += ch
    parts.append(cur.strip())
    return parts


def pg_body(op):
    """The trigger function's statements for one operation (a transition table exists only
    for the operation's own sides, hence one function per operation)."""
    sources = {"INSERT": [("new_rows", "+")], "DELETE": [("old_rows", "-")],
               "UPDATE": [("new_rows", "+"), ("old_rows", "-")]}[op]
    return (pg_delta("reports_hazardtally", H_COLS, lambda r: h_key(r, pg_month), sources)
            + "\n" + pg_delta("reports_categorytally", C_COLS, c_key, sources))


POSTGRESQL = []
for _op in ("INSERT", "UPDATE", "DELETE"):
    _name = f"reports_tally_{_op.lower()}"
    _refs = {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows",
             "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}[_op]
    POSTGRESQL += [
        f"CREATE FUNCTION {_name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
        f"{pg_body(_op)}\nRETURN NULL;\nEND\n$$",
        f"CREATE TRIGGER {_name} AFTER {_op} ON hazards_hazard REFERENCING {_refs} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {_name}()",
    ]
POSTGRESQL_DROP = [s for _op in ("insert", "update", "delete") for s in (
    f"DROP TRIGGER IF EXISTS reports_tally_{_op} ON hazards_hazard",
    f"DROP FUNCTION IF EXISTS reports_tally_{_op}()")]


def forward(apps, schema_editor):
    pg = schema_editor.connection.vendor == "postgresql"
    statements = (POSTGRESQL if pg else SQLITE) + rebuild_sql(pg_month if pg else sqlite_month)
    statements += [OPEN_INDEX, OPEN_MAJOR_INDEX]
    for sql in statements:
        schema_editor.execute(sql, params=None)


def backward(apps, schema_editor):
    pg = schema_editor.connection.vendor == "postgresql"
    for sql in (POSTGRESQL_DROP if pg else SQLITE_DROP) + [
            "DROP INDEX IF EXISTS hazard_open_idx", "DROP INDEX IF EXISTS hazard_open_major_idx"]:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0002_hazard_tallies"),
        ("hazards", "0008_dashboard_indexes"),
    ]

    operations = [migrations.RunPython(forward, backward)]
