"""Place services: one write path, derived flags, audit events in the same transaction."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation

from fireledger.core.models import AuditEvent
from fireledger.places import services
from fireledger.places.models import KeyUnitCriterion, Place


def test_create_records_audit_and_derived_flags(places, admin_user):
    mall = places["mall"]
    assert mall.jurisdiction_code == "500103001001001"
    assert mall.is_mall_in_focus and mall.is_high_rise and mall.suggested_key_unit
    with translation.override("en"):  # reasons render in the active language (zh-hans default)
        assert "24 m" in mall.reason("is_high_rise")
    assert "1000" in mall.reason("suggested_key_unit")
    event = AuditEvent.objects.for_object(mall).get()
    assert event.action == "create" and event.actor == admin_user
    assert event.after["name"] == "解放碑时代广场"


def test_change_records_only_changed_fields(places, users):
    mall = places["mall"]
    services.change_place(users["street_officer"], mall, height_m=20, floors_above=6)
    mall.refresh_from_db()
    assert not mall.is_high_rise
    event = AuditEvent.objects.for_object(mall).filter(action="change").get()
    assert set(event.before) == {"height_m", "floors_above", "is_high_rise", "flag_reasons"}
    assert event.before["height_m"] == "98.0" and event.after["height_m"] == "20.0"


def test_change_outside_scope_is_refused_and_nothing_written(places, users):
    hotel = places["hotel"]
    with pytest.raises(PermissionDenied):
        services.change_place(users["street_officer"], hotel, name="改名")
    hotel.refresh_from_db()
    assert hotel.name == "七星岗宾馆"
    assert not AuditEvent.objects.for_object(hotel).filter(action="change").exists()


def test_moving_a_place_out_of_scope_is_refused(places, users, tree):
    with pytest.raises(PermissionDenied):
        services.change_place(users["street_officer"], places["mall"], jurisdiction=tree["street2"])
    assert Place.objects.get(pk=places["mall"].pk).jurisdiction_code.startswith("500103001")


def test_department_officer_only_within_industry(places, users, tree):
    officer = users["department_officer"]
    services.change_place(officer, places["mall"], safety_manager="王五")
    with pytest.raises(PermissionDenied):
        services.change_place(officer, places["compound"], safety_manager="王五")


def test_invalid_data_is_a_validation_error(tree, admin_user):
    with pytest.raises(ValidationError):
        services.create_place(admin_user, name="", category="mall", jurisdiction=tree["grid111"])
    with pytest.raises(ValidationError):
        services.create_place(admin_user, name="x", category="no-such", jurisdiction=tree["grid111"])
    assert not Place.objects.exists() and not AuditEvent.objects.exists()


def test_duplicate_code_refused(places, admin_user, tree):
    with pytest.raises(ValidationError):
        services.create_place(admin_user, name="重复", category="mall", jurisdiction=tree["grid111"],
                              code=places["mall"].code)


def test_delete_keeps_last_state_in_audit(places, users):
    pk = places["compound"].pk
    services.delete_place(users["district_office"], places["compound"])
    assert not Place.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.filter(object_type="places.place", object_id=str(pk), action="delete").get()
    assert event.before["name"] == "新华路12号院"


def test_street_officer_may_not_delete(places, users):
    with pytest.raises(PermissionDenied):
        services.delete_place(users["street_officer"], places["compound"])


def test_audit_is_rolled_back_with_the_write(tree, admin_user):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.create_place(admin_user, name="回滚", category="mall", jurisdiction=tree["grid111"])
        raise RuntimeError
    assert not Place.objects.exists() and not AuditEvent.objects.exists()


def test_audit_events_are_append_only(places):
    event = AuditEvent.objects.first()
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().update(note="x")
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().delete()


def test_regional_criteria_replace_national(tree, admin_user):
    """北京-style raise: 商场 ≥ 3000 m² in this district replaces the national 1000 m²."""
    KeyUnitCriterion.objects.create(region="500103", category="mall", metric="area_above",
                                    threshold=3000, label="商场地上建筑面积", source_doc="地方标准")
    small = services.create_place(admin_user, name="小商场", category="mall",
                                  jurisdiction=tree["grid111"], area_above=2000)
    big = services.create_place(admin_user, name="大商场", category="mall",
                                jurisdiction=tree["grid111"], area_above=3000)
    assert not small.suggested_key_unit and big.suggested_key_unit
    assert "地方标准" in big.reason("suggested_key_unit")


def test_criteria_out_of_force_are_ignored(tree, admin_user):
    import datetime
    KeyUnitCriterion.objects.filter(category="hotel").update(valid_to=datetime.date(2020, 1, 1))
    hotel = services.create_place(admin_user, name="宾馆", category="hotel",
                                  jurisdiction=tree["grid111"], guest_rooms=80)
    assert not hotel.suggested_key_unit


def test_search_text_has_pinyin_initials(places):
    assert "jfbsdgc" in places["mall"].search_text


def test_bulk_create_writes_one_audit_event_per_place(tree, admin_user):
    rows = [Place(name=f"九小场所{i}", category="nine_small", jurisdiction=tree["grid111"]) for i in range(5)]
    services.bulk_create_places(admin_user, rows, note="导入")
    assert Place.objects.count() == 5
    assert AuditEvent.objects.filter(action="create", note="导入").count() == 5


def test_bulk_create_refuses_out_of_scope(tree, users):
    rows = [Place(name="越界", category="nine_small", jurisdiction=tree["grid211"])]
    with pytest.raises(PermissionDenied):
        services.bulk_create_places(users["street_officer"], rows)
