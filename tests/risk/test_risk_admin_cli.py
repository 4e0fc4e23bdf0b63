"""The policy in the admin (every save a new audited version) and `fireledger risk`."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from fireledger.risk import index
from fireledger.risk.models import RiskPolicy, RiskScore

pytestmark = pytest.mark.django_db


def post(client, url, weights, red=60, orange=40, yellow=20):
    return client.post(url, {"weights": json.dumps(weights), "red_from": red,
                             "orange_from": orange, "yellow_from": yellow, "note": "测试"})


def test_admin_saves_new_versions(client, admin_user):
    client.force_login(admin_user)
    assert post(client, "/admin/risk/riskpolicy/add/", index.DEFAULT_WEIGHTS).status_code == 302
    first = RiskPolicy.objects.get()
    changed = {**index.DEFAULT_WEIGHTS, "open_major": 40}
    response = post(client, f"/admin/risk/riskpolicy/{first.pk}/change/", changed, red=70)
    assert response.status_code == 302
    first.refresh_from_db()
    latest = RiskPolicy.objects.get(in_force=True)
    assert (first.version, first.in_force, first.red_from) == (1, False, 60)
    assert (latest.version, latest.weights["open_major"], latest.red_from) == (2, 40, 70)


def test_admin_refuses_a_bad_policy_and_keeps_nothing(client, admin_user):
    client.force_login(admin_user)
    response = post(client, "/admin/risk/riskpolicy/add/", {**index.DEFAULT_WEIGHTS,
                                                           "overdue": -3}, red=10, orange=20)
    assert response.status_code == 200
    errors = str(response.context["adminform"].form.non_field_errors())
    assert "overdue" in errors
    assert not RiskPolicy.objects.exists()


def test_command_recomputes_every_place(places):
    RiskScore.objects.all().delete()
    out = StringIO()
    call_command("risk", "--no-progress", stdout=out)
    assert RiskScore.objects.count() == 3
    assert "3" in out.getvalue()
