"""Place ledger pages: list with filters, detail with history, create and edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from fireledger.core.models import AuditEvent
from fireledger.core.scope import may_ever
from fireledger.core.services import unit_named
from fireledger.hazards.filters import attach_rungs, with_overdue
from fireledger.hazards.models import Hazard
from fireledger.inspections.services import commitment_in_force
from fireledger.inspections.views import kinds_for, place_inspections

from . import services
from .filters import PLACE_ACTIVITY_FILTERS, PLACE_FLAG_FILTERS, PLACE_SYSTEM_FILTERS, PlaceFilter
from .forms import PlaceForm
from .models import Place

PAGE_SIZE = 25


def filtered_places(request):
    """The user's visible places narrowed by the list's filters (shared with the export)."""
    queryset = Place.objects.visible_to(request.user, "view").select_related("jurisdiction__parent")
    return PlaceFilter(request.GET, queryset=queryset, request=request)


@login_required
def place_list(request):
    place_filter = filtered_places(request)
    # An unknown filter value (say, a street outside the user's scope) shows its error and no
    # rows, rather than being silently dropped and showing everything.
    rows = place_filter.qs if place_filter.is_valid() else Place.objects.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    form = place_filter.form
    return render(request, "places/list.html", {
        "filter": place_filter,
        "page": page,
        "query": query.urlencode(),
        "main_fields": [form[n] for n in ("q", "category", "jurisdiction", "department")],
        "flag_fields": [form[n] for n in (*PLACE_FLAG_FILTERS, *PLACE_ACTIVITY_FILTERS)],
        "system_fields": [form[n] for n in PLACE_SYSTEM_FILTERS],
        "more_open": any(request.GET.get(n) for n in (
            *PLACE_FLAG_FILTERS, *PLACE_ACTIVITY_FILTERS, *PLACE_SYSTEM_FILTERS)),
        "can_create": may_ever(request.user, "create"),
    })


def _visible_place(request, pk: int) -> Place:
    """The place if the user may see it, else 404 (another street's place does not exist for them)."""
    queryset = Place.objects.visible_to(request.user, "view").select_related(
        "jurisdiction__parent__parent__parent", "department", "owner", "manager", "occupant")
    return get_object_or_404(queryset, pk=pk)


def _may(request, action: str, place: Place) -> bool:
    return Place.objects.visible_to(request.user, action).filter(pk=place.pk).exists()


@login_required
def place_detail(request, pk: int):
    place = _visible_place(request, pk)
    history = AuditEvent.objects.for_object(place).select_related("actor")[:200]
    hazards = attach_rungs(with_overdue(
        Hazard.objects.visible_to(request.user, "view").filter(place=place)
        .select_related("category").order_by("-found_on", "-id")))
    return render(request, "places/detail.html", {
        "place": place,
        "history": history,
        "hazards": hazards,
        "inspections": place_inspections(place, request.user),
        "inspection_kinds": kinds_for(request.user, place),
        "commitment": commitment_in_force(place),
        "can_change": _may(request, "change", place),
        "can_delete": _may(request, "delete", place),
    })


def _save(request, form: PlaceForm, place: Place | None):
    """Run the service for a valid form; permission problems become form errors."""
    data = dict(form.cleaned_data)
    for unit, name in form.unit_names().items():
        data.pop(f"{unit}_name", None)
        data[unit] = unit_named(request.user, name)
    try:
        if place is None:
            return services.create_place(request.user, **data)
        return services.change_place(request.user, place, **data)
    except PermissionDenied:
        form.add_error("jurisdiction", _("You may not record places in this jurisdiction "
                                         "for this industry department."))
    return None


@login_required
def place_create(request):
    if not may_ever(request.user, "create"):
        raise PermissionDenied
    form = PlaceForm(request.POST or None, user=request.user, action="create")
    if request.method == "POST" and form.is_valid():
        place = _save(request, form, None)
        if place:
            messages.success(request, _("Place “%(name)s” recorded.") % {"name": place.name})
            return redirect("places:detail", pk=place.pk)
    return render(request, "places/form.html", {"form": form, "place": None})


@login_required
def place_edit(request, pk: int):
    place = _visible_place(request, pk)
    if not _may(request, "change", place):
        raise PermissionDenied
    form = PlaceForm(request.POST or None, instance=place, user=request.user, action="change")
    if request.method == "POST" and form.is_valid():
        # The form wrote cleaned values onto `place` already; reload so the service sees the
        # stored state as "before" and the form's data as the change.
        saved = _save(request, form, Place.objects.get(pk=pk))
        if saved:
            messages.success(request, _("Changes saved."))
            return redirect("places:detail", pk=saved.pk)
    return render(request, "places/form.html", {"form": form, "place": place})


@login_required
def place_delete(request, pk: int):
    place = _visible_place(request, pk)
    if not _may(request, "delete", place):
        raise PermissionDenied
    if request.method == "POST":
        services.delete_place(request.user, place)
        messages.success(request, _("Place “%(name)s” deleted.") % {"name": place.name})
        return redirect("places:list")
    return render(request, "places/confirm_delete.html", {"place": place})
