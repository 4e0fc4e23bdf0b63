"""The commitment pages (三自主两公开一承诺) through the Django test client: the logged-in unit's
commitment, invitations and the invited unit's whole flow without a login, 承诺不实 and the
unit's record. The checklist is built here, not taken from the seeded ones."""

import datetime
import secrets

import pytest
from django.urls import reverse
from django.utils import timezone

from fireledger.core.choices import Role
from fireledger.core.models import Organisation, RoleAssignment, User
from fireledger.hazards.models import Hazard, HazardCategory
from fireledger.inspections import services
from fireledger.inspections.forms_commitment import BAD_PHONE
from fireledger.inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    Commitment,
    Inspection,
    Invitation,
)
from fireledger.places.choices import Category
from fireledger.places.models import Place


def make_user(username, role, jurisdiction, **extra):
    user = User.objects.create_user(username=username, password="x", first_name=username)
    RoleAssignment.objects.create(user=user, role=role, jurisdiction=jurisdiction, **extra)
    return user

GOOD = {
    "signer_name": "王经理", "responsible_person": "王经理", "responsible_phone": "13800000001",
    "safety_manager": "李主管", "safety_manager_phone": "023-63000000", "confirmed": "on",
}


@pytest.fixture
def own_version(db, admin_user):
    """A three-item mall checklist of this module's own, snapshotted."""
    template = ChecklistTemplate.objects.create(
        code="commitment-test-mall", name="商场自查表（承诺测试）", place_categories=[Category.MALL])
    for n, (text, code) in enumerate([("疏散楼梯间无杂物堆放", "hr.03.1"),
                                      ("消火栓箱内器材齐全", "hr.02.1"),
                                      ("灭火器在有效期内", "mall.1")], start=1):
        ChecklistItem.objects.create(template=template, number=str(n), area="疏散与设施", text=text,
                                     category=HazardCategory.objects.get(code=code), sort_order=n)
    return services.snapshot_version(admin_user, template)


@pytest.fixture
def mall(places):
    """The mall with its persons on the ledger (the commitment form starts from them)."""
    Place.objects.filter(pk=places["mall"].pk).update(
        responsible_person="张总", responsible_phone="13900000009", safety_manager="赵工",
        safety_manager_phone="13900000010")
    return Place.objects.get(pk=places["mall"].pk)


def run_inspection(actor, place, version, outcomes=None, *, kind="self", invitation=None):
    """Started, answered (items not named pass), signed and submitted through the services."""
    inspection = services.start_inspection(actor, place, kind=kind, version=version,
                                           invitation=invitation)
    for r in inspection.results.order_by("sort_order"):
        outcome = (outcomes or {}).get(r.number, "pass")
        note = "现场发现问题" if outcome in ("fixed", "hazard") else ""
        services.save_result(actor, r, invitation=invitation, outcome=outcome, note=note)
    services.sign(actor, inspection, name="签名人", confirmed=True, invitation=invitation)
    return services.submit(actor, inspection, invitation=invitation)


def sign_commitment(actor, inspection, invitation=None):
    data = {k: v for k, v in GOOD.items() if k != "confirmed"}
    return services.sign_commitment(actor, inspection, invitation=invitation, **data)


def commitment_url(inspection):
    return reverse("inspections:commitment", kwargs={"pk": inspection.pk})


def invite_url(invitation):
    return reverse("inspections:invite", kwargs={"token": invitation.token})


# --- the logged-in unit's commitment ----------------------------------------------------

def test_submitting_a_self_inspection_leads_to_the_prefilled_commitment_form(
        client, users, mall, own_version):
    manager = users["unit_manager"]
    inspection = services.start_inspection(manager, mall, kind="self", version=own_version)
    for r in inspection.results.all():
        services.save_result(manager, r, outcome="pass")
    services.sign(manager, inspection, name="王经理", confirmed=True)
    client.force_login(manager)
    response = client.post(reverse("inspections:submit", kwargs={"pk": inspection.pk}))
    assert response.status_code == 302 and response["Location"] == commitment_url(inspection)

    response = client.get(commitment_url(inspection))
    assert response.status_code == 200
    page = response.content.decode()
    assert services.COMMITMENT_WORDING in page
    form = response.context["form"]
    assert form["responsible_person"].value() == "张总"
    assert form["responsible_phone"].value() == "13900000009"
    assert form["safety_manager"].value() == "赵工"
    assert form["safety_manager_phone"].value() == "13900000010"
    assert form["signer_name"].value() == manager.display_name

    response = client.post(commitment_url(inspection), GOOD)
    assert response.status_code == 302 and response["Location"] == commitment_url(inspection)
    commitment = Commitment.objects.get(inspection=inspection)
    today = timezone.localdate()
    assert (commitment.signer_name, commitment.safety_manager_phone) == ("王经理", "023-63000000")
    assert commitment.signed_by == manager and commitment.signed_on == today
    assert commitment.valid_until == services.valid_until(today)
    assert commitment.organisation == mall.manager

    response = client.get(commitment_url(inspection))
    assert response.status_code == 200 and response.context["form"] is None
    assert 'data-state="in_force"' in response.content.decode()
    # The place page's tab shows it with the persons it publishes.
    page = client.get(reverse("places:detail", kwargs={"pk": mall.pk})).content.decode()
    assert "李主管" in page and "023-63000000" in page
    # The self-inspection's record shows the commitment.
    response = client.get(reverse("inspections:detail", kwargs={"pk": inspection.pk}))
    assert response.context["commitment_panel"]["commitment"] == commitment


def test_the_record_offers_the_creator_to_sign(client, users, mall, own_version):
    inspection = run_inspection(users["unit_manager"], mall, own_version)
    client.force_login(users["unit_manager"])
    page = client.get(reverse("inspections:detail", kwargs={"pk": inspection.pk})).content.decode()
    assert 'id="go-sign-commitment"' in page and commitment_url(inspection) in page
    client.force_login(users["street_officer"])
    page = client.get(reverse("inspections:detail", kwargs={"pk": inspection.pk})).content.decode()
    assert 'id="go-sign-commitment"' not in page


def test_someone_else_cannot_open_or_sign_the_commitment(client, users, tree, mall, own_version):
    inspection = run_inspection(users["unit_manager"], mall, own_version)
    client.force_login(users["street_officer"])  # sees the place, did not self-inspect
    assert client.get(commitment_url(inspection)).status_code == 403
    assert client.post(commitment_url(inspection), GOOD).status_code == 403
    other_street = make_user("street2", Role.STREET_OFFICER, tree["street2"])
    client.force_login(other_street)
    assert client.get(commitment_url(inspection)).status_code == 404
    other_unit = make_user("unit2", Role.UNIT_MANAGER, tree["street1"],
                           organisation=Organisation.objects.create(name="别的单位"))
    client.force_login(other_unit)
    assert client.post(commitment_url(inspection), GOOD).status_code == 404
    assert not Commitment.objects.exists()
    client.logout()
    assert client.get(commitment_url(inspection)).status_code == 302  # to the login page


def test_not_a_submitted_self_inspection(client, users, mall, own_version):
    client.force_login(users["street_officer"])
    sweep = run_inspection(users["street_officer"], mall, own_version, kind="sweep")
    assert client.get(commitment_url(sweep)).status_code == 404
    client.force_login(users["unit_manager"])
    draft = services.start_inspection(users["unit_manager"], mall, kind="self",
                                      version=own_version)
    response = client.get(commitment_url(draft))
    assert response.status_code == 302
    assert response["Location"] == reverse("inspections:detail", kwargs={"pk": draft.pk})


@pytest.mark.parametrize("change, field", [
    ({"responsible_phone": "12345"}, "responsible_phone"),
    ({"safety_manager_phone": "电话"}, "safety_manager_phone"),
    ({"safety_manager": "  "}, "safety_manager"),
    ({"responsible_person": ""}, "responsible_person"),
    ({"signer_name": ""}, "signer_name"),
    ({"confirmed": ""}, "confirmed"),
])
def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(
        client, users, mall, own_version, change, field):
    inspection = run_inspection(users["unit_manager"], mall, own_version)
    client.force_login(users["unit_manager"])
    data = {k: v for k, v in {**GOOD, **change}.items() if v != ""}
    response = client.post(commitment_url(inspection), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [field]
    page = response.content.decode()
    assert 'id="commitment-errors"' in page
    for message in form.errors[field]:
        assert message in page
    assert not Commitment.objects.exists()
    # What was typed is kept.
    assert form["signer_name"].value() == data.get("signer_name")


def test_messages_are_in_the_site_language(client, users, mall, own_version):
    """The phone and tick messages are gettext strings, shown in the site's language."""
    from django.utils import translation

    from fireledger.inspections.forms_commitment import CommitmentForm

    inspection = run_inspection(users["unit_manager"], mall, own_version)
    client.force_login(users["unit_manager"])
    response = client.post(commitment_url(inspection),
                           {**GOOD, "responsible_phone": "123", "confirmed": ""})
    with translation.override("zh-hans"):
        expected = [str(BAD_PHONE),
                    str(CommitmentForm.base_fields["confirmed"].error_messages["required"])]
    page = response.content.decode()
    for message in expected:
        assert message in page


def test_phone_numbers_are_tidied(client, users, mall, own_version):
    inspection = run_inspection(users["unit_manager"], mall, own_version)
    client.force_login(users["unit_manager"])
    response = client.post(commitment_url(inspection), {
        **GOOD, "responsible_phone": "138 0000 0001", "safety_manager_phone": "０２３－６３０００００"})
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    assert (commitment.responsible_phone, commitment.safety_manager_phone) == (
        "13800000001", "023-6300000")


def test_a_second_signing_is_refused(client, users, mall, own_version):
    inspection = run_inspection(users["unit_manager"], mall, own_version)
    client.force_login(users["unit_manager"])
    assert client.post(commitment_url(inspection), GOOD).status_code == 302
    response = client.post(commitment_url(inspection), {**GOOD, "signer_name": "另一个人"})
    assert response.status_code == 400
    assert 'id="commitment-error"' in response.content.decode()
    assert Commitment.objects.get().signer_name == "王经理"


# --- invitations -------------------------------------------------------------------------

def test_a_street_officer_creates_an_invitation_a_unit_manager_may_not(client, users, tree, mall):
    url = reverse("inspections:invite_create", kwargs={"place_pk": mall.pk})
    client.force_login(users["unit_manager"])
    assert client.post(url, {"days": "14"}).status_code == 403
    page = client.get(reverse("places:detail", kwargs={"pk": mall.pk})).content.decode()
    assert 'id="invite-card"' not in page
    client.force_login(make_user("street2", Role.STREET_OFFICER, tree["street2"]))
    assert client.post(url, {"days": "14"}).status_code == 404
    assert not Invitation.objects.exists()

    client.force_login(users["street_officer"])
    response = client.post(url, {"days": "7"})
    assert response.status_code == 302
    assert response["Location"] == reverse("places:detail", kwargs={"pk": mall.pk})
    invitation = Invitation.objects.get()
    assert invitation.created_by == users["street_officer"] and invitation.place == mall
    assert invitation.organisation == mall.manager
    assert invitation.expires_on == timezone.localdate() + datetime.timedelta(days=7)
    page = client.get(reverse("places:detail", kwargs={"pk": mall.pk})).content.decode()
    assert 'id="invite-card"' in page
    assert f"http://testserver{invite_url(invitation)}" in page
    assert invitation.expires_on.strftime("%Y-%m-%d") in page

    # From htmx: the card comes back with the new link on it.
    response = client.post(url, {"days": "30"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    newest = Invitation.objects.order_by("-pk").first()
    assert newest.expires_on == timezone.localdate() + datetime.timedelta(days=30)
    assert invite_url(newest) in response.content.decode()
    assert "invitation-new" in response.content.decode()
    # Days outside the choices: refused, nothing created.
    response = client.post(url, {"days": "365"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and Invitation.objects.count() == 2
    client.logout()
    assert client.post(url, {"days": "7"}).status_code == 302
    assert Invitation.objects.count() == 2


def test_an_invited_unit_self_inspects_and_signs_without_a_login(
        client, users, mall, own_version):
    invitation = services.invite(users["street_officer"], mall)
    landing = invite_url(invitation)

    response = client.get(landing)
    assert response.status_code == 200 and response.context["state"] == "start"
    page = response.content.decode()
    assert mall.name in page and "重庆解放碑物业管理有限公司" in page
    assert own_version in response.context["versions"]
    # Several checklists apply to a mall: one must be chosen.
    if len(response.context["versions"]) > 1:
        assert client.post(landing, {}).status_code == 400
        assert not Inspection.objects.exists()

    response = client.post(landing, {"version": own_version.pk})
    inspection = Inspection.objects.get()
    assert inspection.invitation == invitation and inspection.kind == "self"
    assert inspection.created_by is None and inspection.version == own_version
    edit = reverse("inspections:invite_edit", kwargs={"token": invitation.token,
                                                      "pk": inspection.pk})
    assert response.status_code == 302 and response["Location"] == edit
    # A second tap on "start" goes on with the same draft.
    assert client.post(landing, {"version": own_version.pk})["Location"] == edit
    assert Inspection.objects.count() == 1
    response = client.get(landing)
    assert response.context["state"] == "draft" and edit in response.content.decode()

    assert client.get(edit).status_code == 200
    results = list(inspection.results.order_by("sort_order"))
    answers = [{"outcome": "pass"}, {"outcome": "fixed", "note": "消火栓箱门已修好"},
               {"outcome": "na"}]
    for r, data in zip(results, answers, strict=True):
        response = client.post(f"{edit}results/{r.pk}/", data)
        assert response.status_code == 200, response.content.decode()
    assert client.post(f"{edit}sign/", {"name": "王经理", "confirmed": "on"}).status_code == 302
    response = client.post(f"{edit}submit/")
    assert response.status_code == 302 and response["Location"] == landing
    inspection.refresh_from_db()
    assert inspection.status == "submitted"
    fixed = Hazard.objects.get(place=mall)
    assert fixed.fixed_on_spot and fixed.source == "self_inspection"

    response = client.get(landing)
    assert response.status_code == 200 and response.context["state"] == "commit"
    assert services.COMMITMENT_WORDING in response.content.decode()
    assert response.context["form"]["responsible_person"].value() == "张总"
    response = client.post(landing, {**GOOD, "confirmed": ""})
    assert response.status_code == 400 and list(response.context["form"].errors) == ["confirmed"]
    assert not Commitment.objects.exists()

    response = client.post(landing, GOOD)
    assert response.status_code == 302 and response["Location"] == landing
    commitment = Commitment.objects.get()
    assert commitment.inspection == inspection and commitment.signed_by is None
    assert commitment.organisation == mall.manager
    invitation.refresh_from_db()
    assert invitation.used_at is not None

    response = client.get(landing)  # the thank-you, once
    assert response.status_code == 200 and response.context["state"] == "thanks"
    page = response.content.decode()
    assert 'id="invite-thanks"' in page and "李主管" in page and "023-63000000" in page
    response = client.get(landing)  # then: used
    assert response.status_code == 410 and response.context["state"] == "used"
    assert 'id="invite-closed"' in response.content.decode()
    assert client.post(landing, GOOD).status_code == 410
    assert Commitment.objects.count() == 1
    # The draft pages of a used link change nothing.
    assert client.get(edit)["Location"] == landing
    assert client.post(f"{edit}results/{results[0].pk}/", {"outcome": "hazard"}).status_code \
        in (400, 403)


def test_an_expired_invitation_is_gone(client, users, mall, own_version):
    invitation = services.invite(users["street_officer"], mall)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1))
    response = client.get(invite_url(invitation))
    assert response.status_code == 410 and response.context["state"] == "expired"
    assert mall.name in response.content.decode()
    assert client.post(invite_url(invitation), {"version": own_version.pk}).status_code == 410
    assert not Inspection.objects.exists()


def test_an_invitation_that_expires_after_submission_cannot_sign(
        client, users, mall, own_version):
    invitation = services.invite(users["street_officer"], mall)
    inspection = run_inspection(None, mall, own_version, invitation=invitation)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1))
    assert client.post(invite_url(invitation), GOOD).status_code == 410
    invitation.refresh_from_db()
    with pytest.raises(services.PermissionDenied):
        sign_commitment(None, inspection, invitation=invitation)
    assert not Commitment.objects.exists()


def test_tokens_are_not_guessable(client, users, mall):
    invitation = services.invite(users["street_officer"], mall)
    assert len(invitation.token) >= 32
    assert client.get(reverse("inspections:invite",
                              kwargs={"token": secrets.token_urlsafe(24)})).status_code == 404
    assert client.get(reverse("inspections:invite",
                              kwargs={"token": invitation.token[:-1]})).status_code == 404
    assert client.get(f"/inspections/invite/{invitation.pk}/").status_code == 404


# --- 承诺不实 and the unit's record -----------------------------------------------------

@pytest.fixture
def committed(users, mall, own_version):
    """The unit's clear self-inspection, its commitment, then a street officer's sweep that
    found a hazard on item 1."""
    inspection = run_inspection(users["unit_manager"], mall, own_version)
    commitment = sign_commitment(users["unit_manager"], inspection)
    sweep = run_inspection(users["street_officer"], mall, own_version, {"1": "hazard"},
                           kind="sweep")
    hazard = Hazard.objects.get(place=mall, source="inspection")
    return commitment, sweep, hazard


def test_a_street_officer_marks_the_commitment_untrue(client, users, mall, committed):
    commitment, sweep, hazard = committed
    client.force_login(users["street_officer"])
    response = client.get(reverse("inspections:detail", kwargs={"pk": sweep.pk}))
    panel = response.context["commitment_panel"]
    assert panel["commitment"] == commitment and panel["form"] is not None
    url = reverse("inspections:mark_untrue", kwargs={"pk": commitment.pk})
    assert url in response.content.decode()
    # The place page offers it too.
    page = client.get(reverse("places:detail", kwargs={"pk": mall.pk})).content.decode()
    assert 'id="place-untrue"' in page

    response = client.post(url, {"hazard": hazard.pk, "untrue_note": " "})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["untrue_note"]
    assert Commitment.objects.get().untrue_on is None

    response = client.post(url, {"hazard": hazard.pk, "untrue_note": "承诺无隐患，检查发现楼梯间堆放杂物"})
    record = reverse("inspections:unit_commitments", kwargs={"org_pk": mall.manager_id})
    assert response.status_code == 302 and response["Location"] == record
    commitment.refresh_from_db()
    assert commitment.untrue_on == timezone.localdate()
    assert commitment.untrue_by == users["street_officer"] and commitment.untrue_hazard == hazard

    response = client.get(record)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-state="untrue"' in page and "楼梯间堆放杂物" in page
    assert response.context["counts"] == {"total": 1, "in_force": 0, "untrue": 1}
    # Marked once: the forms are gone, a second mark is refused.
    assert client.get(reverse("inspections:detail", kwargs={"pk": sweep.pk})).context[
        "commitment_panel"]["form"] is None
    assert 'id="place-untrue"' not in client.get(
        reverse("places:detail", kwargs={"pk": mall.pk})).content.decode()
    assert client.post(url, {"hazard": hazard.pk, "untrue_note": "再次"}).status_code == 400
    # The unit manager sees it on their own unit's record and on the place page.
    client.force_login(users["unit_manager"])
    response = client.get(record)
    assert response.status_code == 200 and 'data-state="untrue"' in response.content.decode()
    page = client.get(reverse("places:detail", kwargs={"pk": mall.pk})).content.decode()
    assert "commitment-untrue" in page


def test_next_after_marking_stays_on_the_page(client, users, committed):
    commitment, sweep, hazard = committed
    client.force_login(users["street_officer"])
    detail = reverse("inspections:detail", kwargs={"pk": sweep.pk})
    url = reverse("inspections:mark_untrue", kwargs={"pk": commitment.pk})
    response = client.post(url, {"hazard": hazard.pk, "untrue_note": "不实", "next": detail})
    assert response["Location"] == detail
    Commitment.objects.update(untrue_on=None, untrue_by=None, untrue_hazard=None)
    response = client.post(url, {"hazard": hazard.pk, "untrue_note": "不实",
                                 "next": "https://evil.example/"})
    assert response["Location"].startswith("/inspections/units/")


def test_a_unit_manager_cannot_mark_untrue(client, users, committed):
    commitment, sweep, hazard = committed
    client.force_login(users["unit_manager"])
    url = reverse("inspections:mark_untrue", kwargs={"pk": commitment.pk})
    assert client.post(url, {"hazard": hazard.pk, "untrue_note": "不实"}).status_code == 403
    response = client.get(reverse("inspections:detail", kwargs={"pk": sweep.pk}))
    assert response.context["commitment_panel"] is None
    assert Commitment.objects.get().untrue_on is None


def test_a_self_inspection_hazard_or_a_hazard_before_signing_does_not_count(
        client, users, mall, own_version):
    inspection = run_inspection(users["unit_manager"], mall, own_version)
    commitment = sign_commitment(users["unit_manager"], inspection)
    hazard = Hazard.objects.create(
        place=mall, jurisdiction_code=mall.jurisdiction_code, category=HazardCategory.objects.get(
            code="hr.03.1"), description="签署前发现", found_on=commitment.signed_on
        - datetime.timedelta(days=3), deadline=timezone.localdate() + datetime.timedelta(days=3),
        found_by=users["street_officer"], source="inspection")
    client.force_login(users["street_officer"])
    url = reverse("inspections:mark_untrue", kwargs={"pk": commitment.pk})
    response = client.get(url)
    assert response.status_code == 200 and response.context["candidates"] == []
    assert client.post(url, {"hazard": hazard.pk, "untrue_note": "不实"}).status_code == 400
    assert Commitment.objects.get().untrue_on is None


def test_the_unit_record_is_scoped(client, users, tree, mall, committed):
    record = reverse("inspections:unit_commitments", kwargs={"org_pk": mall.manager_id})
    for user in ("street_officer", "district_office", "grid_worker", "unit_manager"):
        client.force_login(users[user])
        assert client.get(record).status_code == 200, user
    other_unit = make_user("unit2", Role.UNIT_MANAGER, tree["street1"],
                           organisation=Organisation.objects.create(name="别的单位"))
    for user in (other_unit, users["nobody"],
                 make_user("street2", Role.STREET_OFFICER, tree["street2"])):
        client.force_login(user)
        assert client.get(record).status_code == 404, user
    assert client.get(reverse("inspections:unit_commitments",
                              kwargs={"org_pk": 99999})).status_code == 404


def test_a_commitment_falls_due_after_a_year(client, users, mall, own_version):
    inspection = run_inspection(users["unit_manager"], mall, own_version)
    commitment = sign_commitment(users["unit_manager"], inspection)
    today = timezone.localdate()
    Commitment.objects.filter(pk=commitment.pk).update(
        signed_on=today - datetime.timedelta(days=400),
        valid_until=today - datetime.timedelta(days=35))
    client.force_login(users["unit_manager"])
    page = client.get(reverse("places:detail", kwargs={"pk": mall.pk})).content.decode()
    assert 'id="commitment-due"' in page
    assert (today - datetime.timedelta(days=35)).strftime("%Y-%m-%d") in page
    response = client.get(reverse("inspections:unit_commitments",
                                  kwargs={"org_pk": mall.manager_id}))
    assert 'data-state="due"' in response.content.decode()
    assert response.context["counts"]["in_force"] == 0
