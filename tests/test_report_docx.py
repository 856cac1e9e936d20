"""The monthly report as a signed document: the Word file in the Party's layout (Hướng dẫn
36-HD/VPTW) or the State's (Nghị định 30/2020/NĐ-CP), numbered from the secretariat's register,
opened and converted by LibreOffice; and the HTML report read on a 390-px phone.

The record is the hand-worked September of tests/test_digest.py.
"""
from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from docx import Document
from test_digest import SQLITE_ONLY, digest_of, october, september  # noqa: F401

from tasks.digest.docx import (
    FILE,
    number_line,
    report_number,
    soffice,
    to_pdf,
    write_report,
)
from tasks.digest.month import write_month
from tasks.digest.render import write_digest
from tasks.record import store
from tasks.record.lookups import plan_calendar, resolve_plan
from tasks.record.models import Plan
from tasks.words import date_in_words

CHROMIUM = Path("/usr/bin/chromium")


def texts(doc) -> list[str]:
    """Every paragraph's text, the tables' cells included, in document order."""
    out = []
    for block in doc.element.body.iter():
        if block.tag.endswith("}p"):
            out.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
    return [t for t in out if t.strip()]


def plan_of(url: str) -> Plan:
    with store.session(url) as s:
        return resolve_plan(s, None)


def register(tmp_path: Path, **entries) -> Path:
    path = tmp_path / "var" / "report-numbers.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(entries), encoding="utf-8")
    return path


@SQLITE_ONLY
def test_party_layout_numbered_from_the_register_and_the_same_when_made_again(september,
                                                                              tmp_path):
    numbers = register(tmp_path, BDVTU={"next": 214})
    cal = plan_calendar(plan_of(september.url))
    path = write_report(september.digest("2024-09"), tmp_path, cal, numbers)
    assert path == tmp_path / FILE
    doc = Document(str(path))
    lines = texts(doc)
    header = [c.text for c in doc.tables[0].rows[0].cells]
    assert header[0].split("\n") == ["TỈNH ỦY HÒA BÌNH", "BAN DÂN VẬN", "*", "Số 214-BC/BDVTU"]
    assert header[1].split("\n")[0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    # signed the first working day after the month, place and date in words
    assert "Hòa Bình, ngày 01 tháng 10 năm 2024" in header[1]
    assert lines[lines.index("BÁO CÁO") + 1] == ("kết quả thực hiện phong trào thi đua “Dân vận "
                                                 "khéo” tháng 9/2024")
    for heading in ("I. KẾT QUẢ THỰC HIỆN", "II. HẠN CHẾ, NGUYÊN NHÂN",
                    "III. NHIỆM VỤ TRỌNG TÂM THÁNG TỚI", "IV. ĐỀ XUẤT, KIẾN NGHỊ"):
        assert heading in lines
    # real Word tables: by task, each group of peers, the indicators, the overdue items
    by_task = doc.tables[1]
    assert [c.text for c in by_task.rows[0].cells] == [
        "Nhiệm vụ", "Tổng số", "Hoàn thành đúng hạn", "Hoàn thành quá hạn", "Quá hạn",
        "Tỷ lệ đúng hạn"]
    assert [c.text for c in by_task.rows[3].cells] == [
        "↳ Kịp thời củng cố, kiện toàn thành viên Ban Chỉ đạo khi thay đổi nhân sự", "1", "0",
        "0", "0", "—"]
    groups = [t for t in doc.tables if t.rows[0].cells[0].text == "Hạng"]
    assert len(groups) == 3 and [c.text for c in groups[1].rows[1].cells] == [
        "1", "Sở Nội vụ", "2", "2", "0", "0", "100%"]
    kpis = next(t for t in doc.tables if t.rows[0].cells[0].text == "Chỉ tiêu")
    assert [c.text for c in kpis.rows[0].cells][1] == "Mốc 30/06/2024"
    assert [c.text for c in kpis.rows[1].cells][:4] == [
        "Mô hình “Dân vận khéo” toàn tỉnh", "11.441", "11.530", "+89"]
    # "Nơi nhận" and the signature block
    end = [c.text.split("\n") for c in doc.tables[-1].rows[0].cells]
    assert end[0] == ["Nơi nhận:",
                      "- Ban Thường vụ Tỉnh ủy Hòa Bình (để báo cáo),",
                      "- Ban Chỉ đạo phong trào thi đua “Dân vận khéo” tỉnh (để biết),",
                      "- Lưu Văn phòng."]
    assert [x for x in end[1] if x] == ["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Nguyễn Văn A"]
    page = doc.sections[0]
    assert (round(page.page_width.mm), round(page.page_height.mm)) == (210, 297)  # A4
    assert (round(page.left_margin.mm), round(page.right_margin.mm)) == (30, 15)
    assert "{{" not in "\n".join(lines) and "{%" not in "\n".join(lines)

    # the register keeps the number given; the next month takes the next one
    kept = yaml.safe_load(numbers.read_text(encoding="utf-8"))
    assert kept == {"BDVTU": {"next": 215, "given": {"dvk-2024-h2 2024-09": 214}}}
    first = path.read_bytes()
    october(september)  # records dated in October do not change September's report
    (tmp_path / "again").mkdir()
    again = write_report(september.digest("2024-09"), tmp_path / "again", cal, numbers)
    assert again.read_bytes() == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2024, 9, 30, 0, 0, 0)}
    octo = write_report(september.digest("2024-10"), tmp_path / "again", cal, numbers)
    assert "Số 215-BC/BDVTU" in Document(str(octo)).tables[0].rows[0].cells[0].text


def test_numbers_blank_until_the_secretariat_sets_the_counter(tmp_path):
    numbers = tmp_path / "report-numbers.yaml"
    assert report_number(numbers, "BDVTU", "p", "2024-09") is None
    assert not numbers.exists()
    assert number_line("party", None, "BDVTU") == "Số \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0"\
        "\u00a0-BC/BDVTU"
    assert number_line("state", 7, "SNV") == "Số: 7/BC-SNV"
    numbers = register(tmp_path, SNV={"next": 7})
    assert [report_number(numbers, "SNV", "p", m) for m in ("2024-09", "2024-10", "2024-09")] \
        == [7, 8, 7]
    assert report_number(numbers, "", "p", "2024-09") is None
    assert date_in_words(dt.date(2025, 1, 2), "Hòa Bình") == "Hòa Bình, ngày 02 tháng 01 năm 2025"
    assert date_in_words(dt.date(2024, 10, 1)) == "ngày 01 tháng 10 năm 2024"


@SQLITE_ONLY
def test_a_state_agency_sends_in_the_state_layout(september, tmp_path):
    with store.session(september.url) as s:
        plan = s.execute(sa.select(Plan)).scalar_one()
        plan.settings = {**plan.settings, "sender": {
            "agency": "SNV", "layout": "state", "above_vi": "UBND tỉnh Hòa Bình",
            "symbol": "SNV"}, "signer": {"on_behalf_vi": "KT. GIÁM ĐỐC",
                                         "title_vi": "PHÓ GIÁM ĐỐC", "name": "Trần Thị B"}}
    d = september.digest("2024-09")
    path = write_report(d, tmp_path, plan_calendar(plan_of(september.url)),
                        register(tmp_path, SNV={"next": 31}))
    doc = Document(str(path))
    left, right = (c.text.split("\n") for c in doc.tables[0].rows[0].cells)
    assert [x for x in left if x.strip()] == ["UBND TỈNH HÒA BÌNH", "SỞ NỘI VỤ", "Số: 31/BC-SNV"]
    assert [x for x in right if x.strip()][:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                                   "Độc lập - Tự do - Hạnh phúc"]
    lines = texts(doc)
    assert lines[lines.index("BÁO CÁO") + 1].startswith("Kết quả thực hiện")  # a capital
    assert "Thực hiện Kế hoạch nhiệm vụ trọng tâm" in lines[lines.index("BÁO CÁO") + 2]
    assert "Sở Nội vụ báo cáo kết quả thực hiện tháng 9/2024" in lines[lines.index("BÁO CÁO") + 2]
    end = [c.text.split("\n") for c in doc.tables[-1].rows[0].cells]
    assert end[0][-1] == "- Lưu: VT." and [x for x in end[1] if x] == [
        "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Thị B"]


@SQLITE_ONLY
@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed (.ci/run "
                                              "installs it: apt-get install libreoffice-writer)")
def test_libreoffice_opens_it_and_prints_the_pages(september, tmp_path, cli, monkeypatch):
    """`plantrack digest --docx --pdf`: the document converted to PDF by LibreOffice, read back
    with poppler's pdfinfo and pdftotext."""
    import tasks.digest.docx as docx

    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) is not installed (.ci/run installs it)")

    monkeypatch.setattr(docx, "NUMBERS", register(tmp_path, BDVTU={"next": 214}))
    out = cli("digest", "--month", "2024-09", "--out", str(tmp_path), "--docx", "--pdf")
    assert out.exit_code == 0, out.stdout + out.stderr
    folder = tmp_path / "dvk-2024-h2" / "2024-09"
    assert f"đã ghi 9 tệp vào {folder}" in out.stdout
    pdf = folder / "digest.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(next(line.split()[-1] for line in info.stdout.splitlines()
                     if line.startswith("Pages:")))
    assert pages >= 2

    def page(n: int) -> str:
        text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        return " ".join(text.split())

    first = page(1)
    for line in ("TỈNH ỦY HÒA BÌNH", "BAN DÂN VẬN", "ĐẢNG CỘNG SẢN VIỆT NAM", "Số 214-BC/BDVTU",
                 "Hòa Bình, ngày 01 tháng 10 năm 2024", "BÁO CÁO",
                 "kết quả thực hiện phong trào thi đua “Dân vận khéo” tháng 9/2024",
                 "I. KẾT QUẢ THỰC HIỆN"):
        assert line in first, line
    last = page(pages)
    for line in ("Nơi nhận:", "Lưu Văn phòng.", "K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN",
                 "Nguyễn Văn A"):
        assert line in last, line
    assert "{{" not in " ".join(page(n) for n in range(1, pages + 1))

    with pytest.raises(docx.NoPdf, match="LibreOffice .* is not installed") as refused:
        monkeypatch.setattr(docx, "soffice", lambda: None)
        to_pdf(folder / "digest.docx")
    assert refused.value.said("vi").startswith("chưa cài LibreOffice (soffice)")


@SQLITE_ONLY
def test_the_monthly_use_case_writes_the_document_when_asked(september, tmp_path):
    made = write_month(september.url, None, "2024-09", tmp_path, docx=True,
                       numbers=tmp_path / "numbers.yaml")
    assert made.files["docx"] == tmp_path / "dvk-2024-h2" / "2024-09" / FILE
    assert "docx" not in write_month(september.url, None, "2024-09", tmp_path / "plain").files


@SQLITE_ONLY
@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (.ci/run "
                                                  "installs it: apt-get install chromium)")
def test_on_a_390px_phone_wide_tables_scroll_sideways_and_keep_their_columns(september,
                                                                             tmp_path):
    from playwright.sync_api import sync_playwright

    html = write_digest(september.digest("2024-09"), tmp_path)["html"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True,
                                device_scale_factor=2)
        page.goto(html.as_uri())
        # the page itself never scrolls sideways …
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        boxes = page.evaluate("""() => [...document.querySelectorAll('table')].map(t => ({
            box: t.parentElement.clientWidth, wide: t.parentElement.scrollWidth,
            scroll: getComputedStyle(t.parentElement).overflowX,
            narrowest: Math.min(...[...t.rows[0].cells].map(c => c.getBoundingClientRect().width)),
            text: Math.min(...[...t.rows[1].cells].filter((c, i) =>
                t.rows[0].cells[i].align === 'left').map(c => c.getBoundingClientRect().width))
        }))""")
        browser.close()
    assert len(boxes) >= 10
    # … its tables do, in their own box, and no column is squeezed to a word a line
    assert all(b["scroll"] == "auto" for b in boxes)
    assert sum(b["wide"] > b["box"] for b in boxes) >= 5
    assert min(b["narrowest"] for b in boxes) >= 40
    assert min(b["text"] for b in boxes) >= 150
