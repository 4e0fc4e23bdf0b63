"""PDF and Word from a document's frozen content and the template versions named at issue.

PDF: one HTML layout (templates/documents/pdf/document.html, version PDF_LAYOUT) through
inspections.record_pdf.html_to_pdf (WeasyPrint, Noto CJK subsets embedded, no network).
Word: docxtpl. "builtin-1" is the bundled template of the kind under templates_docx/ (made by
templates_docx/build.py); "upload-N" is the DocumentTemplate of that kind and version. Rendering
is strict: a placeholder naming something the content lacks is an error, not a blank.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.template.loader import render_to_string

from fireledger.inspections.record_pdf import html_to_pdf

PDF_LAYOUT = "pdf-1"
BUILTIN_DOCX = "builtin-1"
DOCX_DIR = Path(__file__).resolve().parent / "templates_docx"


def render_html(content: dict, layout: str = PDF_LAYOUT) -> str:
    if layout != PDF_LAYOUT:
        raise ValueError(f"unknown PDF layout {layout!r}")
    return render_to_string("documents/pdf/document.html", {"c": content})


def render_pdf(content: dict, layout: str = PDF_LAYOUT) -> bytes:
    return html_to_pdf(render_html(content, layout))


def docx_context(content: dict) -> dict:
    """The content, with its named `fields` also at the top level ({{ unit }} in a template)."""
    return {**content, **content.get("fields", {})}


def template_bytes(kind: str, version: str) -> bytes:
    """The Word template an issued document names."""
    if version == BUILTIN_DOCX:
        return (DOCX_DIR / f"{kind}.docx").read_bytes()
    if not version.startswith("upload-"):
        raise ValueError(f"unknown Word template version {version!r}")
    from .models import DocumentTemplate

    template = DocumentTemplate.objects.get(kind=kind, version=int(version[7:]))
    with template.file.open("rb") as handle:
        return handle.read()


def render_docx_from(template: bytes, content: dict) -> bytes:
    """Render a docxtpl template; raises jinja2 errors (undefined names, bad syntax)."""
    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    doc = DocxTemplate(io.BytesIO(template))
    # Sandboxed: an uploaded template is code officials wrote; it may only read the content.
    doc.render(docx_context(content), jinja_env=SandboxedEnvironment(undefined=StrictUndefined),
               autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_docx(content: dict, version: str) -> bytes:
    return render_docx_from(template_bytes(content["kind"], version), content)


def docx_text(data: bytes) -> list[str]:
    """The paragraphs and table cells of a .docx, in order (tests and verification compare
    these)."""
    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return lines
