"""Writing audit events. Services call these inside their own transaction."""

import datetime
import decimal
import uuid
from functools import lru_cache
from types import SimpleNamespace

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from .models import AuditAction, AuditEvent


@lru_cache(maxsize=None)
def _fields(model) -> list[tuple[str, object]]:
    """(attname, decimal quantum or None) per concrete field, computed once per model."""
    return [
        (f.attname, decimal.Decimal(1).scaleb(-f.decimal_places)
         if isinstance(f, models.DecimalField) else None)
        for f in model._meta.concrete_fields
    ]


def snapshot(obj: models.Model, *, skip_empty: bool = False) -> dict:
    """The concrete field values of obj as JSON-safe data (foreign keys by id).

    skip_empty leaves out None and "" (a created record's unset fields say nothing).
    """
    data = {}
    for attname, quantum in _fields(type(obj)):
        value = getattr(obj, attname)
        if value is None or value == "":
            if skip_empty:
                continue
        elif quantum is not None:
            # As stored: 12000 typed in and 12000.0 read back must not look like a change.
            value = str(decimal.Decimal(value).quantize(quantum))
        elif isinstance(value, FieldFile):
            value = value.name  # the stored file's name, not its content
        elif isinstance(value, (datetime.date, datetime.datetime, decimal.Decimal, uuid.UUID)):
            value = str(value)
        data[attname] = value
    return data


def event_row(actor, action: str, obj, *, before=None, after=None, note: str = "",
              at=None) -> SimpleNamespace:
    """The columns of a new event as a plain row: core.bulk.insert writes it as it is."""
    return SimpleNamespace(
        at=at or timezone.now(),
        actor_id=getattr(actor, "pk", None),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        jurisdiction_code=getattr(obj, "jurisdiction_code", "") or "",
        before=before,
        after=after,
        note=note[:200],
    )


def build_event(actor, action: str, obj, before=None, after=None, note: str = "") -> AuditEvent:
    """An unsaved event model."""
    return AuditEvent(**vars(event_row(actor, action, obj, before=before, after=after, note=note)))


def record(actor, action: str, obj, before=None, after=None, note: str = "") -> AuditEvent:
    event = build_event(actor, action, obj, before, after, note)
    event.save()
    return event


def record_create(actor, obj, note: str = "") -> AuditEvent:
    """A new record: its fields that say something (unset ones left out)."""
    return record(actor, AuditAction.CREATE, obj, after=snapshot(obj, skip_empty=True), note=note)


def record_change(actor, obj, before: dict, note: str = "") -> set[str]:
    """A change: only the fields that differ from `before` (a snapshot); returns their names."""
    after = snapshot(obj)
    changed = {k for k in after if before.get(k) != after.get(k)} - {"updated_at"}
    record(actor, AuditAction.CHANGE, obj, before={k: before.get(k) for k in changed},
           after={k: after[k] for k in changed}, note=note)
    return changed


__all__ = ["AuditAction", "build_event", "event_row", "record", "record_change", "record_create",
           "snapshot"]
