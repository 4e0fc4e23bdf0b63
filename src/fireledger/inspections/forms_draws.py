"""The draw form: where, which strata and ratios, which inspector roles, the seed."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from fireledger.core.choices import Role
from fireledger.core.forms import StyledMixin
from fireledger.places.choices import Category

from . import services_draws as sd
from .models import RandomDraw


class DrawForm(StyledMixin, forms.Form):
    """Shape only; services_draws.make_draw decides what is allowed. One percent field per
    stratum of either mode (ratio_<stratum>), prefilled with the defaults."""

    jurisdiction = forms.ModelChoiceField(label=_("Jurisdiction"), queryset=None,
                                          empty_label=None)
    mode = forms.ChoiceField(label=_("Strata"), choices=RandomDraw.Mode.choices,
                             initial=RandomDraw.Mode.GRADE)
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=None, required=False)
    categories = forms.MultipleChoiceField(
        label=_("Place categories in the pool"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("None chosen: every category that has a checklist."))
    inspector_roles = forms.MultipleChoiceField(
        label=_("Inspector pool: roles"), widget=forms.CheckboxSelectMultiple,
        choices=[(r, Role(r).label) for r in sd.INSPECTOR_ROLE_CHOICES],
        initial=list(sd.INSPECTOR_ROLES))
    team = forms.IntegerField(label=_("Inspectors per place"), min_value=2, max_value=5,
                              initial=2)
    seed = forms.CharField(label=_("Seed"), max_length=64, required=False,
                           help_text=_("Empty: a new random seed. The same seed over the same "
                                       "pool gives the same draw."))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from fireledger.campaigns.models import Campaign

        self.fields["jurisdiction"].queryset = sd.drawable_jurisdictions(user)
        self.fields["categories"].choices = [(c, Category(c).label) for c in Category.values]
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user, "view")
        self.grade_fields, self.campaign_fields = [], []
        for mode, target in ((RandomDraw.Mode.GRADE, self.grade_fields),
                             (RandomDraw.Mode.CAMPAIGN, self.campaign_fields)):
            for stratum, value in sd.default_ratios(mode).items():
                name = f"ratio_{stratum}"
                self.fields[name] = forms.DecimalField(
                    label=sd.stratum_label(stratum), min_value=0, max_value=100,
                    decimal_places=2, initial=Decimal(value), required=True)
                self.fields[name].widget.attrs.update({"step": "0.5", "inputmode": "decimal"})
                target.append((stratum, name))
        self.style()
        self.fields["inspector_roles"].widget.attrs["class"] = "form-check-input"

    def grade_rows(self):
        """The grade × group table: one row per grade, one bound field per group."""
        rows = []
        for grade in sd.GRADES:
            rows.append((sd.GRADE_LABELS[grade],
                         [self[f"ratio_{grade}/{g}"] for g in sd.CATEGORY_GROUPS]))
        return rows

    def group_labels(self):
        return [sd.GROUP_LABELS[g] for g in sd.CATEGORY_GROUPS]

    def campaign_bound(self):
        return [self[name] for _s, name in self.campaign_fields]

    def ratios(self) -> dict:
        fields = self.grade_fields if self.cleaned_data["mode"] == RandomDraw.Mode.GRADE \
            else self.campaign_fields
        return {stratum: format(self.cleaned_data[name].normalize(), "f")
                for stratum, name in fields}
