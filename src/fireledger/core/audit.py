"""Writing audit events. Services call these inside their own transaction."""

import datetime
import decimal

from django.db import models

from .models import AuditAction, AuditEvent


def snapshot(obj: models.Model) -> dict:
    """The concrete field values of obj as JSON-safe data (foreign keys by id)."""
    data = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if isinstance(field, models.DecimalField) and value is not None:
            # As stored: 12000 typed in and 12000.0 read back must not look like a change.
            value = field.to_python(value).quantize(decimal.Decimal(1).scaleb(-field.decimal_places))
        if isinstance(value, (datetime.date, datetime.datetime, decimal.Decimal)):
            value = str(value)
        data[field.attname] = value
    return data


def build_event(actor, action: str, obj, before=None, after=None, note: str = "") -> AuditEvent:
    """An unsaved event, for services that write many at once with bulk_create."""
    return AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        jurisdiction_code=getattr(obj, "jurisdiction_code", "") or "",
        before=before,
        after=after,
        note=note[:200],
    )


def record(actor, action: str, obj, before=None, after=None, note: str = "") -> AuditEvent:
    event = build_event(actor, action, obj, before, after, note)
    event.save()
    return event


__all__ = ["AuditAction", "build_event", "record", "snapshot"]
