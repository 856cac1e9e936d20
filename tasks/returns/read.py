"""Reading returns from .xlsx workbooks and .csv files into rows that say where they came from.

This layer knows files, not the record: it finds the header row of each sheet, skips blank
rows, and turns everything that makes a file unreadable (not a spreadsheet, empty, too big,
merged cells over the data) into a Problem naming FILE:SHEET:ROW. Workbooks are read in
read-only mode and reading stops at the first row past MAX_ROWS, so a huge file fails fast.
"""
from __future__ import annotations

import csv
import io
import posixpath
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from tasks.errors import TooManyRows
from tasks.returns.layout import HEADER_SCAN, LAYOUTS, MAX_ROWS, Layout

MAX_FILE_BYTES = 20_000_000
MAX_UNZIPPED_BYTES = 100_000_000  # a workbook's parts once decompressed (and zip bombs)
CSV_SHEET = "csv"  # the SHEET part of FILE:SHEET:ROW for a CSV file


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    sheet: str
    row: int  # 0: the file or sheet as a whole
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.sheet or '-'}:{self.row or '-'}: {self.column}: {self.message}"


@dataclass
class Row:
    file: str  # as given on the command line
    sheet: str
    row: int
    layout: Layout
    values: dict[str, Any]  # field -> cell value (None when blank)

    @property
    def source(self) -> str:
        """Where the row came from, as kept on the report: file name:sheet:row."""
        return f"{Path(self.file).name}:{self.sheet}:{self.row}"

    def problem(self, field: str, message: str) -> Problem:
        header = self.layout.column(field).header if field in {
            c.field for c in self.layout.columns} else field
        return Problem(self.file, self.sheet, self.row, header, message)


@dataclass
class FileRead:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)  # the sheets that have a return's header


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _rows(name: str, sheet: str, numbered: Iterable[tuple[int, list[Any]]], out: FileRead) -> None:
    """Find the header among the first rows, then collect the non-blank rows below it."""
    layout: Layout | None = None
    header_at = 0  # the header's row, once `layout` is found
    columns: dict[str, int] = {}
    for number, cells in numbered:
        if number > MAX_ROWS and not all(map(_blank, cells)):
            out.problems.append(Problem(name, sheet, number, "(sheet)",
                                        f"more than {MAX_ROWS:,} rows: a return is a few dozen "
                                        "rows; split the file or check what was pasted into it"))
            raise TooManyRows
        if layout is None:
            if number > HEADER_SCAN:
                break
            for candidate in LAYOUTS:
                found = candidate.match(cells)
                if found is not None:
                    layout, columns, header_at = candidate, found, number
                    break
            continue
        values = {f: (cells[i] if i < len(cells) else None) for f, i in columns.items()}
        if all(map(_blank, values.values())):
            continue
        out.rows.append(Row(name, sheet, number, layout, values))
    if layout is None:
        return
    out.sheets.append(sheet)
    missing = [c.header for c in layout.columns if c.required and c.field not in columns]
    if missing:
        out.problems.append(Problem(name, sheet, header_at, "(header)",
                                    f"missing column{'s' if len(missing) > 1 else ''} "
                                    + ", ".join(missing)))
        out.rows = [r for r in out.rows if r.sheet != sheet]


def _cell(cell: Any) -> Any:
    """A workbook cell's value; a percent-formatted number becomes '80%' (it is stored 0.8)."""
    value = getattr(cell, "value", None)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in str(
            getattr(cell, "number_format", "")):
        return f"{value * 100:.10g}%"
    return value


def _merged(archive: zipfile.ZipFile) -> dict[str, list[str]]:
    """{sheet name: merged ranges}, read from the workbook's XML (openpyxl's read-only mode
    does not report merged cells)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
          "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels.iterfind("p:Relationship", ns)}
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    out: dict[str, list[str]] = {}
    for sheet in book.iterfind("m:sheets/m:sheet", ns):
        path = target.get(sheet.get(f"{{{ns['r']}}}id")) or ""
        path = path.lstrip("/") if path.startswith("/") else posixpath.normpath("xl/" + path)
        if path not in archive.namelist():
            continue
        refs = out.setdefault(sheet.get("name", ""), [])
        with archive.open(path) as src:
            for _, el in ElementTree.iterparse(src):
                if el.tag == f"{{{ns['m']}}}mergeCell" and (ref := el.get("ref")) is not None:
                    refs.append(ref)
                el.clear()
    return out


def _merge_problems(name: str, merged: dict[str, list[str]], out: FileRead) -> None:
    """A merged range over the data leaves all but its first cell blank: refuse those rows."""
    from openpyxl.utils.cell import range_boundaries

    for sheet, refs in merged.items():
        for ref in refs:
            _, first, _, last = range_boundaries(ref)
            # whole columns ("A:B") give no row numbers: they span every row
            top, bottom = first or 1, last or MAX_ROWS
            if not any(r.sheet == sheet and top <= r.row <= bottom for r in out.rows):
                continue  # a merged title above the table, or blank rows, are harmless
            out.problems.append(Problem(name, sheet, top, "(cells)",
                                        f"cells {ref} are merged: unmerge them and give every "
                                        "row its own values"))
            out.rows = [r for r in out.rows if not (r.sheet == sheet and top <= r.row <= bottom)]


def _read_xlsx(path: Path, name: str, out: FileRead) -> None:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(path) as archive:
            unzipped = sum(i.file_size for i in archive.infolist())
            if unzipped > MAX_UNZIPPED_BYTES:
                out.problems.append(Problem(name, "", 0, "(file)",
                                            f"too large: {unzipped / 1e6:.0f} MB once unpacked "
                                            f"(at most {MAX_UNZIPPED_BYTES / 1e6:.0f} MB)"))
                return
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                for ws in book.worksheets:
                    ws.reset_dimensions()  # a wrong <dimension> would silently drop rows
                    numbered = ((n, [_cell(c) for c in cells])
                                for n, cells in enumerate(ws.iter_rows(), start=1))
                    _rows(name, ws.title, numbered, out)
            finally:
                book.close()
            if out.rows:
                _merge_problems(name, _merged(archive), out)
    except TooManyRows:
        out.rows.clear()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError,
            ElementTree.ParseError) as exc:
        out.rows.clear()
        out.problems.append(Problem(name, "", 0, "(file)",
                                    f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})"))


def _decode(data: bytes) -> str:
    """UTF-8 (with or without the BOM Excel writes), else the Vietnamese Windows code page."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace")


def _numbered_csv(text: str) -> Iterator[tuple[int, list[Any]]]:
    """Records with the line they start on (a quoted note may span lines)."""
    head = "\n".join(text[:65536].splitlines()[:HEADER_SCAN])
    delimiter = max(",;\t", key=head.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    for record in reader:
        yield start, record
        start = reader.line_num + 1


def _read_csv(path: Path, name: str, data: bytes, out: FileRead) -> None:
    if b"\x00" in data[:4096]:
        out.problems.append(Problem(name, "", 0, "(file)", "binary data, not CSV text"))
        return
    try:
        _rows(name, CSV_SHEET, _numbered_csv(_decode(data)), out)
    except TooManyRows:
        out.rows.clear()
    except csv.Error as exc:
        out.rows.clear()
        out.problems.append(Problem(name, CSV_SHEET, 0, "(file)", f"malformed CSV: {exc}"))


_SIGNATURES = {b"\xd0\xcf\x11\xe0": "an old-style .xls workbook: save it as .xlsx",
               b"\x89PNG": "a PNG image", b"%PDF": "a PDF document",
               b"\xff\xd8\xff": "a JPEG image"}


def read_return(path: Path | str) -> FileRead:
    """The rows of one return file, or the problems that stop it from being read."""
    path = Path(path)
    name, out = str(path), FileRead()

    def refuse(message: str) -> FileRead:
        out.problems.append(Problem(name, "", 0, "(file)", message))
        return out

    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        return refuse(f"unknown file type '{path.suffix}' (send .xlsx or .csv)")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return refuse(f"too large: {size / 1e6:.0f} MB (at most {MAX_FILE_BYTES / 1e6:.0f} MB)")
        data = path.read_bytes()
    except OSError as exc:
        return refuse(f"cannot read: {exc.strerror or exc}")
    if not data.strip():
        return refuse("the file is empty")
    if suffix == ".csv":
        _read_csv(path, name, data, out)
    elif not data.startswith(b"PK\x03\x04"):
        kind = next((v for k, v in _SIGNATURES.items() if data.startswith(k)), None)
        return refuse(f"not an .xlsx workbook: it is {kind}" if kind else
                      "not an .xlsx workbook (it is not a zip archive; text or another format "
                      "renamed .xlsx?)")
    else:
        _read_xlsx(path, name, out)
    if not out.problems and not out.sheets:
        return refuse("no sheet has the columns of a return (Mã đơn vị, Mã nhiệm vụ, Mã hạn, Kỳ, "
                      "Tình trạng … or Mã đơn vị, Mã chỉ tiêu, Mã phần, Kỳ, Giá trị kỳ này)")
    return out
