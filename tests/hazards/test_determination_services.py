"""Major-hazard determination: rule sets from the data migration, propose, decide, withdraw."""

import datetime
import importlib
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fireledger.core.models import AuditEvent
from fireledger.hazards import gb35181, lifecycle
from fireledger.hazards import services_determination as det
from fireledger.hazards.models import Determination, DeterminationRuleSet

Status = Determination.Status
Basis = Determination.Basis
PANEL = "\n".join(f"专家{i}" for i in range(1, 8))
MEETING = "\n".join(["张三", "李四", "王五"])


def load_rule_sets():
    """The migration's rows (a transactional test elsewhere may have flushed them)."""
    from django.apps import apps

    importlib.import_module("fireledger.hazards.migrations.0007_major_determination").add(
        apps, None)
    return {r.code: r for r in DeterminationRuleSet.objects.all()}


@pytest.fixture
def rule_sets(db):
    return load_rule_sets()


@pytest.fixture
def hazard(users, places, log):
    return log(users["street_officer"], places["mall"], description="商场安全出口数量不足")


@pytest.fixture
def propose(rule_sets, users, hazard):
    def _propose(actor=None, findings=("6.5",), classes=("人员密集场所",), **kw):
        return det.propose(actor or users["street_officer"], hazard,
                           rule_set=kw.pop("rule_set", rule_sets["GB35181-2017"]),
                           findings=findings, place_classes=classes, **kw)
    return _propose


def decide(actor, determination, confirm=True, **kw):
    kw.setdefault("basis", Basis.COLLECTIVE_DISCUSSION)
    kw.setdefault("meeting_on", timezone.localdate())
    kw.setdefault("participants", MEETING)
    kw.setdefault("minutes", "会议认为该场所安全出口数量不足，构成重大火灾隐患。")
    return det.decide(actor, determination, confirm=confirm, **kw)


# --- the data migration ---------------------------------------------------------------------

def test_migration_loads_2017_complete_and_2025_incomplete(rule_sets):
    r17, r25 = rule_sets["GB35181-2017"], rule_sets["GB35181-2025"]
    assert (r17.version, r17.complete, r17.edition) == (1, True, "GB 35181-2017")
    assert (r25.version, r25.complete, r25.edition) == (1, False, "GB 35181-2025")
    assert r17.engine() == gb35181.GB35181_2017  # frozen copy equals the engine's data today
    assert r25.engine() == gb35181.GB35181_2025
    assert {g[0] for g in r17.data["groups"]} == {f"7.{i}" for i in range(1, 10)}
    assert r25.data["elements"] == [] and r25.data["missing"]


def test_migration_loader_is_idempotent(rule_sets):
    load_rule_sets()
    assert DeterminationRuleSet.objects.count() == 2


def test_a_new_version_becomes_current(rule_sets):
    r17 = rule_sets["GB35181-2017"]
    DeterminationRuleSet.objects.create(code=r17.code, version=2, edition=r17.edition,
                                        title=r17.title, complete=True, data=r17.data)
    current = {r.code: r.version for r in det.current_rule_sets()}
    assert current == {"GB35181-2017": 2, "GB35181-2025": 1}
    assert det.current_rule_sets()[0].complete  # complete sets first


# --- the transition table -------------------------------------------------------------------

@pytest.mark.parametrize("status,action", list(itertools.product(Status.values, det.TRANSITIONS)))
def test_transition_table_exhaustive(status, action):
    expected = {(Status.PROPOSED, det.CONFIRM): Status.CONFIRMED,
                (Status.PROPOSED, det.REJECT): Status.REJECTED,
                (Status.PROPOSED, det.WITHDRAW): Status.WITHDRAWN}.get((status, action))
    determination = Determination(status=status)
    if expected is None:
        with pytest.raises(ValidationError):
            det._next_status(determination, action)
    else:
        assert det._next_status(determination, action) == expected


@pytest.mark.parametrize("status", [Status.CONFIRMED, Status.REJECTED, Status.WITHDRAWN])
def test_a_closed_determination_cannot_be_decided_or_withdrawn(propose, users, status):
    d = propose()
    Determination.objects.filter(pk=d.pk).update(status=status)
    with pytest.raises(ValidationError):
        decide(users["district_office"], d)
    with pytest.raises(ValidationError):
        decide(users["district_office"], d, confirm=False)
    with pytest.raises(ValidationError):
        det.withdraw(users["street_officer"], d)
    assert Determination.objects.get(pk=d.pk).status == status


# --- propose --------------------------------------------------------------------------------

def test_proposal_stores_engine_output_and_version(propose, users, hazard, rule_sets):
    d = propose(note="现场核实")
    assert d.status == Status.PROPOSED and d.outcome == "direct"
    assert d.rule_set == rule_sets["GB35181-2017"]
    assert d.result["elements_cited"] == ["6.5"]
    assert d.result["rule_set"] == "GB35181-2017" and d.result["rule_set_version"] == 1
    assert d.result["edition"] == "GB 35181-2017" and d.result["proposal_only"] is True
    assert d.findings == [{"element_code": "6.5"}]
    assert d.place_classes == ["人员密集场所"]
    assert d.place_facts["category"] == "mall" and d.place_facts["height_m"] == "98.0"
    assert (d.jurisdiction_code, d.place_id) == (hazard.jurisdiction_code, hazard.place_id)
    event = AuditEvent.objects.get(object_type="hazards.determination", object_id=str(d.pk))
    assert event.action == "create" and event.actor == users["street_officer"]
    hazard.refresh_from_db()
    assert hazard.is_major is False  # a proposal changes nothing on the hazard


def test_comprehensive_proposal_cites_elements_and_counts(propose):
    d = propose(findings=("7.3.6", "7.3.9", "7.5"))
    assert d.outcome == "comprehensive"
    assert d.result["elements_cited"] == ["7.3.6", "7.3.9", "7.5"]
    crowded = next(r for r in d.result["counts"] if r["rule_id"] == "5.3-crowded")
    assert (crowded["count"], crowded["threshold"], crowded["met"]) == (3, 3, True)
    assert "5.3-crowded" in d.result["unverified_basis"]  # the counting rule is [G]


def test_not_major_is_refused_and_nothing_written(propose):
    with pytest.raises(ValidationError) as error:
        propose(findings=("7.3.6", "7.3.9"))
    assert error.value.code == "not_major"
    assert not Determination.objects.exists()


def test_exclusion_prevents_a_proposal(rule_sets):
    result = det.evaluate(rule_sets["GB35181-2017"], findings=["6.5"],
                          place_classes=["人员密集场所"], exclusions_claimed=["5.1.3(b)"])
    assert result.outcome == "excluded" and result.excluded_by == ("5.1.3(b)",)
    assert result.elements_cited == ("6.5",)


def test_exclusion_claimed_refuses_the_proposal(propose):
    with pytest.raises(ValidationError):
        propose(exclusions_claimed=["5.1.3(a)"])
    assert not Determination.objects.exists()


def test_incomplete_rule_set_refused(propose, rule_sets):
    with pytest.raises(ValidationError) as error:
        propose(rule_set=rule_sets["GB35181-2025"])
    assert error.value.code == "incomplete_rules"
    assert not Determination.objects.exists()
    assert det.evaluate(rule_sets["GB35181-2025"], findings=(),
                        place_classes=()).outcome == "incomplete_rules"


def test_unknown_codes_are_named(propose):
    with pytest.raises(ValidationError) as error:
        propose(findings=("6.99",))
    assert "6.99" in str(error.value)
    with pytest.raises(ValidationError) as error:
        propose(classes=("不存在的场所",))
    assert "不存在的场所" in str(error.value)
    with pytest.raises(ValidationError):
        propose(classes=())


def test_one_open_proposal_per_hazard(propose):
    propose()
    with pytest.raises(ValidationError) as error:
        propose()
    assert error.value.code == "duplicate"


def test_closed_hazard_cannot_be_proposed(propose, hazard):
    from fireledger.hazards.models import Hazard

    Hazard.objects.filter(pk=hazard.pk).update(status=lifecycle.CLOSED, closed_on=hazard.found_on)
    with pytest.raises(ValidationError):
        propose()


@pytest.mark.parametrize("role,allowed", [
    ("street_officer", True), ("grid_worker", True), ("department_officer", True),
    ("district_office", True), ("unit_manager", False), ("nobody", False)])
def test_who_may_propose(propose, users, role, allowed):
    if allowed:
        assert propose(actor=users[role]).status == Status.PROPOSED
    else:
        with pytest.raises(PermissionDenied):
            propose(actor=users[role])


def test_street_officer_of_another_street_may_not_propose(rule_sets, users, places, log,
                                                         admin_user):
    other = log(admin_user, places["hotel"])  # 七星岗街道, not the street officer's
    with pytest.raises(PermissionDenied):
        det.propose(users["street_officer"], other, rule_set=rule_sets["GB35181-2017"],
                    findings=["6.5"], place_classes=["人员密集场所"])


# --- decide ---------------------------------------------------------------------------------

def test_confirm_marks_the_hazard_major_with_audit(propose, users, hazard):
    d = decide(users["district_office"], propose())
    assert d.status == Status.CONFIRMED and d.decided_by == users["district_office"]
    assert d.basis == Basis.COLLECTIVE_DISCUSSION and d.participant_list == ["张三", "李四", "王五"]
    hazard.refresh_from_db()
    assert hazard.is_major is True
    change = AuditEvent.objects.filter(object_type="hazards.hazard", object_id=str(hazard.pk),
                                       action="change").latest("id")
    assert change.after == {"is_major": True} and change.actor == users["district_office"]
    assert AuditEvent.objects.filter(object_type="hazards.determination", object_id=str(d.pk),
                                     action="change").exists()


def test_a_confirmed_hazard_is_not_proposed_again(propose, users):
    decide(users["district_office"], propose())
    with pytest.raises(ValidationError) as error:
        propose()
    assert error.value.code == "confirmed"


def test_reject_leaves_the_hazard(propose, users, hazard):
    d = decide(users["district_office"], propose(), confirm=False, note="可立即改正")
    assert d.status == Status.REJECTED
    hazard.refresh_from_db()
    assert hazard.is_major is False
    assert propose().status == Status.PROPOSED  # a rejected proposal may be made again


def test_expert_panel_needs_seven_and_two_thirds(propose, users, hazard):
    d = propose()
    office = users["district_office"]
    with pytest.raises(ValidationError) as error:
        decide(office, d, basis=Basis.EXPERT_PANEL, participants=MEETING, experts_agreeing=3)
    assert "participants" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        decide(office, d, basis=Basis.EXPERT_PANEL, participants=PANEL, experts_agreeing=4)
    assert "experts_agreeing" in error.value.message_dict  # 4/7 < 2/3
    with pytest.raises(ValidationError) as error:
        decide(office, d, confirm=False, basis=Basis.EXPERT_PANEL, participants=PANEL,
               experts_agreeing=5)
    assert "experts_agreeing" in error.value.message_dict  # 5/7 ≥ 2/3 cannot reject
    with pytest.raises(ValidationError):
        decide(office, d, basis=Basis.EXPERT_PANEL, participants=PANEL, experts_agreeing=None)
    d = decide(office, d, basis=Basis.EXPERT_PANEL, participants=PANEL, experts_agreeing=5)
    assert d.status == Status.CONFIRMED and d.experts_agreeing == 5


@pytest.mark.parametrize("field,kw", [
    ("basis", {"basis": ""}),
    ("meeting_on", {"meeting_on": None}),
    ("meeting_on", {"meeting_on": timezone.localdate() + datetime.timedelta(days=1)}),
    ("meeting_on", {"meeting_on": timezone.localdate() - datetime.timedelta(days=1)}),
    ("participants", {"participants": "张三\n李四"}),
    ("minutes", {"minutes": "  "}),
])
def test_decision_record_is_checked(propose, users, hazard, field, kw):
    d = propose()
    with pytest.raises(ValidationError) as error:
        decide(users["district_office"], d, **kw)
    assert field in error.value.message_dict
    d.refresh_from_db()
    hazard.refresh_from_db()
    assert d.status == Status.PROPOSED and not hazard.is_major


@pytest.mark.parametrize("role", ["street_officer", "grid_worker", "department_officer",
                                  "unit_manager", "nobody"])
def test_only_the_district_office_decides(propose, users, role):
    d = propose()
    with pytest.raises(PermissionDenied):
        decide(users[role], d)


def test_minutes_file_pdf_accepted_other_refused(propose, users):
    d = propose()
    bad = SimpleUploadedFile("会议纪要.exe", b"MZ\x90\x00binary", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        decide(users["district_office"], d, minutes_file=bad)
    assert "minutes_file" in error.value.message_dict
    d.refresh_from_db()
    assert d.status == Status.PROPOSED
    pdf = SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    d = decide(users["district_office"], d, minutes_file=pdf)
    assert d.minutes_file.name.startswith("determinations/") and "会议" not in d.minutes_file.name


def test_minutes_file_too_large(propose, users, monkeypatch):
    monkeypatch.setattr(det, "MINUTES_MAX_BYTES", 10)
    pdf = SimpleUploadedFile("m.pdf", b"%PDF-1.4\n" + b"x" * 20, content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        decide(users["district_office"], propose(), minutes_file=pdf)
    assert "minutes_file" in error.value.message_dict


# --- withdraw -------------------------------------------------------------------------------

def test_withdraw_by_proposer_or_district_only(propose, users, hazard):
    d = propose()
    with pytest.raises(PermissionDenied):
        det.withdraw(users["grid_worker"], d)
    d = det.withdraw(users["street_officer"], d, note="重新核实")
    assert d.status == Status.WITHDRAWN
    d2 = propose()  # a withdrawn proposal no longer blocks a new one
    assert det.withdraw(users["district_office"], d2).status == Status.WITHDRAWN
    hazard.refresh_from_db()
    assert not hazard.is_major
