"""The hazard register (问题隐患清单) with its rectification (整改责任清单) on the same row."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fireledger.core.models import Department
from fireledger.places.models import Place

from . import lifecycle
from .choices import CategoryGroup, Source, Status


class HazardCategory(models.Model):
    """One entry of the hazard taxonomy, kept as data (focus areas and their numbered items)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=400)
    group = models.CharField(_("group"), max_length=20, choices=CategoryGroup.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent category"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    source_doc = models.CharField(_("source document"), max_length=200, blank=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("hazard category")
        verbose_name_plural = _("hazard categories")

    def __str__(self) -> str:
        return self.name


class HazardQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        """One filter: jurisdiction range, the place's department, the place's units."""
        from fireledger.core.scope import scope_q

        return self.filter(
            scope_q(
                user,
                action,
                code_field="jurisdiction_code",
                department_field="department_id",
                organisation_fields=("place__owner_id", "place__manager_id", "place__occupant_id"),
            )
        )

    def open(self):
        return self.filter(status__in=lifecycle.OPEN_STATUSES)

    def overdue(self, on):
        """Still being rectified and past the deadline on date `on` (computed, never stored)."""
        return self.filter(status__in=lifecycle.DEADLINE_STATUSES, deadline__lt=on)


class Hazard(models.Model):
    """One hazard found at a place, and its rectification."""

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="hazards"
    )
    # Denormalised from the place so scope is one indexed range on this table.
    jurisdiction_code = models.CharField(_("division code"), max_length=15, editable=False)
    department = models.ForeignKey(
        Department, verbose_name=_("industry department"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", editable=False,
    )
    category = models.ForeignKey(
        HazardCategory, verbose_name=_("hazard category"), on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("description"))
    location_in_place = models.CharField(_("location in the place"), max_length=200, blank=True)
    found_on = models.DateField(_("date found"))
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("found by"), on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(
        _("how it was found"), max_length=20, choices=Source.choices, default=Source.INSPECTION
    )
    is_major = models.BooleanField(_("major hazard"), default=False)
    fixed_on_spot = models.BooleanField(_("fixed on the spot"), default=False)
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.PENDING
    )
    deadline = models.DateField(_("rectification deadline"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    reopen_count = models.PositiveIntegerField(_("rebounds"), default=0)

    # The rectification (整改责任清单).
    responsible_unit = models.CharField(_("responsible unit"), max_length=200, blank=True)
    responsible_person = models.CharField(_("person responsible"), max_length=50, blank=True)
    responsible_phone = models.CharField(_("phone of the person responsible"), max_length=30,
                                         blank=True)
    measures = models.TextField(_("rectification measures"), blank=True)
    funding_source = models.CharField(_("funding source"), max_length=200, blank=True)
    funding_amount = models.DecimalField(
        _("funding amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    interim_safeguards = models.TextField(_("interim safeguards"), blank=True)
    rectification_reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rectification reported by"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+", editable=False,
    )
    rectification_reported_on = models.DateField(
        _("rectification reported on"), null=True, blank=True, editable=False
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("verified by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", editable=False,
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True, editable=False)
    cannot_rectify_reason = models.TextField(_("why it cannot be rectified"), blank=True)
    review_on = models.DateField(_("review date"), null=True, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = HazardQuerySet.as_manager()

    class Meta:
        ordering = ["jurisdiction_code", "id"]
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        indexes = [
            models.Index(fields=["jurisdiction_code", "status", "deadline"],
                         name="hazard_scope_status_idx"),
            models.Index(fields=["department", "jurisdiction_code", "status"],
                         name="hazard_dept_scope_idx"),
            models.Index(fields=["status", "deadline"], name="hazard_status_deadline_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=lifecycle.CLOSED, closed_on__isnull=False)
                | (~Q(status=lifecycle.CLOSED) & Q(closed_on__isnull=True)),
                name="hazard_closed_on_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place} · {self.description[:40]}"

    @property
    def is_open(self) -> bool:
        return self.status in lifecycle.OPEN_STATUSES

    def is_overdue(self, on) -> bool:
        """The rule of HazardQuerySet.overdue for one loaded hazard."""
        return (self.status in lifecycle.DEADLINE_STATUSES and self.deadline is not None
                and self.deadline < on)
