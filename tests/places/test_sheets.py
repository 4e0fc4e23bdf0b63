"""places.sheets: pure parsing and normalising (no database)."""

import datetime
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from fireledger.places import sheets
from fireledger.places.sheets import ERROR, WARNING, ValueProblem

# --- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected, approx", [
    (1788, Decimal("1788"), False),
    (1788.0, Decimal("1788"), False),
    ("1788", Decimal("1788"), False),
    ("１７８８", Decimal("1788"), False),          # full-width digits
    ("１７８８．５", Decimal("1788.5"), False),
    ("1788㎡", Decimal("1788"), False),
    ("1788 m²", Decimal("1788"), False),
    ("1788平方米", Decimal("1788"), False),
    ("1788平米", Decimal("1788"), False),
    ("１７８８㎡", Decimal("1788"), False),
    ("1,788", Decimal("1788"), False),
    ("12,000.5", Decimal("12000.5"), False),
    ("约1000㎡", Decimal("1000"), True),
    ("大约1000", Decimal("1000"), True),
    ("1000左右", Decimal("1000"), True),
    ("1000余㎡", Decimal("1000"), True),
    ("1000多平方米", Decimal("1000"), True),
    ("≈1000", Decimal("1000"), True),
    ("1.2万", Decimal("12000"), False),
    ("约1.2万平方米", Decimal("12000"), True),
    ("  2500  ", Decimal("2500"), False),
])
def test_area_numbers(raw, expected, approx):
    value, is_approx, _rounded = sheets.parse_number(raw, units=sheets.AREA_UNITS)
    assert value == expected and is_approx == approx


@pytest.mark.parametrize("raw", ["是", "一千", "1000-2000", "abc", "1.2.3", "", "㎡", "--5"])
def test_not_numbers(raw):
    with pytest.raises(ValueProblem) as info:
        sheets.parse_number(raw, units=sheets.AREA_UNITS)
    assert info.value.message == sheets.M_NOT_NUMBER


def test_number_units_belong_to_the_column():
    assert sheets.parse_number("29层", units=sheets.FLOOR_UNITS, integer=True)[0] == 29
    assert sheets.parse_number("24.5米", units=sheets.LENGTH_UNITS)[0] == Decimal("24.5")
    assert sheets.parse_number("24.5m", units=sheets.LENGTH_UNITS)[0] == Decimal("24.5")
    with pytest.raises(ValueProblem):
        sheets.parse_number("29层", units=sheets.AREA_UNITS)


def test_number_limits_and_rounding():
    with pytest.raises(ValueProblem) as info:
        sheets.parse_number("-5", units=())
    assert info.value.message == sheets.M_NEGATIVE
    with pytest.raises(ValueProblem) as info:
        sheets.parse_number(40000, integer=True, max_value=32767)
    assert info.value.message == sheets.M_TOO_LARGE and info.value.params["max"] == "32767"
    with pytest.raises(ValueProblem) as info:
        sheets.parse_number("29.5", integer=True)
    assert info.value.message == sheets.M_NOT_WHOLE
    value, approx, rounded = sheets.parse_number("12.34")
    assert value == Decimal("12.3") and rounded and not approx
    assert sheets.parse_number(0)[0] == 0
    with pytest.raises(ValueProblem):
        sheets.parse_number(True)
    with pytest.raises(ValueProblem) as info:
        sheets.parse_number("200", min_value=-90, max_value=90, decimals=6)
    assert info.value.message == sheets.M_OUT_OF_RANGE


@pytest.mark.parametrize("value", [0, 1, 7, 99, 1000, 1788, 12345.5, 99999999999.9])
@pytest.mark.parametrize("form", [
    lambda v: v, str, lambda v: f"{v}㎡", lambda v: f"约{v}",
    lambda v: sheets.nfkc(str(v)).translate(str.maketrans("0123456789.", "０１２３４５６７８９．")),
])
def test_number_round_trip(value, form):
    """Whatever the spelling, the number read back is the number written."""
    parsed, _approx, _rounded = sheets.parse_number(form(value), units=sheets.AREA_UNITS,
                                                    max_value=sheets.DEC_AREA)
    assert parsed == Decimal(str(value))


@pytest.mark.parametrize("raw, expected", [
    (1998, 1998), ("1998年", 1998), ("１９９８", 1998), (datetime.date(1998, 5, 1), 1998),
    (1998.0, 1998),
])
def test_years(raw, expected):
    assert sheets.parse_year(raw) == expected


@pytest.mark.parametrize("raw", ["98", "3000", "九八年", "1998.5"])
def test_bad_years(raw):
    with pytest.raises(ValueProblem) as info:
        sheets.parse_year(raw)
    assert info.value.message == sheets.M_NOT_YEAR


# --- booleans, phones, codes, text ---------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    ("是", True), ("否", False), ("有", True), ("无", False), ("√", True), ("×", False),
    ("Y", True), ("N", False), ("y", True), ("ｙｅｓ", True), ("no", False), (True, True),
    (False, False), (1, True), (0, False), (1.0, True), ("1", True), ("0", False),
    ("已设置", True), ("未设置", False), (" 是 ", True), ("", None), (None, None), ("　", None),
    ("✓", True), ("✗", False),
])
def test_booleans(raw, expected):
    assert sheets.parse_bool(raw) is expected


@pytest.mark.parametrize("raw", ["是/否", "可能", "2", "部分"])
def test_not_booleans(raw):
    with pytest.raises(ValueProblem) as info:
        sheets.parse_bool(raw)
    assert info.value.message == sheets.M_NOT_BOOL


@pytest.mark.parametrize("raw, expected", [
    ("13800138000", "13800138000"), (13800138000.0, "13800138000"),
    ("１３８００１３８０００", "13800138000"), ("023-63851234", "023-63851234"),
    ("63851234", "63851234"), ("(023)63851234", "(023)63851234"),
    ("13800138000、023-63851234", "13800138000、023-63851234"), ("400-123-4567", "400-123-4567"),
    ("+8613800138000", "+8613800138000"), ("119", "119"),
])
def test_phones(raw, expected):
    assert sheets.parse_phone(raw) == expected


@pytest.mark.parametrize("raw", ["***", "1380013800", "电话", "12345"])
def test_odd_phones_are_warnings_kept_as_written(raw):
    with pytest.raises(ValueProblem) as info:
        sheets.parse_phone(raw)
    assert info.value.level == WARNING and info.value.params["text"] == sheets.nfkc(raw)


@pytest.mark.parametrize("raw, expected", [
    ("500103001000", "500103001000"), (500103001000.0, "500103001000"),
    (500103001000, "500103001000"), ("５００１０３００１０００", "500103001000"),
    ("500103001001002", "500103001001002"), (" 500103 001000 ", "500103001000"),
])
def test_division_codes(raw, expected):
    assert sheets.parse_division_code(raw) == expected


@pytest.mark.parametrize("raw", ["50010300100", "5001030010001", "50010300100a", "渝中区", "5.00103E+11"])
def test_bad_division_codes(raw):
    with pytest.raises(ValueProblem) as info:
        sheets.parse_division_code(raw)
    assert info.value.message == sheets.M_BAD_CODE


def test_text_helpers():
    assert sheets.one_line("解放碑\n时代广场") == "解放碑时代广场"
    assert sheets.one_line("Times\nSquare") == "Times Square"
    assert sheets.long_text("1.……；\r\n2.……；\r\n") == "1.……；\n2.……；"  # verbatim, no NFKC
    assert sheets.cell_text(1788.0) == "1788" and sheets.cell_text(12.5) == "12.5"
    assert sheets.cell_text(None) == "" and sheets.cell_text(True) == "是"
    assert sheets.parse_place_code("Ｐ００１") == "P001"
    assert sheets.parse_place_code(1001.0) == "1001"


@pytest.mark.parametrize("text, expected", [
    ("电话\n（手机）", "电话(手机)"), ("面积\n（平方米）", "面积(m2)"), ("所属\n街道", "所属街道"),
    ("地上建筑面积（㎡）", "地上建筑面积(m2)"), ("场所名称*", "场所名称"), (" 类 别 ", "类别"),
    ("建筑面积（m²）", "建筑面积(m2)"),
])
def test_header_normalising(text, expected):
    assert sheets.normalise_header(text) == expected


def test_render_fills_row_column_value():
    issue = sheets.Issue(7, "面积（平方米）", "约1000㎡", WARNING, sheets.M_APPROX, {"number": "1000"})
    assert sheets.render(issue) == (
        "Row 7 “面积（平方米）”: value “约1000㎡” is approximate; imported as 1000.")
    chinese = {sheets.M_APPROX: "第{row}行「{column}」值「{value}」为约数，按 {number} 导入"}
    assert sheets.render(issue.as_dict(), lambda m: chinese.get(m, m)) == (
        "第7行「面积（平方米）」值「约1000㎡」为约数，按 1000 导入")


# --- files ---------------------------------------------------------------------------------


def _xlsx(path, rows, merges=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


def test_sniff(tmp_path):
    good = _xlsx(tmp_path / "good.xlsx", [["场所名称", "类别"]])
    assert sheets.sniff_file(good) is None
    assert sheets.sniff_file(good, "good.XLSX") is None

    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert sheets.sniff_file(empty) == sheets.M_EMPTY_FILE

    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert sheets.sniff_file(xls) == sheets.M_XLS
    renamed_xls = tmp_path / "old.xlsx"
    renamed_xls.write_bytes(xls.read_bytes())
    assert sheets.sniff_file(renamed_xls) == sheets.M_XLS

    csv = tmp_path / "list.csv"
    csv.write_text("场所名称,类别\n解放碑时代广场,商场市场\n", encoding="utf-8")
    assert sheets.sniff_file(csv) == sheets.M_CSV
    csv_renamed = tmp_path / "list.xlsx"
    csv_renamed.write_bytes("场所名称,类别\n".encode("gb18030"))
    assert sheets.sniff_file(csv_renamed) == sheets.M_CSV

    docx = tmp_path / "report.xlsx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    assert sheets.sniff_file(docx) == sheets.M_DOCX

    other_zip = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("a.txt", "x")
    assert sheets.sniff_file(other_zip) == sheets.M_NOT_XLSX

    truncated = tmp_path / "cut.xlsx"
    truncated.write_bytes(good.read_bytes()[:200])
    assert sheets.sniff_file(truncated) == sheets.M_NOT_XLSX

    wrong_name = tmp_path / "good.txt"
    wrong_name.write_bytes(good.read_bytes())
    assert sheets.sniff_file(wrong_name) == sheets.M_NOT_XLSX_NAME

    binary = tmp_path / "pic.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\0\0")
    assert sheets.sniff_file(binary) == sheets.M_NOT_XLSX_NAME


def test_empty_sheet_and_no_header(tmp_path):
    empty = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(empty)
    with pytest.raises(sheets.FileProblem) as info:
        sheets.read_sheet(empty)
    assert info.value.message == sheets.M_EMPTY_SHEET

    nonsense = _xlsx(tmp_path / "n.xlsx", [["a", "b", "c"], [1, 2, 3]])
    with pytest.raises(sheets.FileProblem) as info:
        sheets.read_sheet(nonsense)
    assert info.value.message == sheets.M_NO_HEADER

    too_low = _xlsx(tmp_path / "low.xlsx", [[f"说明{i}"] for i in range(16)] + [["场所名称", "类别"]])
    with pytest.raises(sheets.FileProblem):
        sheets.read_sheet(too_low)


VOCAB = sheets.default_vocabulary(
    [("商场市场", "mall"), ("mall or market", "mall"), ("宾馆饭店", "hotel")],
    [("shangwu", "shangwu"), ("区商务委", "shangwu"), ("商务", "shangwu")])


def _rows(path):
    sheet = sheets.read_sheet(path)
    return sheet, list(sheets.parse_rows(sheet, VOCAB))


def test_system_layout(tmp_path):
    path = _xlsx(tmp_path / "s.xlsx", [
        ["场所编号", "场所名称", "类别", "所属街道", "建筑面积（㎡）", "重点单位", "责任人电话", "备注", "外部编号"],
        ["P001", "解放碑时代广场", "商场市场", "解放碑街道", "约1000㎡", "是", "13800138000", "一\n二", "x"],
        [None, None, None, None, None, None, None, None, None],
        ["", "七星岗宾馆", "hotel", "七星岗街道", "１７８８", "否", "023-63851234", "", ""],
    ])
    sheet, rows = _rows(path)
    assert sheet.header.layout == sheets.LAYOUT_SYSTEM and sheet.header.row == 1
    assert [r.number for r in rows] == [2, 4]  # the blank row 3 is skipped
    first, second = rows
    assert first.values["category"] == "mall" and first.values["area_total"] == Decimal("1000")
    assert first.values["is_key_unit"] is True and first.values["notes"] == "一\n二"
    assert [(i.row, i.column, i.value, i.level, i.message) for i in first.issues] == [
        (2, "建筑面积（㎡）", "约1000㎡", WARNING, sheets.M_APPROX)]
    assert second.values["category"] == "hotel" and second.values["area_total"] == Decimal("1788")
    assert second.values["code"] is None and not second.issues
    assert [(i.column, i.level) for i in sheets.header_issues(sheet.header)] == [("外部编号", WARNING)]


def test_required_and_unknown_values(tmp_path):
    path = _xlsx(tmp_path / "s.xlsx", [
        ["场所名称", "类别", "所属街道", "建筑用途", "行业主管部门", "地上层数"],
        ["", "商场市场", "解放碑街道", "公共", "商务", "5"],
        ["某场所", "", "解放碑街道", "别墅", "教育局", "五层"],
        ["某场所", "游乐园", "解放碑街道", "", "", "29层"],
    ])
    _sheet, rows = _rows(path)
    assert [(i.column, i.message) for i in rows[0].issues] == [("场所名称", sheets.M_REQUIRED)]
    assert [(i.column, i.message) for i in rows[1].issues] == [
        ("建筑用途", sheets.M_BAD_BUILDING_USE), ("行业主管部门", sheets.M_BAD_DEPARTMENT),
        ("地上层数", sheets.M_NOT_NUMBER), ("类别", sheets.M_REQUIRED)]
    assert [(i.column, i.value, i.message) for i in rows[2].issues] == [
        ("类别", "游乐园", sheets.M_BAD_CATEGORY)]
    assert rows[2].values["floors_above"] == 29


def test_listed_by_column(tmp_path):
    """列管单位: 消防救援大队 or 派出所 (a few other spellings); blank or 无 means neither."""
    path = _xlsx(tmp_path / "s.xlsx", [
        ["场所名称", "类别", "所属街道", "列管单位"],
        ["甲", "商场市场", "解放碑街道", "消防救援大队"],
        ["乙", "宾馆饭店", "解放碑街道", "派出所"],
        ["丙", "宾馆饭店", "解放碑街道", ""],
        ["丁", "宾馆饭店", "解放碑街道", "无"],
        ["戊", "宾馆饭店", "解放碑街道", " 公安派出所 "],
        ["己", "宾馆饭店", "解放碑街道", "police_station"],
        ["庚", "宾馆饭店", "解放碑街道", "街道办"],
    ])
    _sheet, rows = _rows(path)
    assert [r.values.get("listed_by") for r in rows] == [
        "fire_brigade", "police_station", None, None, "police_station", "police_station", None]
    assert [r.issues for r in rows[:-1]] == [[]] * 6
    assert [(i.column, i.value, i.level, i.message) for i in rows[-1].issues] == [
        ("列管单位", "街道办", ERROR, sheets.M_BAD_LISTED_BY)]


def test_listed_by_is_in_the_system_layout_only():
    assert "列管单位" in sheets.SYSTEM_HEADERS
    assert sheets.SYSTEM_HEADERS.index("列管单位") == sheets.SYSTEM_HEADERS.index("重点单位") + 1
    assert "listed_by" not in {c.field for c in sheets.MALL_COLUMNS}  # 附件1.3.2 has no such column
    assert set(sheets.LISTED_BY_LABEL) == {"fire_brigade", "police_station"}


def test_too_long_text(tmp_path):
    path = _xlsx(tmp_path / "s.xlsx", [["场所名称", "类别", "所属街道"], ["名" * 201, "商场市场", "x"]])
    _sheet, rows = _rows(path)
    assert [(i.message, i.params) for i in rows[0].issues] == [(sheets.M_TOO_LONG, {"max": 200})]


def mall_sheet(path, data_rows, *, merged_header=True, total_row=False):
    """附件1.3.2 as the seed lays it out: title, 填表单位 row, header (line breaks, the sprinkler
    column twice, header cells merged over two rows), then data."""
    headers = ["序号", "商市场名称", "地址", "联系人", "电话\n（手机）", "面积\n（平方米）",
               "该市场所在建筑名称", "该市场所在建筑的总层数", "是否设置火灾自动报警系统",
               "是否设置火灾自动喷水灭火系统", "是否设置火灾自动喷水灭火系统", "是否设置室内消火栓系统",
               "是否设置防烟排烟系统", "排查发现的消防安全隐患", "所属\n街道", "备注"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["渝中区商场市场摸底排查情况统计表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.append(["填表单位（公章）：                     填表日期：   年   月   日"])
    ws.append(headers)
    if merged_header:
        ws.append([None] * len(headers))
        for col in range(1, len(headers) + 1):
            ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    for row in data_rows:
        ws.append(row)
    if total_row:
        ws.append(["合计", "", "", "", "", 3000])
    wb.save(path)
    return path


SEED_EXAMPLE = [1, "***", "渝中区***", "***", "***", 1788, "十八梯综合大楼", 29, "是/否", "是/否",
                "是/否", "是/否", "是/否", "1.……；\n2.……；\n3.……。", "***街道", None]


def mall_row(n, name="大融城", **over):
    row = [n, name, "渝中区民族路1号", "张三", "13800138000", "约12000㎡", "大融城大厦", "２９",
           "是", "√", "有", "否", "无", "1.疏散通道堵塞；\n2.消火栓无水；", "解放碑街道", ""]
    for index, value in over.items():
        row[int(index[1:])] = value
    return row


def test_mall_layout(tmp_path):
    path = mall_sheet(tmp_path / "m.xlsx", [mall_row(1), SEED_EXAMPLE,
                                             mall_row(3, "日月光", c10="否")], total_row=True)
    sheet, rows = _rows(path)
    assert sheet.header.layout == sheets.LAYOUT_MALL and sheet.header.row == 3
    assert [r.number for r in rows] == [5, 6, 7, 8]  # row 4 is the merged part of the header
    first, example, third, total = rows
    v = first.values
    assert v["name"] == "大融城" and v["category"] == "mall" and v["department"] == "shangwu"
    assert v["safety_manager"] == "张三" and v["safety_manager_phone"] == "13800138000"
    assert v["area_total"] == Decimal("12000") and v["floors_above"] == 29
    assert (v["has_fire_alarm"], v["has_sprinkler"], v["has_hydrant"], v["has_smoke_control"]) == (
        True, True, False, False)
    assert v["survey_hazards"] == "1.疏散通道堵塞；\n2.消火栓无水；"  # verbatim
    assert v["street_name"] == "解放碑街道" and v["building_name"] == "大融城大厦"
    assert [i.message for i in first.issues] == [sheets.M_APPROX]
    # The seed's "***" example row is an error like any bad row.
    assert [(i.row, i.column, i.value, i.level, i.message) for i in example.issues] == [
        (6, "商市场名称", "***", ERROR, sheets.M_PLACEHOLDER)]
    # The two sprinkler columns disagree: warning, the first one is used.
    assert third.values["has_sprinkler"] is True
    assert [(i.level, i.message, i.params) for i in third.issues if i.message != sheets.M_APPROX] \
        == [(WARNING, sheets.M_COLUMNS_DISAGREE, {"other": "否"})]
    assert total.skipped and total.issues[0].message == sheets.M_TOTAL_ROW


def test_mall_sprinkler_second_column_fills_a_blank_first(tmp_path):
    path = mall_sheet(tmp_path / "m.xlsx", [mall_row(1, c9="", c10="是")], merged_header=False)
    _sheet, rows = _rows(path)
    assert rows[0].values["has_sprinkler"] is True
    assert rows[0].number == 4


def test_two_row_header_with_group_label(tmp_path):
    """A group label merged over sub-labels (是否设置 / 报警, 喷淋…) still maps by the joined text."""
    path = _xlsx(tmp_path / "g.xlsx", [
        ["序号", "商市场名称", "地址", "面积（平方米）", "是否设置", None, "所属街道"],
        [None, None, None, None, "火灾自动报警系统", "室内消火栓系统", None],
        [1, "大融城", "民族路1号", 5000, "是", "否", "解放碑街道"],
    ], merges=["A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:F1", "G1:G2"])
    sheet, rows = _rows(path)
    assert sheet.header.layout == sheets.LAYOUT_MALL and sheet.header.first_data_row == 3
    assert rows[0].values["has_fire_alarm"] is True and rows[0].values["has_hydrant"] is False


def test_header_found_below_offset_start(tmp_path):
    """Rows and columns keep their Excel numbers when the sheet starts at C5."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["C5"], ws["D5"], ws["E5"] = "场所名称", "类别", "所属街道"
    ws["C6"], ws["D6"], ws["E6"] = "甲", "不存在的类别", "解放碑街道"
    wb.save(tmp_path / "o.xlsx")
    sheet, rows = _rows(tmp_path / "o.xlsx")
    assert sheet.header.row == 5 and rows[0].number == 6
    assert rows[0].issues[0].column == "类别"


def test_second_sheet_is_used_when_the_first_has_no_header(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["说明"])
    ws = wb.create_sheet("数据")
    ws.append(["场所名称", "类别", "所属街道"])
    ws.append(["甲", "商场市场", "解放碑街道"])
    wb.save(tmp_path / "two.xlsx")
    sheet, rows = _rows(tmp_path / "two.xlsx")
    assert sheet.header.sheet == "数据" and rows[0].values["name"] == "甲"


def test_layout_tables_are_consistent():
    for layout, columns in sheets.LAYOUTS.items():
        seen = {}
        for spec in columns:
            for text in (spec.header, *spec.aliases):
                key = sheets.normalise_header(text)
                assert seen.setdefault(key, spec.field) == spec.field, (layout, text)
    assert len(set(sheets.SYSTEM_HEADERS)) == len(sheets.SYSTEM_HEADERS)
