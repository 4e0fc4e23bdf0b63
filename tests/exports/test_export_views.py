"""Export pages: start from the list (POST), the job page and its polled progress, the
download for the owner only (others 404), the list buttons."""

import io

import openpyxl
import pytest
from django.urls import reverse

from fireledger.exports.choices import JobStatus
from fireledger.exports.models import ExportJob

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _huey_immediate(settings):
    from huey.contrib.djhuey import HUEY

    old = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = old


@pytest.fixture
def hazards(users, places, log):
    street = users["street_officer"]
    return [log(street, places["mall"]),
            log(street, places["compound"], is_major=True, interim_safeguards="专人值守"),
            log(users["district_office"], places["hotel"])]


def _start(client, kind="hazards", query=""):
    return client.post(reverse("exports:start", args=[kind]), {"query": query})


def test_start_runs_the_job_and_shows_the_download(login, users, hazards):
    client = login(users["street_officer"])
    response = _start(client, query="is_major=true&page=3")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("exports:job", args=[job.pk])
    assert job.status == JobStatus.DONE and job.done_rows == 1
    assert job.query == "is_major=true"
    page = client.get(response.url)
    assert page.status_code == 200
    assert b'id="export-download"' in page.content
    assert b"hx-trigger" not in page.content  # done: no more polling
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert ws.max_row == 2


def test_others_get_404(login, users, hazards):
    _start(login(users["street_officer"]))
    job = ExportJob.objects.get()
    other = login(users["district_office"])
    for name in ("exports:job", "exports:progress", "exports:download"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404
    assert b'class="export-job"' not in other.get(reverse("exports:list")).content


def test_progress_polls_while_running(login, users):
    client = login(users["street_officer"])
    job = ExportJob.objects.create(user=users["street_officer"], kind="hazards",
                                   status=JobStatus.RUNNING, total_rows=200, done_rows=50)
    response = client.get(reverse("exports:progress", args=[job.pk]))
    assert b'hx-trigger="every 1s"' in response.content
    assert b"25%" in response.content


def test_bad_filter_goes_back_to_the_list_with_a_message(login, users):
    client = login(users["street_officer"])
    response = _start(client, query="status=nonsense")
    assert response.status_code == 302 and response.url.startswith(reverse("hazards:list"))
    assert not ExportJob.objects.exists()
    assert _start(client, kind="nope").status_code == 404
    assert client.get(reverse("exports:start", args=["hazards"])).status_code == 405


def test_anonymous_is_sent_to_log_in(client):
    assert _start(client).status_code == 302
    assert not ExportJob.objects.exists()


def test_list_pages_offer_the_export(login, users, hazards):
    client = login(users["street_officer"])
    page = client.get(reverse("hazards:list"), {"status": "open"}).content.decode()
    assert 'id="hazard-export"' in page and 'value="status=open"' in page
    assert reverse("exports:start", args=["listed"]) in page
    page = client.get(reverse("places:list")).content.decode()
    assert reverse("exports:start", args=["places"]) in page
    page = client.get(reverse("inspections:list")).content.decode()
    assert reverse("exports:start", args=["inspections"]) in page


def test_deleted_file_is_said_so(login, users, hazards, settings):
    client = login(users["street_officer"])
    _start(client)
    job = ExportJob.objects.get()
    (settings.MEDIA_ROOT / job.file_path).unlink()
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404
    assert b'id="export-download"' not in client.get(reverse("exports:job", args=[job.pk])).content


def test_job_page_names_the_filters(login, users, hazards):
    from django.utils import translation
    from django.utils.translation import gettext

    client = login(users["street_officer"])
    _start(client, query="is_major=true&status=open")
    job = ExportJob.objects.get()
    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    with translation.override("zh-hans"):
        assert f'{gettext("major hazard")}: {gettext("yes")}' in page
        assert gettext("open (not closed)") in page
