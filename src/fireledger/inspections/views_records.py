"""Inspection records on paper and in Excel, and the joint-inspection spot-check page.

- record_pdf: one inspection's 检查记录 as PDF (inline; ?download=1 for an attachment).
- export: the inspections the user may see, filtered as the inspection list filters
  (kind, status, date_from, date_to, place), as .xlsx.
- spot_checks: seed 003's spot-check ratios per street for a calendar year.

Every read is scoped: an inspection outside the user's scope is a 404.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fireledger.places.models import Place

from . import record_export, record_pdf
from . import spot_checks as sc
from .forms import RecordFilterForm
from .models import Inspection

FIRST_YEAR = 2020  # the year selector: this year back to 2020 (the seeds' plans are 2022-2024)


@login_required
def record_pdf_view(request, pk: int):
    queryset = Inspection.objects.visible_to(request.user, "view").select_related(
        "place__jurisdiction__parent__parent__parent", "place__owner", "place__manager",
        "place__occupant", "version")
    inspection = get_object_or_404(queryset, pk=pk)
    return record_pdf.pdf_response(inspection, download=request.GET.get("download") == "1")


@login_required
def export(request):
    form = RecordFilterForm(request.GET or None, user=request.user)
    queryset = Inspection.objects.visible_to(request.user, "view")
    if form.is_bound:
        if not form.is_valid():
            return HttpResponseBadRequest(
                "\n".join(f"{form.fields[name].label if name in form.fields else ''}: {error}"
                          for name, errors in form.errors.items() for error in errors),
                content_type="text/plain; charset=utf-8")
        queryset = form.filter(queryset)
    return record_export.export_response(queryset)


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in
                                       range(today.year, FIRST_YEAR - 1, -1)]
        self.fields["year"].widget.attrs.update({"class": "form-select"})


@login_required
def spot_checks(request):
    today = timezone.localdate()
    form = YearForm(request.GET if "year" in request.GET else {"year": today.year}, today=today)
    figures, rows = None, []
    if form.is_valid():
        start, end = sc.year_period(form.cleaned_data["year"])
        figures = sc.spot_checks(Place.objects.visible_to(request.user, "view"), start, end)
        shown = figures.streets + ([figures.total] if len(figures.streets) > 1 else [])
        rows = [{"key": row.key, "label": row.label, "ratios": (row.public, row.residential)}
                for row in shown]
    return render(request, "inspections/spot_checks.html", {
        "form": form,
        "figures": figures,
        "rows": rows,
        "public_target": sc.PUBLIC_TARGET_PERCENT,
        "residential_target": sc.RESIDENTIAL_TARGET_PERCENT,
    }, status=200 if form.is_valid() else 400)
