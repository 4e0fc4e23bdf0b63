"""The admin of the hazard register's data: default deadlines and webhooks, audited."""

import pytest
from django.urls import reverse

from fireledger.core.models import AuditEvent
from fireledger.hazards.models import DeadlineRule, EscalationPolicy, Webhook


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


def test_admin_pages_open(admin_client_):
    for model in ("hazardcategory", "deadlinerule", "escalationpolicy", "webhook", "sweeprun"):
        assert admin_client_.get(reverse(f"admin:hazards_{model}_changelist")).status_code == 200


def test_changing_a_default_deadline_is_audited(admin_client_):
    rule = DeadlineRule.objects.get(category=None, is_major=False)
    response = admin_client_.post(reverse("admin:hazards_deadlinerule_change", args=[rule.pk]),
                                  {"category": "", "is_major": "", "workdays": "7"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.workdays == 7
    event = AuditEvent.objects.for_object(rule).get()
    assert event.before["workdays"] == 10 and event.after["workdays"] == 7


def test_webhook_secrets_never_reach_the_audit_trail(admin_client_, tree):
    response = admin_client_.post(reverse("admin:hazards_webhook_add"), {
        "jurisdiction": tree["street1"].pk, "name": "解放碑街道消防群", "kind": "dingtalk",
        "url": "https://oapi.dingtalk.com/robot/send?access_token=SECRET-TOKEN",
        "secret": "SECRET-SIGN", "is_active": "on"})
    assert response.status_code == 302
    event = AuditEvent.objects.for_object(Webhook.objects.get()).get()
    text = str(event.after)
    assert "SECRET" not in text and "redacted:" in text


def test_policy_is_one_row(admin_client_):
    EscalationPolicy.current()
    assert admin_client_.get(reverse("admin:hazards_escalationpolicy_add")).status_code == 403
