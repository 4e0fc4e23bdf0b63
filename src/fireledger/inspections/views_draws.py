"""Random inspection draws (双随机): the list, the draw form, a draw's page and its reproduce
button. Services decide; these pages only show."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fireledger.core.scope import assignments

from . import services_draws as sd
from .forms_draws import DrawForm
from .models import DrawnInspector, DrawRecusal, RandomDraw

PAGE_SIZE = 50


def _may_draw_somewhere(user) -> bool:
    return user.is_superuser or any(a.role in sd.DRAWERS for a in assignments(user))


@login_required
def draw_list(request):
    draws = RandomDraw.objects.visible_to(request.user).select_related(
        "jurisdiction", "created_by", "campaign").defer("pool_snapshot")
    page = Paginator(draws, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspections/draw_list.html", {
        "page": page, "may_draw": _may_draw_somewhere(request.user)})


@login_required
def draw_new(request):
    if not _may_draw_somewhere(request.user):
        raise PermissionDenied
    form = DrawForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                draw = sd.make_draw(
                    request.user, data["jurisdiction"], mode=data["mode"],
                    ratios=form.ratios(), campaign=data["campaign"], seed=data["seed"],
                    team=data["team"], inspector_roles=data["inspector_roles"],
                    categories=data["categories"] or sd.categories_with_checklist())
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("%(n)d places drawn.") % {"n": draw.drawn_count})
                return redirect("inspections:draw_detail", pk=draw.pk)
        status = 400
    return render(request, "inspections/draw_new.html", {"form": form}, status=status)


def _draw_page(request, draw, differences=None, status=200):
    places = (draw.places.select_related("place", "inspection")
              .prefetch_related(
                  Prefetch("inspectors", DrawnInspector.objects.select_related("user")),
                  Prefetch("recusals", DrawRecusal.objects.select_related("user")))
              .order_by("order"))
    page = Paginator(places, PAGE_SIZE).get_page(request.GET.get("page"))
    for dp in page:
        dp.stratum_label = sd.stratum_label(dp.stratum)
    ratios = [(sd.stratum_label(s), v) for s, v in draw.ratios.items() if float(v)]
    return render(request, "inspections/draw_detail.html", {
        "draw": draw, "page": page, "ratios": ratios, "differences": differences,
        "reproduced": differences is not None,
        "inspector_count": len(draw.inspector_snapshot)}, status=status)


@login_required
def draw_detail(request, pk: int):
    draw = get_object_or_404(RandomDraw.objects.visible_to(request.user).select_related(
        "jurisdiction", "created_by", "campaign"), pk=pk)
    return _draw_page(request, draw)


@login_required
@require_POST
def draw_reproduce(request, pk: int):
    """Re-run the stored draw and show whether it comes out the same. Writes nothing."""
    draw = get_object_or_404(RandomDraw.objects.visible_to(request.user).select_related(
        "jurisdiction", "created_by", "campaign"), pk=pk)
    try:
        differences = sd.reproduce(draw)
    except ValueError as error:
        differences = [str(error)]
    return _draw_page(request, draw, differences)
