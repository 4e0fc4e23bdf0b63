"""{% documents_panel subject %}: the documents issued for a hazard or an inspection, and the
buttons to issue the ones the user may issue now. One include line on other apps' pages."""

import uuid

from django import template

from fireledger.hazards.models import Hazard, ListedSupervision, ReferralNotice
from fireledger.inspections.models import Inspection

from .. import services
from ..choices import Kind
from ..models import IssuedDocument

register = template.Library()


def _offers(user, kinds_subjects):
    offers = []
    for kind, subject in kinds_subjects:
        if subject is None or services.issuer_or_none(user, kind, subject) is None:
            continue
        offers.append({"kind": kind, "label": Kind(kind).label, "pk": subject.pk,
                       "token": uuid.uuid4(),
                       "problem": services.state_error(kind, subject)})
    return offers


@register.inclusion_tag("documents/_panel.html", takes_context=True)
def documents_panel(context, subject):
    request = context["request"]
    user = request.user
    if isinstance(subject, Hazard):
        listing = ListedSupervision.objects.filter(hazard=subject).first()
        notice = ReferralNotice.objects.filter(hazard=subject).first()
        documents = IssuedDocument.objects.filter(hazard=subject)
        if listing:
            documents = documents | IssuedDocument.objects.filter(listing=listing)
        if notice:
            documents = documents | IssuedDocument.objects.filter(notice=notice)
        offers = _offers(user, [(Kind.RECTIFICATION_NOTICE, subject),
                                (Kind.LISTING_NOTICE, listing),
                                (Kind.REFERRAL_NOTICE, notice)])
    elif isinstance(subject, Inspection):
        documents = IssuedDocument.objects.filter(inspection=subject)
        offers = _offers(user, [(Kind.INSPECTION_RECORD, subject)])
    else:
        raise TypeError("documents_panel takes a hazard or an inspection")
    return {"documents": documents.select_related("issued_by").order_by("-issued_at", "-id"),
            "offers": [o for o in offers if not o["problem"]],
            "back": request.get_full_path(), "csrf_token": context.get("csrf_token")}
