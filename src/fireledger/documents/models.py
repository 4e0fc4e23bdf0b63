"""Document numbers: 〔2026〕第N号 counts per issuing office, kind of document and year."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
