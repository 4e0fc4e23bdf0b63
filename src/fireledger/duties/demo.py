"""Demo work-station duty records: a plausible year for every street of the demo district.

For each street and each duty kind, the periods that ended in the last twelve months (and the
one running today, about half the time) get a record on a day inside the period, through
services.record_duty (validated and audited). About one in eight past periods is left empty,
so the calendar and the inbox show overdue duties. Deterministic for a given seed and today.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from fireledger.core.choices import Level, Role
from fireledger.core.models import Jurisdiction, RoleAssignment, User

from . import periods, services
from .models import DutyKind, DutyRecord

SKIP_SHARE = 0.125

SUMMARIES = {
    "publicity": ["在辖区社区张贴消防宣传海报、发放宣传资料", "深入沿街门市开展用火用电安全宣传",
                  "联合社区在院坝会上宣讲电动自行车充电安全"],
    "resident_drill": ["指导社区组织居民开展消防逃生、灭火演习", "在老旧小区开展高层疏散逃生演练"],
    "school_training": ["对辖区中小学、幼儿园教职工开展消防安全培训"],
    "resident_training": ["组织居民消防安全知识培训，讲解灭火器使用"],
    "unit_training": ["组织辖区社会单位（场所）消防安全管理人培训"],
    "situation_analysis": ["分析本季度辖区火灾形势和消防安全状况，书面报街道和区消安办"],
    "monthly_meeting": ["召开消防工作例会，各组汇报检查和隐患整改情况"],
    "joint_meeting": ["召开消防工作联席会议，通报辖区火灾警情，部署下一步工作"],
}


def _actor(street: Jurisdiction):
    """The street's officer if it has one, else the district office's user, else a superuser."""
    assignment = (RoleAssignment.objects.filter(role=Role.STREET_OFFICER, jurisdiction=street)
                  .select_related("user").first())
    if assignment:
        return assignment.user
    prefix = street.code[:6]
    district = (RoleAssignment.objects.filter(role=Role.DISTRICT_OFFICE,
                                              jurisdiction__code__startswith=prefix)
                .select_related("user").first())
    return district.user if district else User.objects.filter(is_superuser=True).first()


def generate_demo_duties(seed: int = 2026, today: datetime.date | None = None,
                         progress=None) -> int:
    """Record the demo year of duties; returns how many records were written."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    kinds = list(DutyKind.objects.filter(is_active=True))
    first = today - datetime.timedelta(days=365)
    written = 0
    with transaction.atomic():
        for street in Jurisdiction.objects.filter(level=Level.STREET).order_by("code"):
            actor = _actor(street)
            if actor is None:
                continue
            for kind in kinds:
                todo = periods.periods_ending_between(kind.period, first, today)
                running = periods.period_containing(kind.period, today)
                if running is not None and running not in todo:
                    todo.append(running)
                for period in todo:
                    is_running = period.end >= today
                    if rng.random() < (0.5 if is_running else SKIP_SHARE):
                        continue
                    last = min(period.end, today)
                    held_on = period.start + datetime.timedelta(
                        days=rng.randrange((last - period.start).days + 1))
                    services.record_duty(
                        actor, station=street, kind=kind, held_on=held_on,
                        summary=rng.choice(SUMMARIES.get(kind.code, [kind.name])),
                        participants=rng.randrange(8, 120), today=today)
                    written += 1
                    if progress:
                        progress(written)
    return written


def delete_duties() -> None:
    """For `fireledger demo --reset`: duty records PROTECT their street."""
    DutyRecord.objects.all().delete()
