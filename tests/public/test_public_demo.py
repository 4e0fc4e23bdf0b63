"""The demo's public face: codes for every place, reports in each state, published results."""

import pytest

from fireledger.places import generator
from fireledger.public import demo
from fireledger.public.models import CitizenReport, Disclosure, ReportStatus, SafetyCode

pytestmark = pytest.mark.django_db


def test_the_demo_public_face(settings):
    generator.generate_demo(places=60, seed=2026)
    counts = demo.generate_demo_public(seed=2026)
    assert SafetyCode.objects.filter(revoked_at__isnull=True).count() == counts["codes"] == 60
    statuses = set(CitizenReport.objects.values_list("status", flat=True))
    assert {ReportStatus.RECEIVED, ReportStatus.ACCEPTED, ReportStatus.REJECTED} <= statuses
    assert CitizenReport.objects.get(reward="granted").status == ReportStatus.ACCEPTED
    assert Disclosure.objects.count() == counts["disclosures"]
    demo.delete_public()
    assert not CitizenReport.objects.exists() and not SafetyCode.objects.exists()
