"""The inbox: each role sees the work that needs it, in its scope, and nothing else."""

import datetime

import pytest
from django.urls import reverse

from fireledger.hazards import inbox, services, sweep

DAY = datetime.timedelta(days=1)


def counts(user, today):
    return {s.key: s.count for s in inbox.sections(user, today)}


@pytest.fixture
def work(places, users, admin_user, log, today):
    """At the mall (street 1): one pending, one awaiting verification (reported by the unit
    manager), one overdue on a later day; at the hotel (street 2): one pending."""
    mall = places["mall"]
    pending = log(admin_user, mall, deadline=today + 2 * DAY)
    reported = log(admin_user, mall, deadline=today + 20 * DAY)
    services.transition(users["unit_manager"], reported, "report_rectification", measures="x")
    other_street = log(admin_user, places["hotel"], deadline=today + 2 * DAY)
    return {"pending": pending, "reported": reported, "other": other_street}


def test_unit_manager_sees_what_to_rectify(work, users, today):
    got = counts(users["unit_manager"], today)
    assert got["to_rectify"] == 1 and got["due_soon"] == 1
    assert "to_verify" not in got and "extensions" not in got


def test_street_officer_verifies_in_their_street_only(work, users, today):
    got = counts(users["street_officer"], today)
    assert got["to_verify"] == 1 and got["due_soon"] == 1 and got["overdue"] == 0
    assert "listings" not in got


def test_nobody_is_asked_to_verify_their_own_report(work, users, today):
    assert counts(users["unit_manager"], today).get("to_verify") is None
    services.transition(users["street_officer"], work["pending"], "report_rectification",
                        measures="y")
    assert counts(users["street_officer"], today)["to_verify"] == 1  # only the unit's report
    assert counts(users["grid_worker"], today)["to_verify"] == 2


def test_overdue_shows_on_a_later_day(work, users, today):
    later = today + 10 * DAY
    assert counts(users["street_officer"], later)["overdue"] == 1
    assert counts(users["district_office"], later)["overdue"] == 2


def test_district_office_sees_proposals_and_the_whole_district(places, users, admin_user, log,
                                                                today):
    log(admin_user, places["hotel"], is_major=True, interim_safeguards="值守",
        deadline=today + 30 * DAY)
    sweep.run(today, notify=False)
    assert counts(users["district_office"], today)["listings"] == 1
    assert "listings" not in counts(users["street_officer"], today)


def test_notices_to_send_and_late(places, users, admin_user, log, today):
    mall = places["mall"]
    mall.listed_by = "police_station"
    mall.save()
    log(admin_user, mall, deadline=today + 30 * DAY)
    assert counts(users["grid_worker"], today)["notices"] == 1
    assert counts(users["unit_manager"], today).get("notices") is None


def test_inbox_page_lists_the_work_and_is_the_landing_page(login, work, users):
    client = login(users["street_officer"])
    assert client.get(reverse("home"))["Location"] == reverse("hazards:inbox")
    page = client.get(reverse("hazards:inbox")).content.decode()
    assert 'id="inbox-to_verify"' in page and work["reported"].description in page
    assert 'id="inbox-overdue"' not in page  # empty sections are not shown


def test_inbox_queries_do_not_grow_with_the_rows(login, places, users, admin_user, log, today,
                                                 django_assert_max_num_queries):
    for _ in range(15):
        log(admin_user, places["mall"], deadline=today + DAY)
    client = login(users["street_officer"])
    with django_assert_max_num_queries(25):
        assert client.get(reverse("hazards:inbox")).status_code == 200


def test_cannot_rectify_is_filed_with_the_district_office(work, users, today):
    services.transition(users["street_officer"], work["pending"], "declare_cannot_rectify",
                        cannot_rectify_reason="建筑结构限制，需整体改造",
                        review_on=today + 30 * DAY)
    assert counts(users["district_office"], today)["filed"] == 1
    assert "filed" not in counts(users["street_officer"], today)
    assert counts(users["street_officer"], today + 30 * DAY)["reviews"] == 1


def test_list_filters_by_rung_of_the_ladder(login, work, users, today):
    sweep.run(today + 40 * DAY, notify=False)  # both mall hazards far overdue by then
    client = login(users["district_office"])
    url = reverse("hazards:list")
    district = client.get(url, {"supervision": "district"}).context["page"].paginator.count
    street = client.get(url, {"supervision": "street"}).context["page"].paginator.count
    assert (district, street) == (3, 0)
    assert client.get(url, {"supervision": "listed"}).context["page"].paginator.count == 0


def test_unit_manager_is_asked_for_a_self_inspection_until_a_commitment_is_in_force(
        places, users, today):
    """The unit's mall has no commitment: it is due; once signed it is not, a year later it
    is due again."""
    import time_machine

    from fireledger.hazards.models import HazardCategory
    from fireledger.inspections import services as inspections
    from fireledger.inspections.models import ChecklistItem, ChecklistTemplate

    unit = users["unit_manager"]
    section = {s.key: s for s in inbox.sections(unit, today)}["commitments_due"]
    assert [p.name for p in section.rows] == [places["mall"].name]
    template = ChecklistTemplate.objects.create(code="t", name="测试", place_categories=["mall"])
    ChecklistItem.objects.create(template=template, number="1", text="疏散通道畅通",
                                 category=HazardCategory.objects.get(code="hr.03.1"))
    version = inspections.snapshot_version(unit, template)
    draft = inspections.start_inspection(unit, places["mall"], kind="self", version=version)
    assert [i.pk for i in {s.key: s for s in inbox.sections(unit, today)}["drafts"].rows] == [
        draft.pk]
    inspections.save_result(unit, draft.results.get(), outcome="pass")
    inspections.sign(unit, draft, name="王经理", confirmed=True)
    inspections.submit(unit, draft)
    inspections.sign_commitment(unit, draft, signer_name="王经理", responsible_person="王经理",
                                responsible_phone="13800000001", safety_manager="李主管",
                                safety_manager_phone="13800000002")
    got = counts(unit, today)
    assert got["commitments_due"] == 0 and got["drafts"] == 0
    with time_machine.travel(today + datetime.timedelta(days=366), tick=False):
        assert counts(unit, today + datetime.timedelta(days=366))["commitments_due"] == 1
