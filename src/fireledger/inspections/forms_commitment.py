"""Forms of the commitment pages (三自主两公开一承诺): the unit's commitment, the start of an
invited self-inspection, a new invitation, and an inspector's 承诺不实. They check shape only;
services decide what is allowed."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fireledger.core.forms import StyledMixin

from .models import ChecklistVersion

# A Chinese mobile (13800000000, +8613800000000), a landline with or without its area code
# and extension (023-63000000, 63000000转801), or a service number (400-800-1234, 95598).
_MOBILE = re.compile(r"^(\+?86)?1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(\(?0\d{2,3}\)?-?)?[1-9]\d{6,7}((-|转|ext\.?)\d{1,6})?$")
_SERVICE = re.compile(r"^(400|800)-?\d{3}-?\d{4}$|^(95|96)\d{3,6}$")
BAD_PHONE = _("Enter a mobile or landline number, e.g. 13800000000 or 023-63000000.")


def clean_phone(value: str) -> str:
    compact = re.sub(r"[\s\u3000]+", "", value).replace("－", "-").replace("（", "(") \
        .replace("）", ")")
    compact = compact.translate(str.maketrans("０１２３４５６７８９＋", "0123456789+"))
    if not (_MOBILE.match(compact) or _LANDLINE.match(compact) or _SERVICE.match(compact)):
        raise ValidationError(BAD_PHONE, code="phone")
    return compact


def _text(label, max_length, **attrs):
    return forms.CharField(label=label, max_length=max_length,
                           widget=forms.TextInput(attrs=attrs))


def _phone(label):
    return forms.CharField(label=label, max_length=30, widget=forms.TextInput(attrs={
        "type": "tel", "inputmode": "tel", "autocomplete": "tel"}))


class CommitmentForm(StyledMixin, forms.Form):
    """The commitment: who signs, the two persons published (两公开) with their phones, and a
    tick under the wording, shown verbatim."""

    signer_name = _text(_("Signed by"), 50, autocomplete="name")
    responsible_person = _text(_("Person responsible for fire safety"), 50)
    responsible_phone = _phone(_("Phone of the person responsible"))
    safety_manager = _text(_("Fire safety manager"), 50)
    safety_manager_phone = _phone(_("Phone of the safety manager"))
    confirmed = forms.BooleanField(
        label=_("I have read the commitment above and make it on behalf of the unit"),
        required=True,
        error_messages={"required": _("Tick the box to make the commitment.")})

    def __init__(self, *args, place=None, signer="", **kwargs):
        if place is not None:
            kwargs.setdefault("initial", {
                "signer_name": signer,
                "responsible_person": place.responsible_person,
                "responsible_phone": place.responsible_phone,
                "safety_manager": place.safety_manager,
                "safety_manager_phone": place.safety_manager_phone,
            })
        super().__init__(*args, **kwargs)
        self.style()

    def clean_responsible_phone(self):
        return clean_phone(self.cleaned_data["responsible_phone"])

    def clean_safety_manager_phone(self):
        return clean_phone(self.cleaned_data["safety_manager_phone"])

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "confirmed"}


class InviteStartForm(StyledMixin, forms.Form):
    """The checklist an invited unit inspects its place on (a choice only when several apply)."""

    version = forms.ModelChoiceField(
        label=_("Checklist"), queryset=ChecklistVersion.objects.none(), empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a checklist."),
                        "invalid_choice": _("Choose a checklist.")})

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = ChecklistVersion.objects.filter(
            pk__in=[v.pk for v in versions]).select_related("template")
        self.fields["version"].label_from_instance = lambda v: v.name
        if len(versions) == 1:
            self.fields["version"].initial = versions[0].pk
        self.style()


INVITATION_DAY_CHOICES = [(7, 7), (14, 14), (30, 30)]


class InviteForm(StyledMixin, forms.Form):
    days = forms.TypedChoiceField(label=_("Valid for (days)"), choices=INVITATION_DAY_CHOICES,
                                  coerce=int, initial=14)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class UntrueForm(StyledMixin, forms.Form):
    """承诺不实: the hazard that shows the commitment untrue, and what it got wrong."""

    hazard = forms.ModelChoiceField(
        label=_("Hazard found"), queryset=None, empty_label=None,
        error_messages={"required": _("Choose the hazard that shows the commitment untrue."),
                        "invalid_choice": _("Choose the hazard that shows the commitment "
                                            "untrue.")})
    untrue_note = forms.CharField(
        label=_("What the commitment got wrong"), max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say what the commitment got wrong.")})

    def __init__(self, *args, hazards=(), **kwargs):
        super().__init__(*args, **kwargs)
        from fireledger.hazards.models import Hazard

        self.fields["hazard"].queryset = Hazard.objects.filter(
            pk__in=[h.pk for h in hazards]).select_related("category")
        self.fields["hazard"].label_from_instance = \
            lambda h: f"#{h.pk} {h.found_on:%Y-%m-%d} {h.description[:40]}"
        self.style()
