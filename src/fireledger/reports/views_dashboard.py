"""The dashboards (/stats/): one per role level — district office, department officer, street
officer — picked from the user's role assignments. Every number is a plain link to the list
that shows exactly it (the hazard list, the place ledger); charts (ECharts) and the map
(Leaflet) only draw the same figures."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fireledger.hazards.choices import CategoryGroup, Status
from fireledger.hazards.filters import AGE_LABELS, OPEN
from fireledger.places.choices import Category
from fireledger.places.filters import jurisdiction_choices
from fireledger.places.models import Place

from . import aggregates as agg


class Links:
    """URLs of the lists behind the numbers of one dashboard: the scope's own filters (its
    subtree, its department) plus the number's; an area whose prefix the list cannot filter by
    gets no link rather than a wrong one."""

    def __init__(self, user, scope: agg.Scope):
        self.scope = scope
        self.valid = {code for code, _label in jurisdiction_choices(user)}
        self.base = {}
        if scope.prefix:
            self.base["jurisdiction"] = scope.prefix
        if scope.department_id is not None:
            self.base["department"] = scope.department_id

    def _url(self, name: str, params: dict) -> str | None:
        params = {**self.base, **params}
        if params.get("jurisdiction") and params["jurisdiction"] not in self.valid:
            return None
        return reverse(name) + "?" + urlencode({k: v for k, v in params.items() if v != ""})

    def hazards(self, **params) -> str | None:
        return self._url("hazards:list", params)

    def places(self, **params) -> str | None:
        return self._url("places:list", params)


def n(value, url=None, ident: str = "") -> dict:
    """A number and the list behind it, for reports/_n.html."""
    return {"value": value, "url": url, "id": ident}


def percent(value) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _breakdown(rows, links: Links, key_param: str, figures: agg.Figures) -> list[dict]:
    """Table rows: each number of an area or department with its list."""
    year = {"found_from": figures.year_start.isoformat(), "found_to": figures.today.isoformat()}
    out = []
    for row in rows:
        key = "null" if row.key is None else row.key
        if key_param == "department" and row.key is None:
            label = _("no department")
        else:
            label = row.label
        p = {key_param: key}
        out.append({
            "label": label,
            "key": str(key),
            "cells": [
                n(row.places, links.places(**p)),
                # Inspections are counted per area only.
                n(row.inspected, links.places(**p, inspected_this_year="true"))
                if key_param == "jurisdiction" else None,
                n(row.open, links.hazards(**p, status=OPEN)),
                n(row.overdue, links.hazards(**p, overdue="true")),
                n(row.open_major, links.hazards(**p, status=OPEN, is_major="true")),
                n(row.found_year, links.hazards(**p, **year)),
                n(row.closed_year, links.hazards(**p, **year, status=Status.CLOSED)),
            ],
            "coverage": percent(row.coverage),
            "rate": percent(row.rate),
        })
    return out


def dashboard_context(user, scope: agg.Scope, today) -> dict:
    figures = agg.compute(user, scope, today)
    links = Links(user, scope)
    total = figures.total
    year = {"found_from": figures.year_start.isoformat(), "found_to": today.isoformat()}
    cards = [
        ("places", _("Places"), n(total.places, links.places(), "card-places")),
        ("inspected", _("Inspected this year"),
         n(total.inspected, links.places(inspected_this_year="true"), "card-inspected")),
        ("open", _("Open hazards"), n(total.open, links.hazards(status=OPEN), "card-open")),
        ("overdue", _("Overdue"), n(total.overdue, links.hazards(overdue="true"),
                                    "card-overdue")),
        ("major", _("Open major hazards"),
         n(total.open_major, links.hazards(status=OPEN, is_major="true"), "card-major")),
        ("listed", _("Under listed supervision"),
         n(figures.listed_count, links.hazards(supervision="listed"), "card-listed")),
        ("found", _("Found this year"), n(total.found_year, links.hazards(**year),
                                          "card-found")),
        ("closed", _("Of these closed"),
         n(total.closed_year, links.hazards(**year, status=Status.CLOSED), "card-closed")),
    ]
    status_labels = dict(Status.choices)
    by_status = [(status_labels[s], n(c, links.hazards(status=s), f"status-{s}"))
                 for s, c in figures.by_status.items()]
    by_age = [(str(AGE_LABELS[k]), n(c, links.hazards(status=OPEN, age=k), f"age-{k}"))
              for k, c in figures.by_age.items()]
    group_labels = dict(CategoryGroup.choices)
    by_group = [(str(group_labels.get(g, g or "—")),
                 n(all_, links.hazards(category_group=g), f"group-{g}"),
                 n(open_, links.hazards(category_group=g, status=OPEN), f"group-open-{g}"))
                for g, (all_, open_) in sorted(figures.by_category_group.items(),
                                               key=lambda kv: -kv[1][0])]
    trend = []
    for i, start in enumerate(figures.months):
        end = agg.month_end(start)
        trend.append((f"{start:%Y-%m}",
                      n(figures.found_by_month[i], links.hazards(
                          found_from=start.isoformat(), found_to=end.isoformat()),
                        f"found-{start:%Y-%m}"),
                      n(figures.closed_by_month[i], links.hazards(
                          closed_from=start.isoformat(), closed_to=end.isoformat()),
                        f"closed-{start:%Y-%m}")))
    category_labels = dict(Category.choices)
    place_categories = [(str(category_labels.get(c, c)), n(k, links.places(category=c),
                                                            f"category-{c}"))
                        for c, k in sorted(figures.places_by_category.items(),
                                           key=lambda kv: -kv[1])]
    place_flags = [(str(Place._meta.get_field(f).verbose_name),
                    n(k, links.places(**{f: "true"}), f"flag-{f}"))
                   for f, k in figures.place_flags.items()]
    charts = [
        {"id": "chart-status", "kind": "pie", "title": _("Hazards by status"),
         "labels": [label for label, _c in by_status],
         "series": [{"name": _("Hazards"), "data": [c["value"] for _l, c in by_status],
                     "links": [c["url"] for _l, c in by_status]}]},
        {"id": "chart-age", "kind": "bar", "title": _("Open hazards by days since found"),
         "labels": [label for label, _c in by_age],
         "series": [{"name": _("Open hazards"), "data": [c["value"] for _l, c in by_age],
                     "links": [c["url"] for _l, c in by_age]}]},
        {"id": "chart-trend", "kind": "line", "title": _("Found and closed per month"),
         "labels": [m for m, _f, _c in trend],
         "series": [{"name": _("Found"), "data": [f["value"] for _m, f, _c in trend],
                     "links": [f["url"] for _m, f, _c in trend]},
                    {"name": _("Closed"), "data": [c["value"] for _m, _f, c in trend],
                     "links": [c["url"] for _m, _f, c in trend]}]},
        {"id": "chart-groups", "kind": "hbar", "title": _("Hazards by category group"),
         "labels": [label for label, _a, _o in by_group],
         "series": [{"name": _("All"), "data": [a["value"] for _l, a, _o in by_group],
                     "links": [a["url"] for _l, a, _o in by_group]},
                    {"name": _("Open"), "data": [o["value"] for _l, _a, o in by_group],
                     "links": [o["url"] for _l, _a, o in by_group]}]},
        {"id": "chart-places", "kind": "hbar", "title": _("Places by category"),
         "labels": [label for label, _c in place_categories],
         "series": [{"name": _("Places"), "data": [c["value"] for _l, c in place_categories],
                     "links": [c["url"] for _l, c in place_categories]}]},
    ]
    area_title = {agg.DISTRICT: _("By street"), agg.DEPARTMENT: _("By street"),
                  agg.STREET: _("By community")}[scope.level]
    targets = agg.campaign_targets(user, today)
    listed = [{"hazard": h, "days": (today - (h.listing.decided_on or h.listing.proposed_on)).days}
              for h in figures.listed]
    # One reverse() for the thousands of points (each costs ~20 µs: 100 ms for a district).
    marker = "9876543210"
    detail = reverse("places:detail", args=[int(marker)])
    map_data = {
        "tiles": settings.FIRELEDGER_MAP_TILE_URL,
        "attribution": settings.FIRELEDGER_MAP_ATTRIBUTION,
        "points": [[p["latitude"], p["longitude"], p["name"],
                    detail.replace(marker, str(p["pk"]))] for p in figures.map_points],
        "open_label": _("Open the place"),
    }
    return {
        "figures": figures,
        "scope": scope,
        "cards": cards,
        "rate": percent(total.rate),
        "coverage": percent(total.coverage),
        "by_status": by_status,
        "by_age": by_age,
        "by_group": by_group,
        "trend": trend,
        "place_categories": place_categories,
        "place_flags": place_flags,
        "charts": charts,
        "area_title": area_title,
        "areas": _breakdown(figures.areas, links, "jurisdiction", figures),
        "departments": (_breakdown(figures.departments, links, "department", figures)
                        if scope.level == agg.DISTRICT else []),
        "listed": listed,
        "listed_n": cards[5][2],
        "targets": targets,
        "map_data": map_data,
        "map_places": n(figures.map_places, links.places(open_major_hazard="true"),
                        "map-places"),
        "map_limit": agg.MAP_LIMIT,
    }


def _render(request, scopes, chosen):
    scope, assignment = chosen
    context = dashboard_context(request.user, scope, timezone.localdate())
    titles = {agg.DISTRICT: _("District dashboard"), agg.DEPARTMENT: _("Department dashboard"),
              agg.STREET: _("Street dashboard")}
    context.update({
        "title": titles[scope.level],
        "switch": [{"url": reverse("reports:dashboard_level", args=[s.level])
                    + (f"?assignment={a.pk}" if a is not None else ""),
                    "label": f"{titles[s.level]} · {s.name or _('all')}",
                    "active": (s, a) == chosen} for s, a in scopes] if len(scopes) > 1 else [],
    })
    return render(request, "reports/dashboard.html", context)


@login_required
def dashboard(request):
    """/stats/: the dashboard of the user's first role level (district, department, street)."""
    scopes = agg.scopes_for(request.user)
    if not scopes:
        raise PermissionDenied
    return _render(request, scopes, scopes[0])


@login_required
def dashboard_level(request, level: str):
    """/stats/<level>/[?assignment=<pk>]: one level's dashboard, for users holding several."""
    if level not in agg.LEVELS:
        raise Http404
    scopes = agg.scopes_for(request.user)
    mine = [(s, a) for s, a in scopes if s.level == level]
    if not mine:
        raise PermissionDenied
    wanted = request.GET.get("assignment", "")
    if wanted:
        mine = [(s, a) for s, a in mine if a is not None and str(a.pk) == wanted]
        if not mine:
            raise Http404
    return _render(request, scopes, mine[0])
