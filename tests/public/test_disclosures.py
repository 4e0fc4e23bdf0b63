"""Public disclosure: due dates in working days, publishing and withdrawing (audited, scoped),
what the public sees on a day, and that the public page shows nothing of the internal record."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fireledger.core.models import AuditEvent
from fireledger.hazards import inbox, sweep
from fireledger.hazards import services as hazard_services
from fireledger.hazards.models import HazardCategory, HazardPhoto, ListedSupervision
from fireledger.inspections import services as inspection_services
from fireledger.inspections.models import ChecklistItem, ChecklistTemplate, Inspection
from fireledger.places.choices import Category
from fireledger.public import disclosures
from fireledger.public.models import Disclosure, DisclosureKind, DisclosurePolicy

DAY = datetime.timedelta(days=1)
D = datetime.date
SECRET_NOTE = "楼梯间堆放纸箱（内部记录）"
SECRET_ADVICE = "建议约谈物业经理（内部意见）"
SECRET_DESCRIPTION = "配电室私拉电线（内部描述）"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def version(db, admin_user):
    categories = {c.code: c for c in HazardCategory.objects.filter(code__in=["hr.03.1", "mall.1"])}
    template = ChecklistTemplate.objects.create(
        code="test-disclosure", name="商场检查表（公开测试）", place_categories=[Category.MALL,
                                                                             Category.HOTEL])
    for n, (text, code) in enumerate([("疏散楼梯间无杂物堆放", "hr.03.1"),
                                      ("灭火器在有效期内", "mall.1")], start=1):
        ChecklistItem.objects.create(template=template, number=str(n), area="疏散", text=text,
                                     category=categories[code], sort_order=n)
    return inspection_services.snapshot_version(admin_user, template)


@pytest.fixture
def random_inspection(places, version, photo):
    """random_inspection(actor, place="mall", hazard=True): a submitted random inspection, two
    signatures; item 1 a hazard with an internal note and a photo, advice written."""
    def make(actor, place="mall", hazard=True):
        inspection = inspection_services.start_inspection(actor, places[place], kind="random",
                                                          version=version)
        inspection_services.save_details(actor, inspection, advice=SECRET_ADVICE)
        for r in inspection.results.order_by("sort_order"):
            failed = hazard and r.number == "1"
            inspection_services.save_result(actor, r, outcome="hazard" if failed else "pass",
                                            note=SECRET_NOTE if failed else "")
            if failed:
                inspection_services.add_result_photo(actor, r, photo("秘密照片.png"))
        for name in ("张检查", "李检查"):
            inspection_services.sign(actor, inspection, name=name, confirmed=True)
        return inspection_services.submit(actor, inspection)
    return make


def submitted(inspection, day):
    """Move the submission to a day (test set-up only)."""
    Inspection.objects.filter(pk=inspection.pk).update(
        submitted_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10))))
    inspection.refresh_from_db()
    return inspection


@pytest.fixture
def listed(places, users, admin_user, today):
    """A major hazard at the hotel (street 2), proposed by the sweep and listed."""
    hazard = hazard_services.log_hazard(
        admin_user, places["hotel"], category=HazardCategory.objects.get(code="hr.03.1"),
        description=SECRET_DESCRIPTION, is_major=True, interim_safeguards="专人值守",
        deadline=today + 30 * DAY)
    sweep.run(today, notify=False)
    hazard_services.decide_listing(users["district_office"], ListedSupervision.objects.get(
        hazard=hazard), listed=True)
    hazard.refresh_from_db()
    return hazard


# Due dates ------------------------------------------------------------------------------------

def test_due_date_counts_working_days_across_national_day(users, random_inspection):
    inspection = submitted(random_inspection(users["street_officer"]), D(2024, 9, 27))
    rows = disclosures.due_random_results(users["district_office"], D(2024, 10, 1))
    assert [(r.inspection.pk, r.record_on) for r in rows] == [(inspection.pk, D(2024, 9, 27))]
    # Sunday 29 Sep and Saturday 12 Oct are make-up workdays, 1-7 Oct are off: 20 working days
    # end on 30 Oct (Monday-to-Friday counting would say 25 Oct).
    assert rows[0].due_on == D(2024, 10, 30)
    assert rows[0].overdue is False


def test_overdue_is_computed_from_the_day(users, random_inspection):
    submitted(random_inspection(users["street_officer"]), D(2024, 9, 27))
    assert not disclosures.due_random_results(users["district_office"], D(2024, 10, 30))[0].overdue
    assert disclosures.due_random_results(users["district_office"], D(2024, 10, 31))[0].overdue


def test_policy_sets_the_working_days(users, random_inspection):
    submitted(random_inspection(users["street_officer"]), D(2024, 9, 27))
    DisclosurePolicy.objects.update_or_create(pk=1, defaults={"publish_workdays": 2})
    assert disclosures.due_random_results(users["district_office"], D(2024, 9, 27))[0].due_on \
        == D(2024, 9, 30)


def test_only_submitted_random_inspections_in_scope_are_due(users, places, version,
                                                            random_inspection):
    mine = random_inspection(users["street_officer"])
    random_inspection(users["district_office"], place="hotel")  # street 2
    inspection_services.start_inspection(users["street_officer"], places["mall"], kind="random",
                                         version=version)  # a draft
    inspection_services.start_inspection(users["street_officer"], places["mall"], kind="sweep",
                                         version=version)
    today = timezone.localdate()
    assert [r.inspection.pk for r in disclosures.due_random_results(
        users["street_officer"], today)] == [mine.pk]
    assert len(disclosures.due_random_results(users["district_office"], today)) == 2
    for role in ("grid_worker", "department_officer", "unit_manager", "nobody"):
        assert disclosures.due_random_results(users[role], today) == [], role


def test_listed_hazards_are_due_for_the_district_office_only(users, listed, today):
    rows = disclosures.due_exposures(users["district_office"], today)
    assert [r.hazard.pk for r in rows] == [listed.pk]
    assert rows[0].record_on == today and rows[0].due_on > today
    assert disclosures.due_exposures(users["street_officer"], today) == []
    ListedSupervision.objects.filter(hazard=listed).update(lifted_on=today)
    assert disclosures.due_exposures(users["district_office"], today) == []


# Publish and withdraw ----------------------------------------------------------------------------

def test_publish_sets_the_dates_and_is_audited(users, random_inspection, today):
    inspection = random_inspection(users["street_officer"])
    d = disclosures.publish(users["district_office"], inspection=inspection, title="抽查结果",
                            text="检查2项，发现隐患1处。")
    policy = DisclosurePolicy.current()
    assert d.kind == DisclosureKind.RANDOM_RESULT and d.jurisdiction_code == \
        inspection.jurisdiction_code
    assert d.published_on == today and d.until == today + policy.shown_days * DAY
    assert d.due_on == disclosures.due_date(disclosures.submitted_on(inspection))
    event = AuditEvent.objects.get(object_type="public.disclosure", object_id=str(d.pk))
    assert event.actor == users["district_office"] and event.action == "create"
    assert disclosures.due_random_results(users["district_office"], today) == []
    with pytest.raises(ValidationError):  # once only while it is live
        disclosures.publish(users["district_office"], inspection=inspection, title="x", text="y")


def test_publish_needs_a_title_and_text_without_the_internal_code(users, places,
                                                                 random_inspection):
    inspection = random_inspection(users["street_officer"])
    with pytest.raises(ValidationError) as error:
        disclosures.publish(users["district_office"], inspection=inspection, title=" ", text="")
    assert set(error.value.message_dict) == {"title", "text"}
    with pytest.raises(ValidationError) as error:
        disclosures.publish(users["district_office"], inspection=inspection, title="结果",
                            text=f"场所编号 {places['mall'].code}")
    assert "text" in error.value.message_dict
    assert not Disclosure.objects.exists()


def test_who_may_publish(users, random_inspection, listed):
    mall = random_inspection(users["street_officer"])
    hotel = random_inspection(users["district_office"], place="hotel")
    # 谁检查、谁公开: the street officer publishes the random results of its own street.
    assert disclosures.publish(users["street_officer"], inspection=mall, title="t", text="x")
    for actor, kw in ((users["street_officer"], {"inspection": hotel}),
                      (users["street_officer"], {"hazard": listed}),
                      (users["grid_worker"], {"inspection": hotel}),
                      (users["department_officer"], {"inspection": hotel}),
                      (users["unit_manager"], {"hazard": listed})):
        with pytest.raises(PermissionDenied):
            disclosures.publish(actor, title="t", text="x", **kw)
    assert disclosures.publish(users["district_office"], hazard=listed, title="曝光", text="x")
    assert Disclosure.objects.count() == 2


def test_withdraw_is_audited_scoped_and_makes_it_due_again(users, random_inspection, today):
    inspection = random_inspection(users["street_officer"])
    d = disclosures.publish(users["street_officer"], inspection=inspection, title="t", text="x")
    with pytest.raises(PermissionDenied):
        disclosures.withdraw(users["grid_worker"], d, "错误")
    with pytest.raises(ValidationError):
        disclosures.withdraw(users["district_office"], d, " ")
    disclosures.withdraw(users["district_office"], d, "文字有误")
    d.refresh_from_db()
    assert d.withdrawn_on == today
    event = AuditEvent.objects.filter(object_type="public.disclosure", action="change").get()
    assert "文字有误" in event.note and event.after == {"withdrawn_on": str(today)}
    assert [r.inspection.pk for r in disclosures.due_random_results(
        users["district_office"], today)] == [inspection.pk]


# What the public sees ---------------------------------------------------------------------------

def test_public_list_before_during_after_and_withdrawn(users, random_inspection, listed, today):
    shown = DisclosurePolicy.current().shown_days
    a = disclosures.publish(users["district_office"], inspection=random_inspection(
        users["street_officer"]), title="抽查A", text="x")
    b = disclosures.publish(users["district_office"], hazard=listed, title="曝光B", text="y")

    def titles(on):
        return sorted(i.title for i in disclosures.public_list(on))

    assert titles(today - DAY) == []
    assert titles(today) == ["抽查A", "曝光B"]
    assert titles(today + shown * DAY) == ["抽查A", "曝光B"]
    assert titles(today + (shown + 1) * DAY) == []
    disclosures.withdraw(users["district_office"], b, "已整改")
    assert titles(today) == ["抽查A"]
    Disclosure.objects.filter(pk=b.pk).update(withdrawn_on=today + 5 * DAY)
    assert titles(today + 4 * DAY) == ["抽查A", "曝光B"]  # shown until the day it was withdrawn
    assert titles(today + 5 * DAY) == ["抽查A"]
    assert a.pk


def test_public_page_needs_no_login_and_shows_nothing_internal(client, users, places,
                                                                random_inspection, listed):
    inspection = random_inspection(users["street_officer"])
    title, text = disclosures.suggested_text(inspection=inspection)
    disclosures.publish(users["district_office"], inspection=inspection, title=title, text=text)
    title2, text2 = disclosures.suggested_text(hazard=listed)
    disclosures.publish(users["district_office"], hazard=listed, title=title2, text=text2)
    response = client.get(reverse("public:disclosures"))
    assert response.status_code == 200
    page = response.content.decode()
    for shown in (title, text, title2, text2, places["mall"].name, places["mall"].address,
                  places["hotel"].address, listed.category.name):
        assert shown in page, shown
    photo = HazardPhoto.objects.get()
    for hidden in (SECRET_NOTE, SECRET_ADVICE, SECRET_DESCRIPTION, "专人值守", "张检查", "李检查",
                   photo.image.name, "<img", places["mall"].code, places["hotel"].code,
                   users["street_officer"].username, users["district_office"].username,
                   f"/hazards/{listed.pk}/"):
        assert hidden not in page, hidden


def test_suggested_text_counts_items_and_hazards(users, random_inspection):
    inspection = random_inspection(users["street_officer"])
    title, text = disclosures.suggested_text(inspection=inspection)
    assert inspection.place.name in title
    assert "2" in text and "1" in text and SECRET_NOTE not in text
    clean = random_inspection(users["street_officer"], hazard=False)
    assert disclosures.suggested_text(inspection=clean)[1] != text


# Pages -----------------------------------------------------------------------------------------

def test_manage_and_publish_pages(login, users, random_inspection, listed):
    inspection = random_inspection(users["street_officer"])
    client = login(users["district_office"])
    page = client.get(reverse("public:disclosures_manage")).content.decode()
    assert f"due-inspection-{inspection.pk}" in page and f"due-hazard-{listed.pk}" in page
    url = reverse("public:disclosure_publish")
    form = client.get(url, {"inspection": inspection.pk})
    assert form.status_code == 200 and inspection.place.name in form.content.decode()
    bad = client.post(url, {"inspection": inspection.pk, "title": "t", "text": ""})
    assert bad.status_code == 400 and not Disclosure.objects.exists()
    ok = client.post(url, {"inspection": inspection.pk, "title": "结果", "text": "无隐患"})
    assert ok.status_code == 302
    d = Disclosure.objects.get()
    assert client.post(reverse("public:disclosures_manage"),
                       {"disclosure": d.pk, "reason": ""}).status_code == 400
    assert client.post(reverse("public:disclosures_manage"),
                       {"disclosure": d.pk, "reason": "有误"}).status_code == 302
    d.refresh_from_db()
    assert d.withdrawn_on is not None


def test_pages_are_scoped(login, client, users, random_inspection, listed):
    hotel = random_inspection(users["district_office"], place="hotel")
    url = reverse("public:disclosure_publish")
    assert client.get(reverse("public:disclosures_manage")).status_code == 302  # login
    street = login(users["street_officer"])
    assert street.get(url, {"inspection": hotel.pk}).status_code == 404
    assert street.get(url, {"hazard": listed.pk}).status_code == 404
    assert street.get(url, {"inspection": "x"}).status_code == 404
    assert login(users["grid_worker"]).get(reverse("public:disclosures_manage")).status_code == 403


# Inbox -----------------------------------------------------------------------------------------

def test_inbox_section_for_the_district_office(login, users, random_inspection, listed, today):
    inspection = submitted(random_inspection(users["street_officer"]), today - 60 * DAY)
    section = {s.key: s for s in inbox.sections(users["district_office"], today)}[
        "disclosures_due"]
    assert section.count == 2 and section.rows[0].inspection.pk == inspection.pk
    assert section.rows[0].overdue
    assert "disclosures_due" not in {s.key for s in inbox.sections(users["street_officer"], today)}
    page = login(users["district_office"]).get(reverse("hazards:inbox")).content.decode()
    assert 'id="inbox-disclosures_due"' in page
    assert f"{reverse('public:disclosure_publish')}?inspection={inspection.pk}" in page


# Admin -----------------------------------------------------------------------------------------

def test_policy_admin_edits_the_single_row_audited(login, admin_user):
    client = login(admin_user)
    changelist = client.get(reverse("admin:public_disclosurepolicy_changelist"))
    assert changelist.status_code == 302 and changelist.url.endswith("/1/change/")
    response = client.post(changelist.url, {"publish_workdays": 15, "shown_days": 60})
    assert response.status_code == 302
    assert (DisclosurePolicy.current().publish_workdays, DisclosurePolicy.current().shown_days) \
        == (15, 60)
    event = AuditEvent.objects.get(object_type="public.disclosurepolicy", action="change")
    assert event.after["publish_workdays"] == 15
    assert client.get(reverse("admin:public_disclosurepolicy_add")).status_code == 403
