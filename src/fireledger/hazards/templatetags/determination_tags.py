"""The determination card on the hazard page: its history and what this user may do."""

from django import template

from fireledger.hazards import lifecycle
from fireledger.hazards import services_determination as det
from fireledger.hazards.models import Determination

register = template.Library()


@register.inclusion_tag("hazards/_determination_history.html", takes_context=True)
def determination_card(context, hazard):
    user = context["request"].user
    rows = list(Determination.objects.filter(hazard=hazard).select_related(
        "rule_set", "proposed_by", "decided_by"))
    open_row = next((r for r in rows if r.status == Determination.Status.PROPOSED), None)
    return {
        "hazard": hazard,
        "determinations": rows,
        "may_propose": (open_row is None and hazard.status in lifecycle.OPEN_STATUSES
                        and not any(r.status == Determination.Status.CONFIRMED for r in rows)
                        and det.may_propose(user, hazard)),
        "open_row": open_row,
        "may_decide": open_row is not None and det.may_decide(user, open_row),
    }
