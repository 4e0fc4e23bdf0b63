"""Shared set-up for the bench scripts: Django settings from the environment, timing helpers."""

import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))


def setup_django() -> None:
    """Configure Django from DATABASE_URL (default: the demo SQLite file; pass a bench DB)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fireledger.settings")
    os.environ.setdefault("FIRELEDGER_DEBUG", "1")
    import django

    django.setup()


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile of samples (p in 0…100)."""
    ordered = sorted(samples)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def summary(samples_ms: list[float]) -> dict:
    return {
        "n": len(samples_ms),
        "p50": statistics.median(samples_ms),
        "p95": percentile(samples_ms, 95),
        "max": max(samples_ms),
    }


def db_description() -> str:
    from django.db import connection

    vendor = connection.vendor
    with connection.cursor() as cur:
        if vendor == "sqlite":
            cur.execute("select sqlite_version()")
            version = cur.fetchone()[0]
            name = connection.settings_dict["NAME"]
        else:
            cur.execute("show server_version")
            version = cur.fetchone()[0]
            name = connection.settings_dict["NAME"]
    return f"{vendor} {version} ({name})"


def timed(fn, n: int, warmup: int) -> list[float]:
    """Milliseconds of n calls of fn, after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def run_raw(statements: list[str]) -> None:
    """The floor: each captured SQL statement run again on the same connection and fetched."""
    from django.db import connection

    with connection.cursor() as cur:
        for sql in statements:
            cur.execute(sql)
            cur.fetchall()


def replayable(sql: str) -> str:
    """On PostgreSQL a ModelChoiceIterator (a <select> of a form) reads through a named
    server-side cursor: replay its SELECT as a plain query."""
    if sql.startswith("DECLARE "):
        return sql[sql.index(" FOR ") + len(" FOR "):]
    return sql


def pair(s: dict) -> str:
    return f"{s['p50']:.1f}/{s['p95']:.1f}"


def ratio(a: dict, b: dict) -> str:
    return f"{a['p50'] / b['p50']:.2f}/{a['p95'] / b['p95']:.2f}"


def bench_user(street_code: str | None, district: bool, missing: str):
    """(user, role, jurisdiction) for a list benchmark: `bench_street`, street officer over the
    street (解放碑街道 unless a code is given), or `bench_district` over its district."""
    from fireledger.core.choices import Role
    from fireledger.core.models import Jurisdiction, RoleAssignment, User

    streets = Jurisdiction.objects.filter(level="street")
    street = (streets.get(code=street_code) if street_code
              else streets.filter(name="解放碑街道").first() or streets.first())
    if street is None:
        raise SystemExit(missing)
    if district:
        street, role, username = street.parent, Role.DISTRICT_OFFICE, "bench_district"
    else:
        role, username = Role.STREET_OFFICER, "bench_street"
    user, _ = User.objects.get_or_create(username=username, defaults={"first_name": "压测用户"})
    user.assignments.all().delete()
    RoleAssignment.objects.create(user=user, role=role, jurisdiction=street)
    return user, role, street
