"""An overdue hazard climbs the ladder with the nightly sweep while time passes (time-machine
moves the clock of the test and of the live server, which share the process): street
supervision shows in the street officer's inbox, district supervision and a major hazard's
proposal for listed supervision in the district office's, which decides it on the page. An
extension request goes from the unit manager to the street officer."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from fireledger.core.calendar import add_workdays, overdue_cutoff
from fireledger.hazards import services
from fireledger.hazards.models import EscalationPolicy, Hazard, HazardCategory, ListedSupervision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = datetime.timedelta(days=1)


def at(day: datetime.date):
    """Travel to 09:00 Beijing time on `day`; the clock keeps ticking from there."""
    moment = datetime.datetime.combine(day, datetime.time(9), tzinfo=timezone.get_current_timezone())
    return time_machine.travel(moment, tick=True)


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def open_panel(page, name):
    """Open a side form's accordion panel and wait until it has finished opening."""
    page.click(f"#open-{name}")
    page.wait_for_selector(f"#side-{name}.collapse.show", state="visible")


def test_overdue_hazard_climbs_the_ladder(new_page, phone_page, log_in, users, places,
                                          screenshots_dir):
    today = timezone.localdate()
    categories = {c.code: c for c in HazardCategory.objects.all()}
    mall = places["mall"]
    hazard = services.log_hazard(users["grid_worker"], mall, category=categories["hr.03.1"],
                                 description="疏散楼梯间堆放纸箱", deadline=add_workdays(today, 2))
    major = services.log_hazard(users["grid_worker"], mall, category=categories["hr.02.1"],
                                description="消防控制室主机瘫痪", is_major=True,
                                interim_safeguards="安排专人24小时巡查，增配灭火器",
                                deadline=add_workdays(today, 40))

    # The unit manager asks for more time; the street officer refuses it with a reason.
    page = log_in(new_page(), users["unit_manager"], next=f"/hazards/{hazard.pk}/")
    open_panel(page, "extension")
    page.fill("#id_extension-new_deadline", (hazard.deadline + 20 * DAY).isoformat())
    page.fill("#id_extension-reason", "纸箱为商户存货，需协调仓库")
    submit(page, "#form-extension button[type=submit]")
    assert page.locator(".alert-success").count() == 1
    page = log_in(new_page(), users["street_officer"], next=None)
    assert page.url.endswith("/hazards/inbox/")
    page.click("#inbox-extensions .inbox-row")
    page.wait_for_url(f"**/hazards/{hazard.pk}/")
    open_panel(page, "decide_extension")
    page.check("#id_decide_extension-approve_1")  # refuse
    submit(page, "#form-decide_extension button[type=submit]")
    assert page.locator("#id_decide_extension-decision_note.is-invalid").count() == 1
    page.fill("#id_decide_extension-decision_note", "清理杂物无需延期")
    submit(page, "#form-decide_extension button[type=submit]")
    assert Hazard.objects.get(pk=hazard.pk).deadline == hazard.deadline

    # The day after the deadline the sweep puts it under street supervision.
    with at(hazard.deadline + DAY):
        call_command("sweep", verbosity=0)
        page = log_in(phone_page, users["street_officer"], next=None)
        assert "疏散楼梯间堆放纸箱" in page.inner_text("#inbox-overdue")
        page.screenshot(path=str(screenshots_dir / "inbox-phone.png"), full_page=True)
        page.click("#inbox-overdue .inbox-row")
        page.wait_for_url(f"**/hazards/{hazard.pk}/")
        assert "街道督办" in page.inner_text("#hazard-fields")
        page.click("#supervision-tab")
        assert "街道督办" in page.inner_text("#hazard-escalations")

    # Missed nights are caught up: one run, weeks later, takes every step on its own day.
    policy = EscalationPolicy.current()
    late = next(hazard.deadline + k * DAY for k in range(1, 60)
                if hazard.deadline < overdue_cutoff(hazard.deadline + k * DAY,
                                                    policy.district_after_workdays))
    with at(late + 5 * DAY):
        call_command("sweep", verbosity=0)
        assert hazard.escalations.get(step="district").on == late
        page = log_in(new_page(), users["district_office"], next=None)
        assert "疏散楼梯间堆放纸箱" in page.inner_text("#inbox-overdue")
        assert "消防控制室主机瘫痪" in page.inner_text("#inbox-listings")
        page.click("#inbox-listings .inbox-row")
        page.wait_for_url(f"**/hazards/{major.pk}/")
        open_panel(page, "listing")
        page.check("#id_listing-listed_0")  # list it
        submit(page, "#form-listing button[type=submit]")
        assert ListedSupervision.objects.get(hazard=major).decision == "listed"
        page.click("#supervision-tab")
        assert "已挂牌" in page.inner_text("#hazard-listing")
        page.screenshot(path=str(screenshots_dir / "hazard-supervision.png"), full_page=True)
