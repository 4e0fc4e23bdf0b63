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
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    class Meta:
        verbose_name = _("risk score")
        verbose_name_plural = _("risk scores")
        indexes = [models.Index(fields=["jurisdiction_code", "grade"], name="risk_scope_grade_idx"),
                   models.Index(fields=["grade", "jurisdiction_code"], name="risk_grade_scope_idx")]

    def __str__(self) -> str:
        return f"{self.place_id}: {self.score:.1f} ({self.get_grade_display()})"
