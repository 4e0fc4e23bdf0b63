"""The escalation sweep: the ladder's days, idempotence, catching up, listed supervision, notices."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from fireledger.core.calendar import add_workdays, overdue_cutoff
from fireledger.core.models import AuditEvent
from fireledger.hazards import services, sweep
from fireledger.hazards.models import (
    Escalation,
    EscalationPolicy,
    Hazard,
    ListedSupervision,
    ReferralNotice,
    SweepRun,
)

DAY = datetime.timedelta(days=1)
Step = Escalation.Step


def steps(hazard):
    return list(Escalation.objects.filter(hazard=hazard).values_list("step", "on"))


def sweep_daily(first, last):
    """One run per night, as the periodic task does."""
    day = first
    while day <= last:
        sweep.run(day, notify=False)
        day += DAY


@pytest.fixture
def due_in_ten(places, users, log, today):
    return log(users["grid_worker"], places["mall"], deadline=add_workdays(today, 10))


def test_the_ladder_takes_each_step_on_its_day(due_in_ten, today):
    hazard = due_in_ten
    policy = EscalationPolicy.current()
    deadline = hazard.deadline
    remind_from = min(d for d in (today + k * DAY for k in range(30))
                      if add_workdays(d, policy.reminder_workdays) >= deadline)
    district_on = min(d for d in (deadline + k * DAY for k in range(60))
                      if deadline < overdue_cutoff(d, policy.district_after_workdays))
    sweep_daily(today, district_on + 3 * DAY)
    assert steps(hazard) == [(Step.REMINDER, remind_from), (Step.STREET, deadline + DAY),
                             (Step.DISTRICT, district_on)]
    assert Hazard.objects.with_rung().get(pk=hazard.pk).rung == "district"


def test_a_missed_week_is_caught_up_with_the_days_it_should_have_happened(due_in_ten, today):
    hazard = due_in_ten
    sweep.run(today, notify=False)
    late = hazard.deadline + 30 * DAY
    run = sweep.run(late, notify=False)
    assert run.first_day == today + DAY and run.last_day == late
    got = dict(steps(hazard))
    assert got[Step.STREET] == hazard.deadline + DAY  # not the day of the catch-up run
    assert Step.REMINDER in got and Step.DISTRICT in got


def test_running_twice_changes_nothing(due_in_ten, today):
    later = due_in_ten.deadline + 20 * DAY
    sweep.run(later, notify=False)
    before = Escalation.objects.count()
    again = sweep.run(later, notify=False)
    assert Escalation.objects.count() == before
    assert not any(again.counts.values())
    assert again.first_day == again.last_day == later


def test_closed_fixed_and_cannot_rectify_hazards_are_left_alone(places, users, log, today, photo):
    officer, unit_manager = users["street_officer"], users["unit_manager"]
    closed = log(officer, places["mall"], deadline=today + DAY)
    services.transition(unit_manager, closed, "report_rectification", measures="已清理")
    services.transition(officer, closed, "verify_pass", photos=[photo()])
    log(officer, places["mall"], fixed_on_spot=True)
    parked = log(officer, places["mall"], deadline=today + DAY)
    services.transition(officer, parked, "declare_cannot_rectify",
                        cannot_rectify_reason="产权争议，需区政府协调")
    sweep.run(today + 60 * DAY, notify=False)
    assert not Escalation.objects.exists()


def test_awaiting_verification_still_climbs(places, users, log, today):
    """The deadline binds until the hazard is closed: reporting alone does not stop the ladder."""
    hazard = log(users["street_officer"], places["mall"], deadline=today + DAY)
    services.transition(users["unit_manager"], hazard, "report_rectification", measures="x")
    sweep.run(today + 5 * DAY, notify=False)
    assert Step.STREET in dict(steps(hazard))


def test_an_approved_extension_starts_a_new_ladder(due_in_ten, users, today):
    hazard = due_in_ten
    sweep.run(hazard.deadline + DAY, notify=False)
    assert Hazard.objects.with_rung().get(pk=hazard.pk).rung == "street"
    request = services.request_extension(users["unit_manager"], hazard,
                                         new_deadline=hazard.deadline + 30 * DAY,
                                         reason="需更换防火门，厂家供货周期长")
    services.decide_extension(users["street_officer"], request, approve=True)
    hazard = Hazard.objects.with_rung().get(pk=hazard.pk)
    assert hazard.rung == "" and hazard.deadline == request.new_deadline
    sweep.run(hazard.deadline, notify=False)
    assert [s for s, _ in steps(hazard)] == [Step.STREET, Step.REMINDER]


def test_major_hazard_is_proposed_once_then_listed_and_needs_monthly_checks(
        places, users, log, today, photo):
    hazard = log(users["street_officer"], places["mall"], is_major=True,
                 interim_safeguards="设专人值守，配置灭火器", deadline=today + 60 * DAY)
    sweep.run(today, notify=False)
    sweep.run(today + DAY, notify=False)
    listing = ListedSupervision.objects.get(hazard=hazard)
    assert listing.decision == ListedSupervision.Decision.PROPOSED
    assert listing.proposed_on == today
    assert [s for s, _ in steps(hazard)] == [Step.LISTING_PROPOSED]

    with pytest.raises(services.PermissionDenied):
        services.decide_listing(users["street_officer"], listing, listed=True)
    services.decide_listing(users["district_office"], listing, listed=True)

    sweep.run(today + 20 * DAY, notify=False)
    assert Step.CHECK_DUE not in dict(steps(hazard))
    sweep.run(today + 40 * DAY, notify=False)
    assert [s for s, _ in steps(hazard)].count(Step.CHECK_DUE) == 1
    sweep.run(today + 45 * DAY, notify=False)  # still due: flagged once, not every night
    assert [s for s, _ in steps(hazard)].count(Step.CHECK_DUE) == 1

    checked = today + 46 * DAY
    with time_machine.travel(datetime.datetime.combine(checked, datetime.time(10)), tick=False):
        services.record_check(users["street_officer"], listing, checked_on=checked,
                              findings="临时措施落实，整改方案已报区政府")
    listing.refresh_from_db()
    assert listing.last_check_on == checked
    sweep.run(checked + 20 * DAY, notify=False)
    assert [s for s, _ in steps(hazard)].count(Step.CHECK_DUE) == 1
    sweep.run(checked + 40 * DAY, notify=False)  # a month after that check: due again
    assert [s for s, _ in steps(hazard)].count(Step.CHECK_DUE) == 2

    services.transition(users["unit_manager"], hazard, "report_rectification", measures="已整改")
    services.transition(users["street_officer"], hazard, "verify_pass", photos=[photo()])
    listing.refresh_from_db()
    assert listing.lifted_on == today


def test_declined_listing_is_not_proposed_again(places, users, log, today):
    hazard = log(users["street_officer"], places["mall"], is_major=True,
                 interim_safeguards="专人值守", deadline=today + 60 * DAY)
    sweep.run(today, notify=False)
    listing = ListedSupervision.objects.get(hazard=hazard)
    with pytest.raises(services.ValidationError):
        services.decide_listing(users["district_office"], listing, listed=False)
    services.decide_listing(users["district_office"], listing, listed=False,
                            note="隐患已由行业部门挂牌")
    sweep.run(today + 10 * DAY, notify=False)
    assert ListedSupervision.objects.count() == 1
    assert [s for s, _ in steps(hazard)] == [Step.LISTING_PROPOSED]


def test_referral_notice_is_due_in_three_working_days_and_flagged_late(
        places, users, log, today):
    mall = places["mall"]
    mall.listed_by = "fire_brigade"
    mall.save()
    hazard = log(users["grid_worker"], mall, deadline=today + 30 * DAY)
    notice = ReferralNotice.objects.get(hazard=hazard)
    assert notice.agency == "fire_brigade" and notice.due_on == add_workdays(today, 3)
    sweep.run(notice.due_on, notify=False)
    assert Step.NOTICE_LATE not in dict(steps(hazard))
    assert not notice.is_late(notice.due_on) and notice.is_late(notice.due_on + DAY)
    sweep.run(notice.due_on + 2 * DAY, notify=False)
    assert dict(steps(hazard))[Step.NOTICE_LATE] == notice.due_on + DAY
    services.send_notice(users["street_officer"], notice, sent_on=today, reference="解放碑抄〔2026〕1号")
    notice.refresh_from_db()
    assert notice.sent_by == users["street_officer"] and not notice.is_late(today + 10 * DAY)


def test_no_notice_for_units_nobody_lists(places, users, log, today):
    log(users["grid_worker"], places["mall"], deadline=today + 30 * DAY)
    assert not ReferralNotice.objects.exists()


def test_each_run_is_audited_with_its_counts(due_in_ten):
    run = sweep.run(due_in_ten.deadline + DAY, notify=False)
    event = AuditEvent.objects.for_object(run).get()
    assert event.after["counts"][Step.STREET] == 1


def test_command_reports_what_it_did(due_in_ten, capsys):
    call_command("sweep", "--today", (due_in_ten.deadline + DAY).isoformat(), "--no-notify",
                 verbosity=0)
    assert "street=1" in capsys.readouterr().out
    assert SweepRun.objects.count() == 1


def test_nightly_task_runs_the_sweep(due_in_ten, settings):
    from fireledger.hazards.tasks import nightly_sweep

    counts = nightly_sweep.call_local()
    assert SweepRun.objects.count() == 1 and isinstance(counts, dict)
