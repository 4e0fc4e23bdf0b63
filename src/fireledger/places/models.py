"""The place ledger (底数台账) and the key-unit criteria that flag places for the fire agency."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from fireledger.core.jobs import GuardedStatus
from fireledger.core.models import Department, Jurisdiction, Organisation

from .choices import BuildingUse, Category, ListedBy, Metric

FIRE_SYSTEMS = ("has_fire_alarm", "has_sprinkler", "has_hydrant", "has_smoke_control")
DERIVED_FLAGS = ("is_high_rise", "is_old_compound", "is_mall_in_focus", "suggested_key_unit")


def category_labels() -> dict[str, str]:
    """Category code → label in the active language, built once per language."""
    language = get_language()
    if language not in _CATEGORY_LABELS:
        _CATEGORY_LABELS[language] = {code: str(label) for code, label in Category.choices}
    return _CATEGORY_LABELS[language]


_CATEGORY_LABELS: dict[str, dict[str, str]] = {}


class PlaceQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        from fireledger.core.scope import scope_q

        return self.filter(
            scope_q(
                user,
                action,
                code_field="jurisdiction_code",
                department_field="department_id",
                organisation_fields=("owner_id", "manager_id", "occupant_id"),
            )
        )


class Place(models.Model):
    """One row of the baseline ledger: a building, compound, venue or site."""

    code = models.CharField(_("place code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    building_use = models.CharField(
        _("building use"), max_length=20, choices=BuildingUse.choices, default=BuildingUse.PUBLIC
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    building_name = models.CharField(_("building"), max_length=200, blank=True)

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="+"
    )
    # Denormalised from jurisdiction.code so a subtree is one indexed range on this table.
    jurisdiction_code = models.CharField(_("division code"), max_length=15, editable=False)
    department = models.ForeignKey(
        Department, verbose_name=_("industry department"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )

    owner = models.ForeignKey(
        Organisation, verbose_name=_("owner unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    manager = models.ForeignKey(
        Organisation, verbose_name=_("manager unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    occupant = models.ForeignKey(
        Organisation, verbose_name=_("occupant unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    responsible_person = models.CharField(_("responsible person"), max_length=50, blank=True)
    responsible_phone = models.CharField(_("responsible person's phone"), max_length=30, blank=True)
    safety_manager = models.CharField(_("safety manager"), max_length=50, blank=True)
    safety_manager_phone = models.CharField(_("safety manager's phone"), max_length=30, blank=True)

    height_m = models.DecimalField(_("height (m)"), max_digits=6, decimal_places=1, null=True, blank=True)
    floors_above = models.PositiveSmallIntegerField(_("floors above ground"), null=True, blank=True)
    floors_below = models.PositiveSmallIntegerField(_("floors below ground"), null=True, blank=True)
    area_above = models.DecimalField(_("area above ground (m²)"), max_digits=12, decimal_places=1, null=True, blank=True)
    area_below = models.DecimalField(_("area below ground (m²)"), max_digits=12, decimal_places=1, null=True, blank=True)
    area_total = models.DecimalField(
        _("floor area, not split (m²)"), max_digits=12, decimal_places=1, null=True, blank=True,
        help_text=_("Only when above and below ground are not known separately"),
    )
    year_built = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True)
    guest_rooms = models.PositiveIntegerField(_("guest rooms"), null=True, blank=True)
    beds = models.PositiveIntegerField(_("beds"), null=True, blank=True)
    has_property_management = models.BooleanField(_("property management"), null=True, blank=True)

    has_fire_alarm = models.BooleanField(_("automatic fire alarm"), null=True, blank=True)
    has_sprinkler = models.BooleanField(_("automatic sprinklers"), null=True, blank=True)
    has_hydrant = models.BooleanField(_("indoor hydrants"), null=True, blank=True)
    has_smoke_control = models.BooleanField(_("smoke control and exhaust"), null=True, blank=True)
    has_micro_station = models.BooleanField(_("micro fire station"), null=True, blank=True)

    is_key_unit = models.BooleanField(_("key unit"), default=False)
    listed_by = models.CharField(_("listed for supervision by"), max_length=20, blank=True,
                                 choices=ListedBy.choices)
    # Derived by places.rules; the service recomputes them on every write.
    is_high_rise = models.BooleanField(_("high-rise"), default=False, editable=False)
    is_old_compound = models.BooleanField(_("old compound"), default=False, editable=False)
    is_mall_in_focus = models.BooleanField(_("mall in focus"), default=False, editable=False)
    suggested_key_unit = models.BooleanField(_("suggested key unit"), default=False, editable=False)
    flag_reasons = models.JSONField(_("reasons"), default=dict, editable=False)

    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    survey_hazards = models.TextField(
        _("hazards noted in the baseline survey"), blank=True,
        help_text=_("Free text as reported in the survey sheet"),
    )
    notes = models.TextField(_("notes"), blank=True)
    # Lower-cased name, address and pinyin initials, for one LIKE search.
    search_text = models.CharField(max_length=600, editable=False, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["jurisdiction_code", "id"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        indexes = [
            models.Index(fields=["jurisdiction_code", "id"], name="place_scope_idx"),
            models.Index(fields=["category", "jurisdiction_code", "id"], name="place_cat_scope_idx"),
            models.Index(fields=["department", "jurisdiction_code", "id"], name="place_dept_scope_idx"),
            # Covers the dashboards' count of places by area, department, category and flag.
            models.Index(fields=["jurisdiction_code", "department", "category", "is_key_unit",
                                 "suggested_key_unit", "is_high_rise", "is_old_compound",
                                 "is_mall_in_focus"], name="place_dashboard_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @cached_property
    def category_label(self) -> str:
        """get_category_display without rebuilding the choices dict (a list renders it often)."""
        return category_labels()[self.category]

    @cached_property
    def badges(self) -> list[tuple[str, str]]:
        """(css class, label) for the flags a list row or page header shows."""
        shown = []
        if self.is_key_unit:
            shown.append(("bg-red-lt", gettext("key unit")))
        elif self.suggested_key_unit:
            shown.append(("bg-orange-lt", gettext("suggested key unit")))
        if self.is_high_rise:
            shown.append(("bg-blue-lt", gettext("high-rise")))
        if self.is_old_compound:
            shown.append(("bg-yellow-lt", gettext("old compound")))
        if self.is_mall_in_focus:
            shown.append(("bg-purple-lt", gettext("mall in focus")))
        return shown

    def reason(self, flag: str) -> str:
        """The translated reason for a derived flag, or ''."""
        message, params = (self.flag_reasons or {}).get(flag, ["", {}])
        return gettext(message).format(**params) if message else ""

    def derived(self) -> list[tuple[str, bool, str]]:
        """(label, value, reason) for each derived flag, for the detail page."""
        return [
            (self._meta.get_field(flag).verbose_name, getattr(self, flag), self.reason(flag))
            for flag in DERIVED_FLAGS
        ]

    def fire_systems(self) -> list[tuple[str, bool | None]]:
        return [(self._meta.get_field(f).verbose_name, getattr(self, f)) for f in FIRE_SYSTEMS]


class KeyUnitCriterionQuerySet(models.QuerySet):
    def in_force(self, on):
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=on),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on),
        )


class KeyUnitCriterion(models.Model):
    """A threshold that makes a place a suggested key unit (standards-cn.md §3.1).

    `region` is a division-code prefix ('' = national). Where criteria exist for a category in a
    more specific region, they replace the national ones for places in that region.
    """

    region = models.CharField(_("region code prefix"), max_length=12, blank=True)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    metric = models.CharField(_("metric"), max_length=20, choices=Metric.choices)
    threshold = models.DecimalField(_("threshold (inclusive)"), max_digits=12, decimal_places=1, default=0)
    label = models.CharField(_("label"), max_length=100)
    tier = models.CharField(_("tier"), max_length=20, blank=True)
    source_doc = models.CharField(_("source document"), max_length=200)
    verified = models.BooleanField(
        _("verified"), default=True,
        help_text=_("False for rows tagged [G] (unverified) in the reference; correct them as data"),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = KeyUnitCriterionQuerySet.as_manager()

    class Meta:
        ordering = ["region", "category", "metric"]
        verbose_name = _("key-unit criterion")
        verbose_name_plural = _("key-unit criteria")

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.get_metric_display()} ≥ {self.threshold}"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("uploaded")
    VALIDATING = "validating", _("checking")
    VALIDATED = "validated", _("checked")
    COMMITTING = "committing", _("importing")
    COMMITTED = "committed", _("imported")
    FAILED = "failed", _("failed")


# The import job's state machine: status → the statuses it may move to (tested exhaustively).
IMPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ImportStatus.UPLOADED: frozenset({ImportStatus.VALIDATING, ImportStatus.FAILED}),
    ImportStatus.VALIDATING: frozenset({ImportStatus.VALIDATED, ImportStatus.FAILED}),
    ImportStatus.VALIDATED: frozenset({ImportStatus.COMMITTING}),
    ImportStatus.COMMITTING: frozenset({ImportStatus.COMMITTED, ImportStatus.FAILED}),
    ImportStatus.COMMITTED: frozenset(),
    ImportStatus.FAILED: frozenset(),
}


class ImportJob(GuardedStatus, models.Model):
    """One uploaded sheet of places: its dry-run report, progress and outcome (see places.imports).

    Progress fields are updated outside the import's own transaction, so a page can poll them.
    """

    # The hazards app's street summary import (附件1.5.2) keeps its jobs here too.
    STREET_SUMMARY = "street_summary"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        "core.User", verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    layout = models.CharField(_("layout"), max_length=20, blank=True)
    file_path = models.CharField(_("file"), max_length=300, help_text=_("Relative to MEDIA_ROOT"))
    original_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    done_rows = models.PositiveIntegerField(_("rows done"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.original_name} · {self.get_status_display()}"

    TRANSITIONS = IMPORT_TRANSITIONS  # two clicks on "import" cannot both start a commit

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.UPLOADED, ImportStatus.VALIDATING,
                               ImportStatus.COMMITTING)
