"""One filter definition for the hazard list (and, later, its export and the API)."""

import django_filters
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fireledger.places.filters import YesNoFilter

from . import lifecycle
from .choices import Status
from .models import Escalation, Hazard


OPEN = "open"  # every status but closed: what is still on the list


def overdue_q(on) -> Q:
    """The rule of HazardQuerySet.overdue as a Q, for filters and annotations."""
    return Q(status__in=lifecycle.DEADLINE_STATUSES, deadline__lt=on)


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

    class Meta:
        model = Hazard
        fields: list[str] = []

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
