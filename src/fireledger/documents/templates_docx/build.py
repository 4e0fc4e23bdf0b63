"""Builds the bundled Word templates (<kind>.docx next to this file) with python-docx.

Run after changing the layout:  PYTHONPATH=src python -m fireledger.documents.templates_docx.build
The output is committed; an issued document names "builtin-1", so a change of what the
templates print must come with a new version name in render.BUILTIN_DOCX.

The templates are docxtpl (Jinja) documents officials may download, edit in Word and upload
again: {{ reference }}, {{ addressee }}, {{ unit }} … and loops over facts, paragraphs and the
table rows ({%tr for r in tables[0].rows %}).
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent


def build(kind: str, path: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    from fireledger.documents.samples import tables

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    core = document.core_properties
    core.author, core.title = "FireLedger", kind
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("{{ title }}")
    run.bold, run.font.size = True, Pt(20)
    ref = document.add_paragraph("{{ reference }}")
    ref.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("{% if addressee %}{{ addressee }}：{% endif %}")
    document.add_paragraph("{%p for p in paragraphs %}")
    document.add_paragraph("{{ p }}").paragraph_format.first_line_indent = Pt(24)
    document.add_paragraph("{%p endfor %}")
    facts = document.add_table(rows=3, cols=2)
    facts.style = "Table Grid"
    facts.cell(0, 0).text = "{%tr for f in facts %}"
    facts.cell(1, 0).text = "{{ f.label }}"
    facts.cell(1, 1).text = "{{ f.value }}"
    facts.cell(2, 0).text = "{%tr endfor %}"
    for i, table in enumerate(tables(kind)):
        heading = document.add_paragraph(f"{{{{ tables[{i}].title }}}}")
        heading.runs[0].bold = True
        columns = table["columns"]
        grid = document.add_table(rows=4, cols=len(columns))
        grid.style = "Table Grid"
        for j, column in enumerate(columns):
            grid.cell(0, j).text = column["label"]
            grid.cell(2, j).text = f"{{{{ r.{column['key']} }}}}"
        grid.cell(1, 0).text = f"{{%tr for r in tables[{i}].rows %}}"
        grid.cell(3, 0).text = "{%tr endfor %}"
    document.add_paragraph("{%p for p in closing %}")
    document.add_paragraph("{{ p }}").paragraph_format.first_line_indent = Pt(24)
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p if signatures %}")
    document.add_paragraph("检查人员签名：{% for s in signatures %}{{ s.name }}（{{ s.how }} {{ s.when }}）"
                           "{% if not loop.last %}；{% endif %}{% endfor %}")
    document.add_paragraph("{%p endif %}")
    for text in ("{{ issuer_name }}（印章）", "{{ issued_on }}"):
        document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("{%p if receipt %}")
    document.add_paragraph("签收人：＿＿＿＿＿＿　　签收日期：＿＿＿＿年＿＿月＿＿日")
    document.add_paragraph("{%p endif %}")
    document.save(path)


def main() -> None:
    from fireledger.documents.choices import Kind

    for kind in Kind.values:
        build(kind, HERE / f"{kind}.docx")
        print(HERE / f"{kind}.docx")


if __name__ == "__main__":
    import django

    django.setup()
    main()
