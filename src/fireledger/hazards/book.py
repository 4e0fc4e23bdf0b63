"""一栋一册: one place's hazards with their rectifications and history, for the page and the
export. Open hazards first (most urgent deadline first), then the closed ones (latest first)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from fireledger.core.models import AuditEvent

from .filters import with_overdue
from .models import Hazard


@dataclass
class Book:
    place: object
    open: list = field(default_factory=list)
    closed: list = field(default_factory=list)
    today: datetime.date | None = None

    @property
    def hazards(self) -> list:
        return self.open + self.closed

    @property
    def counts(self) -> dict[str, int]:
        return {
            "total": len(self.open) + len(self.closed),
            "open": len(self.open),
            "closed": len(self.closed),
            "overdue": sum(1 for h in self.open if h.overdue),
            "major": sum(1 for h in self.open if h.is_major),
        }


def _open_order(hazard: Hazard):
    return (hazard.deadline is None, hazard.deadline or datetime.date.max, hazard.pk)


def place_book(user, place, *, with_history: bool = True) -> Book:
    """The place's hazards the user may see, each with `photo_count` and `history` (its audit
    events, oldest first: one query for all of them, the lookup of AuditEvent.for_object)."""
    today = timezone.localdate()
    hazards = list(with_overdue(Hazard.objects.visible_to(user, "view").filter(place=place), today)
                   .select_related("category__parent", "found_by")
                   .annotate(photo_count=Count("photos")))
    history: dict[str, list] = {}
    if with_history and hazards:
        events = (AuditEvent.objects
                  .filter(object_type=Hazard._meta.label_lower,
                          object_id__in=[str(h.pk) for h in hazards])
                  .select_related("actor").order_by("at", "id"))
        for event in events:
            history.setdefault(event.object_id, []).append(event)
    for hazard in hazards:
        hazard.history = history.get(str(hazard.pk), [])
    book = Book(place=place, today=today)
    book.open = sorted((h for h in hazards if h.is_open), key=_open_order)
    book.closed = sorted((h for h in hazards if not h.is_open),
                         key=lambda h: (h.closed_on, h.pk), reverse=True)
    return book
