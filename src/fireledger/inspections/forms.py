"""Forms of the inspection pages. They check shape only; services decide what is allowed."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import FollowUp, Kind, Outcome
from fireledger.core.forms import DateInput, StyledMixin
from fireledger.places.models import Place

from .choices import Status
from .models import ChecklistVersion, Inspection


class StartForm(StyledMixin, forms.Form):
    """Kind and checklist for a new inspection of one place; the token makes a second
    submission of the same form return the draft the first one started."""

    token = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind"))
    version = forms.ModelChoiceField(label=_("Checklist"), queryset=ChecklistVersion.objects.none(),
                                     empty_label=None)
    inspected_on = forms.DateField(label=_("Date inspected"),
                                   widget=forms.DateInput(attrs={"type": "date"},
                                                          format="%Y-%m-%d"))

    def __init__(self, *args, templates=(), kinds=(), **kwargs):
        kwargs.setdefault("initial", {"token": uuid.uuid4(), "inspected_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, Kind(k).label) for k in kinds]
        ids = [t.current_version().pk for t in templates if t.current_version()]
        self.fields["version"].queryset = ChecklistVersion.objects.filter(pk__in=ids) \
            .select_related("template").order_by("template__sort_order")
        self.fields["version"].label_from_instance = lambda v: f"{v.name}（v{v.version}）"
        for field in self.fields.values():
            if not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs.setdefault(
                    "class", "form-select" if isinstance(field, forms.ChoiceField) else
                    "form-control")


class DetailsForm(StyledMixin, forms.ModelForm):
    """The record's own fields; each autosave sends one of them, so none is required here
    (the date, when sent, must not be empty)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def clean_inspected_on(self):
        value = self.cleaned_data.get("inspected_on")
        if "inspected_on" in self.data and value is None:
            raise ValidationError(_("Give the date of the inspection."), code="required")
        return value

    class Meta:
        model = Inspection
        fields = ["unit_name", "location", "inspected_on", "advice"]
        widgets = {
            "unit_name": forms.TextInput(attrs={"class": "form-control"}),
            "location": forms.TextInput(attrs={"class": "form-control"}),
            "inspected_on": forms.DateInput(attrs={"type": "date", "class": "form-control"},
                                            format="%Y-%m-%d"),
            "advice": forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        }


class ResultForm(StyledMixin, forms.Form):
    """One item as answered (every field optional: it is saved as the inspector goes)."""

    outcome = forms.ChoiceField(choices=[("", "")] + Outcome.choices, required=False)
    follow_up = forms.ChoiceField(choices=[("", "")] + FollowUp.choices, required=False)
    note = forms.CharField(max_length=300, required=False)
    deadline = forms.DateField(required=False)
    interim_safeguards = forms.CharField(required=False)

    def changes(self, posted) -> dict:
        """Only the fields the request carried, so saving one field never blanks another."""
        return {k: v for k, v in self.cleaned_data.items() if k in posted}


class SignForm(StyledMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50,
                           widget=forms.TextInput(attrs={"class": "form-control",
                                                         "autocomplete": "name"}))
    drawing = forms.CharField(required=False, widget=forms.HiddenInput)
    confirmed = forms.BooleanField(
        label=_("I confirm this record and sign it with my typed name"), required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo"))


class RecordFilterForm(forms.Form):
    """The inspection list's filters, read from the query string: all optional. A value the
    form refuses (a date that is no date, a place outside the user's scope) is a 400 that says
    which, never a file quietly filtered otherwise."""

    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", "—"), *Kind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", "—"), *Status.choices])
    date_from = forms.DateField(label=_("From date"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To date"), required=False, widget=DateInput())
    place = forms.ModelChoiceField(label=_("Place"), required=False,
                                   queryset=Place.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A place outside the user's scope is not a choice (the filter says nothing about it).
        self.fields["place"].queryset = Place.objects.visible_to(user, "view")
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field, forms.ChoiceField) else "form-control")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return data

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("date_from"):
            queryset = queryset.filter(inspected_on__gte=data["date_from"])
        if data.get("date_to"):
            queryset = queryset.filter(inspected_on__lte=data["date_to"])
        if data.get("place"):
            queryset = queryset.filter(place=data["place"])
        return queryset
