"""The campaign pages and the importer's forms through the test client: bad input is refused
with its field named and nothing saved."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fireledger.campaigns.models import Campaign

pytestmark = pytest.mark.django_db
PLAN = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "seed003.txt"


def review_data(tree, **over):
    data = {
        "c-name": "渝中区老旧小区消防安全专项整治", "c-kind": "special", "c-issuer": "",
        "c-doc_number": "", "c-issued_on": "", "c-starts_on": "2026-03-01",
        "c-ends_on": "2026-12-31", "c-jurisdiction": tree["district"].pk, "c-source_text": "",
        "phases-TOTAL_FORMS": 0, "phases-INITIAL_FORMS": 0,
        "tasks-TOTAL_FORMS": 1, "tasks-INITIAL_FORMS": 0,
        "tasks-0-number": "（一）", "tasks-0-title": "明确管理主体", "tasks-0-lead": "各街道办事处",
        "targets-TOTAL_FORMS": 1, "targets-INITIAL_FORMS": 0,
        "targets-0-task_number": "（一）", "targets-0-text": "12月底前完成50%上账隐患整改",
        "targets-0-metric": "rectified_share", "targets-0-threshold": "50",
        "targets-0-unit": "%", "targets-0-due_on": "2026-12-31",
    }
    data.update(over)
    return data


def test_reading_needs_a_text_or_a_file(login, users):
    page = login(users["district_office"]).post(reverse("campaigns:import"), {"text": " "})
    assert page.status_code == 400
    assert "请粘贴方案全文或选择方案文件" in page.content.decode()


def test_a_file_that_is_not_txt_or_docx_is_named(login, users):
    page = login(users["district_office"]).post(reverse("campaigns:import"), {
        "file": SimpleUploadedFile("方案.pdf", b"%PDF-1.4")})
    assert page.status_code == 400
    assert "方案.pdf" in page.content.decode()


def test_an_uploaded_plan_opens_the_review(login, users):
    page = login(users["district_office"]).post(reverse("campaigns:import"), {
        "file": SimpleUploadedFile("plan.txt", PLAN.read_bytes())})
    assert page.status_code == 200
    assert page.context["tasks"].total_form_count() == 7
    assert not Campaign.objects.exists()  # nothing saved before the review is saved


def test_only_the_district_office_imports(login, users):
    for role in ("street_officer", "department_officer", "unit_manager"):
        assert login(users[role]).get(reverse("campaigns:import")).status_code == 403


def test_a_share_above_100_is_refused_on_its_field_and_nothing_saved(login, users, tree):
    page = login(users["district_office"]).post(
        reverse("campaigns:new"), review_data(tree, **{"targets-0-threshold": "150"}))
    assert page.status_code == 400
    assert page.context["targets"].forms[0].errors["threshold"]
    assert not Campaign.objects.exists()


def test_an_end_before_the_start_is_refused(login, users, tree):
    page = login(users["district_office"]).post(
        reverse("campaigns:new"), review_data(tree, **{"c-ends_on": "2026-01-01"}))
    assert page.status_code == 400
    assert not Campaign.objects.exists()


def test_a_reviewed_campaign_is_saved_and_shown(login, users, tree):
    client = login(users["district_office"])
    response = client.post(reverse("campaigns:new"), review_data(tree))
    campaign = Campaign.objects.get()
    assert response["Location"] == reverse("campaigns:detail", kwargs={"pk": campaign.pk})
    lead = campaign.tasks.get().units.get(role="lead")
    assert lead.streets and lead.text == "各街道办事处"
    assert campaign.targets.get().task == campaign.tasks.get()
    page = login(users["street_officer"]).get(response["Location"])
    assert page.status_code == 200 and "明确管理主体" in page.content.decode()
