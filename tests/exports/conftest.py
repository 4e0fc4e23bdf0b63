"""Export fixtures: hazards over the shared places (the hazards app's `log` helper, again)."""

import datetime

import pytest
from django.utils import timezone

from fireledger.hazards import services
from fireledger.hazards.models import HazardCategory


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def log(db, today):
    """log(actor, place, **overrides): a general hazard due in ten days."""
    categories = {c.code: c for c in HazardCategory.objects.all()}

    def _log(actor, place, **data):
        data.setdefault("category", categories["hr.03.1"])
        data.setdefault("description", "疏散楼梯间堆放杂物")
        if not data.get("fixed_on_spot"):
            data.setdefault("deadline", today + datetime.timedelta(days=10))
        return services.log_hazard(actor, place, **data)
    return _log
