"""A small streaming .xlsx writer: each sheet's XML goes straight into its zip entry.

Why not xlsxwriter: in constant_memory mode it still builds every cell through several Python
calls (about 5–6 times slower here: see bench/bench_export.md); a million-row register must go at
20,000 rows/s. This writer formats a row in one pass over the columns, uses inline strings (no
shared-string table held in memory), dates as serial numbers with a date style, one frozen and
bold header row and column widths. No Django import: data in, bytes out.

Excel's limit is 1,048,576 rows a sheet: a longer export continues on a new sheet (header
repeated), named "<name> (2)", "<name> (3)" …
"""

from __future__ import annotations

import datetime
import re
import zipfile
from dataclasses import dataclass

EXCEL_MAX_ROWS = 1_048_576
TEXT, NUMBER, DATE = "text", "number", "date"
_EPOCH = datetime.date(1899, 12, 30).toordinal()
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 12
    kind: str = TEXT  # TEXT, NUMBER or DATE


def escape(text: str) -> str:
    """XML text: &, <, > escaped; characters XML 1.0 forbids dropped."""
    if _SPECIAL.search(text) is None:
        return text
    text = _ILLEGAL.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def date_serial(value) -> int | None:
    """Excel's serial day number of a date, a datetime or an ISO date string (SQLite's)."""
    if isinstance(value, str):
        if not value:
            return None
        value = datetime.date.fromisoformat(value[:10])
    return value.toordinal() - _EPOCH


def sheet_name(name: str) -> str:
    """A valid sheet name: no []:*?/\\, at most 31 characters."""
    return _SHEET_NAME_BAD.sub("_", name)[:31] or "Sheet"


def row_formatter(kinds, letters):
    """A function (row number, values) → the row's XML, generated for these column kinds.

    One straight-line function per column layout instead of a loop that tests each cell's kind:
    the writer's time is almost all here (about half of it, see bench/bench_export.md). The
    generated source holds only the column letters and kinds, never data.
    """
    names = [f"v{i}" for i in range(len(kinds))]
    lines = ["def make(r, values):",
             f"    {', '.join(names)}{',' if len(names) == 1 else ''} = values",
             '    parts = [f\'<row r="{r}">\']',
             "    add = parts.append"]
    for name, kind, letter in zip(names, kinds, letters):
        if kind == TEXT:
            lines += [
                f"    if {name} is not None and {name} != '':",
                f"        if {name}.__class__ is not str:",
                f"            {name} = str({name})",
                f"        if special({name}) is not None:",
                f"            {name} = escape({name})",
                f"        if {name} and {name} != {name}.strip():",
                f"            add(f'<c r=\"{letter}{{r}}\" t=\"inlineStr\"><is>"
                f"<t xml:space=\"preserve\">{{{name}}}</t></is></c>')",
                f"        elif {name}:",
                f"            add(f'<c r=\"{letter}{{r}}\" t=\"inlineStr\"><is><t>{{{name}}}</t>"
                f"</is></c>')"]
        elif kind == DATE:
            lines += [
                f"    if {name} is not None and {name} != '':",
                f"        if {name}.__class__ is str:",
                f"            {name} = fromisoformat({name}[:10])",
                f"        add(f'<c r=\"{letter}{{r}}\" s=\"{DATE_STYLE}\"><v>"
                f"{{{name}.toordinal() - EPOCH}}</v></c>')"]
        else:
            lines += [
                f"    if {name} is not None and {name} != '':",
                f"        add(f'<c r=\"{letter}{{r}}\"><v>{{{name}}}</v></c>')"]
    lines += ["    add('</row>')", "    return ''.join(parts)"]
    namespace = {"special": _SPECIAL.search, "escape": escape, "EPOCH": _EPOCH,
                 "fromisoformat": datetime.date.fromisoformat}
    exec("\n".join(lines), namespace)  # noqa: S102 - source built from kinds and letters only
    return namespace["make"]


STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{NS_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFF2F2F2"/><bgColor indexed="64"/>'
    "</patternFill></fill></fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" '
    'applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>")
DATE_STYLE, HEADER_STYLE = 1, 2


class StreamingWorkbook:
    """Write rows to an .xlsx file without holding them: `with StreamingWorkbook(path, name,
    columns) as book: book.write_rows(rows)`; rows are sequences in the columns' order."""

    def __init__(self, path, name: str, columns, *, max_rows: int = EXCEL_MAX_ROWS,
                 compresslevel: int = 1):
        if max_rows < 2:
            raise ValueError("max_rows must leave room for the header and one row")
        self.path = path
        self.name = name
        self.columns = list(columns)
        self.max_rows = max_rows
        self.zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED,
                                   compresslevel=compresslevel, allowZip64=True)
        self.sheets: list[str] = []
        self.stream = None
        self.row = 0  # rows written on the current sheet, header included
        self.rows_written = 0
        self.letters = [column_letter(i) for i in range(len(self.columns))]
        self.closed = False

    # -- sheets --------------------------------------------------------------------------
    def _open_sheet(self) -> None:
        if self.stream is not None:
            self._close_sheet()
        n = len(self.sheets) + 1
        name = sheet_name(self.name) if n == 1 else sheet_name(f"{self.name[:25]} ({n})")
        self.sheets.append(name)
        self.stream = self.zip.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True)
        cols = "".join(f'<col min="{i}" max="{i}" width="{c.width}" customWidth="1"/>'
                       for i, c in enumerate(self.columns, start=1))
        selected = ' tabSelected="1"' if n == 1 else ""
        self.stream.write((
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}"><dimension ref="A1"/>'
            f'<sheetViews><sheetView workbookViewId="0"{selected}>'
            f'<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            f'<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
            f'<row r="1" spans="1:{len(self.columns)}">'
            + "".join(f'<c r="{letter}1" s="{HEADER_STYLE}" t="inlineStr"><is><t>'
                      f"{escape(c.header)}</t></is></c>"
                      for letter, c in zip(self.letters, self.columns))
            + "</row>").encode())
        self.row = 1

    def _close_sheet(self) -> None:
        self.stream.write(b"</sheetData><pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" "
                          b"bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></worksheet>")
        self.stream.close()
        self.stream = None

    # -- rows ----------------------------------------------------------------------------
    def write_rows(self, rows) -> int:
        """Write every row of the iterable; returns how many were written."""
        if self.stream is None:
            self._open_sheet()
        make = row_formatter([c.kind for c in self.columns], self.letters)
        count = 0
        buffer: list[str] = []
        append = buffer.append
        stream = self.stream
        r = self.row
        limit = self.max_rows
        for values in rows:
            if r >= limit:
                stream.write("".join(buffer).encode())
                buffer.clear()
                self.row = r
                self._open_sheet()
                stream = self.stream
                r = self.row
            r += 1
            append(make(r, values))
            count += 1
            if len(buffer) >= 500:
                stream.write("".join(buffer).encode())
                buffer.clear()
        if buffer:
            stream.write("".join(buffer).encode())
        self.row = r
        self.rows_written += count
        return count

    # -- package -------------------------------------------------------------------------
    def close(self) -> None:
        if self.closed:
            return
        if self.stream is None:
            self._open_sheet()  # an empty export still has its header row
        self._close_sheet()
        n = len(self.sheets)
        sheets_ct = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{CT_SHEET}"/>'
            for i in range(1, n + 1))
        self.zip.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{sheets_ct}"
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
            'package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.extended-properties+xml"/></Types>'))
        self.zip.writestr("_rels/.rels", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{NS_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{NS_REL}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{NS_REL}/extended-properties" '
            'Target="docProps/app.xml"/></Relationships>'))
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.zip.writestr("docProps/core.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/'
            f'XMLSchema-instance"><dc:title>{escape(self.name)}</dc:title>'
            '<dc:creator>FireLedger</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            '</cp:coreProperties>'))
        self.zip.writestr("docProps/app.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'extended-properties"><Application>FireLedger</Application></Properties>'))
        sheets = "".join(f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
                         for i, name in enumerate(self.sheets, start=1))
        self.zip.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_REL}"><bookViews>'
            f'<workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets></workbook>'))
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{NS_REL}/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
        self.zip.writestr("xl/_rels/workbook.xml.rels", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{NS_PKG_REL}">{rels}'
            f'<Relationship Id="rId{n + 1}" Type="{NS_REL}/styles" Target="styles.xml"/>'
            "</Relationships>"))
        self.zip.writestr("xl/styles.xml", STYLES)
        self.zip.close()
        self.closed = True

    def abort(self) -> None:
        """Close the file after a failure (the caller deletes it)."""
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        self.zip.close()
        self.closed = True

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.close()
        else:
            self.abort()
        return False
