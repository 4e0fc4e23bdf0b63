"""The demo district's campaign: seed 003's plan (渝中区“全面除险清患，共建平安渝中”消防安全
专项工作方案, bundled as data/) read by the importer, run this year.

It goes the way a district office would: the parser's proposal (plan_parser, importer), the
dates moved to the current year (the plan is dated 2023; the demo's hazards and inspections lie
in the last ten months), three live targets added as a reviewer would, then the services write
it (create_campaign), fan out the mall checklist to the streets (fan_out) and ask for the
monthly report by the 20th (add_schedule, seed 004's rhythm). Every write is audited.
"""

import datetime
from pathlib import Path

from django.utils import timezone

from fireledger.core.choices import Role
from fireledger.core.models import Jurisdiction, User

from . import importer, plan_parser, services, services_fanout, services_submissions
from .models import Campaign

PLAN = Path(__file__).resolve().parent / "data" / "quanmian_chuxian_qinghuan_2023.txt"
PHASES = (("动员部署", 1, 3), ("全面排查", 4, 4), ("整治攻坚", 5, 11), ("巩固提升", 12, 12))


def _this_year(day, year):
    if day is None:
        return None
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def _month_end(year, month):
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def generate_demo_campaign() -> dict:
    """The campaign, its assignments and reports; counts of what was written."""
    today = timezone.localdate()
    year = today.year
    district = Jurisdiction.objects.filter(level="district").order_by("code").first()
    office = User.objects.filter(assignments__role=Role.DISTRICT_OFFICE,
                                 assignments__jurisdiction=district).first()
    if district is None or office is None:
        return {}
    text = PLAN.read_text(encoding="utf-8")
    proposal = importer.proposal(plan_parser.parse_plan(text), text)
    campaign = dict(proposal["campaign"], jurisdiction=district, name=f"{year}年"
                    + proposal["campaign"]["name"].strip("“”"),
                    issued_on=datetime.date(year, 3, 1), starts_on=datetime.date(year, 3, 1),
                    ends_on=datetime.date(year, 12, 31))
    phases = [{"name": name, "starts_on": datetime.date(year, first, 1),
               "ends_on": _month_end(year, last)} for name, first, last in PHASES]
    tasks = [dict(task, due_on=_this_year(task["due_on"], year)) for task in proposal["tasks"]]
    targets = [dict(t, due_on=_this_year(t["due_on"], year) or campaign["ends_on"],
                    threshold=t["threshold"] if t["threshold"] is not None else 0)
               for t in proposal["targets"]]
    end = campaign["ends_on"]
    targets += [
        {"task_number": "", "text": "12月底前完成50%上账隐患整改", "metric": "rectified_share",
         "threshold": 50, "unit": "%", "due_on": end},
        {"task_number": "", "text": "辖区场所排查覆盖率100%", "metric": "inspected_share",
         "threshold": 100, "unit": "%", "due_on": end},
        {"task_number": "（一）", "text": "高层公共建筑联合抽查率不低于10%",
         "metric": "spot_check_share", "threshold": 10, "unit": "%", "due_on": end},
    ]
    created = services.create_campaign(office, **importer.campaign_input(
        campaign, phases, tasks, targets))
    counts = {"campaign": created.pk, "tasks": created.tasks.count(),
              "targets": created.targets.count()}
    from fireledger.inspections.models import ChecklistTemplate

    mall_task = created.tasks.filter(title__contains="商场").first()
    result = services_fanout.fan_out(office, created,
                                     template=ChecklistTemplate.objects.get(code="mall"),
                                     task=mall_task)
    counts.update(assignments=result.created, unheld=result.unheld)
    schedule = services_submissions.add_schedule(
        office, created, title="专项整治工作进展情况月报", kind="monthly", day_of_month=20,
        from_streets=True)
    counts["reports"] = schedule.submissions.count()
    return counts


def delete_campaigns() -> None:
    """For demo --reset: campaigns hold assignments (which hold places) and reports."""
    Campaign.objects.all().delete()
