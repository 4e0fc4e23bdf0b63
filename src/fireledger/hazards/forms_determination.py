"""Forms of the major-hazard determination: the assistant's findings and the district office's
decision. The choices come from the rule set's data; services_determination validates again."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fireledger.core.forms import DateInput, StyledMixin

from .models import Determination, DeterminationRuleSet


def plain(text: str) -> str:
    """Element texts carry the reference file's *emphasis*; the page shows plain text."""
    return text.replace("*", "")


class AssistantForm(StyledMixin, forms.Form):
    """Place classes, findings (GB 35181 elements) and exclusions claimed, for one rule set."""

    place_classes = forms.MultipleChoiceField(label=_("place classes"), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    findings = forms.MultipleChoiceField(label=_("findings"), required=False,
                                         widget=forms.CheckboxSelectMultiple)
    exclusions = forms.MultipleChoiceField(label=_("exclusions"), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("proposal note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, rule_set: DeterminationRuleSet, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule_set = rule_set
        data = rule_set.data
        self.elements = data.get("elements", [])
        self.fields["place_classes"].choices = [(c, c) for c in data.get("place_classes", [])]
        self.fields["findings"].choices = [(e["code"], e["code"]) for e in self.elements]
        self.fields["exclusions"].choices = [(x["code"], x["code"])
                                             for x in data.get("exclusions", [])]
        self.style()

    def _ticked(self, name: str) -> set[str]:
        if self.is_bound:
            return set(self.data.getlist(name)) if hasattr(self.data, "getlist") else set()
        return set(self.initial.get(name, ()))

    def sections(self) -> list[dict]:
        """The elements grouped by the rule set's sections, each with clause, text and tick."""
        ticked = self._ticked("findings")
        direct = [e for e in self.elements if e["kind"] == "direct"]
        out = []
        if direct:
            out.append({"code": "6", "title": _("Direct determination elements"), "kind": "direct",
                        "elements": [self._row(e, ticked) for e in direct]})
        for code, name in self.rule_set.data.get("groups", []):
            rows = [self._row(e, ticked) for e in self.elements
                    if e["kind"] == "comprehensive" and e["group"] == code]
            if rows:
                out.append({"code": code, "title": name, "kind": "comprehensive",
                            "elements": rows})
        return out

    @staticmethod
    def _row(element: dict, ticked: set[str]) -> dict:
        return {"code": element["code"], "text": plain(element["text"]),
                "verified": element["verified"], "checked": element["code"] in ticked}

    def class_rows(self) -> list[dict]:
        ticked = self._ticked("place_classes")
        return [{"name": c, "checked": c in ticked}
                for c in self.rule_set.data.get("place_classes", [])]

    def exclusion_rows(self) -> list[dict]:
        ticked = self._ticked("exclusions")
        return [{"code": x["code"], "text": plain(x["text"]), "checked": x["code"] in ticked}
                for x in self.rule_set.data.get("exclusions", [])]


class DecisionForm(StyledMixin, forms.Form):
    """The district office's decision with the record of the meeting it rests on."""

    decision = forms.ChoiceField(label=_("decision"), widget=forms.RadioSelect, choices=[
        ("confirm", _("Confirm: a major fire hazard")),
        ("reject", _("Reject: not a major fire hazard"))])
    basis = forms.ChoiceField(label=_("decision basis"), widget=forms.RadioSelect,
                              choices=Determination.Basis.choices)
    meeting_on = forms.DateField(label=_("meeting date"), widget=DateInput)
    participants = forms.CharField(
        label=_("participants"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: at least 3 for a collective discussion, 7 for an expert "
                    "panel."))
    experts_agreeing = forms.IntegerField(
        label=_("experts agreeing"), required=False, min_value=0,
        help_text=_("Expert panel only: how many experts agreed it is a major fire hazard "
                    "(at least two thirds to confirm)."))
    minutes = forms.CharField(label=pgettext_lazy("meeting", "minutes"),
                              widget=forms.Textarea(attrs={"rows": 4}))
    minutes_file = forms.FileField(
        label=_("minutes file"), required=False,
        help_text=_("Optional: the signed minutes as a PDF or a photo."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,image/jpeg,image/png,image/webp"}))
    note = forms.CharField(label=_("decision note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class WithdrawForm(StyledMixin, forms.Form):
    note = forms.CharField(label=_("reason"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()
