"""Fan-out (campaign × scope × checklist): exact rows, idempotent, who holds each, nobody
dropped, only the district office; the computed state (done, done late, overdue, unheld); and
handing work on."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fireledger.campaigns import fanout
from fireledger.campaigns.choices import TaskRole
from fireledger.campaigns.models import Assignment, Campaign, Task, TaskUnit
from fireledger.campaigns.services_fanout import FanOutResult, fan_out, reassign
from fireledger.core.choices import Level, Role
from fireledger.core.models import AuditEvent, Department, Jurisdiction, RoleAssignment, User
from fireledger.inspections.choices import Kind, Status
from fireledger.inspections.models import ChecklistTemplate, Inspection
from fireledger.places.choices import Category
from fireledger.places.models import Place

pytestmark = pytest.mark.django_db
D = datetime.date


def make_user(username, role, jurisdiction, **extra):
    user = User.objects.create_user(username=username, password="x", first_name=username)
    RoleAssignment.objects.create(user=user, role=role, jurisdiction=jurisdiction, **extra)
    return user


def new_places(jurisdiction, n, *, category=Category.MALL, department=None, tag="M"):
    return Place.objects.bulk_create([
        Place(code=f"{tag}{jurisdiction.code}{i:03d}", name=f"{jurisdiction.name}{tag}{i}号",
              category=category, jurisdiction=jurisdiction, jurisdiction_code=jurisdiction.code,
              department=department, address=f"渝中区测试路{i}号")
        for i in range(1, n + 1)])


@pytest.fixture
def shangwu(db):
    return Department.objects.get(code="shangwu")


@pytest.fixture
def campaign(tree, shangwu):
    """渝中区 mall campaign, 1 March – 31 December 2026; task (一) led by 区商务委, due 30 June."""
    c = Campaign.objects.create(
        name="渝中区商场市场消防安全专项整治", starts_on=D(2026, 3, 1), ends_on=D(2026, 12, 31),
        jurisdiction=tree["district"], jurisdiction_code=tree["district"].code)
    task = Task.objects.create(campaign=c, number="（一）", title="商场市场全面排查",
                               due_on=D(2026, 6, 30))
    TaskUnit.objects.create(task=task, role=TaskRole.LEAD, department=shangwu, text="区商务委")
    TaskUnit.objects.create(task=task, role=TaskRole.COOPERATING, streets=True, text="各街道")
    return c


@pytest.fixture
def task(campaign):
    return campaign.tasks.get()


@pytest.fixture
def mall_checklist(db):
    return ChecklistTemplate.objects.get(code="mall")


@pytest.fixture
def world(places, tree, users):
    """Malls: the fixture's one in grid 1-1-1 (its grid worker), 3 in community 1-2 (street 1's
    officer), 2 in grid 2-1-1 and 2 in community 2-2 (street 2: no officer), 1 filed directly
    under the district (no street). Plus the compound and the hotel of the fixture."""
    zhujian = Department.objects.get(code="zhujian")
    return {
        "mall": places["mall"],
        "street1": new_places(tree["community12"], 3),
        "street2": new_places(tree["grid211"], 2, tag="G") + new_places(
            tree["community22"], 2, department=zhujian),
        "district": new_places(tree["district"], 1, tag="D"),
    }


def rows(campaign):
    return {a.place_id: a for a in Assignment.objects.filter(campaign=campaign)}


def fan_out_events(campaign):
    return AuditEvent.objects.for_object(campaign).filter(note__startswith="fan-out")


# --- who holds what --------------------------------------------------------------------

def test_one_assignment_per_mall_held_by_grid_worker_or_street_officer(
        world, campaign, mall_checklist, users, tree):
    result = fan_out(users["district_office"], campaign, template=mall_checklist)
    assert result == FanOutResult(created=9, already=0, unheld=5)
    got = rows(campaign)
    assert len(got) == 9  # malls only: not the compound nor the hotel
    mall = got[world["mall"].pk]
    assert (mall.street, mall.assignee, mall.department) == (
        tree["street1"], users["grid_worker"], None)
    for place in world["street1"]:
        assert (got[place.pk].street, got[place.pk].assignee) == (
            tree["street1"], users["street_officer"])
    for place in world["street2"]:
        assert (got[place.pk].street, got[place.pk].assignee) == (tree["street2"], None)
    filed_on_district = got[world["district"][0].pk]
    assert filed_on_district.street is None and filed_on_district.assignee is None
    assert {a.due_on for a in got.values()} == {campaign.ends_on}  # no task: the campaign's end
    assert {a.template_id for a in got.values()} == {mall_checklist.pk}
    assert all(a.jurisdiction_code == a.place.jurisdiction_code for a in got.values())


def test_running_again_creates_only_what_is_missing(world, campaign, mall_checklist, users,
                                                    tree):
    office = users["district_office"]
    fan_out(office, campaign, template=mall_checklist)
    assert fan_out(office, campaign, template=mall_checklist) == FanOutResult(0, 9, 5)
    new_places(tree["grid111"], 1, tag="N")
    assert fan_out(office, campaign, template=mall_checklist) == FanOutResult(1, 9, 5)
    assert Assignment.objects.filter(campaign=campaign).count() == 10
    # Another checklist for the same places is other work.
    three_kinds = ChecklistTemplate.objects.get(code="three_kinds")
    assert fan_out(office, campaign, template=three_kinds, categories=[Category.MALL]).created == 10


def test_one_audit_event_per_fan_out_and_the_rows_are_derivable(world, campaign, mall_checklist,
                                                               users, task):
    fan_out(users["district_office"], campaign, template=mall_checklist, task=task)
    fan_out(users["district_office"], campaign, template=mall_checklist, task=task)
    first, second = fan_out_events(campaign).order_by("at", "pk")
    data = first.after["fan_out"]
    assert (data["created"], data["already"], data["unheld"]) == (9, 0, 5)
    assert (data["holder"], data["task"], data["due_on"]) == ("street", task.pk, "2026-06-30")
    assert data["categories"] == [Category.MALL] and data["jurisdictions"] == ["500103"]
    derived = Assignment.objects.filter(campaign=campaign, template_id=data["template"],
                                        created_at=first.at)
    assert derived.count() == 9
    assert sorted(derived.values_list("pk", flat=True)) == list(
        range(data["first_id"], data["last_id"] + 1))
    assert second.after["fan_out"]["created"] == 0 and second.after["fan_out"]["first_id"] is None
    assert not AuditEvent.objects.filter(object_type="campaigns.assignment").exists()


def test_a_task_gives_its_due_date_and_the_lead_department_holds(world, campaign, task,
                                                                 mall_checklist, users, shangwu):
    result = fan_out(users["district_office"], campaign, template=mall_checklist, task=task,
                     holder="department")
    assert result == FanOutResult(9, 0, 0)  # 区商务委's officer covers the whole district
    for a in rows(campaign).values():
        assert (a.department, a.assignee, a.task, a.due_on) == (
            shangwu, users["department_officer"], task, D(2026, 6, 30))
    assert rows(campaign)[world["mall"].pk].street is not None  # counted by street too


def test_without_a_lead_department_the_places_department_holds(world, campaign, mall_checklist,
                                                              users, shangwu):
    result = fan_out(users["district_office"], campaign, template=mall_checklist,
                     holder="department")
    got = rows(campaign)
    assert (got[world["mall"].pk].department, got[world["mall"].pk].assignee) == (
        shangwu, users["department_officer"])
    # 住建 has no officer; the others have no department at all: unheld, not dropped.
    assert got[world["street2"][-1].pk].department.code == "zhujian"
    assert got[world["street2"][-1].pk].assignee is None
    assert got[world["street1"][0].pk].department is None
    assert result == FanOutResult(9, 0, 8)


def test_the_lowest_user_id_among_active_officers_is_chosen(world, campaign, mall_checklist,
                                                            users, tree):
    make_user("street_b", Role.STREET_OFFICER, tree["street1"])  # a later account
    users["grid_worker"].is_active = False
    users["grid_worker"].save()
    fan_out(users["district_office"], campaign, template=mall_checklist)
    assert rows(campaign)[world["mall"].pk].assignee == users["street_officer"]


def test_an_officer_on_street_two_takes_its_work(world, campaign, mall_checklist, users, tree):
    officer = make_user("qixinggang", Role.STREET_OFFICER, tree["street2"])
    worker = make_user("grid211", Role.GRID_WORKER, tree["grid211"])
    assert fan_out(users["district_office"], campaign, template=mall_checklist).unheld == 1
    got = rows(campaign)
    assert [got[p.pk].assignee for p in world["street2"]] == [worker, worker, officer, officer]


# --- what is in scope ------------------------------------------------------------------

def test_chosen_streets_limit_the_area(world, campaign, mall_checklist, users, tree):
    result = fan_out(users["district_office"], campaign, template=mall_checklist,
                     jurisdictions=[tree["street2"]])
    assert result == FanOutResult(4, 0, 4)
    assert set(rows(campaign)) == {p.pk for p in world["street2"]}
    grid = fan_out(users["district_office"], campaign, template=mall_checklist,
                   jurisdictions=[tree["grid111"], tree["street2"]])
    assert grid == FanOutResult(1, 4, 4)


def test_jurisdictions_outside_the_campaign_are_refused(world, campaign, mall_checklist, users):
    elsewhere = Jurisdiction.objects.create(code="500104000000", name="大渡口区",
                                            level=Level.DISTRICT)
    with pytest.raises(ValidationError) as error:
        fan_out(users["district_office"], campaign, template=mall_checklist,
                jurisdictions=[elsewhere])
    assert "jurisdictions" in error.value.error_dict
    assert not Assignment.objects.exists()


def test_a_street_campaign_chosen_district_means_the_street(world, tree, mall_checklist, users):
    street_campaign = Campaign.objects.create(
        name="解放碑街道今冬明春火灾防控", starts_on=D(2026, 11, 1), ends_on=D(2027, 3, 31),
        jurisdiction=tree["street1"], jurisdiction_code=tree["street1"].code)
    result = fan_out(users["district_office"], street_campaign, template=mall_checklist,
                     jurisdictions=[tree["district"]])
    assert result == FanOutResult(4, 0, 0)


def test_a_communitys_campaign_finds_the_street_above(world, tree, mall_checklist, users):
    community = Campaign.objects.create(
        name="解放2社区商场排查", starts_on=D(2026, 11, 1), ends_on=D(2026, 12, 31),
        jurisdiction=tree["community12"], jurisdiction_code=tree["community12"].code)
    assert fan_out(users["district_office"], community, template=mall_checklist) == (
        FanOutResult(3, 0, 0))
    assert {(a.street, a.assignee) for a in rows(community).values()} == {
        (tree["street1"], users["street_officer"])}


def test_categories_are_the_checklists_the_chosen_and_the_campaigns(world, campaign, users,
                                                                    places):
    three_kinds = ChecklistTemplate.objects.get(code="three_kinds")  # hotels, complexes, malls…
    assert fan_out(users["district_office"], campaign, template=three_kinds,
                   categories=[Category.HOTEL, Category.OLD_COMPOUND]).created == 1
    assert set(rows(campaign)) == {places["hotel"].pk}
    with pytest.raises(ValidationError) as error:
        fan_out(users["district_office"], campaign, template=three_kinds,
                categories=[Category.OLD_COMPOUND])
    assert "categories" in error.value.error_dict
    campaign.place_categories = [Category.MALL]
    campaign.save()
    assert fan_out(users["district_office"], campaign, template=three_kinds).created == 9


def test_bad_dates_tasks_and_checklists_are_refused(world, campaign, mall_checklist, users, tree):
    office = users["district_office"]
    with pytest.raises(ValidationError):
        fan_out(office, campaign, template=mall_checklist, due_on=D(2026, 2, 28))
    other = Campaign.objects.create(name="其他", starts_on=D(2026, 1, 1), ends_on=D(2026, 2, 1),
                                    jurisdiction=tree["district"],
                                    jurisdiction_code=tree["district"].code)
    with pytest.raises(ValidationError):
        fan_out(office, campaign, template=mall_checklist,
                task=Task.objects.create(campaign=other, title="别的任务"))
    mall_checklist.is_active = False
    mall_checklist.save()
    with pytest.raises(ValidationError):
        fan_out(office, campaign, template=mall_checklist)
    with pytest.raises(ValueError):
        fan_out(office, campaign, template=ChecklistTemplate.objects.get(code="three_kinds"),
                holder="grid")
    assert not Assignment.objects.exists() and not fan_out_events(campaign).exists()


@pytest.mark.parametrize("role", ["street_officer", "grid_worker", "department_officer",
                                  "unit_manager", "nobody"])
def test_only_the_district_office_fans_out(world, campaign, mall_checklist, users, role):
    with pytest.raises(PermissionDenied):
        fan_out(users[role], campaign, template=mall_checklist)
    assert not Assignment.objects.exists()


def test_another_districts_office_may_not(world, campaign, mall_checklist, admin_user):
    elsewhere = Jurisdiction.objects.create(code="500104000000", name="大渡口区",
                                            level=Level.DISTRICT)
    with pytest.raises(PermissionDenied):
        fan_out(make_user("dadukou", Role.DISTRICT_OFFICE, elsewhere), campaign,
                template=mall_checklist)
    assert fan_out(admin_user, campaign, template=mall_checklist).created == 9


def test_set_based_the_queries_do_not_grow_with_the_places(campaign, mall_checklist, users, tree):
    def queries(n_more, tag):
        new_places(tree["grid111"], n_more, tag=tag)
        with CaptureQueriesContext(connection) as ctx:
            fan_out(users["district_office"], campaign, template=mall_checklist)
        return len(ctx.captured_queries)

    first = queries(3, "A")  # also loads the office's role assignments (cached on the user)
    few = queries(3, "B")
    many = queries(600, "C")
    assert few == many <= first
    assert Assignment.objects.filter(campaign=campaign).count() == 606


# --- computed state --------------------------------------------------------------------

def inspect(place, template, on, *, status=Status.SUBMITTED):
    return Inspection.objects.create(
        place=place, jurisdiction_code=place.jurisdiction_code, kind=Kind.SWEEP,
        version=template.current_version(), status=status, inspected_on=on)


def state(campaign, place, on):
    return fanout.with_state(Assignment.objects.filter(campaign=campaign, place=place), on).get()


def test_done_is_a_submitted_inspection_on_the_checklist_within_the_campaign(
        world, campaign, task, mall_checklist, users):
    fan_out(users["district_office"], campaign, template=mall_checklist, task=task)  # 30 June
    mall = world["mall"]
    inspect(mall, mall_checklist, D(2026, 2, 20))  # before the campaign
    inspect(mall, mall_checklist, D(2026, 4, 1), status=Status.DRAFT)
    inspect(mall, ChecklistTemplate.objects.get(code="three_kinds"), D(2026, 4, 2))
    a = state(campaign, mall, D(2026, 5, 1))
    assert (a.done_on, a.late, a.overdue) == (None, False, False)
    assert fanout.state_of(a, D(2026, 5, 1)) == fanout.OPEN
    a = state(campaign, mall, D(2026, 7, 1))
    assert (a.done_on, a.overdue) == (None, True)
    assert fanout.state_of(a, D(2026, 7, 1)) == fanout.OVERDUE

    inspect(mall, mall_checklist, D(2026, 7, 10))
    assert state(campaign, mall, D(2026, 7, 5)).overdue  # as of a day before it
    a = state(campaign, mall, D(2026, 7, 15))
    assert (a.done_on, a.late, a.overdue) == (D(2026, 7, 10), True, False)  # done late

    on_time = world["street1"][0]
    inspect(on_time, mall_checklist, D(2026, 6, 30))
    a = state(campaign, on_time, D(2026, 8, 1))
    assert (a.done_on, a.late, a.overdue) == (D(2026, 6, 30), False, False)
    assert fanout.state_of(a, D(2026, 8, 1)) == fanout.DONE


def test_states_filter_and_count_by_street(world, campaign, task, mall_checklist, users, tree):
    fan_out(users["district_office"], campaign, template=mall_checklist, task=task)
    inspect(world["street1"][0], mall_checklist, D(2026, 5, 1))
    inspect(world["street2"][0], mall_checklist, D(2026, 7, 2))  # unheld, but done (late)
    on = D(2026, 7, 15)
    rows_ = fanout.with_state(Assignment.objects.filter(campaign=campaign), on)
    count = {s: fanout.filter_state(rows_, s, on).count() for s in fanout.STATES}
    assert count == {"done": 2, "open": 0, "overdue": 7, "unheld": 4}
    by_street = {g["street_id"]: g for g in fanout.grouped_counts(
        Assignment.objects.filter(campaign=campaign), on)}
    assert by_street[tree["street1"].pk] == {
        "street_id": tree["street1"].pk, "department_id": None, "total": 4, "done": 1,
        "late": 0, "overdue": 3, "unheld": 0}
    assert by_street[tree["street2"].pk] == {
        "street_id": tree["street2"].pk, "department_id": None, "total": 4, "done": 1,
        "late": 1, "overdue": 3, "unheld": 3}
    assert by_street[None]["total"] == 1 and by_street[None]["unheld"] == 1
    before = fanout.grouped_counts(Assignment.objects.filter(campaign=campaign), D(2026, 6, 1))
    assert sum(g["overdue"] for g in before) == 0 and sum(g["done"] for g in before) == 1


# --- scope and handing on --------------------------------------------------------------

def test_who_sees_which_assignments(world, campaign, mall_checklist, users, task):
    fan_out(users["district_office"], campaign, template=mall_checklist)
    seen = {role: fanout.visible(users[role]).count() for role in users}
    assert seen == {"district_office": 9, "department_officer": 0, "street_officer": 4,
                    "grid_worker": 1, "unit_manager": 0, "nobody": 0}
    fan_out(users["district_office"], campaign, template=mall_checklist, task=task,
            holder="department", categories=None)  # nothing new: the places have it already
    three = ChecklistTemplate.objects.get(code="three_kinds")
    fan_out(users["district_office"], campaign, template=three, task=task, holder="department",
            categories=[Category.MALL])
    assert fanout.visible(users["department_officer"]).count() == 9


def test_the_district_office_hands_unheld_work_to_a_new_officer(world, campaign, mall_checklist,
                                                               users, tree):
    fan_out(users["district_office"], campaign, template=mall_checklist)
    officer = make_user("qixinggang", Role.STREET_OFFICER, tree["street2"])
    unheld = Assignment.objects.filter(campaign=campaign, street=tree["street2"])
    assert reassign(users["district_office"], list(unheld), officer) == 4
    assert set(unheld.values_list("assignee", flat=True)) == {officer.pk}
    events = AuditEvent.objects.filter(object_type="campaigns.assignment")
    assert events.count() == 4
    assert {e.after["assignee_id"] for e in events} == {officer.pk}
    assert {e.before["assignee_id"] for e in events} == {None}
    assert reassign(users["district_office"], list(unheld), officer) == 0  # nothing changes


def test_a_street_officer_hands_on_only_their_streets_work(world, campaign, mall_checklist,
                                                           users, tree, task):
    fan_out(users["district_office"], campaign, template=mall_checklist)
    mine = Assignment.objects.get(campaign=campaign, place=world["street1"][0])
    theirs = Assignment.objects.get(campaign=campaign, place=world["street2"][0])
    colleague = make_user("jiefangbei2", Role.STREET_OFFICER, tree["street1"])
    assert reassign(users["street_officer"], mine.pk, colleague) == 1
    with pytest.raises(PermissionDenied):
        reassign(users["street_officer"], [mine.pk, theirs.pk], users["street_officer"])
    with pytest.raises(PermissionDenied):
        reassign(users["grid_worker"], mine, users["street_officer"])
    assert Assignment.objects.get(pk=theirs.pk).assignee is None
    # Work a department holds is the department's to hand on.
    three = ChecklistTemplate.objects.get(code="three_kinds")
    fan_out(users["district_office"], campaign, template=three, task=task, holder="department",
            categories=[Category.MALL])
    held = Assignment.objects.get(campaign=campaign, template=three, place=world["mall"])
    with pytest.raises(PermissionDenied):
        reassign(users["street_officer"], held, users["grid_worker"])
    second = make_user("shangwu2", Role.DEPARTMENT_OFFICER, tree["district"],
                       department=held.department)
    assert reassign(users["department_officer"], held, second) == 1


def test_work_goes_only_to_someone_who_may_inspect_the_place(world, campaign, mall_checklist,
                                                             users, tree):
    fan_out(users["district_office"], campaign, template=mall_checklist)
    street2 = list(Assignment.objects.filter(campaign=campaign, street=tree["street2"]))
    with pytest.raises(ValidationError) as error:
        reassign(users["district_office"], street2, users["grid_worker"])
    assert "4" in error.value.messages[0]
    users["street_officer"].is_active = False
    with pytest.raises(ValidationError):
        reassign(users["district_office"], street2, users["street_officer"])
    assert not AuditEvent.objects.filter(object_type="campaigns.assignment").exists()
