"""One filter definition for the hazard list (and, later, its export and the API)."""

import datetime

import django_filters
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fireledger.core.codes import range_lookup
from fireledger.core.forms import DateInput
from fireledger.core.models import Department
from fireledger.places.filters import YesNoFilter, jurisdiction_choices

from . import lifecycle
from .choices import CategoryGroup, Status
from .models import Escalation, Hazard


OPEN = "open"  # every status but closed: what is still on the list


def overdue_q(on) -> Q:
    """The rule of HazardQuerySet.overdue as a Q, for filters and annotations."""
    return Q(status__in=lifecycle.DEADLINE_STATUSES, deadline__lt=on)


# Age of a hazard (days since found) in the dashboards' buckets: key → (min days, max days).
AGE_BUCKETS = {"0_30": (0, 30), "31_90": (31, 90), "91_180": (91, 180), "181": (181, None)}
AGE_LABELS = {"0_30": _("up to 30 days"), "31_90": _("31–90 days"), "91_180": _("91–180 days"),
              "181": _("over 180 days")}


def age_q(bucket: str, today) -> Q:
    """Hazards found between the bucket's min and max days before `today` (the dashboards'
    age buckets and the list filter share this rule)."""
    low, high = AGE_BUCKETS[bucket]
    q = Q(found_on__lte=today - datetime.timedelta(days=low))
    if high is not None:
        q &= Q(found_on__gte=today - datetime.timedelta(days=high))
    return q


def with_overdue(queryset, on=None):
    """Annotate `overdue` (computed by the query, never stored)."""
    on = on or timezone.localdate()
    return queryset.annotate(overdue=Case(When(overdue_q(on), then=Value(True)),
                                          default=Value(False), output_field=BooleanField()))


def attach_rungs(hazards) -> list:
    """Set `rung` on hazards already loaded (a page of a list): one query for all of them.

    Done after paging rather than as an annotation: a sorted list would otherwise work out the
    rung of every row in scope before the page is cut (half a second for a district).
    """
    hazards = list(hazards)
    reached = set(Escalation.objects.filter(
        hazard_id__in=[h.pk for h in hazards],
        step__in=(Escalation.Step.STREET, Escalation.Step.DISTRICT),
    ).values_list("hazard_id", "step", "deadline"))
    for hazard in hazards:
        hazard.rung = next((step for step in (Escalation.Step.DISTRICT, Escalation.Step.STREET)
                            if (hazard.pk, step, hazard.deadline) in reached), "")
    return hazards


class HazardFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[(OPEN, _("open (not closed)")), *Status.choices], method="filter_status",
        label=_("status"), empty_label=_("any"))
    overdue = YesNoFilter(method="filter_overdue", label=_("overdue"))
    is_major = YesNoFilter(field_name="is_major", label=_("major hazard"))
    supervision = django_filters.ChoiceFilter(
        choices=[("street", _("street supervision")), ("district", _("district supervision")),
                 ("listed", _("listed supervision"))],
        method="filter_supervision", label=_("supervision"), empty_label=_("any"))
    # The dashboards link every number to this list with these filters.
    jurisdiction = django_filters.ChoiceFilter(method="in_subtree", label=_("jurisdiction"),
                                               empty_label=_("whole scope"))
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=_("industry department"),
        empty_label=_("all departments"), null_label=_("no department"))
    category_group = django_filters.ChoiceFilter(
        field_name="category__group", choices=CategoryGroup.choices, label=_("category group"),
        empty_label=_("any"))
    age = django_filters.ChoiceFilter(choices=list(AGE_LABELS.items()), method="filter_age",
                                      label=_("days since found"), empty_label=_("any"))
    found_from = django_filters.DateFilter(field_name="found_on", lookup_expr="gte",
                                           label=_("found from"), widget=DateInput())
    found_to = django_filters.DateFilter(field_name="found_on", lookup_expr="lte",
                                         label=_("found until"), widget=DateInput())
    closed_from = django_filters.DateFilter(field_name="closed_on", lookup_expr="gte",
                                            label=_("closed from"), widget=DateInput())
    closed_to = django_filters.DateFilter(field_name="closed_on", lookup_expr="lte",
                                          label=_("closed until"), widget=DateInput())

    class Meta:
        model = Hazard
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.filters["jurisdiction"].extra["choices"] = (
            jurisdiction_choices(user) if user is not None else [])

    def in_subtree(self, queryset, name, value):
        return queryset.filter(**range_lookup("jurisdiction_code", value))

    def filter_age(self, queryset, name, value):
        return queryset.filter(age_q(value, timezone.localdate())) if value else queryset

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.open()
        return queryset.filter(status=value) if value else queryset

    def filter_supervision(self, queryset, name, value):
        """Hazards still being rectified at that rung of the ladder for their current deadline."""
        still_due = queryset.filter(status__in=lifecycle.DEADLINE_STATUSES)
        if value in ("street", "district"):
            return still_due.with_rung().filter(rung=value)
        if value == "listed":
            return queryset.filter(status__in=lifecycle.OPEN_STATUSES,
                                   listing__decision="listed", listing__lifted_on__isnull=True)
        return queryset

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        if value == "true":
            return queryset.filter(overdue_q(today))
        if value == "false":
            return queryset.exclude(overdue_q(today))
        return queryset
