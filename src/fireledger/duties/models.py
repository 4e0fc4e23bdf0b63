"""Inspection frequency rules and effort per category (correctable data), the work station's
duty kinds (seed 003 附件1.7) and the records that show a duty was done."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fireledger.places.choices import Category
from fireledger.risk.choices import Grade

from .choices import Basis, Period


class FrequencyRuleQuerySet(models.QuerySet):
    def in_force(self, on):
        return self.filter(models.Q(valid_from__lte=on),
                           models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on))


class FrequencyRule(models.Model):
    """How often places must be inspected by the street (months between inspections).

    Every rule in force that applies to a place is a candidate; the most frequent (fewest
    months) wins and the page shows which one. A changed policy is a new row with a later
    valid_from (and valid_to on the old one), so the history of the policy stays readable.
    Places listed for supervision by the brigade or a police station (Place.listed_by) are not
    the work station's duty (附件1.7 一(三)一) unless under listed supervision.
    """

    basis = models.CharField(_("applies to"), max_length=10, choices=Basis.choices)
    grade = models.CharField(_("risk grade"), max_length=10, choices=Grade.choices, blank=True)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices,
                                blank=True, help_text=_("Empty: every category"))
    interval_months = models.PositiveSmallIntegerField(_("months between inspections"))
    source_doc = models.CharField(_("source document"), max_length=300, blank=True)
    wording = models.TextField(_("wording of the rule"), blank=True)
    verified = models.BooleanField(
        _("verified"), default=True,
        help_text=_("False for our own defaults (not from a document): correct them as data"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = FrequencyRuleQuerySet.as_manager()

    class Meta:
        ordering = ["interval_months", "basis", "grade", "category", "-valid_from"]
        verbose_name = _("inspection frequency rule")
        verbose_name_plural = _("inspection frequency rules")
        constraints = [
            models.CheckConstraint(name="frequency_rule_interval_positive",
                                   condition=models.Q(interval_months__gte=1)),
        ]

    def clean(self):
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext

        errors = {}
        if self.basis == Basis.GRADE and not self.grade:
            errors["grade"] = gettext("Risk grade: a grade rule needs a grade.")
        if self.basis != Basis.GRADE and self.grade:
            errors["grade"] = gettext("Risk grade: only a grade rule has a grade.")
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = gettext("Valid to: {date} is before the start.").format(
                date=self.valid_to.isoformat())
        if errors:
            raise ValidationError(errors)

    def __str__(self) -> str:
        parts = [str(self.get_basis_display())]
        if self.grade:
            parts.append(str(self.get_grade_display()))
        if self.category:
            parts.append(str(self.get_category_display()))
        return " · ".join(parts) + f" · {self.interval_months}"


class InspectionEffort(models.Model):
    """Minutes one street inspection of a place of a category takes, travel and paperwork
    included (the NFPA 1730 workload method). Category empty = every other category."""

    category = models.CharField(_("category"), max_length=30, choices=Category.choices,
                                blank=True, unique=True)
    minutes = models.PositiveSmallIntegerField(_("minutes per inspection"))
    verified = models.BooleanField(_("verified"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["category"]
        verbose_name = _("inspection effort")
        verbose_name_plural = _("inspection efforts")

    def __str__(self) -> str:
        return f"{self.get_category_display() or '*'} {self.minutes}"


class DutyKind(models.Model):
    """One recurring duty of the fire work station, with the annex's words where it has them."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    period = models.CharField(_("how often"), max_length=10, choices=Period.choices)
    wording = models.TextField(_("wording of the rule"), blank=True)
    source_doc = models.CharField(_("source document"), max_length=300, blank=True)
    from_annex = models.BooleanField(
        _("from the annex"), default=True,
        help_text=_("False for duties we added ourselves (not quoted from a document)"))
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("duty kind")
        verbose_name_plural = _("duty kinds")

    def __str__(self) -> str:
        return self.name


class DutyRecordQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        """The station's own records: seen by the officers who see its calendar (district
        office, street officers, department officers), never by units."""
        from fireledger.core.scope import roles_q, scope_q

        from .queries import OFFICER_ROLES

        return self.filter(roles_q(user, OFFICER_ROLES, code_field="jurisdiction_code"),
                           scope_q(user, action, code_field="jurisdiction_code"))


def attachment_path(instance, filename: str) -> str:
    """A random name; the extension from the checked content type."""
    suffix = ".pdf" if filename.lower().endswith(".pdf") else ".img"
    return f"duties/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{suffix}"


class DutyRecord(models.Model):
    """A duty done by a street's work station for one period (a meeting's minutes, a drill):
    the record that turns the calendar's period from due or overdue to done."""

    station = models.ForeignKey("core.Jurisdiction", verbose_name=_("street"),
                                on_delete=models.PROTECT, related_name="+")
    jurisdiction_code = models.CharField(_("division code"), max_length=15, editable=False)
    kind = models.ForeignKey(DutyKind, verbose_name=_("duty"), on_delete=models.PROTECT,
                             related_name="records")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    held_on = models.DateField(_("held on"))
    summary = models.TextField(_("summary"))
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    attachment = models.FileField(_("photo or document"), upload_to=attachment_path, blank=True)
    attachment_type = models.CharField(max_length=40, blank=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = DutyRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("duty record")
        verbose_name_plural = _("duty records")
        indexes = [
            models.Index(fields=["jurisdiction_code", "period_start"], name="duty_scope_idx"),
            models.Index(fields=["station", "kind", "period_start"], name="duty_cell_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.kind} · {self.held_on}"
