"""Campaign kinds, phase kinds, department roles on a task, metrics and submission kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignKind(models.TextChoices):
    SPECIAL = "special", _("special campaign")  # 专项行动 / 专项整治
    THREE_YEAR = "three_year", _("three-year action")  # 三年行动
    WINTER_SPRING = "winter_spring", _("winter and spring campaign")  # 今冬明春
    OTHER = "other", _("other")


class PhaseKind(models.TextChoices):
    """The stages the seeds' plans go through (动员部署 → 排查整治 → 集中攻坚 → 巩固提升)."""

    MOBILISE = "mobilise", _("mobilisation")  # 动员部署
    SWEEP = "sweep", _("sweep and rectification")  # 排查整治 / 自查自改 / 全面排查
    TACKLE = "tackle", _("concentrated tackling")  # 集中攻坚 / 持续整治 / 整治攻坚
    CONSOLIDATE = "consolidate", _("consolidation and review")  # 巩固提升 / 总结验收
    OTHER = "other", _("other")


class TaskRole(models.TextChoices):
    LEAD = "lead", _("lead")  # 牵头单位 / 牵头部门
    COOPERATING = "cooperating", _("cooperating")  # 配合单位 / 配合部门
    RESPONSIBLE = "responsible", _("responsible")  # 责任单位 / 责任部门


class SubmissionKind(models.TextChoices):
    MONTHLY = "monthly", _("monthly report")  # 每月20日前报送
    PHASE = "phase", _("phase summary")
    FINAL = "final", _("final summary")
