"""Helpers for the duties tests: risk scores and inspections made directly."""

from django.utils import timezone

from fireledger.inspections.choices import Kind, Status
from fireledger.inspections.models import Inspection
from fireledger.risk.models import RiskScore


def grade(place, value):
    return RiskScore.objects.update_or_create(
        place=place, defaults={"jurisdiction_code": place.jurisdiction_code, "score": 50,
                               "grade": value})[0]


def inspect(place, on, kind=Kind.SWEEP, status=Status.SUBMITTED):
    return Inspection.objects.create(
        place=place, jurisdiction_code=place.jurisdiction_code,
        department_id=place.department_id, kind=kind, status=status, inspected_on=on,
        submitted_at=timezone.now() if status == Status.SUBMITTED else None)
