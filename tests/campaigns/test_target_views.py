"""The target page and its figure form: 200 / 404 / 403 / 400, the date selector, scoped
rows, and figure uploads refused with the field named."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from fireledger.campaigns import services as campaign_services
from fireledger.campaigns import services_targets
from fireledger.campaigns.models import ManualFigure
from fireledger.core.choices import Level
from fireledger.core.models import Department, Jurisdiction
from fireledger.hazards import services as hazard_services
from fireledger.hazards.models import HazardCategory

TODAY = timezone.localdate()
START = TODAY - datetime.timedelta(days=30)
DUE = TODAY + datetime.timedelta(days=30)


@pytest.fixture
def campaign(users, tree):
    return campaign_services.create_campaign(
        users["district_office"], name="高层建筑消防安全专项整治", starts_on=START,
        ends_on=DUE, jurisdiction=tree["district"])


@pytest.fixture
def rectified(campaign, users, places):
    """50 % by the due date; street 1 has closed its hazard, street 2 not."""
    category = HazardCategory.objects.get(code="hr.03.1")
    office = users["district_office"]
    hazard_services.log_hazard(office, places["mall"], category=category, description="堆放杂物",
                               found_on=START + datetime.timedelta(days=2),
                               rectified_on=START + datetime.timedelta(days=4))
    hazard_services.log_hazard(office, places["hotel"], category=category,
                               description="安全出口锁闭",
                               found_on=START + datetime.timedelta(days=3),
                               deadline=TODAY + datetime.timedelta(days=5))
    return services_targets.add_target(office, campaign, text="12月底前完成50%上账隐患整改",
                                       metric="rectified_share", threshold=50, due_on=DUE)


@pytest.fixture
def manual(campaign, users):
    return services_targets.add_target(users["district_office"], campaign,
                                       text="注册人员不少于5000人", metric="manual",
                                       threshold=5000, unit="人", due_on=DUE)


def url(target, name="target"):
    return reverse(f"campaigns:{name}", args=[target.campaign_id, target.pk])


def png(name="证明.png"):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def rows(response, table):
    """[(key, colour)] of the table's rows, in page order."""
    import re

    html = response.content.decode()
    section = html.split(f'id="{table}"', 1)[1].split('class="card mb-3', 1)[0]
    return re.findall(r'class="target-row[^"]*" data-key="([^"]*)" data-colour="([^"]*)"',
                      section)


def test_district_office_sees_streets_behind_first(login, users, rectified):
    response = login(users["district_office"]).get(url(rectified))
    assert response.status_code == 200
    assert rows(response, "target-streets") == [("500103002000", "red"),
                                                ("500103001000", "green")]
    content = response.content.decode()
    assert 'id="target-behind"' in content and "七星岗街道" in content
    assert "table-danger" in content
    assert response.context["status"].pace == 25
    assert 'id="figure-form"' not in content  # measured, not entered by hand


def test_date_selector(login, users, rectified):
    client = login(users["district_office"])
    earlier = START + datetime.timedelta(days=3)  # both hazards logged, none closed yet
    response = client.get(url(rectified), {"on": earlier.isoformat()})
    assert response.status_code == 200 and response.context["on"] == earlier
    assert rows(response, "target-streets") == [("500103001000", "red"),
                                                ("500103002000", "red")]
    response = client.get(url(rectified), {"on": "2026-13-45"})
    assert response.status_code == 400 and response.context["on"] == TODAY
    assert response.context["on_form"].errors["on"]


def test_street_officer_sees_only_their_street(login, users, rectified):
    response = login(users["street_officer"]).get(url(rectified))
    assert response.status_code == 200
    assert rows(response, "target-streets") == [("500103001000", "green")]
    assert "七星岗街道" not in response.content.decode()


@pytest.mark.parametrize("role", ["nobody"])
def test_invisible_campaign_is_404(login, users, rectified, role):
    assert login(users[role]).get(url(rectified)).status_code == 404


def test_campaign_of_another_district_is_404(login, users, rectified, tree):
    other = Jurisdiction.objects.create(code="500104000000", name="大渡口区",
                                        level=Level.DISTRICT)
    from fireledger.core.models import RoleAssignment, User

    stranger = User.objects.create_user("stranger", password="x")
    RoleAssignment.objects.create(user=stranger, role="district_office", jurisdiction=other)
    assert login(stranger).get(url(rectified)).status_code == 404


def test_target_of_another_campaign_is_404(login, users, rectified, tree):
    other = campaign_services.create_campaign(
        users["district_office"], name="今冬明春火灾防控", starts_on=START, ends_on=DUE,
        jurisdiction=tree["district"])
    response = login(users["district_office"]).get(
        reverse("campaigns:target", args=[other.pk, rectified.pk]))
    assert response.status_code == 404


def test_login_required(client, rectified):
    response = client.get(url(rectified))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_campaign_page_lists_the_targets(login, users, rectified, manual):
    response = login(users["district_office"]).get(
        reverse("campaigns:detail", args=[rectified.campaign_id]))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="campaign-targets"' in content
    assert url(rectified) in content and url(manual) in content
    assert 'data-colour="green"' in content  # 50 % overall against a pace of 25 %


# ------------------------------------------------------------------------------------------
# Figures
# ------------------------------------------------------------------------------------------


def post(client, target, **data):
    data.setdefault("applies_to", "all")
    data.setdefault("value", "4200")
    data.setdefault("on", TODAY.isoformat())
    data.setdefault("note", "截至本周")
    if "evidence" not in data:
        data["evidence"] = png()
    elif data["evidence"] is None:
        del data["evidence"]
    return client.post(url(target, "target_figure"), data)


def test_district_office_enters_a_figure(login, users, manual):
    client = login(users["district_office"])
    page = client.get(url(manual))
    assert page.status_code == 200 and 'id="figure-form"' in page.content.decode()
    assert 'enctype="multipart/form-data"' in page.content.decode()
    response = post(client, manual)
    assert response.status_code == 302
    assert response["Location"] == url(manual) + f"?on={TODAY:%Y-%m-%d}"
    figure = ManualFigure.objects.get()
    assert figure.value == 4200 and figure.jurisdiction is None and figure.evidence.name
    page = client.get(response["Location"])
    assert page.context["status"].overall.value == 4200


def test_street_officer_enters_their_streets_figure(login, users, manual, tree):
    client = login(users["street_officer"])
    page = client.get(url(manual))
    options = page.context["figure_form"].fields["applies_to"].choices
    assert options == [("街道", [(f"j{tree['street1'].pk}", "解放碑街道")])] or \
        options == [("Streets", [(f"j{tree['street1'].pk}", "解放碑街道")])]
    assert post(client, manual, applies_to=f"j{tree['street1'].pk}").status_code == 302
    assert ManualFigure.objects.get().jurisdiction == tree["street1"]


def test_department_officer_enters_their_departments_figure(login, users, manual):
    shangwu = Department.objects.get(code="shangwu")
    response = post(login(users["department_officer"]), manual, applies_to=f"d{shangwu.pk}")
    assert response.status_code == 302
    assert ManualFigure.objects.get().department == shangwu


@pytest.mark.parametrize("role", ["grid_worker", "unit_manager"])
def test_figures_refused_without_a_figure_scope(login, users, manual, role):
    client = login(users[role])
    assert client.get(url(manual)).status_code == 200
    assert client.get(url(manual)).context["figure_form"] is None
    assert post(client, manual).status_code == 403
    assert not ManualFigure.objects.exists()


def test_street_officer_cannot_enter_for_another_street_or_the_total(login, users, manual,
                                                                     tree):
    client = login(users["street_officer"])
    assert post(client, manual, applies_to=f"j{tree['street2'].pk}").status_code == 403
    assert post(client, manual, applies_to="all").status_code == 403
    assert post(client, manual, applies_to="").status_code == 400  # nothing chosen
    assert not ManualFigure.objects.exists()


def test_figure_on_a_measured_target_is_404(login, users, rectified):
    assert post(login(users["district_office"]), rectified).status_code == 404


def test_figure_get_is_405(login, users, manual):
    assert login(users["district_office"]).get(url(manual, "target_figure")).status_code == 405


def test_figure_for_invisible_campaign_is_404(login, users, manual):
    assert post(login(users["nobody"]), manual).status_code == 404


def big_pdf():
    return SimpleUploadedFile("大文件.pdf", b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024),
                              content_type="application/pdf")


def docx_named_pdf():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile("伪装.pdf", buffer.getvalue(), content_type="application/pdf")


@pytest.mark.parametrize("evidence, code, expect_name", [
    (None, "required", None),
    (lambda: SimpleUploadedFile("说明.txt", "纯文本，不是证明材料".encode(), content_type="text/plain"),
     "invalid_type", "说明.txt"),
    (lambda: SimpleUploadedFile("扫描件.pdf", b"<html>not a pdf</html>",
                                content_type="application/pdf"), "invalid_type", "扫描件.pdf"),
    (big_pdf, "too_large", "大文件.pdf"),
    (lambda: SimpleUploadedFile("空.png", b"", content_type="image/png"), "empty", "空.png"),
])
def test_figure_upload_refusals(login, users, manual, evidence, code, expect_name):
    response = post(login(users["district_office"]), manual,
                    evidence=evidence() if evidence else None)
    assert response.status_code == 400
    form = response.context["figure_form"]
    assert [e.code for e in form.errors.as_data()["evidence"]] == [code]
    message = form.errors["evidence"][0]
    assert message.startswith(("证明材料", "Evidence"))  # the field named first
    if expect_name:
        assert expect_name in message
    assert message in response.content.decode()
    assert not ManualFigure.objects.exists()


def test_figure_accepts_a_docx_whatever_its_name(login, users, manual):
    """The content decides: a Word document is accepted even named .pdf."""
    assert post(login(users["district_office"]), manual,
                evidence=docx_named_pdf()).status_code == 302


def test_figure_form_errors_name_their_fields(login, users, manual):
    response = post(login(users["district_office"]), manual, value="很多",
                    on=(TODAY + datetime.timedelta(days=2)).isoformat())
    assert response.status_code == 400
    errors = response.context["figure_form"].errors
    assert errors["value"][0].startswith(("数值", "Figure"))
    response = post(login(users["district_office"]), manual, value="-5",
                    on=(TODAY + datetime.timedelta(days=2)).isoformat(), evidence=None)
    errors = response.context["figure_form"].errors
    assert set(errors) == {"value", "on", "evidence"}
    assert errors["on"][0].startswith(("截至", "As of"))
    assert not ManualFigure.objects.exists()


def test_target_page_queries_do_not_grow_with_data(login, users, rectified, places):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(users["district_office"])
    client.get(url(rectified))  # warm up (session, content types)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(rectified)).status_code == 200
        return len(queries)

    before = count()
    category = HazardCategory.objects.get(code="hr.03.1")
    for n, place in enumerate(["mall", "compound", "hotel"] * 3):
        hazard_services.log_hazard(users["district_office"], places[place], category=category,
                                   description=f"隐患{n}", found_on=START + datetime.timedelta(
                                       days=n + 1), rectified_on=START + datetime.timedelta(
                                       days=n + 2))
    assert count() == before
