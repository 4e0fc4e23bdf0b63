"""Fixed vocabularies of the core app: jurisdiction levels and roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    DISTRICT = "district", _("district")
    STREET = "street", _("street")
    COMMUNITY = "community", _("community")
    GRID = "grid", _("grid")


# How many leading digits of a code identify the subtree rooted at a jurisdiction of each level.
# National statistical division codes are 12 digits (6 district + 3 street + 3 community);
# grids extend their community's code by 3 digits.
LEVEL_PREFIX_LENGTH = {
    Level.DISTRICT: 6,
    Level.STREET: 9,
    Level.COMMUNITY: 12,
    Level.GRID: 15,
}
LEVEL_CHILD = {
    Level.DISTRICT: Level.STREET,
    Level.STREET: Level.COMMUNITY,
    Level.COMMUNITY: Level.GRID,
}


class Role(models.TextChoices):
    DISTRICT_OFFICE = "district_office", _("district office")
    DEPARTMENT_OFFICER = "department_officer", _("department officer")
    STREET_OFFICER = "street_officer", _("street officer")
    GRID_WORKER = "grid_worker", _("grid worker")
    UNIT_MANAGER = "unit_manager", _("unit manager")


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    CHANGE = "change", _("changed")
    DELETE = "delete", _("deleted")
