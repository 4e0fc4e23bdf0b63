"""Writes to core records (units for now), each with its audit event."""

from django.db import transaction

from . import audit
from .models import AuditAction, Organisation


@transaction.atomic
def unit_named(actor, name: str) -> Organisation | None:
    """The unit with this exact name, created (and audited) if it is new; None for blank."""
    name = (name or "").strip()
    if not name:
        return None
    unit = Organisation.objects.filter(name=name).order_by("id").first()
    if unit is None:
        unit = Organisation.objects.create(name=name)
        audit.record(actor, AuditAction.CREATE, unit, after=audit.snapshot(unit))
    return unit
