"""The hazard log form and one small form per lifecycle action. The forms only shape input;
services.log_hazard and services.transition validate and write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fireledger.core.forms import DateInput, StyledMixin

from . import lifecycle
from .choices import CategoryGroup
from .models import Hazard, HazardCategory

LOG_FIELDS = [
    "category", "description", "location_in_place", "found_on", "source", "is_major",
    "interim_safeguards", "fixed_on_spot", "deadline", "responsible_unit", "responsible_person",
    "responsible_phone",
]


def category_choices() -> list:
    """Selectable categories (the leaves of the taxonomy), grouped by focus area or group."""
    categories = list(HazardCategory.objects.select_related("parent"))
    parents = {c.parent_id for c in categories if c.parent_id}
    groups: dict[str, list] = {}
    labels = dict(CategoryGroup.choices)
    for c in categories:
        if c.pk in parents:
            continue
        group = c.parent.name if c.parent else str(labels.get(c.group, c.group))
        groups.setdefault(group, []).append((c.pk, c.name))
    return [("", "---------"), *groups.items()]


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input; opens the camera on a phone. services.check_photo checks
    each one is really an image."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={
            "accept": "image/jpeg,image/png,image/webp,image/gif", "capture": "environment"}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        return [super(PhotosField, self).clean(f, initial) for f in files]


class HazardLogForm(StyledMixin, forms.ModelForm):
    photos = PhotosField(label=_("photos"))

    class Meta:
        model = Hazard
        fields = LOG_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "interim_safeguards": forms.Textarea(attrs={"rows": 2}),
            "found_on": DateInput(),
            "deadline": DateInput(),
        }

    def __init__(self, *args, place, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        self.fields["found_on"].initial = timezone.localdate()
        self.fields["deadline"].help_text = _(
            "Leave empty for the default period in working days; not needed when it was fixed "
            "on the spot")
        self.fields["interim_safeguards"].help_text = _("Required for a major hazard")
        if place is not None and not self.is_bound:
            self.fields["responsible_person"].initial = place.responsible_person
            self.fields["responsible_phone"].initial = place.responsible_phone
        self.style()

    def _post_clean(self):
        """The service validates the hazard as a whole (with its place), not the form."""


class ActionForm(StyledMixin, forms.Form):
    """One lifecycle action: its details and a note for the audit event."""

    # action → (button label, button style, its fields besides the note, whether the note is
    # required)
    SPEC = {
        lifecycle.START: (_("Start rectification"), "btn-primary", [], False),
        lifecycle.REPORT_RECTIFICATION: (_("Report the rectification"), "btn-primary",
                                         ["measures", "photos"], False),
        lifecycle.VERIFY_PASS: (_("Verification passed: close"), "btn-success", ["photos"],
                                False),
        lifecycle.VERIFY_FAIL: (_("Verification failed"), "btn-warning", ["deadline", "photos"],
                                True),
        lifecycle.DECLARE_CANNOT_RECTIFY: (_("Declare it cannot be rectified"),
                                           "btn-outline-danger",
                                           ["cannot_rectify_reason", "review_on"], False),
        lifecycle.RESUME: (_("Resume rectification"), "btn-primary", ["deadline"], False),
        lifecycle.REOPEN: (_("Reopen (rebound)"), "btn-outline-danger", ["deadline"], False),
    }
    REQUIRED = {
        lifecycle.REPORT_RECTIFICATION: {"measures"},
        lifecycle.VERIFY_PASS: {"photos"},
        lifecycle.DECLARE_CANNOT_RECTIFY: {"cannot_rectify_reason"},
        lifecycle.RESUME: {"deadline"},
        lifecycle.REOPEN: {"deadline"},
    }

    measures = forms.CharField(label=_("rectification measures"),
                               widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label=_("new deadline"), widget=DateInput())
    cannot_rectify_reason = forms.CharField(label=_("why it cannot be rectified"),
                                            widget=forms.Textarea(attrs={"rows": 2}))
    review_on = forms.DateField(label=_("review date"), widget=DateInput())
    photos = PhotosField(label=_("photos"))
    note = forms.CharField(label=_("note"), max_length=180)

    def __init__(self, *args, action: str, hazard: Hazard, **kwargs):
        kwargs.setdefault("prefix", action)
        super().__init__(*args, **kwargs)
        self.action = action
        self.title, self.button_class, fields, note_required = self.SPEC[action]
        for name in list(self.fields):
            if name not in (*fields, "note"):
                del self.fields[name]
        required = self.REQUIRED.get(action, set())
        for name, field in self.fields.items():
            field.required = name in required or (name == "note" and note_required)
        if "measures" in self.fields and not self.is_bound:
            self.fields["measures"].initial = hazard.measures
        self.style()

    def details(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("note", "photos")}
        return {k: v for k, v in data.items() if v not in (None, "")}

    def uploaded_photos(self) -> list:
        return self.cleaned_data.get("photos") or []
