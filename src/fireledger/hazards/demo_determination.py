"""Demo major-hazard determinations, through the services: one confirmed by an expert panel, one
comprehensive proposal awaiting the district office (it shows in its inbox), one withdrawn.

Deterministic: the first open, not-major hazards (by pk) at crowded places in the first street
officer's street. Needs the rule sets of migration 0007 and the demo hazards; does nothing
(returns zero counts) when either is missing. Call it after hazard_demo.generate_demo_hazards.
"""

from django.db import transaction
from django.utils import timezone

from fireledger.core.choices import Role
from fireledger.core.models import User

from . import lifecycle
from . import services_determination as det
from .models import Determination, DeterminationRuleSet, Hazard

CROWDED = ("mall", "commercial_complex", "hotel", "entertainment", "nine_small")
PANEL = "\n".join(["区消防救援大队 王工", "区住建委 李工", "区商务委 张工", "消防技术服务机构 赵工",
                   "区应急管理局 刘工", "街道消防工作站 陈工", "注册消防工程师 周工"])
MEETING = "\n".join(["区消安办 主任", "区消防救援大队 监督员", "街道消防工作站 站长"])
# (findings, place classes, what happens next)
PLAN = (
    (["6.5"], ["人员密集场所"], "confirm"),
    (["7.3.6", "7.3.9", "7.5"], ["人员密集场所"], "pending"),
    (["6.6"], ["人员密集场所"], "withdraw"),
)


@transaction.atomic
def generate_demo_determinations() -> dict:
    counts = {"proposed": 0, "confirmed": 0, "withdrawn": 0}
    rule_set = DeterminationRuleSet.objects.filter(code="GB35181-2017").order_by(
        "-version").first()
    street = User.objects.filter(assignments__role=Role.STREET_OFFICER).order_by("pk").first()
    office = User.objects.filter(assignments__role=Role.DISTRICT_OFFICE).order_by("pk").first()
    if rule_set is None or street is None or office is None:
        return counts
    hazards = list(Hazard.objects.visible_to(street, "change").filter(
        status__in=lifecycle.DEADLINE_STATUSES, is_major=False,
        place__category__in=CROWDED).exclude(determinations__isnull=False)
        .select_related("place").order_by("pk")[:len(PLAN)])
    today = timezone.localdate()
    for hazard, (findings, classes, then) in zip(hazards, PLAN):
        proposal = det.propose(street, hazard, rule_set=rule_set, findings=findings,
                               place_classes=classes, note="演示：现场检查核实")
        counts["proposed"] += 1
        if then == "confirm":
            det.decide(office, proposal, confirm=True, basis=Determination.Basis.EXPERT_PANEL,
                       meeting_on=today, participants=PANEL, experts_agreeing=6,
                       minutes="专家组7人论证，6人同意：安全出口数量不足，构成重大火灾隐患。")
            counts["confirmed"] += 1
        elif then == "withdraw":
            det.withdraw(street, proposal, note="复核发现已设自动喷水灭火系统，撤回")
            counts["withdrawn"] += 1
    return counts
