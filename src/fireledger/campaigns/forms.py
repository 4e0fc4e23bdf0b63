"""The plan importer's forms: the plan's text or file, then the review of what the parser
proposed (campaign, phases, tasks, targets) before anything is saved."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fireledger.core.forms import DateInput, StyledMixin
from fireledger.core.models import Jurisdiction
from fireledger.places.choices import Category

from .choices import CampaignKind, PhaseKind
from .models import Campaign

PLAN_MAX_BYTES = 5 * 1024 * 1024


class PlanForm(StyledMixin, forms.Form):
    """Paste the plan, or upload it as .txt or .docx."""

    text = forms.CharField(label=_("Plan text"), required=False,
                           widget=forms.Textarea(attrs={"rows": 10}))
    file = forms.FileField(label=_("or a file (.txt or .docx)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            name = upload.name.lower()
            if not name.endswith((".txt", ".docx")):
                self.add_error("file", _("“%(name)s” is neither a .txt nor a .docx file.") % {
                    "name": upload.name})
            elif upload.size > PLAN_MAX_BYTES:
                self.add_error("file", _("“%(name)s” is larger than 5 MB.") % {
                    "name": upload.name})
        elif not (data.get("text") or "").strip():
            raise ValidationError(_("Paste the plan's text or choose its file."),
                                  code="required")
        return data


class CampaignForm(StyledMixin, forms.ModelForm):
    place_categories = forms.MultipleChoiceField(
        label=_("Place categories"), required=False, choices=Category.choices,
        help_text=_("None chosen: every category."),
        widget=forms.SelectMultiple(attrs={"size": 6}))
    source_text = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Campaign
        fields = ["name", "kind", "issuer", "doc_number", "issued_on", "starts_on", "ends_on",
                  "jurisdiction", "place_categories", "source_text"]
        widgets = {"issued_on": DateInput(), "starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, jurisdictions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if jurisdictions is not None:
            self.fields["jurisdiction"].queryset = jurisdictions
        self.fields["kind"].choices = CampaignKind.choices
        self.style()


class PhaseForm(StyledMixin, forms.Form):
    name = forms.CharField(label=_("Phase"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=PhaseKind.choices, required=False)
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        return data


class TaskForm(StyledMixin, forms.Form):
    """One task; units are typed as the plan writes them, separated by 、 or ，."""

    number = forms.CharField(label=_("No."), max_length=30, required=False)
    title = forms.CharField(label=_("Task"), max_length=300)
    lead = forms.CharField(label=_("Lead"), required=False)
    cooperating = forms.CharField(label=_("Cooperating"), required=False)
    responsible = forms.CharField(label=_("Responsible"), required=False)
    due_text = forms.CharField(label=_("Completion time as written"), max_length=200,
                               required=False)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class TargetForm(StyledMixin, forms.Form):
    task_number = forms.CharField(label=_("Task No."), max_length=30, required=False)
    text = forms.CharField(label=_("Target as written"), max_length=300)
    metric = forms.ChoiceField(label=_("Metric"))
    threshold = forms.DecimalField(label=_("Threshold"), min_value=0, max_digits=12,
                                   decimal_places=2)
    unit = forms.CharField(label=_("Unit"), max_length=10, required=False)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        from .metrics import REGISTRY

        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", "—")] + [
            (key, metric.label) for key, metric in REGISTRY.items()]
        self.style()

    def clean(self):
        data = super().clean()
        if data.get("unit") == "%" and data.get("threshold") is not None \
                and data["threshold"] > 100:
            self.add_error("threshold", _("A share cannot be above 100 %."))
        return data


PhaseFormSet = forms.formset_factory(PhaseForm, extra=0, can_delete=True)
TaskFormSet = forms.formset_factory(TaskForm, extra=0, can_delete=True)
TargetFormSet = forms.formset_factory(TargetForm, extra=0, can_delete=True)


def district_jurisdictions(user):
    """Where the user may issue a campaign: the nodes they hold as district office."""
    from fireledger.core.choices import Role
    from fireledger.core.scope import assignments

    if getattr(user, "is_superuser", False):
        return Jurisdiction.objects.filter(level__in=["district", "street"])
    ids = [a.jurisdiction_id for a in assignments(user) if a.role == Role.DISTRICT_OFFICE]
    return Jurisdiction.objects.filter(pk__in=ids)
