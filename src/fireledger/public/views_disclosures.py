"""Disclosure pages: the public list (no login) and the officers' manage and publish pages.

Every write goes through public.disclosures; the public page receives only PublicItem rows
(title, text, place name and address, date), never a model instance.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import select_template
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import disclosures
from .models import DisclosureKind

MANAGE_SHOWN = 50


class PublishForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    text = forms.CharField(label=_("text for the public"), widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("Only what the public may read: no names of people, no "
                                       "internal notes or codes."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


def _base_public() -> str:
    return select_template(["public/base_public.html", "base.html"]).template.name


def public_disclosures(request):
    """信息公开: what is published today, grouped by kind. No login."""
    today = timezone.localdate()
    items = disclosures.public_list(today)
    groups = [(label, [i for i in items if i.kind == kind])
              for kind, label in DisclosureKind.choices]
    base = _base_public()
    return render(request, "public/disclosures.html", {
        "base_template": base, "public_base": base != "base.html", "groups": groups,
        "today": today, "total": len(items)})


def _managed(request):
    if not disclosures.may_manage(request.user):
        raise PermissionDenied("not a publisher")


@login_required
def manage(request):
    """The due lists with their due dates, and the published ones (withdraw here, by POST)."""
    _managed(request)
    today = timezone.localdate()
    error = None
    if request.method == "POST":
        disclosure = get_object_or_404(disclosures.published_qs(request.user),
                                       pk=request.POST.get("disclosure") or 0)
        try:
            disclosures.withdraw(request.user, disclosure, request.POST.get("reason", ""))
        except ValidationError as e:
            error = (disclosure.pk, " ".join(e.messages))
        else:
            messages.success(request, gettext("Withdrawn: %(title)s") % {"title": disclosure.title})
            return redirect("public:disclosures_manage")
    random_qs = disclosures.random_results_due_qs(request.user)
    exposure_qs = disclosures.exposures_due_qs(request.user)
    published = list(disclosures.published_qs(request.user).filter(
        until__gte=today)[:MANAGE_SHOWN])
    return render(request, "public/disclosures_manage.html", {
        "today": today,
        "random_due": disclosures.due_random_results(request.user, today, MANAGE_SHOWN),
        "random_count": random_qs.count(),
        "exposures_due": disclosures.due_exposures(request.user, today, MANAGE_SHOWN),
        "exposure_count": exposure_qs.count(),
        "published": published,
        "error": error,
    }, status=400 if error else 200)


def _record(request):
    """The inspection or hazard named in the query string (or the form), in the user's range."""
    data = request.POST if request.method == "POST" else request.GET
    if data.get("inspection"):
        pk = data["inspection"]
        qs = disclosures.random_results_due_qs(request.user)
        if not str(pk).isdigit():
            raise Http404
        return get_object_or_404(qs, pk=pk), None
    if data.get("hazard"):
        pk = data["hazard"]
        qs = disclosures.exposures_due_qs(request.user)
        if not str(pk).isdigit():
            raise Http404
        return None, get_object_or_404(qs, pk=pk)
    raise Http404


@login_required
def publish(request):
    """GET: the form with a suggested public text; POST: publish."""
    _managed(request)
    inspection, hazard = _record(request)
    if request.method == "POST":
        form = PublishForm(request.POST)
        if form.is_valid():
            try:
                disclosure = disclosures.publish(
                    request.user, inspection=inspection, hazard=hazard,
                    title=form.cleaned_data["title"], text=form.cleaned_data["text"])
            except ValidationError as e:
                if hasattr(e, "error_dict"):
                    for field, errors in e.error_dict.items():
                        for error in errors:
                            form.add_error(field if field in form.fields else None, error)
                else:
                    form.add_error(None, e)
            else:
                messages.success(request, gettext("Published: %(title)s") % {
                    "title": disclosure.title})
                return redirect("public:disclosures_manage")
    else:
        title, text = disclosures.suggested_text(inspection=inspection, hazard=hazard)
        form = PublishForm(initial={"title": title, "text": text})
    kind = DisclosureKind.RANDOM_RESULT if inspection is not None else DisclosureKind.EXPOSURE
    record_on = (disclosures.submitted_on(inspection) if inspection is not None
                 else disclosures.listed_on(hazard))
    return render(request, "public/disclosure_form.html", {
        "form": form, "inspection": inspection, "hazard": hazard,
        "kind_label": DisclosureKind(kind).label,
        "place": (inspection or hazard).place,
        "due_on": disclosures.due_date(record_on),
        "today": timezone.localdate(),
    }, status=400 if form.errors else 200)

