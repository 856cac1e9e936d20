"""Reading returns from .xlsx workbooks and .csv files into rows that say where they came from.

This layer knows files, not the record: it finds the header row of each sheet, skips blank
rows, and turns everything that makes a file unreadable (not a spreadsheet, empty, too big,
merged cells over the data, a formula Excel never computed, a sheet that is not a return, a
return whose key columns were deleted) into a Problem naming FILE:SHEET:ROW. Only regular files
are read, their size checked first; workbooks are read in read-only mode and reading stops at
the first row past MAX_ROWS, blank or not, so a huge file fails fast.
"""
from __future__ import annotations

import csv
import io
import posixpath
import stat
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from tasks.errors import TooManyRows
from tasks.returns.layout import HEADER_SCAN, LAYOUTS, MAX_ROWS, SHEETS, Layout
from tasks.words.phrase import Figure, Phrase, said

MAX_FILE_BYTES = 20_000_000
MAX_UNZIPPED_BYTES = 100_000_000  # a workbook's parts once decompressed (and zip bombs)
CSV_SHEET = "csv"  # the SHEET part of FILE:SHEET:ROW for a CSV file


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    sheet: str
    row: int  # 0: the file or sheet as a whole
    column: str
    message: str | Phrase

    def __str__(self) -> str:
        return self.said("en")

    def said(self, lang: str) -> str:
        """FILE:SHEET:ROW: COLUMN: what is wrong, in `lang`."""
        return (f"{self.file}:{self.sheet or '-'}:{self.row or '-'}: {self.column}: "
                f"{said(self.message, lang)}")


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

    def problem(self, field: str, message: str | Phrase) -> Problem:
        header = self.layout.column(field).header if field in {
            c.field for c in self.layout.columns} else field
        return Problem(self.file, self.sheet, self.row, header, message)


@dataclass
class FileRead:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)  # the sheets that have a return's header
    # sheet → (its layout, {field: 0-based column}, the header's row)
    headers: dict[str, tuple[Layout, dict[str, int], int]] = field(default_factory=dict)


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _rows(name: str, sheet: str, numbered: Iterable[tuple[int, list[Any]]], out: FileRead) -> None:
    """Find the header among the first rows, then collect the non-blank rows below it."""
    layout: Layout | None = None
    header_at = 0  # the header's row, once `layout` is found
    columns: dict[str, int] = {}
    filled = False  # a sheet with values but no header is not a return: said, not skipped
    for number, cells in numbered:
        if number > MAX_ROWS:  # blank rows too: two million of them take long to walk
            out.problems.append(Problem(name, sheet, number, "(sheet)", Phrase(
                "more than {most} rows (blank rows count too): a return is a few dozen rows; "
                "delete the rows below the table, or split the file", most=Figure(MAX_ROWS))))
            raise TooManyRows
        if layout is None:
            filled = filled or not all(map(_blank, cells))
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
        if filled or sheet in SHEETS:
            out.problems.append(Problem(name, sheet, 0, "(sheet)", Phrase(
                "no header row of a return in its first {rows} rows (Mã đơn vị, Mã nhiệm vụ, Mã "
                "hạn, Kỳ, Tình trạng … or Mã đơn vị, Mã chỉ tiêu, Mã phần, Kỳ, Giá trị kỳ này): "
                "copy the sheet again from the template, or delete the sheet", rows=HEADER_SCAN)))
        return
    out.sheets.append(sheet)
    out.headers[sheet] = (layout, columns, header_at)
    missing = [c for c in layout.columns if c.required and c.field not in columns]
    if missing:
        keys: Phrase | str = Phrase(
            " (they say what each row is about: copy them back from the template, where they are "
            "hidden at the left)") if any(c.key for c in missing) else ""
        headers = ", ".join(c.header for c in missing)
        out.problems.append(Problem(name, sheet, header_at, "(header)", Phrase(
            "missing columns {headers}{keys}", headers=headers, keys=keys) if len(missing) > 1
            else Phrase("missing column {headers}{keys}", headers=headers, keys=keys)))
        out.rows = [r for r in out.rows if r.sheet != sheet]


def _cell(cell: Any) -> Any:
    """A workbook cell's value; a percent-formatted number becomes '80%' (it is stored 0.8)."""
    value = getattr(cell, "value", None)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in str(
            getattr(cell, "number_format", "")):
        return f"{value * 100:.10g}%"
    return value


def _xml_cells(archive: zipfile.ZipFile, wanted: set[str]
               ) -> tuple[dict[str, list[str]], dict[str, list[tuple[str, str]]]]:
    """({sheet: merged ranges}, {sheet: [(cell, formula)] of formulas with no saved value}),
    read from the XML of the sheets in `wanted`: openpyxl's read-only mode reports neither (it
    reads a formula Excel never computed as a blank cell)."""
    m = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns = {"m": m[1:-1],
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
          "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels.iterfind("p:Relationship", ns)}
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    merged: dict[str, list[str]] = {}
    formulas: dict[str, list[tuple[str, str]]] = {}
    for sheet in book.iterfind("m:sheets/m:sheet", ns):
        name = sheet.get("name", "")
        path = target.get(sheet.get(f"{{{ns['r']}}}id")) or ""
        path = path.lstrip("/") if path.startswith("/") else posixpath.normpath("xl/" + path)
        if name not in wanted or path not in archive.namelist():
            continue
        refs, uncomputed = merged.setdefault(name, []), formulas.setdefault(name, [])
        with archive.open(path) as src:
            for _, el in ElementTree.iterparse(src):
                if el.tag == f"{m}c":
                    f, v = el.find(f"{m}f"), el.find(f"{m}v")
                    if f is not None and (v is None or not (v.text or "").strip()):
                        uncomputed.append((el.get("r", "?"), f.text or ""))
                    el.clear()
                elif el.tag == f"{m}mergeCell" and (ref := el.get("ref")) is not None:
                    refs.append(ref)
                elif el.tag in (f"{m}row", f"{m}mergeCells"):
                    el.clear()
    return merged, formulas


def _formula_problems(name: str, formulas: dict[str, list[tuple[str, str]]],
                      out: FileRead) -> None:
    """A formula with no saved value, in a cell the return is read from: Excel never computed
    it (a file written by a program, not saved in Excel), so its value is not known."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    for sheet, cells in formulas.items():
        layout, columns, header_at = out.headers[sheet]
        field_at = {i: f for f, i in columns.items()}
        bad_rows = set()
        for ref, formula in cells:
            try:
                letters, row = coordinate_from_string(ref)
            except ValueError:
                continue
            column = field_at.get(column_index_from_string(letters) - 1)
            if row <= header_at or column is None:
                continue  # not a cell the return is read from
            bad_rows.add(row)
            out.problems.append(Problem(
                name, sheet, row, layout.column(column).header,
                Phrase("cell {ref} holds a formula (={formula}) with no saved value: open the "
                       "file in Excel and save it again, or type the value instead of the "
                       "formula", ref=ref, formula=formula)))
        out.rows = [r for r in out.rows if not (r.sheet == sheet and r.row in bad_rows)]


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
            out.problems.append(Problem(name, sheet, top, "(cells)", Phrase(
                "cells {ref} are merged: unmerge them and give every row its own values",
                ref=ref)))
            out.rows = [r for r in out.rows if not (r.sheet == sheet and top <= r.row <= bottom)]


def _read_xlsx(path: Path, name: str, out: FileRead) -> None:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(path) as archive:
            unzipped = sum(i.file_size for i in archive.infolist())
            if unzipped > MAX_UNZIPPED_BYTES:
                out.problems.append(Problem(name, "", 0, "(file)", Phrase(
                    "too large: {size} MB once unpacked (at most {most} MB)",
                    size=_mb(unzipped), most=_mb(MAX_UNZIPPED_BYTES))))
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
            if out.headers:
                merged, formulas = _xml_cells(archive, set(out.headers))
                _formula_problems(name, formulas, out)
                if out.rows:
                    _merge_problems(name, merged, out)
    except TooManyRows:
        out.rows.clear()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError,
            ElementTree.ParseError) as exc:
        out.rows.clear()
        out.problems.append(Problem(name, "", 0, "(file)", Phrase(
            "not a readable .xlsx workbook ({kind}: {reason})", kind=type(exc).__name__,
            reason=exc)))


def _decode(data: bytes) -> str:
    """UTF-8 (with or without the BOM Excel writes), UTF-16 with its BOM (Excel's "Unicode
    Text"), else the Vietnamese Windows code page."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
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
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        out.problems.append(Problem(name, "", 0, "(file)", Phrase("binary data, not CSV text")))
        return
    try:
        _rows(name, CSV_SHEET, _numbered_csv(_decode(data)), out)
    except TooManyRows:
        out.rows.clear()
    except csv.Error as exc:
        out.rows.clear()
        out.problems.append(Problem(name, CSV_SHEET, 0, "(file)",
                                    Phrase("malformed CSV: {reason}", reason=exc)))


_SIGNATURES = {b"\xd0\xcf\x11\xe0": Phrase("an old-style .xls workbook: save it as .xlsx"),
               b"\x89PNG": Phrase("a PNG image"), b"%PDF": Phrase("a PDF document"),
               b"\xff\xd8\xff": Phrase("a JPEG image")}


def _mb(n: float) -> Figure:
    """A size in whole megabytes, as the messages give it."""
    return Figure(round(n / 1e6))


def read_return(path: Path | str) -> FileRead:
    """The rows of one return file, or the problems that stop it from being read."""
    path = Path(path)
    name, out = str(path), FileRead()

    def refuse(message: Phrase) -> FileRead:
        out.problems.append(Problem(name, "", 0, "(file)", message))
        return out

    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        return refuse(Phrase("unknown file type '{suffix}' (send .xlsx or .csv)",
                             suffix=path.suffix))
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            return refuse(Phrase("this is a folder, not a file"))
        if not stat.S_ISREG(st.st_mode):
            return refuse(Phrase("not a regular file (a device, a pipe or a socket): give the "
                                 "return file itself"))
        size = st.st_size
        if size > MAX_FILE_BYTES:
            return refuse(Phrase("too large: {size} MB (at most {most} MB)", size=_mb(size),
                                 most=_mb(MAX_FILE_BYTES)))
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:  # it grew since
            return refuse(Phrase("too large: more than {most} MB", most=_mb(MAX_FILE_BYTES)))
    except OSError as exc:
        return refuse(Phrase("cannot read: {reason}", reason=exc.strerror or exc))
    if not data.strip():
        return refuse(Phrase("the file is empty"))
    if suffix == ".csv":
        _read_csv(path, name, data, out)
    elif not data.startswith(b"PK\x03\x04"):
        kind = next((v for k, v in _SIGNATURES.items() if data.startswith(k)), None)
        return refuse(Phrase("not an .xlsx workbook: it is {kind}", kind=kind) if kind else
                      Phrase("not an .xlsx workbook (it is not a zip archive; text or another "
                             "format renamed .xlsx?)"))
    else:
        _read_xlsx(path, name, out)
    if not out.problems and not out.sheets:
        return refuse(Phrase("no sheet has the columns of a return (Mã đơn vị, Mã nhiệm vụ, Mã "
                             "hạn, Kỳ, Tình trạng … or Mã đơn vị, Mã chỉ tiêu, Mã phần, Kỳ, Giá "
                             "trị kỳ này)"))
    return out
