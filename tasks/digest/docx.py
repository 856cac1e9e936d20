"""The monthly report as a Word document in the official layout, from a template an office edits.

`config/templates/report.party.docx` follows Hướng dẫn 36-HD/VPTW (a Party body as sender: the
Party committee above it and the sender's own name, with a star, on the left, "ĐẢNG CỘNG SẢN VIỆT
NAM" on the right, "Số 12-BC/…"); `report.state.docx` follows Nghị định 30/2020/NĐ-CP (a state
agency: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc", "Số: 12/BC-…"). The
plan's `sender.layout` chooses; its `sender`, `place` and `signer` fill them. Both are docxtpl
templates — ordinary Word files with {{ … }} fields, {%p … %} paragraph loops and {%tr … %}
table-row loops — that an office can open and restyle in Word or LibreOffice;
`python -m tasks.digest.docx` writes them afresh (from `build`).

The document's number comes from a register the secretariat sets (`NUMBERS`, a YAML file): per
sender symbol, the next number to give; the first time a month's report is written it takes
that number and keeps it under `given`, so the same month written again keeps its number (and
the file stays byte-identical). No `next` set: the number is left blank for the văn thư to
write in, as on any draft. The date is the first working day after the month, in words.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import yaml

from tasks.calendar import WorkCalendar
from tasks.digest.compile import Digest
from tasks.digest.render import formats
from tasks.digest.tables import build_tables, headline, peer_tables
from tasks.digest.zipstamp import fixed_zip
from tasks.errors import PlantrackError
from tasks.settings import TEMPLATES, VAR
from tasks.templating import environment
from tasks.words import date_in_words

NUMBERS = VAR / "report-numbers.yaml"  # the register of report numbers (see the docstring)
TEMPLATE = {"party": TEMPLATES / "report.party.docx", "state": TEMPLATES / "report.state.docx"}
FILE = "digest.docx"
ARCHIVE = {"party": "Lưu Văn phòng.", "state": "Lưu: VT."}  # the last line of "Nơi nhận"
REGISTER_HEAD = ("# Số văn bản of the monthly reports (plantrack digest --docx): for each sender\n"
                 "# symbol, `next` is the next number to give (the secretariat sets it from its\n"
                 "# register), `given` the numbers already given, by plan and month.\n")


# ---- the number ---------------------------------------------------------------------------------

def report_number(register: Path, symbol: str, plan: str, month: str) -> int | None:
    """The number of `plan`'s report of `month` from the register: the one given before, else
    the symbol's `next` (then recorded as given, and `next` moved on); None when the
    secretariat has set no `next` for the symbol (or there is no symbol)."""
    if not symbol or not register.is_file():
        return None  # no register: nothing is numbered, and nothing is written
    with open(register.with_name(register.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two runs at once never give one number twice
        data = (yaml.safe_load(register.read_text(encoding="utf-8")) if register.is_file()
                else None) or {}
        entry = data.get(symbol) or {}
        given = entry.get("given") or {}
        key = f"{plan} {month}"
        if key in given:
            return int(given[key])
        if entry.get("next") is None:
            return None
        number = int(entry["next"])
        data[symbol] = {"next": number + 1, "given": {**given, key: number}}
        tmp = register.with_name(register.name + ".tmp")
        tmp.write_text(REGISTER_HEAD + yaml.safe_dump(data, allow_unicode=True, sort_keys=True),
                       encoding="utf-8")
        os.replace(tmp, register)
        return number


def number_line(layout: str, number: int | None, symbol: str) -> str:
    """'Số 12-BC/SYMBOL' (Party) or 'Số: 12/BC-SYMBOL' (state); blanks where no number is set."""
    n = str(number) if number is not None else "\u00a0" * 8
    if layout == "party":
        return f"Số {n}-BC/{symbol}" if symbol else f"Số {n}-BC"
    return f"Số: {n}/BC-{symbol}" if symbol else f"Số: {n}/BC"


# ---- the context ------------------------------------------------------------------------------

def _cells(t, lang: str, keep: list[int]) -> list[list[str]]:
    return [[("↳ " if style == "sub" and i == 0 else "") + cells[c] for i, c in enumerate(keep)]
            for cells, style in t.lines(lang)]


def _flat(text: str) -> str:
    return " ".join(str(text).split())


def _trich_yeu(title: str, layout: str) -> str:
    """The title under "BÁO CÁO": a Party document starts it in lower case (Hướng dẫn
    36-HD/VPTW), a state one with a capital (Nghị định 30/2020/NĐ-CP)."""
    if layout == "party" and title[1:2].islower():
        return title[:1].lower() + title[1:]
    return title


def context(d: Digest, cal: WorkCalendar, number: int | None) -> dict[str, Any]:
    """What the Word template is filled with: every text already written out in Vietnamese (the
    words come from digest.vi.j2, as in the HTML and Markdown editions)."""
    f, p, sender = formats("vi"), d.profile, d.profile["sender"]
    w = environment(TEMPLATES).get_template("digest.vi.j2").make_module()
    plain = lambda x: x  # noqa: E731  (no bold inside a Word paragraph)
    tables = build_tables(d, "vi")
    layout = sender.get("layout") or "state"
    signed = cal.roll_forward(d.as_of + dt.timedelta(days=1))
    signer = p.get("signer") or {}
    recipients = [f"- {r['name_vi']} ({'để báo cáo' if r['for'] == 'report' else 'để biết'}),"
                  for r in p["recipients"]]
    return {
        "above": (sender.get("above_vi") or "").upper(), "header": sender["header_vi"].upper(),
        "number": number_line(layout, number, sender.get("symbol", "")),
        "place_date": date_in_words(signed, p.get("place", "")),
        "title": _trich_yeu(_flat(w.title(d, f)), layout),  # type: ignore[attr-defined]
        "intro": _flat(w.intro(d, f)),  # type: ignore[attr-defined]
        "s": w.sections,  # type: ignore[attr-defined]
        "overview": [_flat(line) for line in str(w.summary(d, headline(d), f, plain))  # type: ignore[attr-defined]
                     .split("\n") if line.strip()],
        "tasks": [{"title": t["title_vi"],
                   "subtasks": "; ".join(s["title_vi"] for s in t["subtasks"]),
                   "text": _flat(w.task_text(t, d, f, plain))}  # type: ignore[attr-defined]
                  for t in d.tasks],
        "by_task": _cells(tables["by_task"], "vi", [0, 1, 2, 3, 5, 7]),
        "by_task_note": _flat(w.note("by_task", d, f)),  # type: ignore[attr-defined]
        "peers": [{"name": name, "rows": _cells(t, "vi", [0, 1, 2, 3, 4, 5, 6])}
                  for name, t in peer_tables(d, "vi")],
        "peers_note": _flat(w.note("agencies", d, f)),  # type: ignore[attr-defined]
        "kpis": _cells(tables["kpis"], "vi", [0, 2, 3, 4, 6, 7]),
        "kpi_baseline": tables["kpis"].columns[2].header,
        "kpis_note": _flat(w.note("kpis", d, f)),  # type: ignore[attr-defined]
        "overdue": _cells(tables["overdue"], "vi", [0, 1, 2, 3, 4]),
        "overdue_note": _flat(w.note("overdue", d, f)),  # type: ignore[attr-defined]
        "notes": {key: d.notes.get(key) or [] for key in ("limits", "next", "proposals")},
        "no_notes": {key: _flat(w.no_notes(key, d, f))  # type: ignore[attr-defined]
                     for key in ("limits", "next", "proposals")},
        "coming_title": _flat(w.coming_title(d, f)),  # type: ignore[attr-defined]
        "coming": _cells(tables["coming"], "vi", [0, 1, 2, 3]),
        "recipients": recipients,
        "archive": "- " + (sender.get("archive_vi") or ARCHIVE.get(layout, ARCHIVE["state"])),
        "on_behalf": (signer.get("on_behalf_vi") or "").upper(),
        "signer_title": (signer.get("title_vi") or "").upper(),
        "signer_name": signer.get("name") or "",
    }


# ---- writing ----------------------------------------------------------------------------------

def write_report(d: Digest, folder: Path, cal: WorkCalendar, numbers: Path = NUMBERS,
                 template: Path | None = None) -> Path:
    """The report of `d` as folder/digest.docx, from the template of the sender's layout."""
    from docxtpl import DocxTemplate  # type: ignore[import-untyped]

    sender = d.profile["sender"]
    layout = sender.get("layout") or "state"
    number = report_number(numbers, sender.get("symbol", ""), d.plan, d.month)
    tpl = DocxTemplate(str(template or TEMPLATE[layout]))
    tpl.render(context(d, cal, number), autoescape=True)
    props = tpl.docx.core_properties
    stamp = dt.datetime.combine(d.as_of, dt.time())
    props.created = props.modified = stamp
    props.last_modified_by = props.author = sender.get("name_vi") or ""
    props.title, props.revision = _flat(context_title(d)), 1
    raw = io.BytesIO()
    tpl.save(raw)
    path = Path(folder) / FILE
    path.write_bytes(fixed_zip(raw.getvalue(), d.as_of))
    return path


def context_title(d: Digest) -> str:
    w = environment(TEMPLATES).get_template("digest.vi.j2").make_module()
    return str(w.title(d, formats("vi")))  # type: ignore[attr-defined]


class NoPdf(PlantrackError):
    """The report could not be converted to PDF: LibreOffice missing, or refusing the file."""


def soffice() -> str | None:
    """LibreOffice's command, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: Path, timeout: float = 180) -> Path:
    """The document converted to PDF beside it by LibreOffice (headless, a profile of its own so
    that a running LibreOffice is not disturbed). NoPdf when it cannot."""
    office = soffice()
    if office is None:
        raise NoPdf("LibreOffice (soffice) is not installed to convert the report to PDF: "
                    "apt-get install libreoffice-writer")
    with tempfile.TemporaryDirectory(prefix="plantrack-lo-") as profile:
        done = subprocess.run(
            [office, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)],
            capture_output=True, text=True, timeout=timeout, check=False)
    pdf = docx.with_suffix(".pdf")
    if done.returncode != 0 or not pdf.is_file():
        raise NoPdf("LibreOffice could not convert {name} to PDF: {reason}", name=docx.name,
                    reason=(done.stderr or done.stdout).strip()[-300:])
    return pdf


# ---- the templates ----------------------------------------------------------------------------
# Built once with python-docx and committed; an office edits the .docx files from then on.

FONT = "Times New Roman"


def _font(run_or_style, size: float | None = None, bold: bool | None = None,
          italic: bool | None = None, underline: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run_or_style.font
    font.name = FONT
    r_pr = run_or_style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if underline is not None:
        font.underline = underline


def _para(where, text: str = "", size: float = 14, bold: bool = False, italic: bool = False,
          underline: bool = False, align: str = "justify", indent: bool = False,
          before: float = 0, after: float = 6, keep: bool = False):
    """A paragraph in `where` (the document or a cell): its text in one run."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    par = where.add_paragraph()
    par.alignment = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
                     "left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    fmt = par.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.first_line_indent = Cm(1) if indent else Cm(0)
    fmt.keep_with_next = keep
    if text:
        _font(par.add_run(text), size, bold, italic, underline)
    return par


def _rule(where, width_cm: float, cell_cm: float) -> None:
    """A short centred line (`width_cm` long, in a cell or page `cell_cm` wide): the bottom
    border of a tiny empty paragraph narrowed to that length."""
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    par = _para(where, "", size=2, align="center", after=0)
    _font(par.add_run(" "), 2)
    par.paragraph_format.line_spacing = Pt(3)
    side = max((cell_cm - width_cm) / 2, 0)
    par.paragraph_format.left_indent = Cm(side)
    par.paragraph_format.right_indent = Cm(side)
    p_pr = par._p.get_or_add_pPr()
    borders = p_pr.makeelement(qn("w:pBdr"), {})
    bottom = borders.makeelement(qn("w:bottom"), {qn("w:val"): "single", qn("w:sz"): "6",
                                                   qn("w:space"): "1", qn("w:color"): "000000"})
    borders.append(bottom)
    p_pr.append(borders)


def _no_borders(table) -> None:
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    borders = tbl_pr.makeelement(qn("w:tblBorders"), {})
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(borders.makeelement(qn(f"w:{edge}"), {qn("w:val"): "nil"}))
    tbl_pr.append(borders)


def _widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths, in the table's grid (what LibreOffice reads) and in each cell (Word)."""
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table.autofit = False
    tbl_pr = table._tbl.tblPr
    tbl_pr.append(tbl_pr.makeelement(qn("w:tblLayout"), {qn("w:type"): "fixed"}))
    for col, w in zip(table.columns, widths_cm, strict=True):
        col.width = Cm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(w)


def _cell(cell, text: str, size: float = 12, bold: bool = False, align: str = "left",
          italic: bool = False):
    cell.paragraphs[0].text = ""
    par = cell.paragraphs[0]
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    par.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                     "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    par.paragraph_format.space_after = Pt(0)
    par.paragraph_format.first_line_indent = Pt(0)
    if text:
        _font(par.add_run(text), size, bold, italic)
    return par


def _header_shading(row) -> None:
    from docx.oxml.ns import qn

    for cell in row.cells:
        tc_pr = cell._tc.get_or_add_tcPr()
        tc_pr.append(tc_pr.makeelement(qn("w:shd"), {qn("w:val"): "clear", qn("w:color"): "auto",
                                                      qn("w:fill"): "D9E2F3"}))
        tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))  # repeated on each page


def _loop_table(doc, headers: list[str], widths: list[float], loop: str, items: str,
                aligns: list[str]) -> None:
    """A real Word table: a header row, then one row per item of `items` (a {%tr for %} loop
    over `loop`, its cells r[0], r[1] …)."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell(cell, text, 11, bold=True, align="center")
    _header_shading(table.rows[0])
    _cell(table.rows[1].cells[0], f"{{%tr for r in {items} %}}", 11)
    for i, cell in enumerate(table.rows[2].cells):
        _cell(cell, f"{{{{ r[{i}] }}}}", 11, align=aligns[i])
    _cell(table.rows[3].cells[0], "{%tr endfor %}", 11)
    _widths(table, widths)
    _para(doc, "", size=6, after=0)


def _notes(doc, key: str) -> None:
    _para(doc, f"{{%p if notes.{key} %}}")
    _para(doc, f"{{%p for block in notes.{key} %}}")
    _para(doc, "{{ '- ' if block.kind == 'li' else '' }}{{ block.text }}", indent=True)
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p else %}")
    _para(doc, f"{{{{ no_notes.{key} }}}}", italic=True, indent=True)
    _para(doc, "{%p endif %}")


def build(layout: str, path: Path) -> Path:
    """The template of `layout`: A4, margins 20/20/30/15 mm, Times New Roman 14 (both
    Hướng dẫn 36-HD/VPTW and Nghị định 30/2020/NĐ-CP), the header of the layout, the title,
    the body (sections I–IV, real tables), "Nơi nhận" and the signature block, page numbers
    from the second page."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    party = layout == "party"
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    sec.header_distance = Mm(10)
    normal = doc.styles["Normal"]
    _font(normal, 14)
    normal.paragraph_format.line_spacing = 1.1
    for name in ("Table Grid",):
        _font(doc.styles[name], 11)

    # page numbers: top centre, from the second page on
    sec.different_first_page_header_footer = True
    head = sec.header.paragraphs[0]
    head.alignment = 1
    run = head.add_run()
    _font(run, 13)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)

    # the header: sender on the left, the Party's or the State's title on the right
    left_cm, right_cm = (7.0, 9.5) if party else (6.8, 9.7)
    top = doc.add_table(rows=1, cols=2)
    _no_borders(top)
    left, right = top.rows[0].cells
    left.paragraphs[0]._p.getparent().remove(left.paragraphs[0]._p)
    right.paragraphs[0]._p.getparent().remove(right.paragraphs[0]._p)
    size = 14 if party else 13
    _para(left, "{{ above }}", size=size, align="center", after=0)
    _para(left, "{{ header }}", size=size, bold=True, align="center", after=0)
    if party:
        _para(left, "*", size=size, align="center", after=4)
    else:
        _rule(left, 2.2, left_cm)
        _para(left, "", size=6, after=0)
    _para(left, "{{ number }}", size=14 if party else 13, align="center", after=0)
    if party:
        _para(right, "ĐẢNG CỘNG SẢN VIỆT NAM", size=15, bold=True, align="center", after=0)
        _rule(right, 7.4, right_cm)
    else:
        _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=13, bold=True, align="center",
              after=0)
        _para(right, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True, align="center", after=0)
        _rule(right, 5.6, right_cm)
    _para(right, "", size=11, after=0)
    _para(right, "{{ place_date }}", size=14, italic=True, align="center" if party else "right",
          after=0)
    _widths(top, [left_cm, right_cm])

    # the title
    _para(doc, "BÁO CÁO", size=16 if party else 14, bold=True, align="center", before=18, after=0)
    _para(doc, "{{ title }}", size=14, bold=True, align="center", after=0)
    if party:
        _para(doc, "-----", size=14, align="center", after=12)
    else:
        _rule(doc, 4.0, 16.5)
        _para(doc, "", size=6, after=6)

    _para(doc, "{{ intro }}", indent=True)

    # I. results
    _para(doc, "I. {{ s.results|upper }}", bold=True, keep=True, before=6)
    _para(doc, "1. {{ s.overview }}", bold=True, keep=True)
    _para(doc, "{%p for line in overview %}")
    _para(doc, "- {{ line }}", indent=True)
    _para(doc, "{%p endfor %}")
    _para(doc, "2. {{ s.by_task }}", bold=True, keep=True)
    _para(doc, "{%p for t in tasks %}")
    _para(doc, "{{ loop.index }}. {{ t.title }}{% if t.subtasks %} ({{ t.subtasks }}){% endif %}",
          italic=True, indent=True, keep=True)
    _para(doc, "{{ t.text }}", indent=True)
    _para(doc, "{%p endfor %}")
    _para(doc, "{{ by_task_note }}", size=12, italic=True, keep=True)
    _loop_table(doc, ["Nhiệm vụ", "Tổng số", "Hoàn thành đúng hạn", "Hoàn thành quá hạn",
                      "Quá hạn", "Tỷ lệ đúng hạn"], [7.4, 1.5, 2.0, 2.0, 1.6, 2.0],
                "r", "by_task", ["left", "right", "right", "right", "right", "right"])
    _para(doc, "3. {{ s.peers }}", bold=True, keep=True)
    _para(doc, "{{ peers_note }}", size=12, italic=True, keep=True)
    _para(doc, "{%p for g in peers %}")
    _para(doc, "{{ loop.index }}. {{ g.name }}", italic=True, keep=True)
    _loop_table(doc, ["Hạng", "Cơ quan, đơn vị", "Đã đến hạn", "Hoàn thành đúng hạn",
                      "Hoàn thành quá hạn", "Quá hạn", "Tỷ lệ đúng hạn"],
                [1.2, 5.8, 1.7, 2.0, 2.0, 1.6, 2.2], "r", "g.rows",
                ["center", "left", "right", "right", "right", "right", "right"])
    _para(doc, "{%p endfor %}")
    _para(doc, "4. {{ s.kpis }}", bold=True, keep=True)
    _para(doc, "{{ kpis_note }}", size=12, italic=True, keep=True)
    _loop_table(doc, ["Chỉ tiêu", "{{ kpi_baseline }}", "Số mới nhất", "Tăng/giảm",
                      "Mục tiêu", "Đã báo cáo"], [6.4, 2.2, 2.1, 1.9, 1.9, 2.0], "r", "kpis",
                ["left", "right", "right", "right", "right", "center"])
    _para(doc, "5. {{ s.overdue }}", bold=True, keep=True)
    _para(doc, "{%p if overdue %}")
    _para(doc, "{{ overdue_note }}", size=12, italic=True, keep=True)
    _loop_table(doc, ["Cơ quan, đơn vị", "Nội dung", "Kỳ", "Hạn", "Số ngày làm việc quá hạn"],
                [4.0, 6.1, 2.4, 2.2, 1.8], "r", "overdue",
                ["left", "left", "left", "center", "right"])
    _para(doc, "{%p else %}")
    _para(doc, "Không có.", italic=True, indent=True)
    _para(doc, "{%p endif %}")

    # II–IV from the secretariat's notes
    _para(doc, "II. {{ s.limits|upper }}", bold=True, keep=True, before=6)
    _notes(doc, "limits")
    _para(doc, "III. {{ s.next|upper }}", bold=True, keep=True, before=6)
    _notes(doc, "next")
    _para(doc, "{%p if coming %}")
    _para(doc, "{{ coming_title }}:", italic=True, indent=True, keep=True)
    _loop_table(doc, ["Hạn", "Nội dung", "Kỳ", "Cơ quan, đơn vị thực hiện"],
                [2.2, 6.0, 2.4, 5.9], "r", "coming", ["center", "left", "left", "left"])
    _para(doc, "{%p endif %}")
    _para(doc, "IV. {{ s.proposals|upper }}", bold=True, keep=True, before=6)
    _notes(doc, "proposals")

    # "Nơi nhận" and the signature
    _para(doc, "", after=6)
    end = doc.add_table(rows=1, cols=2)
    _no_borders(end)
    where, sign = end.rows[0].cells
    where.paragraphs[0]._p.getparent().remove(where.paragraphs[0]._p)
    sign.paragraphs[0]._p.getparent().remove(sign.paragraphs[0]._p)
    if party:
        _para(where, "Nơi nhận:", size=14, underline=True, align="left", after=0)
    else:
        _para(where, "Nơi nhận:", size=12, bold=True, italic=True, align="left", after=0)
    item = 12 if party else 11
    _para(where, "{%p for r in recipients %}", size=item, align="left", after=0)
    _para(where, "{{ r }}", size=item, align="left", after=0)
    _para(where, "{%p endfor %}", size=item, align="left", after=0)
    _para(where, "{{ archive }}", size=item, align="left", after=0)
    _para(sign, "{%p if on_behalf %}", size=14, align="center", after=0)
    _para(sign, "{{ on_behalf }}", size=14, bold=True, align="center", after=0)
    _para(sign, "{%p endif %}", size=14, align="center", after=0)
    _para(sign, "{{ signer_title }}", size=14, bold=True, align="center", after=0)
    for _ in range(4):
        _para(sign, "", size=14, align="center", after=0)
    _para(sign, "{{ signer_name }}", size=14, bold=True, align="center", after=0)
    _widths(end, [7.5, 9.0])

    props = doc.core_properties
    props.author = props.last_modified_by = "plantrack"
    props.title = "Báo cáo tình hình thực hiện kế hoạch"
    props.created = props.modified = dt.datetime(2024, 1, 1)
    props.revision = 1
    raw = io.BytesIO()
    doc.save(raw)
    path.write_bytes(fixed_zip(raw.getvalue(), dt.date(2024, 1, 1)))
    return path


def make_template(layout: str, path: Path) -> Path:
    """Write the Word template of `layout` ("party" or "state") to `path`."""
    return build(layout, path)


if __name__ == "__main__":  # python -m tasks.digest.docx: the two templates written afresh
    for name, target in TEMPLATE.items():
        print(make_template(name, target))
