"""A document rebuilt from its audit event alone equals the one issued, even after the hazard
was edited and the IssuedDocument row tampered with (the audit trail is the source of truth)."""

import pytest
from django.core.management import call_command

from fireledger.documents import services
from fireledger.documents.choices import Kind
from fireledger.documents.models import IssuedDocument
from fireledger.hazards import services as hazard_services
from fireledger.hazards.models import Hazard

from docs_text import docx_text, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(hazard, users, login):
    """The notice as first downloaded: (document, pdf text, docx lines)."""
    document = services.issue(users["street_officer"], Kind.RECTIFICATION_NOTICE, hazard)
    client = login(users["street_officer"])
    pdf = client.get(f"/documents/{document.pk}/document.pdf").content
    docx = client.get(f"/documents/{document.pk}/document.docx").content
    return document, pdf_text(pdf), docx_text(docx)


def _edit_and_tamper(document, hazard, users):
    hazard_services.transition(users["street_officer"], hazard, "start", measures="清理杂物",
                               deadline=hazard.deadline, interim_safeguards="已改：无")
    Hazard.objects.filter(pk=hazard.pk).update(description="已改写的描述")
    tampered = {**document.content, "addressee": "别的单位",
                "paragraphs": ["被篡改的正文"], "reference": "〔1999〕第9号"}
    IssuedDocument.objects.filter(pk=document.pk).update(content=tampered)


def test_rebuilt_from_the_audit_event_alone(issued, hazard, users):
    document, original_pdf, original_docx = issued
    _edit_and_tamper(document, hazard, users)
    source, pdf, docx = services.reproduce(document.reference)
    assert pdf_text(pdf) == original_pdf
    assert docx_text(docx) == original_docx
    assert "被篡改的正文" not in pdf_text(pdf) and "已改写的描述" not in pdf_text(pdf)
    assert source["content_hash"] == document.content_hash
    # By id too.
    assert pdf_text(services.reproduce(document.pk)[1]) == original_pdf


def test_a_tampered_row_is_noticed_and_downloads_stay_true(issued, hazard, users, login):
    document, original_pdf, original_docx = issued
    _edit_and_tamper(document, hazard, users)
    document.refresh_from_db()
    assert not services.row_matches_audit(document)
    client = login(users["street_officer"])
    assert pdf_text(client.get(f"/documents/{document.pk}/document.pdf").content) == original_pdf
    assert docx_text(client.get(f"/documents/{document.pk}/document.docx").content) == \
        original_docx


def test_the_command_writes_both_files(issued, hazard, users, tmp_path):
    document, original_pdf, original_docx = issued
    _edit_and_tamper(document, hazard, users)
    call_command("reproduce_document", document.reference, out=str(tmp_path))
    pdf = next(tmp_path.glob("*.pdf"))
    docx = next(tmp_path.glob("*.docx"))
    assert document.reference in pdf.name
    assert pdf_text(pdf.read_bytes()) == original_pdf
    assert docx_text(docx.read_bytes()) == original_docx


def test_the_command_names_an_unknown_document(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("reproduce_document", "〔2026〕第999号")


def test_a_reference_two_offices_share_asks_for_the_id(hazard, users):
    from django.core.management.base import CommandError

    street = services.issue(users["street_officer"], Kind.RECTIFICATION_NOTICE, hazard)
    district = services.issue(users["district_office"], Kind.RECTIFICATION_NOTICE, hazard)
    assert street.reference == district.reference  # neither office has a prefix configured
    with pytest.raises(CommandError, match="give the id"):
        call_command("reproduce_document", street.reference)
    assert services.issue_event(district.pk).after["issuer"] == "500103"
