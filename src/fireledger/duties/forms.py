"""The duty record form (phone-first) and the filter forms of the queue and workload pages."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fireledger.core.choices import Level
from fireledger.core.forms import DateInput, StyledMixin
from fireledger.core.models import Jurisdiction
from fireledger.places.choices import Category
from fireledger.risk.choices import Grade

from .models import DutyKind
from .queries import HOURS_PER_INSPECTOR_YEAR, UNGRADED


class DutyRecordForm(StyledMixin, forms.Form):
    kind = forms.ModelChoiceField(label=_("duty"), queryset=DutyKind.objects.filter(is_active=True))
    held_on = forms.DateField(label=_("held on"), widget=DateInput())
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea(attrs={"rows": 3}))
    participants = forms.IntegerField(label=_("participants"), required=False, min_value=0)
    attachment = forms.FileField(
        label=_("photo or document"), required=False,
        help_text=_("An image or a PDF, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


WINDOWS = (
    ("overdue", _("overdue or never inspected")),
    ("30", _("due within 30 days")),
    ("90", _("due within 90 days")),
    ("all", _("all places")),
)


def _scope_choices(user, levels):
    rows = (Jurisdiction.objects.visible_to(user).filter(level__in=levels)
            .select_related("parent").order_by("code"))
    return [("", _("everywhere in my scope"))] + [
        (str(j.pk), ("· " * (list(Level.values).index(j.level) - 1)) + j.label) for j in rows]


class QueueFilterForm(forms.Form):
    jurisdiction = forms.TypedChoiceField(label=_("street or grid"), required=False,
                                          coerce=int, empty_value=None)
    window = forms.ChoiceField(label=pgettext_lazy("inspection", "due"), choices=WINDOWS, required=False)
    grade = forms.ChoiceField(label=_("risk grade"), required=False, choices=(
        ("", _("any grade")), *Grade.choices, (UNGRADED, _("ungraded"))))
    category = forms.ChoiceField(label=_("category"), required=False,
                                 choices=(("", _("any category")), *Category.choices))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].choices = _scope_choices(
            user, (Level.STREET, Level.COMMUNITY, Level.GRID))
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class WorkloadForm(forms.Form):
    street = forms.TypedChoiceField(label=_("street"), required=False, coerce=int,
                                    empty_value=None)
    hours = forms.FloatField(label=_("hours per inspector-year"), required=False,
                             min_value=1, max_value=8784,
                             widget=forms.NumberInput(attrs={"step": "10"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].choices = _scope_choices(user, (Level.STREET,))
        self.fields["street"].widget.attrs["class"] = "form-select"
        self.fields["hours"].widget.attrs["class"] = "form-control"
        self.fields["hours"].widget.attrs["placeholder"] = str(HOURS_PER_INSPECTOR_YEAR)
