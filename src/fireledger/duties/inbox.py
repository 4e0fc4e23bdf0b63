"""The duties app's inbox sections (hazards.inbox.sections adds them at its end)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from fireledger.core.choices import Level, Role
from fireledger.core.models import Jurisdiction
from fireledger.core.scope import roles_q

from . import queries

DUE_WITHIN_DAYS = 14  # "inspections due": overdue, never inspected, or due within two weeks


def sections(user, roles: set[str], today: datetime.date, make_section, shown: int) -> list:
    """Inspections due (grid workers, street officers: their scope, soonest first) and
    overdue duty periods of the work station (street officers)."""
    from fireledger.hazards.inbox import Section
    from fireledger.places.models import Place

    out = []
    if user.is_superuser or roles & {Role.GRID_WORKER, Role.STREET_OFFICER}:
        places = Place.objects.visible_to(user, "view").select_related("jurisdiction__parent")
        out.append(make_section(
            "inspections_due", _("Inspections due"),
            queries.due_queue(places, today, within_days=DUE_WITHIN_DAYS), kind="due_place"))
    if user.is_superuser or Role.STREET_OFFICER in roles:
        stations = Jurisdiction.objects.filter(
            roles_q(user, {Role.STREET_OFFICER}, code_field="code"), level=Level.STREET)
        overdue = queries.overdue_duties(stations, today)
        out.append(Section("duties_overdue", _("Work-station duties overdue"), overdue[:shown],
                           len(overdue), kind="duty"))
    return out
