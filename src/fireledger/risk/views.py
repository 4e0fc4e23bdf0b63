"""Risk pages: the user's places by grade with counts per street, and one place's risk."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import Substr
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from fireledger.core.models import Jurisdiction
from fireledger.hazards.burndown import STREET_DIGITS, street_code
from fireledger.places.models import Place

from .choices import Grade
from .display import BADGE
from .models import RiskHistory

PAGE_SIZE = 25
GRADES = [g for g, _label in Grade.choices]


def _scored(user):
    return Place.objects.visible_to(user, "view").filter(risk__isnull=False)


def _street_rows(places) -> list[dict]:
    """Counts per street and grade in one grouped query, streets named in one more."""
    counts: dict[str, dict[str, int]] = {}
    for row in (places.annotate(street=Substr("jurisdiction_code", 1, STREET_DIGITS))
                .values("street", "risk__grade").annotate(n=Count("pk")).order_by()):
        counts.setdefault(row["street"], dict.fromkeys(GRADES, 0))[row["risk__grade"]] = row["n"]
    names = dict(Jurisdiction.objects.filter(code__in=[street_code(s) for s in counts])
                 .values_list("code", "name"))
    return [{"prefix": prefix, "name": names.get(street_code(prefix), prefix),
             "cells": [(g, by_grade[g]) for g in GRADES], "total": sum(by_grade.values())}
            for prefix, by_grade in sorted(counts.items())]


@login_required
def overview(request):
    """Counts by grade and street; below them the places, highest score first, filtered by
    the grade and street the counts link to."""
    places = _scored(request.user)
    street_rows = _street_rows(places)
    totals = dict.fromkeys(GRADES, 0)
    for row in street_rows:
        for grade, n in row["cells"]:
            totals[grade] += n
    grade = request.GET.get("grade", "")
    street = request.GET.get("street", "")
    listed = places
    if grade:
        if grade not in GRADES:
            raise Http404
        listed = listed.filter(risk__grade=grade)
    if street:
        if not (street.isdigit() and len(street) == STREET_DIGITS):
            raise Http404
        listed = listed.filter(jurisdiction_code__startswith=street)
    listed = listed.select_related("risk", "jurisdiction__parent").order_by(
        "-risk__score", "jurisdiction_code", "pk")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "risk/overview.html", {
        "street_rows": street_rows,
        "totals": [(g, Grade(g).label, totals[g], BADGE[g]) for g in GRADES],
        "grades": [(g, Grade(g).label) for g in GRADES],
        "grade": grade,
        "street": street,
        "street_name": next((r["name"] for r in street_rows if r["prefix"] == street), street),
        "page": page,
        "query": query.urlencode(),
        "badge": BADGE,
    })


@login_required
def place_risk(request, pk: int):
    """One place's grade, score, factors and the history of its score."""
    place = get_object_or_404(Place.objects.visible_to(request.user, "view")
                              .select_related("jurisdiction__parent"), pk=pk)
    history = RiskHistory.objects.filter(place=place).order_by("-computed_at", "-pk")[:100]
    return render(request, "risk/place.html", {
        "place": place, "history": history, "badge": BADGE,
        "labels": dict(Grade.choices),
    })
