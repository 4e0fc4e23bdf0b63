"""Demo data: one bulletin of the demo district for last month, issued through the service by
the demo district office (or the admin), after the demo hazards and inspections exist."""

from __future__ import annotations

import datetime

from django.utils import timezone


def issue_demo_bulletin(today: datetime.date | None = None):
    """Issue (once) the demo district's bulletin for the month before `today`; returns it, or
    None when the demo district or its users are missing. Deterministic for a given date."""
    from fireledger.core.models import Jurisdiction, User
    from fireledger.places.generator import DEMO_DISTRICT

    from . import services_bulletins
    from .models import Bulletin

    today = today or timezone.localdate()
    end = today.replace(day=1) - datetime.timedelta(days=1)
    start = end.replace(day=1)
    district = Jurisdiction.objects.filter(code__startswith=DEMO_DISTRICT[0],
                                           level="district").first()
    actor = (User.objects.filter(username="district").first()
             or User.objects.filter(is_superuser=True).order_by("pk").first())
    if district is None or actor is None:
        return None
    existing = Bulletin.objects.filter(issuer=district, period_start=start,
                                       period_end=end).first()
    if existing is not None:
        return existing
    return services_bulletins.issue_bulletin(
        actor, district, start, end,
        requirements="各街道、各行业部门要对照通报问题，逐项制定整改措施，"
                     "于下月20日前将整改情况报区消安委办。")


def delete_bulletins() -> None:
    """For `fireledger demo --reset`, before jurisdictions go: bulletins and templates PROTECT
    their issuer."""
    from .models import Bulletin, BulletinTemplate

    Bulletin.objects.all().delete()
    BulletinTemplate.objects.all().delete()
