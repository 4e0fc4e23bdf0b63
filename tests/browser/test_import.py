"""Excel import in a real browser: the seed-003 mall survey sheet (附件1.3.2), uploaded by a street
officer, checked (dry run, nothing saved), committed, then found in the ledger; and a file with
one bad row, which shows a Chinese error naming the row and column and saves nothing."""

import re

import openpyxl
import pytest

from fireledger.places.models import Place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# 附件1.3.2 渝中区商场市场摸底排查情况统计表, header as issued (seed 003): line breaks inside cells
# and the sprinkler column twice.
TITLE = "渝中区商场市场摸底排查情况统计表"
FILLED_BY = "填表单位（公章）：解放碑街道办事处                         填表日期：2023年5月26日"
HEADERS = [
    "序号", "商市场名称", "地址", "联系人", "电话\n（手机）", "面积\n（平方米）", "该市场所在建筑名称",
    "该市场所在建筑的总层数", "是否设置火灾自动报警系统", "是否设置火灾自动喷水灭火系统",
    "是否设置火灾自动喷水灭火系统", "是否设置室内消火栓系统", "是否设置防烟排烟系统",
    "排查发现的消防安全隐患", "所属\n街道", "备注",
]
# name, address, contact, phone, area m², building, floors, alarm, sprinkler, hydrant, smoke,
# hazards found, street
MALLS = [
    ("十八梯好吃街商场", "渝中区十八梯步行街18号", "李明", "13983000001", 1788, "十八梯综合大楼", 29,
     "是", "是", "是", "是", "1.部分疏散指示标志损坏；\n2.消防控制室值班人员未持证上岗。", "解放碑街道"),
    ("解放西路农贸市场", "渝中区解放西路121号", "张华", "13983000002", 1050, "解放西路121号住宅楼", 12,
     "否", "否", "是", "否", "1.电气线路私拉乱接；\n2.灭火器过期。", "解放碑街道"),
    ("新华路小商品市场", "渝中区新华路88号", "王芳", "13983000003", 650, "新华路88号综合楼", 6,
     "是", "否", "是", "否", "无", "解放碑街道"),
    ("较场口服装批发市场", "渝中区较场口88号", "陈刚", "13983000004", 3200, "较场口日月光中心", 32,
     "是", "是", "是", "是", "1.商铺占用疏散通道。", "解放碑街道"),
    ("民族路数码广场", "渝中区民族路166号", "刘洋", "13983000005", 980, "民族路166号大厦", 18,
     "是", "是", "是", "否", "", "解放碑街道"),
]
IN_FOCUS = {"十八梯好吃街商场", "解放西路农贸市场", "较场口服装批发市场"}  # ≥ 1000 m²
FIRST_DATA_ROW = 4  # title, 填表单位, header, then data


def mall_sheet(path, malls):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "附件1.3.2"
    ws.append([TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.append([FILLED_BY])
    ws.append(HEADERS)
    for n, (name, address, contact, phone, area, building, floors, alarm, sprinkler, hydrant,
            smoke, hazards, street) in enumerate(malls, start=1):
        ws.append([n, name, address, contact, phone, area, building, floors, alarm, sprinkler,
                   sprinkler, hydrant, smoke, hazards, street, None])
    wb.save(path)
    return path


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files land in the test's own directory, not var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


def listed_names(page) -> set[str]:
    return {n.strip() for n in page.locator("table.table-places td.place-name a").all_inner_texts()}


def upload(page, path):
    """From the ledger, open the import page, choose the file, upload; wait for the report."""
    page.goto("/places/")
    page.click("a[href$='/places/import/']")
    page.wait_for_url("**/places/import/")
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.click("form[enctype='multipart/form-data'] button[type=submit]")
    # Small files are checked before the page is shown; otherwise the page polls until done.
    page.wait_for_url(re.compile(r"/places/import/[0-9a-f-]{36}/"), timeout=30_000)
    page.locator("[data-count=total]").wait_for(timeout=30_000)


def count(page, key: str) -> int:
    return int(page.inner_text(f"[data-count={key}]").strip())


def test_mall_survey_sheet_dry_run_then_commit(page, log_in, users, tmp_path, screenshots_dir):
    path = mall_sheet(tmp_path / "附件1.3.2渝中区商场市场摸底排查情况统计表.xlsx", MALLS)
    log_in(page, users["street_officer"])
    upload(page, path)

    # The dry run: every row checked, no errors, nothing saved yet.
    assert count(page, "total") == len(MALLS) and count(page, "error") == 0
    assert Place.objects.count() == 0
    commit_button = page.locator("#import-commit button[type=submit]")
    assert commit_button.is_enabled()
    page.click("a.nav-link[href='?show=all']")
    page.wait_for_url("**?show=all")
    rows_text = page.inner_text("table.import-rows")
    for mall in MALLS:
        assert mall[0] in rows_text
    page.screenshot(path=str(screenshots_dir / "import-report-ok.png"), full_page=True)

    # Commit: the places are saved and the ledger shows them.
    with page.expect_navigation():
        page.locator("#import-commit button[type=submit]").click()
    page.wait_for_url(re.compile(r"/places/(\?[^/]*)?$"), timeout=30_000)
    assert Place.objects.count() == len(MALLS)
    assert str(len(MALLS)) in page.inner_text(".alert-success")
    assert listed_names(page) == {m[0] for m in MALLS}

    # Flag filter in the UI: the malls of 1000 m² or more are "malls in focus".
    page.click("#place-filters details summary")
    page.select_option("#id_is_mall_in_focus", "true")
    with page.expect_navigation():
        page.click("#place-filters button[type=submit]")
    assert listed_names(page) == IN_FOCUS

    # The 1788 m² mall in 十八梯综合大楼: flagged, with the reason, and the sheet's values kept.
    with page.expect_navigation():
        page.click("table.table-places a:text-is('十八梯好吃街商场')")
    focus = page.locator("#derived-flags > li").nth(2)  # models.DERIVED_FLAGS order
    assert "bg-green-lt" in focus.locator(".badge").get_attribute("class")
    assert "1788" in focus.inner_text() and "1000" in focus.inner_text()
    info = page.inner_text("#tab-info")
    for value in ("十八梯综合大楼", "渝中区十八梯步行街18号", "李明", "13983000001",
                  "消防控制室值班人员未持证上岗", "区商务委"):
        assert value in info, value
    place = Place.objects.get(name="十八梯好吃街商场")
    assert place.category == "mall" and place.floors_above == 29 and place.area_total == 1788
    assert place.jurisdiction == users["street_officer"].assignments.get().jurisdiction
    assert place.has_fire_alarm and place.has_sprinkler and place.is_mall_in_focus


def test_one_bad_row_is_named_by_row_and_column_and_nothing_is_saved(page, log_in, users, tmp_path,
                                                            screenshots_dir):
    bad = list(MALLS)
    bad[1] = (*bad[1][:-1], "朝天门街道")  # a real street of 渝中区, but not this officer's
    bad_row = FIRST_DATA_ROW + 1
    log_in(page, users["street_officer"])
    upload(page, mall_sheet(tmp_path / "附件1.3.2（有误）.xlsx", bad))

    assert count(page, "total") == len(MALLS) and count(page, "error") == 1
    assert page.locator("#import-commit button[type=submit]").is_disabled()
    assert page.locator(".alert-danger").count() >= 1

    errors = page.locator("table.import-rows tr.table-danger")
    assert errors.count() == 1
    cells = [c.strip() for c in errors.first.locator("td").all_inner_texts()]
    row, name, _outcome, column, value, reason = cells
    assert row == str(bad_row) and name == "解放西路农贸市场"
    assert re.sub(r"\s", "", column) == "所属街道"
    assert value == "朝天门街道"
    # The reason names the row, the column and the value.
    flat = re.sub(r"\s", "", reason)
    assert str(bad_row) in flat and "所属街道" in flat and "朝天门街道" in flat, reason
    page.screenshot(path=str(screenshots_dir / "import-report-error.png"), full_page=True)

    assert Place.objects.count() == 0
    page.goto("/places/")
    assert listed_names(page) == set()


def test_the_import_report_is_in_chinese(page, log_in, users, tmp_path):
    bad = list(MALLS)
    bad[1] = (*bad[1][:-1], "朝天门街道")
    log_in(page, users["street_officer"])
    upload(page, mall_sheet(tmp_path / "附件1.3.2（有误）.xlsx", bad))
    reason = page.locator("table.import-rows tr.table-danger td").last.inner_text()
    rest = re.sub(r"\s", "", reason).replace("所属街道", "").replace("朝天门街道", "")
    assert re.search(r"[\u4e00-\u9fff]", rest), f"reason is not in Chinese: {reason!r}"
    assert "5" in rest and "行" in rest, reason  # 第5行
    alert = page.inner_text(".alert-danger")
    assert re.search(r"[\u4e00-\u9fff]", alert), f"alert is not in Chinese: {alert!r}"


def test_a_file_that_is_not_excel_is_refused_on_the_form(page, log_in, users, tmp_path):
    fake = tmp_path / "商场名单.xlsx"
    fake.write_text("序号,商市场名称\n1,十八梯好吃街商场\n", encoding="utf-8")
    log_in(page, users["street_officer"])
    page.goto("/places/import/")
    page.set_input_files("#id_file", str(fake))
    with page.expect_navigation():
        page.click("form[enctype='multipart/form-data'] button[type=submit]")
    assert page.url.endswith("/places/import/")
    assert page.locator(".invalid-feedback").count() >= 1
    assert Place.objects.count() == 0


def test_unit_manager_may_not_import(page, log_in, users):
    log_in(page, users["unit_manager"])
    assert page.locator("a[href$='/places/import/']").count() == 0
    response = page.goto("/places/import/")
    assert response.status == 403
