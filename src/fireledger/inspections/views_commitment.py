"""The commitment pages (三自主两公开一承诺): the unit signs its commitment after its
self-inspection and publishes its two persons; an inspector invites a unit without a login by a
one-time link; an inspector who finds a hazard the commitment said was not there marks it untrue
(承诺不实), which shows on the unit's record.

Two doors, as for the draft pages: a logged-in unit manager (/inspections/<pk>/commitment/) and
a unit holding an invitation (/inspections/invite/<token>/, no login). The services decide who
may sign, invite and mark; these views only find the objects (outside the user's scope: 404)
and show what the services said.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fireledger.core.models import Organisation
from fireledger.hazards.choices import Source
from fireledger.hazards.models import Hazard
from fireledger.places.models import Place

from . import services
from .choices import Kind, Outcome
from .forms_commitment import CommitmentForm, InviteForm, InviteStartForm, UntrueForm
from .models import Commitment, Inspection, Invitation

PAGE_SIZE = 25
UNTRUE_CANDIDATES = 20
# The session remembers, once, that this browser has just signed through this invitation: the
# landing page then thanks it instead of saying the link is used.
THANKS_KEY = "fireledger_invitation_signed"

STATE_LABELS = {
    "untrue": gettext_lazy("commitment untrue"),
    "in_force": gettext_lazy("in force"),
    "due": gettext_lazy("fallen due"),
}


# --- shared pieces ---------------------------------------------------------------------

def decorate(commitment: Commitment | None, today=None) -> Commitment | None:
    """The commitment's state for display: untrue, in force, or fallen due (a year is over)."""
    if commitment is None:
        return None
    today = today or timezone.localdate()
    if commitment.untrue_on is not None:
        commitment.state = "untrue"
    elif commitment.valid_until < today:
        commitment.state = "due"
    else:
        commitment.state = "in_force"
    commitment.state_label = STATE_LABELS[commitment.state]
    return commitment


def unit_of(place):
    """The unit a place's commitment is recorded on (as services.sign_commitment picks it)."""
    return place.occupant or place.manager or place.owner


def untrue_candidates(user, commitment: Commitment, hazards=None) -> list[Hazard]:
    """The hazards that may show the commitment untrue: `hazards` if given, else the place's
    hazards the user sees, narrowed in SQL to the commitment's year and to what was not the
    unit's own self-inspection; services.may_mark_untrue decides for each."""
    if commitment.untrue_on is not None:
        return []
    if hazards is None:
        hazards = list(
            Hazard.objects.visible_to(user).filter(
                place_id=commitment.place_id,
                found_on__range=(commitment.signed_on, commitment.valid_until))
            .exclude(source=Source.SELF_INSPECTION).order_by("-found_on", "-pk")
            [:UNTRUE_CANDIDATES])
    return [h for h in hazards if services.may_mark_untrue(commitment, h)]


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


def invite_card_context(request, place, *, new_invitation=None, form=None) -> dict:
    """What _invite_card.html shows: the place's links still usable, each with its full
    address to copy and its expiry, and the form for a new one."""
    today = timezone.localdate()
    invitations = list(place.invitations.filter(used_at__isnull=True, expires_on__gte=today)
                       .order_by("-created_at")[:5])
    for invitation in invitations:
        invitation.url = request.build_absolute_uri(
            reverse("inspections:invite", kwargs={"token": invitation.token}))
        invitation.is_new = new_invitation is not None and invitation.pk == new_invitation.pk
    return {"place": place, "invitations": invitations, "invite_form": form or InviteForm()}


_LOOK_UP = object()


def place_tab_context(request, place, in_force=_LOOK_UP) -> dict:
    """What the place page's inspections tab adds about commitments: the latest one and its
    state (fallen due when a year is over), the unit's record, the invitation card for those
    who may inspect, and the 承诺不实 form when a hazard shows the commitment in force untrue."""
    user = request.user
    today = timezone.localdate()
    latest = decorate(place.commitments.select_related("inspection").first(), today)
    if in_force is _LOOK_UP:
        in_force = services.commitment_in_force(place, today)
    may_inspect = services.may_inspect(user, place)
    context = {
        "latest": latest,
        "due": latest is not None and latest.valid_until < today,
        "unit": unit_of(place),
        "may_inspect": may_inspect,
        "untrue_commitment": None,
    }
    if may_inspect:
        context.update(invite_card_context(request, place))
        if in_force is not None:
            candidates = untrue_candidates(user, in_force)
            if candidates:
                context["untrue_commitment"] = in_force
                context["untrue_form"] = UntrueForm(hazards=candidates)
    return context


def commitment_context(user, inspection: Inspection, results) -> dict:
    """For inspections/_commitment_panel.html on the inspection record: a self-inspection's
    commitment (or the button to sign it, for its creator); on another submitted inspection
    whose hazards show the place's commitment untrue, the 承诺不实 form for inspectors."""
    if inspection.is_draft:
        return {"commitment_panel": None}
    if inspection.kind == Kind.SELF:
        commitment = decorate(Commitment.objects.filter(inspection=inspection).first())
        return {"commitment_panel": {
            "self": True, "commitment": commitment,
            "may_sign": commitment is None and inspection.invitation_id is None
            and inspection.created_by_id == getattr(user, "pk", None),
        }}
    hazards = [r.hazard for r in results if r.hazard_id]
    if not hazards:
        return {"commitment_panel": None}
    commitment = decorate(services.commitment_in_force(inspection.place, inspection.inspected_on))
    if commitment is None:
        return {"commitment_panel": None}
    panel = {"self": False, "commitment": commitment, "form": None}
    if commitment.untrue_on is None:
        if not services.may_inspect(user, inspection.place):
            return {"commitment_panel": None}
        candidates = untrue_candidates(user, commitment, hazards)
        if not candidates:
            return {"commitment_panel": None}
        panel["form"] = UntrueForm(hazards=candidates, initial={"hazard": candidates[0].pk})
    return {"commitment_panel": panel}


def _inspection_summary(inspection: Inspection) -> dict:
    counts = {value: 0 for value in Outcome.values}
    for outcome in inspection.results.values_list("outcome", flat=True):
        if outcome in counts:
            counts[outcome] += 1
    return {"passed": counts[Outcome.PASS], "fixed": counts[Outcome.FIXED],
            "hazards": counts[Outcome.HAZARD], "not_applicable": counts[Outcome.NOT_APPLICABLE]}


# --- the commitment of a logged-in unit ------------------------------------------------

@login_required
def commitment(request, pk: int):
    """GET: the commitment form for the self-inspection's creator (or the signed commitment,
    for whoever sees the inspection). POST: sign it."""
    inspection = get_object_or_404(
        Inspection.objects.visible_to(request.user).select_related(
            "place__owner", "place__manager", "place__occupant", "created_by"),
        pk=pk, kind=Kind.SELF)
    if inspection.is_draft:
        return redirect("inspections:detail", pk=inspection.pk)
    existing = decorate(Commitment.objects.filter(inspection=inspection).first())
    is_signer = inspection.invitation_id is None and inspection.created_by_id == request.user.pk
    if existing is None and not is_signer:
        raise PermissionDenied
    form = None
    error = ""
    status = 200
    if existing is None:
        form = CommitmentForm(request.POST or None, place=inspection.place,
                              signer=request.user.display_name)
    if request.method == "POST":
        if not is_signer:
            raise PermissionDenied
        if existing is not None:
            error = _("This self-inspection already has its commitment.")
            status = 400
        elif form.is_valid():
            try:
                services.sign_commitment(request.user, inspection, **form.service_data())
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Commitment signed. It is in force for a year."))
                return redirect("inspections:commitment", pk=inspection.pk)
        if form is not None and form.errors:
            status = 400
    return render(request, "inspections/commitment.html", {
        "inspection": inspection, "place": inspection.place, "commitment": existing,
        "form": form, "error": error, "wording": services.COMMITMENT_WORDING,
        "summary": _inspection_summary(inspection), "action": request.path,
    }, status=status)


# --- invitations -----------------------------------------------------------------------

@login_required
@require_POST
def invite_create(request, place_pk: int):
    """A new one-time link for the place's unit (inspectors only), shown on the place page."""
    place = get_object_or_404(Place.objects.visible_to(request.user, "view"), pk=place_pk)
    if not services.may_inspect(request.user, place):
        raise PermissionDenied
    form = InviteForm(request.POST)
    htmx = bool(request.headers.get("HX-Request"))
    if not form.is_valid():
        if htmx:
            return render(request, "inspections/_invite_card.html",
                          invite_card_context(request, place, form=form), status=400)
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("places:detail", pk=place.pk)
    invitation = services.invite(request.user, place, days=form.cleaned_data["days"])
    if htmx:
        return render(request, "inspections/_invite_card.html",
                      invite_card_context(request, place, new_invitation=invitation))
    messages.success(request, _("Invitation link created, valid until %(day)s: %(url)s") % {
        "day": invitation.expires_on.strftime("%Y-%m-%d"),
        "url": request.build_absolute_uri(
            reverse("inspections:invite", kwargs={"token": invitation.token}))})
    return redirect("places:detail", pk=place.pk)


def invite(request, token: str):
    """The invited unit's page, no login: start (or go on with) the self-inspection, then
    sign the commitment; a used or expired link says so (410)."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("place__owner", "place__manager", "place__occupant"),
        token=token)
    place = invitation.place
    context = {"invitation": invitation, "place": place, "unit": invitation.organisation
               or unit_of(place), "wording": services.COMMITMENT_WORDING}
    if not services.invitation_usable(invitation):
        if invitation.used_at is not None and request.session.pop(THANKS_KEY, None) == token:
            commitment = decorate(Commitment.objects.filter(
                inspection__invitation=invitation).select_related("inspection").first())
            return render(request, "inspections/invite.html",
                          {**context, "state": "thanks", "commitment": commitment})
        state = "used" if invitation.used_at is not None else "expired"
        return render(request, "inspections/invite.html", {**context, "state": state},
                      status=410)
    inspection = Inspection.objects.filter(invitation=invitation).first()
    if inspection is None:
        return _invite_start(request, invitation, context)
    context["inspection"] = inspection
    if inspection.is_draft:
        if request.method == "POST":
            return redirect("inspections:invite_edit", token=token, pk=inspection.pk)
        return render(request, "inspections/invite.html", {
            **context, "state": "draft", "summary": _inspection_summary(inspection)})
    return _invite_commit(request, invitation, inspection, context)


def _invite_start(request, invitation, context):
    place = invitation.place
    versions = [v for v in (t.current_version() for t in services.templates_for(place)) if v]
    form = InviteStartForm(request.POST or None, versions=versions)
    if request.method == "POST" and versions and form.is_valid():
        try:
            inspection = services.start_inspection(
                None, place, kind=Kind.SELF, version=form.cleaned_data["version"],
                invitation=invitation)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            return redirect("inspections:invite_edit", token=invitation.token, pk=inspection.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "inspections/invite.html", {
        **context, "state": "start", "form": form, "versions": versions}, status=status)


def _invite_commit(request, invitation, inspection, context):
    form = CommitmentForm(request.POST or None, place=invitation.place)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_commitment(None, inspection, invitation=invitation,
                                     **form.service_data())
        except ValidationError as exc:
            form.add_service_error(exc)
        except PermissionDenied:
            # Signed a moment ago (a double tap): the link is used now.
            return redirect("inspections:invite", token=invitation.token)
        else:
            request.session[THANKS_KEY] = invitation.token
            return redirect("inspections:invite", token=invitation.token)
    return render(request, "inspections/invite.html", {
        **context, "state": "commit", "form": form, "summary": _inspection_summary(inspection),
        "action": request.path,
    }, status=400 if form.errors else 200)


# --- 承诺不实 and the unit's record -----------------------------------------------------

@login_required
def mark_untrue(request, pk: int):
    """POST: mark the commitment untrue by one of the hazards that show it (inspectors only).
    GET (or a refused POST): the form on its own page."""
    commitment = get_object_or_404(
        Commitment.objects.visible_to(request.user).select_related(
            "place", "inspection", "organisation"), pk=pk)
    if not services.may_inspect(request.user, commitment.place):
        raise PermissionDenied
    candidates = untrue_candidates(request.user, commitment)
    form = UntrueForm(request.POST or None, hazards=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_untrue(request.user, commitment, hazard=form.cleaned_data["hazard"],
                                 note=form.cleaned_data["untrue_note"])
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("The commitment is marked untrue; this is recorded on "
                                        "the unit."))
            fallback = reverse("places:detail", kwargs={"pk": commitment.place_id})
            if commitment.organisation_id:
                fallback = reverse("inspections:unit_commitments",
                                   kwargs={"org_pk": commitment.organisation_id})
            return redirect(_safe_next(request, fallback))
    return render(request, "inspections/untrue.html", {
        "commitment": decorate(commitment), "form": form, "candidates": candidates,
        "next": _safe_next(request, ""),
    }, status=400 if request.method == "POST" else 200)


@login_required
def unit_commitments(request, org_pk: int):
    """The unit's record of commitments: in force, fallen due, untrue. Seen by whoever sees at
    least one of the unit's places (a unit manager: their own unit)."""
    unit = get_object_or_404(Organisation, pk=org_pk)
    unit_places = Q(owner=unit) | Q(manager=unit) | Q(occupant=unit)
    if not Place.objects.visible_to(request.user).filter(unit_places).exists():
        raise Http404
    rows = Commitment.objects.visible_to(request.user).filter(organisation=unit).select_related(
        "place", "inspection", "untrue_by", "untrue_hazard")
    today = timezone.localdate()
    counts = {
        "total": rows.count(),
        "in_force": rows.in_force(today).filter(untrue_on__isnull=True).count(),
        "untrue": rows.filter(untrue_on__isnull=False).count(),
    }
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for c in page:
        decorate(c, today)
    return render(request, "inspections/unit_commitments.html", {
        "unit": unit, "page": page, "counts": counts, "query": "",
    })
