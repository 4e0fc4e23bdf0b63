"""Citizen report pages: the public form (at a place's safety code, or general), the tracking
status page, and the officers' triage list and page. Writes go through reports.py."""

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import select_template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from fireledger.core.choices import Level
from fireledger.core.files import stored_file_response
from fireledger.core.forms import DateInput, StyledMixin
from fireledger.core.models import Jurisdiction
from fireledger.hazards.forms import PhotosField, category_choices
from fireledger.hazards.models import Hazard, HazardCategory
from fireledger.places.models import Place

from . import ratelimit, reports
from .models import CitizenReport, ReportPhoto, ReportStatus, SafetyCode

BODY_SLACK = 256 * 1024  # the form's text fields and multipart framing, besides the photos
PAGE_SIZE = 25
TOO_MANY = gettext_lazy("Too many reports from here just now. Please try again later, or call "
                        "119 in an emergency.")


def public_base() -> str:
    """The public pages' layout: public/base_public.html where it exists, else base.html."""
    return select_template(["public/base_public.html", "base.html"]).origin.template_name


# --- the public form ------------------------------------------------------------------------

class ReportForm(StyledMixin, forms.Form):
    category = forms.TypedChoiceField(label=gettext_lazy("what kind of hazard"), coerce=int)
    description = forms.CharField(label=gettext_lazy("what you saw"),
                                  max_length=reports.DESCRIPTION_MAX,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    street = forms.ModelChoiceField(label=gettext_lazy("street"), queryset=Jurisdiction.objects
                                    .none())
    address = forms.CharField(label=gettext_lazy("address"), max_length=200)
    latitude = forms.DecimalField(label=gettext_lazy("latitude"), required=False,
                                  max_digits=9, decimal_places=6, min_value=-90, max_value=90)
    longitude = forms.DecimalField(label=gettext_lazy("longitude"), required=False,
                                   max_digits=9, decimal_places=6, min_value=-180,
                                   max_value=180)
    photos = PhotosField(label=gettext_lazy("photos"), help_text=gettext_lazy(
        "Up to 3 photos; their location and camera details are removed."))
    contact_name = forms.CharField(label=gettext_lazy("your name"), max_length=50,
                                   required=False)
    contact_phone = forms.CharField(label=gettext_lazy("your phone"), max_length=30,
                                    required=False, help_text=gettext_lazy(
                                        "Optional; only the officer handling the report sees it."))
    # The honeypot: hidden from people; a bot that fills every field fills it too.
    website = forms.CharField(required=False, label="website")

    def __init__(self, *args, place=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.place = place
        self.fields["category"].choices = category_choices()
        if place is not None:
            del self.fields["street"], self.fields["address"], self.fields["latitude"]
            del self.fields["longitude"]
        else:
            self.fields["street"].queryset = Jurisdiction.objects.filter(
                level=Level.STREET).order_by("code")
        self.style()
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_category(self):
        category = HazardCategory.objects.filter(pk=self.cleaned_data["category"]).first()
        if category is None:
            raise ValidationError(_("Choose a kind of hazard."))
        return category

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        if len(photos) > reports.MAX_PHOTOS:
            raise ValidationError(_("Attach at most %(max)d photos.") % {
                "max": reports.MAX_PHOTOS})
        return photos


def _too_many(request) -> HttpResponse:
    return render(request, "public/report_sent.html", {
        "base": public_base(), "refused": True,
        "message": TOO_MANY}, status=429)


def _body_too_large(request) -> bool:
    limit = reports.MAX_PHOTOS * reports.photo_max_bytes() + BODY_SLACK
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > limit


def size_limited(view):
    """Refuse a POST whose body is larger than the form can need (413) before anything reads
    it. CsrfViewMiddleware would read (and spool) the whole body for its token first, so the
    view is exempted from the middleware and checked by csrf_protect after the size check.
    DATA_UPLOAD_MAX_MEMORY_SIZE is global and leaves file uploads out."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and _body_too_large(request):
            return render(request, "public/report_sent.html", {
                "base": public_base(), "refused": True,
                "message": _("The report is too large: attach at most 3 photos of %(mb)d MB "
                             "each.") % {"mb": reports.photo_max_bytes() // (1024 * 1024)}},
                status=413)
        return protected(request, *args, **kwargs)
    return csrf_exempt(wrapper)


def _report_form(request, place=None, token: str = ""):
    form = ReportForm(request.POST or None, request.FILES or None, place=place)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data.get("website"):
            # A bot: it sees what a person would, and nothing is saved.
            return render(request, "public/report_sent.html", {
                "base": public_base(), "tracking": CitizenReport._meta.get_field(
                    "tracking").default()})
        address = ratelimit.client_address(request)
        allowed = ratelimit.allow(f"report:addr:{address}", *ratelimit.REPORTS_PER_ADDRESS)
        if token:
            allowed = ratelimit.allow(f"report:code:{token}",
                                      *ratelimit.REPORTS_PER_TOKEN) and allowed
        if not allowed:
            return _too_many(request)
        try:
            report = reports.receive(
                place=place, address=data.get("address", ""), latitude=data.get("latitude"),
                longitude=data.get("longitude"), street=data.get("street"),
                category=data["category"], description=data["description"],
                photos=data["photos"], contact_name=data["contact_name"],
                contact_phone=data["contact_phone"], client_key=address)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return render(request, "public/report_sent.html", {
                "base": public_base(), "tracking": report.tracking})
    return render(request, "public/report_form.html", {
        "base": public_base(), "form": form, "place": place},
        status=400 if form.is_bound else 200)


@size_limited
def report_at_place(request, token: str):
    """GET/POST /code/<token>/report/: a report about the place of a live safety code."""
    code = get_object_or_404(SafetyCode.objects.select_related("place"), token=token,
                             revoked_at__isnull=True)
    return _report_form(request, place=code.place, token=token)


@size_limited
def report_general(request):
    """GET/POST /report/: a report about an address (street, address, optional map point)."""
    return _report_form(request)


def report_status(request, tracking: str):
    """What the reporter may know: the status, a rejection's reason, for an accepted report
    that it is on the list and the hazard's status name. Nothing else."""
    report = get_object_or_404(CitizenReport.objects.select_related("hazard"), tracking=tracking)
    hazard_status = report.hazard.get_status_display() if report.hazard_id else ""
    response = render(request, "public/report_status.html", {
        "base": public_base(), "report": report, "hazard_status": hazard_status})
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- triage -------------------------------------------------------------------------------

class AcceptForm(StyledMixin, forms.ModelForm):
    """The hazard log form's fields that the report does not already give."""

    place = forms.ModelChoiceField(label=gettext_lazy("place"), queryset=Place.objects.none())

    class Meta:
        model = Hazard
        fields = ["category", "location_in_place", "is_major", "interim_safeguards",
                  "deadline", "responsible_unit", "responsible_person", "responsible_phone"]
        widgets = {"interim_safeguards": forms.Textarea(attrs={"rows": 2}),
                   "deadline": DateInput()}

    def __init__(self, *args, report: CitizenReport, user, **kwargs):
        kwargs.setdefault("prefix", "accept")
        super().__init__(*args, **kwargs)
        self.title = _("Accept: log it as a hazard")
        self.fields["category"].choices = category_choices()
        self.fields["deadline"].help_text = _(
            "Leave empty for the default period in working days")
        self.fields["interim_safeguards"].help_text = _("Required for a major hazard")
        if not self.is_bound:
            self.fields["category"].initial = report.category_id
        if report.place_id:
            del self.fields["place"]
            if not self.is_bound:
                self.fields["responsible_person"].initial = report.place.responsible_person
                self.fields["responsible_phone"].initial = report.place.responsible_phone
        else:
            street = Jurisdiction.objects.filter(code=report.jurisdiction_code).first()
            places = Place.objects.visible_to(user, "change")
            if street is not None:
                places = places.filter(jurisdiction_code__startswith=street.prefix)
            self.fields["place"].queryset = places.order_by("name", "pk")
        self.style()

    def _post_clean(self):
        """log_hazard validates the hazard as a whole."""

    def details(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class DuplicateForm(StyledMixin, forms.Form):
    hazard = forms.ModelChoiceField(label=gettext_lazy("the open hazard it repeats"),
                                    queryset=Hazard.objects.none())

    def __init__(self, *args, report: CitizenReport, user, **kwargs):
        kwargs.setdefault("prefix", "duplicate")
        super().__init__(*args, **kwargs)
        self.title = _("Duplicate of an open hazard")
        hazards = Hazard.objects.visible_to(user, "view").open().select_related("place")
        if report.place_id:
            hazards = hazards.filter(place_id=report.place_id)
        else:
            street = Jurisdiction.objects.filter(code=report.jurisdiction_code).first()
            hazards = hazards.filter(jurisdiction_code__startswith=street.prefix
                                     if street else report.jurisdiction_code)
        self.fields["hazard"].queryset = hazards.order_by("-found_on", "-pk")
        self.fields["hazard"].label_from_instance = lambda h: (
            f"{h.place.name} · {h.description[:40]} · {h.get_status_display()}")
        self.style()


class RejectForm(StyledMixin, forms.Form):
    reason = forms.CharField(label=gettext_lazy("reason given to the reporter"),
                             max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, report=None, user=None, **kwargs):
        kwargs.setdefault("prefix", "reject")
        super().__init__(*args, **kwargs)
        self.title = _("Reject")
        self.style()


class RewardForm(StyledMixin, forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("reward decision"), choices=[
        ("granted", gettext_lazy("reward granted")), ("refused", gettext_lazy("no reward"))])
    note = forms.CharField(label=gettext_lazy("reward note"), max_length=200, required=False)

    def __init__(self, *args, report=None, user=None, **kwargs):
        kwargs.setdefault("prefix", "reward")
        super().__init__(*args, **kwargs)
        self.title = _("Reward (有奖举报)")
        if report is not None and report.reward and not self.is_bound:
            self.fields["decision"].initial = report.reward
            self.fields["note"].initial = report.reward_note
        self.style()


TRIAGE_FORMS = {"accept": AcceptForm, "duplicate": DuplicateForm, "reject": RejectForm,
                "reward": RewardForm}


def _visible_report(request, pk: int) -> CitizenReport:
    """Only whoever may triage a report sees it (and so its reporter's contact)."""
    return get_object_or_404(CitizenReport.objects.visible_to(request.user, "change")
                             .select_related("place", "category", "department", "hazard",
                                             "triaged_by"), pk=pk)


def _offered(report: CitizenReport) -> list[str]:
    if report.status == ReportStatus.RECEIVED:
        return ["accept", "duplicate", "reject"]
    return ["reward"] if report.status == ReportStatus.ACCEPTED else []


def _triage_page(request, report, failed=None, status=200):
    forms_ = {name: failed if failed is not None and failed.prefix == name
              else TRIAGE_FORMS[name](report=report, user=request.user)
              for name in _offered(report)}
    from fireledger.core.models import AuditEvent

    return render(request, "public/triage.html", {
        "report": report, "forms": forms_, "photos": report.photos.all(),
        "duplicates": reports.likely_duplicates(report, request.user)[:10],
        "street": Jurisdiction.objects.filter(code=report.jurisdiction_code).first(),
        "history": AuditEvent.objects.for_object(report).select_related("actor")[:50],
    }, status=status)


@login_required
def triage_list(request):
    rows = CitizenReport.objects.visible_to(request.user, "change").select_related(
        "place", "category")
    status = request.GET.get("status", ReportStatus.RECEIVED)
    if status in ReportStatus.values:
        rows = rows.filter(status=status)
    else:
        status = ""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "public/triage_list.html", {
        "page": page, "status": status, "statuses": ReportStatus.choices,
        "query": f"status={status or 'all'}"})


@login_required
def triage(request, pk: int):
    return _triage_page(request, _visible_report(request, pk))


@login_required
@require_POST
def triage_action(request, pk: int, action: str):
    report = _visible_report(request, pk)
    if action not in TRIAGE_FORMS:
        raise Http404
    if action not in _offered(report):
        raise PermissionDenied
    form = TRIAGE_FORMS[action](request.POST, report=report, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "accept":
                details = form.details()
                place = details.pop("place", None)
                reports.accept(request.user, report, place=place, **details)
            elif action == "duplicate":
                reports.mark_duplicate(request.user, report, data["hazard"])
            elif action == "reject":
                reports.reject(request.user, report, data["reason"])
            else:
                reports.decide_reward(request.user, report, data["decision"] == "granted",
                                      data["note"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": form.title})
            return redirect("public:triage", pk=report.pk)
    for error in form.non_field_errors():
        messages.error(request, error)
    if any(form.errors.get(name) for name in form.fields):
        messages.error(request, _("Please correct the fields marked below."))
    return _triage_page(request, report, failed=form, status=400)


@login_required
def report_photo(request, pk: int):
    """A reporter's photo, for whoever may triage the report (never a public file)."""
    photo = get_object_or_404(ReportPhoto.objects.filter(
        report__in=CitizenReport.objects.visible_to(request.user, "change").values("pk")),
        pk=pk)
    return stored_file_response(photo.image, content_type="image/jpeg")
