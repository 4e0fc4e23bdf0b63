"""Statutory documents: their numbers (〔2026〕第N号 per issuer, kind and year), the issuers' printed
prefixes, the Word templates officials upload, and each document as issued."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import DocStatus, Kind


class DocumentSequence(models.Model):
    """The last number given per issuer, kind and year. A row, not a MAX() over the issued
    documents: two offices issuing at once each lock only their own counter."""

    issuer = models.CharField(_("issuer"), max_length=40)  # a division code or "dept:<id>"
    kind = models.CharField(_("kind of document"), max_length=30)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document number sequence")
        verbose_name_plural = _("document number sequences")
        constraints = [models.UniqueConstraint(fields=["issuer", "kind", "year"],
                                               name="document_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.issuer} {self.kind} 〔{self.year}〕{self.last}"


class IssuerPrefix(models.Model):
    """The printed prefix of an issuer's numbers (such as 渝中消整) and, optionally, the name the
    documents print for it. Configuration data kept by administrators; kind blank = every kind."""

    issuer = models.CharField(_("issuer"), max_length=40,
                              help_text=_('A division code prefix (6 digits: district, 9: '
                                          'street) or "dept:<id>" for a department.'))
    kind = models.CharField(_("kind of document"), max_length=30, blank=True,
                            choices=Kind.choices)
    prefix = models.CharField(_("number prefix"), max_length=30, blank=True)
    name = models.CharField(_("issuer name printed"), max_length=100, blank=True)

    class Meta:
        ordering = ["issuer", "kind"]
        verbose_name = _("issuer prefix")
        verbose_name_plural = _("issuer prefixes")
        constraints = [models.UniqueConstraint(fields=["issuer", "kind"],
                                               name="issuer_prefix_unique")]

    def __str__(self) -> str:
        return f"{self.issuer} {self.kind or '*'} {self.prefix}"


def template_path(template, filename: str) -> str:
    """Stored under the kind and version, never under the uploaded (possibly private) name."""
    return f"document_templates/{template.kind}/v{template.version}.docx"


class DocumentTemplate(models.Model):
    """A Word template (docxtpl) officials uploaded for one kind; the active one is used for new
    documents. Old versions stay: an issued document names the version it was rendered with."""

    kind = models.CharField(_("kind of document"), max_length=30, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("Word template"), upload_to=template_path)
    original_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("checksum"), max_length=64, editable=False)
    active = models.BooleanField(_("active"), default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["kind", "-version"]
        verbose_name = _("Word template")
        verbose_name_plural = _("Word templates")
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="doc_template_version_unique"),
            models.UniqueConstraint(fields=["kind"], condition=models.Q(active=True),
                                    name="doc_template_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def label(self) -> str:
        """What an issued document records as its Word template version."""
        return f"upload-{self.version}"


class IssuedDocumentQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        from fireledger.core.scope import scope_q

        return self.filter(scope_q(
            user, action, code_field="jurisdiction_code", department_field="department_id",
            organisation_fields=("place__owner_id", "place__manager_id", "place__occupant_id")))


class IssuedDocument(models.Model):
    """One numbered document as issued. Everything printed is frozen in `content`; PDF and Word
    are rendered from it (and the template versions) alone, so a later download is the same
    document even after the hazard changed. The audit event of its creation holds the same
    content and is the source of truth (see services.reproduce)."""

    kind = models.CharField(_("kind of document"), max_length=30, choices=Kind.choices)
    issuer = models.CharField(_("issuer"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    reference = models.CharField(_("document number"), max_length=80)
    status = models.CharField(_("status"), max_length=20, choices=DocStatus.choices,
                              default=DocStatus.ISSUED)
    superseded_by = models.ForeignKey("self", verbose_name=_("superseded by"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="+")
    # Where it belongs, for scope (denormalised like every large table).
    jurisdiction_code = models.CharField(_("division code"), max_length=15)
    department = models.ForeignKey("core.Department", verbose_name=_("industry department"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    place = models.ForeignKey("places.Place", verbose_name=_("place"), on_delete=models.PROTECT,
                              related_name="+")
    # The subject: exactly one of these, by kind.
    hazard = models.ForeignKey("hazards.Hazard", verbose_name=_("hazard"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="documents")
    listing = models.ForeignKey("hazards.ListedSupervision", verbose_name=_("listed supervision"),
                                null=True, blank=True, on_delete=models.PROTECT,
                                related_name="documents")
    notice = models.ForeignKey("hazards.ReferralNotice", verbose_name=_("referral notice"),
                               null=True, blank=True, on_delete=models.PROTECT,
                               related_name="documents")
    inspection = models.ForeignKey("inspections.Inspection", verbose_name=_("inspection"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="documents")
    content = models.JSONField(_("content as issued"))
    content_hash = models.CharField(_("content checksum"), max_length=64)
    pdf_template = models.CharField(_("PDF layout version"), max_length=30)
    docx_template = models.CharField(_("Word template version"), max_length=30)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"),
                                  on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    # The issuing form's one-time token: a double tap returns the document already issued
    # instead of taking a second number.
    token = models.UUIDField(_("form token"), null=True, blank=True, unique=True, editable=False)

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "kind", "year", "number"],
                                    name="issued_document_number_unique"),
        ]
        indexes = [models.Index(fields=["jurisdiction_code", "issued_at"],
                                name="issued_doc_scope_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"
