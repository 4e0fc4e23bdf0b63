"""Bulletin pages: the list of issued bulletins, the period page (preview the ranking, issue),
one bulletin with its downloads, and the Word template page (download, upload a new version).

Scope: Bulletin.objects.visible_to; a bulletin outside it is a 404. Issuing and uploading are
for the district office of a district and the street officer of a street (403 otherwise)."""

import copy
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from fireledger.core.choices import Level
from fireledger.core.files import stored_file_response
from fireledger.core.models import Jurisdiction

from . import bulletin_docs, bulletins, services_bulletins
from .forms_bulletins import BulletinForm, TemplateUploadForm, quick_periods
from .models import Bulletin, BulletinTemplate

PAGE_SIZE = 25


def _display(figures: dict) -> dict:
    """The figures with links added: a street to its hazard table, a listed hazard to its page."""
    figures = copy.deepcopy(figures)
    codes = [row["code"] for row in figures["areas"]]
    pks = dict(Jurisdiction.objects.filter(code__in=codes, level=Level.STREET)
               .values_list("code", "pk"))
    base = reverse("hazards:street_table")
    for row in figures["areas"]:
        if row["code"] in pks:
            row["url"] = f"{base}?{urlencode({'street': pks[row['code']]})}"
    for item in figures["listed"]:
        item["url"] = reverse("hazards:detail", args=[item["hazard_id"]])
    return figures


def _tables(figures: dict) -> list[dict]:
    return [
        {"id": "bulletin-areas", "total": True, "rows": figures["areas"],
         **({"title": _("Streets"), "head": _("Street")}
            if figures["issuer"]["level"] == Level.DISTRICT
            else {"title": _("Communities"), "head": _("Community")})},
        {"id": "bulletin-departments", "title": _("Industry departments"),
         "head": _("Department"), "rows": figures["departments"], "total": False},
    ]


@login_required
def bulletin_list(request):
    rows = Bulletin.objects.visible_to(request.user, "view").select_related("issuer", "issued_by")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/bulletin_list.html", {
        "page": page,
        "can_issue": bool(services_bulletins.issuable(request.user)),
    })


@login_required
def bulletin_new(request):
    """GET with a period: the ranking as it would be issued; POST: issue it."""
    issuers = services_bulletins.issuable(request.user)
    if not issuers:
        raise PermissionDenied
    today = timezone.localdate()
    periods = quick_periods(today)
    if request.method == "POST":
        form = BulletinForm(request.POST, issuers=issuers)
    elif "start" in request.GET:
        form = BulletinForm(request.GET, issuers=issuers)
    else:
        _id, _label, start, end = periods[0]
        form = BulletinForm(issuers=issuers, initial={"start": start, "end": end})
    preview, status = None, 200
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            try:
                services_bulletins.check_period(data["start"], data["end"], today)
                if request.method == "POST":
                    bulletin = services_bulletins.issue_bulletin(
                        request.user, data["issuer"], data["start"], data["end"],
                        settings=form.settings(), requirements=data["requirements"])
                    messages.success(request, _("Bulletin %(ref)s issued.")
                                     % {"ref": bulletin.reference})
                    return redirect("reports:bulletin_detail", pk=bulletin.pk)
                figures = bulletins.compute(data["issuer"], data["start"], data["end"],
                                            form.settings())
                figures["text"] = bulletin_docs.wording(figures, data["issuer"].full_name)
                preview = _display(figures)
            except ValidationError as error:
                form.add_service_error(error)
                status = 400
        else:
            status = 400
    issuer = (form.cleaned_data.get("issuer") if form.is_bound and hasattr(form, "cleaned_data")
              else None) or issuers[0]
    links = [{"id": pid, "label": label, "start": s, "end": e,
              "url": "?" + urlencode({"issuer": issuer.pk, "start": s.isoformat(),
                                      "end": e.isoformat()})}
             for pid, label, s, e in periods]
    return render(request, "reports/bulletin_new.html", {
        "form": form, "preview": preview, "periods": links,
        "tables": _tables(preview) if preview else [],
    }, status=status)


def _visible(request, pk: int) -> Bulletin:
    return get_object_or_404(Bulletin.objects.visible_to(request.user, "view")
                             .select_related("issuer", "issued_by", "template"), pk=pk)


@login_required
def bulletin_detail(request, pk: int):
    bulletin = _visible(request, pk)
    figures = _display(bulletin.figures)
    return render(request, "reports/bulletin_detail.html", {
        "bulletin": bulletin,
        "figures": figures,
        "tables": _tables(figures),
        "context": bulletin_docs.context(bulletin),
    })


@login_required
def bulletin_docx(request, pk: int):
    bulletin = _visible(request, pk)
    return FileResponse(io.BytesIO(bulletin_docs.bulletin_docx(bulletin)), as_attachment=True,
                        filename=bulletin_docs.filename(bulletin, "docx"),
                        content_type=bulletin_docs.DOCX_TYPE)


@login_required
def bulletin_pdf(request, pk: int):
    bulletin = _visible(request, pk)
    return FileResponse(io.BytesIO(bulletin_docs.bulletin_pdf(bulletin)),
                        as_attachment=request.GET.get("download") == "1",
                        filename=bulletin_docs.filename(bulletin, "pdf"),
                        content_type="application/pdf")


@login_required
def bulletin_template(request):
    """The issuers' templates: the one in use, its history, an upload form."""
    issuers = services_bulletins.issuable(request.user)
    if not issuers:
        raise PermissionDenied
    form = TemplateUploadForm(request.POST or None, request.FILES or None, issuers=issuers)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                template = services_bulletins.upload_template(
                    request.user, form.cleaned_data["issuer"], form.cleaned_data["file"])
            except ValidationError as error:
                form.add_service_error(error)
                status = 400
            else:
                messages.success(request, _("Template version %(v)d is now in use.")
                                 % {"v": template.version})
                return redirect("reports:bulletin_template")
        else:
            status = 400
    history = (BulletinTemplate.objects.filter(jurisdiction__in=issuers)
               .select_related("jurisdiction", "uploaded_by"))
    return render(request, "reports/bulletin_template.html", {
        "form": form, "history": history,
    }, status=status)


@login_required
def bulletin_template_file(request, pk: int):
    issuers = services_bulletins.issuable(request.user)
    template = get_object_or_404(BulletinTemplate, pk=pk,
                                 jurisdiction__in=[j.pk for j in issuers])
    return stored_file_response(template.file, as_attachment=True,
                                filename=template.original_name,
                                content_type=bulletin_docs.DOCX_TYPE)


@login_required
def bulletin_template_default(request):
    if not services_bulletins.issuable(request.user):
        raise PermissionDenied
    return FileResponse(open(bulletin_docs.DEFAULT_TEMPLATE, "rb"), as_attachment=True,
                        filename="通报模板.docx", content_type=bulletin_docs.DOCX_TYPE)
