"""The public face: a safety code per place (消防安全码), citizen reports (举报) with their
routing and triage, and what is disclosed to the public (双随机 results, 曝光).

Public ids are tokens (ARCHITECTURE principle 9): nothing here is reached by a sequential id
from outside, and no public page shows a reporter, a photo or an internal note.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def new_token() -> str:
    """128 bits from the OS's generator, URL-safe: not guessable, not enumerable."""
    return secrets.token_urlsafe(16)


class SafetyCode(models.Model):
    """A place's safety code: the token its QR code and printed sign carry. A new code
    replaces a revoked one (a sign stolen or misused); the old token then leads nowhere."""

    place = models.ForeignKey("places.Place", verbose_name=_("place"), on_delete=models.CASCADE,
                              related_name="safety_codes")
    token = models.CharField(_("token"), max_length=32, unique=True, default=new_token,
                             editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["place", "-created_at"]
        verbose_name = _("safety code")
        verbose_name_plural = _("safety codes")
        constraints = [models.UniqueConstraint(
            fields=["place"], condition=models.Q(revoked_at__isnull=True),
            name="one_live_safety_code_per_place")]

    def __str__(self) -> str:
        return f"{self.place} {self.token[:6]}…"


class ReportStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("report status", "received")
    ACCEPTED = "accepted", _("accepted")
    DUPLICATE = "duplicate", _("duplicate of a known hazard")
    REJECTED = "rejected", _("rejected")


class CitizenReportQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        """Triage is the street's and the department's: the report's routed jurisdiction and
        department, like a place's."""
        from fireledger.core.scope import scope_q

        return self.filter(scope_q(user, action, code_field="jurisdiction_code",
                                   department_field="department_id"))


class CitizenReport(models.Model):
    """A citizen's report of a hazard (举报), from a place's safety-code page (place known) or
    the general form (address, optional map point). Routed on arrival to the street (by place,
    else by the chosen street) and the department (the place's, else by category); triaged
    into a hazard, a duplicate of an open one, or a rejection with a reason the reporter sees.
    The reporter's contact is seen only by whoever may triage it."""

    tracking = models.CharField(_("tracking number"), max_length=32, unique=True,
                                default=new_token, editable=False)
    place = models.ForeignKey("places.Place", verbose_name=_("place"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="citizen_reports")
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True,
                                   blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True,
                                    blank=True)
    category = models.ForeignKey("hazards.HazardCategory", verbose_name=_("what kind of hazard"),
                                 on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("what you saw"))
    contact_name = models.CharField(_("your name"), max_length=50, blank=True)
    contact_phone = models.CharField(_("your phone"), max_length=30, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    jurisdiction_code = models.CharField(_("division code"), max_length=15, db_index=True)
    department = models.ForeignKey("core.Department", verbose_name=_("department"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices,
                              default=ReportStatus.RECEIVED)
    triaged_at = models.DateTimeField(_("triaged"), null=True, blank=True)
    triaged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("triaged by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    hazard = models.ForeignKey("hazards.Hazard", verbose_name=_("hazard"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason given to the reporter"), max_length=300, blank=True)
    reward = models.CharField(_("reward decision"), max_length=20, blank=True, choices=[
        ("granted", _("reward granted")), ("refused", _("no reward"))])
    reward_note = models.CharField(_("reward note"), max_length=200, blank=True)

    objects = CitizenReportQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("citizen report")
        verbose_name_plural = _("citizen reports")
        indexes = [models.Index(fields=["jurisdiction_code", "status", "received_at"])]

    def __str__(self) -> str:
        return f"{self.tracking[:8]} {self.received_at:%Y-%m-%d}"


def report_photo_path(instance, filename: str) -> str:
    return f"reports/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.jpg"


class ReportPhoto(models.Model):
    """A reporter's photo, re-encoded on arrival (EXIF and every other metadata dropped)."""

    report = models.ForeignKey(CitizenReport, verbose_name=_("citizen report"),
                               on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=report_photo_path)

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


class RateLimitHit(models.Model):
    """One counter per key (an address or a token) and fixed window: the spam defence needs
    no third-party service and holds across worker processes."""

    key = models.CharField(max_length=100)
    window = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"],
                                               name="rate_limit_once_per_window")]


class DisclosureKind(models.TextChoices):
    RANDOM_RESULT = "random_result", _("random inspection result")  # 双随机抽查结果
    EXPOSURE = "exposure", _("publicly named hazard")  # 曝光


class Disclosure(models.Model):
    """What the public may read, for a period: a random inspection's result, or a listed
    hazard publicly named (曝光). Due within DisclosurePolicy.publish_workdays of the record;
    the text is what the officer wrote for the public, never the internal record."""

    kind = models.CharField(_("kind"), max_length=20, choices=DisclosureKind.choices)
    inspection = models.ForeignKey("inspections.Inspection", verbose_name=_("inspection"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    hazard = models.ForeignKey("hazards.Hazard", verbose_name=_("hazard"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+")
    jurisdiction_code = models.CharField(_("division code"), max_length=15, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text for the public"))
    due_on = models.DateField(_("publish by"))
    published_on = models.DateField(_("published on"))
    until = models.DateField(_("shown until"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"),
                                     on_delete=models.PROTECT, related_name="+")
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        indexes = [models.Index(fields=["published_on", "until"])]

    def __str__(self) -> str:
        return self.title


class DisclosurePolicy(models.Model):
    """[G] 20 working days from the record to its publication (企业信息公示暂行条例, as most
    双随机 rules copy it; unverified, see standards-cn.md §5) and 90 days shown (ours)."""

    publish_workdays = models.PositiveIntegerField(_("working days to publish"), default=20)
    shown_days = models.PositiveIntegerField(_("days shown"), default=90)

    class Meta:
        verbose_name = _("disclosure policy")
        verbose_name_plural = _("disclosure policy")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "DisclosurePolicy":
        return cls.objects.get_or_create(pk=1)[0]
