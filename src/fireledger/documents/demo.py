"""Demo documents for `fireledger demo`: a few notices over the demo hazards, issued through
services.issue exactly as officials would (numbers, content, audit events, the referral notice
sent). Deterministic: the first eligible subjects by id, dated today like the rest of the demo."""

from __future__ import annotations

from fireledger.core.choices import Level

from . import services
from .choices import Kind
from .models import IssuedDocument, IssuerPrefix

# Demo prefixes of our own, one 字号 per kind so references never repeat within an office (an
# office sets its real ones in the admin).
DEMO_MARKS = {Kind.RECTIFICATION_NOTICE: "消整", Kind.LISTING_NOTICE: "消督",
              Kind.REFERRAL_NOTICE: "消抄", Kind.INSPECTION_RECORD: "消检"}

def generate_demo_documents(*, rectification: int = 3, listing: int = 1, referral: int = 1,
                            records: int = 1, today=None) -> dict[str, int]:
    """Issue a few documents; returns how many of each kind. Needs the demo users ("street",
    "district") and the demo hazards and inspections."""
    from django.utils import timezone

    from fireledger.core.models import Jurisdiction, User
    from fireledger.hazards import lifecycle
    from fireledger.hazards.models import Hazard, ListedSupervision, ReferralNotice
    from fireledger.inspections.choices import Status
    from fireledger.inspections.models import Inspection
    from fireledger.places import generator

    today = today or timezone.localdate()
    users = {u.username: u for u in User.objects.filter(username__in=["street", "district"])}
    street, district = users.get("street"), users.get("district")
    if street is None or district is None:
        return {}
    street_prefix = street.assignments.select_related("jurisdiction").first().jurisdiction.prefix
    district_code = generator.DEMO_DISTRICT[0]
    street_node = Jurisdiction.objects.filter(code__startswith=street_prefix,
                                              level=Level.STREET).first()
    district_node = Jurisdiction.objects.filter(code__startswith=district_code,
                                                level=Level.DISTRICT).first()
    for issuer, node in ((district_code, district_node), (street_prefix, street_node)):
        short = node.name[:2] if node else ""
        for kind, mark in DEMO_MARKS.items():
            IssuerPrefix.objects.get_or_create(issuer=issuer, kind=kind,
                                               defaults={"prefix": f"{short}{mark}"})
    counts = dict.fromkeys(Kind.values, 0)

    def issue(actor, kind, subjects, limit):
        for subject in subjects[:limit]:
            services.issue(actor, kind, subject, on=today)
            counts[kind] += 1

    in_street = {"jurisdiction_code__startswith": street_prefix}
    issue(street, Kind.RECTIFICATION_NOTICE, list(Hazard.objects.filter(
        status__in=lifecycle.DEADLINE_STATUSES, deadline__isnull=False, **in_street)
        .order_by("pk")), rectification)
    issue(district, Kind.LISTING_NOTICE, list(ListedSupervision.objects.filter(
        decision=ListedSupervision.Decision.LISTED, lifted_on__isnull=True,
        jurisdiction_code__startswith=district_code).order_by("pk")), listing)
    issue(street, Kind.REFERRAL_NOTICE, list(ReferralNotice.objects.filter(
        sent_on__isnull=True, hazard__found_on__lte=today, **in_street).order_by("pk")), referral)
    issue(street, Kind.INSPECTION_RECORD, list(Inspection.objects.filter(
        status=Status.SUBMITTED, **in_street).order_by("pk")), records)
    return counts


def delete_documents() -> None:
    """For `fireledger demo --reset`: issued documents PROTECT hazards, inspections and places,
    so they go first. Counters and prefixes go too (the numbers start again);
    uploaded Word templates stay (configuration, not demo data)."""
    from .models import DocumentSequence

    IssuedDocument.objects.update(superseded_by=None)
    IssuedDocument.objects.all().delete()
    DocumentSequence.objects.all().delete()
    IssuerPrefix.objects.all().delete()
