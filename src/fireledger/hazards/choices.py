"""Hazard statuses, sources and taxonomy groups."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import lifecycle


class Status(models.TextChoices):
    PENDING = lifecycle.PENDING, _("awaiting rectification")
    RECTIFYING = lifecycle.RECTIFYING, _("being rectified")
    AWAITING_VERIFICATION = lifecycle.AWAITING_VERIFICATION, _("awaiting verification")
    CLOSED = lifecycle.CLOSED, _("closed")
    CANNOT_RECTIFY = lifecycle.CANNOT_RECTIFY, _("cannot be rectified")


class Source(models.TextChoices):
    INSPECTION = "inspection", _("inspection")
    SELF_INSPECTION = "self_inspection", _("self-inspection")
    CITIZEN_REPORT = "citizen_report", _("citizen report")
    SENSOR = "sensor", _("sensor")
    OTHER = "other", _("other")


class CategoryGroup(models.TextChoices):
    HIGH_RISE = "high_rise", _("high-rise building focus areas")
    MALL = "mall", _("mall and market problems")
    PRINCIPLE = "principle", _("principle problems")
    OLD_COMPOUND = "old_compound", _("old compound problems")
    E_BIKE = "e_bike", _("electric bicycles")
    NEW_BUSINESS = "new_business", _("new business types and sectors")
    GENERIC = "generic", _("general")
