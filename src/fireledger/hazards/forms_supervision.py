"""The hazard page's forms beside the loop: extension, listed supervision, checks, referral
notices and enforcement. Each says whether it is offered to a user for a hazard and which
service it calls; the services validate and write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fireledger.core.forms import DateInput, StyledMixin
from fireledger.core.models import Department
from fireledger.core.scope import permits

from . import lifecycle, services
from .models import Enforcement, ExtensionRequest, Hazard, ListedSupervision, ReferralNotice


def _once(hazard: Hazard, key: str, load):
    """Each record once per loaded hazard: offered() and apply() of several forms ask for the
    same one while a page is built."""
    cache = hazard.__dict__.setdefault("_side_records", {})
    if key not in cache:
        cache[key] = load()
    return cache[key]


def pending_extension(hazard: Hazard):
    return _once(hazard, "extension", lambda: hazard.extensions.filter(
        decision=ExtensionRequest.Decision.PENDING).first())


def open_listing(hazard: Hazard):
    return _once(hazard, "listing", lambda: ListedSupervision.objects.filter(
        hazard=hazard, lifted_on__isnull=True).first())


def unsent_notice(hazard: Hazard):
    return _once(hazard, "notice", lambda: ReferralNotice.objects.filter(
        hazard=hazard, sent_on__isnull=True).first())


class SideForm(StyledMixin, forms.Form):
    name = ""
    title = ""
    button_class = "btn-outline-primary"

    def __init__(self, *args, hazard: Hazard, **kwargs):
        kwargs.setdefault("prefix", self.name)
        super().__init__(*args, **kwargs)
        self.hazard = hazard
        self.style()

    @classmethod
    def offered(cls, user, hazard: Hazard) -> bool:
        raise NotImplementedError

    def apply(self, user):
        raise NotImplementedError


class ExtensionRequestForm(SideForm):
    name = "extension"
    title = _("Ask for more time")
    new_deadline = forms.DateField(label=_("requested deadline"), widget=DateInput())
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))

    @classmethod
    def offered(cls, user, hazard):
        return (hazard.status in lifecycle.DEADLINE_STATUSES and hazard.deadline is not None
                and services.may_act_for_unit(user, hazard) and pending_extension(hazard) is None)

    def apply(self, user):
        return services.request_extension(user, self.hazard, **self.cleaned_data)


class DecisionField(forms.TypedChoiceField):
    def __init__(self, yes, no, **kwargs):
        super().__init__(choices=[("yes", yes), ("no", no)], coerce=lambda v: v == "yes",
                         widget=forms.RadioSelect, **kwargs)


class ExtensionDecisionForm(SideForm):
    name = "decide_extension"
    title = _("Decide the extension request")
    approve = DecisionField(_("approve"), _("refuse"), label=_("decision"))
    decision_note = forms.CharField(label=_("decision note"), max_length=180, required=False)

    @classmethod
    def offered(cls, user, hazard):
        request = pending_extension(hazard)
        return (request is not None and request.requested_by_id != user.pk
                and permits(user, "change", hazard.jurisdiction_code,
                            department_id=hazard.department_id))

    def apply(self, user):
        return services.decide_extension(user, pending_extension(self.hazard),
                                         approve=self.cleaned_data["approve"],
                                         note=self.cleaned_data["decision_note"])


class ListingDecisionForm(SideForm):
    name = "listing"
    title = _("Decide listed supervision")
    button_class = "btn-outline-danger"
    listed = DecisionField(_("list for supervision"), _("do not list"), label=_("decision"))
    decision_note = forms.CharField(label=_("decision note"), max_length=180, required=False)

    @classmethod
    def offered(cls, user, hazard):
        listing = open_listing(hazard)
        return (listing is not None and listing.decision == ListedSupervision.Decision.PROPOSED
                and services.is_district_office_for(user, hazard.jurisdiction_code))

    def apply(self, user):
        return services.decide_listing(user, open_listing(self.hazard),
                                       listed=self.cleaned_data["listed"],
                                       note=self.cleaned_data["decision_note"])


class CheckForm(SideForm):
    name = "check"
    title = _("Record a supervision check")
    checked_on = forms.DateField(label=_("checked on"), widget=DateInput())
    findings = forms.CharField(label=_("findings"), widget=forms.Textarea(attrs={"rows": 2}))

    @classmethod
    def offered(cls, user, hazard):
        listing = open_listing(hazard)
        return (listing is not None and listing.decision == ListedSupervision.Decision.LISTED
                and services.may_change_hazard(user, hazard))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checked_on"].initial = timezone.localdate()

    def apply(self, user):
        return services.record_check(user, open_listing(self.hazard), **self.cleaned_data)


class NoticeForm(SideForm):
    name = "notice"
    title = _("Referral notice sent")
    sent_on = forms.DateField(label=_("sent on"), widget=DateInput())
    reference = forms.CharField(label=_("notice number"), max_length=60, required=False)

    @classmethod
    def offered(cls, user, hazard):
        return unsent_notice(hazard) is not None and services.may_change_hazard(user, hazard)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sent_on"].initial = timezone.localdate()

    def apply(self, user):
        return services.send_notice(user, unsent_notice(self.hazard), **self.cleaned_data)


class EnforcementForm(SideForm):
    name = "enforcement"
    title = _("Refused: referral or joint enforcement")
    button_class = "btn-outline-danger"
    kind = forms.ChoiceField(label=_("action"), choices=Enforcement.Kind.choices)
    department = forms.ModelChoiceField(label=_("department"), queryset=Department.objects.all(),
                                        required=False)
    on = forms.DateField(label=_("date"), widget=DateInput())
    note = forms.CharField(label=_("details"), widget=forms.Textarea(attrs={"rows": 2}))

    @classmethod
    def offered(cls, user, hazard):
        return hazard.is_open and services.may_change_hazard(user, hazard)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()

    def apply(self, user):
        return services.record_enforcement(user, self.hazard, **self.cleaned_data)


SIDE_FORMS = {form.name: form for form in (
    ExtensionRequestForm, ExtensionDecisionForm, ListingDecisionForm, CheckForm, NoticeForm,
    EnforcementForm)}
