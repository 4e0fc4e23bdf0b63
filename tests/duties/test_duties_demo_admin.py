"""The demo year of duty records, and the admin's audited, validated edits of the rules."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fireledger.core.models import AuditEvent
from fireledger.duties import demo, queries
from fireledger.duties.choices import Basis
from fireledger.duties.models import DutyRecord, FrequencyRule

TODAY = dt.date(2026, 11, 23)


def test_demo_records_a_year_with_gaps(users, tree, duty_data):
    written = demo.generate_demo_duties(today=TODAY)
    assert written == DutyRecord.objects.count() > 0
    assert AuditEvent.objects.filter(object_type="duties.dutyrecord").count() == written
    streets = [tree["street1"], tree["street2"]]
    overdue = queries.overdue_duties(streets, TODAY)
    assert overdue, "some periods are left empty"
    assert {r.recorded_by for r in DutyRecord.objects.filter(station=tree["street1"])} == {
        users["street_officer"]}
    first = sorted(DutyRecord.objects.values_list("station_id", "kind_id", "held_on"))
    demo.delete_duties()
    assert demo.generate_demo_duties(today=TODAY) == written
    assert sorted(DutyRecord.objects.values_list("station_id", "kind_id", "held_on")) == first


def test_rule_validation():
    rule = FrequencyRule(basis=Basis.GRADE, interval_months=2, valid_from=TODAY,
                         valid_to=TODAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as info:
        rule.clean()
    assert set(info.value.message_dict) == {"grade", "valid_to"}


def test_admin_edit_is_audited(client, admin_user, duty_data):
    client.force_login(admin_user)
    rule = FrequencyRule.objects.get(basis=Basis.GRADE, grade="orange")
    url = reverse("admin:duties_frequencyrule_change", args=[rule.pk])
    response = client.post(url, {"basis": "grade", "grade": "orange", "category": "",
                                 "interval_months": "2", "source_doc": rule.source_doc,
                                 "wording": "", "valid_from": "2023-01-01", "valid_to": ""})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.interval_months == 2
    event = AuditEvent.objects.for_object(rule).get()
    assert (event.before["interval_months"], event.after["interval_months"]) == (3, 2)
    response = client.post(url, {"basis": "baseline", "grade": "orange", "category": "",
                                 "interval_months": "2", "valid_from": "2023-01-01"})
    assert response.status_code == 200  # the form shows the error, nothing saved
    rule.refresh_from_db()
    assert rule.basis == Basis.GRADE
