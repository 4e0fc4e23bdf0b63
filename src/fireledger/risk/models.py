"""A place's current risk score and grade. The score is a sum of named factor points kept
with it, so the place page can show why a place is where it is."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Grade


class RiskScore(models.Model):
    """The latest computed risk of one place (one row per place; history is kept apart)."""

    place = models.OneToOneField("places.Place", verbose_name=_("place"), primary_key=True,
                                 on_delete=models.CASCADE, related_name="risk")
    jurisdiction_code = models.CharField(_("division code"), max_length=15)
    score = models.FloatField(_("risk index"))
    grade = models.CharField(_("risk grade"), max_length=10, choices=Grade.choices)
    factors = models.JSONField(_("factors"), default=dict)
    # When these values were computed; a recompute that finds the same values writes nothing.
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)
    # Which RiskPolicy version computed it (0: none in force, the code's defaults).
    policy_version = models.PositiveIntegerField(_("policy version"), default=0)

    class Meta:
        verbose_name = _("risk score")
        verbose_name_plural = _("risk scores")
        indexes = [models.Index(fields=["jurisdiction_code", "grade"], name="risk_scope_grade_idx"),
                   models.Index(fields=["grade", "jurisdiction_code"], name="risk_grade_scope_idx")]

    def __str__(self) -> str:
        return f"{self.place_id}: {self.score:.1f} ({self.get_grade_display()})"

    def factor_rows(self) -> list[dict]:
        """The factors with their translated reasons, for the place page."""
        from .display import describe

        return describe(self.factors)

    @property
    def badge_class(self) -> str:
        from .display import BADGE

        return BADGE.get(self.grade, "")


def _default_weights() -> dict:
    from .index import DEFAULT_WEIGHTS

    return dict(DEFAULT_WEIGHTS)


class RiskPolicy(models.Model):
    """The index's weights and the grades' cut-offs as data, versioned: a change is a new
    version (risk.services.adopt_policy), the old one is kept, exactly one is in force."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    weights = models.JSONField(_("weights"), default=_default_weights)
    red_from = models.FloatField(_("red from (score)"), default=60)
    orange_from = models.FloatField(_("orange from (score)"), default=40)
    yellow_from = models.FloatField(_("yellow from (score)"), default=25)
    in_force = models.BooleanField(_("in force"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey("core.User", verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-version"]
        verbose_name = _("risk policy")
        verbose_name_plural = _("risk policies")
        constraints = [models.UniqueConstraint(fields=["in_force"], condition=models.Q(in_force=True),
                                               name="risk_policy_one_in_force")]

    def __str__(self) -> str:
        return f"v{self.version}"

    @property
    def cutoffs(self) -> dict:
        return {"red": self.red_from, "orange": self.orange_from, "yellow": self.yellow_from}


class RiskHistory(models.Model):
    """A place's score and grade each time either changed (never for an unchanged recompute)."""

    place = models.ForeignKey("places.Place", verbose_name=_("place"), on_delete=models.CASCADE,
                              related_name="risk_history", db_index=False)
    score = models.FloatField(_("risk index"))
    grade = models.CharField(_("risk grade"), max_length=10, choices=Grade.choices)
    policy_version = models.PositiveIntegerField(_("policy version"), default=0)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    class Meta:
        ordering = ["place", "-computed_at", "-id"]
        verbose_name = _("risk history")
        verbose_name_plural = _("risk history")
        indexes = [models.Index(fields=["place", "computed_at"], name="risk_history_place_idx")]

    def __str__(self) -> str:
        return f"{self.place_id}: {self.score:.1f} ({self.grade}) {self.computed_at:%Y-%m-%d}"
