"""The burn-down page (/hazards/burndown/): share of logged hazards closed by up to four dates,
per street and per department, against target percentages. Scoped like every list."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import burndown as bd
from .models import Hazard


class BurnDownForm(forms.Form):
    """Up to four (date, target %) pairs, read from the query string (the page is a link)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, bd.MAX_DATES + 1):
            self.fields[f"on_{i}"] = forms.DateField(
                label=_("date %(n)d") % {"n": i}, required=False,
                widget=forms.DateInput(attrs={"type": "date", "class": "form-control"},
                                       format="%Y-%m-%d"))
            self.fields[f"target_{i}"] = forms.IntegerField(
                label=_("target for date %(n)d (percent)") % {"n": i}, required=False,
                min_value=0, max_value=100,
                widget=forms.NumberInput(attrs={"class": "form-control", "min": 0, "max": 100,
                                                "step": 1}))

    @classmethod
    def defaults(cls, today) -> dict:
        """The query data of bd.SEED_TARGETS in the current campaign year."""
        data = {}
        for i, (on, percent) in enumerate(bd.default_targets(today), start=1):
            data[f"on_{i}"] = on.isoformat()
            data[f"target_{i}"] = str(percent)
        return data

    def pairs(self):
        """[(on_field, target_field)] bound fields, for the template."""
        return [(self[f"on_{i}"], self[f"target_{i}"]) for i in range(1, bd.MAX_DATES + 1)]

    def clean(self):
        cleaned = super().clean()
        targets, seen = [], set()
        for i in range(1, bd.MAX_DATES + 1):
            on, percent = cleaned.get(f"on_{i}"), cleaned.get(f"target_{i}")
            if on is None:
                if percent is not None and f"on_{i}" not in self.errors:
                    self.add_error(f"on_{i}", _("Give the date this target applies to."))
                continue
            if on in seen:
                self.add_error(f"on_{i}", _("Each date only once."))
                continue
            seen.add(on)
            targets.append((on, percent))
        if not targets and not self.errors:
            raise forms.ValidationError(_("Give at least one date."), code="required")
        cleaned["targets"] = sorted(targets)
        return cleaned


@login_required
def burndown(request):
    today = timezone.localdate()
    asked = any(request.GET.get(f"on_{i}") or request.GET.get(f"target_{i}")
                for i in range(1, bd.MAX_DATES + 1))
    form = BurnDownForm(request.GET if asked else BurnDownForm.defaults(today))
    figures, columns, tables = None, [], []
    if form.is_valid():
        targets = form.cleaned_data["targets"]
        figures = bd.burndown(Hazard.objects.visible_to(request.user, "view"),
                              [on for on, _percent in targets],
                              no_department_label=_("no department"))
        percents = dict(targets)
        columns = [{"on": on, "target": percents[on], "future": on > today}
                   for on in figures.dates]

        def line(row, is_total=False):
            return {"label": row.label, "key": row.key, "is_total": is_total,
                    "cells": [{"cell": c, "met": c.meets(percents[c.on])} for c in row.cells]}

        def lines(table):
            """The table's rows, then the total row (when there is anything to total)."""
            return [line(row) for row in table] + (
                [line(figures.total, is_total=True)] if table else [])

        tables = [
            {"id": "burndown-streets", "title": _("By street"), "head": _("street"),
             "rows": lines(figures.streets)},
            {"id": "burndown-departments", "title": _("By industry department"),
             "head": _("industry department"), "rows": lines(figures.departments)},
        ]
    return render(request, "hazards/burndown.html", {
        "form": form,
        "figures": figures,
        "columns": columns,
        "tables": tables,
        "today": today,
    }, status=200 if form.is_valid() else 400)
