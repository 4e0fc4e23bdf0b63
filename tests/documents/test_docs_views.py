"""Document pages: issuing from the hazard and inspection pages, the list and detail, downloads;
out of scope is a 404, in scope but not allowed a 403."""

import io

import docx
import pytest
from django.utils import translation
from django.utils.translation import gettext

from fireledger.core.choices import Role
from fireledger.documents import services
from fireledger.documents.choices import Kind
from fireledger.documents.models import IssuedDocument

from docs_text import pdf_flat

pytestmark = pytest.mark.django_db
RN = Kind.RECTIFICATION_NOTICE


def test_a_street_officer_issues_from_the_hazard_page(hazard, users, login):
    client = login(users["street_officer"])
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert 'id="issue-rectification_notice"' in page
    response = client.post(f"/documents/issue/{RN}/{hazard.pk}/",
                           {"back": f"/hazards/{hazard.pk}/"})
    document = IssuedDocument.objects.get()
    assert response.status_code == 302 and response.url == f"/documents/{document.pk}/"
    detail = client.get(response.url).content.decode()
    assert document.reference in detail and 'id="download-pdf"' in detail
    assert document.reference in client.get(f"/hazards/{hazard.pk}/").content.decode()


def test_the_downloads(hazard, users, login):
    document = services.issue(users["street_officer"], RN, hazard)
    client = login(users["unit_manager"])  # the unit the notice is for sees it
    pdf = client.get(f"/documents/{document.pk}/document.pdf?download=1")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment")
    assert document.reference in pdf_flat(pdf.content)
    word = client.get(f"/documents/{document.pk}/document.docx")
    assert word["Content-Type"].startswith("application/vnd.openxmlformats")
    paragraphs = [p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs]
    assert document.reference in paragraphs


@pytest.mark.parametrize("role", ["grid_worker", "unit_manager"])
def test_in_scope_but_not_allowed_is_403(hazard, users, login, role):
    client = login(users[role])
    assert 'id="issue-' not in client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert client.post(f"/documents/issue/{RN}/{hazard.pk}/").status_code == 403
    assert not IssuedDocument.objects.exists()


def test_out_of_scope_is_404(hazard, users, login, role_user, tree):
    document = services.issue(users["street_officer"], RN, hazard)
    client = login(role_user("qxg", Role.STREET_OFFICER, tree["street2"]))
    assert client.post(f"/documents/issue/{RN}/{hazard.pk}/").status_code == 404
    for url in (f"/documents/{document.pk}/", f"/documents/{document.pk}/document.pdf",
                f"/documents/{document.pk}/document.docx"):
        assert client.get(url).status_code == 404
    assert document.reference not in client.get("/documents/").content.decode()
    assert client.post(f"/documents/issue/no_such_kind/{hazard.pk}/").status_code == 404


def test_a_refused_issue_says_why(hazard, users, login):
    from fireledger.hazards.models import Hazard

    Hazard.objects.filter(pk=hazard.pk).update(status="closed", closed_on=hazard.found_on)
    client = login(users["street_officer"])
    response = client.post(f"/documents/issue/{RN}/{hazard.pk}/",
                           {"back": f"/hazards/{hazard.pk}/"}, follow=True)
    with translation.override("zh-hans"):
        expected = gettext("Only a hazard being rectified against a deadline gets a "
                           "rectification notice.")
    assert expected in response.content.decode()
    assert not IssuedDocument.objects.exists()


def test_the_list_filters_by_kind(hazard, users, login, inspection):
    notice = services.issue(users["street_officer"], RN, hazard)
    record = services.issue(users["street_officer"], Kind.INSPECTION_RECORD, inspection)
    client = login(users["district_office"])
    page = client.get("/documents/").content.decode()
    assert notice.reference in page and page.count('class="document-row"') == 2
    page = client.get(f"/documents/?kind={Kind.INSPECTION_RECORD}").content.decode()
    assert page.count('class="document-row"') == 1 and f"/documents/{record.pk}/" in page


def test_the_inspection_page_numbers_its_record(inspection, users, login):
    client = login(users["street_officer"])
    assert 'id="issue-inspection_record"' in client.get(
        f"/inspections/{inspection.pk}/").content.decode()
    response = client.post(f"/documents/issue/{Kind.INSPECTION_RECORD}/{inspection.pk}/")
    document = IssuedDocument.objects.get(inspection=inspection)
    assert response.url == f"/documents/{document.pk}/"
    assert document.reference in client.get(f"/inspections/{inspection.pk}/").content.decode()


def test_the_listing_and_referral_notices_from_the_hazard_page(listing, notice, users, login):
    client = login(users["district_office"])
    page = client.get(f"/hazards/{listing.hazard_id}/").content.decode()
    assert 'id="issue-listing_notice"' in page
    assert client.post(f"/documents/issue/{Kind.LISTING_NOTICE}/{listing.pk}/").status_code == 302
    street = login(users["street_officer"])
    page = street.get(f"/hazards/{notice.hazard_id}/").content.decode()
    assert 'id="issue-referral_notice"' in page and 'id="issue-listing_notice"' not in page
    assert street.post(f"/documents/issue/{Kind.REFERRAL_NOTICE}/{notice.pk}/").status_code == 302
    notice.refresh_from_db()
    assert notice.reference == IssuedDocument.objects.get(notice=notice).reference


def test_a_double_tap_issues_once(hazard, users, login):
    import uuid

    client = login(users["street_officer"])
    token = str(uuid.uuid4())
    first = client.post(f"/documents/issue/{RN}/{hazard.pk}/", {"token": token})
    second = client.post(f"/documents/issue/{RN}/{hazard.pk}/", {"token": token})
    document = IssuedDocument.objects.get()
    assert first.url == second.url == f"/documents/{document.pk}/"
    assert document.number == 1
    # Someone else's token is not theirs to reuse.
    other = login(users["district_office"])
    assert other.post(f"/documents/issue/{RN}/{hazard.pk}/", {"token": token}).status_code == 403
