"""Write the bundled Word template of bulletins (templates_docx/bulletin.docx) with python-docx.

Run after changing it:  python -m fireledger.reports.make_bulletin_template
The file is committed; officials download it from the template page, edit the wording, fonts
and letterhead in Word, and upload it back. The tags are docxtpl's (Jinja): {{ title }},
{{ number }}, {{ period }}, {{ intro }}, rows of the tables between {%tr for r in areas %} and
{%tr endfor %} (also departments, listed; {{ area_label }} is 街道 or 社区), paragraphs between {%p for s in laggards %} and
{%p endfor %}, {{ requirements }}, {{ issuer }} and {{ date }}. A row r has rank, name, found,
closed, rate, overdue, places, inspected, coverage and laggard; {{ total.… }} is the district.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

OUT = Path(__file__).resolve().parent / "templates_docx" / "bulletin.docx"

BODY_FONT = "仿宋_GB2312"  # the official-document body face; Word falls back when missing
TITLE_FONT = "方正小标宋简体"
HEAD_FONT = "黑体"

RANK_COLUMNS = [("排名", "rank"), ("{label}", "name"), ("本期发现隐患", "found"),
                ("已整改销号", "closed"), ("整改率", "rate"), ("逾期未改", "overdue"),
                ("台账场所", "places"), ("已检查场所", "inspected"), ("检查覆盖率", "coverage")]
LISTED_COLUMNS = [("序号", "number"), ("场所", "place"), ("街道", "street"),
                  ("行业部门", "department"), ("隐患", "description"),
                  ("挂牌日期", "listed_on"), ("整改期限", "deadline")]


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _para(doc, text: str, *, font=BODY_FONT, size=16, bold=False, align=None, indent=False):
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    paragraph.paragraph_format.space_after = Pt(4)
    _font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _cell(cell, text: str, *, bold=False) -> None:
    cell.text = ""
    _font(cell.paragraphs[0].add_run(text), BODY_FONT, 10.5, bold)
    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _loop_table(doc, columns, loop: str, total: bool = False, label: str = ""):
    """Header row, the {%tr for %} row, the row of tags, the {%tr endfor %} row (and a total)."""
    table = doc.add_table(rows=4 + total, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, (head, key) in enumerate(columns):
        _cell(table.rows[0].cells[i], head.format(label=label), bold=True)
        _cell(table.rows[2].cells[i], f"{{{{ r.{key} }}}}")
    _cell(table.rows[1].cells[0], f"{{%tr for r in {loop} %}}")
    _cell(table.rows[3].cells[0], "{%tr endfor %}")
    if total:
        row = table.rows[4].cells
        _cell(row[0], "")
        _cell(row[1], "合计", bold=True)
        for i, (_head, key) in enumerate(columns[2:], start=2):
            _cell(row[i], f"{{{{ total.{key} }}}}", bold=True)
    return table


def build(path: Path = OUT) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    _para(doc, "{{ title }}", font=TITLE_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "（{{ number }}）", size=16, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "通报期间：{{ period }}", size=14, align=WD_ALIGN_PARAGRAPH.CENTER)

    _para(doc, "一、总体情况", font=HEAD_FONT)
    _para(doc, "{{ intro }}", indent=True)

    _para(doc, "二、排名情况", font=HEAD_FONT)
    _para(doc, "（一）各{{ area_label }}排名", font=BODY_FONT, bold=True)
    _loop_table(doc, RANK_COLUMNS, "areas", total=True, label="{{ area_label }}")
    _para(doc, "（二）各行业部门排名", font=BODY_FONT, bold=True)
    _loop_table(doc, RANK_COLUMNS, "departments", label="行业部门")
    _para(doc, "整改率＝本期发现隐患中已整改销号数÷本期发现隐患数；逾期未改为截至通报期末超过整改期限"
               "仍未整改的隐患；检查覆盖率＝本期有检查记录（不含单位自查）的场所÷台账场所。",
          size=10.5)

    _para(doc, "三、点名通报", font=HEAD_FONT)
    _para(doc, "{%p for s in laggards %}")
    _para(doc, "{{ s }}", indent=True)
    _para(doc, "{%p endfor %}")

    _para(doc, "四、挂牌督办重大火灾隐患", font=HEAD_FONT)
    _para(doc, "{%p if listed %}")
    _loop_table(doc, LISTED_COLUMNS, "listed")
    _para(doc, "{%p else %}")
    _para(doc, "截至通报期末，无挂牌督办的重大火灾隐患。", indent=True)
    _para(doc, "{%p endif %}")

    _para(doc, "{%p if requirements %}")
    _para(doc, "五、工作要求", font=HEAD_FONT)
    _para(doc, "{{ requirements }}", indent=True)
    _para(doc, "{%p endif %}")

    _para(doc, "")
    _para(doc, "{{ issuer }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, "{{ date }}", align=WD_ALIGN_PARAGRAPH.RIGHT)

    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


if __name__ == "__main__":
    print(build())
