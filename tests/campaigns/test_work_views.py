"""The campaign's work pages: fan-out form and its counts, the assignments list (scope, states,
handing on), the submissions grid with upload and download, the campaign page's two panels."""

import datetime
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse

from fireledger.campaigns import fanout, submissions
from fireledger.campaigns.choices import SubmissionKind, TaskRole
from fireledger.campaigns.models import Assignment, Campaign, SubmissionSchedule, Task, TaskUnit
from fireledger.campaigns.services_fanout import fan_out
from fireledger.campaigns.services_submissions import schedule_submissions, submit_report
from fireledger.core.choices import Level, Role
from fireledger.core.models import Department, Jurisdiction, RoleAssignment, User
from fireledger.inspections.choices import Kind, Status
from fireledger.inspections.models import ChecklistTemplate, Inspection
from fireledger.places.choices import Category
from fireledger.places.models import Place

pytestmark = pytest.mark.django_db
D = datetime.date
PDF = b"%PDF-1.4\n%%EOF\n"


def at(day: datetime.date):
    """Travel to 9 o'clock on that day (Asia/Shanghai is ahead of UTC: stay within the day)."""
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 9, 0), tick=False)


def new_malls(jurisdiction, n, tag="M"):
    return Place.objects.bulk_create([
        Place(code=f"{tag}{jurisdiction.code}{i:03d}", name=f"{jurisdiction.name}商场{i}号",
              category=Category.MALL, jurisdiction=jurisdiction,
              jurisdiction_code=jurisdiction.code, address=f"渝中区测试路{i}号")
        for i in range(1, n + 1)])


@pytest.fixture
def campaign(tree):
    c = Campaign.objects.create(
        name="渝中区商场市场消防安全专项整治", starts_on=D(2026, 3, 1), ends_on=D(2026, 12, 31),
        jurisdiction=tree["district"], jurisdiction_code=tree["district"].code)
    task = Task.objects.create(campaign=c, number="（一）", title="商场市场全面排查",
                               due_on=D(2026, 6, 30))
    TaskUnit.objects.create(task=task, role=TaskRole.LEAD, text="区商务委",
                            department=Department.objects.get(code="shangwu"))
    return c


@pytest.fixture
def mall_checklist(db):
    return ChecklistTemplate.objects.get(code="mall")


@pytest.fixture
def fanned(campaign, places, tree, users, mall_checklist):
    """The mall checklist over the district: the fixture's mall (grid worker), 2 malls in
    community 1-2 (street officer), 3 in street 2 (nobody)."""
    new_malls(tree["community12"], 2)
    new_malls(tree["community21"], 3)
    fan_out(users["district_office"], campaign, template=mall_checklist)
    return campaign


@pytest.fixture
def monthly(campaign, users):
    schedule = SubmissionSchedule.objects.create(campaign=campaign, title="每月工作情况",
                                                 kind=SubmissionKind.MONTHLY, day_of_month=20)
    schedule_submissions(users["district_office"], schedule)
    return schedule


def url(name, campaign, *args):
    return reverse(f"campaigns:{name}", args=[campaign.pk, *args])


# --- fan-out ---------------------------------------------------------------------------

def test_the_fan_out_form_shows_the_counts(login, campaign, places, tree, users, mall_checklist):
    new_malls(tree["community21"], 3)
    client = login(users["district_office"])
    page = client.get(url("fanout", campaign))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="streets"' in html and "解放碑街道" in html and "七星岗街道" in html
    assert f'value="{Category.MALL}"' in html
    data = {"template": mall_checklist.pk, "holder": "street", "categories": [Category.MALL]}
    page = client.post(url("fanout", campaign), data)
    html = page.content.decode()
    assert page.status_code == 200
    assert re.search(r'id="fanout-created">4<', html) and re.search(r'id="fanout-unheld">3<', html)
    again = client.post(url("fanout", campaign), data).content.decode()
    assert re.search(r'id="fanout-created">0<', again)
    assert re.search(r'id="fanout-already">4<', again)
    assert Assignment.objects.filter(campaign=campaign).count() == 4


def test_the_fan_out_form_by_street_task_and_department(login, campaign, places, tree, users,
                                                         mall_checklist):
    client = login(users["district_office"])
    task = campaign.tasks.get()
    page = client.post(url("fanout", campaign), {
        "template": mall_checklist.pk, "holder": "department", "task": task.pk,
        "streets": [tree["street1"].pk], "due_on": "2026-05-31"})
    assert page.status_code == 200
    a = Assignment.objects.get(campaign=campaign)
    assert (a.department.code, a.assignee, a.due_on, a.task) == (
        "shangwu", users["department_officer"], D(2026, 5, 31), task)


def test_a_refused_fan_out_says_why(login, campaign, places, users, mall_checklist):
    client = login(users["district_office"])
    page = client.post(url("fanout", campaign), {
        "template": mall_checklist.pk, "holder": "street", "due_on": "2026-01-01"})
    assert page.status_code == 400 and not Assignment.objects.exists()
    assert "invalid-feedback" in page.content.decode()


@pytest.mark.parametrize("role,status", [("street_officer", 403), ("department_officer", 403),
                                         ("grid_worker", 403), ("nobody", 404)])
def test_only_the_district_office_reaches_the_fan_out(login, campaign, users, role, status):
    assert login(users[role]).get(url("fanout", campaign)).status_code == status


# --- the assignments list --------------------------------------------------------------

def test_each_user_sees_their_scope_with_counts_by_state(login, fanned, users):
    with at(D(2026, 5, 1)):
        page = login(users["street_officer"]).get(url("assignments", fanned))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('class="list-group-item assignment-row"') == 3  # street 1 only
    assert "七星1社区" not in html
    assert 'data-state="all">3<' in html and 'data-state="unheld">0<' in html
    assert html.count(f'{reverse("inspections:start")}?place=') == 3


def test_the_unheld_filter_and_the_overdue_state(login, fanned, users, tree):
    with at(D(2027, 1, 5)):  # logged in on that day: a session from today would have expired
        client = login(users["district_office"])
        page = client.get(url("assignments", fanned) + "?state=unheld")
    html = page.content.decode()
    assert html.count("assignment-row") == 3 and html.count('data-unheld="yes"') == 3
    assert len(re.findall(r'assignment-row" id="assignment-\d+" data-state="overdue"', html)) == 3
    assert 'data-state="overdue">6<' in html and 'data-state="unheld">3<' in html
    with at(D(2027, 1, 5)):
        page = client.get(url("assignments", fanned) + f"?street={tree['street1'].pk}&state=open")
    assert page.content.decode().count("assignment-row") == 0
    assert client.get(url("assignments", fanned) + "?state=bogus").status_code == 400


def test_done_shows_once_inspected(login, fanned, users, places, mall_checklist):
    Inspection.objects.create(place=places["mall"], jurisdiction_code=places["mall"].jurisdiction_code,
                              kind=Kind.SWEEP, version=mall_checklist.current_version(),
                              status=Status.SUBMITTED, inspected_on=D(2026, 4, 2))
    with at(D(2026, 5, 1)):
        html = login(users["grid_worker"]).get(
            url("assignments", fanned) + "?state=done").content.decode()
    assert html.count("assignment-row") == 1 and 'data-state="done"' in html
    assert f"?place={places['mall'].pk}" not in html  # nothing left to start


def test_the_list_runs_a_fixed_number_of_queries(login, fanned, users, tree,
                                                 django_assert_max_num_queries):
    new_malls(tree["community22"], 40, tag="Q")
    fan_out(users["district_office"], fanned, template=ChecklistTemplate.objects.get(code="mall"))
    client = login(users["district_office"])
    with django_assert_max_num_queries(12):
        assert client.get(url("assignments", fanned)).status_code == 200


def test_the_district_office_hands_unheld_work_on(login, fanned, users, tree):
    officer = User.objects.create_user("qixinggang", password="x", first_name="七星岗街道办")
    RoleAssignment.objects.create(user=officer, role=Role.STREET_OFFICER,
                                  jurisdiction=tree["street2"])
    unheld = list(Assignment.objects.filter(campaign=fanned, assignee__isnull=True)
                  .values_list("pk", flat=True))
    client = login(users["district_office"])
    listed = client.get(url("assignments", fanned) + "?state=unheld").content.decode()
    assert f'<option value="{officer.pk}">' in listed
    back = url("assignments", fanned) + "?state=unheld"
    page = client.post(url("reassign", fanned), {"assignment": unheld, "user": officer.pk,
                                                 "next": back})
    assert page.status_code == 302 and page["Location"] == back
    assert set(Assignment.objects.filter(pk__in=unheld).values_list("assignee", flat=True)) == {
        officer.pk}
    follow = client.get(back).content.decode()
    assert "assignment-row" not in follow


def test_handing_on_is_refused_outside_the_reach(login, fanned, users, tree):
    street2 = list(Assignment.objects.filter(campaign=fanned, street=tree["street2"])
                   .values_list("pk", flat=True))
    street1 = list(Assignment.objects.filter(campaign=fanned, street=tree["street1"])
                   .values_list("pk", flat=True))
    client = login(users["street_officer"])
    assert client.post(url("reassign", fanned), {
        "assignment": street2, "user": users["street_officer"].pk}).status_code == 404
    # Someone the street officer may not hand work to: the choice is refused, nothing changes.
    page = client.post(url("reassign", fanned), {"assignment": street1,
                                                 "user": users["district_office"].pk},
                       follow=True)
    assert page.status_code == 200 and "alert-danger" in page.content.decode()
    assert login(users["grid_worker"]).post(url("reassign", fanned), {
        "assignment": street1[:1], "user": users["street_officer"].pk}).status_code == 403


# --- submissions -----------------------------------------------------------------------

def test_the_grid_rows_streets_by_due_dates(login, monthly, users, tree):
    campaign = monthly.campaign
    sent = monthly.submissions.get(jurisdiction=tree["street1"], due_on=D(2026, 3, 20))
    submit_report(users["street_officer"], sent, document=SimpleUploadedFile("三月.pdf", PDF),
                  today=D(2026, 3, 25))
    with at(D(2026, 4, 21)):
        page = login(users["district_office"]).get(url("submissions", campaign))
    html = page.content.decode()
    assert page.status_code == 200
    table = html.split('class="table-responsive d-none d-md-block"')[1].split("</table>")[0]
    assert table.count('class="submission-row"') == 2  # 解放碑街道, 七星岗街道
    assert table.count("<th class=\"text-nowrap\">2026-") == 10  # 20 March … 20 December
    assert table.count('data-state="submitted_late"') == 1
    assert table.count('data-state="overdue"') == 3  # street 1 April; street 2 March, April
    assert "逾期" in table and "三月.pdf" in table


def test_a_street_officer_sees_and_uploads_only_their_street(login, monthly, users, tree):
    campaign = monthly.campaign
    client = login(users["street_officer"])
    html = client.get(url("submissions", campaign)).content.decode()
    assert "解放碑街道" in html and "七星岗街道" not in html
    mine = monthly.submissions.get(jurisdiction=tree["street1"], due_on=D(2026, 11, 20))
    with at(D(2026, 11, 19)):
        page = client.post(url("submit", campaign, mine.pk), {
            "document": SimpleUploadedFile("解放碑街道11月工作情况.pdf", PDF), "note": "按时报送"})
    assert page.status_code == 302 and page["Location"].endswith(f"#submission-{mine.pk}")
    mine.refresh_from_db()
    assert (mine.submitted_on, mine.document_name) == (D(2026, 11, 19), "解放碑街道11月工作情况.pdf")
    theirs = monthly.submissions.get(jurisdiction=tree["street2"], due_on=D(2026, 11, 20))
    assert client.post(url("submit", campaign, theirs.pk), {
        "document": SimpleUploadedFile("a.pdf", PDF)}).status_code == 404


def test_a_refused_file_is_named_and_nothing_changes(login, monthly, users, tree):
    campaign = monthly.campaign
    mine = monthly.submissions.get(jurisdiction=tree["street1"], due_on=D(2026, 11, 20))
    page = login(users["street_officer"]).post(url("submit", campaign, mine.pk), {
        "document": SimpleUploadedFile("现场照片.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)},
        follow=True)
    html = page.content.decode()
    assert "alert-danger" in html and "“现场照片.png”" in html
    mine.refresh_from_db()
    assert mine.submitted_on is None and not mine.document


def test_the_document_downloads_under_its_name_within_scope(login, monthly, users, tree):
    campaign = monthly.campaign
    mine = monthly.submissions.get(jurisdiction=tree["street1"], due_on=D(2026, 11, 20))
    submit_report(users["street_officer"], mine, document=SimpleUploadedFile(
        "解放碑街道11月工作情况.pdf", PDF))
    response = login(users["district_office"]).get(url("document", campaign, mine.pk))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert "%E8%A7%A3%E6%94%BE%E7%A2%91" in response["Content-Disposition"]  # 解放碑, encoded
    assert response["Content-Type"] == "application/pdf"
    stranger = User.objects.create_user("qixinggang", password="x")
    RoleAssignment.objects.create(user=stranger, role=Role.STREET_OFFICER,
                                  jurisdiction=tree["street2"])
    assert login(stranger).get(url("document", campaign, mine.pk)).status_code == 404
    assert login(users["grid_worker"]).get(url("document", campaign, mine.pk)).status_code == 404
    empty = monthly.submissions.get(jurisdiction=tree["street1"], due_on=D(2026, 12, 20))
    assert login(users["street_officer"]).get(url("document", campaign, empty.pk)).status_code == 404


def test_the_district_office_creates_the_due_dates(login, campaign, users):
    final = SubmissionSchedule.objects.create(campaign=campaign, title="工作总结",
                                              kind=SubmissionKind.FINAL)
    client = login(users["district_office"])
    page = client.post(url("submissions", campaign), {"schedule": final.pk})
    assert page.status_code == 302 and final.submissions.count() == 2
    assert login(users["street_officer"]).post(
        url("submissions", campaign), {"schedule": final.pk}).status_code == 403


def test_another_districts_users_get_404(login, campaign, monthly):
    elsewhere = Jurisdiction.objects.create(code="500104000000", name="大渡口区",
                                            level=Level.DISTRICT)
    user = User.objects.create_user("dadukou", password="x")
    RoleAssignment.objects.create(user=user, role=Role.DISTRICT_OFFICE, jurisdiction=elsewhere)
    client = login(user)
    some = monthly.submissions.first()
    for name, args in (("fanout", ()), ("assignments", ()), ("submissions", ()),
                       ("document", (some.pk,))):
        assert client.get(url(name, campaign, *args)).status_code == 404, name


# --- the campaign page's panels --------------------------------------------------------

def test_the_assignments_panel_lists_the_unheld_work(fanned, users, tree, rf):
    context = fanout.fanout_context(fanned, users["district_office"], D(2026, 5, 1))
    panel = context["assignment_panel"]
    assert panel["totals"] == {"total": 6, "done": 0, "late": 0, "overdue": 0, "unheld": 3,
                               "open": 6}
    assert [g["street"] for g in panel["groups"]] == [tree["street1"], tree["street2"]]
    assert [a.street for a in panel["unheld"]] == [tree["street2"]] * 3
    request = rf.get("/")
    request.user = users["district_office"]
    html = render_to_string("campaigns/_assignments.html", context, request=request)
    assert 'id="unheld-work"' in html and html.count("unheld-row") == 3
    assert url("fanout", fanned) in html
    street = fanout.fanout_context(fanned, users["street_officer"], D(2026, 5, 1))
    assert street["assignment_panel"]["totals"]["total"] == 3
    assert not street["assignment_panel"]["may_fan_out"]


def test_the_submissions_panel_has_next_due_dates_and_the_late(monthly, users, tree, rf):
    sent = monthly.submissions.get(jurisdiction=tree["street1"], due_on=D(2026, 3, 20))
    submit_report(users["street_officer"], sent, document=SimpleUploadedFile("三月.pdf", PDF),
                  today=D(2026, 3, 19))
    context = submissions.submissions_context(monthly.campaign, users["district_office"],
                                              D(2026, 4, 21))
    panel = context["submission_panel"]
    row = panel["schedules"][0]
    assert (row["next_due"], row["next_total"], row["next_submitted"]) == (D(2026, 5, 20), 2, 0)
    assert panel["late_count"] == 3  # April × 2 streets, March from street 2
    request = rf.get("/")
    request.user = users["district_office"]
    html = render_to_string("campaigns/_submissions.html", context, request=request)
    assert html.count("late-row") == 3 and "2026-05-20" in html


def test_the_campaign_page_shows_both_panels(login, fanned, monthly, users):
    with at(D(2026, 4, 21)):
        page = login(users["district_office"]).get(reverse("campaigns:detail", args=[fanned.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="campaign-assignments"' in html and 'id="unheld-work"' in html
    assert 'id="campaign-submissions"' in html and 'id="late-reports"' in html


def test_the_inbox_shows_the_assigned_inspections(login, fanned, users, places):
    with at(D(2026, 12, 1)):
        html = login(users["grid_worker"]).get(reverse("hazards:inbox")).content.decode()
    section = html.split('id="inbox-assigned"')[1]
    assert places["mall"].name in section
    assert f'{reverse("inspections:start")}?place={places["mall"].pk}' in section
