"""Vocabularies of the duties app: how a frequency rule applies, and how a duty's periods run."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Basis(models.TextChoices):
    """Why a frequency rule applies to a place."""

    # Seed 003 附件1.7 一(三)一: every unit the brigade and police do not supervise, yearly.
    STATION_BASELINE = "baseline", _("work-station baseline")
    # Seed 003 附件1.7 一(三)二: units under listed supervision (挂牌整治), monthly.
    LISTED_SUPERVISION = "listed", _("under listed supervision")
    # Risk-based supervision (差异化监管): by risk grade, optionally only for one category.
    GRADE = "grade", _("risk grade")


class Period(models.TextChoices):
    """How often a duty falls due. A semester (学期) is Mar 1–Jul 31 (spring) or Sep 1–Jan 31
    (autumn, ending in the next year): the school calendar's usual terms; Feb and Aug are
    holidays and belong to no semester."""

    MONTH = "month", _("monthly")
    QUARTER = "quarter", _("quarterly")
    HALF_YEAR = "half_year", _("half-yearly")
    SEMESTER = "semester", _("each semester")
    YEAR = "year", _("yearly")


class CellState(models.TextChoices):
    """A duty period's state on a given day, computed from dates (never stored)."""

    DONE = "done", _("done")
    DUE = "due", _("due")
    OVERDUE = "overdue", _("overdue")
    UPCOMING = "upcoming", _("upcoming")
