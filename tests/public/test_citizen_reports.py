"""Citizen reports (举报): routing, photo cleaning and limits, spam defences, the reporter's
status page, who sees the reporter, triage through the hazard services, and the audit trail."""

import base64
import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from PIL import Image

from fireledger.core.choices import Role
from fireledger.core.models import AuditEvent, Department, RoleAssignment, User
from fireledger.hazards import lifecycle
from fireledger.hazards import services as hazard_services
from fireledger.hazards.choices import Source
from fireledger.hazards.models import Hazard, HazardCategory
from fireledger.public import ratelimit, reports
from fireledger.public.views_reports import TOO_MANY
from fireledger.public.models import (
    CitizenReport,
    RateLimitHit,
    ReportPhoto,
    ReportStatus,
    SafetyCode,
)

NAME, PHONE = "王小明", "13800001234"
# 已受理，已立案整改 once the translation is in the catalogue.
ACCEPTED = gettext("Accepted: put on the hazard list for rectification")


@pytest.fixture
def exit_blocked(db):
    return HazardCategory.objects.get(code="hr.03.1")


@pytest.fixture
def code(places):
    return SafetyCode.objects.create(place=places["mall"])


def jpeg_with_exif(size=(40, 30)) -> bytes:
    """A JPEG as a phone writes it: EXIF with GPS position and camera, a comment, an ICC."""
    image = Image.new("RGB", size, (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel X"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (29.0, 33.0, 30.0)
    gps[3], gps[4] = "E", (106.0, 34.0, 40.0)
    buffer = io.BytesIO()
    from PIL import ImageCms

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image.save(buffer, "JPEG", exif=exif, comment=b"secret comment", icc_profile=icc)
    return buffer.getvalue()


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def receive_at(place, category, **extra):
    extra.setdefault("description", "二层安全出口被货架堵塞")
    return reports.receive(place=place, category=category, client_key="127.0.0.1", **extra)


def audit_payloads(report) -> str:
    rows = AuditEvent.objects.filter(object_type__in=("public.citizenreport",
                                                      "public.reportphoto"))
    return json.dumps([[r.before, r.after, r.note, r.object_repr] for r in rows],
                      ensure_ascii=False)


# --- routing ------------------------------------------------------------------------------

def test_a_report_at_a_place_is_routed_to_the_place_street_and_department(places, exit_blocked):
    mall = places["mall"]
    report = receive_at(mall, exit_blocked)
    assert report.jurisdiction_code == mall.jurisdiction_code
    assert report.department == mall.department
    assert report.status == ReportStatus.RECEIVED and report.address == mall.address


def test_a_general_report_is_routed_by_street_and_category(tree, exit_blocked, db):
    report = reports.receive(street=tree["street2"], address="中山一路20号", category=exit_blocked,
                             description="楼道堆满杂物，堵住出口", latitude="29.557",
                             longitude="106.577", client_key="x")
    assert report.place is None and report.jurisdiction_code == tree["street2"].code
    # hr.* is a high-rise focus area: 住建 by our DEPARTMENT_BY_GROUP table.
    assert report.department == Department.objects.get(code="zhujian")
    generic = HazardCategory.objects.get(code="other")
    other = reports.receive(street=tree["street1"], address="某处", category=generic,
                            description="有人在楼道里充电", client_key="x")
    assert other.department is None and other.jurisdiction_code == tree["street1"].code


def test_a_general_report_needs_a_street_and_an_address(tree, exit_blocked):
    with pytest.raises(ValidationError) as error:
        reports.receive(address="某处", category=exit_blocked, description="出口堵塞了",
                        client_key="x")
    assert "street" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        reports.receive(street=tree["street1"], category=exit_blocked,
                        description="出口堵塞了", client_key="x")
    assert "address" in error.value.message_dict
    assert not CitizenReport.objects.exists()


# --- photos -------------------------------------------------------------------------------

def test_photo_metadata_is_stripped(places, exit_blocked):
    original = jpeg_with_exif()
    with Image.open(io.BytesIO(original)) as image:  # the fixture really carries it all
        assert image.getexif() and image.info.get("icc_profile")
    report = receive_at(places["mall"], exit_blocked, photos=[upload(original)])
    photo = report.photos.get()
    with photo.image.open("rb") as handle:
        data = handle.read()
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info and "icc_profile" not in image.info
        assert "comment" not in image.info
    assert b"PhoneMaker" not in data and b"secret comment" not in data
    assert photo.image.name.startswith("reports/") and photo.image.name.endswith(".jpg")


def test_png_with_transparency_is_reencoded_as_jpeg(places, exit_blocked, photo):
    report = receive_at(places["mall"], exit_blocked, photos=[photo()])
    with report.photos.get().image.open("rb") as handle, Image.open(handle) as image:
        assert image.format == "JPEG"


def test_photos_are_limited_in_count_size_and_type(places, exit_blocked, photo, settings):
    with pytest.raises(ValidationError):
        receive_at(places["mall"], exit_blocked, photos=[photo() for _ in range(4)])
    with pytest.raises(ValidationError):
        receive_at(places["mall"], exit_blocked,
                   photos=[upload("不是图片".encode(), "x.jpg")])
    settings.FIRELEDGER_PHOTO_MAX_BYTES = 100
    with pytest.raises(ValidationError):
        receive_at(places["mall"], exit_blocked, photos=[upload(jpeg_with_exif())])
    assert not CitizenReport.objects.exists() and not ReportPhoto.objects.exists()


def test_description_length_is_checked(places, exit_blocked):
    with pytest.raises(ValidationError):
        receive_at(places["mall"], exit_blocked, description="堵")
    with pytest.raises(ValidationError):
        receive_at(places["mall"], exit_blocked, description="堵" * 2001)


# --- the public form ----------------------------------------------------------------------

def form_data(category, **extra):
    return {"category": str(category.pk), "description": "安全出口被堵塞", "contact_name": NAME,
            "contact_phone": PHONE, **extra}


def test_the_form_at_a_code_saves_and_shows_the_tracking_number(client, code, exit_blocked):
    response = client.post(reverse("public:report_at_place", args=[code.token]),
                           form_data(exit_blocked, photos=[upload(jpeg_with_exif())]))
    assert response.status_code == 200
    report = CitizenReport.objects.get()
    assert report.place == code.place and report.photos.count() == 1
    assert report.tracking in response.content.decode()
    assert reverse("public:report_status", args=[report.tracking]) in response.content.decode()


def test_a_revoked_or_unknown_code_is_404(client, code, exit_blocked):
    assert client.get(reverse("public:report_at_place", args=["nope"])).status_code == 404
    code.revoked_at = timezone.now()
    code.save()
    assert client.get(reverse("public:report_at_place", args=[code.token])).status_code == 404


def test_the_general_form(client, tree, exit_blocked):
    response = client.get(reverse("public:report"))
    assert response.status_code == 200 and "解放碑街道" in response.content.decode()
    response = client.post(reverse("public:report"), form_data(
        exit_blocked, street=str(tree["street1"].pk), address="民生路3号",
        latitude="29.56", longitude="106.57"))
    assert response.status_code == 200, response.content.decode()[:2000]
    report = CitizenReport.objects.get()
    assert report.jurisdiction_code == tree["street1"].code and report.address == "民生路3号"


def test_too_many_photos_in_the_form_are_refused(client, code, exit_blocked, photo):
    response = client.post(reverse("public:report_at_place", args=[code.token]),
                           form_data(exit_blocked, photos=[photo() for _ in range(4)]))
    assert response.status_code == 400 and not CitizenReport.objects.exists()


def test_an_oversized_body_is_refused_before_reading(client, code, exit_blocked, settings):
    settings.FIRELEDGER_PHOTO_MAX_BYTES = 1000
    big = upload(b"\xff" * 300_000, "big.jpg")
    response = client.post(reverse("public:report_at_place", args=[code.token]),
                           form_data(exit_blocked, photos=[big]))
    assert response.status_code == 413 and not CitizenReport.objects.exists()


def test_the_csrf_check_still_applies(code, exit_blocked):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("public:report_at_place", args=[code.token]),
                           form_data(exit_blocked))
    assert response.status_code == 403 and not CitizenReport.objects.exists()


def test_the_honeypot_looks_accepted_and_saves_nothing(client, code, exit_blocked):
    response = client.post(reverse("public:report_at_place", args=[code.token]),
                           form_data(exit_blocked, website="http://spam.example"))
    assert response.status_code == 200 and 'id="tracking"' in response.content.decode()
    assert not CitizenReport.objects.exists()
    assert 'name="website"' in client.get(
        reverse("public:report_at_place", args=[code.token])).content.decode()


def test_rate_limit_per_address(client, code, exit_blocked):
    url = reverse("public:report_at_place", args=[code.token])
    limit = ratelimit.REPORTS_PER_ADDRESS[0]
    for _ in range(limit):
        assert client.post(url, form_data(exit_blocked)).status_code == 200
    response = client.post(url, form_data(exit_blocked))
    assert response.status_code == 429 and str(TOO_MANY) in response.content.decode()
    assert CitizenReport.objects.count() == limit
    # Another address may still report; X-Forwarded-For is not believed by default.
    assert client.post(url, form_data(exit_blocked), HTTP_X_FORWARDED_FOR="10.0.0.9"
                       ).status_code == 429
    assert client.post(url, form_data(exit_blocked), REMOTE_ADDR="10.0.0.9").status_code == 200


def test_rate_limit_per_token(client, code, exit_blocked, monkeypatch):
    monkeypatch.setattr(ratelimit, "REPORTS_PER_TOKEN", (2, 86400))
    url = reverse("public:report_at_place", args=[code.token])
    for n in range(2):
        assert client.post(url, form_data(exit_blocked), REMOTE_ADDR=f"10.0.1.{n}"
                           ).status_code == 200
    assert client.post(url, form_data(exit_blocked), REMOTE_ADDR="10.0.1.9").status_code == 429
    assert CitizenReport.objects.count() == 2


def test_ratelimit_counts_per_window(db):
    now = timezone.now()
    assert all(ratelimit.allow("k", 3, 60, now) for _ in range(3))
    assert not ratelimit.allow("k", 3, 60, now)
    assert ratelimit.allow("k", 3, 60, now + datetime.timedelta(seconds=61))
    assert RateLimitHit.objects.filter(key="k").count() == 2


def test_forwarded_for_is_trusted_only_when_configured(rf, settings):
    request = rf.get("/", REMOTE_ADDR="1.2.3.4", HTTP_X_FORWARDED_FOR="5.6.7.8, 1.2.3.4")
    assert ratelimit.client_address(request) == "1.2.3.4"
    settings.FIRELEDGER_TRUST_X_FORWARDED_FOR = True
    assert ratelimit.client_address(request) == "5.6.7.8"


# --- the status page ----------------------------------------------------------------------

def test_tracking_is_unguessable_and_unknown_is_404(client, places, exit_blocked):
    first = receive_at(places["mall"], exit_blocked)
    second = receive_at(places["mall"], exit_blocked)
    assert len(first.tracking) >= 22 and first.tracking != second.tracking
    assert len(base64.urlsafe_b64decode(first.tracking + "==")) == 16  # 128 random bits
    assert client.get(reverse("public:report_status", args=["x" * 22])).status_code == 404
    assert client.get(reverse("public:report_status", args=[first.tracking])).status_code == 200


def test_status_page_shows_no_contact_photo_or_internal_detail(client, places, exit_blocked,
                                                               users):
    report = receive_at(places["mall"], exit_blocked, contact_name=NAME, contact_phone=PHONE,
                        photos=[upload(jpeg_with_exif())])
    html = client.get(reverse("public:report_status", args=[report.tracking])).content.decode()
    for secret in (NAME, PHONE, report.description, "<img", "reports/", places["mall"].name):
        assert secret not in html
    hazard = reports.accept(users["street_officer"], report,
                            deadline=timezone.localdate() + datetime.timedelta(days=5),
                            location_in_place="二层东侧内部备注")
    html = client.get(reverse("public:report_status", args=[report.tracking])).content.decode()
    assert ACCEPTED in html and hazard.get_status_display() in html
    for secret in (NAME, PHONE, "二层东侧内部备注", "<img", f"/hazards/{hazard.pk}/"):
        assert secret not in html


# --- who sees the reporter ----------------------------------------------------------------

def test_contact_only_on_the_triage_page_for_an_officer_who_may_triage(
        client, places, exit_blocked, users, tree, login):
    report = receive_at(places["mall"], exit_blocked, contact_name=NAME, contact_phone=PHONE)
    url = reverse("public:triage", args=[report.pk])
    html = login(users["street_officer"]).get(url).content.decode()
    assert NAME in html and PHONE in html
    assert NAME not in json.dumps([e.after for e in AuditEvent.objects.all()], ensure_ascii=False)
    # Another street's officer: not theirs at all (404); the unit manager: no (404).
    other = User.objects.create_user(username="street2", password="x")
    RoleAssignment.objects.create(user=other, role=Role.STREET_OFFICER,
                                  jurisdiction=tree["street2"])
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.get(reverse("public:triage_list")).content.decode().count("report-row") == 0
    client.force_login(users["unit_manager"])
    response = client.get(url)
    assert response.status_code == 404 and NAME not in response.content.decode()
    client.force_login(users["street_officer"])
    assert client.get(reverse("public:triage_list")).content.decode().count(
        'class="report-row"') == 1
    photo_report = receive_at(places["mall"], exit_blocked, photos=[upload(jpeg_with_exif())])
    photo_url = reverse("public:report_photo", args=[photo_report.photos.get().pk])
    assert client.get(photo_url).status_code == 200
    client.force_login(other)
    assert client.get(photo_url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_the_inbox_lists_reports_to_triage(client, places, exit_blocked, users, login):
    receive_at(places["mall"], exit_blocked)
    html = login(users["street_officer"]).get(reverse("hazards:inbox")).content.decode()
    assert 'id="inbox-citizen_reports"' in html
    html = login(users["unit_manager"]).get(reverse("hazards:inbox")).content.decode()
    assert 'id="inbox-citizen_reports"' not in html


# --- triage -------------------------------------------------------------------------------

def in_days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def test_accept_logs_a_hazard_through_the_services_with_the_photos(places, exit_blocked, users):
    report = receive_at(places["mall"], exit_blocked, photos=[upload(jpeg_with_exif())],
                        contact_name=NAME, contact_phone=PHONE)
    officer = users["street_officer"]
    hazard = reports.accept(officer, report, deadline=in_days(7))
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.hazard == hazard
    assert report.triaged_by == officer and report.triaged_at is not None
    assert hazard.source == Source.CITIZEN_REPORT and hazard.description == report.description
    assert hazard.place == places["mall"] and hazard.status == lifecycle.PENDING
    assert hazard.photos.count() == 1 and hazard.found_by == officer
    assert AuditEvent.objects.filter(object_type="hazards.hazard", object_id=str(hazard.pk),
                                     actor=officer).exists()
    with pytest.raises(ValidationError):  # triaged once only
        reports.reject(officer, report, "重复")


def test_accept_is_all_or_nothing(places, exit_blocked, users):
    report = receive_at(places["mall"], exit_blocked)
    with pytest.raises(ValidationError):
        reports.accept(users["street_officer"], report, deadline=in_days(-1))
    report.refresh_from_db()
    assert report.status == ReportStatus.RECEIVED and not Hazard.objects.exists()


def test_a_general_report_is_accepted_at_a_place_the_officer_names(tree, places, exit_blocked,
                                                                   users):
    report = reports.receive(street=tree["street1"], address="民权路1号", category=exit_blocked,
                             description="商场出口锁闭", client_key="x")
    with pytest.raises(ValidationError):
        reports.accept(users["street_officer"], report, deadline=in_days(5))
    hazard = reports.accept(users["street_officer"], report, place=places["mall"],
                            deadline=in_days(5))
    assert hazard.place == places["mall"]


def test_who_may_triage(places, exit_blocked, users):
    report = receive_at(places["mall"], exit_blocked)
    for role in ("unit_manager", "nobody"):
        with pytest.raises(PermissionDenied):
            reports.reject(users[role], report, "不属实")
    hotel_report = receive_at(places["hotel"], exit_blocked)
    with pytest.raises(PermissionDenied):
        reports.reject(users["street_officer"], hotel_report, "不属实")


def test_likely_duplicates_and_mark_duplicate(places, exit_blocked, users):
    officer = users["street_officer"]
    mall = places["mall"]
    other_category = HazardCategory.objects.exclude(pk=exit_blocked.pk).filter(
        children__isnull=True).first()
    same = hazard_services.log_hazard(officer, mall, category=exit_blocked,
                                      description="出口堵塞", deadline=in_days(5))
    hazard_services.log_hazard(officer, mall, category=other_category, description="别的",
                               deadline=in_days(5))
    hazard_services.log_hazard(officer, mall, category=exit_blocked, description="已整改",
                               fixed_on_spot=True)
    hazard_services.log_hazard(officer, places["compound"], category=exit_blocked,
                               description="别处", deadline=in_days(5))
    report = receive_at(mall, exit_blocked)
    assert list(reports.likely_duplicates(report)) == [same]
    elsewhere = Hazard.objects.get(description="别处")
    with pytest.raises(ValidationError):
        reports.mark_duplicate(officer, report, elsewhere)
    closed = Hazard.objects.get(description="已整改")
    with pytest.raises(ValidationError):
        reports.mark_duplicate(officer, report, closed)
    reports.mark_duplicate(officer, report, same)
    report.refresh_from_db()
    assert report.status == ReportStatus.DUPLICATE and report.hazard == same


def test_reject_needs_a_reason_the_reporter_sees(client, places, exit_blocked, users):
    report = receive_at(places["mall"], exit_blocked)
    with pytest.raises(ValidationError):
        reports.reject(users["street_officer"], report, "  ")
    reports.reject(users["street_officer"], report, "现场核查，出口畅通")
    html = client.get(reverse("public:report_status", args=[report.tracking])).content.decode()
    assert "现场核查，出口畅通" in html


def test_reward_is_recorded_for_an_accepted_report(places, exit_blocked, users):
    report = receive_at(places["mall"], exit_blocked)
    with pytest.raises(ValidationError):
        reports.decide_reward(users["street_officer"], report, True, "")
    reports.accept(users["street_officer"], report, deadline=in_days(5))
    reports.decide_reward(users["street_officer"], report, True, "奖励200元")
    report.refresh_from_db()
    assert report.reward == "granted" and report.reward_note == "奖励200元"


def test_every_step_is_audited_without_contact_details(places, exit_blocked, users):
    officer = users["street_officer"]
    report = receive_at(places["mall"], exit_blocked, contact_name=NAME, contact_phone=PHONE,
                        photos=[upload(jpeg_with_exif())])
    created = AuditEvent.objects.get(object_type="public.citizenreport", action="create")
    assert created.actor is None
    assert AuditEvent.objects.filter(object_type="public.reportphoto").count() == 1
    reports.accept(officer, report, deadline=in_days(5))
    reports.decide_reward(officer, report, False, "线索已知")
    rejected = receive_at(places["mall"], exit_blocked, contact_name=NAME, contact_phone=PHONE)
    reports.reject(officer, rejected, "不属实")
    changes = AuditEvent.objects.filter(object_type="public.citizenreport", action="change")
    assert changes.count() == 3 and all(e.actor == officer for e in changes)
    payloads = audit_payloads(report)
    assert NAME not in payloads and PHONE not in payloads


# --- the triage pages ---------------------------------------------------------------------

def test_triage_pages_accept_reject_and_reward(client, places, exit_blocked, users, login):
    report = receive_at(places["mall"], exit_blocked, photos=[upload(jpeg_with_exif())])
    client = login(users["street_officer"])
    html = client.get(reverse("public:triage", args=[report.pk])).content.decode()
    assert 'id="triage-accept"' in html and 'id="likely-duplicates"' in html
    assert reverse("public:report_photo", args=[report.photos.get().pk]) in html
    url = reverse("public:triage_action", args=[report.pk, "reject"])
    assert client.post(url, {"reject-reason": ""}).status_code == 400
    url = reverse("public:triage_action", args=[report.pk, "accept"])
    response = client.post(url, {"accept-category": str(exit_blocked.pk),
                                 "accept-deadline": in_days(5).isoformat()})
    assert response.status_code == 302, response.content.decode()[:3000]
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.hazard.photos.count() == 1
    response = client.post(reverse("public:triage_action", args=[report.pk, "reward"]),
                           {"reward-decision": "granted", "reward-note": "一次"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.reward == "granted"
    assert client.post(reverse("public:triage_action", args=[report.pk, "reject"]),
                       {"reject-reason": "x"}).status_code == 403


def test_officers_find_citizen_reports_in_the_nav_unit_managers_do_not(client, users):
    from django.urls import reverse

    for role, shown in (("street_officer", True), ("district_office", True),
                        ("unit_manager", False)):
        client.force_login(users[role])
        page = client.get(reverse("inspections:list")).content.decode()
        assert ('id="nav-reports"' in page) is shown, role
