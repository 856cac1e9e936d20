"""Issue 14: no input a person can give — a file, an argument, an environment variable, a broken
or missing record — gives a traceback, a hang, unbounded memory, a silent acceptance or a
formula in a workbook. The corpus in tests/corpus/ (one case per line of damage, in five
families) is run here, each case checked for its exit status, one line per problem, no
traceback, no pydantic class name or regular expression, the record unchanged and nothing
created, and its time; the heavy cases once more in a real process, for their memory.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import sqlalchemy as sa
import yaml

from tasks.record import store

from conftest import PG, PLAN, ROOT
from returns_kit import fill, template

CORPUS = Path(__file__).parent / "corpus"
DIRECTORY = ROOT / "config" / "agencies.yaml"
CASE_SECONDS = 5  # every case, on a slow machine; most take a tenth of that
PLAN_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<path>\S.*?): (?P<message>.+)$")
RETURN_LINE = re.compile(r"^[^:]+:[^:]+:(\d+|-): [^:]+: .+$")  # FILE:SHEET:ROW: column: message
# What no message may show: a pydantic class or phrase, a regular expression, a driver's
# exception, a traceback.
LEAKS = re.compile(r"PlanIn|TaskIn|AgencyIn|DirectoryIn|DeadlineRule|KpiIn|Strict\b|"
                   r"instance of|Input should|Value error|should match pattern|\^\[|\[A-Z|"
                   r"\[a-z|Traceback|sqlalchemy|psycopg\.|sqlite3\.|Errno|\bFile \"")
PLAN_TEXT = PLAN.read_text(encoding="utf-8")


def corpus(name: str) -> list[dict[str, Any]]:
    return yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))


def ids(cases: list[dict[str, Any]]) -> list[str]:
    return [f"{c['family']}: {c['name']}" for c in cases]


def no_leak(text: str) -> None:
    assert not LEAKS.search(text), f"a message shows what a person cannot act on: {text!r}"


def edited(text: str, edits: list[list[str]]) -> str:
    for old, new in edits:
        assert text.count(old) == 1, f"edit is not unique: {old!r}"
        text = text.replace(old, new)
    return text


# ── plan files ────────────────────────────────────────────────────────────────────────────────

def _alias_bomb(folder: Path) -> str:
    rows = ["x-a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    for i, name in enumerate("bcdefg"):
        prev = "abcdefg"[i]
        rows.append(f"x-{name}: &{name} [{', '.join([f'*{prev}'] * 10)}]")
    return PLAN_TEXT + "\n" + "\n".join(rows) + "\n"  # 10^7 values once expanded


def _many_deadlines(folder: Path) -> str:
    codes = [a["code"] for a in yaml.safe_load(DIRECTORY.read_text(encoding="utf-8"))["agencies"]]
    rules = "".join(f"""
      - key: r{i}
        title_vi: "Báo cáo {i}"
        title_en: "Report {i}"
        owed_by: [lead, coordinating]
        monthly: {{day: 5}}""" for i in range(200))
    task = f"""
  - key: everything
    kind: inspection
    title_vi: "Mọi việc"
    title_en: "Everything"
    lead: [{codes[1]}]
    coordinating: [{', '.join(codes[2:])}]
    deadlines:{rules}
"""
    text = edited(PLAN_TEXT, [["period: {start: 2024-07-01, end: 2024-12-31}",
                               "period: {start: 2024-07-01, end: 2034-06-30}"]])
    return text.replace("\ntasks:\n", "\ntasks:\n" + task, 1)


def _huge_plan(folder: Path) -> str:
    head, tasks = PLAN_TEXT.split("\ntasks:\n", 1)
    block = tasks.split("\nkpis:\n", 1)[0]
    copies = [re.sub(r"- key: ([a-z-]+)\n", rf"- key: \1-{i}\n", block) for i in range(1300)]
    text = head + "\ntasks:\n" + "\n".join(copies) + "\n"
    assert len(text.encode()) > 20_000_000
    return text


def _other_plan(folder: Path) -> None:
    shutil.copy(PLAN, folder / "plans" / "other.yaml")


PLAN_RECIPES: dict[str, Callable[[Path], Any]] = {
    "alias_bomb": _alias_bomb,
    "brackets": lambda _: "key: x\nfoo: " + "[" * 3000 + "]" * 3000 + "\n",
    "deep_blocks": lambda _: "key: x\n" + "".join(f"{'  ' * i}k{i}:\n" for i in range(60))
    + "  " * 60 + "v: 1\n",
    "huge_plan": _huge_plan,
    "many_deadlines": _many_deadlines,
    "a_list": lambda _: "- key: x\n- key: y\n",
    "a_word": lambda _: "plan\n",
    "other_plan": _other_plan,
    "directory_as_plan": lambda folder: folder / "agencies.yaml",
    "utf16": lambda _: PLAN_TEXT.encode("utf-16"),
    "utf16_unmarked": lambda _: PLAN_TEXT.encode("utf-16-le"),
    "cp1258": lambda _: unicodedata.normalize("NFD", PLAN_TEXT).encode("cp1258", "replace"),
    "binary": lambda _: bytes(range(256)) * 64,
    "empty": lambda _: "",
    "missing": lambda folder: folder / "plans" / "not-there.yaml",
}


def write_plan(folder: Path, case: dict[str, Any]) -> Path:
    """The case's plan file (and its directory beside it, as the shipped plan expects)."""
    (folder / "plans").mkdir(exist_ok=True)
    directory = DIRECTORY.read_text(encoding="utf-8")
    (folder / "agencies.yaml").write_text(edited(directory, case.get("directory", [])),
                                          encoding="utf-8")
    path = folder / "plans" / "broken.yaml"
    made = PLAN_RECIPES[case["made"]](folder) if "made" in case else None
    if isinstance(made, Path):
        return made
    content = made if isinstance(made, (str, bytes)) else PLAN_TEXT
    if isinstance(content, str):
        path.write_text(edited(content, case.get("edits", [])), encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


PLAN_CASES = corpus("plans.yaml")


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines) if needle in line) + 1


@pytest.mark.parametrize("case", PLAN_CASES, ids=ids(PLAN_CASES))
def test_plan_files(case, cli, tmp_path):
    path = write_plan(tmp_path, case)
    started = time.monotonic()
    result = cli("--lang", "en", "plan", "check", str(path))  # the corpus expects English
    took = time.monotonic() - started
    lines = result.stderr.splitlines()
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert lines and all(PLAN_LINE.match(line) for line in lines), lines
    assert len(lines) == len(set(lines)), f"a problem said twice: {lines}"
    found = [line for line in lines if re.search(case["expect"], line)]
    assert found, f"{case['expect']!r} not in {lines}"
    if "at" in case:
        named = PLAN_LINE.match(found[0])
        assert named["line"] == str(line_of(Path(named["file"]), case["at"])), found[0]
    if "once" in case:
        assert sum(case["once"] in line for line in lines) == 1, lines
    no_leak(result.stderr)
    assert took < CASE_SECONDS, f"{took:.1f} s"


LOADED = [c for c in PLAN_CASES if c.get("load")]


@pytest.mark.parametrize("case", LOADED, ids=ids(LOADED))
def test_plan_load_refuses_what_check_refuses(case, loaded, cli, tmp_path):
    path = write_plan(tmp_path, case)
    before = fingerprint(loaded)
    checked = cli("--lang", "en", "plan", "check", str(path))
    refused = cli("--lang", "en", "plan", "load", str(path))
    assert (refused.exit_code, refused.stdout) == (2, "")
    assert refused.stderr == checked.stderr and "Traceback" not in refused.stderr
    assert fingerprint(loaded) == before


def test_every_family_has_cases():
    families = {c["family"] for name in ("plans.yaml", "commands.yaml", "returns.yaml")
                for c in corpus(name)}
    assert families == {"boundary", "bounds", "checks", "injection", "messages"}


def test_the_national_parent_chain_and_a_utf8_bom_are_fine(cli, tmp_path):
    """What is large or unusual but valid still checks: a chain of 3,000 tasks each the parent
    of the next (no recursion limit), and a plan saved with a UTF-8 byte-order mark."""
    chain = "".join(f"""
  - key: t{i}
    parent: t{i - 1}
    title_vi: "Việc {i}"
    title_en: "Task {i}"
""" for i in range(1, 3000))
    text = PLAN_TEXT.replace("\ntasks:\n", "\ntasks:\n  - key: t0\n    kind: inspection\n"
                             "    title_vi: \"Việc 0\"\n    title_en: \"Task 0\"\n"
                             "    lead: [SNV]\n" + chain, 1)
    write_plan(tmp_path, {"name": "", "family": ""})
    chained = tmp_path / "plans" / "chain.yaml"
    chained.write_text(text, encoding="utf-8")
    marked = tmp_path / "plans" / "bom.yaml"
    marked.write_bytes(b"\xef\xbb\xbf" + PLAN_TEXT.encode())
    started = time.monotonic()
    result = cli("plan", "check", str(chained), str(marked))
    assert result.exit_code == 0, result.stderr
    assert "3016 nhiệm vụ" in result.stdout and "16 nhiệm vụ, 190 hạn" in result.stdout
    assert time.monotonic() - started < CASE_SECONDS


# ── the record: fingerprints ───────────────────────────────────────────────────────────────────

def fingerprint(url: str) -> str:
    """The record as it is: a SQLite file's bytes (every connection closed first, so the
    write-ahead log is in the file), or every row of every PostgreSQL table."""
    path = store.sqlite_file(url)
    store.dispose(url)
    if path is not None:
        return hashlib.sha256(path.read_bytes()).hexdigest() + repr(
            sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name)))
    eng = sa.create_engine(url)
    try:
        with eng.connect() as c:
            tables = sorted(sa.inspect(c).get_table_names())
            return repr([(t, c.execute(sa.text(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                f'FROM "{t}" t')).one()) for t in tables])
    finally:
        eng.dispose()


# ── commands and environments ───────────────────────────────────────────────────────────────────

def _half_record(folder: Path, url: str) -> Path:
    source = folder / "source.db"
    store.upgrade(f"sqlite:///{source}")
    store.dispose(f"sqlite:///{source}")
    data = source.read_bytes()
    (folder / "half.db").write_bytes(data[:len(data) // 2])
    return folder / "half.db"


def _newer_record(folder: Path, url: str) -> None:
    with store.session(url) as s:
        s.execute(sa.text("UPDATE alembic_version SET version_num = 'ffffffffffff'"))
    store.dispose(url)


def _folder(folder: Path, url: str) -> Path:
    (folder / "snv.xlsx").mkdir()
    return folder / "snv.xlsx"


def _a_file(folder: Path, url: str) -> Path:
    (folder / "a-file").write_text("not a folder", encoding="utf-8")
    return folder / "a-file"


COMMAND_RECIPES: dict[str, Callable[[Path, str], Any]] = {
    "not_sqlite": lambda folder, _: _write(folder / "notes.db", "Họp giao ban thứ Hai\n"),
    "half_record": _half_record,
    "tiny_record": lambda folder, _: _write(folder / "tiny.db", b"SQLite format 3\x00" + bytes(34)),
    "newer_record": _newer_record,
    "a_folder": _folder,
    "a_file": _a_file,
}


def _write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def _pg_url(**parts: str) -> str:
    return sa.engine.make_url(PG).set(**parts).render_as_string(hide_password=False) if PG else ""


COMMAND_CASES = corpus("commands.yaml")


def prepare(case: dict[str, Any], tmp: Path, url: str, monkeypatch) -> list[str]:
    """Run the case's recipe and set its environment; its command line."""
    made = COMMAND_RECIPES[case["made"]](tmp, url) if "made" in case else None
    values = {"tmp": str(tmp), "made": str(made), "plan": str(PLAN),
              "pg_role_nobody": _pg_url(username="plantrack_nobody"),
              "pg_no_database": _pg_url(database="plantrack_no_such_db")}
    for name, value in case.get("env", {}).items():
        monkeypatch.setenv(name, value.format(**values))
    return ["--lang", "en", *(a.format(**values) for a in case["args"])]


def run_command(case: dict[str, Any], cli, args: list[str], tmp: Path) -> None:
    started = time.monotonic()
    result = cli(*args)
    took = time.monotonic() - started
    assert result.exit_code == case.get("exit", 2), result.output
    if case.get("exit", 2) == 2:
        lines = result.stderr.splitlines()
        assert result.stdout == "" and len(lines) == 1, result.output
        assert re.search(case["expect"], lines[0]), f"{case['expect']!r} not in {lines[0]!r}"
        no_leak(lines[0])
        if "hidden" in case:
            assert case["hidden"] not in result.stderr
    else:
        assert "Traceback" not in result.stderr
    if "absent" in case:
        assert not (tmp / case["absent"]).exists(), f"{case['absent']} was created"
    assert took < CASE_SECONDS, f"{took:.1f} s"


ON_RECORD = [c for c in COMMAND_CASES if c.get("record")]
OFF_RECORD = [c for c in COMMAND_CASES if not c.get("record")]


@pytest.mark.parametrize("case", ON_RECORD, ids=ids(ON_RECORD))
def test_commands_on_the_record(case, loaded, cli, tmp_path, monkeypatch):
    """On SQLite and PostgreSQL: one line (or, for the bounded runs, exit 0 in time), and the
    record as it was."""
    if case.get("sqlite") and store.sqlite_file(loaded) is None:
        pytest.skip("simulate copies only a SQLite record")
    work = tmp_path / "work"
    work.mkdir()
    args = prepare(case, work, loaded, monkeypatch)
    before = fingerprint(loaded)
    run_command(case, cli, args, work)
    if case.get("exit", 2) == 2:
        assert fingerprint(loaded) == before, "the record changed"


@pytest.mark.parametrize("case", OFF_RECORD, ids=ids(OFF_RECORD))
def test_commands_off_the_record(case, cli, tmp_path, monkeypatch):
    """Records that cannot be used, and command lines mistyped: one line, nothing created."""
    if case.get("pg") and not PG:
        pytest.skip("PLANTRACK_TEST_PG_URL not set")
    monkeypatch.setenv("PLANTRACK_DATABASE_URL", f"sqlite:///{tmp_path / 'unused' / 'x.db'}")
    args = prepare(case, tmp_path, "", monkeypatch)
    before = files(tmp_path)
    run_command(case, cli, args, tmp_path)
    assert files(tmp_path) == before, "a file was created or changed"


def files(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder`, with its content's hash."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            if p.is_file() else "" for p in sorted(folder.rglob("*"))}


# ── returns ────────────────────────────────────────────────────────────────────────────────────

D56 = ("leadership", "monthly-report", "2024-09")
CSV_HEAD = "Mã đơn vị,Mã nhiệm vụ,Mã hạn,Kỳ,Tình trạng,Ghi chú\n"


def _keys_deleted(blank: Path, d: Path) -> Path:
    out = fill(blank, {D56: {"Tình trạng": "Đang thực hiện", "% tiến độ": 20}},
               out=d / "keys-deleted.xlsx")
    wb = openpyxl.load_workbook(out)
    wb.worksheets[0].delete_cols(1, 4)  # what "Delete columns" on the hidden A:D does
    wb.save(out)
    return out


def _extra_sheet(blank: Path, d: Path) -> Path:
    out = fill(blank, {D56: {"Tình trạng": "Hoàn thành"}}, out=d / "extra-sheet.xlsx")
    wb = openpyxl.load_workbook(out)
    wb.create_sheet("Ghi chú").append(["Đã báo cáo UBND huyện", "12/09/2024"])
    wb.save(out)
    return out


def _kpi_header_wiped(blank: Path, d: Path) -> Path:
    out = fill(blank, {D56: {"Tình trạng": "Hoàn thành"}}, out=d / "kpi-header.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb["Chỉ tiêu"]
    ws.protection.sheet = False
    for cell in ws[5]:
        cell.value = None
    wb.save(out)
    return out


def _uncomputed_formula(blank: Path, d: Path) -> Path:
    out = fill(blank, {D56: {"Tình trạng": "Đang thực hiện"}}, out=d / "formula.xlsx")
    wb = openpyxl.load_workbook(out)
    wb.worksheets[0]["I7"] = "=40+20"  # openpyxl saves no value for it: Excel never ran it
    wb.save(out)
    return out


def _month_13(blank: Path, d: Path) -> Path:
    out = fill(blank, {D56: {"Tình trạng": "Hoàn thành"}}, out=d / "month-13.xlsx")
    wb = openpyxl.load_workbook(out)
    wb.worksheets[0]["D7"] = "2024-13"
    wb.save(out)
    return out


def _csv(d: Path, name: str, body: str, head: str = CSV_HEAD) -> Path:
    return _write(d / name, head + body)


def _blank_rows_xlsx(blank: Path, d: Path) -> Path:
    out = d / "blank-rows.xlsx"
    rows = "".join(f'<row r="{n}"/>' for n in range(20, 2_000_020)).encode()
    with zipfile.ZipFile(blank) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED,
                                                        compresslevel=1) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", rows + b"</sheetData>")
            dst.writestr(item, data)
    return out


def _too_large(blank: Path, d: Path) -> Path:
    out = d / "too-large.csv"
    with out.open("wb") as f:
        f.truncate(25_000_000)  # sparse: nothing is written
    return out


def _device(blank: Path, d: Path) -> Path:
    (d / "zero.csv").symlink_to("/dev/zero")
    return d / "zero.csv"


RETURN_RECIPES: dict[str, Callable[[Path, Path], Path]] = {
    "keys_deleted": _keys_deleted,
    "extra_sheet": _extra_sheet,
    "kpi_header_wiped": _kpi_header_wiped,
    "uncomputed_formula": _uncomputed_formula,
    "month_13": _month_13,
    "kpi_month_13": lambda _, d: _csv(d, "kpi.csv", "BDV-MAICHAU,models,,2024-13,300\n",
                                      "Mã đơn vị,Mã chỉ tiêu,Mã phần,Kỳ,Giá trị kỳ này\n"),
    "blank_rows_csv": lambda _, d: _csv(
        d, "blank-rows.csv", "BDV-MAICHAU,leadership,monthly-report,2024-09,Hoàn thành,\n"
        + ",,,,,\n" * 2_000_000),
    "blank_rows_xlsx": _blank_rows_xlsx,
    "device": _device,
    "too_large": _too_large,
    "folder": lambda _, d: (d / "folder.xlsx").mkdir() or d / "folder.xlsx",
    "bell_in_note": lambda _, d: _csv(
        d, "bell.csv", "BDV-MAICHAU,leadership,monthly-report,2024-09,Hoàn thành,đã gửi\a\n"),
    "invisible_key": lambda _, d: _csv(
        d, "zwsp.csv", "BDV-MAICHAU,leadership\u200b,monthly-report,2024-09,Hoàn thành,\n"),
    "invisible_agency": lambda _, d: _csv(
        d, "nbsp.csv", "BDV\u00a0MAICHAU,leadership,monthly-report,2024-09,Hoàn thành,\n"),
}
RETURN_CASES = corpus("returns.yaml")


@pytest.fixture
def blank(loaded, cli, tmp_path) -> Path:
    return template(cli, tmp_path, "BDV-MAICHAU")


@pytest.mark.parametrize("case", RETURN_CASES, ids=ids(RETURN_CASES))
def test_returns(case, blank, loaded, cli, tmp_path):
    d = tmp_path / "returns"
    d.mkdir()
    path = RETURN_RECIPES[case["made"]](blank, d)
    before = fingerprint(loaded)
    started = time.monotonic()
    result = cli("--lang", "en", "import", str(path), "--on", "2024-09-26")
    took = time.monotonic() - started
    lines = result.stderr.splitlines()
    assert result.exit_code == 2, result.output
    assert all(RETURN_LINE.match(line) for line in lines[:-1]), lines
    assert lines[-1].startswith("plantrack: nothing imported:"), lines
    assert any(re.search(case["expect"], line) for line in lines[:-1]), \
        f"{case['expect']!r} not in {lines}"
    assert len(lines) == len(set(lines)), lines
    no_leak(result.stderr)
    assert took < CASE_SECONDS, f"{took:.1f} s"
    assert fingerprint(loaded) == before, "the record changed"


def test_a_utf16_csv_as_excel_saves_unicode_text_is_read(loaded, cli, tmp_path):
    path = tmp_path / "unicode.csv"
    path.write_bytes(("Mã đơn vị\tMã nhiệm vụ\tMã hạn\tKỳ\tTình trạng\n"
                      "BDV-MAICHAU\tleadership\tmonthly-report\t2024-09\tHoàn thành\n"
                      ).encode("utf-16"))
    result = cli("--lang", "en", "import", str(path), "--on", "2024-09-26")
    assert result.exit_code == 0, result.stderr


# ── injection: a workbook never holds a formula someone typed ────────────────────────────────

TYPED = {"=HYPERLINK(\"http://evil.example/\",\"Bấm vào đây\")": "title_vi",
         "@SUM(1+1)*cmd|' /C calc'!A0": "text",
         "\t=1+1": "tab"}


def _formula_plan(folder: Path) -> Path:
    edits = [['    title_vi: "Đổi mới công tác dân vận chính quyền; đẩy mạnh cải cách hành chính"',
              '    title_vi: "=HYPERLINK(\\"http://evil.example/\\",\\"Bấm vào đây\\")"'],
             ['        title_vi: "Báo cáo kết quả dân vận chính quyền và cải cách hành chính hằng '
              'tháng"', "        title_vi: \"@SUM(1+1)*cmd|' /C calc'!A0\""],
             ['    name_vi: "Sở Nội vụ"', '    name_vi: "\\t=1+1"']]
    (folder / "plans").mkdir()
    directory = DIRECTORY.read_text(encoding="utf-8")
    (folder / "agencies.yaml").write_text(edited(directory, edits[2:]), encoding="utf-8")
    path = folder / "plans" / "formula.yaml"
    path.write_text(edited(PLAN_TEXT, edits[:2]), encoding="utf-8")
    return path


def test_typed_text_is_written_as_text_never_as_a_formula(db_url, cli, tmp_path):
    plan = _formula_plan(tmp_path)
    assert cli("plan", "load", str(plan)).exit_code == 0
    out = tmp_path / "snv.xlsx"
    made = cli("template", "--agency", "SNV", "--period", "2024-09", "--as-of", "2024-09-01",
               "--out", str(out))
    assert made.exit_code == 0, made.stderr
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name
    texts = {c.value for ws in openpyxl.load_workbook(out).worksheets
             for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert set(TYPED) - {"\t=1+1"} <= texts  # read back exactly as typed
    assert "Đơn vị: \t=1+1 (SNV)" in texts
    csv_out = tmp_path / "snv.csv"
    assert cli("template", "--agency", "SNV", "--period", "2024-09", "--as-of", "2024-09-01",
               "--out", str(csv_out), "--csv").exit_code == 0
    text = csv_out.read_text(encoding="utf-8")
    assert "\"'=HYPERLINK(" in text and "'@SUM(1+1)" in text  # OWASP: a leading apostrophe


def test_a_control_character_already_in_the_record_does_not_break_a_workbook(
        loaded, cli, tmp_path):
    """A record loaded before plans were checked for them may hold one: the workbook drops it."""
    with store.session(loaded) as s:
        s.execute(sa.text("UPDATE task SET title_vi = 'Lãnh\x07 đạo\x1b' WHERE key = 'leadership'"))
    out = tmp_path / "t.xlsx"
    made = cli("template", "--agency", "BDV-MAICHAU", "--period", "2024-09", "--as-of",
               "2024-09-01", "--out", str(out))
    assert made.exit_code == 0, made.stderr
    texts = {c.value for row in openpyxl.load_workbook(out).worksheets[0].iter_rows()
             for c in row}
    assert "Lãnh đạo" in texts


# ── the boundary itself ─────────────────────────────────────────────────────────────────────────

def test_plantrack_debug_prints_the_traceback_too(cli, tmp_path, monkeypatch):
    _write(tmp_path / "notes.db", "not a record")
    monkeypatch.setenv("PLANTRACK_DATABASE_URL", f"sqlite:///{tmp_path / 'notes.db'}")
    monkeypatch.setenv("PLANTRACK_DEBUG", "1")
    result = cli("--lang", "en", "status")
    assert result.exit_code == 2
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert result.stderr.splitlines()[-1].endswith("is not a plantrack record (not a SQLite "
                                                   "database): set PLANTRACK_DATABASE_URL to "
                                                   "the record, or move this file away and run "
                                                   "`plantrack db upgrade`")


def test_a_bug_keeps_its_traceback(loaded, cli, monkeypatch):
    import tasks.status

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(tasks.status, "plans_statuses", broken)
    with pytest.raises(ZeroDivisionError):
        cli("status", "--as-of", "2024-09-30")


def test_vietnamese_is_the_default_language_of_the_boundary(cli, monkeypatch):
    monkeypatch.setenv("PLANTRACK_DATABASE_URL", "::::")
    result = cli("status")
    assert result.stderr == ("plantrack: PLANTRACK_DATABASE_URL không phải địa chỉ cơ sở dữ "
                             "liệu: ghi sqlite:///ĐƯỜNG/DẪN/TỆP.db hoặc "
                             "postgresql+psycopg://NGƯỜI_DÙNG@MÁY_CHỦ/CSDL\n")


HEAVY = """
import json, sys, time
from typer.testing import CliRunner
from flows.cli import app
out = {}
for name, args in json.loads(sys.argv[1]).items():
    started = time.monotonic()
    result = CliRunner().invoke(app, args)
    out[name] = [result.exit_code, round(time.monotonic() - started, 2), result.stderr[-300:]]
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
out["peak_mb"] = int(hwm.split()[1]) / 1024
print(json.dumps(out))
"""


def test_the_heavy_cases_in_a_real_process_are_bounded_in_time_and_memory(tmp_path,
                                                                           db_templates):
    """An alias bomb, a 20 MB plan, /dev/zero as the directory, two million blank rows: each
    refused in well under the time limit, the process never above a few hundred MB (before,
    the bomb took 32 s and 1.5 GB, /dev/zero ran out of memory)."""
    def plan(name: str, case: dict[str, Any]) -> Path:
        (tmp_path / name).mkdir()
        return write_plan(tmp_path / name, case)

    bomb, huge = plan("bomb", {"made": "alias_bomb"}), plan("huge", {"made": "huge_plan"})
    zero = plan("zero", {"edits": [["directory: ../agencies.yaml", "directory: /dev/zero"]]})
    rows = _csv(tmp_path, "rows.csv", "BDV-MAICHAU,leadership,monthly-report,2024-09,x,\n"
                + ",,,,,\n" * 2_000_000)
    cases = {"bomb": ["plan", "check", str(bomb)], "20 MB": ["plan", "check", str(huge)],
             "/dev/zero": ["plan", "check", str(zero)],
             "2,000,000 rows": ["import", str(rows), "--on", "2024-09-26"]}
    record = db_templates.copy("sqlite", ("loaded",), tmp_path)
    env = os.environ | {"PLANTRACK_DATABASE_URL": record}
    run = subprocess.run([sys.executable, "-c", HEAVY, json.dumps(cases)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    for name in cases:
        code, seconds, said = out[name]
        assert code == 2 and "Traceback" not in said, (name, said)
        assert seconds < CASE_SECONDS, (name, seconds)
    assert out["peak_mb"] < 400, out


def test_rows_appended_to_a_workbook_are_text_too(tmp_path):
    """The helper the digest's workbook writes its rows with (tasks.returns.cells.append_row)."""
    from tasks.returns.cells import append_row

    wb = openpyxl.Workbook()
    ws = wb.active
    append_row(ws, ["=1+1", "+SUM(A1)", "-2+3", "@x", "\r=cmd", "Lãnh\x07 đạo", 12, None])
    wb.save(tmp_path / "d.xlsx")
    with zipfile.ZipFile(tmp_path / "d.xlsx") as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")
    row = [c.value for c in next(openpyxl.load_workbook(tmp_path / "d.xlsx").active.iter_rows())]
    assert row[:7] == ["=1+1", "+SUM(A1)", "-2+3", "@x", "\r=cmd", "Lãnh đạo", 12]
