"""Demo risk scores: every demo place computed once, after the demo's hazards and inspections
are written (their bulk paths do not call the per-place hook, on purpose)."""

from . import services


def generate_demo_risk(progress=None) -> dict:
    """Recompute every place; returns the count per grade. Deterministic for a given demo
    database and day (time-based factors count days from today)."""
    timing = services.recompute_all(progress=progress)
    return dict(timing.grades)
