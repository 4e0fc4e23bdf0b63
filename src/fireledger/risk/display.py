"""Factors as people read them: the reason in the active language and the points."""

from django.utils.translation import gettext

from fireledger.hazards.choices import CategoryGroup
from fireledger.places.models import Place, category_labels

from . import index
from .choices import Grade

# Tabler colour classes per grade (the 红橙黄蓝 scheme).
BADGE = {"red": "bg-red text-red-fg", "orange": "bg-orange text-orange-fg",
         "yellow": "bg-yellow text-yellow-fg", "blue": "bg-blue text-blue-fg"}


def _params(params: dict) -> dict:
    """Codes in the params turned into labels."""
    shown = dict(params)
    if "category" in shown:
        shown["category"] = category_labels().get(shown["category"], shown["category"])
    if "group" in shown:
        group = shown["group"]
        shown["group"] = CategoryGroup(group).label if group in CategoryGroup.values else group
    if "systems" in shown:
        shown["systems"] = "、".join(str(Place._meta.get_field(s).verbose_name)
                                    for s in shown["systems"])
    return shown


def describe(factors) -> list[dict]:
    """[{key, points, reason}] for stored factors ([key, points, params] lists)."""
    rows = []
    for key, points, params in factors or ():
        message = index.MESSAGES.get(key)
        reason = gettext(message).format(**_params(params)) if message else key
        rows.append({"key": key, "points": points, "reason": reason})
    return rows


def grade_label(grade: str) -> str:
    return str(Grade(grade).label) if grade in Grade.values else grade
