"""Hazard pages: the list, the log form, the detail with one small form per possible step."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fireledger.core.files import stored_file_response
from fireledger.core.models import AuditEvent
from fireledger.places.models import Place

from . import inbox, lifecycle, services
from .filters import HazardFilter, attach_rungs, with_overdue
from .forms import ActionForm, HazardLogForm
from .forms_supervision import SIDE_FORMS, SideForm
from .models import Hazard, HazardPhoto, ListedSupervision, ReferralNotice

PAGE_SIZE = 25


@login_required
def hazard_list(request):
    queryset = with_overdue(Hazard.objects.visible_to(request.user, "view").select_related(
        "place", "category"))
    hazard_filter = HazardFilter(request.GET, queryset=queryset, request=request)
    rows = hazard_filter.qs if hazard_filter.is_valid() else Hazard.objects.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = attach_rungs(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "hazards/list.html", {
        "filter": hazard_filter,
        "page": page,
        "query": query.urlencode(),
    })


@login_required
def hazard_create(request):
    """GET/POST /hazards/new/?place=<pk>: log a hazard at a place the user may change."""
    place_pk = request.GET.get("place", "")
    if not place_pk.isdigit():
        raise Http404
    place = get_object_or_404(Place.objects.visible_to(request.user, "view"), pk=int(place_pk))
    if not Place.objects.visible_to(request.user, "change").filter(pk=place.pk).exists():
        raise PermissionDenied
    form = HazardLogForm(request.POST or None, request.FILES or None, place=place)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        photos = data.pop("photos")
        try:
            hazard = services.log_hazard(request.user, place, photos=photos, **data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Hazard logged."))
            return redirect("hazards:detail", pk=hazard.pk)
    return render(request, "hazards/form.html", {"form": form, "place": place})


def _visible_hazard(request, pk: int) -> Hazard:
    queryset = with_overdue(Hazard.objects.visible_to(request.user, "view").select_related(
        "place__jurisdiction", "category__parent", "found_by", "rectification_reported_by",
        "verified_by"))
    return attach_rungs([get_object_or_404(queryset, pk=pk)])[0]


def _possible_actions(user, hazard: Hazard) -> list[str]:
    """What the user may do now: the table's steps from this status that their roles allow."""
    return [a for a in lifecycle.allowed_actions(hazard.status)
            if services.may_transition(user, hazard, a)]


def _detail(request, hazard: Hazard, failed: ActionForm | SideForm | None = None,
            status: int = 200):
    forms = [failed if isinstance(failed, ActionForm) and failed.action == action
             else ActionForm(action=action, hazard=hazard)
             for action in _possible_actions(request.user, hazard)]
    side_forms = [failed if isinstance(failed, SideForm) and failed.name == name
                  else form_class(hazard=hazard)
                  for name, form_class in SIDE_FORMS.items()
                  if form_class.offered(request.user, hazard)]
    history = AuditEvent.objects.for_object(hazard).select_related("actor")[:200]
    listing = ListedSupervision.objects.filter(hazard=hazard).prefetch_related(
        "checks__checked_by").first()
    return render(request, "hazards/detail.html", {
        "hazard": hazard,
        "action_forms": forms,
        "side_forms": side_forms,
        "photos": hazard.photos.select_related("taken_by"),
        "escalations": hazard.escalations.all(),
        "extensions": hazard.extensions.select_related("requested_by", "decided_by"),
        "listing": listing,
        "notice": ReferralNotice.objects.filter(hazard=hazard).first(),
        "enforcements": hazard.enforcements.select_related("department", "recorded_by"),
        "history": history,
        "today": timezone.localdate(),
    }, status=status)


@login_required
def hazard_detail(request, pk: int):
    return _detail(request, _visible_hazard(request, pk))


@login_required
@require_POST
def hazard_action(request, pk: int, action: str):
    if action not in lifecycle.TRANSITIONS:
        raise Http404
    hazard = _visible_hazard(request, pk)
    if not services.may_transition(request.user, hazard, action):
        raise PermissionDenied
    form = ActionForm(request.POST, request.FILES, action=action, hazard=hazard)
    return _submit(request, hazard, form, lambda: services.transition(
        request.user, hazard, action, note=form.cleaned_data["note"],
        photos=form.uploaded_photos(), **form.details()))


def _submit(request, hazard: Hazard, form, apply):
    """Validate the form, let the service decide (apply), and say what happened: back to the
    hazard on success, else its page again with the form's errors and a message (400)."""
    if form.is_valid():
        try:
            apply()
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": form.title})
            return redirect("hazards:detail", pk=hazard.pk)
    for error in form.non_field_errors():
        messages.error(request, error)
    if any(form.errors.get(name) for name in form.fields):
        messages.error(request, _("Please correct the fields marked below."))
    return _detail(request, hazard, failed=form, status=400)


@login_required
@require_POST
def hazard_side_action(request, pk: int, name: str):
    """Extension, listed supervision, checks, notices, enforcement: forms_supervision.SIDE_FORMS."""
    form_class = SIDE_FORMS.get(name)
    if form_class is None:
        raise Http404
    hazard = _visible_hazard(request, pk)
    if not form_class.offered(request.user, hazard):
        raise PermissionDenied
    form = form_class(request.POST, hazard=hazard)
    return _submit(request, hazard, form, lambda: form.apply(request.user))


@login_required
def hazard_photo(request, pk: int):
    """A photo, for users who may see its hazard (photos are never public files)."""
    photo = get_object_or_404(HazardPhoto.objects.filter(
        hazard__in=Hazard.objects.visible_to(request.user, "view").values("pk")), pk=pk)
    return stored_file_response(photo.image)


@login_required
def inbox_view(request):
    """待办: what needs this user now."""
    sections = inbox.sections(request.user, timezone.localdate())
    return render(request, "hazards/inbox.html", {
        "sections": sections,
        "total": sum(section.count for section in sections),
        "today": timezone.localdate(),
    })
