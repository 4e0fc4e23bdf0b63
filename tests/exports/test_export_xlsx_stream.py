"""The streaming writer: valid OOXML that openpyxl and calamine read back, values and types kept,
a second sheet past the row limit."""

import datetime
import zipfile
from xml.etree import ElementTree

import openpyxl
import pytest

from fireledger.exports.xlsx_stream import (DATE, NUMBER, Column, StreamingWorkbook,
                                            column_letter, escape, sheet_name)

COLUMNS = (Column("序号", 6, NUMBER), Column("名称", 20), Column("发现日期", 12, DATE),
           Column("金额", 10, NUMBER))
ROWS = [
    (1, "解放碑时代广场 <A&B>", datetime.date(2026, 3, 1), 12.5),
    (2, " 前后空格 ", "2026-04-02", None),
    (3, "控制符\x01被删", None, 0),
    (4, "", datetime.date(1999, 12, 31), -3),
]


def _write(path, rows=ROWS, **options):
    with StreamingWorkbook(path, "问题隐患清单", COLUMNS, **options) as book:
        return book.write_rows(rows)


def test_openpyxl_reads_values_types_and_layout(tmp_path):
    path = tmp_path / "out.xlsx"
    assert _write(path) == 4
    wb = openpyxl.load_workbook(path)
    ws = wb["问题隐患清单"]
    assert [c.value for c in ws[1]] == ["序号", "名称", "发现日期", "金额"]
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["B"].width == 20
    assert ws["B2"].value == "解放碑时代广场 <A&B>"
    assert ws["C2"].value == datetime.datetime(2026, 3, 1)
    assert ws["C2"].number_format == "yyyy-mm-dd"
    assert ws["C3"].value == datetime.datetime(2026, 4, 2)
    assert ws["D2"].value == 12.5
    assert ws["B3"].value == " 前后空格 "
    assert ws["B4"].value == "控制符被删"
    assert ws["C4"].value is None and ws["D4"].value == 0
    assert ws["B5"].value is None and ws["D5"].value == -3
    assert ws.max_row == 5
    assert ws["A1"].font.b


def test_calamine_reads_it(tmp_path):
    from python_calamine import CalamineWorkbook

    path = tmp_path / "out.xlsx"
    _write(path)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("问题隐患清单").to_python()
    assert rows[0] == ["序号", "名称", "发现日期", "金额"]
    assert rows[1][1] == "解放碑时代广场 <A&B>"
    assert rows[1][2] == datetime.date(2026, 3, 1)
    assert len(rows) == 5


def test_package_parts(tmp_path):
    path = tmp_path / "out.xlsx"
    _write(path)
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        assert {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml",
                "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                "xl/worksheets/sheet1.xml"} <= names
        types = z.read("[Content_Types].xml").decode()
        assert 'PartName="/xl/worksheets/sheet1.xml"' in types
        assert "spreadsheetml.styles+xml" in types
        assert 'Target="worksheets/sheet1.xml"' in z.read("xl/_rels/workbook.xml.rels").decode()
        assert 'formatCode="yyyy-mm-dd"' in z.read("xl/styles.xml").decode()
        for name in names:  # every part is well-formed XML
            ElementTree.fromstring(z.read(name))


def test_rows_beyond_the_limit_continue_on_a_new_sheet(tmp_path):
    path = tmp_path / "out.xlsx"
    rows = [(n, f"场所{n}", None, None) for n in range(1, 11)]
    assert _write(path, rows, max_rows=4) == 10  # header + 3 rows a sheet
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["问题隐患清单", "问题隐患清单 (2)", "问题隐患清单 (3)",
                             "问题隐患清单 (4)"]
    values = []
    for ws in wb.worksheets:
        assert ws["A1"].value == "序号"
        values += [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert values == list(range(1, 11))


def test_an_empty_export_keeps_its_header(tmp_path):
    path = tmp_path / "out.xlsx"
    assert _write(path, []) == 0
    ws = openpyxl.load_workbook(path).active
    assert ws.max_row == 1 and ws["A1"].value == "序号"


def test_failure_closes_the_file(tmp_path):
    def rows():
        yield (1, "a", None, None)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        _write(tmp_path / "out.xlsx", rows())


def test_helpers():
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
    assert escape("a<b>&c") == "a&lt;b&gt;&amp;c"
    assert sheet_name("a/b:c" + "x" * 40) == ("a_b_c" + "x" * 40)[:31]
