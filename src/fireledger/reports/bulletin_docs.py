"""A bulletin as a document: its wording, the Word file (docxtpl, from the district's uploaded
template or the bundled default) and the PDF (HTML through WeasyPrint), with the same content.

The wording is the document's own Chinese text (data, like the template), written once when the
bulletin is issued and frozen with its figures, so a later download is the same document.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "templates_docx" / "bulletin.docx"
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def cn_date(value) -> str:
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return f"{value.year}年{value.month}月{value.day}日"


def show_percent(value) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _figures_phrase(row: dict) -> str:
    return (f"{row['name']}（整改率{show_percent(row['rate'])}，逾期未改{row['overdue']}处，"
            f"检查覆盖率{show_percent(row['coverage'])}）")


def wording(figures: dict, issuer_name: str) -> dict:
    """Title, introduction and the laggard sentences, in the words of a 消安委办 bulletin."""
    period = figures["period"]
    total = figures["total"]
    start, end = cn_date(period["start"]), cn_date(period["end"])
    area = figures["area_label"]
    intro = (f"为推动消防安全隐患排查整治工作落实，现将{start}至{end}{issuer_name}各{area}、各行业部门"
             f"隐患整改情况通报如下：本期共排查发现隐患{total['found']}处，已整改销号"
             f"{total['closed']}处，整改率{show_percent(total['rate'])}；截至{end}，逾期未整改隐患"
             f"{total['overdue']}处；本期检查覆盖场所{total['inspected']}家，占台账场所"
             f"{total['places']}家的{show_percent(total['coverage'])}；挂牌督办重大火灾隐患"
             f"{len(figures['listed'])}处。")
    by_code = {r["code"]: r for r in figures["areas"] + figures["departments"]}
    laggards = []
    for kind, label in (("areas", area), ("departments", "行业部门")):
        codes = figures["laggards"][kind]
        if codes:
            names = "；".join(_figures_phrase(by_code[c]) for c in codes)
            laggards.append(f"整改工作排名靠后的{label}：{names}。请上述单位认真分析原因，"
                            f"制定措施，加快整改进度。")
    if not laggards:
        laggards.append(f"本期无排名靠后需点名通报的{area}和行业部门。")
    return {"title": f"{issuer_name}消防安全隐患整治工作情况通报", "intro": intro,
            "laggards": laggards}


def _table_rows(rows: list[dict]) -> list[dict]:
    return [{"rank": r["rank"], "name": r["name"], "found": r["found"], "closed": r["closed"],
             "rate": show_percent(r["rate"]), "overdue": r["overdue"], "places": r["places"],
             "inspected": r["inspected"], "coverage": show_percent(r["coverage"]),
             "laggard": "是" if r.get("laggard") else ""} for r in rows]


def context(bulletin) -> dict:
    """What both templates print: strings and lists of plain dicts, nothing that queries."""
    figures = bulletin.figures
    text = figures["text"]
    return {
        "title": text["title"],
        "number": bulletin.reference,
        "period": f"{cn_date(bulletin.period_start)}至{cn_date(bulletin.period_end)}",
        "intro": text["intro"],
        "area_label": figures["area_label"],
        "areas": _table_rows(figures["areas"]),
        "departments": _table_rows(figures["departments"]),
        "total": _table_rows([{**figures["total"], "rank": ""}])[0],
        "laggards": text["laggards"],
        "listed": [{**x, "number": i, "listed_on": cn_date(x["listed_on"]),
                    "deadline": cn_date(x["deadline"]) if x["deadline"] else ""}
                   for i, x in enumerate(figures["listed"], start=1)],
        "requirements": text.get("requirements", ""),
        "issuer": figures["issuer_office"],
        "date": cn_date(bulletin.issued_at.date()),
    }


def sample_context() -> dict:
    """A context with every key and one row in each list, to try an uploaded template on."""
    row = {"rank": 1, "name": "示例街道", "found": 10, "closed": 8, "rate": "80.0%", "overdue": 1,
           "places": 20, "inspected": 5, "coverage": "25.0%", "laggard": "是"}
    listed = {"number": 1, "hazard_id": 1, "place": "示例场所", "address": "示例路1号",
              "street": "示例街道", "department": "商务", "description": "示例隐患",
              "listed_on": "2026年1月1日", "deadline": "2026年3月1日", "responsible_unit": "示例单位"}
    return {"title": "示例通报", "number": "2026年第1期", "period": "2026年1月1日至2026年1月31日",
            "intro": "示例", "area_label": "街道", "areas": [row], "departments": [row], "total": row,
            "laggards": ["示例"], "listed": [listed], "requirements": "示例",
            "issuer": "示例区消防安全委员会办公室", "date": "2026年2月1日"}


def _jinja_env():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    # Sandboxed: the template is uploaded by users. Strict: a misspelt tag is refused at upload
    # instead of printing an empty cell in every bulletin.
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


def render_docx(source, ctx: dict) -> bytes:
    """`source` (a path or a binary file) rendered with ctx, as .docx bytes."""
    from docxtpl import DocxTemplate

    document = DocxTemplate(source)
    document.render(ctx, jinja_env=_jinja_env(), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def bulletin_docx(bulletin) -> bytes:
    if bulletin.template_id:
        with bulletin.template.file.open("rb") as handle:
            return render_docx(io.BytesIO(handle.read()), context(bulletin))
    return render_docx(DEFAULT_TEMPLATE, context(bulletin))


def bulletin_pdf(bulletin) -> bytes:
    from fireledger.inspections.record_pdf import html_to_pdf

    ctx = context(bulletin)
    ctx["tables"] = [
        {"heading": f"（一）各{ctx['area_label']}排名", "label": ctx["area_label"],
         "rows": ctx["areas"], "total": True},
        {"heading": "（二）各行业部门排名", "label": "行业部门", "rows": ctx["departments"],
         "total": False},
    ]
    return html_to_pdf(render_to_string("reports/bulletin_pdf.html", ctx))


def filename(bulletin, suffix: str) -> str:
    name = re.sub(r'[\\/:*?"<>|\s]+', "_", bulletin.title).strip("_") or "通报"
    return f"{name}-{bulletin.year}年第{bulletin.number}期.{suffix}"


def check_template(upload) -> bytes:
    """The upload's bytes when it is a .docx that renders with a sample bulletin; otherwise a
    ValidationError saying what is wrong, in the user's language."""
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(".docx"):
        raise ValidationError(gettext("“%(name)s” is not a Word .docx file.") % {"name": name},
                              code="type")
    if upload.size > MAX_TEMPLATE_BYTES:
        raise ValidationError(gettext("The template is larger than %(mb)d MB.")
                              % {"mb": MAX_TEMPLATE_BYTES // (1024 * 1024)}, code="size")
    data = upload.read()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError):
        raise ValidationError(gettext("“%(name)s” is not a Word .docx file (it cannot be opened "
                                      "as one).") % {"name": name}, code="type") from None
    try:
        render_docx(io.BytesIO(data), sample_context())
    except Exception as error:  # noqa: BLE001 - any failure of the user's template is reported
        from jinja2 import TemplateError

        detail = str(error) if isinstance(error, TemplateError) else type(error).__name__
        line = getattr(error, "lineno", None)
        raise ValidationError(
            gettext("The template's tags cannot be filled in (%(detail)s%(line)s). The previous "
                    "template stays in use.")
            % {"detail": detail, "line": gettext(", line %(n)d") % {"n": line} if line else ""},
            code="template") from None
    return data
