"""Determination pages: the assistant, the decision, the list, the hazard page's card."""

import importlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from fireledger.hazards import services_determination as det
from fireledger.hazards.models import Determination, DeterminationRuleSet

Status = Determination.Status


@pytest.fixture
def rule_sets(db):
    from django.apps import apps

    importlib.import_module("fireledger.hazards.migrations.0007_major_determination").add(
        apps, None)
    return {r.code: r for r in DeterminationRuleSet.objects.all()}


@pytest.fixture
def hazard(users, places, log):
    return log(users["street_officer"], places["mall"], description="商场安全出口数量不足")


@pytest.fixture
def proposal(rule_sets, users, hazard):
    return det.propose(users["street_officer"], hazard, rule_set=rule_sets["GB35181-2017"],
                       findings=["6.5"], place_classes=["人员密集场所"])


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return gettext(msgid)


def decision_post(**kw):
    data = {"decision": "confirm", "basis": "collective_discussion",
            "meeting_on": timezone.localdate().isoformat(), "participants": "张三\n李四\n王五",
            "minutes": "经集体讨论，认定为重大火灾隐患。", "note": ""}
    data.update(kw)
    return data


# --- the assistant --------------------------------------------------------------------------

def test_assistant_prefills_place_and_lists_sections(login, users, hazard, rule_sets):
    response = login(users["street_officer"]).get(reverse("hazards:determine", args=[hazard.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="place_classes" value="人员密集场所" checked' in html  # a mall is crowded
    assert 'value="6.5"' in html and 'value="7.3.9"' in html
    assert 'data-section="6"' in html and 'data-section="7.3"' in html
    assert "解放碑时代广场" in html and "98.0" in html  # the place's facts
    assert 'id="incomplete-warning"' not in html and 'id="propose-button"' not in html


def test_assistant_check_shows_direct_element(login, users, hazard, rule_sets):
    client = login(users["street_officer"])
    response = client.post(reverse("hazards:determine", args=[hazard.pk]), {
        "rule_set": "GB35181-2017", "place_classes": ["人员密集场所"], "findings": ["6.5"],
        "check": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-outcome="direct"' in html and 'data-code="6.5"' in html
    assert 'id="propose-button"' in html
    assert not Determination.objects.exists()


def test_assistant_live_partial_comprehensive(login, users, hazard, rule_sets):
    client = login(users["street_officer"])
    response = client.post(reverse("hazards:determine", args=[hazard.pk]), {
        "rule_set": "GB35181-2017", "place_classes": ["人员密集场所"],
        "findings": ["7.3.6", "7.3.9"]}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html  # only the result panel
    assert 'data-outcome="not_major"' in html
    assert 'data-rule="5.3-crowded" data-count="2" data-threshold="3"' in html
    assert 'id="propose-button"' not in html


def test_assistant_live_partial_names_the_problem(login, users, hazard, rule_sets):
    response = login(users["street_officer"]).post(
        reverse("hazards:determine", args=[hazard.pk]), {
            "rule_set": "GB35181-2017", "findings": ["6.5"]}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # htmx swaps only a 2xx answer
    html = response.content.decode()
    assert 'id="assistant-error"' in html and 'id="outcome"' not in html
    with translation.override("zh-hans"):
        assert zh("Tick at least one place class.") in html


def test_assistant_shows_exclusion(login, users, hazard, rule_sets):
    response = login(users["street_officer"]).post(
        reverse("hazards:determine", args=[hazard.pk]), {
            "rule_set": "GB35181-2017", "place_classes": ["人员密集场所"], "findings": ["6.5"],
            "exclusions": ["5.1.3(b)"], "check": "1"})
    html = response.content.decode()
    assert 'data-outcome="excluded"' in html and 'id="excluded-by"' in html
    assert "单位、场所已经停产停业或停止使用的" in html
    assert 'id="propose-button"' not in html


def test_propose_records_and_redirects(login, users, hazard, rule_sets):
    response = login(users["street_officer"]).post(
        reverse("hazards:determine", args=[hazard.pk]), {
            "rule_set": "GB35181-2017", "place_classes": ["人员密集场所"], "findings": ["6.5"],
            "note": "现场核实", "propose": "1"})
    d = Determination.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("hazards:determination", args=[d.pk])
    assert (d.outcome, d.proposal_note, d.proposed_by) == ("direct", "现场核实",
                                                           users["street_officer"])


def test_propose_not_major_is_400_and_nothing_saved(login, users, hazard, rule_sets):
    response = login(users["street_officer"]).post(
        reverse("hazards:determine", args=[hazard.pk]), {
            "rule_set": "GB35181-2017", "place_classes": ["人员密集场所"],
            "findings": ["7.3.6"], "propose": "1"})
    assert response.status_code == 400
    assert 'id="assistant-error"' in response.content.decode()
    assert not Determination.objects.exists()


def test_incomplete_rule_set_warns_and_cannot_propose(login, users, hazard, rule_sets):
    client = login(users["street_officer"])
    url = reverse("hazards:determine", args=[hazard.pk])
    html = client.get(url + "?rule_set=GB35181-2025").content.decode()
    assert 'id="incomplete-warning"' in html and 'id="result-incomplete"' in html
    assert 'name="findings"' not in html and 'id="propose-button"' not in html
    response = client.post(url, {"rule_set": "GB35181-2025", "place_classes": ["人员密集场所"],
                                 "propose": "1"})
    assert response.status_code == 400
    assert not Determination.objects.exists()


@pytest.mark.parametrize("role,status", [("unit_manager", 403), ("nobody", 404),
                                         ("grid_worker", 200), ("district_office", 200)])
def test_assistant_access(login, users, hazard, rule_sets, role, status):
    response = login(users[role]).get(reverse("hazards:determine", args=[hazard.pk]))
    assert response.status_code == status


def test_assistant_other_street_is_404(login, users, places, log, admin_user, rule_sets):
    other = log(admin_user, places["hotel"])
    response = login(users["street_officer"]).get(reverse("hazards:determine", args=[other.pk]))
    assert response.status_code == 404


# --- the decision ---------------------------------------------------------------------------

def test_district_office_sees_the_decision_form(login, users, proposal):
    html = login(users["district_office"]).get(
        reverse("hazards:determination", args=[proposal.pk])).content.decode()
    assert 'id="decision-form"' in html and 'data-code="6.5"' in html
    html = login(users["street_officer"]).get(
        reverse("hazards:determination", args=[proposal.pk])).content.decode()
    assert 'id="decision-form"' not in html and 'id="withdraw-form"' in html


def test_confirm_with_expert_panel_and_pdf(login, users, proposal, hazard):
    pdf = SimpleUploadedFile("纪要.pdf", b"%PDF-1.4\n%x\n", content_type="application/pdf")
    client = login(users["district_office"])
    response = client.post(reverse("hazards:determination_decide", args=[proposal.pk]),
                           decision_post(basis="expert_panel", experts_agreeing="6",
                                         participants="\n".join(f"专家{i}" for i in range(7)),
                                         minutes_file=pdf))
    assert response.status_code == 302
    proposal.refresh_from_db()
    hazard.refresh_from_db()
    assert proposal.status == Status.CONFIRMED and hazard.is_major
    assert proposal.experts_agreeing == 6
    page = client.get(reverse("hazards:determination", args=[proposal.pk])).content.decode()
    assert 'data-basis="expert_panel"' in page and 'id="minutes-file"' in page
    download = client.get(reverse("hazards:determination_minutes", args=[proposal.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(
        b"%PDF-")


def test_decision_errors_are_400_on_the_field(login, users, proposal, hazard):
    response = login(users["district_office"]).post(
        reverse("hazards:determination_decide", args=[proposal.pk]),
        decision_post(participants="张三"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'name="participants" cols="40" rows="4" class="form-control is-invalid"' in html
    proposal.refresh_from_db()
    assert proposal.status == Status.PROPOSED


@pytest.mark.parametrize("role,status", [("street_officer", 403), ("grid_worker", 403),
                                         ("unit_manager", 403), ("nobody", 404)])
def test_decide_access(login, users, proposal, role, status):
    response = login(users[role]).post(
        reverse("hazards:determination_decide", args=[proposal.pk]), decision_post())
    assert response.status_code == status
    proposal.refresh_from_db()
    assert proposal.status == Status.PROPOSED


def test_withdraw_view(login, users, proposal):
    response = login(users["street_officer"]).post(
        reverse("hazards:determination_withdraw", args=[proposal.pk]), {"note": "重新核实"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN


# --- list and hazard page -------------------------------------------------------------------

def test_pending_list_for_the_district_office(login, users, proposal,
                                             django_assert_max_num_queries):
    client = login(users["district_office"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("hazards:determinations"))
    html = response.content.decode()
    assert html.count('class="list-group-item list-group-item-action determination-row"') == 1
    assert reverse("hazards:determination", args=[proposal.pk]) in html
    html = client.get(reverse("hazards:determinations") + "?status=confirmed").content.decode()
    assert "determination-row" not in html


def test_list_is_scoped(login, users, proposal):
    html = login(users["nobody"]).get(reverse("hazards:determinations")).content.decode()
    assert "determination-row" not in html


def test_hazard_page_card(login, users, hazard, proposal):
    html = login(users["district_office"]).get(
        reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert 'id="determination-card"' in html and 'id="decide-link"' in html
    assert 'data-status="proposed"' in html
    assert zh("Major-hazard determination") in html or "Major-hazard determination" in html
    html = login(users["unit_manager"]).get(
        reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert 'id="determine-link"' not in html and 'id="decide-link"' not in html


def test_hazard_page_offers_the_assistant(login, users, hazard, rule_sets):
    html = login(users["street_officer"]).get(
        reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert reverse("hazards:determine", args=[hazard.pk]) in html


def test_inbox_section_for_the_district_office(login, users, proposal, hazard):
    from fireledger.hazards import inbox

    today = timezone.localdate()
    sections = {s.key: s for s in inbox.sections(users["district_office"], today)}
    assert sections["determinations"].count == 1
    assert sections["determinations"].rows[0].hazard == hazard
    assert "determinations" not in {s.key for s in inbox.sections(users["street_officer"], today)}
    html = login(users["district_office"]).get(reverse("hazards:inbox")).content.decode()
    assert 'id="inbox-determinations"' in html
    assert reverse("hazards:detail", args=[hazard.pk]) in html


def test_inbox_section_scoped_to_the_district(users, proposal):
    from fireledger.core.choices import Level, Role
    from fireledger.core.models import Jurisdiction, RoleAssignment, User
    from fireledger.hazards import inbox

    other = Jurisdiction.objects.create(code="500104000000", name="大渡口区",
                                        level=Level.DISTRICT)
    office = User.objects.create_user(username="other-office", password="x")
    RoleAssignment.objects.create(user=office, role=Role.DISTRICT_OFFICE, jurisdiction=other)
    sections = {s.key: s for s in inbox.sections(office, timezone.localdate())}
    assert sections["determinations"].count == 0
    assert not det.may_decide(office, proposal)
