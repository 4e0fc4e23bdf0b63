"""places.imports: check everything first, then all or nothing; scope, codes, units, the job."""

import itertools

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from fireledger.core.jobs import InvalidTransition
from fireledger.core.models import AuditEvent, Organisation
from fireledger.places import imports, services, sheets
from fireledger.places.models import (
    IMPORT_TRANSITIONS, ImportJob, ImportStatus, Place,
)

HEADER = ["场所编号", "场所名称", "类别", "所属街道", "所属社区", "所属网格", "行政区划代码", "地址",
          "产权单位", "管理单位", "地上建筑面积（㎡）", "建筑面积（㎡）", "建筑高度（米）", "地上层数",
          "重点单位", "列管单位", "火灾自动报警系统", "管理人电话", "排查发现的消防安全隐患"]


def row(**values):
    """A data row for HEADER, by header name; the default is a good mall in 解放碑街道."""
    base = {"场所名称": "解放碑商场", "类别": "商场市场", "所属街道": "解放碑街道", "地址": "民权路1号"}
    base.update(values)
    return [base.get(h) for h in HEADER]


def workbook(path, rows, header=HEADER):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def english(validation):
    with translation.override("en"):
        return validation.messages()


@pytest.fixture
def district(users):
    return users["district_office"]


# --- the good path -------------------------------------------------------------------------


def test_system_template_import(tmp_path, tree, district):
    path = workbook(tmp_path / "ok.xlsx", [
        row(**{"场所编号": "P001", "场所名称": "大融城", "地上建筑面积（㎡）": "１２０００", "建筑高度（米）": "98米",
               "地上层数": "30层", "产权单位": "重庆大融城置业有限公司", "管理单位": "重庆大融城置业有限公司",
               "重点单位": "是", "列管单位": "消防救援大队", "火灾自动报警系统": "√",
               "管理人电话": "13800138000",
               "排查发现的消防安全隐患": "1.疏散通道堵塞；\n2.消火栓无水；"}),
        row(**{"场所名称": "新华路12号院", "类别": "old_compound", "所属街道": None,
               "行政区划代码": tree["community12"].code, "建筑面积（㎡）": "约800㎡"}),
        row(**{"场所名称": "网格小店", "类别": "九小场所", "所属社区": "解放1社区", "所属网格": "第2网格",
               "管理单位": "某物业公司", "列管单位": "派出所"}),
    ])
    events_before = AuditEvent.objects.count()
    validation = imports.check(district, path)
    assert validation.ok and validation.layout == sheets.LAYOUT_SYSTEM
    assert validation.counts() == {"ok": 2, "warning": 1, "error": 0, "skipped": 0, "total": 3,
                                   "file_errors": 0}
    assert english(validation) == [
        "Row 3 “建筑面积（㎡）”: value “约800㎡” is approximate; imported as 800."]
    assert validation.new_units == 2
    assert Place.objects.count() == 0  # the check writes nothing

    assert imports.commit(district, validation) == 3
    mall = Place.objects.get(code="P001")
    assert mall.area_above == 12000 and mall.height_m == 98 and mall.floors_above == 30
    assert mall.is_key_unit and mall.has_fire_alarm and mall.has_sprinkler is None
    assert mall.listed_by == "fire_brigade"
    assert mall.is_high_rise and mall.is_mall_in_focus and mall.jurisdiction == tree["street1"]
    assert mall.department.code == "shangwu"  # the category's default department
    assert mall.owner == mall.manager and mall.owner.name == "重庆大融城置业有限公司"
    assert mall.survey_hazards == "1.疏散通道堵塞；\n2.消火栓无水；"
    assert mall.safety_manager_phone == "13800138000"
    compound = Place.objects.get(name="新华路12号院")
    assert compound.jurisdiction == tree["community12"] and compound.area_total == 800
    assert compound.code.startswith("P500103001") and compound.department.code == "zhujian"
    assert compound.listed_by == ""  # blank: neither
    shop = Place.objects.get(name="网格小店")
    assert shop.jurisdiction == tree["grid112"] and shop.jurisdiction_code == tree["grid112"].code
    assert shop.listed_by == "police_station"
    # One audit event per place and per new unit, all with the import note.
    events = AuditEvent.objects.filter(note="Excel 导入：ok.xlsx")
    assert events.filter(object_type="places.place").count() == 3
    assert events.filter(object_type="core.organisation").count() == 2
    assert AuditEvent.objects.count() == events_before + 5


def test_existing_units_are_reused(tmp_path, tree, district, unit):
    path = workbook(tmp_path / "u.xlsx", [row(**{"管理单位": unit.name})])
    validation = imports.check(district, path)
    assert validation.new_units == 0
    imports.commit(district, validation)
    assert Place.objects.get().manager == unit
    assert Organisation.objects.filter(name=unit.name).count() == 1


def test_grid_worker_names_resolve_through_ancestors(tmp_path, tree, users):
    grid_worker = users["grid_worker"]  # scope: 解放碑街道 / 解放1社区 / 第1网格 only
    path = workbook(tmp_path / "g.xlsx", [
        row(**{"所属社区": "解放1社区", "所属网格": "第1网格"}),
        row(**{"场所名称": "街道级"}),                                  # the street itself: not theirs
        row(**{"场所名称": "别的网格", "所属社区": "解放1社区", "所属网格": "第2网格"}),
    ])
    validation = imports.check(grid_worker, path)
    assert english(validation) == [
        "Row 3 “所属街道”: value “解放碑街道” is outside the jurisdictions where you may record places.",
        "Row 4 “所属网格”: value “第2网格” is outside the jurisdictions where you may record places.",
    ]
    assert [o[2] for o in validation.outcomes] == ["ok", "error", "error"]


def test_mall_survey_sheet(tmp_path, tree, users):
    from test_sheets import SEED_EXAMPLE, mall_row, mall_sheet  # the seed's layout

    street = users["street_officer"]
    path = mall_sheet(tmp_path / "附件1.3.2.xlsx", [
        mall_row(1, "大融城"),
        mall_row(2, "小商场", c5="800", c10="是", c9="是"),
        mall_row(3, "地下商场", c5="1,788平方米", c14="解放碑街道"),
    ], total_row=True)
    validation = imports.check(street, path)
    assert validation.ok and validation.layout == sheets.LAYOUT_MALL
    assert validation.counts()["skipped"] == 1
    imports.commit(street, validation)
    big = Place.objects.get(name="大融城")
    assert big.category == "mall" and big.department.code == "shangwu"
    assert big.area_total == 12000 and big.is_mall_in_focus and big.floors_above == 29
    assert big.safety_manager == "张三" and big.building_name == "大融城大厦"
    assert big.jurisdiction == tree["street1"]
    assert big.listed_by == ""  # 附件1.3.2 has no 列管单位 column
    assert not Place.objects.get(name="小商场").is_mall_in_focus
    assert Place.objects.get(name="地下商场").area_total == 1788

    # The seed as issued, with its "***" example rows: errors naming the row, nothing saved.
    seed = mall_sheet(tmp_path / "seed.xlsx", [SEED_EXAMPLE, [2, *SEED_EXAMPLE[1:]]])
    validation = imports.check(street, seed)
    assert not validation.ok
    with translation.override("en"):
        assert validation.messages()[0] == (
            "Row 5 “商市场名称”: value “***” is a placeholder from the example row; delete the row or "
            "fill in the real data.")


# --- bad input: each is an error naming row, column and value; nothing is saved -------------


@pytest.mark.parametrize("values, message", [
    ({"所属街道": "解放碑街"},
     "Row 2 “所属街道”: value “解放碑街” is not a street of your jurisdiction (did you mean "
     "“解放碑街道”?)."),
    ({"所属街道": "朝天门街道"}, "Row 2 “所属街道”: value “朝天门街道” is not a street of your jurisdiction."),
    ({"所属街道": "七星岗街道"},
     "Row 2 “所属街道”: value “七星岗街道” is not a street of your jurisdiction."),
    ({"所属街道": None, "行政区划代码": "500104001000"},
     "Row 2 “行政区划代码”: no jurisdiction has the code “500104001000”."),
    ({"所属街道": None, "行政区划代码": "500103002000"},
     "Row 2 “行政区划代码”: value “500103002000” is outside the jurisdictions where you may "
     "record places."),
    ({"所属街道": None, "行政区划代码": "50010300100"},
     "Row 2 “行政区划代码”: value “50010300100” is not a 12- or 15-digit division code."),
    ({"所属街道": "解放碑街道", "行政区划代码": "500103001002", "所属社区": "解放1社区"},
     "Row 2 “所属社区”: value “解放1社区” does not match the division code 500103001002 (解放2社区)."),
    ({"所属街道": None}, "Row 2: the jurisdiction is missing; fill in “所属街道” or “行政区划代码”."),
    ({"场所名称": None}, "Row 2 “场所名称”: this field is required."),
    ({"类别": "游乐场"}, "Row 2 “类别”: value “游乐场” is not a place category."),
    ({"类别": None}, "Row 2 “类别”: this field is required."),
    ({"地上层数": "五层"}, "Row 2 “地上层数”: value “五层” is not a number."),
    ({"重点单位": "是/否"}, "Row 2 “重点单位”: value “是/否” is not yes or no (write 是 or 否)."),
    ({"列管单位": "街道"},
     "Row 2 “列管单位”: value “街道” is not 消防救援大队 or 派出所 (leave it blank for neither)."),
    ({"所属社区": "解放9社区"}, "Row 2 “所属社区”: value “解放9社区” is not in 解放碑街道."),
    ({"所属街道": None, "所属网格": "第1网格"},
     "Row 2 “所属网格”: grid “第1网格” needs its community (“所属社区”): grid names repeat."),
])
def test_bad_rows(tmp_path, users, values, message):
    path = workbook(tmp_path / "bad.xlsx", [row(**values)])
    validation = imports.check(users["street_officer"], path)
    assert not validation.ok
    assert english(validation) == [message]
    assert validation.outcomes == [[2, values.get("场所名称", "解放碑商场") or "", "error"]]
    with pytest.raises(imports.ImportRefused):
        imports.commit(users["street_officer"], validation)
    assert Place.objects.count() == 0


def test_duplicate_codes_in_file_and_ledger(tmp_path, tree, district, places):
    existing = places["mall"].code
    path = workbook(tmp_path / "dup.xlsx", [
        row(**{"场所编号": "P001", "场所名称": "甲"}), row(**{"场所编号": "P002", "场所名称": "乙"}),
        row(**{"场所编号": "Ｐ００１", "场所名称": "丙"}), row(**{"场所编号": existing, "场所名称": "丁"}),
    ])
    validation = imports.check(district, path)
    assert english(validation) == [
        "Row 4 “场所编号”: value “Ｐ００１” is a duplicate of row 2.",
        f"Row 5 “场所编号”: value “{existing}” is already used by a place in the ledger.",
    ]


def test_same_name_and_address_is_a_warning(tmp_path, district):
    path = workbook(tmp_path / "same.xlsx", [row(), row()])
    validation = imports.check(district, path)
    assert validation.ok
    assert english(validation) == ["Row 3: same name and address as row 2."]


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b""), "The file is empty."),
    (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),
     sheets.M_XLS),
    (lambda p: p.write_text("场所名称,类别\n", encoding="utf-8"), sheets.M_CSV),
    (lambda p: openpyxl.Workbook().save(p), sheets.M_EMPTY_SHEET),
    (lambda p: workbook(p, [[1, 2]], header=["甲", "乙"]), sheets.M_NO_HEADER.format(rows=15)),
    (lambda p: workbook(p, [], header=HEADER), sheets.M_NO_DATA),
    (lambda p: workbook(p, [["甲", "商场市场"]], header=["场所名称", "类别"]),
     sheets.M_NO_JURISDICTION_COLUMN),
])
def test_bad_files(tmp_path, district, make, message):
    path = tmp_path / "f.xlsx"
    make(path)
    validation = imports.check(district, path)
    assert not validation.ok
    assert english(validation) == [message]


def test_docx_renamed_xlsx(tmp_path, district):
    import zipfile

    path = tmp_path / "报告.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    assert english(imports.check(district, path)) == [sheets.M_DOCX]


def test_one_bad_row_among_a_hundred_saves_nothing(tmp_path, district):
    rows = [row(**{"场所名称": f"场所{i}", "场所编号": f"P{i:03d}"}) for i in range(100)]
    rows.insert(57, row(**{"场所名称": "坏行", "所属街道": "解放碑街"}))
    path = workbook(tmp_path / "101.xlsx", rows)
    with pytest.raises(imports.ImportRefused) as info:
        imports.import_file(district, path)
    assert info.value.validation.counts()["error"] == 1
    assert info.value.validation.counts()["ok"] == 100
    assert Place.objects.count() == 0 and Organisation.objects.count() == 1  # the fixture's unit
    with pytest.raises(imports.ImportRefused):
        imports.commit(district, info.value.validation)
    assert Place.objects.count() == 0


def test_failure_during_commit_rolls_everything_back(tmp_path, district, monkeypatch):
    rows = [row(**{"场所名称": f"场所{i}", "管理单位": f"单位{i}"}) for i in range(30)]
    path = workbook(tmp_path / "30.xlsx", rows)
    validation = imports.check(district, path)
    assert validation.ok
    monkeypatch.setattr(imports, "WRITE_CHUNK", 10)
    real = services.bulk_create_places
    calls = itertools.count()

    def failing(*args, **kwargs):
        result = real(*args, **kwargs)
        if next(calls) == 1:  # the second chunk was written, then the disk "fails"
            raise RuntimeError("disk full")
        return result

    monkeypatch.setattr(services, "bulk_create_places", failing)
    units_before, events_before = Organisation.objects.count(), AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        imports.commit(district, validation)
    assert Place.objects.count() == 0
    assert Organisation.objects.count() == units_before
    assert AuditEvent.objects.count() == events_before


def test_generated_codes_never_collide(tmp_path, district, monkeypatch):
    """services.new_code is random; collisions within the file and with the ledger are redrawn."""
    draws = iter(["PDUP", "PDUP", "PTAKEN", "PA", "PB", "PC"])
    monkeypatch.setattr(services, "new_code", lambda code: next(draws))
    path = workbook(tmp_path / "c.xlsx", [row(**{"场所名称": f"场所{i}"}) for i in range(3)])
    validation = imports.check(district, path)
    Place.objects.create(name="占位", category="mall", jurisdiction=validation.ready[0][imports.READY_INDEX["jurisdiction"]],
                         jurisdiction_code="500103001000", code="PTAKEN")
    imports.commit(district, validation)
    assert set(Place.objects.exclude(code="PTAKEN").values_list("code", flat=True)) == {
        "PDUP", "PA", "PB"}


def test_every_role_only_within_create_scope(tmp_path, users, tree):
    path = workbook(tmp_path / "r.xlsx", [row()])
    outcomes = {role: imports.check(user, path).ok for role, user in users.items()}
    assert outcomes == {"district_office": True, "street_officer": True, "grid_worker": False,
                        "department_officer": False, "unit_manager": False, "nobody": False}


# --- the command ---------------------------------------------------------------------------


def test_command(tmp_path, district, capsys):
    good = workbook(tmp_path / "good.xlsx", [row(**{"建筑面积（㎡）": "约1000㎡"})])
    call_command("import_places", str(good), "--user", district.username, "--dry-run",
                 "--no-progress")
    assert Place.objects.count() == 0
    call_command("import_places", str(good), "--user", district.username)
    assert Place.objects.count() == 1
    out = capsys.readouterr().out
    assert "1 place(s) imported" in out and "约1000㎡" in out

    bad = workbook(tmp_path / "bad.xlsx", [row(**{"所属街道": "解放碑街"})])
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_places", str(bad), "--user", district.username, "--no-progress")
    assert "解放碑街" in capsys.readouterr().out
    assert Place.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("import_places", str(good), "--user", "nobody-here")


# --- the job's state machine and runner ----------------------------------------------------

STATUSES = list(ImportStatus)


@pytest.mark.parametrize("current", STATUSES)
@pytest.mark.parametrize("new", STATUSES)
def test_transition_table(current, new, users):
    job = ImportJob.objects.create(user=users["district_office"], file_path="imports/x.xlsx",
                                   original_name="x.xlsx", status=current)
    allowed = new in IMPORT_TRANSITIONS[current]
    assert ImportJob.allowed(current, new) is allowed
    if allowed:
        job.transition(new)
        assert ImportJob.objects.get(pk=job.pk).status == new
    else:
        with pytest.raises(InvalidTransition):
            job.transition(new)
        assert ImportJob.objects.get(pk=job.pk).status == current


def test_transition_table_shape():
    assert set(IMPORT_TRANSITIONS) == set(ImportStatus)
    terminal = {s for s, targets in IMPORT_TRANSITIONS.items() if not targets}
    assert terminal == {ImportStatus.COMMITTED, ImportStatus.FAILED}
    # every status is reachable from "uploaded"
    seen, todo = set(), [ImportStatus.UPLOADED]
    while todo:
        s = todo.pop()
        seen.add(s)
        todo += [t for t in IMPORT_TRANSITIONS[s] if t not in seen]
    assert seen == set(ImportStatus)


def test_a_stale_transition_is_refused(users):
    job = ImportJob.objects.create(user=users["district_office"], file_path="imports/x.xlsx",
                                   original_name="x.xlsx", status=ImportStatus.VALIDATED)
    other = ImportJob.objects.get(pk=job.pk)
    job.transition(ImportStatus.COMMITTING)
    with pytest.raises(InvalidTransition):  # a second click: its copy still says "validated"
        other.transition(ImportStatus.COMMITTING)


def _job(user, path, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with open(path, "rb") as fh:
        return imports.create_job(user, fh, path.name)


def test_job_runs_check_then_commit(tmp_path, district, settings):
    path = workbook(tmp_path / "job.xlsx", [row(**{"场所名称": f"场所{i}"}) for i in range(5)])
    job = _job(district, path, settings, tmp_path)
    assert (tmp_path / "media" / job.file_path).exists() and job.file_path.startswith("imports/")
    imports.start(imports.run_validation_job, job, run_inline=True)
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED and job.total_rows == 5
    assert job.report["counts"]["ok"] == 5 and job.layout == "system"
    job.transition(ImportStatus.COMMITTING)
    imports.start(imports.run_commit_job, job, run_inline=True)
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTED and job.report["created"] == 5
    assert job.finished_at and Place.objects.count() == 5


def test_job_commit_checks_again(tmp_path, district, settings):
    """A code taken between the dry run and the commit stops the commit; nothing is written."""
    path = workbook(tmp_path / "job.xlsx", [row(**{"场所编号": "P9"}), row(**{"场所名称": "乙"})])
    job = _job(district, path, settings, tmp_path)
    imports.run_validation_job(job.pk)
    services.create_place(district, name="抢先", category="mall", code="P9",
                          jurisdiction=imports.JurisdictionIndex(district).by_name[
                              ("street", "解放碑街道")][0])
    job.refresh_from_db()
    job.transition(ImportStatus.COMMITTING)
    job = imports.run_commit_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.error == imports.M_CHANGED_SINCE_CHECK
    assert job.report["counts"]["error"] == 1
    assert Place.objects.count() == 1


def test_job_commit_failure_is_recorded(tmp_path, district, settings, monkeypatch):
    path = workbook(tmp_path / "job.xlsx", [row()])
    job = _job(district, path, settings, tmp_path)
    imports.run_validation_job(job.pk)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "bulk_create_places", broken)
    ImportJob.objects.get(pk=job.pk).transition(ImportStatus.COMMITTING)
    job = imports.run_commit_job(job.pk)
    assert job.status == ImportStatus.FAILED and job.error == imports.M_UNEXPECTED
    assert Place.objects.count() == 0 and Organisation.objects.count() == 1  # the fixture unit


# --- the web flow (run inline: deterministic; the browser test drives the thread) -----------


@pytest.fixture
def inline(settings, tmp_path):
    settings.FIRELEDGER_IMPORT_INLINE = True
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


def _upload(client, path, name=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with open(path, "rb") as fh:
        data = fh.read()
    # In English, whatever the catalogue holds (the locale middleware reads the language
    # cookie, not translation.override).
    client.cookies["django_language"] = "en"
    return client.post(reverse("places:import_upload"),
                       {"file": SimpleUploadedFile(name or path.name, data)})


@pytest.mark.parametrize("role, status", [
    ("district_office", 200), ("street_officer", 200), ("grid_worker", 200),
    ("department_officer", 403), ("unit_manager", 403), ("nobody", 403),
])
def test_upload_page_permission(role, status, users, login):
    assert login(users[role]).get(reverse("places:import_upload")).status_code == status


def test_upload_check_commit(tmp_path, users, login, inline):
    client = login(users["street_officer"])
    path = workbook(tmp_path / "商场.xlsx", [
        row(**{"场所名称": f"商场{i}", "建筑面积（㎡）": "约1000㎡" if i == 3 else 2000})
        for i in range(10)])
    response = _upload(client, path)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("places:import_report", args=[job.pk])
    assert job.status == ImportStatus.VALIDATED and job.original_name == "商场.xlsx"

    page = client.get(response["Location"]).content.decode()
    assert "约1000㎡" in page and 'data-count="warning">1<' in page and 'data-count="ok">9<' in page
    assert "disabled" not in page.split('id="import-commit"')[1].split("</form>")[0]
    assert Place.objects.count() == 0

    response = client.post(reverse("places:import_commit", args=[job.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("places:list") + "?category=mall"
    assert Place.objects.count() == 10
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTED and job.report["created"] == 10
    listing = client.get(response["Location"]).content.decode()
    assert "商场.xlsx" in listing  # the success message
    # A second click does nothing.
    client.post(reverse("places:import_commit", args=[job.pk]))
    assert Place.objects.count() == 10


def test_report_lists_errors_and_refuses_commit(tmp_path, users, login, inline):
    client = login(users["street_officer"])
    rows = [row(**{"场所名称": f"场所{i}"}) for i in range(100)]
    rows[6] = row(**{"场所名称": "坏行", "所属街道": "解放碑街"})
    path = workbook(tmp_path / "bad.xlsx", rows)
    response = _upload(client, path)
    job = ImportJob.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert 'data-count="error">1<' in page and "解放碑街" in page and "所属街道" in page
    assert ">8<" in page  # the row number as Excel shows it
    commit_form = page.split('id="import-commit"')[1].split("</form>")[0]
    assert "disabled" in commit_form
    all_rows = client.get(response["Location"], {"show": "all", "page": 2}).content.decode()
    assert "场所99" in all_rows
    response = client.post(reverse("places:import_commit", args=[job.pk]))
    assert response.status_code == 302 and Place.objects.count() == 0
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED


@pytest.mark.parametrize("name, content, message", [
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, sheets.M_XLS),
    ("list.csv", "场所名称,类别\n甲,商场市场\n".encode(), sheets.M_CSV),
    ("list.xlsx", "场所名称,类别\n甲,商场市场\n".encode("gb18030"), sheets.M_CSV),
    ("empty.xlsx", b"", sheets.M_EMPTY_FILE),
    ("notes.docx", None, sheets.M_DOCX),
    ("notes.xlsx", None, sheets.M_DOCX),
])
def test_upload_refuses_wrong_files(tmp_path, users, login, inline, name, content, message):
    import zipfile

    path = tmp_path / name
    if content is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("word/document.xml", "<w:document/>")
    else:
        path.write_bytes(content)
    response = _upload(login(users["street_officer"]), path)
    assert response.status_code == 200
    assert message.replace("“", "&ldquo;") in response.content.decode().replace("“", "&ldquo;")
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("make, message", [
    (lambda p: openpyxl.Workbook().save(p), sheets.M_EMPTY_SHEET),
    (lambda p: workbook(p, [[1]], header=["甲"]), "No header row found"),
])
def test_upload_refuses_empty_or_headerless_sheets(tmp_path, users, login, inline, make, message):
    path = tmp_path / "s.xlsx"
    make(path)
    response = _upload(login(users["street_officer"]), path)
    assert response.status_code == 200 and message in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not list((tmp_path / "media" / "imports").iterdir())


def test_upload_size_limit(tmp_path, users, login, inline):
    inline.FIRELEDGER_IMPORT_MAX_BYTES = 1024
    path = workbook(tmp_path / "big.xlsx", [row(**{"备注": "很长" * 2000})])
    response = _upload(login(users["street_officer"]), path)
    assert response.status_code == 200 and "larger than" in response.content.decode()


def test_jobs_are_private(tmp_path, users, login, inline):
    path = workbook(tmp_path / "a.xlsx", [row()])
    _upload(login(users["street_officer"]), path)
    job = ImportJob.objects.get()
    other = login(users["district_office"])
    for name in ("places:import_report", "places:import_progress"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404
    assert other.post(reverse("places:import_commit", args=[job.pk])).status_code == 404
    assert Place.objects.count() == 0


def test_progress_fragment(users, login):
    client = login(users["street_officer"])
    job = ImportJob.objects.create(user=users["street_officer"], file_path="imports/x.xlsx",
                                   original_name="x.xlsx", status=ImportStatus.VALIDATING,
                                   done_rows=2000, total_rows=8000)
    url = reverse("places:import_progress", args=[job.pk])
    page = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert f'hx-get="{url}"' in page and 'hx-trigger="every 1s"' in page
    assert 'aria-valuenow="25"' in page and "2000" in page and "8000" in page
    report = client.get(reverse("places:import_report", args=[job.pk])).content.decode()
    assert f'hx-get="{url}"' in report  # the report page polls while the job runs

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.VALIDATED)
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("places:import_report", args=[job.pk])
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.COMMITTED,
                                               report={"created": 3, "categories": ["mall"]})
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("places:list") + "?category=mall"
    assert client.get(url).status_code == 302


def test_threaded_validation_updates_the_job(tmp_path, users, settings, transactional_db):
    """The thread path (with its own connection) as the browser uses it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    path = workbook(tmp_path / "t.xlsx", [row(**{"场所名称": f"场所{i}"}) for i in range(50)])
    with open(path, "rb") as fh:
        job = imports.create_job(users["street_officer"], fh, "t.xlsx")
    thread = imports.start(imports.run_validation_job, job, run_inline=False)
    thread.join(30)
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED and job.report["counts"]["ok"] == 50
