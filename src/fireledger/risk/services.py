"""Every write of the risk app: recomputing scores (derived data, kept with its own history)
and adopting a new risk policy (audited)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fireledger.core import audit

from . import index, recompute
from .models import RiskPolicy


def recompute_places(place_ids) -> recompute.Timing:
    """The on-change hook: recompute these places inside the caller's transaction, so a
    place's grade is never stale after the write that changed it."""
    return recompute.run_places(place_ids)


def recompute_all(progress=None, chunk: int = recompute.CHUNK) -> recompute.Timing:
    """Every place (nightly and `fireledger risk`); `progress(done, total)` after each chunk."""
    return recompute.run_all(progress=progress, chunk=chunk)


@transaction.atomic
def adopt_policy(actor, *, weights: dict, red_from: float, orange_from: float,
                 yellow_from: float, note: str = "") -> RiskPolicy:
    """Put a new version of the weights and cut-offs in force; the previous one is kept.

    Scores change at the next recompute (nightly, or `fireledger risk` at once)."""
    cutoffs = {"red": red_from, "orange": orange_from, "yellow": yellow_from}
    weights = weights if isinstance(weights, dict) else {}
    problems = index.check_policy({**index.DEFAULT_WEIGHTS, **weights}, cutoffs)
    if problems:
        raise ValidationError(_("The risk policy is not valid: %(problems)s")
                              % {"problems": "; ".join(_(m).format(**p) for m, p in problems)}, code="invalid_policy")
    current = RiskPolicy.objects.select_for_update().filter(in_force=True).first()
    if current is not None:
        before = audit.snapshot(current)
        current.in_force = False
        current.save(update_fields=["in_force"])
        audit.record_change(actor, current, before, note="superseded")
    last = RiskPolicy.objects.order_by("-version").values_list("version", flat=True).first()
    policy = RiskPolicy.objects.create(
        version=(last or 0) + 1, weights={**index.DEFAULT_WEIGHTS, **weights},
        red_from=red_from, orange_from=orange_from, yellow_from=yellow_from, in_force=True,
        note=note[:200], created_by=actor if getattr(actor, "pk", None) else None)
    audit.record_create(actor, policy)
    return policy
