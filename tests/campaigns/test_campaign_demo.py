"""The demo campaign: seed 003's plan through the importer, this year, with its work."""

import pytest
from django.utils import timezone

from fireledger.campaigns import demo
from fireledger.campaigns.models import Assignment, Campaign, Submission
from fireledger.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_demo_campaign_is_seed_003_run_this_year(users, places):
    counts = demo.generate_demo_campaign()
    campaign = Campaign.objects.get(pk=counts["campaign"])
    year = timezone.localdate().year
    assert campaign.name.startswith(f"{year}年") and "全面除险清患" in campaign.name
    assert campaign.starts_on.year == campaign.ends_on.year == year
    assert [p.name for p in campaign.phases.all()] == ["动员部署", "全面排查", "整治攻坚", "巩固提升"]
    assert campaign.tasks.count() == 7
    assert campaign.tasks.get(number="（二）").units.get(role="lead").department.code == "shangwu"
    metrics = set(campaign.targets.values_list("metric", flat=True))
    assert {"rectified_share", "inspected_share", "spot_check_share", "manual"} <= metrics
    assert all(t.due_on.year == year for t in campaign.targets.all())
    # The fixture's one mall is fanned out to its street; monthly reports from both streets.
    assert Assignment.objects.filter(campaign=campaign).count() == counts["assignments"] == 1
    assert Submission.objects.filter(schedule__campaign=campaign).count() == counts["reports"] > 0
    assert AuditEvent.objects.filter(object_type="campaigns.campaign").exists()


def test_no_district_office_no_demo_campaign(tree):
    assert demo.generate_demo_campaign() == {}
    assert not Campaign.objects.exists()
