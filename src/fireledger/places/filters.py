"""One filter definition for the place list, its export and (later) the API."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fireledger.core.choices import LEVEL_PREFIX_LENGTH
from fireledger.core.codes import range_lookup
from fireledger.core.models import Department, Jurisdiction

from .choices import Category
from .models import DERIVED_FLAGS, FIRE_SYSTEMS, Place

# Above this many visible jurisdictions the choice list leaves out grids (a district has hundreds).
MAX_JURISDICTION_CHOICES = 200


def jurisdiction_choices(user) -> list[tuple[str, str]]:
    """The subtrees a user can narrow to, indented by level."""
    rows = list(Jurisdiction.objects.visible_to(user, "view").values_list("code", "name", "level"))
    if len(rows) > MAX_JURISDICTION_CHOICES:
        rows = [r for r in rows if r[2] != "grid"]
    indent = {"district": "", "street": "　", "community": "　　", "grid": "　　　"}
    return [(code[: LEVEL_PREFIX_LENGTH[level]], indent[level] + name) for code, name, level in rows]


class YesNoFilter(django_filters.ChoiceFilter):
    """yes / no / any on a boolean column."""

    def __init__(self, **kwargs):
        super().__init__(choices=[("true", _("yes")), ("false", _("no"))], empty_label=_("any"),
                         **kwargs)

    def filter(self, queryset, value):
        if value in ("true", "false"):
            return queryset.filter(**{self.field_name: value == "true"})
        return queryset


class PlaceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("category"),
                                           empty_label=_("all categories"))
    jurisdiction = django_filters.ChoiceFilter(method="in_subtree", label=_("jurisdiction"),
                                               empty_label=_("whole scope"))
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(),
                                                  label=_("industry department"),
                                                  empty_label=_("all departments"),
                                                  null_label=_("no department"))

    class Meta:
        model = Place
        fields = ["q", "category", "jurisdiction", "department"]

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["jurisdiction"].extra["choices"] = jurisdiction_choices(request.user)

    def search(self, queryset, name, value):
        value = value.strip().lower()
        return queryset.filter(search_text__contains=value) if value else queryset

    def in_subtree(self, queryset, name, value):
        return queryset.filter(**range_lookup("jurisdiction_code", value))


# Derived flags, the key-unit flag and fire systems filter alike: yes / no / any.
PLACE_FLAG_FILTERS = (*DERIVED_FLAGS, "is_key_unit")
for _name in (*PLACE_FLAG_FILTERS, *FIRE_SYSTEMS):
    PlaceFilter.base_filters[_name] = YesNoFilter(
        field_name=_name, label=Place._meta.get_field(_name).verbose_name)
PLACE_SYSTEM_FILTERS = FIRE_SYSTEMS


def inspected_this_year_q(today):
    """Places with a submitted inspection other than a self-inspection since 1 January of
    `today`'s year: the dashboards' inspection coverage counts exactly these."""
    from django.db.models import Exists, OuterRef

    from fireledger.inspections.choices import Kind, Status
    from fireledger.inspections.models import Inspection

    return Exists(Inspection.objects.filter(
        place_id=OuterRef("pk"), status=Status.SUBMITTED,
        inspected_on__gte=today.replace(month=1, day=1), inspected_on__lte=today,
    ).exclude(kind=Kind.SELF))


def open_major_q():
    """Places with an open major hazard (the dashboards' map)."""
    from django.db.models import Exists, OuterRef

    from fireledger.hazards import lifecycle
    from fireledger.hazards.models import Hazard

    return Exists(Hazard.objects.filter(place_id=OuterRef("pk"), is_major=True,
                                        status__in=lifecycle.OPEN_STATUSES))


def _yes_no(condition):
    def method(self, queryset, name, value):
        if value == "true":
            return queryset.filter(condition())
        if value == "false":
            return queryset.exclude(condition())
        return queryset
    return method


PlaceFilter.filter_inspected_this_year = _yes_no(
    lambda: inspected_this_year_q(timezone.localdate()))
PlaceFilter.filter_open_major_hazard = _yes_no(open_major_q)
# Activity of the place, linked to from the dashboards; shown with the flags.
PLACE_ACTIVITY_FILTERS = ("inspected_this_year", "open_major_hazard")
PlaceFilter.base_filters["inspected_this_year"] = YesNoFilter(
    method="filter_inspected_this_year", label=_("inspected this year (not self-inspection)"))
PlaceFilter.base_filters["open_major_hazard"] = YesNoFilter(
    method="filter_open_major_hazard", label=_("open major hazard"))
