"""The place form: a ModelForm whose jurisdiction choices are the user's scope."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fireledger.core.models import Jurisdiction

from .choices import ListedBy
from .models import Place

UNIT_FIELDS = {"owner": _("owner unit"), "manager": _("manager unit"), "occupant": _("occupant unit")}

SECTIONS = [
    (_("Basic information"), ["name", "category", "building_use", "jurisdiction", "address",
                              "building_name", "department", "code", "is_key_unit",
                              "listed_by"]),
    (_("Parties and responsible persons"), ["owner_name", "manager_name", "occupant_name",
                                            "responsible_person", "responsible_phone",
                                            "safety_manager", "safety_manager_phone",
                                            "has_property_management"]),
    (_("Building"), ["height_m", "floors_above", "floors_below", "area_above", "area_below",
                     "area_total", "year_built", "guest_rooms", "beds", "latitude", "longitude"]),
    (_("Fire systems"), ["has_fire_alarm", "has_sprinkler", "has_hydrant", "has_smoke_control",
                         "has_micro_station"]),
    (_("Notes"), ["survey_hazards", "notes"]),
]


class PlaceForm(forms.ModelForm):
    owner_name = forms.CharField(label=UNIT_FIELDS["owner"], required=False, max_length=200)
    manager_name = forms.CharField(label=UNIT_FIELDS["manager"], required=False, max_length=200)
    occupant_name = forms.CharField(label=UNIT_FIELDS["occupant"], required=False, max_length=200)

    class Meta:
        model = Place
        fields = [
            "name", "category", "building_use", "jurisdiction", "address", "building_name",
            "department", "code", "is_key_unit", "listed_by", "responsible_person",
            "responsible_phone", "safety_manager", "safety_manager_phone",
            "has_property_management", "height_m",
            "floors_above", "floors_below", "area_above", "area_below", "area_total",
            "year_built", "guest_rooms", "beds", "latitude", "longitude", "has_fire_alarm",
            "has_sprinkler", "has_hydrant", "has_smoke_control", "has_micro_station",
            "survey_hazards", "notes",
        ]
        widgets = {
            "survey_hazards": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = Jurisdiction.objects.visible_to(user, action)
        self.fields["code"].required = False
        self.fields["code"].help_text = _("Leave blank to number it automatically")
        self.fields["listed_by"].choices = [("", _("neither")), *ListedBy.choices]
        self.fields["listed_by"].help_text = _(
            "Who lists the unit for fire supervision: hazards found here are copied to them "
            "within 3 working days")
        for unit in UNIT_FIELDS:
            if self.instance.pk and getattr(self.instance, f"{unit}_id"):
                self.fields[f"{unit}_name"].initial = getattr(self.instance, unit).name
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            field.widget.attrs.setdefault("class", css)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in SECTIONS]

    def unit_names(self) -> dict[str, str]:
        return {unit: self.cleaned_data.get(f"{unit}_name", "") for unit in UNIT_FIELDS}
