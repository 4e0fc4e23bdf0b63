"""Inspection rows written straight with the ORM, for the read side (record PDF, export, spot
checks): any status, kind and date, without going through the services.

A plain module, imported as a sibling by the test modules of this directory (pytest's default
import mode puts tests/inspections on sys.path).
"""

import datetime
import io
import itertools

from django.core.files.base import ContentFile
from django.utils import timezone

from fireledger.inspections.choices import Kind, SignatureMethod, Status
from fireledger.inspections.models import (
    ChecklistTemplate,
    ChecklistVersion,
    Inspection,
    InspectionResult,
    Signature,
)
from fireledger.places.models import Place

SIGNATURE_SIZE = (123, 41)  # an odd size, to tell the signature among the PDF's images
_codes = itertools.count(1)


def signature_png(size=SIGNATURE_SIZE) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (255, 255, 255))
    ImageDraw.Draw(image).line([(5, 30), (40, 8), (80, 35), (118, 10)], fill=(0, 0, 0), width=3)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def checklist_version(name="高层公共建筑检查表", version=2) -> ChecklistVersion:
    template = ChecklistTemplate.objects.create(code=f"records-{next(_codes)}", name=name)
    return ChecklistVersion.objects.create(template=template, version=version, name=name,
                                           items=[])


def inspection(place, *, kind=Kind.JOINT, status=Status.SUBMITTED, inspected_on=None,
               **extra) -> Inspection:
    """An inspection of `place`, its scope fields copied from the place (as the services do)."""
    inspected_on = inspected_on or timezone.localdate()
    if status == Status.SUBMITTED:
        extra.setdefault("submitted_at", timezone.make_aware(
            datetime.datetime.combine(inspected_on, datetime.time(16, 30))))
    return Inspection.objects.create(
        place=place, jurisdiction_code=place.jurisdiction_code,
        department_id=place.department_id, kind=kind, status=status,
        inspected_on=inspected_on, **extra)


def result(inspection, number, text, outcome="pass", **extra) -> InspectionResult:
    return InspectionResult.objects.create(inspection=inspection, sort_order=int(number),
                                           number=str(number), text=text, outcome=outcome,
                                           **extra)


def drawn_signature(inspection, name, user=None) -> Signature:
    signature = Signature(inspection=inspection, name=name, user=user,
                          method=SignatureMethod.DRAWN)
    signature.image.save("sig.png", ContentFile(signature_png()), save=False)
    signature.save()
    return signature


def typed_signature(inspection, name, user=None) -> Signature:
    return Signature.objects.create(inspection=inspection, name=name, user=user,
                                    method=SignatureMethod.TYPED)


def high_rise(jurisdiction, n, *, residential=False, name="高层") -> list[Place]:
    """`n` high-rise places in `jurisdiction`, written in bulk (the derived flag set by hand:
    the spot checks read it, they do not derive it)."""
    rows = [Place(code=f"HR{next(_codes):06d}", name=f"{name}{i}",
                  category="residential" if residential else "high_rise",
                  building_use="residential" if residential else "public",
                  jurisdiction=jurisdiction, jurisdiction_code=jurisdiction.code,
                  height_m=60, is_high_rise=True)
            for i in range(1, n + 1)]
    return Place.objects.bulk_create(rows)
