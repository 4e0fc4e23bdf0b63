"""One inspection's printable record (检查记录) as PDF, rendered by WeasyPrint.

What it holds is seed 003 附件1.7.3 日常检查制度 (六): "日常检查时应将检查和巡查情况（包括单位名称、
时间、地点、发现的火灾隐患情况及整改或防范意见、检查和巡查人员签名等）如实登记" — the unit, the
time, the place, the kind and checklist, each item as answered, the hazards found (with their
hazard number and deadline), the rectification or precaution advice and the signatures (a drawn
one as its image, a typed one as the name marked confirmed), and when the record was printed.

The Chinese text is set in Debian's fonts-noto-cjk (Noto Sans CJK SC / Noto Serif CJK SC),
found through fontconfig; WeasyPrint embeds the subsets used. Nothing is fetched at render
time: the stylesheet is inline, the signature images are data: URIs read from storage, and the
URL fetcher refuses every other scheme (file:, http:, …), so text typed into an inspection can
never make the server read a file or call out.
"""

from __future__ import annotations

import base64
import datetime
import io
import re

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from .choices import FAILED, Outcome, SignatureMethod, Status

SIGNATURE_MAX_BYTES = 2 * 1024 * 1024
IMAGE_TYPES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


def _url_fetcher():
    """A WeasyPrint URL fetcher that only decodes data: URIs."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)


def css_string(text: str) -> str:
    """`text` as a quoted CSS string, every character that could end it or the <style> element
    escaped (safe to put in the template's stylesheet)."""
    out = []
    for char in text:
        if char.isalnum() or char in " -_.:/,()，：（）":
            out.append(char)
        else:
            out.append(f"\\{ord(char):x} ")
    return '"' + "".join(out) + '"'


def page_counter_css(template: str) -> str:
    """A CSS `content` value for a translated "Page {page} of {pages}"."""
    parts = []
    for piece in re.split(r"(\{page\}|\{pages\})", template):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


def signature_data_uri(signature) -> str | None:
    """A drawn signature's image as a data: URI, or None when it cannot be read (missing,
    too large, not a PNG or JPEG)."""
    if not signature.image:
        return None
    try:
        with default_storage.open(signature.image.name, "rb") as handle:
            data = handle.read(SIGNATURE_MAX_BYTES + 1)
    except (OSError, ValueError):
        return None
    if len(data) > SIGNATURE_MAX_BYTES:
        return None
    for magic, mime in IMAGE_TYPES:
        if data.startswith(magic):
            return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return None


def unit_names(inspection) -> str:
    """The unit the inspection names, else the place's units (owner, manager, occupant), each
    once."""
    if inspection.unit_name:
        return inspection.unit_name
    place = inspection.place
    units = (place.owner, place.manager, place.occupant)
    return "、".join(dict.fromkeys(u.name for u in units if u is not None))


def street_name(place) -> str:
    """The street (or town) the place lies in, walking up the jurisdiction tree."""
    node = place.jurisdiction
    while node is not None:
        if node.level == "street":
            return node.name
        node = node.parent
    return ""


def record_context(inspection, *, now: datetime.datetime | None = None) -> dict:
    """What the template shows. `inspection` is one the user may see."""
    place = inspection.place
    results = list(inspection.results.select_related("hazard").order_by("sort_order", "pk"))
    signatures = []
    for signature in inspection.signatures.order_by("signed_at", "pk"):
        image = (signature_data_uri(signature)
                 if signature.method == SignatureMethod.DRAWN else None)
        signatures.append({"name": signature.name, "method": signature.method,
                           "drawn": signature.method == SignatureMethod.DRAWN, "image": image,
                           "signed_at": timezone.localtime(signature.signed_at)})
    found = []
    for result in results:
        if result.outcome in FAILED:
            deadline = result.deadline or (result.hazard.deadline if result.hazard else None)
            found.append({"result": result, "fixed": result.outcome == Outcome.FIXED,
                          "deadline": deadline})
    printed_at = timezone.localtime(now)
    footer = gettext("Printed %(time)s") % {"time": f"{printed_at:%Y-%m-%d %H:%M}"}
    return {
        "inspection": inspection,
        "place": place,
        "unit": unit_names(inspection),
        "street": street_name(place),
        "results": results,
        "found": found,
        "signatures": signatures,
        "printed_at": printed_at,
        "submitted_at": (timezone.localtime(inspection.submitted_at)
                         if inspection.submitted_at else None),
        "is_draft": inspection.status == Status.DRAFT,
        "language": get_language() or "zh-hans",
        "css_footer": mark_safe(css_string(footer)),  # noqa: S308 - escaped by css_string
        "css_pages": mark_safe(page_counter_css(  # noqa: S308 - escaped by css_string
            gettext("Page {page} of {pages}"))),
    }


def render_html(inspection, *, now=None) -> str:
    return render_to_string("inspections/record_pdf.html", record_context(inspection, now=now))


def html_to_pdf(html: str) -> bytes:
    """Any of our self-contained HTML documents (inline stylesheet, images as data: URIs) as
    PDF bytes, with the fetcher that refuses everything but data: (the safety-code sign uses
    it too)."""
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_url_fetcher()).write_pdf()


def render_pdf(inspection, *, now=None) -> bytes:
    """The record as PDF bytes (A4 portrait)."""
    return html_to_pdf(render_html(inspection, now=now))


def filename(inspection) -> str:
    """检查记录-<place>-<date>.pdf, without characters a file name cannot hold."""
    name = re.sub(r'[\\/:*?"<>|\s]+', "_", inspection.place.name).strip("_") or "-"
    return f"检查记录-{name}-{inspection.inspected_on:%Y%m%d}.pdf"


def pdf_response(inspection, *, download: bool = False) -> FileResponse:
    """The PDF shown in the browser (inline), or as a download; the file name either way
    (Content-Disposition with RFC 5987 filename*, done by Django)."""
    return FileResponse(io.BytesIO(render_pdf(inspection)), as_attachment=download,
                        filename=filename(inspection), content_type="application/pdf")
