"""Issuing documents, uploading Word templates, and rebuilding a document from the audit trail.

Issue: lock the subject, check the issuer's right and the subject's state, take the next number
(documents.numbering, inside this transaction), freeze the content, render PDF and Word once
(a template that fails to render rolls everything back, number included: numbers stay gapless),
supersede the previous document of the same subject and kind, and write the audit event whose
`after` holds the full content and both template versions: that event alone rebuilds the
document (reproduce), whatever later happens to the hazard or to the IssuedDocument row.

Re-issue: a new number, and the earlier document of the same subject and kind becomes
superseded (a corrected notice replaces the old one). A referral notice (抄告单) is the one
exception: it is sent once (hazards.services.send_notice records the sending and its number),
so a second one is refused.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fireledger.core import audit
from fireledger.core.models import AuditAction, AuditEvent
from fireledger.hazards import lifecycle
from fireledger.hazards.models import Hazard, ListedSupervision, ReferralNotice
from fireledger.inspections.models import Inspection

from . import content as contents
from . import issuers, numbering, render
from .choices import TRANSITIONS, DocStatus, Kind
from .models import DocumentTemplate, IssuedDocument
from .samples import sample_content

TEMPLATE_MAX_BYTES = 5 * 1024 * 1024
SUBJECT_FIELD = {Kind.RECTIFICATION_NOTICE: "hazard", Kind.LISTING_NOTICE: "listing",
                 Kind.REFERRAL_NOTICE: "notice", Kind.INSPECTION_RECORD: "inspection"}
SUBJECT_MODEL = {Kind.RECTIFICATION_NOTICE: Hazard, Kind.LISTING_NOTICE: ListedSupervision,
                 Kind.REFERRAL_NOTICE: ReferralNotice, Kind.INSPECTION_RECORD: Inspection}


def content_hash(content: dict) -> str:
    """sha256 of the content as canonical JSON (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _hazard_of(kind: str, subject) -> Hazard | None:
    if kind == Kind.RECTIFICATION_NOTICE:
        return subject
    if kind in (Kind.LISTING_NOTICE, Kind.REFERRAL_NOTICE):
        return subject.hazard
    return None


def _place_of(kind: str, subject):
    hazard = _hazard_of(kind, subject)
    return hazard.place if hazard is not None else subject.place


def issuer_or_none(user, kind: str, subject) -> str | None:
    """The issuer key `user` would issue `kind` for `subject` under, or None when not allowed.
    Visibility (404) is the caller's query; this decides the 403."""
    from fireledger.places import services as place_services

    place = _place_of(kind, subject)
    if kind in (Kind.RECTIFICATION_NOTICE, Kind.REFERRAL_NOTICE, Kind.LISTING_NOTICE):
        if not place_services.may(user, "change", place):
            return None
    elif not Inspection.objects.visible_to(user, "view").filter(pk=subject.pk).exists():
        return None
    return issuers.issuer_for(user, kind, place.jurisdiction_code, place.department_id)


def state_error(kind: str, subject) -> str | None:
    """Why `subject` cannot get a `kind` document now (a Chinese-translatable message), or None."""
    if kind == Kind.RECTIFICATION_NOTICE:
        if subject.status not in lifecycle.DEADLINE_STATUSES or subject.deadline is None:
            return _("Only a hazard being rectified against a deadline gets a rectification "
                     "notice.")
    elif kind == Kind.LISTING_NOTICE:
        if subject.decision != ListedSupervision.Decision.LISTED or subject.lifted_on:
            return _("Only a hazard under listed supervision gets a listed-supervision notice.")
    elif kind == Kind.REFERRAL_NOTICE:
        if subject.sent_on:
            return _("This referral notice has already been sent.")
    elif kind == Kind.INSPECTION_RECORD:
        from fireledger.inspections.choices import Status

        if subject.status == Status.DRAFT:
            return _("A draft inspection gets no numbered record: submit it first.")
    return None


def active_docx_version(kind: str) -> str:
    template = DocumentTemplate.objects.filter(kind=kind, active=True).first()
    return template.label if template else render.BUILTIN_DOCX


def _lock(kind: str, subject):
    related = {Kind.RECTIFICATION_NOTICE: ("place__owner", "place__manager", "place__occupant",
                                           "category"),
               Kind.LISTING_NOTICE: ("hazard__place", "hazard__category"),
               Kind.REFERRAL_NOTICE: ("hazard__place", "hazard__category"),
               Kind.INSPECTION_RECORD: ("place__jurisdiction", "version")}[kind]
    model = SUBJECT_MODEL[kind]
    return model.objects.select_for_update(of=("self",)).select_related(*related).get(
        pk=subject.pk)


@transaction.atomic
def issue(actor, kind: str, subject, *, on=None, token=None) -> IssuedDocument:
    """Issue a numbered `kind` document for `subject` (a hazard, listing, referral notice or
    inspection, by kind). The same form `token` twice (a double tap, a retried request) returns
    the document issued the first time."""
    if kind not in SUBJECT_FIELD:
        raise ValueError(f"unknown kind {kind!r}")
    subject = _lock(kind, subject)
    if token is not None:
        existing = IssuedDocument.objects.filter(token=token).first()
        if existing is not None:
            if (existing.kind != kind or existing.issued_by_id != actor.pk
                    or getattr(existing, f"{SUBJECT_FIELD[kind]}_id") != subject.pk):
                raise PermissionDenied("token belongs to another document")
            return existing
    issuer = issuer_or_none(actor, kind, subject)
    if issuer is None:
        raise PermissionDenied(f"{kind} not permitted here")
    problem = state_error(kind, subject)
    if problem:
        raise ValidationError(problem, code="state")
    on = on or timezone.localdate()
    place = _place_of(kind, subject)
    number = numbering.next_number(issuer=issuer, kind=kind, year=on.year)
    reference = numbering.reference(on.year, number, issuers.prefix_for(issuer, kind))
    common = {"reference": reference, "year": on.year, "number": number,
              "issuer": issuers.issuer_name(issuer, kind), "issued_on": on}
    if kind == Kind.LISTING_NOTICE:
        common.update(supervisor=issuers.district_office_name(place.jurisdiction_code),
                      checker=issuers.street_office_name(place.jurisdiction_code))
    content = contents.build(kind, subject, **common)
    docx_version = active_docx_version(kind)
    # Render both now: a failure raises and rolls the number back.
    render.render_pdf(content)
    render.render_docx(content, docx_version)
    digest = content_hash(content)
    previous = list(IssuedDocument.objects.select_for_update().filter(
        kind=kind, status=DocStatus.ISSUED, **{f"{SUBJECT_FIELD[kind]}_id": subject.pk}))
    document = IssuedDocument.objects.create(
        kind=kind, issuer=issuer, year=on.year, number=number, reference=reference,
        jurisdiction_code=place.jurisdiction_code, department_id=place.department_id,
        place=place, content=content, content_hash=digest, pdf_template=render.PDF_LAYOUT,
        docx_template=docx_version, issued_by=actor, token=token,
        **{SUBJECT_FIELD[kind]: subject})
    audit.record(actor, AuditAction.CREATE, document, after={
        "kind": kind, "issuer": issuer, "year": on.year, "number": number,
        "reference": reference, "subject": {SUBJECT_FIELD[kind]: subject.pk},
        "content": content, "content_hash": digest, "pdf_template": render.PDF_LAYOUT,
        "docx_template": docx_version,
    }, note=reference)
    for old in previous:
        before = audit.snapshot(old)
        old.status = TRANSITIONS[(DocStatus.ISSUED, "supersede")]
        old.superseded_by = document
        old.save(update_fields=["status", "superseded_by"])
        audit.record(actor, AuditAction.CHANGE, old,
                     before={k: before[k] for k in ("status", "superseded_by_id")},
                     after={"status": old.status, "superseded_by_id": document.pk},
                     note=f"superseded by {reference}")
    if kind == Kind.REFERRAL_NOTICE:
        from fireledger.hazards import services as hazard_services

        hazard_services.send_notice(actor, subject, sent_on=on, reference=reference)
    return document


# --- Reproduction from the audit trail ------------------------------------------------------

def issue_event(document_or_reference) -> AuditEvent:
    """The audit event that issued a document: by IssuedDocument, id, or printed reference."""
    events = AuditEvent.objects.filter(object_type="documents.issueddocument",
                                       action=AuditAction.CREATE)
    if isinstance(document_or_reference, IssuedDocument):
        events = events.filter(object_id=str(document_or_reference.pk))
    elif isinstance(document_or_reference, int) or str(document_or_reference).isdigit():
        events = events.filter(object_id=str(document_or_reference))
    else:
        events = events.filter(after__reference=str(document_or_reference))
    found = list(events.order_by("at", "id")[:2])
    if not found:
        raise IssuedDocument.DoesNotExist(f"no issued document {document_or_reference!r}")
    if len(found) > 1:
        # Offices without a configured prefix print the same 〔2026〕第1号: the id decides.
        ids = ", ".join(e.object_id for e in events.order_by("at", "id"))
        raise IssuedDocument.MultipleObjectsReturned(
            f"{document_or_reference!r} names several documents (ids {ids}): give the id")
    return found[0]


def source(document_or_reference) -> dict:
    """What rebuilds the document, from its audit event alone: content and template versions.
    Raises ValueError when the event's content does not match its own checksum."""
    after = issue_event(document_or_reference).after
    if content_hash(after["content"]) != after["content_hash"]:
        raise ValueError("the audit event's content does not match its checksum")
    return after


def reproduce(document_or_reference) -> tuple[dict, bytes, bytes]:
    """(source, PDF bytes, .docx bytes) rebuilt from the audit event alone."""
    after = source(document_or_reference)
    return (after, render.render_pdf(after["content"], after["pdf_template"]),
            render.render_docx(after["content"], after["docx_template"]))


def row_matches_audit(document: IssuedDocument) -> bool:
    """Whether the row still holds what was issued (its content, checksum and versions)."""
    after = source(document)
    return (content_hash(document.content) == after["content_hash"] == document.content_hash
            and document.pdf_template == after["pdf_template"]
            and document.docx_template == after["docx_template"])


def download_source(document: IssuedDocument) -> dict:
    """What a download renders: the row when it matches its audit event, else the event (the
    source of truth) — an edited row never changes what a re-download prints."""
    if row_matches_audit(document):
        return {"content": document.content, "pdf_template": document.pdf_template,
                "docx_template": document.docx_template}
    return source(document)


# --- Word templates ---------------------------------------------------------------------------

def _file_error(message, code: str) -> ValidationError:
    return ValidationError({"file": ValidationError(message, code=code)})


def check_template(kind: str, data: bytes, name: str) -> None:
    """A .docx that renders with the sample content and prints the reference; else a
    ValidationError on "file" saying why, in the user's language."""
    not_word = _("“%(name)s” is not a Word .docx file.") % {"name": name}
    if not name.lower().endswith(".docx"):
        raise _file_error(not_word, "type")
    if len(data) > TEMPLATE_MAX_BYTES:
        raise _file_error(_("“%(name)s” is larger than %(mb)d MB.") % {
            "name": name, "mb": TEMPLATE_MAX_BYTES // (1024 * 1024)}, "size")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError):
        raise _file_error(not_word, "type") from None
    sample = sample_content(kind)
    try:
        rendered = render.render_docx_from(data, sample)
    except Exception as error:  # noqa: BLE001 - any template error is the uploader's to fix
        raise _file_error(_("The template does not render: %(error)s") % {
            "error": str(error)[:200]}, "render") from None
    if not any(sample["reference"] in line for line in render.docx_text(rendered)):
        raise _file_error(_("The template must print the document number {{ reference }}."),
                          "reference")


@transaction.atomic
def upload_template(actor, kind: str, upload) -> DocumentTemplate:
    """A new version of the kind's Word template, active from now on; the previous one stays
    stored (issued documents name it) but inactive. A bad file changes nothing."""
    if not (actor.is_superuser or actor.is_staff):
        raise PermissionDenied("uploading templates is for administrators")
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose the kind of document.")}, code="invalid")
    data = upload.read()
    check_template(kind, data, upload.name)
    last = DocumentTemplate.objects.select_for_update().filter(kind=kind).order_by(
        "-version").first()
    for old in DocumentTemplate.objects.filter(kind=kind, active=True):
        before = audit.snapshot(old)
        old.active = False
        old.save(update_fields=["active"])
        audit.record_change(actor, old, before)
    template = DocumentTemplate(kind=kind, version=(last.version + 1) if last else 1,
                                original_name=upload.name[:200],
                                sha256=hashlib.sha256(data).hexdigest(), uploaded_by=actor)
    template.file.save("template.docx", ContentFile(data), save=False)
    template.save()
    audit.record_create(actor, template)
    return template


@transaction.atomic
def deactivate_template(actor, template: DocumentTemplate) -> DocumentTemplate:
    """Back to the bundled template for the kind (the uploaded file stays stored)."""
    if not (actor.is_superuser or actor.is_staff):
        raise PermissionDenied("templates are for administrators")
    before = audit.snapshot(template)
    template.active = False
    template.save(update_fields=["active"])
    audit.record_change(actor, template, before)
    return template
