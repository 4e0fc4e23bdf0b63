"""One filter definition for the hazard list (and, later, its export and the API)."""

import django_filters
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fireledger.places.filters import YesNoFilter

from . import lifecycle
from .choices import Status
from .models import Hazard


def overdue_q(on) -> Q:
    """The rule of HazardQuerySet.overdue as a Q, for filters and annotations."""
    return Q(status__in=lifecycle.DEADLINE_STATUSES, deadline__lt=on)


def with_overdue(queryset, on=None):
    """Annotate `overdue` (computed by the query, never stored)."""
    on = on or timezone.localdate()
    return queryset.annotate(overdue=Case(When(overdue_q(on), then=Value(True)),
                                          default=Value(False), output_field=BooleanField()))


class HazardFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("status"),
                                         empty_label=_("any"))
    overdue = YesNoFilter(method="filter_overdue", label=_("overdue"))
    is_major = YesNoFilter(field_name="is_major", label=_("major hazard"))

    class Meta:
        model = Hazard
        fields: list[str] = []

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        if value == "true":
            return queryset.filter(overdue_q(today))
        if value == "false":
            return queryset.exclude(overdue_q(today))
        return queryset
