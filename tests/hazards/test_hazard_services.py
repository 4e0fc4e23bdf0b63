"""Hazard services: logging, the rectification loop, permissions, audit events in one transaction."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from fireledger.core.models import AuditEvent
from fireledger.hazards import services
from fireledger.hazards.models import Hazard

DAY = datetime.timedelta(days=1)


def events(hazard):
    return list(AuditEvent.objects.for_object(hazard).order_by("at", "id"))


def test_log_denormalises_scope_and_records_audit(places, users, log, today):
    grid = users["grid_worker"]
    hazard = log(grid, places["mall"], location_in_place="3楼东侧楼梯间", source="inspection")
    assert hazard.status == "pending" and hazard.closed_on is None
    assert hazard.jurisdiction_code == places["mall"].jurisdiction_code == "500103001001001"
    assert hazard.department_id == places["mall"].department_id
    assert hazard.found_by == grid and hazard.found_on == today
    [event] = events(hazard)
    assert event.action == "create" and event.actor == grid
    assert event.jurisdiction_code == "500103001001001"
    assert event.after["status"] == "pending" and event.after["description"] == "疏散楼梯间堆放杂物"


def test_deadline_in_the_past_is_refused_and_nothing_written(places, users, log, today):
    with pytest.raises(ValidationError) as info:
        log(users["grid_worker"], places["mall"], deadline=today - DAY)
    assert "deadline" in info.value.message_dict
    with translation.override("en"):
        assert info.value.message_dict["deadline"] == [
            "The rectification deadline cannot be in the past."]
    assert not Hazard.objects.exists()
    assert not AuditEvent.objects.filter(object_type="hazards.hazard").exists()


def test_deadline_today_is_accepted(places, users, log, today):
    assert log(users["grid_worker"], places["mall"], deadline=today).deadline == today


def test_no_deadline_given_takes_the_default_rule(places, users, log, today):
    from fireledger.core.calendar import add_workdays

    hazard = log(users["grid_worker"], places["mall"], deadline=None)
    assert hazard.deadline == add_workdays(today, 10)


def test_found_in_the_future_is_refused(places, users, log, today):
    with pytest.raises(ValidationError) as info:
        log(users["grid_worker"], places["mall"], found_on=today + DAY)
    assert "found_on" in info.value.message_dict


def test_major_hazard_needs_interim_safeguards(places, users, log):
    with pytest.raises(ValidationError) as info:
        log(users["street_officer"], places["mall"], is_major=True, interim_safeguards="  ")
    assert "interim_safeguards" in info.value.message_dict
    assert not Hazard.objects.exists()
    hazard = log(users["street_officer"], places["mall"], is_major=True,
                 interim_safeguards="设专人值守，配置灭火器")
    assert hazard.is_major and hazard.status == "pending"


def test_fixed_on_the_spot_is_closed_on_the_day_found(places, users, log, today):
    found = today - 2 * DAY
    hazard = log(users["grid_worker"], places["mall"], fixed_on_spot=True, found_on=found,
                 deadline=today + DAY)
    assert hazard.status == "closed" and hazard.closed_on == found and hazard.deadline is None
    assert not hazard.is_open
    assert events(hazard)[0].after["status"] == "closed"


def test_invalid_field_value_is_a_validation_error(places, users, log):
    with pytest.raises(ValidationError) as info:
        log(users["grid_worker"], places["mall"], source="rumour")
    assert "source" in info.value.message_dict


def test_fields_the_service_owns_cannot_be_passed(places, users, log):
    with pytest.raises(TypeError):
        log(users["grid_worker"], places["mall"], status="closed")
    with pytest.raises(TypeError):
        log(users["grid_worker"], places["mall"], jurisdiction_code="500103002001001")


@pytest.mark.parametrize("role, place", [
    ("street_officer", "hotel"),  # another street
    ("grid_worker", "compound"),  # another grid
    ("department_officer", "compound"),  # another industry
    ("unit_manager", "mall"),  # units view, they do not log
    ("nobody", "mall"),
])
def test_logging_outside_change_scope_is_refused(places, users, log, role, place):
    with pytest.raises(PermissionDenied):
        log(users[role], places[place])
    assert not Hazard.objects.exists()


def test_the_whole_loop_with_audit_trail(places, users, log, today, photo):
    hazard = log(users["grid_worker"], places["mall"])
    unit = users["unit_manager"]
    services.transition(unit, hazard, "start", responsible_unit="重庆解放碑物业管理有限公司",
                        responsible_person="张三", responsible_phone="13800000000",
                        measures="清理杂物", funding_source="企业自筹", funding_amount=2000)
    assert hazard.status == "rectifying" and hazard.responsible_person == "张三"
    services.transition(unit, hazard, "report_rectification", note="已清理完毕")
    assert hazard.status == "awaiting_verification"
    assert hazard.rectification_reported_by == unit and hazard.rectification_reported_on == today
    services.transition(users["street_officer"], hazard, "verify_pass", photos=[photo()])
    assert hazard.status == "closed" and hazard.closed_on == today
    assert hazard.verified_by == users["street_officer"] and hazard.verified_on == today
    trail = events(hazard)
    assert [e.action for e in trail] == ["create", "change", "change", "change"]
    assert [e.note for e in trail[1:]] == [
        "start", "report_rectification: 已清理完毕", "verify_pass"]
    assert trail[-1].before["status"] == "awaiting_verification"
    assert trail[-1].after["status"] == "closed" and trail[-1].after["closed_on"] == str(today)
    assert trail[1].after["funding_amount"] == "2000.00"
    assert "updated_at" not in trail[1].after


def test_report_straight_from_pending(places, users, log):
    hazard = log(users["grid_worker"], places["mall"])
    services.transition(users["grid_worker"], hazard, "report_rectification", measures="已清理")
    assert hazard.status == "awaiting_verification"


def test_report_needs_measures(places, users, log):
    hazard = log(users["grid_worker"], places["mall"])
    with pytest.raises(ValidationError) as info:
        services.transition(users["unit_manager"], hazard, "report_rectification")
    assert "measures" in info.value.message_dict
    hazard.refresh_from_db()
    assert hazard.status == "pending"


def test_verifying_your_own_rectification_is_refused(places, users, log, photo):
    officer = users["street_officer"]
    hazard = log(officer, places["mall"])
    services.transition(officer, hazard, "report_rectification", measures="已清理")
    for action, extra in (("verify_pass", {}), ("verify_fail", {"note": "未清理干净"})):
        with pytest.raises(ValidationError) as info:
            services.transition(officer, hazard, action, **extra)
        assert info.value.code == "own_rectification"
        with translation.override("en"):
            assert "someone other than the person who reported it" in info.value.messages[0]
    hazard.refresh_from_db()
    assert hazard.status == "awaiting_verification" and hazard.verified_by is None
    assert len(events(hazard)) == 2
    services.transition(users["district_office"], hazard, "verify_pass", photos=[photo()])
    assert hazard.status == "closed"


def test_failed_verification_goes_back_with_a_reason(places, users, log, today):
    hazard = log(users["grid_worker"], places["mall"])
    services.transition(users["unit_manager"], hazard, "report_rectification", measures="已清理")
    with pytest.raises(ValidationError) as info:
        services.transition(users["street_officer"], hazard, "verify_fail")
    assert "note" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.transition(users["street_officer"], hazard, "verify_fail", note="仍有杂物",
                            deadline=today - DAY)
    assert "deadline" in info.value.message_dict
    services.transition(users["street_officer"], hazard, "verify_fail", note="仍有杂物",
                        deadline=today + 5 * DAY)
    assert hazard.status == "rectifying" and hazard.deadline == today + 5 * DAY
    assert hazard.closed_on is None
    assert events(hazard)[-1].note == "verify_fail: 仍有杂物"


def test_reopen_counts_a_rebound(places, users, log, today, photo):
    hazard = log(users["grid_worker"], places["mall"], fixed_on_spot=True)
    with pytest.raises(ValidationError) as info:
        services.transition(users["street_officer"], hazard, "reopen")
    assert "deadline" in info.value.message_dict
    services.transition(users["street_officer"], hazard, "reopen", deadline=today + 7 * DAY)
    assert hazard.status == "rectifying" and hazard.reopen_count == 1
    assert hazard.closed_on is None and hazard.deadline == today + 7 * DAY
    services.transition(users["unit_manager"], hazard, "report_rectification", measures="再次清理")
    services.transition(users["street_officer"], hazard, "verify_pass", photos=[photo()])
    services.transition(users["street_officer"], hazard, "reopen", deadline=today + 7 * DAY)
    assert hazard.reopen_count == 2 and hazard.rectification_reported_by is None


def test_cannot_rectify_needs_an_explanation_and_stays_open(places, users, log, today):
    hazard = log(users["street_officer"], places["mall"])
    with pytest.raises(ValidationError) as info:
        services.transition(users["street_officer"], hazard, "declare_cannot_rectify")
    assert "cannot_rectify_reason" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.transition(users["street_officer"], hazard, "declare_cannot_rectify",
                            cannot_rectify_reason="建筑结构限制", review_on=today - DAY)
    assert "review_on" in info.value.message_dict
    services.transition(users["street_officer"], hazard, "declare_cannot_rectify",
                        cannot_rectify_reason="建筑结构限制，无法增设疏散楼梯",
                        review_on=today + 30 * DAY)
    assert hazard.status == "cannot_rectify" and hazard.is_open
    assert Hazard.objects.open().filter(pk=hazard.pk).exists()
    services.transition(users["street_officer"], hazard, "resume", deadline=today + 30 * DAY)
    assert hazard.status == "rectifying"


def test_a_step_the_table_does_not_allow_is_refused(places, users, log, photo):
    hazard = log(users["grid_worker"], places["mall"])
    with pytest.raises(ValidationError) as info:
        services.transition(users["street_officer"], hazard, "verify_pass", photos=[photo()])
    assert info.value.code == "invalid_transition"
    with translation.override("en"):
        assert info.value.messages == [
            "This step is not possible while the hazard is “awaiting rectification”."]
    assert info.value.messages == ["隐患处于“待整改”状态，不能进行此操作。"]
    hazard.refresh_from_db()
    assert hazard.status == "pending" and len(events(hazard)) == 1


def test_unknown_action_or_detail_is_a_programming_error(places, users, log):
    hazard = log(users["grid_worker"], places["mall"])
    with pytest.raises(ValueError):
        services.transition(users["street_officer"], hazard, "close")
    with pytest.raises(TypeError):
        services.transition(users["street_officer"], hazard, "start", status="closed")
    with pytest.raises(TypeError):
        services.transition(users["street_officer"], hazard, "verify_pass", reopen_count=0)


def test_stale_object_uses_the_locked_row(places, users, log):
    hazard = log(users["grid_worker"], places["mall"])
    stale = Hazard.objects.get(pk=hazard.pk)
    services.transition(users["unit_manager"], hazard, "start")
    with pytest.raises(ValidationError):
        services.transition(users["unit_manager"], stale, "start")
    services.transition(users["unit_manager"], stale, "report_rectification", measures="x")
    assert stale.status == "awaiting_verification"


@pytest.mark.parametrize("role, allowed", [
    ("district_office", True), ("street_officer", True), ("grid_worker", True),
    ("department_officer", True), ("unit_manager", False), ("nobody", False),
])
def test_who_may_verify_at_the_mall(places, users, admin_user, log, role, allowed, photo):
    hazard = log(admin_user, places["mall"])
    services.transition(admin_user, hazard, "report_rectification", measures="x")
    if allowed:
        services.transition(users[role], hazard, "verify_pass", photos=[photo()])
        assert hazard.status == "closed"
    else:
        with pytest.raises(PermissionDenied):
            services.transition(users[role], hazard, "verify_pass", photos=[photo()])


def test_unit_manager_only_for_their_own_units_places(places, users, log):
    unit = users["unit_manager"]
    compound = log(users["street_officer"], places["compound"])  # not managed by the unit
    with pytest.raises(PermissionDenied):
        services.transition(unit, compound, "start")
    mall = log(users["street_officer"], places["mall"])
    for action in ("declare_cannot_rectify",):
        with pytest.raises(PermissionDenied):
            services.transition(unit, mall, action, cannot_rectify_reason="x")


def test_an_open_major_hazard_keeps_its_interim_safeguards(places, users, log):
    hazard = log(users["street_officer"], places["mall"], is_major=True,
                 interim_safeguards="设专人值守")
    with pytest.raises(ValidationError) as info:
        services.transition(users["unit_manager"], hazard, "start", interim_safeguards=" ")
    assert "interim_safeguards" in info.value.message_dict
    services.transition(users["unit_manager"], hazard, "start", interim_safeguards="设专人24小时值守")
    assert hazard.interim_safeguards == "设专人24小时值守"


def test_moving_the_place_moves_its_hazards_scope(places, users, log, tree):
    hazard = log(users["grid_worker"], places["mall"])
    from fireledger.places import services as place_services

    place_services.change_place(users["district_office"], places["mall"], jurisdiction=tree["grid211"])
    hazard.refresh_from_db()
    assert hazard.jurisdiction_code == tree["grid211"].code
    assert not Hazard.objects.visible_to(users["street_officer"], "view").filter(pk=hazard.pk).exists()
