"""Duty records: the service (period from the date, checks, audit), the calendar's computed
states, the district summary, permissions and the record form."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from fireledger.core.models import AuditEvent
from fireledger.duties import queries, services
from fireledger.duties.models import DutyKind, DutyRecord

D = dt.date
TODAY = D(2026, 11, 23)


def _kind(code):
    return DutyKind.objects.get(code=code)


def _record(user, station, code, held_on, **extra):
    extra.setdefault("summary", "组织居民开展消防逃生演练")
    return services.record_duty(user, station=station, kind=_kind(code), held_on=held_on,
                                today=TODAY, **extra)


def test_the_annex_duties_are_loaded(duty_data):
    kinds = {k.code: k for k in DutyKind.objects.all()}
    assert kinds["resident_drill"].period == "quarter"
    assert kinds["school_training"].period == "semester"
    assert kinds["publicity"].wording == "深入社区、企事业单位开展消防安全宣传每月不得少于1次"
    assert {k.period for k in kinds.values()} == {"month", "quarter", "half_year", "semester"}


def test_record_covers_the_period_of_its_date(users, tree, duty_data):
    record = _record(users["street_officer"], tree["street1"], "resident_drill", D(2026, 4, 2),
                     participants=35)
    assert (record.period_start, record.period_end) == (D(2026, 4, 1), D(2026, 6, 30))
    assert record.jurisdiction_code == tree["street1"].code
    event = AuditEvent.objects.for_object(record).get()
    assert event.actor == users["street_officer"] and event.after["participants"] == 35
    school = _record(users["street_officer"], tree["street1"], "school_training", D(2026, 1, 10))
    assert (school.period_start, school.period_end) == (D(2025, 9, 1), D(2026, 1, 31))


def test_record_rejects_bad_input(users, tree, duty_data):
    officer, street = users["street_officer"], tree["street1"]
    with pytest.raises(ValidationError) as info:
        _record(officer, street, "school_training", D(2026, 8, 10), summary=" ")
    assert set(info.value.message_dict) == {"held_on", "summary"}
    with pytest.raises(ValidationError) as info:
        _record(officer, street, "publicity", TODAY + dt.timedelta(days=1))
    assert "held_on" in info.value.message_dict
    assert not DutyRecord.objects.exists() and not AuditEvent.objects.filter(
        object_type="duties.dutyrecord").exists()


@pytest.mark.parametrize("role", ["grid_worker", "department_officer", "unit_manager", "nobody"])
def test_only_street_and_district_officers_record(users, tree, duty_data, role):
    with pytest.raises(PermissionDenied):
        _record(users[role], tree["street1"], "publicity", TODAY)


def test_a_street_officer_records_only_for_their_street(users, tree, duty_data):
    with pytest.raises(PermissionDenied):
        _record(users["street_officer"], tree["street2"], "publicity", TODAY)
    assert _record(users["district_office"], tree["street2"], "publicity", TODAY).pk


def test_calendar_states(users, tree, duty_data):
    street = tree["street1"]
    _record(users["street_officer"], street, "resident_drill", D(2026, 2, 14))  # Q1 done
    _record(users["street_officer"], street, "resident_drill", D(2026, 11, 2))  # Q4 done
    rows = dict(queries.calendar(street, 2026, TODAY))
    drill = [c.state for c in rows[_kind("resident_drill")]]
    assert drill == ["done", "overdue", "overdue", "done"]
    publicity = [c.state for c in rows[_kind("publicity")]]
    assert publicity == ["overdue"] * 10 + ["due", "upcoming"]
    school = [c.state for c in rows[_kind("school_training")]]
    assert school == ["overdue", "due"]  # autumn semester runs to 31 Jan 2027


def test_overdue_duties_and_summary(users, tree, duty_data):
    street = tree["street1"]
    for month in range(1, 11):
        _record(users["street_officer"], street, "monthly_meeting", D(2026, month, 5))
    overdue = queries.overdue_duties([street], TODAY)
    codes = {(o.kind.code, o.period.start) for o in overdue}
    assert ("monthly_meeting", D(2026, 10, 1)) not in codes
    assert ("monthly_meeting", D(2025, 12, 1)) in codes  # within the last 365 days
    assert ("publicity", D(2026, 10, 1)) in codes
    assert all(o.period.end < TODAY for o in overdue)
    kinds, rows = queries.overdue_summary([tree["street1"], tree["street2"]], TODAY, 2026)
    totals = {station.code: total for station, counts, total in rows}
    # per year: 10 months of publicity + 10 of meetings + 3 quarters × 3 quarterly kinds
    # + the first half twice + the spring semester; street 1 recorded its 10 meetings
    assert totals[tree["street2"].code] == 10 + 10 + 3 * 3 + 2 + 1
    assert totals[tree["street1"].code] == 10 + 3 * 3 + 2 + 1


@time_machine.travel(dt.datetime(2026, 11, 23, 10), tick=False)
def test_calendar_page_and_permissions(login, users, tree, duty_data):
    street = tree["street1"]
    record = _record(users["street_officer"], street, "resident_drill", D(2026, 5, 9))
    officer = login(users["street_officer"])
    body = officer.get(reverse("duties:calendar", args=[street.pk])).content.decode()
    assert 'id="cell-resident_drill-2026-04-01" data-state="done"' in body
    assert reverse("duties:record_detail", args=[record.pk]) in body
    assert 'id="cell-resident_drill-2026-07-01" data-state="overdue"' in body
    assert officer.get(reverse("duties:calendar", args=[tree["street2"].pk])).status_code == 404
    assert login(users["grid_worker"]).get(
        reverse("duties:calendar", args=[street.pk])).status_code == 404
    dept = login(users["department_officer"])
    assert dept.get(reverse("duties:calendar", args=[street.pk])).status_code == 200
    assert dept.get(reverse("duties:record_create", args=[street.pk])).status_code == 403
    assert dept.get(reverse("duties:record_detail", args=[record.pk])).status_code == 200
    assert login(users["unit_manager"]).get(
        reverse("duties:record_detail", args=[record.pk])).status_code == 404


@time_machine.travel(dt.datetime(2026, 11, 23, 10), tick=False)
def test_district_overview(login, users, tree, duty_data):
    response = login(users["district_office"]).get(reverse("duties:overview"))
    assert response.status_code == 200
    assert [s.code for s, _, _ in response.context["rows"]] == [
        tree["street1"].code, tree["street2"].code]
    response = login(users["street_officer"]).get(reverse("duties:overview"))
    assert [s.code for s, _, _ in response.context["rows"]] == [tree["street1"].code]


@time_machine.travel(dt.datetime(2026, 11, 23, 10), tick=False)
def test_record_form_saves_with_photo(login, users, tree, duty_data, photo):
    street = tree["street1"]
    client = login(users["street_officer"])
    url = reverse("duties:record_create", args=[street.pk])
    page = client.get(url, {"kind": "resident_drill", "period": "2026-07-01"})
    assert page.context["form"].initial["held_on"] == D(2026, 9, 30)
    response = client.post(url, {"kind": _kind("resident_drill").pk, "held_on": "2026-09-20",
                                 "summary": "七星岗社区居民疏散演练", "participants": "42",
                                 "attachment": photo()})
    record = DutyRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith("#cell-resident_drill-2026-07-01")
    assert (record.period_start, record.attachment_type) == (D(2026, 7, 1), "image/png")
    image = client.get(reverse("duties:attachment", args=[record.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


@time_machine.travel(dt.datetime(2026, 11, 23, 10), tick=False)
def test_record_form_names_the_bad_upload(login, users, tree, duty_data, settings):
    client = login(users["street_officer"])
    url = reverse("duties:record_create", args=[tree["street1"].pk])
    fake = SimpleUploadedFile("演练.png", b"MZ\x90\x00not an image", content_type="image/png")
    response = client.post(url, {"kind": _kind("publicity").pk, "held_on": "2026-11-20",
                                 "summary": "宣传", "attachment": fake})
    assert response.status_code == 400
    with translation.override("zh-hans"):
        expected = gettext(
            "Photo or document: {name} is not an image (JPEG, PNG, WebP, GIF) or a PDF."
        ).format(name="演练.png")
    assert response.context["form"].errors["attachment"] == [expected]
    assert not DutyRecord.objects.exists()


def test_oversized_upload_is_refused(users, tree, duty_data, monkeypatch):
    monkeypatch.setattr(services, "MAX_ATTACHMENT_BYTES", 100)
    big = SimpleUploadedFile("纪要.pdf", b"%PDF-1.7\n" + b"0" * 200, content_type="application/pdf")
    with pytest.raises(ValidationError) as info:
        _record(users["street_officer"], tree["street1"], "publicity", TODAY, attachment=big)
    assert "纪要.pdf" in info.value.message_dict["attachment"][0]
    small = SimpleUploadedFile("纪要.pdf", b"%PDF-1.7\n", content_type="application/pdf")
    record = _record(users["street_officer"], tree["street1"], "publicity", TODAY,
                     attachment=small)
    assert record.attachment_type == "application/pdf"


def test_bytes_helper():
    assert services.attachment_type(io.BytesIO(b"RIFF\x00\x00\x00\x00WEBPVP8 ")) == "image/webp"
