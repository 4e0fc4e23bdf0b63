"""Random inspection draws (双随机): snapshot the pool, run inspections/draws.py, write the
random inspections for the drawn inspectors — all in one transaction with its audit events —
and re-run a stored draw to show it is reproduced.

Who may draw: the district office over its district, a street officer over their street
(DRAWERS, holding the jurisdiction in their range). The pool is every place in the draw's
jurisdiction (optionally of some categories), read with one query; a place's stratum is its
risk grade (risk.RiskScore; none: "ungraded") × its category group, or in campaign mode the
high-rise public / residential split of seed 003 (spot_checks.py). The inspector pool is the
users holding INSPECTOR_ROLES (configurable per draw) in a jurisdiction at, above or below the
draw's.

The drafts are written with core.bulk.insert (a 5 % sample of a million places is 50,000
inspections with their checklist results), checked first: the drawer may change every drawn
place, and every drawn place's category has a checklist. The first drawn inspector holds the
draft (created_by); every drawn inspector may edit and sign it (services._may_edit).
"""

from __future__ import annotations

import hashlib
import json
import operator
import secrets
import struct
import sys
import uuid
import zlib
from array import array
from collections import deque
from dataclasses import dataclass
from itertools import accumulate, chain, compress, repeat
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fireledger.core import audit, bulk
from fireledger.core.choices import Role
from fireledger.core.codes import range_lookup
from fireledger.core.models import AuditAction, AuditEvent, RoleAssignment
from fireledger.core.scope import assignments
from fireledger.places.choices import BuildingUse, Category
from fireledger.places.models import Place
from fireledger.risk.choices import Grade

from . import draws
from .choices import Kind, Status
from .models import (
    ChecklistTemplate,
    DrawnInspector,
    DrawnPlace,
    DrawRecusal,
    Inspection,
    InspectionResult,
    RandomDraw,
    Signature,
)
from .spot_checks import PUBLIC_TARGET_PERCENT, RESIDENTIAL_TARGET_PERCENT

DRAWERS = frozenset({Role.DISTRICT_OFFICE, Role.STREET_OFFICER})
# The inspector library (执法检查人员名录库): who may be drawn, by role. Chosen per draw.
INSPECTOR_ROLES = (Role.DISTRICT_OFFICE, Role.STREET_OFFICER)
INSPECTOR_ROLE_CHOICES = (Role.DISTRICT_OFFICE, Role.STREET_OFFICER, Role.GRID_WORKER,
                          Role.DEPARTMENT_OFFICER)
STREET_PREFIX = 9  # a division code's street digits (core.choices.LEVEL_PREFIX_LENGTH)
UNGRADED = "ungraded"
GRADES = (*Grade.values, UNGRADED)  # risk.choices.Grade, highest first, then none

# [G] Category groups for stratifying: the author's grouping of the ledger's categories
# (人员密集场所 / 高层与住宅 / 生产储存 / 其他), not taken from a standard. Data: correct here.
CATEGORY_GROUPS = {
    "crowded": (Category.MALL, Category.COMMERCIAL_COMPLEX, Category.NINE_SMALL, Category.HOTEL,
                Category.ENTERTAINMENT, Category.ESCAPE_ROOM, Category.RELIGIOUS,
                Category.SCHOOL, Category.KINDERGARTEN, Category.ELDERLY_CARE,
                Category.MEDICAL),
    "residential": (Category.HIGH_RISE, Category.OLD_COMPOUND, Category.RESIDENTIAL,
                    Category.URBAN_VILLAGE_RENTAL),
    "industrial": (Category.FACTORY_WAREHOUSE, Category.LOGISTICS, Category.PETROCHEMICAL,
                   Category.ENERGY_STORAGE, Category.UNDERGROUND),
    "other": (Category.HERITAGE, Category.EPIDEMIC),
}
GROUP_OF = {c: g for g, cs in CATEGORY_GROUPS.items() for c in cs}
GROUP_LABELS = {"crowded": _("crowded places"), "residential": _("high-rise and residential"),
                "industrial": _("production and storage"), "other": _("other places")}
GRADE_LABELS = {**{g.value: g.label for g in Grade}, UNGRADED: _("ungraded")}
# [G] Default sampling ratios (%) by risk grade: the higher the risk, the larger the share
# (国发〔2019〕5号: 高风险提高比例、低风险降低比例). The figures are the author's draft, not a
# rule read in a source; the form shows them as editable defaults.
DEFAULT_GRADE_PERCENT = {Grade.RED: 20, Grade.ORANGE: 10, Grade.YELLOW: 5, Grade.BLUE: 3,
                         UNGRADED: 5}
# Seed 003 三、(二): 高层公共建筑抽查率不低于10%、住宅建筑不低于5% (inspections/spot_checks.py).
HIGH_RISE_PUBLIC = "high_rise_public"
HIGH_RISE_RESIDENTIAL = "high_rise_residential"
CAMPAIGN_RATIOS = {HIGH_RISE_PUBLIC: PUBLIC_TARGET_PERCENT,
                   HIGH_RISE_RESIDENTIAL: RESIDENTIAL_TARGET_PERCENT}
CAMPAIGN_LABELS = {HIGH_RISE_PUBLIC: _("high-rise public buildings"),
                   HIGH_RISE_RESIDENTIAL: _("high-rise residential buildings")}


def grade_strata() -> list[str]:
    return [f"{g}/{group}" for g in GRADES for group in CATEGORY_GROUPS]


def strata(mode: str) -> list[str]:
    return list(CAMPAIGN_RATIOS) if mode == RandomDraw.Mode.CAMPAIGN else grade_strata()


def default_ratios(mode: str) -> dict[str, int]:
    if mode == RandomDraw.Mode.CAMPAIGN:
        return dict(CAMPAIGN_RATIOS)
    return {s: DEFAULT_GRADE_PERCENT[s.split("/")[0]] for s in grade_strata()}


def stratum_label(stratum: str) -> str:
    if stratum in CAMPAIGN_LABELS:
        return str(CAMPAIGN_LABELS[stratum])
    grade, _sep, group = stratum.partition("/")
    return f"{GRADE_LABELS.get(grade, grade)} · {GROUP_LABELS.get(group, group)}"


# --- who may draw ----------------------------------------------------------------------

def may_draw(user, jurisdiction) -> bool:
    """The district office over its district, a street officer over their street (or any
    jurisdiction inside the range they hold)."""
    if getattr(user, "is_superuser", False):
        return True
    return any(a.role in DRAWERS and jurisdiction.code.startswith(a.jurisdiction.prefix)
               for a in assignments(user))


def drawable_jurisdictions(user):
    from fireledger.core.models import Jurisdiction

    if getattr(user, "is_superuser", False):
        return Jurisdiction.objects.filter(level__in=("district", "street"))
    q = Q(pk__in=[])
    for a in assignments(user):
        if a.role in DRAWERS:
            q |= Q(**range_lookup("code", a.jurisdiction.prefix))
    return Jurisdiction.objects.filter(q, level__in=("district", "street"))


# --- the pool and its snapshot ---------------------------------------------------------

def pool(jurisdiction, mode: str, categories=()) -> draws.Pool:
    """Every place of the jurisdiction (of `categories`, if given) by stratum (a draws.Pool:
    iterates as (id, stratum) sorted by id): one query, strata computed from its columns."""
    return pool_rows(jurisdiction.prefix, mode, categories)


def _ids(text) -> list[int]:
    """A comma-joined aggregate back to ints (json's C parser: twice as fast as int())."""
    return json.loads(f"[{text}]") if text else []


def _agg(column: str) -> str:
    """An aggregate joining a column's values with commas: one row per group instead of a
    row (and a Python tuple) per place — reading a million rows through the DB-API cost more
    than the whole draw. Order inside a group is not relied on."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"string_agg({column}::text, ',')"
    return f"group_concat({column}, ',')"


def pool_rows(prefix: str, mode: str, categories=()) -> draws.Pool:
    from django.db import connection

    if mode == RandomDraw.Mode.CAMPAIGN:
        quote = connection.ops.quote_name
        where, params = _place_range(prefix, categories)
        sql = (f"SELECT {quote('building_use')}, {_agg(quote('id'))} "
               f"FROM {quote(Place._meta.db_table)} WHERE {' AND '.join(where)} "
               f"AND {quote('is_high_rise')} = %s GROUP BY {quote('building_use')}")
        groups = {HIGH_RISE_PUBLIC: [], HIGH_RISE_RESIDENTIAL: []}
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, True])
            for use, ids in cursor.fetchall():
                groups[HIGH_RISE_RESIDENTIAL if use == BuildingUse.RESIDENTIAL
                       else HIGH_RISE_PUBLIC] += _ids(ids)
        return draws.Pool({s: sorted(ids) for s, ids in groups.items()})
    by_category, by_grade = _grade_pool_rows(prefix, categories)
    # Grade per place as a small int (1 + GRADES' index; 0: none), looked up in C: in a
    # bytearray indexed by place id while ids are dense enough, else in a dict.
    top = max((max(ids) for ids in (*by_category.values(), *by_grade.values()) if ids),
              default=0)
    dense = top <= 64 * 1024 * 1024
    code_of = bytearray(top + 1) if dense else {}
    for g, ids in by_grade.items():
        if g in GRADES and g != UNGRADED:
            if dense:
                deque(map(code_of.__setitem__, ids, repeat(GRADES.index(g) + 1)), maxlen=0)
            else:
                code_of.update(dict.fromkeys(ids, GRADES.index(g) + 1))
    merged: dict[str, list[int]] = {}
    for category, ids in by_category.items():
        codes = list(map(code_of.__getitem__, ids) if dense
                     else map(code_of.get, ids, repeat(0)))
        group = GROUP_OF.get(category, "other")
        for n, g in enumerate(GRADES):
            code = 0 if g == UNGRADED else n + 1
            part = compress(ids, map(operator.eq, codes, repeat(code)))
            merged.setdefault(f"{g}/{group}", []).extend(part)
    return draws.Pool({s: sorted(ids) for s, ids in merged.items()})


def _place_range(prefix: str, categories=()) -> tuple[list[str], list]:
    from django.db import connection

    code = connection.ops.quote_name("jurisdiction_code")
    bounds = range_lookup("jurisdiction_code", prefix)
    where, params = [f"{code} >= %s"], [prefix]
    if "jurisdiction_code__lt" in bounds:
        where.append(f"{code} < %s")
        params.append(bounds["jurisdiction_code__lt"])
    if categories:
        where.append(f"{connection.ops.quote_name('category')} IN "
                     f"({', '.join(['%s'] * len(categories))})")
        params += list(categories)
    return where, params


def _grade_pool_rows(prefix: str, categories=()) -> tuple[dict, dict]:
    """({category: [place id]}, {grade: [place id]}) in ONE statement (so both halves come
    from the same snapshot), each list as one aggregated string.

    Not a JOIN: a million index look-ups into the risk table took 15–20 s on SQLite. On
    SQLite the risk table's place_id is a bigint primary key, not the rowid, and neither of
    its (code, grade) indexes holds it: scanning the table (its factors JSON) for it cost
    ~3 s. So there the grades are read as rowids from the covering (grade, code) index and
    translated to place ids by one scan of the primary-key index (place_id, rowid) — both
    index-only; when the two lists are the same text (rowid = place id), no translation.
    """
    from django.db import connection

    sql, params = grade_pool_sql(prefix, categories)
    by_category, by_grade, translate = {}, {}, None
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, key, first, second in cursor.fetchall():
            if kind == "p":
                by_category[key] = _ids(first)
            elif kind == "g":
                by_grade[key] = first
            elif first != second:
                translate = dict(zip(_ids(first), _ids(second)))
    for key, text in by_grade.items():
        ids = _ids(text)
        by_grade[key] = ids if translate is None else list(map(translate.__getitem__, ids))
    return by_category, by_grade


def grade_pool_sql(prefix: str, categories=()) -> tuple[str, list]:
    from django.db import connection

    from fireledger.risk.models import RiskScore

    quote = connection.ops.quote_name
    place_t, risk_t = quote(Place._meta.db_table), quote(RiskScore._meta.db_table)
    grade, category = quote("grade"), quote("category")
    where, params = _place_range(prefix, categories)
    sql = (f"SELECT 'p', {category}, {_agg(quote('id'))}, NULL FROM {place_t} "
           f"WHERE {' AND '.join(where)} GROUP BY {category}")
    risk_where = [w for w in where if category not in w]  # the code range only
    risk_params = params[:len(risk_where)]
    if connection.vendor == "sqlite":
        sql += (f" UNION ALL SELECT 'g', {grade}, {_agg('rowid')}, NULL FROM {risk_t} "
                f"WHERE {' AND '.join(risk_where)} GROUP BY {grade}"
                f" UNION ALL SELECT 'm', NULL, {_agg('rowid')}, {_agg(quote('place_id'))} "
                f"FROM {risk_t}")
    else:
        sql += (f" UNION ALL SELECT 'g', {grade}, {_agg(quote('place_id'))}, NULL FROM {risk_t} "
                f"WHERE {' AND '.join(risk_where)} GROUP BY {grade}")
    return sql, [*params, *risk_params]


_MAGIC = b"FLP1"


def encode_pool(rows) -> tuple[bytes, str]:
    """(zlib-compressed snapshot, sha256 of the uncompressed bytes). Layout, little-endian:
    magic, count (u64), strata JSON length (u32), strata JSON, count × id delta (i64),
    count × stratum index (u16). `rows`: a draws.Pool or (id, stratum) pairs sorted by id;
    the same pool gives the same bytes either way."""
    if not isinstance(rows, draws.Pool):
        groups: dict[str, list[int]] = {}
        for pid, stratum in rows:
            groups.setdefault(stratum, []).append(pid)
        rows = draws.Pool(groups)
    names, ids, keys = rows.keyed()
    deltas = array("q", map(operator.sub, ids, chain((0,), ids)))
    kinds = array("H", map(operator.and_, keys, repeat(31)))
    if sys.byteorder == "big":
        deltas.byteswap()
        kinds.byteswap()
    header = json.dumps(names, ensure_ascii=False).encode()
    raw = b"".join([_MAGIC, struct.pack("<QI", len(rows), len(header)), header,
                    deltas.tobytes(), kinds.tobytes()])
    return zlib.compress(raw, 1), hashlib.sha256(raw).hexdigest()


def decode_pool(blob: bytes, sha256: str, as_pool: bool = False):
    """The snapshot's (id, stratum) pairs sorted by id; `as_pool`: as a draws.Pool (what
    reproduce draws from: no million tuples)."""
    raw = zlib.decompress(bytes(blob))
    if hashlib.sha256(raw).hexdigest() != sha256:
        raise ValueError("pool snapshot does not match its sha256")
    if raw[:4] != _MAGIC:
        raise ValueError("not a pool snapshot")
    count, hlen = struct.unpack_from("<QI", raw, 4)
    start = 4 + 12
    names = json.loads(raw[start:start + hlen])
    start += hlen
    deltas = array("q")
    deltas.frombytes(raw[start:start + 8 * count])
    kinds = array("H")
    kinds.frombytes(raw[start + 8 * count:start + 10 * count])
    if sys.byteorder == "big":
        deltas.byteswap()
        kinds.byteswap()
    if as_pool:
        ids = list(accumulate(deltas))
        return draws.Pool({name: array("q", compress(ids, map(operator.eq, kinds, repeat(k))))
                           for k, name in enumerate(names)})
    return list(zip(accumulate(deltas), map(names.__getitem__, kinds)))


# --- inspectors and the facts recusal needs --------------------------------------------

def inspector_pool(jurisdiction, roles=INSPECTOR_ROLES) -> list[dict]:
    """The users holding one of `roles` at, above or below the jurisdiction, with every street
    they are assigned to and every unit they act for (their other assignments count too):
    [{"id", "name", "streets", "organisations"}] sorted by id."""
    codes = [j.code for j in jurisdiction.ancestors()] + [jurisdiction.code]
    holders = (RoleAssignment.objects.filter(
        Q(**range_lookup("jurisdiction__code", jurisdiction.prefix))
        | Q(jurisdiction__code__in=codes), role__in=list(roles), user__is_active=True)
        .values_list("user_id", flat=True).distinct())
    facts: dict[int, dict] = {}
    for a in RoleAssignment.objects.filter(user_id__in=list(holders)).select_related(
            "jurisdiction", "user").order_by("user_id", "pk"):
        f = facts.setdefault(a.user_id, {"id": a.user_id, "name": a.user.display_name,
                                         "streets": set(), "organisations": set()})
        if len(a.jurisdiction.prefix) >= STREET_PREFIX:
            f["streets"].add(a.jurisdiction.code[:STREET_PREFIX])
        if a.organisation_id:
            f["organisations"].add(a.organisation_id)
    return [{**f, "streets": sorted(f["streets"]), "organisations": sorted(f["organisations"])}
            for _, f in sorted(facts.items())]


def as_inspectors(snapshot: list[dict]) -> list[draws.Inspector]:
    return [draws.Inspector(i["id"], frozenset(i["streets"]), frozenset(i["organisations"]))
            for i in snapshot]


PLACE_COLUMNS = ("id", "name", "category", "jurisdiction_code", "department_id", "owner_id",
                 "manager_id", "occupant_id")


def _in_ids(column: str, ids) -> tuple[str, list]:
    """`column` among `ids` as ONE parameter, whatever their number: a JSON array read by
    json_each on SQLite, an array on PostgreSQL. 50,000 drawn places were 56 IN lists of 900
    parameters each (one ORM query apiece); now one statement per 100,000."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(ids)]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(list(ids))]


def _rows(sql_of, ids, chunk: int = 100_000):
    from django.db import connection

    with connection.cursor() as cursor:
        for start in range(0, len(ids), chunk):
            cursor.execute(*sql_of(ids[start:start + chunk]))
            yield from cursor.fetchall()


def place_rows(place_ids: list[int]) -> dict[int, dict]:
    quote = _quote()
    columns = ", ".join(map(quote, PLACE_COLUMNS))

    def sql(ids):
        where, params = _in_ids(quote("id"), ids)
        return f"SELECT {columns} FROM {quote(Place._meta.db_table)} WHERE {where}", params

    # Sorted: the look-ups walk the primary key's pages in order (the draw order is random).
    return {row[0]: dict(zip(PLACE_COLUMNS, row)) for row in _rows(sql, sorted(place_ids))}


def _quote():
    from django.db import connection

    return connection.ops.quote_name


def last_inspectors(place_ids: list[int]) -> dict[int, list[int]]:
    """Per place, who did its latest submitted inspection (latest by submitted_at, then id):
    the one who made it and every signing user."""
    quote = _quote()

    def inspections(ids):
        where, params = _in_ids(quote("place_id"), ids)
        return (f"SELECT {quote('place_id')}, {quote('id')}, {quote('created_by_id')} "
                f"FROM {quote(Inspection._meta.db_table)} WHERE {where} "
                f"AND {quote('status')} = %s ORDER BY {quote('place_id')}, "
                f"{quote('submitted_at')} IS NOT NULL, {quote('submitted_at')}, {quote('id')}",
                [*params, Status.SUBMITTED])  # NULLs first on both databases

    latest: dict[int, tuple] = {}
    for place_id, pk, by in _rows(inspections, sorted(place_ids)):
        latest[place_id] = (pk, by)  # ascending: the last row per place wins
    users = {pk: {by} - {None} for pk, by in latest.values()}

    def signatures(pks):
        where, params = _in_ids(quote("inspection_id"), pks)
        return (f"SELECT {quote('inspection_id')}, {quote('user_id')} "
                f"FROM {quote(Signature._meta.db_table)} WHERE {where} "
                f"AND {quote('user_id')} IS NOT NULL", params)

    for pk, user_id in _rows(signatures, sorted(users)):
        users[pk].add(user_id)
    return {place_id: sorted(users[pk]) for place_id, (pk, _by) in latest.items()}


def facts_json(row: dict, last: list[int]) -> dict:
    return {"street": row["jurisdiction_code"][:STREET_PREFIX],
            "organisations": sorted({row["owner_id"], row["manager_id"], row["occupant_id"]}
                                    - {None}),
            "last": last}


_NONE = frozenset()


def as_facts(data: dict) -> draws.PlaceFacts:
    return draws.PlaceFacts(data["street"], frozenset(data["organisations"]) or _NONE,
                            frozenset(data["last"]) if data["last"] else _NONE)


def drawn_facts(ids: list[int]) -> tuple[dict, dict, dict]:
    """The drawn places' rows, their recusal facts as stored (JSON) and as draws.PlaceFacts:
    two statements per 100,000 places, one pass."""
    info = place_rows(ids)
    last = last_inspectors(ids)
    facts, typed = {}, {}
    for pid in ids:
        f = facts[pid] = facts_json(info[pid], last.get(pid, []))
        typed[pid] = as_facts(f)
    return info, facts, typed


# --- making a draw ---------------------------------------------------------------------

@dataclass
class Outcome:
    draw: RandomDraw
    timings: dict


def _checklists() -> dict[str, object]:
    """category → the current version of the first active checklist for it (snapshotting a
    template that has none yet would need an actor: such a template counts as missing)."""
    out = {}
    for t in ChecklistTemplate.objects.filter(is_active=True).order_by("sort_order", "code"):
        version = t.current_version()
        if version is None:
            continue
        for c in t.place_categories:
            out.setdefault(c, version)
    return out


def categories_with_checklist() -> list[str]:
    """The default pool's categories: a random inspection is made on a checklist."""
    return sorted(_checklists())


def _clean_ratios(mode: str, ratios: dict | None) -> dict[str, str]:
    allowed = strata(mode)
    ratios = default_ratios(mode) if ratios is None else ratios
    out = {}
    for stratum, value in ratios.items():
        if stratum not in allowed:
            raise ValidationError(gettext("Unknown stratum “%(s)s”.") % {"s": stratum},
                                  code="invalid")
        try:
            draws.percent(value)
        except draws.DrawError:
            raise ValidationError(
                gettext("The ratio of “%(s)s” must be a number from 0 to 100, not “%(v)s”.")
                % {"s": stratum_label(stratum), "v": value}, code="invalid") from None
        out[stratum] = str(value)
    return out


def new_seed() -> str:
    return secrets.token_hex(16)


def make_draw(actor, jurisdiction, *, mode: str = RandomDraw.Mode.GRADE, ratios=None,
              campaign=None, seed: str | None = None, team: int = draws.MIN_TEAM,
              inspector_roles=INSPECTOR_ROLES, categories=(), progress=None) -> RandomDraw:
    """Draw, write and record; all or nothing. Refused with a message naming the place when a
    place has fewer than `team` inspectors left after recusal, or no checklist."""
    return make_draw_timed(actor, jurisdiction, mode=mode, ratios=ratios, campaign=campaign,
                           seed=seed, team=team, inspector_roles=inspector_roles,
                           categories=categories, progress=progress).draw


@transaction.atomic
def make_draw_timed(actor, jurisdiction, *, mode=RandomDraw.Mode.GRADE, ratios=None,
                    campaign=None, seed=None, team=draws.MIN_TEAM,
                    inspector_roles=INSPECTOR_ROLES, categories=(), progress=None) -> Outcome:
    """make_draw, returning also the seconds each step took (for bench/bench_draw.py)."""
    import time

    t0 = time.perf_counter()
    if not may_draw(actor, jurisdiction):
        raise PermissionDenied("draw not permitted in this jurisdiction")
    if mode not in RandomDraw.Mode.values:
        raise ValidationError(gettext("Unknown kind of strata."), code="invalid")
    roles = [r for r in inspector_roles if r in INSPECTOR_ROLE_CHOICES]
    if not roles:
        raise ValidationError(gettext("Choose at least one role for the inspector pool."),
                              code="required")
    if team < draws.MIN_TEAM:
        raise ValidationError(gettext("A random inspection needs at least two inspectors."),
                              code="invalid")
    ratios = _clean_ratios(mode, ratios)
    seed = (seed or "").strip() or new_seed()
    version = draws.ALGORITHM_VERSION
    rows = pool(jurisdiction, mode, categories)
    t_pool = time.perf_counter()
    blob, sha = encode_pool(rows)
    t_snapshot = time.perf_counter()
    inspectors = inspector_pool(jurisdiction, roles)
    drawn_places = draws.draw_places(seed, version, rows, ratios)
    t_places = time.perf_counter()
    ids = [pid for pid, _ in drawn_places]
    info, facts, typed = drawn_facts(ids)
    try:
        result = draws.assign_inspectors(seed, version, drawn_places, as_inspectors(inspectors),
                                         typed, team)
    except draws.NotEnoughInspectors as e:
        raise ValidationError(
            gettext("Place “%(place)s” (id %(id)s): only %(n)d inspector(s) left after "
                    "recusal, %(team)d needed. Add inspectors to the pool or choose more "
                    "roles.") % {"place": info[e.place_id]["name"], "id": e.place_id,
                                 "n": e.eligible, "team": e.needed},
            code="not_enough_inspectors") from None
    t_inspectors = time.perf_counter()
    checklists = _checklists()
    missing = sorted({info[pid]["category"] for pid in ids} - set(checklists))
    if missing:
        example = next(info[pid] for pid in ids if info[pid]["category"] == missing[0])
        raise ValidationError(
            gettext("No checklist applies to places of category “%(category)s” (for example "
                    "“%(place)s”): add one, or leave the category out of the pool.")
            % {"category": Category(missing[0]).label, "place": example["name"]},
            code="no_checklist")
    draw = RandomDraw.objects.create(
        jurisdiction=jurisdiction, jurisdiction_code=jurisdiction.code, campaign=campaign,
        mode=mode, created_by=actor, seed=seed, algorithm_version=version, ratios=ratios,
        team_size=team, inspector_roles=roles, pool_size=len(rows), pool_snapshot=blob,
        pool_sha256=sha, inspector_snapshot=inspectors, drawn_count=len(result))
    audit.record(actor, AuditAction.CREATE, draw, after={
        "seed": seed, "algorithm_version": version, "mode": mode, "ratios": ratios,
        "team_size": team, "inspector_roles": roles, "pool_size": len(rows),
        "pool_sha256": sha, "drawn_count": len(result),
        "campaign": campaign.pk if campaign else None}, note=f"{len(result)} places drawn")
    _write(actor, draw, result, info, facts, checklists, progress)
    t_write = time.perf_counter()
    return Outcome(draw, {"pool_query": t_pool - t0, "snapshot": t_snapshot - t_pool,
                          "draw_places": t_places - t_snapshot,
                          "inspectors": t_inspectors - t_places,
                          "write": t_write - t_inspectors, "total": t_write - t0})


def _write(actor, draw: RandomDraw, result, info, facts, checklists, progress,
           batch: int = 2000) -> None:
    """The drafts with their results, the drawn places, inspectors and recusals, and one
    audit event per draft, in batches of core.bulk.insert."""
    from fireledger.core.models import Organisation

    today = timezone.localdate()
    now = draw.created_at
    done = 0
    for start in range(0, len(result), batch):
        chunk = result[start:start + batch]
        units = {info[d.place_id][k] for d in chunk
                 for k in ("occupant_id", "manager_id", "owner_id")} - {None}
        names, units = {}, sorted(units)
        for n in range(0, len(units), 900):
            names.update(Organisation.objects.filter(pk__in=units[n:n + 900])
                         .values_list("pk", "name"))
        inspections = []
        for d in chunk:
            row = info[d.place_id]
            version = checklists[row["category"]]
            unit = next((names[row[k]] for k in ("occupant_id", "manager_id", "owner_id")
                         if row[k] is not None), "")
            inspections.append(Inspection(
                token=uuid.uuid4(), place_id=d.place_id,
                jurisdiction_code=row["jurisdiction_code"], department_id=row["department_id"],
                kind=Kind.RANDOM, version=version, status=Status.DRAFT, unit_name=unit,
                inspected_on=today, started_at=now, created_by_id=d.inspectors[0]))
        bulk.insert(Inspection, inspections)
        pks = bulk.ids_by(Inspection, "token", [i.token for i in inspections])
        results, events = [], []
        for i in inspections:
            i.pk = pks[i.token]
            i._state.adding = False
            for n, item in enumerate(i.version.items):
                results.append(SimpleNamespace(
                    inspection_id=i.pk, sort_order=n, number=item["number"],
                    area=item.get("area", ""), text=item["text"],
                    category_id=item["category_id"], is_major=item.get("is_major", False),
                    workdays=item.get("workdays"), outcome="", follow_up="", note="",
                    deadline=None, interim_safeguards="", hazard_id=None))
        bulk.insert(InspectionResult, results)
        bulk.insert(DrawnPlace, [SimpleNamespace(
            draw_id=draw.pk, place_id=d.place_id, stratum=d.stratum, order=d.order,
            facts=facts[d.place_id], inspection_id=i.pk) for d, i in zip(chunk, inspections)])
        orders = dict(DrawnPlace.objects.filter(
            draw=draw, order__gte=chunk[0].order, order__lte=chunk[-1].order)
            .values_list("order", "pk"))
        bulk.insert(DrawnInspector, [
            SimpleNamespace(drawn_place_id=orders[d.order], user_id=u, position=n)
            for d in chunk for n, u in enumerate(d.inspectors, start=1)])
        bulk.insert(DrawRecusal, [
            SimpleNamespace(drawn_place_id=orders[d.order], user_id=u, reason=reason)
            for d in chunk for u, reason in d.recusals])
        events = [audit.event_row(actor, AuditAction.CREATE, i, at=now, note=f"draw {draw.pk}",
                                  after={"place": i.place_id, "kind": Kind.RANDOM,
                                         "version": i.version_id,
                                         "inspectors": list(d.inspectors)})
                  for d, i in zip(chunk, inspections)]
        bulk.insert(AuditEvent, events)
        done += len(chunk)
        if progress:
            progress(done)


# --- reproducing a draw ----------------------------------------------------------------

def stored(draw: RandomDraw) -> list[draws.Drawn]:
    """The draw as it was written, in order."""
    places = list(draw.places.order_by("order").values_list("pk", "place_id", "stratum",
                                                            "order"))
    team: dict[int, list[int]] = {}
    for dp, user_id in DrawnInspector.objects.filter(drawn_place__draw=draw).order_by(
            "drawn_place_id", "position").values_list("drawn_place_id", "user_id"):
        team.setdefault(dp, []).append(user_id)
    recused: dict[int, list] = {}
    for dp, user_id, reason in DrawRecusal.objects.filter(drawn_place__draw=draw).values_list(
            "drawn_place_id", "user_id", "reason"):
        recused.setdefault(dp, []).append((user_id, reason))
    return [draws.Drawn(place_id, stratum, order, tuple(team.get(pk, ())),
                        tuple(recused.get(pk, ()))) for pk, place_id, stratum, order in places]


def reproduce(draw: RandomDraw) -> list[str]:
    """Re-run the stored draw from its seed, pool snapshot, inspector pool, recusal facts and
    algorithm version; the differences from what was written (empty: identical)."""
    rows = decode_pool(draw.pool_snapshot, draw.pool_sha256, as_pool=True)
    if len(rows) != draw.pool_size:
        return [f"pool snapshot holds {len(rows)} places, the draw says {draw.pool_size}"]
    facts = {place_id: as_facts(f) for place_id, f in
             draw.places.values_list("place_id", "facts")}
    again = draws.draw(draw.seed, draw.algorithm_version, rows, draw.ratios,
                       as_inspectors(draw.inspector_snapshot), facts, draw.team_size)
    return draws.compare(stored(draw), again.places)


def is_drawn_inspector(user, inspection) -> bool:
    return getattr(user, "pk", None) is not None and DrawnInspector.objects.filter(
        user_id=user.pk, drawn_place__inspection_id=inspection.pk).exists()
