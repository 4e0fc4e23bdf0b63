"""The kinds of statutory document and the states of an issued one."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    RECTIFICATION_NOTICE = "rectification_notice", _("rectification notice")
    LISTING_NOTICE = "listing_notice", _("listed-supervision notice")
    REFERRAL_NOTICE = "referral_notice", _("referral notice")
    INSPECTION_RECORD = "inspection_record", _("numbered inspection record")


class DocStatus(models.TextChoices):
    """issued → superseded (a re-issue for the same subject and kind); nothing else."""

    ISSUED = "issued", _("in force")
    SUPERSEDED = "superseded", _("superseded")


# The one transition of an issued document.
TRANSITIONS = {(DocStatus.ISSUED, "supersede"): DocStatus.SUPERSEDED}
