"""Text of PDF (pdftotext) and Word (python-docx) output, for comparing documents."""

import subprocess

from fireledger.documents.render import docx_text  # noqa: F401 - re-exported for the tests


def pdf_text(data: bytes) -> str:
    """pdftotext of PDF bytes (UTF-8, layout kept)."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", "-", "-"], input=data,
                          capture_output=True, check=True).stdout.decode("utf-8")


def pdf_fonts(data: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, check=True,
                          text=True).stdout


def pdf_flat(data: bytes) -> str:
    """The PDF's text with all white space removed: table cells wrap words across lines."""
    import re

    return re.sub(r"\s+", "", pdf_text(data))
