"""Export jobs: scope and filter as on the list, the register's columns, the state machine,
audit events, the CLI, the sweep of old files."""

import datetime
from io import StringIO

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import QueryDict
from django.utils import timezone

from fireledger.core.models import AuditEvent
from fireledger.exports import registers, services
from fireledger.exports.choices import TRANSITIONS, JobStatus
from fireledger.core.jobs import InvalidTransition
from fireledger.exports.models import ExportJob
from fireledger.hazards import services as hazard_services
from fireledger.hazards.models import Hazard

pytestmark = pytest.mark.django_db


def _rows(path):
    ws = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, row)) for row in ws.iter_rows(min_row=2, values_only=True)]


def _export(user, kind="hazards", query="", **options):
    job = services.start_export(user, kind, query)
    job = services.run_export(job.pk, **options)
    assert job.status == JobStatus.DONE
    return job, services.job_file(job)


@pytest.fixture
def hazards(users, places, log, today):
    street = users["street_officer"]
    overdue = log(street, places["compound"], description="消防车道被占用 <堵塞> & 锁闭")
    # Past deadlines cannot be set through the service: age the row as time would.
    Hazard.objects.filter(pk=overdue.pk).update(deadline=today - datetime.timedelta(days=2))
    return {
        "mall": log(street, places["mall"], responsible_unit="解放碑物业", responsible_person="王五",
                    responsible_phone="13800001111", measures="清理杂物", location_in_place="三楼"),
        "overdue": overdue,
        "hotel": log(users["district_office"], places["hotel"], is_major=True,
                     interim_safeguards="专人值守"),
    }


def test_register_has_the_list_columns_and_values(users, hazards, today):
    job, path = _export(users["district_office"])
    rows = _rows(path)
    assert job.done_rows == job.total_rows == 3 == len(rows)
    assert list(rows[0]) == [c.header for c in registers.REGISTERS["hazards"].columns]
    mall = next(r for r in rows if r["场所"] == "解放碑时代广场")
    assert mall["街道"] == "解放碑街道"
    assert mall["地址"] == "渝中区民权路1号"
    assert mall["联系电话"] == "13800001111"
    assert mall["位置"] == "三楼"
    assert mall["整改期限"].date() == today + datetime.timedelta(days=10)
    assert mall["发现日期"].date() == hazards["mall"].found_on
    assert mall["是否逾期"] == "否"
    assert mall["是否重大隐患"] == "否"
    assert "·" in mall["隐患类别"]  # parent·item
    late = next(r for r in rows if r["场所"] == "新华路12号院")
    assert late["是否逾期"] == "是"
    assert late["具体问题"] == "消防车道被占用 <堵塞> & 锁闭"
    assert [r["序号"] for r in rows] == [1, 2, 3]
    # the list's order: street by street
    assert [r["街道"] for r in rows] == ["解放碑街道", "解放碑街道", "七星岗街道"]


def test_scope_and_filter_are_the_lists(users, hazards, client):
    street = users["street_officer"]
    job, path = _export(street, query="overdue=true")
    assert [r["场所"] for r in _rows(path)] == ["新华路12号院"]
    job, path = _export(street)
    assert {r["场所"] for r in _rows(path)} == {"解放碑时代广场", "新华路12号院"}  # no hotel
    client.force_login(street)
    listed = client.get("/hazards/", {"overdue": "true"}).context["page"].paginator.count
    assert listed == 1


def test_rectification_and_listed_variants(users, hazards, today):
    district = users["district_office"]
    job, path = _export(district, "rectifications")
    rows = _rows(path)
    assert list(rows[0])[:4] == ["序号", "街道", "场所", "具体问题"]
    assert {r["整改责任单位"] for r in rows} >= {"解放碑物业"}
    job, path = _export(district, "listed")
    assert _rows(path) == []
    from fireledger.hazards import sweep
    from fireledger.hazards.models import ListedSupervision

    sweep.run(today, notify=False)
    listing = ListedSupervision.objects.get(hazard=hazards["hotel"])
    hazard_services.decide_listing(district, listing, listed=True)
    job, path = _export(district, "listed")
    rows = _rows(path)
    assert [r["场所"] for r in rows] == ["七星岗宾馆"]
    assert rows[0]["挂牌日期"].date() == today
    assert rows[0]["临时防范措施"] == "专人值守"


def test_places_go_through_the_same_jobs(users, places):
    job, path = _export(users["street_officer"], "places")
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert ws.max_row - 1 == job.done_rows == 2  # the two places of 解放碑街道


def test_bad_kind_or_filter_saves_nothing(users):
    with pytest.raises(ValidationError):
        services.start_export(users["district_office"], "secrets", "")
    with pytest.raises(ValidationError):
        services.start_export(users["district_office"], "hazards", "status=nonsense")
    assert not ExportJob.objects.exists()


def test_audit_events_say_who_exported_what(users, hazards):
    district = users["district_office"]
    job, _path = _export(district, query="status=open")
    events = list(AuditEvent.objects.filter(object_id=str(job.pk)).order_by("at", "id"))
    assert [e.actor_id for e in events] == [district.pk, district.pk]
    assert "status=open" in events[0].note
    assert events[1].after["rows"] == 3 and events[1].after["query"] == "status=open"


@pytest.mark.parametrize("current", list(JobStatus.values))
@pytest.mark.parametrize("new", list(JobStatus.values))
def test_transition_table(users, current, new):
    job = ExportJob.objects.create(user=users["nobody"], kind="hazards", status=current)
    if new in TRANSITIONS[current]:
        job.transition(new)
        assert ExportJob.objects.get(pk=job.pk).status == new
    else:
        with pytest.raises(InvalidTransition):
            job.transition(new)


def test_a_job_runs_once(users, hazards):
    job = services.start_export(users["district_office"], "hazards")
    services.run_export(job.pk)
    with pytest.raises(InvalidTransition):
        services.run_export(job.pk)


def test_failure_leaves_no_file(users, hazards, monkeypatch, settings):
    job = services.start_export(users["district_office"], "hazards")

    def broken(*args, **kwargs):
        raise RuntimeError("磁盘已满")
    monkeypatch.setattr(registers.StreamingWorkbook, "write_rows", broken)
    with pytest.raises(RuntimeError):
        services.run_export(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "磁盘已满" in job.error
    assert not list((settings.MEDIA_ROOT / "exports").glob("*"))


def test_second_sheet_past_the_row_limit(users, hazards):
    job, path = _export(users["district_office"], max_rows=2)
    wb = openpyxl.load_workbook(path)
    assert len(wb.worksheets) == 3
    assert sum(ws.max_row - 1 for ws in wb.worksheets) == 3


def test_progress_reported_in_steps(users, hazards, monkeypatch):
    monkeypatch.setattr(services, "PROGRESS_EVERY", 1)
    seen = []
    job = services.start_export(users["district_office"], "hazards")
    services.run_export(job.pk, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3), (3, 3)]


def test_sweep_deletes_old_files_only(users, hazards):
    old, old_path = _export(users["district_office"])
    new, new_path = _export(users["district_office"])
    now = timezone.now()
    ExportJob.objects.filter(pk=old.pk).update(
        created_at=now - datetime.timedelta(days=services.keep_days(), seconds=1))
    assert services.sweep_old_files(now) == 1
    assert not old_path.exists() and new_path.exists()
    old.refresh_from_db()
    assert old.file_path == "" and services.job_file(old) is None
    assert services.sweep_old_files(now) == 0  # idempotent
    assert AuditEvent.objects.filter(object_id=str(old.pk), note="sweep: file deleted").count() == 1


def test_cli_writes_the_file_with_progress(users, hazards, tmp_path):
    out = tmp_path / "register.xlsx"
    stdout, stderr = StringIO(), StringIO()
    call_command("export", "hazards", str(out), user="street", filter="overdue=true",
                 stdout=stdout, stderr=stderr)
    assert [r["场所"] for r in _rows(out)] == ["新华路12号院"]
    assert "1 rows" in stdout.getvalue()
    assert ExportJob.objects.get().done_rows == 1


def test_cli_refuses_unknown_user_and_bad_filter(users, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("export", "hazards", str(tmp_path / "x.xlsx"), user="ghost")
    with pytest.raises(CommandError):
        call_command("export", "hazards", str(tmp_path / "x.xlsx"), user="street",
                     filter="overdue=maybe")


def test_inspection_records_go_through_the_same_jobs(users, places):
    from fireledger.inspections.choices import Kind as InspectionKind
    from fireledger.inspections.choices import Status as InspectionStatus
    from fireledger.inspections.models import Inspection

    for place, on in ((places["mall"], "2026-03-01"), (places["compound"], "2026-04-01"),
                      (places["hotel"], "2026-04-02")):
        # Test data as tests/inspections/records_builders.py writes it (submitted records).
        Inspection.objects.create(
            place=place, jurisdiction_code=place.jurisdiction_code,
            department_id=place.department_id, kind=InspectionKind.JOINT,
            status=InspectionStatus.SUBMITTED, inspected_on=datetime.date.fromisoformat(on),
            submitted_at=timezone.now())
    job, path = _export(users["street_officer"], "inspections")
    assert openpyxl.load_workbook(path).worksheets[0].max_row - 1 == job.done_rows == 2
    job, path = _export(users["street_officer"], "inspections", "date_from=2026-04-01")
    assert job.done_rows == 1
    with pytest.raises(ValidationError):
        services.start_export(users["street_officer"], "inspections", "date_from=never")


@pytest.mark.parametrize("prefetch", [True, False])
def test_fetch_reads_every_row_in_order(users, hazards, prefetch):
    register = registers.REGISTERS["hazards"]
    queryset = registers.hazard_queryset(users["district_office"], QueryDict(""),
                                         "hazards")
    sql, params = registers.rows_sql(queryset, register)
    rows = list(registers.fetch(sql, params, chunk=1, prefetch=prefetch))
    assert [r[1] for r in rows] == list(queryset.order_by("jurisdiction_code", "id")
                                        .values_list("place__name", flat=True))


def test_fetch_stops_its_reader_when_the_writer_fails(users, hazards):
    import threading

    register = registers.REGISTERS["hazards"]
    queryset = registers.hazard_queryset(users["district_office"], QueryDict(""),
                                         "hazards")
    sql, params = registers.rows_sql(queryset, register)
    rows = registers.fetch(sql, params, chunk=1)
    next(rows)
    rows.close()  # as when the writer raises: the generator is closed
    assert not [t for t in threading.enumerate() if t.name == "export-prefetch"]


def test_describe_filter_for_each_list(users, places):
    street = users["street_officer"]
    for kind, query in (("places", "category=mall"), ("inspections", "date_from=2026-04-01"),
                        ("hazards", "overdue=false")):
        described = services.describe_filter(
            ExportJob.objects.create(user=street, kind=kind, query=query))
        assert len(described) == 1 and all(described[0])
    assert services.describe_filter(ExportJob(user=street, kind="hazards", query="")) == []


def test_at_most_a_few_unfinished_exports_per_user(users):
    street = users["street_officer"]
    for _ in range(services.MAX_UNFINISHED):
        services.start_export(street, "hazards")
    with pytest.raises(ValidationError):
        services.start_export(street, "hazards")
    services.start_export(users["district_office"], "hazards")  # someone else's are apart
    assert ExportJob.objects.filter(user=street).count() == services.MAX_UNFINISHED


def test_admin_lists_jobs_read_only(users, hazards, client, admin_user):
    job, _path = _export(users["street_officer"])
    client.force_login(admin_user)
    page = client.get("/admin/exports/exportjob/")
    assert page.status_code == 200 and str(job.pk) in page.content.decode()
    assert client.get("/admin/exports/exportjob/add/").status_code == 403


def test_sweep_fails_jobs_that_lost_their_worker(users):
    street = users["street_officer"]
    stuck = [services.start_export(street, "hazards") for _ in range(services.MAX_UNFINISHED)]
    now = timezone.now()
    ExportJob.objects.filter(pk=stuck[0].pk).update(
        status=JobStatus.RUNNING, created_at=now - services.STALE_AFTER)
    services.start_export(street, "hazards")  # the stale one no longer counts
    services.sweep_old_files(now)
    stuck[0].refresh_from_db()
    assert stuck[0].status == JobStatus.FAILED and stuck[0].error
    assert ExportJob.objects.filter(status=JobStatus.QUEUED).count() == services.MAX_UNFINISHED
