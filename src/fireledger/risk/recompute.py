"""Set-based recompute of RiskScore: a handful of grouped queries, the index in Python, one
multi-row upsert per chunk, and history rows only where a score or grade changed.

Two entry points share the code: `run(place_ids)` for a few places inside the caller's
transaction (the on-change hooks), and `run()` over every place in chunks of CHUNK ids, each
chunk in its own short transaction so a nightly run never holds SQLite's write lock for long.

Portable SQL: `INSERT … ON CONFLICT (place_id) DO UPDATE` works on SQLite ≥ 3.24 and
PostgreSQL; on PostgreSQL the chunk is COPYed into a temporary table first (COPY is several
times faster than executemany there), on SQLite executemany reuses one prepared statement.
"""

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from fireledger.hazards import lifecycle
from fireledger.hazards.models import Hazard, HazardCategory, ListedSupervision
from fireledger.inspections.choices import Kind, Status as InspectionStatus
from fireledger.inspections.models import Inspection
from fireledger.places.models import Place

from . import index
from .models import RiskHistory, RiskScore

CHUNK = 50_000
LOCK_RETRIES = 5

PLACE_COLUMNS = ("id", "jurisdiction_code", "category", "height_m", "year_built", "area_above",
                 "area_below", "area_total", "beds", "guest_rooms", "is_key_unit",
                 "is_high_rise", "has_fire_alarm", "has_sprinkler", "has_hydrant",
                 "has_smoke_control")


@dataclass
class Timing:
    """Seconds spent per phase, and what was written (for the CLI and the bench)."""

    queries: float = 0.0
    combine: float = 0.0
    write: float = 0.0
    places: int = 0
    changed: int = 0  # history rows: score or grade changed
    written: int = 0  # rows sent to the upsert
    grades: dict = field(default_factory=lambda: dict.fromkeys(index.GRADES, 0))


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _in(ids: list):
    """A filter on a place id column: the column's name → (SQL fragment, params)."""
    return lambda column: (f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids))


def _range(low: int, high: int):
    return lambda column: (f"{column} > %s AND {column} <= %s", [low, high])


def _open_statuses() -> tuple[str, list]:
    statuses = sorted(lifecycle.OPEN_STATUSES)
    return ", ".join(["%s"] * len(statuses)), statuses


def _deadline_statuses() -> tuple[str, list]:
    statuses = sorted(lifecycle.DEADLINE_STATUSES)
    return ", ".join(["%s"] * len(statuses)), statuses


def fetch(cur, sql: str, params: list) -> list:
    cur.execute(sql, params)
    return cur.fetchall()


def query_places(cur, where: tuple[str, list]) -> list:
    sql = (f"SELECT {', '.join(PLACE_COLUMNS)} FROM {_t(Place)} WHERE {where[0]}")
    return fetch(cur, sql, where[1])


def query_open(cur, where: tuple[str, list], today) -> list:
    """(place_id, category group, is_major, open count, overdue count) per group."""
    open_sql, open_params = _open_statuses()
    due_sql, due_params = _deadline_statuses()
    group = connection.ops.quote_name("group")
    sql = (f"SELECT h.place_id, c.{group}, h.is_major, COUNT(*), "
           f"SUM(CASE WHEN h.status IN ({due_sql}) AND h.deadline < %s THEN 1 ELSE 0 END) "
           f"FROM {_t(Hazard)} h JOIN {_t(HazardCategory)} c ON c.id = h.category_id "
           f"WHERE h.status IN ({open_sql}) AND {where[0]} "
           f"GROUP BY h.place_id, c.{group}, h.is_major")
    return fetch(cur, sql, [*due_params, today, *open_params, *where[1]])


def query_rebounds(cur, where: tuple[str, list]) -> list:
    """(place_id, rebounds): every reopening of every hazard of the place, closed or not."""
    sql = (f"SELECT h.place_id, SUM(h.reopen_count) FROM {_t(Hazard)} h "
           f"WHERE h.reopen_count > 0 AND {where[0]} GROUP BY h.place_id")
    return fetch(cur, sql, where[1])


def query_inspected(cur, where: tuple[str, list]) -> list:
    """(place_id, last date) of submitted inspections by officers (self-inspections aside)."""
    sql = (f"SELECT i.place_id, MAX(i.inspected_on) FROM {_t(Inspection)} i "
           f"WHERE i.status = %s AND i.kind <> %s AND {where[0]} GROUP BY i.place_id")
    return fetch(cur, sql, [InspectionStatus.SUBMITTED, Kind.SELF, *where[1]])


def query_listed(cur, where: tuple[str, list]) -> list:
    """(place_id, hazards under listed supervision now: listed, not lifted)."""
    sql = (f"SELECT h.place_id, COUNT(*) FROM {_t(ListedSupervision)} l "
           f"JOIN {_t(Hazard)} h ON h.id = l.hazard_id "
           f"WHERE l.decision = %s AND l.lifted_on IS NULL AND {where[0]} GROUP BY h.place_id")
    return fetch(cur, sql, [ListedSupervision.Decision.LISTED, *where[1]])


def query_current(cur, where: tuple[str, list]) -> list:
    """(place_id, score, grade, factors as text, policy version, code) of the stored scores.
    On PostgreSQL jsonb is read as its text (parsing it would cost more than the compare); the
    upsert's WHERE … IS DISTINCT FROM also skips unchanged rows, should the texts differ."""
    factors = "factors::text" if connection.vendor == "postgresql" else "factors"
    sql = (f"SELECT place_id, score, grade, {factors}, policy_version, jurisdiction_code "
           f"FROM {_t(RiskScore)} WHERE {where[0]}")
    return fetch(cur, sql, where[1])


def _date(value):
    """SQLite returns dates as text from a raw cursor."""
    if value is None or not isinstance(value, str):
        return value
    import datetime

    return datetime.date.fromisoformat(value[:10])


def _float(value):
    return None if value is None else float(value)


# One encoder for the whole run: json.dumps with options builds a new one per call. On
# PostgreSQL the text is written as jsonb prints it (", " and ": "; risk.index orders params
# keys as jsonb does), so `factors::text` compares equal to it when nothing changed.
_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_as_jsonb = json.JSONEncoder(ensure_ascii=False).encode


def _encoder():
    return _as_jsonb if connection.vendor == "postgresql" else _compact


def combine(places: list, open_rows: list, rebounds: dict, inspected: dict, listed: dict,
            weights: dict, cutoffs: dict, today) -> list[tuple]:
    """(place_id, code, score, grade, factors as JSON text) per place, by risk.index."""
    by_place: dict = defaultdict(lambda: [{}, 0, 0])
    for place_id, group, is_major, count, overdue in open_rows:
        entry = by_place[place_id]
        if is_major:
            entry[1] += count
        else:
            entry[0][group] = entry[0].get(group, 0) + count
        entry[2] += overdue or 0
    empty = ({}, 0, 0)
    assess, facts_of, encode = index.assess, index.PlaceFacts, _encoder()
    out = []
    for (pk, code, category, height, year, above, below, total, beds, rooms, key_unit,
         high_rise, alarm, sprinkler, hydrant, smoke) in places:
        if total is not None:
            area = float(total)
        elif above is None and below is None:
            area = None
        else:
            area = float(above or 0) + float(below or 0)
        by_group, major, overdue = by_place.get(pk, empty)
        facts = facts_of(
            category, _float(height), year, area, (beds or 0) + (rooms or 0), bool(key_unit),
            bool(high_rise), _bool(alarm), _bool(sprinkler), _bool(hydrant), _bool(smoke),
            by_group, major, overdue, int(rebounds.get(pk, 0)), _date(inspected.get(pk)),
            listed.get(pk, 0))
        score, grade, found = assess(facts, weights, cutoffs, today)
        out.append((pk, code, score, grade, encode(found)))
    return out


def _bool(value):
    return None if value is None else bool(value)


def _same_factors(stored, factors: str) -> bool:
    """Stored factors (JSON text as stored) equal to `factors`."""
    return isinstance(stored, str) and stored == factors


def write(cur, rows: list[tuple], current: dict, version: int, now,
          copy_new: bool = False) -> tuple[int, int]:
    """Upsert the rows whose values changed (a recompute that finds the same score, grade,
    factors, scope and policy writes nothing); a history row where score or grade changed.
    Returns the numbers of history rows and of rows sent to the upsert.

    copy_new (the nightly run, PostgreSQL): places without a stored score are COPYed straight
    into the table, skipping the temp table; should a hook have inserted one meanwhile, the
    unique key refuses the chunk and run_all tries it again."""
    if not rows:
        return 0, 0
    stamp = connection.ops.adapt_datetimefield_value(now)
    history, scores = [], []
    for pk, code, score, grade, factors in rows:
        old = current.get(pk)
        if old is None or old[0] != score or old[1] != grade:
            history.append((pk, score, grade, version, stamp))
        elif old[3] == version and old[4] == code and _same_factors(old[2], factors):
            continue
        scores.append((pk, code, score, grade, factors, stamp, version))
    if not scores:
        return 0, 0
    table, hist = _t(RiskScore), _t(RiskHistory)
    columns = "place_id, jurisdiction_code, score, grade, factors, computed_at, policy_version"
    update = ("jurisdiction_code = excluded.jurisdiction_code, score = excluded.score, "
              "grade = excluded.grade, factors = excluded.factors, "
              "computed_at = excluded.computed_at, policy_version = excluded.policy_version")
    # The row is left alone when nothing but the time would change.
    unchanged = (f"WHERE ({table}.jurisdiction_code, {table}.score, {table}.grade, "
                 f"{table}.factors, {table}.policy_version) IS DISTINCT FROM "
                 "(excluded.jurisdiction_code, excluded.score, excluded.grade, excluded.factors, "
                 "excluded.policy_version)")
    hist_columns = "place_id, score, grade, policy_version, computed_at"
    if connection.vendor == "postgresql":
        cur.execute("CREATE TEMP TABLE IF NOT EXISTS risk_upsert (place_id bigint, "
                    "jurisdiction_code varchar(15), score double precision, grade varchar(10), "
                    "factors jsonb, computed_at timestamptz, policy_version integer) "
                    "ON COMMIT DELETE ROWS")
        new = [row for row in scores if row[0] not in current] if copy_new else []
        if new:
            with cur.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in new:
                    copy.write_row(row)
            scores_left = [row for row in scores if row[0] in current]
        else:
            scores_left = scores
        if scores_left:
            cur.execute("TRUNCATE risk_upsert")
            with cur.cursor.copy(f"COPY risk_upsert ({columns}) FROM STDIN") as copy:
                for row in scores_left:
                    copy.write_row(row)
            cur.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM risk_upsert "
                        f"ON CONFLICT (place_id) DO UPDATE SET {update} {unchanged}")
        if history:
            with cur.cursor.copy(f"COPY {hist} ({hist_columns}) FROM STDIN") as copy:
                for row in history:
                    copy.write_row(row)
    else:
        cur.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s) "
                        f"ON CONFLICT (place_id) DO UPDATE SET {update}", scores)
        if history:
            cur.executemany(f"INSERT INTO {hist} ({hist_columns}) VALUES (%s, %s, %s, %s, %s)",
                            history)
    return len(history), len(scores)


def _chunk(cur, where, timing: Timing, weights, cutoffs, version, today, now,
           rebounds=None, inspected=None, listed=None, copy_new=False) -> None:
    """Recompute the places matching `where` (see _in and _range)."""
    t0 = time.perf_counter()
    places = query_places(cur, where("id"))
    if not places:
        return
    on = where
    open_rows = query_open(cur, on("h.place_id"), today)
    if rebounds is None:
        rebounds = dict(query_rebounds(cur, on("h.place_id")))
        inspected = dict(query_inspected(cur, on("i.place_id")))
        listed = dict(query_listed(cur, on("h.place_id")))
    current = {row[0]: row[1:] for row in query_current(cur, on("place_id"))}
    t1 = time.perf_counter()
    rows = combine(places, open_rows, rebounds, inspected, listed, weights, cutoffs, today)
    t2 = time.perf_counter()
    changed, written = write(cur, rows, current, version, now, copy_new)
    timing.changed += changed
    timing.written += written
    t3 = time.perf_counter()
    timing.queries += t1 - t0
    timing.combine += t2 - t1
    timing.write += t3 - t2
    timing.places += len(rows)
    for row in rows:
        timing.grades[row[3]] += 1


def policy_data():
    """(weights, cutoffs, version) of the policy in force, or the code's defaults (version 0)."""
    from .models import RiskPolicy

    policy = RiskPolicy.objects.filter(in_force=True).first()
    if policy is None:
        return index.DEFAULT_WEIGHTS, index.DEFAULT_CUTOFFS, 0
    # Keys added to the defaults since the policy was saved keep their default value.
    return {**index.DEFAULT_WEIGHTS, **policy.weights}, policy.cutoffs, policy.version


def run_places(place_ids, today=None) -> Timing:
    """Recompute the given places now, in the caller's transaction."""
    ids = sorted({int(pk) for pk in place_ids if pk is not None})
    timing = Timing()
    if not ids:
        return timing
    weights, cutoffs, version = policy_data()
    today = today or timezone.localdate()
    now = timezone.now()
    with connection.cursor() as cur:
        for start in range(0, len(ids), 500):
            _chunk(cur, _in(ids[start:start + 500]), timing, weights, cutoffs, version,
                   today, now)
    return timing


def run_all(progress=None, today=None, chunk: int = CHUNK) -> Timing:
    """Recompute every place, chunk by chunk of ids; `progress(done, total)` after each.

    Rebounds, inspections and listed supervision are read once for all places (each a single
    scan whose result is small); places and their open hazards per chunk."""
    weights, cutoffs, version = policy_data()
    today = today or timezone.localdate()
    now = timezone.now()
    timing = Timing()
    with connection.cursor() as cur:
        low, high = fetch(cur, f"SELECT MIN(id), MAX(id) FROM {_t(Place)}", [])[0]
        total = fetch(cur, f"SELECT COUNT(*) FROM {_t(Place)}", [])[0][0]
        if low is None:
            return timing
        t0 = time.perf_counter()
        everything = ("1 = 1", [])
        rebounds = dict(query_rebounds(cur, everything))
        inspected = dict(query_inspected(cur, everything))
        listed = dict(query_listed(cur, everything))
        timing.queries += time.perf_counter() - t0
    start = low - 1
    while start < high:
        for attempt in range(LOCK_RETRIES + 1):
            try:
                with transaction.atomic(), connection.cursor() as cur:
                    _chunk(cur, _range(start, start + chunk), timing, weights, cutoffs,
                           version, today, now, rebounds, inspected, listed, copy_new=True)
                break
            except (OperationalError, IntegrityError) as error:
                # SQLite: another writer held the lock past the timeout; PostgreSQL: a hook
                # scored a new place of the chunk meanwhile (see write). The chunk rolled back
                # whole, so it is simply tried again.
                retry = isinstance(error, IntegrityError) or "locked" in str(error)
                if not retry or attempt == LOCK_RETRIES:
                    raise
        start += chunk
        if progress:
            progress(timing.places, total)
    return timing
