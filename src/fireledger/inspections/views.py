"""Inspection pages: start, the phone form that saves as you go, submit, the record.

Every draft view serves two doors: a logged-in inspector (/inspections/<pk>/…) and a unit
holding a one-time invitation (/inspections/invite/<token>/<pk>/…, no login). `_access`
resolves either into (inspection, actor, invitation) for the services to judge.
"""

import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fireledger.core.files import stored_file_response
from fireledger.hazards import lifecycle
from fireledger.hazards.models import Hazard
from fireledger.places.models import Place

from . import services
from .choices import FAILED, Kind, Outcome
from .forms import DetailsForm, PhotoForm, RecordFilterForm, ResultForm, SignForm, StartForm
from .models import Inspection, InspectionResult, Invitation, ResultPhoto, Signature
from .views_commitment import commitment_context

PAGE_SIZE = 25


def login_or_invitation(view):
    """Logged-in users, or anyone holding an invitation token in the URL."""
    @functools.wraps(view)
    def wrapper(request, *args, token=None, **kwargs):
        if token is None and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, token=token, **kwargs)
    return wrapper


def _access(request, pk: int, token: str | None):
    """(inspection, actor, invitation): by invitation token, or within the user's scope."""
    related = ("place__jurisdiction", "version__template", "previous", "created_by")
    if token is not None:
        invitation = get_object_or_404(Invitation, token=token)
        inspection = get_object_or_404(Inspection.objects.select_related(*related),
                                       pk=pk, invitation=invitation)
        return inspection, None, invitation
    inspection = get_object_or_404(
        Inspection.objects.visible_to(request.user).select_related(*related), pk=pk)
    return inspection, request.user, None


def base_url(inspection: Inspection, invitation: Invitation | None) -> str:
    if invitation is not None:
        return reverse("inspections:invite_edit", kwargs={"token": invitation.token,
                                                          "pk": inspection.pk})
    return reverse("inspections:edit", kwargs={"pk": inspection.pk})


def kinds_for(user, place) -> list[str]:
    kinds = []
    if services.may_inspect(user, place):
        kinds = [k for k in Kind.values if k != Kind.FOLLOW_UP]
    elif services.is_unit_manager_of(user, place):
        kinds = [Kind.SELF]
    return kinds


# --- list and start --------------------------------------------------------------------

def inspection_list(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = RecordFilterForm(request.GET, user=request.user)
    rows = Inspection.objects.visible_to(request.user).select_related(
        "place", "version", "created_by")
    rows = form.filter(rows) if form.is_valid() else rows.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "inspections/list.html", {
        "page": page, "query": query.urlencode(), "form": form,
    }, status=200 if form.is_valid() else 400)


def start(request):
    """GET/POST /inspections/start/?place=<pk>[&previous=<pk>]: choose kind and checklist."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    place_pk = request.GET.get("place", "")
    if not place_pk.isdigit():
        raise Http404
    place = get_object_or_404(Place.objects.visible_to(request.user, "view"), pk=int(place_pk))
    previous = None
    if request.GET.get("previous", "").isdigit():
        previous = get_object_or_404(Inspection.objects.visible_to(request.user),
                                     pk=int(request.GET["previous"]), place=place)
    kinds = kinds_for(request.user, place)
    if not kinds:
        raise PermissionDenied
    if previous is not None:
        return _start_follow_up(request, place, previous)
    templates = services.templates_for(place)
    form = StartForm(request.POST or None, templates=templates, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.start_inspection(
                request.user, place, kind=data["kind"], version=data["version"],
                token=data["token"], inspected_on=data["inspected_on"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return redirect("inspections:edit", pk=inspection.pk)
    return render(request, "inspections/start.html", {
        "form": form, "place": place, "templates": templates,
    }, status=400 if form.errors else 200)


def _start_follow_up(request, place, previous):
    if not services.may_inspect(request.user, place):
        raise PermissionDenied
    if request.method != "POST":
        return render(request, "inspections/start_follow_up.html", {
            "place": place, "previous": previous,
            "open_hazards": Hazard.objects.filter(pk__in=previous.results.filter(
                hazard__isnull=False).values("hazard_id")).open(),
            "form": StartForm(kinds=[Kind.FOLLOW_UP]),
        })
    form = StartForm(request.POST, kinds=[Kind.FOLLOW_UP])
    form.fields["version"].required = False
    form.fields["kind"].required = False
    if not form.is_valid():
        raise Http404
    try:
        inspection = services.start_inspection(
            request.user, place, kind=Kind.FOLLOW_UP, previous=previous,
            token=form.cleaned_data["token"], inspected_on=form.cleaned_data["inspected_on"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("inspections:detail", pk=previous.pk)
    return redirect("inspections:edit", pk=inspection.pk)


# --- the draft form --------------------------------------------------------------------

def _decorate(results: list[InspectionResult]) -> list[InspectionResult]:
    """What a result card shows besides the row: its photos, a default deadline, choices."""
    photos = {}
    for photo in ResultPhoto.objects.filter(result__in=[r.pk for r in results]):
        photos.setdefault(photo.result_id, []).append(photo)
    for r in results:
        r.photo_list = photos.get(r.pk, [])
        r.failed = r.outcome in FAILED
        if r.hazard_id and r.inspection.kind == Kind.FOLLOW_UP:
            r.follow_up_choices = [(c, label) for c, label in r._meta.get_field(
                "follow_up").choices if c in services.follow_ups_for(r.hazard)]
        if r.outcome == Outcome.HAZARD and r.deadline is None:
            r.default_deadline = services._default_deadline(r, r.inspection.inspected_on)
    return results


def _edit_page(request, inspection, invitation, *, problems=(), sign_form=None, status=200):
    results = _decorate(list(inspection.results.select_related("category", "hazard")))
    for r in results:
        r.inspection = inspection
    areas = []
    for r in results:
        if not areas or areas[-1][0] != r.area:
            areas.append((r.area, []))
        areas[-1][1].append(r)
    answered = sum(1 for r in results if r.outcome or r.follow_up)
    return render(request, "inspections/edit.html", {
        "inspection": inspection, "invitation": invitation, "areas": areas,
        "answered": answered, "total": len(results),
        "details": DetailsForm(instance=inspection),
        "signatures": inspection.signatures.all(),
        "sign_form": sign_form or SignForm(),
        "problems": problems, "base": base_url(inspection, invitation),
        "outcomes": Outcome.choices, "today": timezone.localdate(),
    }, status=status)


@login_or_invitation
def edit(request, pk: int, token=None):
    inspection, actor, invitation = _access(request, pk, token)
    if not inspection.is_draft:
        if invitation is not None:
            return redirect("inspections:invite", token=invitation.token)
        return redirect("inspections:detail", pk=inspection.pk)
    if not services._may_edit(actor, inspection, invitation):
        raise PermissionDenied
    return _edit_page(request, inspection, invitation)


def _saved(message: str = "", status: int = 200) -> HttpResponse:
    return HttpResponse(message, status=status)


@login_or_invitation
@require_POST
def save_details(request, pk: int, token=None):
    """htmx autosave of the record's own fields; answers with a short status line."""
    inspection, actor, invitation = _access(request, pk, token)
    form = DetailsForm(request.POST, instance=Inspection.objects.get(pk=inspection.pk))
    if not form.is_valid():
        return _saved(" ".join(e for errors in form.errors.values() for e in errors), 400)
    data = {k: v for k, v in form.cleaned_data.items() if k in request.POST}
    try:
        services.save_details(actor, inspection, invitation, **data)
    except ValidationError as error:
        return _saved(" ".join(error.messages), 400)
    return _saved(_("Saved %(time)s") % {"time": timezone.localtime().strftime("%H:%M:%S")})


def _result(request, inspection, rid: int) -> InspectionResult:
    return get_object_or_404(InspectionResult.objects.select_related("category", "hazard"),
                             pk=rid, inspection=inspection)


def _card(request, inspection, invitation, result, *, error="", status=200):
    result.inspection = inspection
    _decorate([result])
    return render(request, "inspections/_result.html", {
        "r": result, "base": base_url(inspection, invitation), "outcomes": Outcome.choices,
        "error": error, "saved": not error, "today": timezone.localdate(),
        "inspection": inspection,
    }, status=status)


@login_or_invitation
@require_POST
def save_result(request, pk: int, rid: int, token=None):
    """htmx autosave of one item; answers with the item's card, re-rendered."""
    inspection, actor, invitation = _access(request, pk, token)
    result = _result(request, inspection, rid)
    form = ResultForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            result = services.save_result(actor, result, invitation,
                                          **form.changes(request.POST))
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    if error:
        result = _result(request, inspection, rid)
    return _card(request, inspection, invitation, result, error=error,
                 status=400 if error else 200)


@login_or_invitation
@require_POST
def add_photo(request, pk: int, rid: int, token=None):
    inspection, actor, invitation = _access(request, pk, token)
    result = _result(request, inspection, rid)
    form = PhotoForm(request.POST, request.FILES)
    error = ""
    if not form.is_valid():
        error = _("Choose a photo to upload.")
    else:
        try:
            services.add_result_photo(actor, result, form.cleaned_data["photo"], invitation)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return _card(request, inspection, invitation, result, error=error,
                 status=400 if error else 200)


@login_or_invitation
@require_POST
def remove_photo(request, pk: int, photo_pk: int, token=None):
    inspection, actor, invitation = _access(request, pk, token)
    photo = get_object_or_404(ResultPhoto.objects.select_related("result"), pk=photo_pk,
                              result__inspection=inspection)
    result = photo.result
    services.remove_result_photo(actor, photo, invitation)
    return _card(request, inspection, invitation, _result(request, inspection, result.pk))


@login_or_invitation
def photo(request, pk: int, photo_pk: int, token=None):
    """A draft's photo, for those who may see the inspection (never a public file)."""
    inspection, _actor, _invitation = _access(request, pk, token)
    return stored_file_response(get_object_or_404(ResultPhoto, pk=photo_pk,
                                   result__inspection=inspection).image)


@login_or_invitation
def signature_image(request, pk: int, sig_pk: int, token=None):
    inspection, _actor, _invitation = _access(request, pk, token)
    signature = get_object_or_404(Signature, pk=sig_pk, inspection=inspection)
    if not signature.image:
        raise Http404
    return stored_file_response(signature.image)


@login_or_invitation
@require_POST
def sign(request, pk: int, token=None):
    inspection, actor, invitation = _access(request, pk, token)
    form = SignForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        user = actor if actor is not None and data["name"].strip() in (
            actor.get_full_name(), actor.first_name, actor.username) else None
        try:
            services.sign(actor, inspection, name=data["name"], drawing=data["drawing"],
                          confirmed=data["confirmed"], user=user, invitation=invitation)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return redirect(base_url(inspection, invitation) + "#signatures")
    return _edit_page(request, inspection, invitation, sign_form=form, status=400)


@login_or_invitation
@require_POST
def unsign(request, pk: int, sig_pk: int, token=None):
    inspection, actor, invitation = _access(request, pk, token)
    signature = get_object_or_404(Signature, pk=sig_pk, inspection=inspection)
    services.remove_signature(actor, signature, invitation)
    return redirect(base_url(inspection, invitation) + "#signatures")


@login_or_invitation
@require_POST
def submit(request, pk: int, token=None):
    """Submit the record. A second tap (or a retried request) finds it submitted and goes on
    to the record as if it were the first."""
    inspection, actor, invitation = _access(request, pk, token)
    if inspection.is_draft:
        try:
            services.submit(actor, inspection, invitation)
        except ValidationError as error:
            return _edit_page(request, inspection, invitation, problems=error.messages,
                              status=400)
        messages.success(request, _("Inspection submitted."))
    if inspection.kind == Kind.SELF:
        if invitation is not None:
            return redirect("inspections:invite", token=invitation.token)
        return redirect("inspections:commitment", pk=inspection.pk)
    return redirect("inspections:detail", pk=inspection.pk)


# --- the record ------------------------------------------------------------------------

def detail(request, pk: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    inspection, actor, _invitation = _access(request, pk, None)
    results = _decorate(list(inspection.results.select_related("category", "hazard")))
    for r in results:
        r.inspection = inspection
    hazards = [r.hazard for r in results if r.hazard_id]
    open_left = [h for h in hazards if h.status in lifecycle.OPEN_STATUSES]
    return render(request, "inspections/detail.html", {
        "inspection": inspection, "results": results,
        "signatures": inspection.signatures.all(),
        "follow_ups": inspection.follow_ups.all(),
        "may_edit": inspection.is_draft and services._may_edit(actor, inspection),
        "may_follow_up": not inspection.is_draft and bool(open_left)
        and services.may_inspect(actor, inspection.place),
        "open_left": open_left,
        **commitment_context(request.user, inspection, results),
    })


def place_inspections(place, user, limit: int = 10) -> list[Inspection]:
    """The latest inspections of a place the user may see (for the place page)."""
    return list(Inspection.objects.visible_to(user).filter(place=place)
                .select_related("version", "created_by")[:limit])
