"""Inspection kinds, statuses and item outcomes."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    SELF = "self", _("self-inspection")
    SWEEP = "sweep", pgettext_lazy("inspection kind", "sweep")
    DEPARTMENT = "department", _("department inspection")
    JOINT = "joint", _("joint inspection")
    RANDOM = "random", _("random inspection")
    FOLLOW_UP = "follow_up", _("re-inspection")
    UNANNOUNCED = "unannounced", _("unannounced visit")


# Seed 003 附件1 and the 双随机 rules: these are done by at least two inspectors.
TWO_INSPECTORS = frozenset({Kind.JOINT, Kind.RANDOM})


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")


class Outcome(models.TextChoices):
    """What the inspector found for one checklist item."""

    PASS = "pass", _("passed")
    FIXED = "fixed", _("fixed on the spot")
    HAZARD = "hazard", _("hazard to rectify")
    NOT_APPLICABLE = "na", _("not applicable")


FAILED = frozenset({Outcome.FIXED, Outcome.HAZARD})


class FollowUp(models.TextChoices):
    """What a re-inspection finds for an open hazard of the previous inspection."""

    VERIFIED = "verified", _("rectified: verified and closed")
    NOT_RECTIFIED = "not_rectified", _("rectification failed: new deadline")
    STILL_OPEN = "still_open", _("still being rectified")


class SignatureMethod(models.TextChoices):
    DRAWN = "drawn", _("drawn on the screen")
    TYPED = "typed", _("typed name, confirmed")
