"""Inspection services: checklist versions, drafts saved as the inspector goes, photos and
signatures, submission turning failed items into hazards in one transaction, self-inspection
commitments, invitations for units without a login, and re-inspections."""

import base64
import datetime
import io
import uuid
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from fireledger.core.calendar import add_workdays
from fireledger.core.models import AuditEvent
from fireledger.hazards import lifecycle
from fireledger.hazards import services as hazard_services
from fireledger.hazards.models import Hazard, HazardCategory, HazardPhoto
from fireledger.inspections import services
from fireledger.inspections.models import (
    ChecklistTemplate,
    Commitment,
    Inspection,
    InspectionResult,
    Invitation,
    ResultPhoto,
    Signature,
)
from fireledger.places.choices import Category

DAY = datetime.timedelta(days=1)
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def results(inspection) -> dict:
    """The inspection's results by item number, fresh from the database."""
    return {r.number: r for r in inspection.results.select_related("hazard")
            .order_by("sort_order", "pk")}


def label(result) -> str:
    """How a problem message names an item."""
    return f"{result.number} {result.text[:30]}"


def at_noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=SHANGHAI)


def drawn_png() -> str:
    """A canvas's toDataURL(): a small real PNG."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (60, 20), 255).save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def events(object_type, **filters):
    return list(AuditEvent.objects.filter(object_type=object_type, **filters).order_by("at", "id"))


def log_directly(actor, place, today, **data):
    """A hazard logged outside any inspection (the hazard register's own form)."""
    data.setdefault("category", HazardCategory.objects.get(code="hr.03.1"))
    data.setdefault("description", "走道堆放杂物")
    data.setdefault("deadline", today + 10 * DAY)
    return hazard_services.log_hazard(actor, place, **data)


# --- checklist versions ----------------------------------------------------------------

def test_first_snapshot_is_version_1_with_the_items(checklist, version):
    assert version.version == 1 and version.name == checklist.name
    assert [i["number"] for i in version.items] == ["1", "2", "3", "4"]
    assert version.items[1]["workdays"] == 1 and version.items[2]["is_major"] is True
    assert checklist.current_version() == version
    [event] = events("inspections.checklistversion", object_id=str(version.pk))
    assert event.action == "create"


def test_unchanged_items_keep_the_same_version(checklist, version, admin_user):
    again = services.snapshot_version(admin_user, checklist)
    assert again.pk == version.pk and checklist.versions.count() == 1


def test_an_edited_item_makes_version_2_and_an_earlier_inspection_keeps_its_texts(
        checklist, version, admin_user, users, start):
    inspection = start(users["street_officer"])
    item = checklist.items.get(number="1")
    item.text = "疏散楼梯间无杂物堆放、无电动自行车停放"
    item.save()

    v2 = services.snapshot_version(admin_user, checklist)
    assert v2.version == 2 and v2.items[0]["text"] == item.text
    assert checklist.current_version() == v2
    version.refresh_from_db()
    assert version.items[0]["text"] == "疏散楼梯间无杂物堆放"
    inspection.refresh_from_db()
    assert inspection.version == version
    assert results(inspection)["1"].text == "疏散楼梯间无杂物堆放"
    assert results(start(users["street_officer"], version=v2))["1"].text == item.text


def test_templates_for_filters_by_place_category_and_in_use(checklist, places):
    ChecklistTemplate.objects.create(code="test-hotel", name="宾馆检查表",
                                     place_categories=[Category.HOTEL])
    ChecklistTemplate.objects.create(code="test-mall-old", name="旧商场检查表",
                                     place_categories=[Category.MALL], is_active=False)
    ours = {"test-mall", "test-hotel", "test-mall-old"}  # the seeded checklists aside

    def codes(place):
        return [t.code for t in services.templates_for(places[place]) if t.code in ours]

    assert codes("mall") == ["test-mall"]
    assert codes("hotel") == ["test-hotel"]
    assert codes("compound") == []


# --- starting an inspection ------------------------------------------------------------

def test_start_copies_the_version_items_into_results(start, users, places, version, today):
    inspection = start(users["street_officer"])
    assert inspection.status == "draft" and inspection.kind == "sweep"
    assert inspection.inspected_on == today and inspection.created_by == users["street_officer"]
    assert inspection.jurisdiction_code == places["mall"].jurisdiction_code
    assert inspection.department_id == places["mall"].department_id
    assert inspection.unit_name == "重庆解放碑物业管理有限公司"
    assert [(r.number, r.area, r.text, r.category_id, r.is_major, r.workdays, r.outcome)
            for r in results(inspection).values()] == [
        (i["number"], i["area"], i["text"], i["category_id"], i["is_major"], i["workdays"], "")
        for i in version.items]
    [event] = events("inspections.inspection", object_id=str(inspection.pk))
    assert event.action == "create" and event.actor == users["street_officer"]


@pytest.mark.parametrize("role, place, kind", [
    ("grid_worker", "mall", "sweep"),
    ("street_officer", "mall", "sweep"),
    ("street_officer", "mall", "self"),
    ("department_officer", "mall", "department"),
    ("district_office", "mall", "unannounced"),
    ("unit_manager", "mall", "self"),  # its own place's self-inspection
])
def test_who_may_start_an_inspection(start, users, role, place, kind):
    inspection = start(users[role], place, kind)
    assert inspection.kind == kind and inspection.created_by == users[role]


@pytest.mark.parametrize("role, place, kind", [
    ("unit_manager", "mall", "sweep"),  # units self-inspect, they do not sweep
    ("unit_manager", "compound", "self"),  # not its unit's place
    ("nobody", "mall", "sweep"),
    ("nobody", "mall", "self"),
    ("street_officer", "hotel", "sweep"),  # another street
    ("grid_worker", "compound", "sweep"),  # another grid
    ("department_officer", "compound", "department"),  # another industry
])
def test_who_may_not_start_an_inspection(start, users, role, place, kind):
    with pytest.raises(PermissionDenied):
        start(users[role], place, kind)
    assert not Inspection.objects.exists() and not InspectionResult.objects.exists()


def test_the_same_token_twice_returns_the_same_draft(start, users):
    token = uuid.uuid4()
    first = start(users["grid_worker"], token=token)
    second = start(users["grid_worker"], token=token)
    assert second.pk == first.pk and first.token == token
    assert Inspection.objects.count() == 1 and InspectionResult.objects.count() == 4
    with pytest.raises(PermissionDenied):
        start(users["street_officer"], token=token)  # someone else's form token


def test_an_inspection_date_in_the_future_is_refused(start, users, today):
    with pytest.raises(ValidationError) as info:
        start(users["grid_worker"], inspected_on=today + DAY)
    assert "inspected_on" in info.value.message_dict
    assert not Inspection.objects.exists()
    assert start(users["grid_worker"], inspected_on=today - 3 * DAY).inspected_on == \
        today - 3 * DAY


def test_a_checklist_for_another_category_is_refused(start, users):
    with pytest.raises(ValidationError) as info:
        start(users["street_officer"], "compound")  # an old compound, the checklist is for malls
    assert "version" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        start(users["street_officer"], version=None)
    assert "version" in info.value.message_dict
    assert not Inspection.objects.exists()


def test_a_follow_up_starts_from_a_submitted_inspection_of_the_same_place(
        start, inspect, users, places):
    officer = users["street_officer"]
    draft = start(officer)
    submitted = inspect(officer, {"1": "hazard"})
    for place, previous in (("mall", None), ("mall", draft), ("compound", submitted)):
        with pytest.raises(ValidationError) as info:
            services.start_inspection(officer, places[place], kind="follow_up",
                                      previous=previous)
        assert "previous" in info.value.message_dict
    assert Inspection.objects.filter(kind="follow_up").count() == 0


def test_a_follow_up_lists_exactly_the_open_hazards_of_the_previous_inspection(
        inspect, users, places, today):
    officer = users["street_officer"]
    previous = inspect(officer, {"1": "hazard", "2": "hazard", "4": "fixed"})
    open_ids = [results(previous)[n].hazard_id for n in ("1", "2")]
    log_directly(officer, places["mall"], today)  # open at the place, but not this inspection's

    follow_up = services.start_inspection(officer, places["mall"], kind="follow_up",
                                          previous=previous)
    assert follow_up.version is None and follow_up.previous == previous
    listed = list(results(follow_up).values())
    assert [r.hazard_id for r in listed] == open_ids
    assert [r.text for r in listed] == [Hazard.objects.get(pk=pk).description for pk in open_ids]
    assert all(r.outcome == "" and r.follow_up == "" for r in listed)


# --- autosave --------------------------------------------------------------------------

def test_autosave_of_a_result_writes_it_and_records_an_audit_event(start, users, today):
    officer = users["grid_worker"]
    result = results(start(officer))["1"]
    services.save_result(officer, result, outcome="hazard", note="一楼楼梯间堆放纸箱",
                         deadline=today + 5 * DAY)
    result.refresh_from_db()
    assert (result.outcome, result.note, result.deadline) == (
        "hazard", "一楼楼梯间堆放纸箱", today + 5 * DAY)
    [event] = events("inspections.inspectionresult", object_id=str(result.pk))
    assert event.action == "change" and event.actor == officer
    assert event.after == {"outcome": "hazard", "note": "一楼楼梯间堆放纸箱",
                           "deadline": str(today + 5 * DAY)}


def test_autosave_of_the_details_writes_them_and_records_an_audit_event(start, users, today):
    officer = users["grid_worker"]
    inspection = start(officer)
    services.save_details(officer, inspection, location="一楼大厅", advice="立即清理楼梯间",
                          inspected_on=today - DAY)
    inspection.refresh_from_db()
    assert (inspection.location, inspection.advice, inspection.inspected_on) == (
        "一楼大厅", "立即清理楼梯间", today - DAY)
    [event] = events("inspections.inspection", object_id=str(inspection.pk), action="change")
    assert event.actor == officer and event.after["location"] == "一楼大厅"


def test_details_take_no_future_date_and_no_other_field(start, users, today):
    officer = users["grid_worker"]
    inspection = start(officer)
    with pytest.raises(ValidationError) as info:
        services.save_details(officer, inspection, inspected_on=today + DAY)
    assert "inspected_on" in info.value.message_dict
    with pytest.raises(TypeError):
        services.save_details(officer, inspection, status="submitted")
    inspection.refresh_from_db()
    assert inspection.inspected_on == today and inspection.status == "draft"


def test_a_past_deadline_or_unknown_outcome_is_refused(start, users, today):
    officer = users["grid_worker"]
    result = results(start(officer))["1"]
    with pytest.raises(ValidationError) as info:
        services.save_result(officer, result, outcome="hazard", deadline=today - DAY)
    assert "deadline" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.save_result(officer, result, outcome="maybe")
    assert "outcome" in info.value.message_dict
    result.refresh_from_db()
    assert result.outcome == "" and result.deadline is None
    assert not events("inspections.inspectionresult")


def test_a_submitted_inspection_can_no_longer_be_changed(inspect, users, photo):
    officer = users["street_officer"]
    inspection = inspect(officer)
    result = results(inspection)["1"]
    for change in (lambda: services.save_result(officer, result, outcome="hazard"),
                   lambda: services.save_details(officer, inspection, advice="补充意见"),
                   lambda: services.add_result_photo(officer, result, photo()),
                   lambda: services.sign(officer, inspection, name="补签", confirmed=True)):
        with pytest.raises(ValidationError) as info:
            change()
        assert info.value.code == "submitted"
    result.refresh_from_db()
    assert result.outcome == "pass" and not ResultPhoto.objects.exists()


@pytest.mark.parametrize("role", ["street_officer", "grid_worker", "unit_manager", "nobody"])
def test_another_users_draft_cannot_be_changed(start, users, role, photo):
    owner = users["grid_worker"] if role != "grid_worker" else users["street_officer"]
    inspection = start(owner)
    result = results(inspection)["1"]
    with pytest.raises(PermissionDenied):
        services.save_result(users[role], result, outcome="hazard")
    with pytest.raises(PermissionDenied):
        services.save_details(users[role], inspection, advice="不是我的记录")
    with pytest.raises(PermissionDenied):
        services.add_result_photo(users[role], result, photo())
    with pytest.raises(PermissionDenied):
        services.submit(users[role], inspection)
    result.refresh_from_db()
    assert result.outcome == ""


# --- photos ----------------------------------------------------------------------------

def media_files(settings) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_a_photo_is_kept_with_the_result_and_audited(start, users, photo, settings):
    officer = users["grid_worker"]
    result = results(start(officer))["1"]
    saved = services.add_result_photo(officer, result, photo("楼梯间.png"))
    assert saved.result == result and "楼梯间" not in saved.image.name
    with saved.image.open("rb") as f:
        assert f.read().startswith(b"\x89PNG")
    [event] = events("inspections.resultphoto", object_id=str(saved.pk))
    assert event.action == "create" and event.after["result"] == result.pk


def test_an_upload_that_is_not_an_image_is_refused_by_name(start, users, settings):
    officer = users["grid_worker"]
    result = results(start(officer))["1"]
    upload = SimpleUploadedFile("检查记录.pdf", b"%PDF-1.4 not a photo",
                                content_type="application/pdf")
    with pytest.raises(ValidationError) as info:
        services.add_result_photo(officer, result, upload)
    assert info.value.message_dict["photos"] == [
        "“检查记录.pdf”不是照片：请上传 JPEG、PNG 或 WebP 图片。"]
    assert not ResultPhoto.objects.exists() and not events("inspections.resultphoto")
    assert media_files(settings) == []


def test_an_oversized_photo_is_refused_by_name(start, users, settings):
    settings.FIRELEDGER_PHOTO_MAX_BYTES = 1024 * 1024
    officer = users["grid_worker"]
    result = results(start(officer))["1"]
    upload = SimpleUploadedFile("大照片.jpg", b"\xff\xd8\xff" + b"0" * (1024 * 1024),
                                content_type="image/jpeg")
    with pytest.raises(ValidationError) as info:
        services.add_result_photo(officer, result, upload)
    assert info.value.message_dict["photos"] == ["“大照片.jpg”超过 1 MB。"]
    assert not ResultPhoto.objects.exists() and media_files(settings) == []


# --- signatures ------------------------------------------------------------------------

def test_a_drawn_signature_keeps_the_png(start, users):
    officer = users["grid_worker"]
    inspection = start(officer)
    signature = services.sign(officer, inspection, name="  张三 ", drawing=drawn_png(),
                              user=officer)
    assert signature.method == "drawn" and signature.name == "张三" and signature.user == officer
    with signature.image.open("rb") as f:
        assert f.read().startswith(b"\x89PNG\r\n\x1a\n")
    [event] = events("inspections.signature", object_id=str(signature.pk))
    assert event.action == "create"


def test_a_typed_name_signs_only_when_confirmed(start, users):
    officer = users["grid_worker"]
    inspection = start(officer)
    with pytest.raises(ValidationError) as info:
        services.sign(officer, inspection, name="李四")
    assert "drawing" in info.value.message_dict
    assert not Signature.objects.exists()
    signature = services.sign(officer, inspection, name="李四", confirmed=True)
    assert signature.method == "typed" and not signature.image


@pytest.mark.parametrize("drawing", [
    "data:image/png;base64,@@这不是base64@@",
    "data:image/png;base64," + base64.b64encode(b"GIF89a not a png").decode(),
    "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ==",
])
def test_a_drawing_that_is_not_a_png_is_refused(start, users, drawing):
    officer = users["grid_worker"]
    with pytest.raises(ValidationError) as info:
        services.sign(officer, start(officer), name="张三", drawing=drawing)
    assert "drawing" in info.value.message_dict
    assert not Signature.objects.exists()


@pytest.mark.parametrize("name", ["张三", "张" * 60])
def test_the_same_name_cannot_sign_twice(start, users, name):
    officer = users["grid_worker"]
    inspection = start(officer)
    services.sign(officer, inspection, name=name, confirmed=True)
    with pytest.raises(ValidationError) as info:
        services.sign(officer, inspection, name=f" {name} ", drawing=drawn_png())
    assert "name" in info.value.message_dict
    assert Signature.objects.count() == 1


def test_a_signature_needs_a_name(start, users):
    officer = users["grid_worker"]
    with pytest.raises(ValidationError) as info:
        services.sign(officer, start(officer), name="   ", confirmed=True)
    assert "name" in info.value.message_dict


# --- submitting ------------------------------------------------------------------------

def test_submit_names_every_unanswered_item(start, users):
    officer = users["street_officer"]
    inspection = start(officer)
    answered = results(inspection)
    for number in ("2", "4"):
        services.save_result(officer, answered[number], outcome="pass")
    services.sign(officer, inspection, name="张三", confirmed=True)
    with pytest.raises(ValidationError) as info:
        services.submit(officer, inspection)
    messages = info.value.messages
    assert len(messages) == 2
    for number, result in answered.items():
        assert any(label(result) in m for m in messages) == (number in ("1", "3"))
    assert {e.code for e in info.value.error_list} == {"incomplete"}
    inspection.refresh_from_db()
    assert inspection.status == "draft" and inspection.submitted_at is None


def test_submit_needs_a_signature(start, answer, users):
    officer = users["street_officer"]
    inspection = start(officer)
    answer(officer, inspection)
    with pytest.raises(ValidationError) as info:
        services.submit(officer, inspection)
    assert len(info.value.messages) == 1
    services.sign(officer, inspection, name="张三", confirmed=True)
    assert services.submit(officer, inspection).status == "submitted"


@pytest.mark.parametrize("kind", ["joint", "random"])
def test_joint_and_random_inspections_need_two_signatures(start, answer, users, kind):
    officer = users["street_officer"]
    inspection = start(officer, kind=kind)
    answer(officer, inspection)
    services.sign(officer, inspection, name="张三", confirmed=True)
    with pytest.raises(ValidationError) as info:
        services.submit(officer, inspection)
    assert len(info.value.messages) == 1
    services.sign(officer, inspection, name="李四", drawing=drawn_png())
    submitted = services.submit(officer, inspection)
    assert submitted.status == "submitted" and submitted.submitted_at is not None


def test_a_fixed_item_becomes_a_hazard_closed_on_the_spot(inspect, users, today):
    officer = users["street_officer"]
    inspection = inspect(officer, {"4": "fixed"})
    hazard = results(inspection)["4"].hazard
    assert hazard.fixed_on_spot and hazard.status == "closed"
    assert hazard.closed_on == today and hazard.deadline is None
    assert hazard.source == "inspection" and hazard.found_by == officer
    assert hazard.description == "灭火器在有效期内"
    assert Hazard.objects.count() == 1  # passed items log nothing


def test_a_hazard_item_becomes_a_pending_hazard_with_its_photo(start, answer, users, photo,
                                                               today):
    officer = users["street_officer"]
    inspection = start(officer)
    answer(officer, inspection, {"1": "hazard"}, photos={"1": photo()})
    services.save_result(officer, results(inspection)["1"], note="一楼楼梯间堆放纸箱")
    services.save_details(officer, inspection, location="一楼东侧")
    services.sign(officer, inspection, name="张三", confirmed=True)
    services.submit(officer, inspection)

    result = results(inspection)["1"]
    hazard = result.hazard
    assert hazard.status == "pending" and not hazard.is_major
    assert hazard.deadline == hazard_services.default_deadline(result.category, False, today)
    assert hazard.source == "inspection" and hazard.found_by == officer
    assert hazard.found_on == today and hazard.place_id == inspection.place_id
    assert hazard.description == "一楼楼梯间堆放纸箱" and hazard.location_in_place == "一楼东侧"
    [hazard_photo] = hazard.photos.all()
    assert hazard_photo.kind == HazardPhoto.Kind.FOUND and hazard_photo.taken_by == officer
    with hazard_photo.image.open("rb") as f:
        assert f.read().startswith(b"\x89PNG")
    submitted = events("inspections.inspection", object_id=str(inspection.pk), note="submitted")
    assert len(submitted) == 1 and submitted[0].after["status"] == "submitted"


def test_an_item_with_working_days_is_due_that_many_working_days_after_it_was_found(
        inspect, users, today):
    inspection = inspect(users["street_officer"], {"2": "hazard"})
    assert results(inspection)["2"].hazard.deadline == add_workdays(today, 1)


def test_the_inspectors_own_deadline_wins(start, answer, users, today):
    officer = users["street_officer"]
    inspection = start(officer)
    answer(officer, inspection, {"2": "hazard"})
    services.save_result(officer, results(inspection)["2"], deadline=today + 20 * DAY)
    services.sign(officer, inspection, name="张三", confirmed=True)
    services.submit(officer, inspection)
    assert results(inspection)["2"].hazard.deadline == today + 20 * DAY


def test_submitting_twice_returns_the_same_inspection_and_no_second_hazard(inspect, users):
    officer = users["street_officer"]
    inspection = inspect(officer, {"1": "hazard"})
    again = services.submit(officer, inspection)
    assert again.pk == inspection.pk and again.status == "submitted"
    assert Hazard.objects.count() == 1
    assert len(events("inspections.inspection", object_id=str(inspection.pk),
                      note="submitted")) == 1


def test_one_hazard_failing_validation_saves_nothing(start, answer, users, photo):
    officer = users["street_officer"]
    inspection = start(officer)
    # Item 1 is logged first; item 3 is major and an inspection gives no interim safeguards,
    # so log_hazard refuses it: the whole submission is rolled back.
    answer(officer, inspection, {"1": "hazard", "3": "hazard", "4": "fixed"},
           photos={"1": photo()})
    services.sign(officer, inspection, name="张三", confirmed=True)
    with pytest.raises(ValidationError) as info:
        services.submit(officer, inspection)
    [message] = info.value.messages
    assert label(results(inspection)["3"]) in message

    assert Hazard.objects.count() == 0 and HazardPhoto.objects.count() == 0
    assert not AuditEvent.objects.filter(object_type__startswith="hazards.").exists()
    inspection.refresh_from_db()
    assert inspection.status == "draft" and inspection.submitted_at is None
    assert all(r.hazard_id is None for r in results(inspection).values())
    assert ResultPhoto.objects.count() == 1  # the draft keeps what was saved

    services.save_result(officer, results(inspection)["3"], outcome="fixed")
    services.submit(officer, inspection)
    assert Hazard.objects.count() == 3


# --- self-inspection and commitment ----------------------------------------------------

def test_the_unit_manager_self_inspects_and_logs_self_inspection_hazards(
        inspect, users, places, photo):
    manager = users["unit_manager"]
    assert not services.may_inspect(manager, places["mall"])  # no "change" on the place
    inspection = inspect(manager, {"1": "hazard", "4": "fixed"}, kind="self",
                         photos={"1": photo()})
    logged = [results(inspection)[n].hazard for n in ("1", "4")]
    assert [h.source for h in logged] == ["self_inspection", "self_inspection"]
    assert [h.status for h in logged] == ["pending", "closed"]
    assert all(h.found_by == manager for h in logged)
    assert logged[0].photos.get().taken_by == manager


def test_a_commitment_is_valid_for_one_year(inspect, commit, users, unit):
    manager = users["unit_manager"]
    with time_machine.travel(at_noon(datetime.date(2026, 3, 10)), tick=False):
        inspection = inspect(manager, kind="self")
        commitment = commit(manager, inspection)
    assert commitment.signed_on == datetime.date(2026, 3, 10)
    assert commitment.valid_until == datetime.date(2027, 3, 9)
    assert commitment.wording == services.COMMITMENT_WORDING
    assert commitment.signed_by == manager and commitment.organisation == unit
    assert commitment.place_id == inspection.place_id and commitment.inspection == inspection
    assert (commitment.responsible_person, commitment.safety_manager) == ("王经理", "李主管")
    [event] = events("inspections.commitment", object_id=str(commitment.pk))
    assert event.action == "create" and event.actor == manager


def test_a_commitment_is_in_force_for_its_year_only(inspect, commit, users, places):
    manager = users["unit_manager"]
    with time_machine.travel(at_noon(datetime.date(2026, 3, 10)), tick=False):
        commitment = commit(manager, inspect(manager, kind="self"))
    for day, in_force in ((datetime.date(2026, 3, 9), None),
                          (datetime.date(2026, 3, 10), commitment),
                          (datetime.date(2027, 3, 9), commitment),
                          (datetime.date(2027, 3, 10), None)):
        with time_machine.travel(at_noon(day), tick=False):
            assert services.commitment_in_force(places["mall"]) == in_force, day
    assert services.commitment_in_force(places["hotel"], datetime.date(2026, 6, 1)) is None


def test_a_commitment_is_signed_only_on_a_submitted_self_inspection(
        start, inspect, commit, users):
    manager = users["unit_manager"]
    with pytest.raises(ValidationError):
        commit(manager, start(manager, kind="self"))  # still a draft
    officer = users["street_officer"]
    with pytest.raises(ValidationError):
        commit(officer, inspect(officer))  # a sweep
    assert not Commitment.objects.exists()


def test_a_commitment_is_signed_only_by_the_self_inspections_creator_and_once(
        inspect, commit, users):
    manager = users["unit_manager"]
    inspection = inspect(manager, kind="self")
    for other in ("street_officer", "nobody"):
        with pytest.raises(PermissionDenied):
            commit(users[other], inspection)
    commit(manager, inspection)
    with pytest.raises(ValidationError):
        commit(manager, inspection)
    assert Commitment.objects.count() == 1


def test_declared_clear_when_the_self_inspection_left_nothing_open(inspect, users):
    manager = users["unit_manager"]
    assert services.declared_clear(inspect(manager, {"4": "fixed"}, kind="self"))
    assert not services.declared_clear(inspect(manager, {"1": "hazard"}, kind="self"))


# --- commitments found untrue ----------------------------------------------------------

@pytest.fixture
def clear_commitment(inspect, commit, users):
    """The unit's commitment on a self-inspection that found nothing."""
    manager = users["unit_manager"]
    return commit(manager, inspect(manager, kind="self"))


def test_an_inspectors_hazard_after_a_clear_commitment_marks_it_untrue(
        clear_commitment, inspect, users, today):
    officer = users["street_officer"]
    hazard = results(inspect(officer, {"1": "hazard"}))["1"].hazard
    assert services.may_mark_untrue(clear_commitment, hazard)
    marked = services.mark_untrue(officer, clear_commitment, hazard=hazard,
                                  note=" 承诺无隐患，检查发现楼梯间堆放杂物 ")
    assert marked.untrue_on == today and marked.untrue_by == officer
    assert marked.untrue_hazard == hazard and marked.untrue_note == "承诺无隐患，检查发现楼梯间堆放杂物"
    [event] = events("inspections.commitment", object_id=str(marked.pk), action="change")
    assert event.note == "untrue" and event.actor == officer
    assert event.after["untrue_on"] == str(today)
    with pytest.raises(ValidationError):  # once
        services.mark_untrue(officer, marked, hazard=hazard, note="再次标记")


def test_a_hazard_at_another_place_does_not_make_a_commitment_untrue(
        clear_commitment, users, places, today):
    officer = users["street_officer"]
    elsewhere = log_directly(officer, places["compound"], today)
    with pytest.raises(ValidationError):
        services.mark_untrue(officer, clear_commitment, hazard=elsewhere, note="不实")
    clear_commitment.refresh_from_db()
    assert clear_commitment.untrue_on is None


def test_the_units_own_self_inspection_hazard_does_not_make_it_untrue(
        clear_commitment, inspect, users):
    manager = users["unit_manager"]
    own = results(inspect(manager, {"1": "hazard"}, kind="self"))["1"].hazard
    assert not services.may_mark_untrue(clear_commitment, own)
    with pytest.raises(ValidationError):
        services.mark_untrue(users["street_officer"], clear_commitment, hazard=own, note="不实")


def test_a_commitment_whose_self_inspection_left_a_hazard_open_is_not_untrue(
        inspect, commit, users):
    manager = users["unit_manager"]
    commitment = commit(manager, inspect(manager, {"1": "hazard"}, kind="self"))
    officer = users["street_officer"]
    hazard = results(inspect(officer, {"2": "hazard"}))["2"].hazard
    with pytest.raises(ValidationError):
        services.mark_untrue(officer, commitment, hazard=hazard, note="不实")
    commitment.refresh_from_db()
    assert commitment.untrue_on is None


def test_a_unit_manager_cannot_mark_a_commitment_untrue(clear_commitment, inspect, users):
    hazard = results(inspect(users["street_officer"], {"1": "hazard"}))["1"].hazard
    with pytest.raises(PermissionDenied):
        services.mark_untrue(users["unit_manager"], clear_commitment, hazard=hazard, note="不实")


def test_marking_untrue_needs_a_note(clear_commitment, inspect, users):
    officer = users["street_officer"]
    hazard = results(inspect(officer, {"1": "hazard"}))["1"].hazard
    with pytest.raises(ValidationError) as info:
        services.mark_untrue(officer, clear_commitment, hazard=hazard, note="   ")
    assert "untrue_note" in info.value.message_dict
    clear_commitment.refresh_from_db()
    assert clear_commitment.untrue_on is None


# --- invitations -----------------------------------------------------------------------

@pytest.fixture
def invitation(users, places):
    return services.invite(users["street_officer"], places["mall"])


def test_a_street_officer_invites_the_places_unit(invitation, users, unit, today):
    assert invitation.created_by == users["street_officer"] and invitation.organisation == unit
    assert invitation.expires_on == today + services.INVITATION_DAYS * DAY
    assert len(invitation.token) >= 32 and services.invitation_usable(invitation)
    [event] = events("inspections.invitation", object_id=str(invitation.pk))
    assert event.action == "create" and event.actor == users["street_officer"]


def test_a_unit_manager_cannot_invite(users, places):
    with pytest.raises(PermissionDenied):
        services.invite(users["unit_manager"], places["mall"])
    assert not Invitation.objects.exists()


def test_an_invitation_starts_one_self_inspection_without_a_login(invitation, start):
    first = start(None, kind="sweep", invitation=invitation)
    assert first.kind == "self" and first.created_by is None and first.invitation == invitation
    second = start(None, invitation=invitation)
    assert second.pk == first.pk and Inspection.objects.count() == 1
    with pytest.raises(PermissionDenied):
        start(None, "hotel", invitation=invitation)  # the invitation's own place only


def test_edits_need_the_drafts_invitation(invitation, start, users, places):
    draft = start(None, invitation=invitation)
    result = results(draft)["1"]
    services.save_result(None, result, invitation=invitation, outcome="pass")
    services.save_details(None, draft, invitation=invitation, location="一楼")
    other = services.invite(users["street_officer"], places["mall"])
    for actor, inv in ((None, None), (users["street_officer"], None), (None, other)):
        with pytest.raises(PermissionDenied):
            services.save_result(actor, result, invitation=inv, outcome="hazard")
    result.refresh_from_db()
    assert result.outcome == "pass"


def test_an_invited_self_inspection_logs_hazards_found_by_the_inviter(
        invitation, inspect, users, photo):
    inspection = inspect(None, {"1": "hazard"}, kind="self", invitation=invitation,
                         photos={"1": photo()})
    assert inspection.status == "submitted"
    hazard = results(inspection)["1"].hazard
    assert hazard.found_by == users["street_officer"] and hazard.source == "self_inspection"
    hazard_photo = hazard.photos.get()
    assert hazard_photo.kind == HazardPhoto.Kind.FOUND
    assert hazard_photo.taken_by == users["street_officer"]  # credited like found_by
    # Nobody was logged in: the audit trail does not pretend otherwise.
    assert [e.actor for e in events("hazards.hazard", object_id=str(hazard.pk))] == [None]
    assert [e.actor for e in events("hazards.hazardphoto", object_id=str(hazard_photo.pk))] \
        == [None]


def test_signing_the_commitment_uses_up_the_invitation(invitation, inspect, commit, start):
    inspection = inspect(None, kind="self", invitation=invitation)
    commitment = commit(None, inspection, invitation=invitation)
    assert commitment.signed_by is None and commitment.inspection == inspection
    invitation.refresh_from_db()
    assert invitation.used_at is not None and not services.invitation_usable(invitation)
    with pytest.raises(PermissionDenied):
        start(None, invitation=invitation)
    with pytest.raises((PermissionDenied, ValidationError)):
        commit(None, inspection, invitation=invitation)
    assert Commitment.objects.count() == 1


def test_a_self_inspection_by_invitation_needs_the_invitation_to_sign(
        invitation, inspect, commit, users):
    inspection = inspect(None, kind="self", invitation=invitation)
    with pytest.raises(PermissionDenied):
        commit(users["street_officer"], inspection)
    assert not Commitment.objects.exists()


def test_an_expired_invitation_is_refused(invitation, start):
    with time_machine.travel(at_noon(invitation.expires_on), tick=False):
        assert services.invitation_usable(invitation)  # the last day still counts
    with time_machine.travel(at_noon(invitation.expires_on + DAY), tick=False):
        assert not services.invitation_usable(invitation)
        with pytest.raises(PermissionDenied):
            start(None, invitation=invitation)
    assert not Inspection.objects.exists()


def test_an_invitation_expiring_mid_draft_stops_the_edits(invitation, start):
    draft = start(None, invitation=invitation)
    with time_machine.travel(at_noon(invitation.expires_on + DAY), tick=False):
        with pytest.raises(PermissionDenied):
            services.save_result(None, results(draft)["1"], invitation=invitation,
                                 outcome="pass")


def test_an_expired_invitation_cannot_sign_the_commitment(invitation, inspect, commit):
    inspection = inspect(None, kind="self", invitation=invitation)
    with time_machine.travel(at_noon(invitation.expires_on + DAY), tick=False):
        with pytest.raises(PermissionDenied):
            commit(None, inspection, invitation=invitation)
    assert not Commitment.objects.exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None


# --- re-inspection ---------------------------------------------------------------------

@pytest.fixture
def reported(inspect, users):
    """A sweep's hazard that the unit has rectified and reported: awaiting verification."""
    previous = inspect(users["street_officer"], {"1": "hazard"})
    hazard = results(previous)["1"].hazard
    manager = users["unit_manager"]
    hazard_services.transition(manager, hazard, lifecycle.START, responsible_person="王经理")
    hazard_services.transition(manager, hazard, lifecycle.REPORT_RECTIFICATION,
                               measures="清理楼梯间杂物")
    assert hazard.status == lifecycle.AWAITING_VERIFICATION
    return previous, hazard


def re_inspect(actor, previous, **answer):
    """A follow-up of previous with its one hazard answered (and `photo` added), signed."""
    photo = answer.pop("photo", None)
    inspection = services.start_inspection(actor, previous.place, kind="follow_up",
                                           previous=previous)
    [result] = results(inspection).values()
    services.save_result(actor, result, **answer)
    if photo is not None:
        services.add_result_photo(actor, result, photo)
    services.sign(actor, inspection, name="张三", confirmed=True)
    return inspection


def test_a_verified_rectification_closes_the_hazard(reported, users, photo, today):
    previous, hazard = reported
    officer = users["street_officer"]
    inspection = re_inspect(officer, previous, follow_up="verified", photo=photo())
    services.submit(officer, inspection)
    hazard.refresh_from_db()
    assert hazard.status == lifecycle.CLOSED and hazard.closed_on == today
    assert hazard.verified_by == officer
    assert hazard.photos.filter(kind=HazardPhoto.Kind.VERIFICATION).count() == 1
    assert results(inspection)["1"].hazard_id == hazard.pk


def test_a_verification_needs_a_photo(reported, users):
    previous, hazard = reported
    officer = users["street_officer"]
    inspection = re_inspect(officer, previous, follow_up="verified")
    with pytest.raises(ValidationError) as info:
        services.submit(officer, inspection)
    assert label(results(inspection)["1"]) in info.value.messages[0]
    hazard.refresh_from_db()
    assert hazard.status == lifecycle.AWAITING_VERIFICATION


def test_a_failed_rectification_goes_back_with_the_new_deadline(reported, users, today):
    previous, hazard = reported
    officer = users["street_officer"]
    inspection = re_inspect(officer, previous, follow_up="not_rectified",
                            deadline=today + 7 * DAY, note="楼梯间仍有杂物")
    services.submit(officer, inspection)
    hazard.refresh_from_db()
    assert hazard.status == lifecycle.RECTIFYING and hazard.deadline == today + 7 * DAY
    [event] = events("hazards.hazard", object_id=str(hazard.pk), note="verify_fail: 楼梯间仍有杂物")
    assert event.actor == officer


def test_a_failed_rectification_needs_a_deadline_and_a_note(reported, users):
    previous, hazard = reported
    officer = users["street_officer"]
    inspection = re_inspect(officer, previous, follow_up="not_rectified")
    with pytest.raises(ValidationError):
        services.submit(officer, inspection)
    hazard.refresh_from_db()
    assert hazard.status == lifecycle.AWAITING_VERIFICATION


def test_still_open_changes_nothing(reported, users):
    previous, hazard = reported
    before = (hazard.status, hazard.deadline, AuditEvent.objects.for_object(hazard).count())
    officer = users["street_officer"]
    inspection = services.submit(officer, re_inspect(officer, previous, follow_up="still_open"))
    assert inspection.status == "submitted"
    hazard.refresh_from_db()
    assert (hazard.status, hazard.deadline,
            AuditEvent.objects.for_object(hazard).count()) == before


def test_verifying_a_hazard_not_reported_rectified_is_refused_at_save(inspect, users, places):
    officer = users["street_officer"]
    previous = inspect(officer, {"1": "hazard"})
    inspection = services.start_inspection(officer, places["mall"], kind="follow_up",
                                           previous=previous)
    [result] = results(inspection).values()
    assert result.hazard.status == lifecycle.PENDING
    for finding in ("verified", "not_rectified"):
        with pytest.raises(ValidationError) as info:
            services.save_result(officer, result, follow_up=finding)
        assert "follow_up" in info.value.message_dict
    result.refresh_from_db()
    assert result.follow_up == ""
    services.save_result(officer, result, follow_up="still_open")


def test_a_finding_is_only_for_a_re_inspected_hazard(start, users):
    officer = users["street_officer"]
    result = results(start(officer))["1"]
    with pytest.raises(ValidationError) as info:
        services.save_result(officer, result, follow_up="still_open")
    assert "follow_up" in info.value.message_dict


@pytest.mark.parametrize("signed, last_day", [
    ("2026-11-24", "2027-11-23"), ("2027-03-01", "2028-02-29"), ("2028-02-29", "2029-02-28"),
    ("2026-01-01", "2026-12-31")])
def test_a_commitment_lasts_a_year_to_the_day_before(signed, last_day):
    import datetime as dt

    assert services.valid_until(dt.date.fromisoformat(signed)) == dt.date.fromisoformat(last_day)
