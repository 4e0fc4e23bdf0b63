"""Extension requests, enforcement, photos and default deadlines: services and pages."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fireledger.core.calendar import add_workdays
from fireledger.core.models import AuditEvent
from fireledger.hazards import services
from fireledger.hazards.models import (
    DeadlineRule,
    Enforcement,
    ExtensionRequest,
    Hazard,
    HazardPhoto,
)

DAY = datetime.timedelta(days=1)


@pytest.fixture
def hazard(places, users, log, today):
    return log(users["grid_worker"], places["mall"], deadline=today + 10 * DAY)


# Default deadlines -----------------------------------------------------------------------------

def test_the_most_specific_rule_wins(categories, today):
    item, area = categories["hr.03.1"], categories["hr.03"]
    assert services.default_deadline(item, False, today) == add_workdays(today, 10)
    assert services.default_deadline(item, True, today) == add_workdays(today, 30)
    DeadlineRule.objects.create(category=area, is_major=False, workdays=5)
    assert services.default_deadline(item, False, today) == add_workdays(today, 5)
    DeadlineRule.objects.create(category=item, is_major=False, workdays=2)
    assert services.default_deadline(item, False, today) == add_workdays(today, 2)


def test_e_bikes_in_buildings_are_due_the_next_working_day(categories, today):
    assert services.default_deadline(categories["hr.09.1"], False, today) == add_workdays(today, 1)


def test_a_late_logged_hazard_gets_its_period_from_today(categories, today):
    long_ago = today - 100 * DAY
    assert services.default_deadline(categories["hr.03.1"], False, long_ago, today) == \
        add_workdays(today, 10)


# Photos ----------------------------------------------------------------------------------------

def test_photos_are_stored_with_the_hazard_under_a_random_name(places, users, log, photo):
    hazard = log(users["grid_worker"], places["mall"], photos=[photo("张三家门口.png")])
    stored = hazard.photos.get()
    assert stored.kind == HazardPhoto.Kind.FOUND and stored.taken_by == users["grid_worker"]
    assert "张三" not in stored.image.name and stored.image.name.endswith(".png")
    assert AuditEvent.objects.for_object(stored).exists()


@pytest.mark.parametrize("content, name", [
    (b"%PDF-1.4 not a photo", "整改报告.pdf"),
    (b"GIF89a broken", "broken.gif"),
    (b"", "empty.jpg"),
])
def test_anything_but_an_image_is_refused_and_nothing_is_written(
        places, users, log, content, name):
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    with pytest.raises(ValidationError) as info:
        log(users["grid_worker"], places["mall"], photos=[upload])
    assert name in info.value.message_dict["photos"][0]
    assert not Hazard.objects.exists()


def test_a_photo_over_the_size_limit_is_refused(places, users, log, photo, settings):
    settings.FIRELEDGER_PHOTO_MAX_BYTES = 10
    with pytest.raises(ValidationError) as info:
        log(users["grid_worker"], places["mall"], photos=[photo()])
    assert "photos" in info.value.message_dict


def test_verification_photos_are_kept_with_their_kind(hazard, users, photo):
    services.transition(users["unit_manager"], hazard, "report_rectification", measures="已清理",
                        photos=[photo()])
    services.transition(users["street_officer"], hazard, "verify_pass", photos=[photo()])
    assert sorted(hazard.photos.values_list("kind", flat=True)) == ["rectified", "verification"]


def test_photo_page_is_scoped(login, users, places, admin_user, log, photo):
    hazard = log(admin_user, places["hotel"], photos=[photo()])  # the hotel is in street 2
    url = reverse("hazards:photo", args=[hazard.photos.get().pk])
    assert login(users["street_officer"]).get(url).status_code == 404
    response = login(users["district_office"]).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


# Extensions ------------------------------------------------------------------------------------

def test_extension_request_and_approval(hazard, users):
    request = services.request_extension(users["unit_manager"], hazard,
                                         new_deadline=hazard.deadline + 20 * DAY,
                                         reason="防火门需定制")
    with pytest.raises(ValidationError):  # one at a time
        services.request_extension(users["unit_manager"], hazard,
                                   new_deadline=hazard.deadline + 30 * DAY, reason="再延")
    services.decide_extension(users["street_officer"], request, approve=True, note="同意")
    hazard.refresh_from_db()
    request.refresh_from_db()
    assert hazard.deadline == request.new_deadline
    assert request.decision == ExtensionRequest.Decision.APPROVED
    assert request.decided_by == users["street_officer"]
    notes = list(AuditEvent.objects.for_object(hazard).values_list("note", flat=True))
    assert "extension approved" in notes


@pytest.mark.parametrize("new, reason, field", [
    (0, "理由", "new_deadline"),
    (-1, "理由", "new_deadline"),
    (5, "  ", "reason"),
])
def test_extension_needs_a_later_date_and_a_reason(hazard, users, new, reason, field):
    with pytest.raises(ValidationError) as info:
        services.request_extension(users["unit_manager"], hazard,
                                   new_deadline=hazard.deadline + new * DAY, reason=reason)
    assert field in info.value.message_dict


def test_extension_is_decided_by_someone_else_with_change_rights(hazard, users):
    request = services.request_extension(users["street_officer"], hazard,
                                         new_deadline=hazard.deadline + 5 * DAY, reason="x")
    with pytest.raises(ValidationError):
        services.decide_extension(users["street_officer"], request, approve=True)
    with pytest.raises(PermissionDenied):
        services.decide_extension(users["unit_manager"], request, approve=True)
    with pytest.raises(ValidationError) as info:
        services.decide_extension(users["grid_worker"], request, approve=False)
    assert "decision_note" in info.value.message_dict
    services.decide_extension(users["grid_worker"], request, approve=False, note="理由不充分")
    hazard.refresh_from_db()
    assert hazard.deadline == request.current_deadline


def test_closed_hazard_cannot_be_extended(places, users, log):
    hazard = log(users["grid_worker"], places["mall"], fixed_on_spot=True)
    with pytest.raises(ValidationError):
        services.request_extension(users["grid_worker"], hazard,
                                   new_deadline=datetime.date(2099, 1, 1), reason="x")


# Enforcement -----------------------------------------------------------------------------------

def test_referral_needs_a_department(hazard, users, today):
    from fireledger.core.models import Department

    with pytest.raises(ValidationError) as info:
        services.record_enforcement(users["street_officer"], hazard, kind="referral", on=today,
                                    note="拒不整改")
    assert "department" in info.value.message_dict
    record = services.record_enforcement(
        users["street_officer"], hazard, kind=Enforcement.Kind.REFERRAL, on=today,
        note="拒不整改，移送住建部门", department=Department.objects.get(code="zhujian"))
    assert AuditEvent.objects.for_object(record).exists()
    with pytest.raises(PermissionDenied):
        services.record_enforcement(users["unit_manager"], hazard, kind="joint_enforcement",
                                    on=today, note="x")


# The pages -------------------------------------------------------------------------------------

def side(client, hazard, name, **fields):
    return client.post(reverse("hazards:side_action", args=[hazard.pk, name]),
                       {f"{name}-{k}": v for k, v in fields.items()})


def test_extension_through_the_pages(login, hazard, users):
    unit = login(users["unit_manager"])
    page = unit.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert 'id="form-extension"' in page and 'id="form-decide_extension"' not in page
    new = (hazard.deadline + 15 * DAY).isoformat()
    assert side(unit, hazard, "extension", new_deadline=new, reason="材料未到").status_code == 302
    # The requester is not offered the decision; a street officer is.
    assert side(unit, hazard, "decide_extension", approve="yes").status_code == 403
    street = login(users["street_officer"])
    assert 'id="form-decide_extension"' in street.get(
        reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert side(street, hazard, "decide_extension", approve="yes").status_code == 302
    assert Hazard.objects.get(pk=hazard.pk).deadline.isoformat() == new


def test_a_bad_side_form_keeps_the_input_and_says_why(login, hazard, users):
    client = login(users["unit_manager"])
    client.cookies["django_language"] = "en"
    response = side(client, hazard, "extension", new_deadline=hazard.deadline.isoformat(),
                    reason="材料未到")
    assert response.status_code == 400
    assert "later than the current one" in response.content.decode()
    assert "材料未到" in response.content.decode()
    assert not ExtensionRequest.objects.exists()


def test_unknown_side_form_is_404_and_outside_scope_is_404(login, users, places, admin_user,
                                                            log, hazard):
    client = login(users["street_officer"])
    assert side(client, hazard, "nonsense").status_code == 404
    other = log(admin_user, places["hotel"])
    assert side(client, other, "enforcement", kind="joint_enforcement").status_code == 404


def test_listing_decision_only_for_the_district_office(login, users, places, log, today):
    from fireledger.hazards import sweep
    from fireledger.hazards.models import ListedSupervision

    hazard = log(users["street_officer"], places["mall"], is_major=True,
                 interim_safeguards="专人值守", deadline=today + 60 * DAY)
    sweep.run(today, notify=False)
    assert side(login(users["street_officer"]), hazard, "listing", listed="yes").status_code == 403
    district = login(users["district_office"])
    assert side(district, hazard, "listing", listed="yes").status_code == 302
    assert ListedSupervision.objects.get().decision == "listed"
    response = side(district, hazard, "check", checked_on=today.isoformat(), findings="措施落实")
    assert response.status_code == 302
    assert ListedSupervision.objects.get().last_check_on == today


def test_each_side_form_refuses_bad_input_with_a_message_and_writes_nothing(
        login, users, places, log, today):
    """One bad input per form: the page comes back (400) naming the field, nothing is saved."""
    from fireledger.hazards import sweep
    from fireledger.hazards.models import ListedSupervision, ReferralNotice

    mall = places["mall"]
    mall.listed_by = "fire_brigade"
    mall.save()
    hazard = log(users["street_officer"], mall, is_major=True, interim_safeguards="专人值守",
                 deadline=today + 60 * DAY)
    sweep.run(today, notify=False)
    district = login(users["district_office"])
    district.cookies["django_language"] = "en"
    cases = [
        ("listing", {"listed": "no"}, "decision_note", "Say why the hazard is not listed."),
        ("notice", {"sent_on": (today + DAY).isoformat()}, "sent_on",
         "between the date found and today"),
        ("enforcement", {"kind": "referral", "on": today.isoformat(), "note": "拒不整改"},
         "department", "Name the department"),
        ("extension", {"new_deadline": "2020-01-01", "reason": "x"}, "new_deadline",
         "later than the current one"),
    ]
    for name, fields, field, text in cases:
        response = side(district, hazard, name, **fields)
        page = response.content.decode()
        assert response.status_code == 400, name
        assert text in page and f'id="id_{name}-{field}"' in page, name
    assert ListedSupervision.objects.get().decision == "proposed"
    assert ReferralNotice.objects.get().sent_on is None
    assert not Enforcement.objects.exists() and not ExtensionRequest.objects.exists()

    services.decide_listing(users["district_office"], ListedSupervision.objects.get(),
                            listed=True)
    response = side(district, hazard, "check", checked_on=today.isoformat(), findings=" ")
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert ListedSupervision.objects.get().last_check_on is None
