"""Bulletins (通报): numbered, issued reports whose figures are frozen when issued, and the
Word templates officials upload to print them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fireledger.core.models import Jurisdiction


def template_path(instance, filename: str) -> str:
    """A fixed name per issuer and version: the uploaded file's own name is kept as data."""
    return f"reports/bulletin_templates/{instance.jurisdiction_code}/v{instance.version}.docx"


class BulletinTemplate(models.Model):
    """One version of an issuer's (a district's or a street's) Word template for bulletins
    (docxtpl tags). The newest version is used for bulletins issued after it; with none, the
    bundled default is."""

    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("jurisdiction"),
                                     on_delete=models.PROTECT, related_name="+")
    jurisdiction_code = models.CharField(_("division code"), max_length=15, editable=False)
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("Word template"), upload_to=template_path)
    original_name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("upload time"))

    class Meta:
        ordering = ["jurisdiction_code", "-version"]
        verbose_name = _("bulletin template")
        verbose_name_plural = _("bulletin templates")
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "version"],
                                               name="bulletin_template_version_unique")]

    def __str__(self) -> str:
        return f"{self.original_name} v{self.version}"


class BulletinQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        """Bulletins issued in the user's area or by a jurisdiction above it: a district's
        bulletin ranks every street and department in it, so the street officers and the
        department officers of that district read it too (and the district office reads its
        streets' own bulletins). Unit managers and grid workers
        do not (it is an internal government document)."""
        from fireledger.core.choices import Role
        from fireledger.core.codes import range_lookup
        from fireledger.core.scope import assignments

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self
        readers = {Role.DISTRICT_OFFICE, Role.STREET_OFFICER, Role.DEPARTMENT_OFFICER}
        writers = {Role.DISTRICT_OFFICE, Role.STREET_OFFICER}
        roles = readers if action == "view" else writers
        combined = Q(pk__in=[])
        for a in assignments(user):
            if a.role not in roles:
                continue
            combined |= Q(**range_lookup("jurisdiction_code", a.jurisdiction.prefix))
            if action == "view":
                combined |= Q(issuer__in=[j.pk for j in a.jurisdiction.ancestors()])
        return self.filter(combined)


class Bulletin(models.Model):
    """An issued bulletin: issuer, period, its number (2026年第N期, counted per issuer and year
    by documents.numbering) and the figures as they stood when it was issued, so it prints the
    same later whatever happens to the hazards since."""

    issuer = models.ForeignKey(Jurisdiction, verbose_name=_("issued by (jurisdiction)"),
                               on_delete=models.PROTECT, related_name="+")
    jurisdiction_code = models.CharField(_("division code"), max_length=15, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("issue number"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    title = models.CharField(_("title"), max_length=200)
    figures = models.JSONField(_("figures"), default=dict)
    template = models.ForeignKey(BulletinTemplate, verbose_name=_("Word template"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+",
                                 help_text=_("Empty: the bundled default template."))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"),
                                  on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued"))

    objects = BulletinQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        constraints = [models.UniqueConstraint(fields=["issuer", "year", "number"],
                                               name="bulletin_number_unique")]
        indexes = [models.Index(fields=["jurisdiction_code", "issued_at"],
                                name="bulletin_scope_idx")]

    def __str__(self) -> str:
        return f"{self.title}（{self.reference}）"

    @property
    def reference(self) -> str:
        """How a 消安委办 bulletin is numbered: by issue within the year (2026年第3期)."""
        return f"{self.year}年第{self.number}期"


class HazardTally(models.Model):
    """How many hazards there are per community × department × status × major × month found ×
    month closed: the dashboards sum these few ten-thousand rows instead of scanning a
    district's half-million hazards. Kept exact by database triggers on hazards_hazard
    (migration 0002, which says why triggers), never written by Python."""

    area = models.CharField(max_length=12)  # first 12 digits of the hazard's division code
    department_id = models.IntegerField(default=0)  # 0: no department
    status = models.CharField(max_length=30)
    is_major = models.BooleanField()
    found_month = models.CharField(max_length=7)  # YYYY-MM
    closed_month = models.CharField(max_length=7, blank=True)  # YYYY-MM, '' while not closed
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["area", "department_id", "status", "is_major", "found_month",
                    "closed_month"], name="hazard_tally_key")]


class CategoryTally(models.Model):
    """How many hazards there are per street × department × category × status (the
    dashboards' by-category figure); kept by the same triggers as HazardTally."""

    area = models.CharField(max_length=9)  # first 9 digits (the street)
    department_id = models.IntegerField(default=0)
    category_id = models.IntegerField()
    status = models.CharField(max_length=30)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["area", "department_id", "category_id", "status"],
            name="category_tally_key")]


class PlaceTally(models.Model):
    """How many places there are per community × department × category × flags (the
    dashboards' place figures); kept by triggers on places_place (migration 0004), as
    HazardTally."""

    area = models.CharField(max_length=12)
    department_id = models.IntegerField(default=0)
    category = models.CharField(max_length=30)
    is_key_unit = models.BooleanField()
    suggested_key_unit = models.BooleanField()
    is_high_rise = models.BooleanField()
    is_old_compound = models.BooleanField()
    is_mall_in_focus = models.BooleanField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["area", "department_id", "category", "is_key_unit", "suggested_key_unit",
                    "is_high_rise", "is_old_compound", "is_mall_in_focus"],
            name="place_tally_key")]
