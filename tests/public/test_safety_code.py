"""Safety codes (消防安全码): unguessable tokens, the public page's facts and colour, and that it
leaks nothing private; the officer's card, revocation and the printable sign."""

import datetime
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from fireledger.core.models import AuditEvent
from fireledger.hazards import services as hazard_services
from fireledger.hazards.models import HazardCategory, ListedSupervision
from fireledger.inspections.choices import Kind, Status
from fireledger.inspections.models import Commitment, Inspection
from fireledger.public import codes
from fireledger.public.models import CitizenReport, SafetyCode

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{22,}$")
HAZARD_TEXT = "三楼疏散通道堆放纸箱（内部描述）"
ADVICE = "建议立即清理通道（内部意见）"
REPORTER = "举报人王小明"
REPORTER_PHONE = "13911112222"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def category(db):
    return HazardCategory.objects.get(code="hr.03.1")


def _log(actor, place, category, **data):
    data.setdefault("description", HAZARD_TEXT)
    data.setdefault("deadline", timezone.localdate() + datetime.timedelta(days=10))
    if data.get("is_major"):
        data.setdefault("interim_safeguards", "专人值守")
    return hazard_services.log_hazard(actor, place, category=category, **data)


def _inspection(place, on, kind=Kind.JOINT, **extra):
    return Inspection.objects.create(
        place=place, jurisdiction_code=place.jurisdiction_code,
        department_id=place.department_id, kind=kind, status=Status.SUBMITTED,
        inspected_on=on, submitted_at=timezone.now(), **extra)


def _page(client, token):
    cache.clear()
    return client.get(reverse("public:place", args=[token]))


def test_tokens_are_long_urlsafe_and_unique(places):
    tokens = codes.ensure_codes(places.values())
    assert set(tokens) == {p.pk for p in places.values()}
    assert len(set(tokens.values())) == 3
    for token in tokens.values():
        assert TOKEN_RE.match(token), token
    # idempotent: the live codes stay
    assert codes.ensure_codes(places.values()) == tokens
    assert codes.code_for(places["mall"]).token == tokens[places["mall"].pk]


def test_code_for_creates_once_and_audits(places):
    code = codes.code_for(places["mall"])
    assert codes.code_for(places["mall"]) == code
    assert SafetyCode.objects.filter(place=places["mall"]).count() == 1
    assert AuditEvent.objects.filter(object_type="public.safetycode",
                                     object_id=str(code.pk)).exists()


def test_public_page_shows_the_allowed_facts(client, places, admin_user):
    mall = places["mall"]
    inspection = _inspection(mall, datetime.date(2026, 3, 2), advice=ADVICE)
    today = timezone.localdate()
    Commitment.objects.create(
        place=mall, inspection=_inspection(mall, today - datetime.timedelta(days=40),
                                           kind=Kind.SELF),
        wording="本单位承诺消防安全自主管理", signer_name="张经理",
        signed_on=today - datetime.timedelta(days=40),
        valid_until=today + datetime.timedelta(days=300),
        responsible_person="李责任", responsible_phone="023-61234567",
        safety_manager="赵管理", safety_manager_phone="13800001111")
    token = codes.code_for(mall).token
    response = _page(client, token)
    assert response.status_code == 200
    html = response.content.decode()
    assert mall.name in html and mall.address in html
    assert "李责任" in html and "023-61234567" in html
    assert "赵管理" in html and "13800001111" in html
    assert "本单位承诺消防安全自主管理" in html
    assert (today - datetime.timedelta(days=40)).strftime("%Y-%m-%d") in html
    last = max(inspection.inspected_on, today - datetime.timedelta(days=40))
    assert f'id="last-inspection" class="mb-0">{last:%Y-%m-%d}' in html
    assert 'data-colour="green"' in html
    assert ADVICE not in html


def test_persons_fall_back_to_the_ledger(client, places):
    mall = places["mall"]
    mall.responsible_person, mall.responsible_phone = "钱台账", "023-60000000"
    mall.safety_manager, mall.safety_manager_phone = "孙台账", "13700000000"
    mall.save()
    html = _page(client, codes.code_for(mall).token).content.decode()
    assert "钱台账" in html and "023-60000000" in html and "孙台账" in html
    assert "13700000000" in html


def test_colour_in_each_state(client, places, admin_user, category):
    mall = places["mall"]
    token = codes.code_for(mall).token
    assert codes.colour(mall) == "green"
    assert 'data-colour="green"' in _page(client, token).content.decode()

    _log(admin_user, mall, category)
    assert codes.colour(mall) == "yellow"
    assert 'data-colour="yellow"' in _page(client, token).content.decode()

    major = _log(admin_user, mall, category, is_major=True)
    assert codes.colour(mall) == "red"
    assert 'data-colour="red"' in _page(client, token).content.decode()

    # a hazard elsewhere changes nothing here
    _log(admin_user, places["hotel"], category, is_major=True)
    assert codes.colour(places["compound"]) == "green"

    # listed supervision makes a place red even with its major flag taken away
    major.is_major = False
    major.save()
    assert codes.colour(mall) == "yellow"
    listing = ListedSupervision.objects.create(
        hazard=major, jurisdiction_code=mall.jurisdiction_code, proposed_on=timezone.localdate(),
        decision=ListedSupervision.Decision.LISTED)
    assert codes.colour(mall) == "red"
    assert 'data-colour="red"' in _page(client, token).content.decode()
    listing.lifted_on = timezone.localdate()
    listing.save()
    assert codes.colour(mall) == "yellow"


def test_colour_is_one_query(places, django_assert_num_queries):
    with django_assert_num_queries(1):
        codes.colour(places["mall"])


def test_public_page_leaks_nothing_private(client, places, admin_user, category, photo):
    mall = places["mall"]
    hazard = _log(admin_user, mall, category, photos=[photo()], location_in_place="三楼东侧")
    hazard_photo = hazard.photos.get()
    _inspection(mall, timezone.localdate(), advice=ADVICE)
    CitizenReport.objects.create(place=mall, category=category, description="举报内容：消防通道堵塞",
                                 contact_name=REPORTER, contact_phone=REPORTER_PHONE,
                                 jurisdiction_code=mall.jurisdiction_code)
    mall.notes = "内部备注：不公开"
    mall.survey_hazards = "底数普查隐患：不公开"
    mall.save()
    token = codes.code_for(mall).token
    other_tokens = [codes.code_for(p).token for p in (places["hotel"], places["compound"])]
    response = _page(client, token)
    html = response.content.decode()
    assert response.status_code == 200
    for secret in (HAZARD_TEXT, "三楼东侧", hazard_photo.image.name, hazard_photo.image.url,
                   "/media/", ADVICE, REPORTER, REPORTER_PHONE, "举报内容", "内部备注",
                   "底数普查隐患", places["hotel"].name, places["compound"].name, *other_tokens,
                   "/hazards/", "/places/", "/inspections/", "/admin/", mall.code):
        assert secret not in html, secret
    assert not re.search(rf"/{hazard.pk}/|/{mall.pk}/", html)


def test_no_login_no_session_cookie_and_cache_headers(client, places):
    token = codes.code_for(places["mall"]).token
    response = _page(client, token)
    assert response.status_code == 200
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
    assert not response.cookies
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "max-age=" in cache_control
    # the QR image, no login either
    qr = client.get(reverse("public:qr", args=[token]))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content


def _increment(token: str) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    return token[:-1] + alphabet[(alphabet.index(token[-1]) + 1) % len(alphabet)]


def test_unknown_revoked_truncated_incremented_tokens_404(client, places, admin_user,
                                                          django_assert_num_queries):
    mall = places["mall"]
    token = codes.code_for(mall).token
    for bad in ("x" * 22, token[:-1], token[:8], _increment(token), token + "A", token.upper()):
        if bad == token:
            continue
        with django_assert_num_queries(1):  # one indexed lookup, hit or miss
            response = _page(client, bad)
        assert response.status_code == 404, bad
        assert mall.name not in response.content.decode()
        assert client.get(reverse("public:qr", args=[bad])).status_code == 404
    codes.revoke(admin_user, mall)
    assert _page(client, token).status_code == 404
    assert client.get(reverse("public:qr", args=[token])).status_code == 404
    new = codes.code_for(mall)
    assert new.token != token
    assert _page(client, new.token).status_code == 200


def test_cached_page_stops_at_once_when_revoked(client, places, admin_user):
    token = codes.code_for(places["mall"]).token
    url = reverse("public:place", args=[token])
    assert client.get(url).status_code == 200
    codes.revoke(admin_user, places["mall"])
    assert client.get(url).status_code == 404


def test_revoke_is_audited_and_needs_change_rights(places, users):
    from django.core.exceptions import PermissionDenied

    mall = places["mall"]
    code = codes.code_for(mall)
    with pytest.raises(PermissionDenied):
        codes.revoke(users["unit_manager"], mall)
    codes.revoke(users["street_officer"], mall)
    code.refresh_from_db()
    assert code.revoked_at is not None
    event = AuditEvent.objects.filter(object_type="public.safetycode", object_id=str(code.pk),
                                      note="revoked").get()
    assert event.actor == users["street_officer"]


def test_officer_card_is_scoped(client, places, users):
    client.force_login(users["street_officer"])  # 解放碑街道: mall yes, hotel no
    response = client.get(reverse("public:code_card", args=[places["mall"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    token = codes.code_for(places["mall"]).token
    assert token in html and "<svg" in html and reverse("public:sign", args=[places["mall"].pk, "a4"]) in html
    assert client.get(reverse("public:code_card", args=[places["hotel"].pk])).status_code == 404
    assert client.get(reverse("public:sign", args=[places["hotel"].pk, "a4"])).status_code == 404
    assert client.post(reverse("public:revoke", args=[places["hotel"].pk])).status_code == 404
    # the place page links to the card
    detail = client.get(reverse("places:detail", args=[places["mall"].pk])).content.decode()
    assert reverse("public:code_card", args=[places["mall"].pk]) in detail


def test_card_needs_login(client, places):
    response = client.get(reverse("public:code_card", args=[places["mall"].pk]))
    assert response.status_code == 302


def test_revoke_view(client, places, users):
    mall = places["mall"]
    old = codes.code_for(mall).token
    client.force_login(users["unit_manager"])  # may view, may not change
    assert client.post(reverse("public:revoke", args=[mall.pk])).status_code == 404
    client.force_login(users["street_officer"])
    assert client.get(reverse("public:revoke", args=[mall.pk])).status_code == 405
    response = client.post(reverse("public:revoke", args=[mall.pk]))
    assert response.status_code == 302
    assert not SafetyCode.objects.filter(token=old, revoked_at__isnull=True).exists()
    client.get(response["Location"])
    assert codes.code_for(mall).token != old


def test_qr_encodes_the_base_url(settings, places):
    settings.FIRELEDGER_BASE_URL = "https://xf.example.gov.cn/"
    token = codes.code_for(places["mall"]).token
    assert codes.public_url(token) == f"https://xf.example.gov.cn/code/{token}/"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
@pytest.mark.parametrize("size", ["a4", "a5"])
def test_sign_pdf_has_name_and_qr(client, places, users, size):
    client.force_login(users["street_officer"])
    response = client.get(reverse("public:sign", args=[places["mall"].pk, size]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sign.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert places["mall"].name in text
        token = codes.code_for(places["mall"]).token
        assert token in text.replace("\n", "")
        if shutil.which("pdfimages"):
            images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True,
                                    text=True, check=True).stdout
            assert len(images.strip().splitlines()) >= 3  # header, rule, one image
        else:
            assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        if info:
            width = {"a4": "595", "a5": "419"}[size]
            assert f"Page size:      {width}" in info or width in info


def test_sign_unknown_size_404(client, places, users):
    client.force_login(users["street_officer"])
    assert client.get(f"/places/{places['mall'].pk}/safety-code/sign-a3.pdf").status_code == 404
