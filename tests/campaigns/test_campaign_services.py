"""Writing a campaign: all or nothing, with audit events; only the district office."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fireledger.campaigns import services
from fireledger.campaigns.choices import PhaseKind
from fireledger.campaigns.models import Campaign, Phase, Task, TaskUnit
from fireledger.core.models import AuditEvent

pytestmark = pytest.mark.django_db
D = datetime.date


def plan(tree, **extra):
    data = dict(
        name="渝中区老旧小区消防安全专项整治", issuer="渝中区人民政府办公室",
        doc_number="渝中府办〔2023〕9号", issued_on=D(2023, 3, 1), starts_on=D(2023, 3, 1),
        ends_on=D(2023, 12, 31), jurisdiction=tree["district"],
        phases=[{"name": "动员部署", "starts_on": None, "ends_on": D(2023, 3, 31)},
                {"name": "全面排查", "starts_on": D(2023, 4, 1), "ends_on": D(2023, 4, 30)},
                {"name": "整治攻坚", "starts_on": D(2023, 5, 1), "ends_on": D(2023, 11, 30)},
                {"name": "巩固提升", "starts_on": D(2023, 12, 1), "ends_on": D(2023, 12, 31)}],
        tasks=[{"number": "（一）", "title": "明确管理主体",
                "units": [{"role": "lead", "text": "各街道办事处", "code": "streets"},
                          {"role": "cooperating", "text": "区住建委", "code": "zhujian"},
                          {"role": "cooperating", "text": "区消防救援支队", "code": None}]},
               {"number": "（四）", "title": "电气线路整治",
                "units": [{"role": "lead", "text": "区经信委", "code": "jingxin"}]}],
    )
    data.update(extra)
    return data


def test_the_district_office_writes_a_campaign_with_its_plan(tree, users):
    campaign = services.create_campaign(users["district_office"], **plan(tree))
    assert campaign.jurisdiction_code == tree["district"].code
    assert [p.kind for p in campaign.phases.all()] == [
        PhaseKind.MOBILISE, PhaseKind.SWEEP, PhaseKind.TACKLE, PhaseKind.CONSOLIDATE]
    first = campaign.tasks.get(number="（一）")
    lead = first.units.get(role="lead")
    assert lead.streets and lead.department is None and lead.text == "各街道办事处"
    assert first.units.get(text="区住建委").department.code == "zhujian"
    assert first.units.get(text="区消防救援支队").department is None  # kept as written
    assert AuditEvent.objects.filter(object_type="campaigns.campaign").count() == 1
    assert AuditEvent.objects.filter(object_type="campaigns.task").count() == 2


@pytest.mark.parametrize("role", ["street_officer", "department_officer", "grid_worker",
                                  "unit_manager", "nobody"])
def test_only_the_district_office_writes_campaigns(tree, users, role):
    with pytest.raises(PermissionDenied):
        services.create_campaign(users[role], **plan(tree))
    assert not Campaign.objects.exists()


def test_a_bad_phase_saves_nothing(tree, users):
    bad = plan(tree)
    bad["phases"][2]["ends_on"] = D(2023, 4, 1)  # before its start
    with pytest.raises(ValidationError) as error:
        services.create_campaign(users["district_office"], **bad)
    assert "3" in " ".join(error.value.messages)
    assert not Campaign.objects.exists() and not Phase.objects.exists()
    assert not AuditEvent.objects.filter(object_type__startswith="campaigns.").exists()


def test_a_task_without_a_title_saves_nothing(tree, users):
    bad = plan(tree)
    bad["tasks"][1]["title"] = " "
    with pytest.raises(ValidationError) as error:
        services.create_campaign(users["district_office"], **bad)
    assert "（四）" in " ".join(error.value.messages)
    assert not Task.objects.exists() and not TaskUnit.objects.exists()


def test_the_end_cannot_come_before_the_start(tree, users):
    with pytest.raises(ValidationError):
        services.create_campaign(users["district_office"],
                                 **plan(tree, ends_on=D(2023, 2, 1)))


@pytest.mark.parametrize("name, kind", [
    ("（一）动员部署（2021年12月10日前）", PhaseKind.MOBILISE),
    ("全面排查", PhaseKind.SWEEP), ("自查自改阶段", PhaseKind.SWEEP),
    ("集中攻坚", PhaseKind.TACKLE), ("（二）组织实施（2021年12月11日至2022年3月25日）", PhaseKind.TACKLE),
    ("巩固提升", PhaseKind.CONSOLIDATE), ("总结验收", PhaseKind.CONSOLIDATE),
    ("其他", PhaseKind.OTHER)])
def test_phase_kind_from_its_name(name, kind):
    assert services.phase_kind(name) == kind


def test_campaigns_are_seen_above_and_below_their_jurisdiction(tree, users):
    campaign = services.create_campaign(users["district_office"], **plan(tree))
    street_only = services.create_campaign(
        users["district_office"], **plan(tree, name="七星岗街道专项", jurisdiction=tree["street2"],
                                         phases=[], tasks=[]))
    seen = {role: set(Campaign.objects.visible_to(users[role]))
            for role in ("street_officer", "grid_worker", "unit_manager", "nobody")}
    assert seen["street_officer"] == {campaign}
    assert seen["grid_worker"] == {campaign}
    assert seen["unit_manager"] == {campaign}
    assert seen["nobody"] == set()
    assert set(Campaign.objects.visible_to(users["district_office"])) == {campaign, street_only}
    assert set(Campaign.objects.visible_to(users["street_officer"], "change")) == set()


def test_correcting_a_task_unit_in_the_admin_is_audited(client, admin_user, tree, users):
    from django.urls import reverse

    campaign = services.create_campaign(users["district_office"], **plan(tree))
    task = campaign.tasks.get(number="（四）")
    unit = task.units.get()
    client.force_login(admin_user)
    response = client.post(reverse("admin:campaigns_task_change", args=[task.pk]), {
        "campaign": campaign.pk, "number": task.number, "title": task.title, "content": "",
        "problems": "", "requirements": "", "responsible_text": "", "due_text": "",
        "due_on": "", "sort_order": task.sort_order,
        "units-TOTAL_FORMS": 1, "units-INITIAL_FORMS": 1, "units-MIN_NUM_FORMS": 0,
        "units-MAX_NUM_FORMS": 1000, "units-0-id": unit.pk, "units-0-task": task.pk,
        "units-0-role": "lead", "units-0-department": unit.department_id,
        "units-0-text": "区经济信息委", "units-0-sort_order": 0})
    assert response.status_code == 302, response.content.decode()[:1500]
    event = AuditEvent.objects.for_object(unit).get()
    assert event.before["text"] == "区经信委" and event.after["text"] == "区经济信息委"
