"""Issuing and downloading documents. Every read is scoped: a subject or document outside the
user's scope is a 404; in scope but not theirs to issue, a 403. Downloads render from the frozen
content (services.download_source), never from the live hazard."""

import re
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fireledger.hazards.models import Hazard, ListedSupervision, ReferralNotice
from fireledger.inspections.models import Inspection

from . import render as rendering
from . import services
from .choices import Kind
from .models import IssuedDocument

PAGE_SIZE = 25
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def visible_subject(user, kind: str, pk: int):
    """The subject of `kind` with pk, if the user may see it (else 404)."""
    if kind == Kind.RECTIFICATION_NOTICE:
        queryset = Hazard.objects.visible_to(user, "view")
    elif kind == Kind.LISTING_NOTICE:
        queryset = ListedSupervision.objects.filter(
            hazard__in=Hazard.objects.visible_to(user, "view"))
    elif kind == Kind.REFERRAL_NOTICE:
        queryset = ReferralNotice.objects.filter(
            hazard__in=Hazard.objects.visible_to(user, "view"))
    elif kind == Kind.INSPECTION_RECORD:
        queryset = Inspection.objects.visible_to(user, "view")
    else:
        raise Http404
    return get_object_or_404(queryset, pk=pk)


def subject_url(document: IssuedDocument) -> str:
    from django.urls import reverse

    if document.inspection_id:
        return reverse("inspections:detail", args=[document.inspection_id])
    hazard_id = document.hazard_id or (document.listing.hazard_id if document.listing_id
                                       else document.notice.hazard_id)
    return reverse("hazards:detail", args=[hazard_id])


@login_required
@require_POST
def issue(request, kind: str, pk: int):
    subject = visible_subject(request.user, kind, pk)
    if services.issuer_or_none(request.user, kind, subject) is None:
        raise PermissionDenied
    try:
        token = uuid.UUID(request.POST.get("token", ""))
    except ValueError:
        token = None
    try:
        document = services.issue(request.user, kind, subject, token=token)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(request.POST.get("back") if _safe(request.POST.get("back"))
                        else "documents:list")
    messages.success(request, _("Issued %(kind)s %(reference)s.") % {
        "kind": document.get_kind_display(), "reference": document.reference})
    return redirect("documents:detail", pk=document.pk)


def _safe(url) -> bool:
    return bool(url) and url.startswith("/") and not url.startswith("//")


def _visible_document(request, pk: int) -> IssuedDocument:
    return get_object_or_404(IssuedDocument.objects.visible_to(request.user, "view")
                             .select_related("issued_by", "place", "listing", "notice"), pk=pk)


@login_required
def document_list(request):
    rows = IssuedDocument.objects.visible_to(request.user, "view").select_related(
        "place", "issued_by")
    kind = request.GET.get("kind", "")
    if kind in Kind.values:
        rows = rows.filter(kind=kind)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "documents/list.html", {
        "page": page, "kinds": Kind.choices, "kind": kind,
        "query": f"kind={kind}" if kind in Kind.values else "",
    })


@login_required
def document_detail(request, pk: int):
    document = _visible_document(request, pk)
    return render(request, "documents/detail.html", {
        "document": document,
        "content": services.download_source(document)["content"],
        "subject_url": subject_url(document),
        "superseded_by": document.superseded_by,
    })


def _filename(document: IssuedDocument, suffix: str) -> str:
    title = document.content.get("title") or document.get_kind_display()
    name = re.sub(r'[\\/:*?"<>|\s]+', "_", f"{title}{document.reference}").strip("_")
    return f"{name}.{suffix}"


@login_required
def document_pdf(request, pk: int):
    document = _visible_document(request, pk)
    source = services.download_source(document)
    response = HttpResponse(rendering.render_pdf(source["content"], source["pdf_template"]),
                            content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") == "1" else "inline"
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(
        disposition == "attachment", _filename(document, "pdf"))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def document_docx(request, pk: int):
    document = _visible_document(request, pk)
    source = services.download_source(document)
    from django.utils.http import content_disposition_header

    response = HttpResponse(rendering.render_docx(source["content"], source["docx_template"]),
                            content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, _filename(document, "docx"))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def template_docx(request, kind: str):
    """The Word template new documents of `kind` use (the active upload, else the bundled one),
    for administrators to edit in Word and upload again."""
    if kind not in Kind.values:
        raise Http404
    if not (request.user.is_staff or request.user.is_superuser):
        raise PermissionDenied
    version = services.active_docx_version(kind)
    from django.utils.http import content_disposition_header

    response = HttpResponse(rendering.template_bytes(kind, version), content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{Kind(kind).value}-{version}.docx")
    return response
