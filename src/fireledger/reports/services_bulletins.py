"""The write path of bulletins: issue one (validate, number, freeze the figures, audit) and
upload a district's Word template (check it renders, version it, audit) — each in one
transaction, nothing half-written.

Who issues: the district office for its district (ranking its streets), and the street officer
(fire work station) for its street (ranking its communities). Both read the bulletins of the
jurisdictions above them.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from fireledger.core import audit
from fireledger.core.choices import Level, Role
from fireledger.core.scope import assignments
from fireledger.documents.numbering import next_number

from . import bulletin_docs, bulletins
from .models import Bulletin, BulletinTemplate

KIND = "bulletin"
MAX_PERIOD_DAYS = 366


ISSUERS = {Role.DISTRICT_OFFICE: Level.DISTRICT, Role.STREET_OFFICER: Level.STREET}
OFFICES = {Level.DISTRICT: "{name}消防安全委员会办公室", Level.STREET: "{name}消防工作站"}


def issuable(user) -> list:
    """The jurisdictions `user` may issue bulletins for (and upload templates of): the district
    of a district office, the street of a street officer (a superuser: every district)."""
    from fireledger.core.models import Jurisdiction

    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_superuser:
        return list(Jurisdiction.objects.filter(level=Level.DISTRICT))
    found = {a.jurisdiction.pk: a.jurisdiction for a in assignments(user)
             if ISSUERS.get(a.role) == a.jurisdiction.level}
    return sorted(found.values(), key=lambda j: j.code)


def may_issue(user, issuer) -> bool:
    return any(j.pk == issuer.pk for j in issuable(user))


def check_period(start, end, today: datetime.date) -> None:
    """A ValidationError naming the field and the value when the period cannot be reported."""
    errors = {}
    if start is None:
        errors["start"] = gettext("Give the first day of the period.")
    if end is None:
        errors["end"] = gettext("Give the last day of the period.")
    if errors:
        raise ValidationError(errors)
    if end > today:
        errors["end"] = gettext("The period ends on %(end)s, after today (%(today)s): a "
                                "bulletin reports a period that is over.") % {
            "end": end.isoformat(), "today": today.isoformat()}
    elif start > end:
        errors["start"] = gettext("The period starts on %(start)s, after its end %(end)s.") % {
            "start": start.isoformat(), "end": end.isoformat()}
    elif (end - start).days + 1 > MAX_PERIOD_DAYS:
        errors["start"] = gettext("The period from %(start)s to %(end)s is longer than a "
                                  "year.") % {"start": start.isoformat(), "end": end.isoformat()}
    if errors:
        raise ValidationError(errors)


def check_settings(settings: bulletins.Settings) -> None:
    errors = {}
    if not 0 <= settings.bottom <= 20:
        errors["bottom"] = gettext("Name between 0 and 20 laggards, not %(n)s.") % {
            "n": settings.bottom}
    if settings.threshold is not None and not 0 <= settings.threshold <= 100:
        errors["threshold"] = gettext("The threshold is a percentage from 0 to 100, not "
                                      "%(n)s.") % {"n": settings.threshold}
    if errors:
        raise ValidationError(errors)


def current_template(issuer) -> BulletinTemplate | None:
    """The issuer's newest uploaded template; None: the bundled default."""
    return BulletinTemplate.objects.filter(jurisdiction=issuer).order_by("-version").first()


def issue_bulletin(actor, issuer, start: datetime.date, end: datetime.date, *,
                   settings: bulletins.Settings = bulletins.Settings(),
                   requirements: str = "") -> Bulletin:
    """Issue the bulletin of `issuer` (a district or a street) for start … end: its number is
    the issuer's next for the year of issue (gapless: taken in this transaction), its figures
    frozen as computed now."""
    if not may_issue(actor, issuer):
        raise PermissionDenied
    now = timezone.now()
    check_period(start, end, timezone.localdate(now))
    check_settings(settings)
    requirements = requirements.strip()
    with transaction.atomic():
        year = timezone.localdate(now).year
        number = next_number(issuer=issuer.code, kind=KIND, year=year)
        figures = bulletins.compute(issuer, start, end, settings)
        figures["issuer_office"] = OFFICES[Level(issuer.level)].format(name=issuer.full_name)
        figures["text"] = {**bulletin_docs.wording(figures, issuer.full_name),
                           "requirements": requirements}
        bulletin = Bulletin.objects.create(
            issuer=issuer, jurisdiction_code=issuer.code, year=year, number=number,
            period_start=start, period_end=end, title=figures["text"]["title"][:200],
            figures=figures, template=current_template(issuer), issued_by=actor,
            issued_at=now)
        audit.record_create(actor, bulletin, note=f"{bulletin.reference}")
    return bulletin


def upload_template(actor, district, upload) -> BulletinTemplate:
    """Make an uploaded .docx the issuer's (district's or street's) template, as its next version. A file that is not
    a .docx, or whose tags do not render, is refused and the current template stays."""
    if not may_issue(actor, district):
        raise PermissionDenied
    try:
        data = bulletin_docs.check_template(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    with transaction.atomic():
        # Two uploads at once: the unique (jurisdiction, version) refuses the second.
        last = (BulletinTemplate.objects.filter(jurisdiction=district)
                .aggregate(last=Max("version"))["last"] or 0)
        template = BulletinTemplate(jurisdiction=district, jurisdiction_code=district.code,
                                    version=last + 1, original_name=upload.name[:200],
                                    uploaded_by=actor, uploaded_at=timezone.now())
        template.file.save("bulletin.docx", ContentFile(data), save=False)
        template.save()
        audit.record_create(actor, template)
    return template
