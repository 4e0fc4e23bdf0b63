"""Bulletin pages: who sees the list and a bulletin (404 outside scope), who may issue (403),
the preview's figures, issuing by POST, bad input (400, nothing written), the downloads and
the template page."""

import io

import docx
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from bulletin_builders import END, START, STREET1, STREET2, build
from fireledger.core.choices import Level, Role
from fireledger.core.models import Jurisdiction, RoleAssignment, User
from fireledger.reports import services_bulletins
from fireledger.reports.models import Bulletin, BulletinTemplate

NEW = reverse("reports:bulletin_new")
PERIOD = {"start": START.isoformat(), "end": END.isoformat(), "bottom": "1", "threshold": "45"}


@pytest.fixture
def categories(db):
    from fireledger.hazards.models import HazardCategory

    return {c.code: c for c in HazardCategory.objects.all()}


@pytest.fixture
def bulletin(tree, places, admin_user, categories, users):
    build(tree, places, admin_user, categories)
    return services_bulletins.issue_bulletin(users["district_office"], tree["district"],
                                             START, END)


@pytest.mark.parametrize("role,sees", [("district_office", True), ("street_officer", True),
                                       ("department_officer", True), ("grid_worker", False),
                                       ("unit_manager", False), ("nobody", False)])
def test_who_sees_a_district_bulletin(login, users, bulletin, role, sees):
    client = login(users[role])
    listing = client.get(reverse("reports:bulletins"))
    assert listing.status_code == 200
    assert (f'data-pk="{bulletin.pk}"' in listing.content.decode()) is sees
    detail = client.get(reverse("reports:bulletin_detail", args=[bulletin.pk]))
    assert detail.status_code == (200 if sees else 404)
    docx_response = client.get(reverse("reports:bulletin_docx", args=[bulletin.pk]))
    assert docx_response.status_code == (200 if sees else 404)


def test_another_districts_office_gets_404(client, bulletin):
    other = Jurisdiction.objects.create(code="500104000000", name="大渡口区", level=Level.DISTRICT)
    user = User.objects.create_user("dadukou")
    RoleAssignment.objects.create(user=user, role=Role.DISTRICT_OFFICE, jurisdiction=other)
    client.force_login(user)
    assert client.get(reverse("reports:bulletin_detail", args=[bulletin.pk])).status_code == 404


@pytest.mark.parametrize("role", ["department_officer", "grid_worker", "unit_manager"])
def test_only_offices_open_the_issue_page(login, users, tree, role):
    client = login(users[role])
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, {**PERIOD, "issuer": tree["district"].pk}).status_code == 403
    assert client.get(reverse("reports:bulletin_template")).status_code == 403


def test_the_preview_shows_the_ranking_without_issuing(login, users, tree, places, admin_user,
                                                        categories):
    build(tree, places, admin_user, categories)
    client = login(users["district_office"])
    assert client.get(NEW).status_code == 200  # last month by default
    response = client.get(NEW, {**PERIOD, "issuer": tree["district"].pk})
    assert response.status_code == 200
    streets = response.context["preview"]["areas"]
    assert [(r["code"], r["rank"], r["rate"]) for r in streets][:2] == [
        (STREET2, 1, 50.0), (STREET1, 2, 40.0)]
    page = response.content.decode()
    assert 'id="bulletin-issue"' in page and "bulletin-laggard" in page
    street1 = Jurisdiction.objects.get(code=STREET1)
    assert f'{reverse("hazards:street_table")}?street={street1.pk}' in page
    assert not Bulletin.objects.exists()


def test_issue_by_post_then_download(login, users, tree, places, admin_user, categories):
    build(tree, places, admin_user, categories)
    client = login(users["district_office"])
    response = client.post(NEW, {**PERIOD, "issuer": tree["district"].pk,
                                 "requirements": "限期整改"})
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:bulletin_detail", args=[bulletin.pk])
    page = client.get(response["Location"]).content.decode()
    assert bulletin.reference in page and "限期整改" in page
    word = client.get(reverse("reports:bulletin_docx", args=[bulletin.pk]))
    assert word["Content-Type"].startswith("application/vnd.openxmlformats")
    document = docx.Document(io.BytesIO(b"".join(word.streaming_content)))
    assert any(p.text == "渝中区消防安全隐患整治工作情况通报" for p in document.paragraphs)
    pdf = client.get(reverse("reports:bulletin_pdf", args=[bulletin.pk]), {"download": "1"})
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]


@pytest.mark.parametrize("data", [
    {"start": "2026-04-01", "end": "2026-03-01"},
    {"start": "2026-03-01", "end": "2999-01-01"},
    {"start": "2026-03-01", "end": "不是日期"},
    {"bottom": "99"},
])
def test_bad_input_is_a_400_and_writes_nothing(login, users, tree, data):
    client = login(users["district_office"])
    response = client.post(NEW, {**PERIOD, "issuer": tree["district"].pk, **data})
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Bulletin.objects.exists()


def test_template_upload_good_and_bad(login, users, tree):
    client = login(users["district_office"])
    page = reverse("reports:bulletin_template")
    assert client.get(page).status_code == 200
    default = client.get(reverse("reports:bulletin_template_default"))
    template = b"".join(default.streaming_content)
    assert docx.Document(io.BytesIO(template)).paragraphs[0].text == "{{ title }}"
    good = client.post(page, {"issuer": tree["district"].pk,
                              "file": _upload("edited.docx", template)})
    assert good.status_code == 302
    assert BulletinTemplate.objects.get().version == 1
    bad = client.post(page, {"issuer": tree["district"].pk,
                             "file": _upload("notes.txt", b"hello")})
    assert bad.status_code == 400
    with translation.override("zh-hans"):
        expected = gettext("“%(name)s” is not a Word .docx file.") % {"name": "notes.txt"}
    assert expected in bad.content.decode()
    assert BulletinTemplate.objects.count() == 1
    stored = client.get(reverse("reports:bulletin_template_file",
                                args=[BulletinTemplate.objects.get().pk]))
    assert b"".join(stored.streaming_content) == template


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_the_list_takes_the_same_queries_for_more_bulletins(login, users, tree, bulletin,
                                                            django_assert_max_num_queries):
    client = login(users["street_officer"])
    url = reverse("reports:bulletins")
    client.get(url)
    with django_assert_max_num_queries(8) as one:
        client.get(url)
    for _ in range(3):
        services_bulletins.issue_bulletin(users["district_office"], tree["district"], START, END)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('class="bulletin-item"') == 4


def test_a_street_officer_issues_for_its_street_only(login, users, tree, places, admin_user,
                                                     categories):
    build(tree, places, admin_user, categories)
    client = login(users["street_officer"])
    page = client.get(NEW)
    assert [j.pk for j in page.context["form"].fields["issuer"].queryset] == [tree["street1"].pk]
    refused = client.post(NEW, {**PERIOD, "issuer": tree["district"].pk})
    assert refused.status_code == 400 and "issuer" in refused.context["form"].errors
    response = client.post(NEW, {**PERIOD, "issuer": tree["street1"].pk})
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and bulletin.issuer == tree["street1"]
    assert bulletin.title == "渝中区解放碑街道消防安全隐患整治工作情况通报"
    # The district office reads it; the other street's officer does not.
    assert login(users["district_office"]).get(
        reverse("reports:bulletin_detail", args=[bulletin.pk])).status_code == 200
    other = User.objects.create_user("qixinggang")
    RoleAssignment.objects.create(user=other, role=Role.STREET_OFFICER,
                                  jurisdiction=tree["street2"])
    client.force_login(other)
    assert client.get(reverse("reports:bulletin_detail", args=[bulletin.pk])).status_code == 404
