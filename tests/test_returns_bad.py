"""A corpus of bad returns, written here into tmp_path: each is refused with a clear
FILE:SHEET:ROW: column: message, and nothing reaches the record — alone or with good files."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tasks.returns import read as returns_read

from returns_kit import counts, fill, template

D56 = ("leadership", "monthly-report", "2024-09")
REVIEW = ("models-review", "quarterly-review", "2024-Q3")
LINE = re.compile(r"^[^:]+:[^:]+:(\d+|-): [^:]+: .+$")  # FILE:SHEET:ROW: column: message
HUGE = 200_000


def _edit(path: Path, out: Path, **cells) -> Path:
    """Set cells of the first sheet (e.g. A7="SNV"), as someone editing the keys would."""
    wb = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        wb.worksheets[0][ref] = value
    wb.save(out)
    return out


def _merged(path: Path, out: Path) -> Path:
    wb = openpyxl.load_workbook(path)
    wb.worksheets[0].merge_cells("H6:H7")
    wb.save(out)
    return out


def _inflate(path: Path, out: Path, rows: int) -> Path:
    """The workbook with `rows` more rows (as if a data export was pasted in) on its first
    sheet, built straight into the sheet's XML: writing 200,000 rows through openpyxl takes
    ~10 s."""
    row = '<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="I{n}"><v>50</v></c></row>'
    extra = "".join(row.format(n=n) for n in range(8, 8 + rows))
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", extra.encode() + b"</sheetData>")
            dst.writestr(item, data)
    return out


@pytest.fixture(scope="module")
def huge_files(tmp_path_factory) -> dict[str, Path]:
    """A 200,000-row workbook and CSV, made once for both databases."""
    d = tmp_path_factory.mktemp("huge")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    ws.append(["Mã đơn vị", "Mã nhiệm vụ", "Mã hạn", "Kỳ", "Tình trạng"])
    ws.append(["BDV-MAICHAU", "leadership", "monthly-report", "2024-09", None])
    wb.save(d / "base.xlsx")
    csv_path = d / "huge.csv"
    csv_path.write_text("Mã đơn vị,Mã nhiệm vụ,Mã hạn,Kỳ,Tình trạng\n"
                        + "BDV-MAICHAU,leadership,monthly-report,2024-09,Hoàn thành\n" * HUGE,
                        encoding="utf-8")
    return {"xlsx": _inflate(d / "base.xlsx", d / "huge.xlsx", HUGE), "csv": csv_path}


def _corpus(blank: Path, good: Path, d: Path, huge: dict[str, Path]) -> dict[str, tuple]:
    """name → (file, the problem line it must give, as a regex)."""
    status = {D56: {"Tình trạng": "Đang thực hiện", "% tiến độ": 20}}
    (d / "empty.xlsx").write_bytes(b"")
    (d / "picture.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (d / "text.xlsx").write_text("Mã đơn vị,Mã nhiệm vụ\nBDV-MAICHAU,leadership\n",
                                 encoding="utf-8")
    openpyxl.Workbook().save(d / "no-table.xlsx")
    return {
        "wrong agency": (_edit(good, d / "wrong-agency.xlsx", A7="SNV"),
                         r":Nhiệm vụ:7: Mã nhiệm vụ: agency 'SNV' owes nothing on task "
                         r"'leadership' \(wrong agency\?\)$"),
        "unknown agency": (_edit(good, d / "unknown-agency.xlsx", A7="BDV-XYZ"),
                           r":Nhiệm vụ:7: Mã đơn vị: unknown agency 'BDV-XYZ'$"),
        "unknown deadline": (_edit(good, d / "unknown-deadline.xlsx", C7="weekly-report"),
                             r":Nhiệm vụ:7: Mã nhiệm vụ: no deadline 'weekly-report' of task "
                             r"'leadership' for 'BDV-MAICHAU' in period '2024-09'$"),
        "unknown task": (_edit(good, d / "unknown-task.xlsx", B7="propaganda"),
                         r":Nhiệm vụ:7: Mã nhiệm vụ: unknown task 'propaganda' in plan dvk-2024-h2$"),
        "progress 140": (fill(blank, {D56: {"Tình trạng": "Đang thực hiện", "% tiến độ": 140}},
                              out=d / "progress.xlsx"),
                         r":Nhiệm vụ:7: % tiến độ: 140 is not between 0 and 100$"),
        "done but 80 %": (fill(blank, {D56: {"Tình trạng": "Hoàn thành", "% tiến độ": "80%"}},
                               out=d / "done-80.xlsx"),
                          r":Nhiệm vụ:7: % tiến độ: a done report has progress 100, not 80$"),
        "unknown status": (fill(blank, {D56: {"Tình trạng": "xong rồi"}}, out=d / "status.xlsx"),
                           r":Nhiệm vụ:7: Tình trạng: unknown status 'xong rồi'"),
        "date in the wrong format": (
            fill(blank, {REVIEW: {"Tình trạng": "Hoàn thành", "Ngày hoàn thành": "2024/09/05"}},
                 out=d / "date.xlsx"),
            r":Nhiệm vụ:6: Ngày hoàn thành: '2024/09/05' is not a date \(use dd/mm/yyyy"),
        "month first": (
            fill(blank, {REVIEW: {"Tình trạng": "Hoàn thành", "Ngày hoàn thành": "09/25/2024"}},
                 out=d / "us-date.xlsx"),
            r":Nhiệm vụ:6: Ngày hoàn thành: '09/25/2024' is not a date"),
        "merged cells": (_merged(fill(blank, {REVIEW: {"Tình trạng": "Hoàn thành"}, **status},
                                      out=d / "m.xlsx"), d / "merged.xlsx"),
                         r":Nhiệm vụ:6: \(cells\): cells H6:H7 are merged: unmerge them"),
        "empty file": (d / "empty.xlsx", r"empty.xlsx:-:-: \(file\): the file is empty$"),
        "workbook without a table": (d / "no-table.xlsx",
                                     r":-:-: \(file\): no sheet has the columns of a return"),
        "template not filled in": (blank, r":-:-: \(file\): nothing filled in"),
        "PNG renamed .xlsx": (d / "picture.xlsx",
                              r":-:-: \(file\): not an .xlsx workbook: it is a PNG image$"),
        "text renamed .xlsx": (d / "text.xlsx",
                               r":-:-: \(file\): not an .xlsx workbook \(it is not a zip archive"),
        "huge workbook": (huge["xlsx"], r"huge.xlsx:Nhiệm vụ:10001: \(sheet\): more than 10,000 rows"),
        "huge CSV": (huge["csv"], r"huge.csv:csv:10001: \(sheet\): more than 10,000 rows"),
    }


def test_every_bad_file_is_refused_with_its_reason_and_the_record_unchanged(
        loaded, cli, tmp_path, huge_files):
    blank = template(cli, tmp_path, "BDV-MAICHAU")
    good = fill(blank, {D56: {"Tình trạng": "Đang thực hiện", "% tiến độ": 20}},
                kpis={("models", None): 300}, out=tmp_path / "good.xlsx")
    corpus = _corpus(blank, good, tmp_path, huge_files)
    before = counts(loaded)
    failures = []
    for name, (path, expected) in corpus.items():
        result = cli("--lang", "en", "import", str(path), "--on", "2024-09-26")  # English reasons
        lines = result.stderr.splitlines()
        if result.exit_code != 2 or not any(re.search(expected, ln) for ln in lines[:-1]):
            failures.append(f"{name}: exit {result.exit_code}, got {lines}")
        if not all(LINE.match(ln) for ln in lines[:-1]) or "nothing imported" not in lines[-1]:
            failures.append(f"{name}: badly formed output {lines}")
        if counts(loaded) != before:
            failures.append(f"{name}: the record changed")
    assert not failures, "\n".join(failures)

    # All at once, with a good file among them: nothing loads, every problem is listed.
    result = cli("--lang", "en", "import", str(good), *(str(p) for p, _ in corpus.values()),
                 "--on", "2024-09-26")
    assert result.exit_code == 2
    for name, (_, expected) in corpus.items():
        assert re.search(expected, result.stderr, re.M), name
    assert counts(loaded) == before == (0, 0)
    assert cli("import", str(good), "--on", "2024-09-26").exit_code == 0
    assert counts(loaded) == (1, 1)


def test_the_same_deadline_twice_with_different_values_is_refused(loaded, cli, tmp_path):
    blank = template(cli, tmp_path, "BDV-MAICHAU")
    a = fill(blank, {D56: {"Tình trạng": "Đang thực hiện", "% tiến độ": 20}}, out=tmp_path / "a.xlsx")
    b = fill(blank, {D56: {"Tình trạng": "Đang thực hiện", "% tiến độ": 30}}, out=tmp_path / "b.xlsx")
    result = cli("import", str(a), str(b), "--on", "2024-09-26")
    assert result.exit_code == 2
    assert result.stderr.endswith(  # said in Vietnamese by default
        "b.xlsx:Nhiệm vụ:7: (row): báo cáo này cũng có ở a.xlsx:Nhiệm vụ:7 với số liệu khác: chỉ "
        "giữ lại một\nplantrack: không nhập gì: 1 lỗi trong 1 tệp\n")
    result = cli("--lang", "en", "import", str(a), str(b), "--on", "2024-09-26")
    assert re.search(r"b.xlsx:Nhiệm vụ:7: \(row\): the same report is also given at "
                     r"a.xlsx:Nhiệm vụ:7 with other values", result.stderr)
    assert counts(loaded) == (0, 0)
    assert cli("import", str(a), str(a), "--on", "2024-09-26").exit_code == 0  # same twice: once
    assert counts(loaded) == (1, 0)


def test_a_zip_that_unpacks_too_big_is_refused_before_it_is_read(huge_files, monkeypatch):
    monkeypatch.setattr(returns_read, "MAX_UNZIPPED_BYTES", 1_000_000)
    (problem,) = returns_read.read_return(huge_files["xlsx"]).problems
    assert re.search(r":-:-: \(file\): too large: \d+ MB once unpacked \(at most 1 MB\)$",
                     str(problem))
