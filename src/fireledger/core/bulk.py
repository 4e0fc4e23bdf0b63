"""One executemany INSERT (COPY on PostgreSQL) for many new rows of a model.

Django's bulk_create prepares every value through the full ORM path and, on SQLite, caps each
statement at 999 parameters (18 places per INSERT): at import scale that is most of the time.
This writes the same columns with the same per-field adaptation for the fields that need it
(JSON, decimals, dates, UUIDs) and passes the rest as they are. Primary keys are not returned:
callers look them up by a unique column.
"""

import decimal
from functools import lru_cache
from operator import attrgetter

from django.db import connections, models, router
from django.utils import timezone

ADAPTED = (models.JSONField, models.UUIDField)


def _needs_adapting(field) -> bool:
    return isinstance(field, (models.DecimalField, models.DateField, *ADAPTED))


@lru_cache(maxsize=None)
def _plan(model, alias: str):
    """Columns with plain values first (read in one attrgetter call), then those to adapt."""
    connection = connections[alias]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    plain = [f for f in fields if not _needs_adapting(f)]
    adapted = [f for f in fields if _needs_adapting(f)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in plain + adapted)
    if connection.vendor == "postgresql":
        sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    else:
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    stamped = [f.attname for f in fields
               if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    return attrgetter(*(f.attname for f in plain)), adapted, stamped, sql


def insert(model, objs: list, *, using: str | None = None) -> None:
    """INSERT objs in one executemany; auto_now fields get one timestamp for the whole batch.

    objs are unsaved instances, or any objects with an attribute per concrete field's attname
    (a SimpleNamespace row is enough, and skips model __init__ for write-only rows).
    """
    if not objs:
        return
    alias = using or router.db_for_write(model)
    connection = connections[alias]
    plain, adapted, stamped, sql = _plan(model, alias)
    now = timezone.now()
    for attname in stamped:
        for obj in objs:
            setattr(obj, attname, now)
    getters = []
    for f in adapted:
        if isinstance(f, models.DecimalField):
            # Both drivers take Decimal and int as they are; only other types need converting.
            getters.append(lambda obj, f=f: _decimal(f, getattr(obj, f.attname)))
        elif isinstance(f, models.DateField):
            # Timestamps repeat within a batch: adapt each distinct value once.
            getters.append(lambda obj, f=f, memo={}: _memo(memo, f, getattr(obj, f.attname), connection))
        else:
            getters.append(lambda obj, f=f: f.get_db_prep_save(getattr(obj, f.attname), connection))
    rows = [plain(obj) + tuple(get(obj) for get in getters) for obj in objs]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is several times faster than executemany there; psycopg adapts each value.
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(sql, rows)


def _memo(memo: dict, field, value, connection):
    if value not in memo:
        memo[value] = field.get_db_prep_save(value, connection)
    return memo[value]


def _decimal(field, value):
    return value if value is None or isinstance(value, (decimal.Decimal, int)) else field.to_python(value)


def ids_by(model, field: str, values: list, *, chunk: int = 500) -> dict:
    """{value: pk} for rows whose unique `field` is in values (chunked under parameter limits)."""
    found = {}
    for start in range(0, len(values), chunk):
        found.update(model.objects.filter(**{f"{field}__in": values[start:start + chunk]})
                     .values_list(field, "pk"))
    return found


__all__ = ["insert", "ids_by"]
