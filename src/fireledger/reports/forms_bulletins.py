"""The bulletin's period form (preview by GET, issue by POST) and the template upload form."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from fireledger.core.forms import DateInput, StyledMixin

from . import bulletins


def quick_periods(today: datetime.date) -> list[tuple[str, str, datetime.date, datetime.date]]:
    """(id, label, start, end) of the periods a bulletin usually covers: last month, last
    quarter, this month and this quarter so far."""
    this_month = today.replace(day=1)
    last_month_end = this_month - datetime.timedelta(days=1)
    quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last_quarter_end = quarter_start - datetime.timedelta(days=1)
    last_quarter_start = datetime.date(last_quarter_end.year,
                                       3 * ((last_quarter_end.month - 1) // 3) + 1, 1)
    return [
        ("last-month", _("Last month"), last_month_end.replace(day=1), last_month_end),
        ("last-quarter", _("Last quarter"), last_quarter_start, last_quarter_end),
        ("this-month", _("This month so far"), this_month, today),
        ("this-quarter", _("This quarter so far"), quarter_start, today),
    ]


class BulletinForm(StyledMixin, forms.Form):
    issuer = forms.ModelChoiceField(queryset=None, label=_("Issued for"), empty_label=None)
    start = forms.DateField(label=_("Period start"), widget=DateInput())
    end = forms.DateField(label=_("Period end"), widget=DateInput())
    bottom = forms.IntegerField(label=_("Name the last N by rank"), min_value=0, max_value=20,
                                initial=bulletins.DEFAULT_BOTTOM)
    threshold = forms.IntegerField(
        label=_("and those with a rectification rate below (%)"), min_value=0, max_value=100,
        required=False, initial=bulletins.DEFAULT_THRESHOLD,
        help_text=_("Empty: no threshold."))
    requirements = forms.CharField(label=_("Work requirements (printed as the last section)"),
                                   required=False, max_length=2000,
                                   widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, issuers, **kwargs):
        super().__init__(*args, **kwargs)
        from fireledger.core.models import Jurisdiction

        self.fields["issuer"].queryset = Jurisdiction.objects.filter(
            pk__in=[j.pk for j in issuers])
        self.fields["issuer"].initial = issuers[0].pk
        self.style()

    def settings(self) -> bulletins.Settings:
        return bulletins.Settings(bottom=self.cleaned_data["bottom"],
                                  threshold=self.cleaned_data["threshold"])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("start", _("The period starts after it ends."))
        return cleaned


class TemplateUploadForm(StyledMixin, forms.Form):
    issuer = forms.ModelChoiceField(queryset=None, label=_("Issued for"), empty_label=None)
    file = forms.FileField(label=_("Word template (.docx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".docx"}))

    def __init__(self, *args, issuers, **kwargs):
        super().__init__(*args, **kwargs)
        from fireledger.core.models import Jurisdiction

        self.fields["issuer"].queryset = Jurisdiction.objects.filter(
            pk__in=[j.pk for j in issuers])
        self.style()
