"""Duties fixtures: the data migration's frequency rules, efforts and duty kinds (loaded again
after a flush)."""

import importlib

import pytest


@pytest.fixture
def duty_data(db):
    """The data migration's rows (a transactional test's flush empties them)."""
    from django.apps import apps

    importlib.import_module("fireledger.duties.migrations.0002_defaults").add(apps, None)



@pytest.fixture
def places(places):
    """The shared places, ungraded: these tests give each place its grade explicitly
    (duties_builders.grade), while the risk hook grades every place the services create."""
    from fireledger.risk.models import RiskScore

    RiskScore.objects.filter(place__in=list(places.values())).delete()
    return places
