"""The street summary table (附件1.5.2 of seed 003): rows per place, the .xlsx download, and the
import (dry run, row/column/value errors, all-or-nothing commit); scope and rights."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fireledger.hazards import lifecycle, services, table_import
from fireledger.hazards.models import Hazard, HazardCategory
from fireledger.hazards.tables import street_rows
from fireledger.places import services as place_services
from fireledger.places.choices import Category
from fireledger.places.models import ImportJob, ImportStatus
from fireledger.places.sheets import render

pytestmark = pytest.mark.django_db

TITLE = "渝中区老旧小区消防安全专项整治排查情况汇总表"
TOP = ["序号", "所属街道", "名称", "地址", "存在隐患", None, None, None, "剩余隐患整改期限",
       "整改责任人", "联系电话", "备注"]
SUB = [None, None, None, None, "排查隐患数量", "具体问题", "已整改数量", "已整改具体问题", None,
       None, None, None]
FIRST_DATA_ROW = 4


def seed_sheet(rows) -> bytes:
    """附件1.5.2 as issued: title, the two header rows with their merges, then `rows` (lists of
    所属街道, 名称, 地址, 排查隐患数量, 具体问题, 已整改数量, 已整改具体问题, 期限, 责任人, 电话)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([TITLE])
    ws.merge_cells("A1:L1")
    ws.append(TOP)
    ws.append(SUB)
    ws.merge_cells("E2:H2")
    for col in "ABCDIJKL":
        ws.merge_cells(f"{col}2:{col}3")
    for n, row in enumerate(rows, start=1):
        ws.append([n, *row, None])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _inline_imports(settings):
    settings.FIRELEDGER_IMPORT_INLINE = True


@pytest.fixture
def street(tree):
    return tree["street1"]


@pytest.fixture
def logged(users, places, log, today):
    """The mall: three hazards, one closed; the compound: one open; the hotel (street 2): one."""
    officer = users["street_officer"]
    mall, compound = places["mall"], places["compound"]
    log(officer, mall, description="安全出口锁闭", deadline=today + datetime.timedelta(days=30),
        responsible_person="李明", responsible_phone="13800000001")
    log(officer, mall, description="疏散楼梯间堆放杂物", deadline=today + datetime.timedelta(days=9),
        responsible_person="王芳", responsible_phone="13800000002")
    log(officer, mall, description="灭火器过期", fixed_on_spot=True, responsible_person="赵六")
    log(officer, compound, description="电动车楼道充电", deadline=today + datetime.timedelta(days=3))
    log(users["district_office"], places["hotel"], description="厨房油烟管道未清洗")


# ------------------------------------------------------------------------------------------
# Rows
# ------------------------------------------------------------------------------------------


def test_street_rows_one_per_place_with_hazards(users, places, logged, street, today):
    rows = list(street_rows(Hazard.objects.visible_to(users["district_office"]), street))
    assert [r.name for r in rows] == sorted(["解放碑时代广场", "新华路12号院"])
    mall = next(r for r in rows if r.name == "解放碑时代广场")
    assert mall.street == "解放碑街道" and mall.address == "渝中区民权路1号"
    assert mall.problems == ["安全出口锁闭", "疏散楼梯间堆放杂物", "灭火器过期"]
    assert mall.found_count == 3
    assert mall.rectified == ["灭火器过期"] and mall.rectified_count == 1
    assert mall.deadline == today + datetime.timedelta(days=30)  # the latest open deadline
    assert (mall.person, mall.phone) == ("王芳", "13800000002")  # the latest open hazard's
    compound = next(r for r in rows if r.name == "新华路12号院")
    assert compound.rectified == [] and compound.deadline == today + datetime.timedelta(days=3)
    assert compound.person == ""  # nobody named anywhere: the place's own (blank) person


def test_street_rows_follow_the_users_scope(users, places, logged, street):
    # The 商务 officer sees the mall's hazards only (the compound is 住建's).
    rows = list(street_rows(Hazard.objects.visible_to(users["department_officer"]), street))
    assert [r.name for r in rows] == ["解放碑时代广场"]


def test_street_rows_person_falls_back_to_the_place(users, places, log, street):
    place_services.change_place(users["district_office"], places["compound"],
                                responsible_person="陈刚", responsible_phone="13900000000")
    log(users["street_officer"], places["compound"], description="堆物", fixed_on_spot=True)
    row = next(iter(street_rows(Hazard.objects.all(), street)))
    assert (row.person, row.phone) == ("陈刚", "13900000000")


# ------------------------------------------------------------------------------------------
# Page and download
# ------------------------------------------------------------------------------------------


def _workbook(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_street_table_page_offers_download_and_import(login, users, logged, street):
    client = login(users["street_officer"])
    html = client.get(reverse("hazards:street_table")).content.decode()
    assert "解放碑街道" in html and "七星岗街道" not in html
    assert "解放碑时代广场" in html
    assert f"{reverse('hazards:street_table_export')}?street={street.pk}" in html
    assert f"{reverse('hazards:street_import')}?street={street.pk}" in html
    # A unit manager may look, not import.
    client = login(users["unit_manager"])
    html = client.get(reverse("hazards:street_table")).content.decode()
    assert reverse("hazards:street_import") not in html


def test_download_holds_the_seed_layout_and_the_values(login, users, logged, street, today):
    client = login(users["street_officer"])
    response = client.get(reverse("hazards:street_table_export"), {"street": street.pk})
    assert response.status_code == 200
    ws = _workbook(response).active
    assert ws["A1"].value == "解放碑街道消防安全隐患排查情况汇总表"
    assert [c.value for c in ws[2]][:5] == ["序号", "所属街道", "名称", "地址", "存在隐患"]
    assert [c.value for c in ws[3]][4:8] == ["排查隐患数量", "具体问题", "已整改数量", "已整改具体问题"]
    assert [c.value for c in ws[2]][8:11] == ["剩余隐患整改期限", "整改责任人", "联系电话"]
    assert "E2:H2" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.freeze_panes == "A4"
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert len(rows) == 2
    mall = next(r for r in rows if r[2] == "解放碑时代广场")
    assert mall[1] == "解放碑街道" and mall[3] == "渝中区民权路1号"
    assert mall[4] == 3 and mall[5] == "1.安全出口锁闭\n2.疏散楼梯间堆放杂物\n3.灭火器过期"
    assert mall[6] == 1 and mall[7] == "1.灭火器过期"
    assert mall[8].date() == today + datetime.timedelta(days=30)
    assert mall[9:11] == ["王芳", "13800000002"]


def test_download_is_streamed_in_constant_memory(monkeypatch, login, users, logged, street):
    import xlsxwriter

    options = []
    real = xlsxwriter.Workbook

    def spy(target, opts=None):
        options.append(opts or {})
        return real(target, opts)

    monkeypatch.setattr(xlsxwriter, "Workbook", spy)
    login(users["street_officer"]).get(reverse("hazards:street_table_export"),
                                       {"street": street.pk})
    assert options and options[0].get("constant_memory") is True


@pytest.mark.parametrize("name", ["hazards:street_table", "hazards:street_table_export"])
def test_a_street_outside_the_scope_is_404(login, users, tree, name):
    client = login(users["street_officer"])
    assert client.get(reverse(name), {"street": tree["street2"].pk}).status_code == 404
    assert client.get(reverse(name), {"street": 999999}).status_code == 404
    # A community is no street.
    assert client.get(reverse(name), {"street": tree["community11"].pk}).status_code == 404


def test_a_grid_worker_sees_no_street(login, users):
    response = login(users["grid_worker"]).get(reverse("hazards:street_table"))
    assert response.status_code == 200 and "street-export" not in response.content.decode()


# ------------------------------------------------------------------------------------------
# Import: the check
# ------------------------------------------------------------------------------------------


def _check(user, street, content, tmp_path, *, found_on=None, rectified_on=None):
    from django.utils import timezone

    path = tmp_path / "附件1.5.2.xlsx"
    path.write_bytes(content)
    today = timezone.localdate()
    return table_import.check(user, path, street, found_on=found_on or today,
                              rectified_on=rectified_on or today)


def _messages(result):
    return [render(i) for i in result.issues]


def _good_rows(today):
    deadline = today + datetime.timedelta(days=60)
    return [
        ["解放碑街道", "解放碑时代广场", "渝中区民权路1号", 3,
         "1.消防车通道被占用；\n2.防火门闭门器损坏；\n3.应急照明不亮", 1, "1.应急照明不亮",
         deadline, "李明", "13800000001"],
        ["解放碑街道", "新华路12号院", "渝中区新华路12号", 2, "1、电动车楼道充电；2、楼道堆放杂物", 2,
         "1、电动车楼道充电；2、楼道堆放杂物", None, "王芳", "13800000002"],
    ]


def test_check_reads_the_seed_layout_and_writes_nothing(users, places, street, tmp_path, today):
    result = _check(users["street_officer"], street, seed_sheet(_good_rows(today)), tmp_path)
    assert result.ok, _messages(result)
    assert result.header_row == 3
    mall, compound = result.ready
    assert mall.place == places["mall"] and mall.row == FIRST_DATA_ROW
    assert mall.open == ["消防车通道被占用", "防火门闭门器损坏"] and mall.closed == ["应急照明不亮"]
    assert mall.deadline == today + datetime.timedelta(days=60)
    assert (mall.person, mall.phone) == ("李明", "13800000001")
    assert compound.open == [] and compound.closed == ["电动车楼道充电", "楼道堆放杂物"]
    assert compound.deadline is None  # nothing left open: no deadline needed
    assert result.counts()["open"] == 2 and result.counts()["closed"] == 3
    assert not Hazard.objects.exists()


def test_check_reads_a_one_row_header_and_the_seed_deadline_text(users, places, street, tmp_path,
                                                                today):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["名称", "地址", "排查隐患数量", "具体问题", "已整改数量", "已整改具体问题",
               "剩余隐患整改期限", "整改责任人", "联系电话"])
    year_end = datetime.date(today.year, 12, 31)
    ws.append(["新华路12号院", "", 1, "楼道堆放杂物", 0, "", f"{year_end.month}月{year_end.day}日前",
               "王芳", "13800000002"])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = _check(users["street_officer"], street, buffer.getvalue(), tmp_path)
    assert result.ok, _messages(result)
    assert result.ready[0].open == ["楼道堆放杂物"] and result.ready[0].deadline == year_end


@pytest.mark.parametrize("change, column, value, words", [
    # An unknown place is named by its row.
    ({1: "解放碑不存在大厦"}, "名称", "解放碑不存在大厦", ["no place named"]),
    # 排查隐患数量 must number the items of 具体问题.
    ({3: 4}, "排查隐患数量", "4", ["does not match the 3 items", "具体问题"]),
    ({5: 2}, "已整改数量", "2", ["does not match the 1 items", "已整改具体问题"]),
    ({3: "三"}, "排查隐患数量", "三", ["not a number"]),
    # A rectified item that is not among the problems.
    ({6: "1.电梯故障"}, "已整改具体问题", "电梯故障", ["not among the problems"]),
    # Deadline: past, missing, unreadable.
    ({7: datetime.date(2020, 1, 1)}, "剩余隐患整改期限", "2020-01-01", ["passed"]),
    ({7: None}, "剩余隐患整改期限", "", ["2 hazards remain", "deadline is required"]),
    ({7: "尽快"}, "剩余隐患整改期限", "尽快", ["not a date"]),
    # Another street than the one chosen.
    ({0: "七星岗街道"}, "所属街道", "七星岗街道", ["not 解放碑街道"]),
])
def test_a_bad_row_is_named_by_row_column_and_value(users, places, street, tmp_path, today,
                                                    change, column, value, words):
    rows = _good_rows(today)
    rows[0] = [change.get(i, v) for i, v in enumerate(rows[0])]
    result = _check(users["street_officer"], street, seed_sheet(rows), tmp_path)
    assert not result.ok
    errors = [i for i in result.issues if i.level == "error"]
    assert len(errors) == 1, _messages(result)
    issue = errors[0]
    assert (issue.row, issue.column, issue.value) == (FIRST_DATA_ROW, column, value)
    text = render(issue)
    assert f"Row {FIRST_DATA_ROW}" in text and column in text and value in text
    for word in words:
        assert word in text, text
    assert [r["level"] for r in result.rows] == ["error", "ok"]
    assert len(result.ready) == 1  # the good row is ready, but nothing is written with errors


def test_the_messages_are_chinese_in_chinese(users, places, street, tmp_path, today):
    """Rendered through gettext in zh-hans: the Chinese text once the catalogue has it; the
    row, the column header and the value in any case."""
    from django.utils import translation
    from django.utils.translation import gettext

    rows = _good_rows(today)
    rows[0][1] = "解放碑不存在大厦"
    result = _check(users["street_officer"], street, seed_sheet(rows), tmp_path)
    with translation.override("zh-hans"):
        text = render(result.issues[0], gettext)
    assert str(FIRST_DATA_ROW) in text and "名称" in text and "解放碑不存在大厦" in text


def test_places_of_the_same_name_need_the_address(users, places, street, tree, tmp_path, today,
                                                  admin_user):
    place_services.create_place(admin_user, name="解放碑时代广场", category=Category.MALL,
                                jurisdiction=tree["grid112"], address="渝中区民权路99号")
    rows = _good_rows(today)[:1]
    rows[0][2] = ""
    result = _check(users["street_officer"], street, seed_sheet(rows), tmp_path)
    assert ["several places" in m for m in _messages(result)] == [True]
    rows[0][2] = "渝中区民权路 1 号"  # spaces do not matter
    result = _check(users["street_officer"], street, seed_sheet(rows), tmp_path)
    assert result.ok and result.ready[0].place == places["mall"]


def test_a_place_the_user_may_not_change_is_an_error(users, places, street, tmp_path, today):
    # The 商务 officer may change the mall (商务), not the compound (住建): the compound is
    # outside what they may see in the ledger, so it is an unknown place for them.
    result = _check(users["department_officer"], street, seed_sheet(_good_rows(today)), tmp_path)
    assert [r["level"] for r in result.rows] == ["ok", "error"]
    assert "新华路12号院" in _messages(result)[0]
    # The unit manager sees its mall but may not record hazards there (the pages refuse it
    # the import anyway).
    result = _check(users["unit_manager"], street, seed_sheet(_good_rows(today)[:1]), tmp_path)
    assert ["may not record hazards at “解放碑时代广场”" in m for m in _messages(result)] == [True]


def test_the_same_place_twice_is_an_error(users, places, street, tmp_path, today):
    rows = _good_rows(today)
    rows = [rows[0], rows[0]]
    result = _check(users["street_officer"], street, seed_sheet(rows), tmp_path)
    assert ["same place as row 4" in m for m in _messages(result)] == [True]


def test_total_and_blank_rows_are_skipped(users, places, street, tmp_path, today):
    rows = [*_good_rows(today), [None] * 10, ["合计", None, None, 5, None, 3, None, None, None, None]]
    result = _check(users["street_officer"], street, seed_sheet(rows), tmp_path)
    assert result.ok and [r["level"] for r in result.rows] == ["ok", "ok", "skipped"]


def test_a_file_without_the_header_is_refused(users, street, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["场所名称", "类别"])
    wb.active.append(["解放碑时代广场", "商场市场"])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = _check(users["street_officer"], street, buffer.getvalue(), tmp_path)
    assert not result.ok and result.issues[0].row is None
    assert "No header row" in render(result.issues[0])


# ------------------------------------------------------------------------------------------
# Import: the commit
# ------------------------------------------------------------------------------------------


def test_commit_logs_the_right_hazards(users, places, street, tmp_path, today):
    found_on = today - datetime.timedelta(days=10)
    rectified_on = today - datetime.timedelta(days=2)
    officer = users["street_officer"]
    result = _check(officer, street, seed_sheet(_good_rows(today)), tmp_path,
                    found_on=found_on, rectified_on=rectified_on)
    assert table_import.commit(officer, result) == 5
    other = HazardCategory.objects.get(code="other")
    mall = Hazard.objects.filter(place=places["mall"]).order_by("id")
    assert [(h.description, h.status) for h in mall] == [
        ("消防车通道被占用", lifecycle.PENDING), ("防火门闭门器损坏", lifecycle.PENDING),
        ("应急照明不亮", lifecycle.CLOSED)]
    for hazard in Hazard.objects.all():
        assert hazard.category == other and hazard.source == "inspection"
        assert hazard.found_on == found_on and hazard.found_by == officer
    opened = mall[0]
    assert opened.deadline == today + datetime.timedelta(days=60)
    assert (opened.responsible_person, opened.responsible_phone) == ("李明", "13800000001")
    assert mall[2].closed_on == rectified_on
    compound = Hazard.objects.filter(place=places["compound"])
    assert {h.status for h in compound} == {lifecycle.CLOSED} and compound.count() == 2


def test_importing_the_same_table_again_adds_nothing(users, places, street, tmp_path, today):
    officer = users["street_officer"]
    table_import.commit(officer, _check(officer, street, seed_sheet(_good_rows(today)), tmp_path))
    again = _check(officer, street, seed_sheet(_good_rows(today)), tmp_path)
    assert again.ok and again.counts()["open"] == again.counts()["closed"] == 0
    assert [r["level"] for r in again.rows] == ["warning", "warning"]
    assert _messages(again) == [
        "Row 4 “具体问题”: 3 problems already on this place's hazard list were skipped "
        "(“消防车通道被占用；防火门闭门器损坏；应急照明不亮”).",
        "Row 5 “具体问题”: 2 problems already on this place's hazard list were skipped "
        "(“电动车楼道充电；楼道堆放杂物”)."]


def test_the_download_imports_again_as_it_is(login, users, places, logged, street, tmp_path):
    """The export's layout is the import's: re-importing it finds every place and adds nothing."""
    client = login(users["street_officer"])
    response = client.get(reverse("hazards:street_table_export"), {"street": street.pk})
    result = _check(users["street_officer"], street, b"".join(response.streaming_content),
                    tmp_path)
    assert result.ok, _messages(result)
    assert result.counts()["total"] == 2 and result.counts()["open"] == 0


def test_commit_is_all_or_nothing(monkeypatch, users, places, street, tmp_path, today):
    officer = users["street_officer"]
    result = _check(officer, street, seed_sheet(_good_rows(today)), tmp_path)
    real = services.log_hazard
    calls = []

    def fail_on_the_fourth(actor, place, **data):
        calls.append(data["description"])
        if len(calls) == 4:
            raise ValidationError({"deadline": "refused"})
        return real(actor, place, **data)

    monkeypatch.setattr(services, "log_hazard", fail_on_the_fourth)
    with pytest.raises(table_import.RowFailed) as failed:
        table_import.commit(officer, result)
    assert failed.value.issue.row == FIRST_DATA_ROW + 1
    assert len(calls) == 4 and not Hazard.objects.exists()


# ------------------------------------------------------------------------------------------
# Import: the pages
# ------------------------------------------------------------------------------------------


def _upload(client, street, content, **extra):
    data = {"street": street.pk, "file": SimpleUploadedFile("附件1.5.2.xlsx", content),
            "found_on": extra.get("found_on", datetime.date.today().isoformat()),
            "rectified_on": extra.get("rectified_on", datetime.date.today().isoformat())}
    return client.post(f"{reverse('hazards:street_import')}?street={street.pk}", data)


def test_upload_dry_run_then_commit(login, users, places, street, today):
    client = login(users["street_officer"])
    assert client.get(reverse("hazards:street_import"), {"street": street.pk}).status_code == 200
    response = _upload(client, street, seed_sheet(_good_rows(today)))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("hazards:street_import_report", args=[job.pk])
    assert job.status == ImportStatus.VALIDATED and job.layout == table_import.LAYOUT
    assert not Hazard.objects.exists()  # the dry run writes nothing
    html = client.get(response["Location"], {"show": "all"}).content.decode()
    for text in ("消防车通道被占用", "防火门闭门器损坏", "应急照明不亮", "电动车楼道充电"):
        assert text in html
    assert 'data-count="open">2<' in html and 'data-count="closed">3<' in html
    response = client.post(reverse("hazards:street_import_commit", args=[job.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('hazards:street_table')}?street={street.pk}"
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTED and job.report["created"] == 5
    assert Hazard.objects.count() == 5
    # A second commit of the same job is refused.
    client.post(reverse("hazards:street_import_commit", args=[job.pk]))
    assert Hazard.objects.count() == 5


def test_upload_with_a_bad_row_cannot_be_committed(login, users, places, street, today):
    client = login(users["street_officer"])
    rows = _good_rows(today)
    rows[1][3] = 5
    response = _upload(client, street, seed_sheet(rows))
    job = ImportJob.objects.get()
    html = client.get(response["Location"]).content.decode()
    assert "第5行" in html and "排查隐患数量" in html and "table-danger" in html
    assert "disabled" in html
    client.post(reverse("hazards:street_import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED and not Hazard.objects.exists()


def test_commit_rechecks_and_writes_nothing_when_the_ledger_changed(login, users, places, street,
                                                                   today, admin_user):
    client = login(users["street_officer"])
    response = _upload(client, street, seed_sheet(_good_rows(today)))
    job = ImportJob.objects.get()
    # Meanwhile the compound is renamed in the ledger: its row names no place now.
    place_services.change_place(admin_user, places["compound"], name="新华路12号小区")
    client.post(reverse("hazards:street_import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and not Hazard.objects.exists()
    assert response.status_code == 302
    html = client.get(reverse("hazards:street_import_report", args=[job.pk])).content.decode()
    assert "alert-danger" in html and "新华路12号院" in html


def test_the_form_checks_the_dates(login, users, places, street, today):
    client = login(users["street_officer"])
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    response = _upload(client, street, seed_sheet(_good_rows(today)), rectified_on=tomorrow)
    assert response.status_code == 200 and not ImportJob.objects.exists()
    response = _upload(client, street, seed_sheet(_good_rows(today)),
                       found_on=today.isoformat(),
                       rectified_on=(today - datetime.timedelta(days=1)).isoformat())
    assert response.status_code == 200 and not ImportJob.objects.exists()


def test_a_file_that_is_not_the_table_is_refused_on_the_form(login, users, street):
    client = login(users["street_officer"])
    response = _upload(client, street, b"not a workbook")
    assert response.status_code == 200 and not ImportJob.objects.exists()
    assert "invalid-feedback" in response.content.decode()


def test_import_needs_the_right_to_change_places_in_the_street(login, users, tree):
    url = reverse("hazards:street_import")
    # View only: 403.
    client = login(users["unit_manager"])
    assert client.get(url).status_code == 403
    assert client.get(url, {"street": tree["street1"].pk}).status_code == 403
    # A grid worker may change places, but in a grid, not a whole street.
    assert login(users["grid_worker"]).get(url).status_code == 403
    # Another street than one's own: 404 (outside the scope).
    client = login(users["street_officer"])
    assert client.get(url, {"street": tree["street2"].pk}).status_code == 404
    # Posting another street than one's own is refused by the form.
    response = client.post(url, {"street": tree["street2"].pk, "file": SimpleUploadedFile(
        "a.xlsx", seed_sheet([])), "found_on": "2020-01-01", "rectified_on": "2020-01-01"})
    assert response.status_code == 200 and not ImportJob.objects.exists()


def test_a_job_is_its_owners_only(login, users, places, street, today):
    client = login(users["street_officer"])
    _upload(client, street, seed_sheet(_good_rows(today)))
    job = ImportJob.objects.get()
    other = login(users["district_office"])
    for name in ("hazards:street_import_report", "hazards:street_import_progress"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404
    assert other.post(reverse("hazards:street_import_commit", args=[job.pk])).status_code == 404
    # A place import's job is not a street-table job.
    job.layout = "system"
    job.save()
    assert client.get(reverse("hazards:street_import_report", args=[job.pk])).status_code == 404
