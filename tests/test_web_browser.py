"""The web app in a real browser: Debian's Chromium driven by Playwright, the app served by
uvicorn in a thread on 127.0.0.1, reminders delivered to a real SMTP server.

One browser for the module; three journeys: an agency from the reminder email to a recorded
report on a phone; the links and forms that must be refused; the board on a desktop. With
PLANTRACK_WEB_SCREENSHOTS=DIR the phone and board screenshots are also written to DIR (the
README's are made so: `PLANTRACK_WEB_SCREENSHOTS=docs`).
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from tasks.notices.channels import env_name
from tasks.notices.day import decide_day, run_at, run_day
from tasks.record import store
from tasks.record.lookups import agencies_by_code
from tasks.record.models import Report, WebReport
from tasks.settings import CONFIG
from tasks.web import accounts, answers, links

from servers import free_port, smtp_server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (.ci/run installs it: "
                                  "apt-get install chromium)")]

DAY = dt.date(2024, 9, 26)  # BDV-MAICHAU's September report (due 25/09) is one day overdue
NOW = dt.datetime(2024, 9, 26, 3, 0, tzinfo=dt.UTC)  # 10:00 in Vietnam
AGENCY = "BDV-MAICHAU"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "locale": "vi-VN", "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "vi-VN"}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def web(loaded, monkeypatch, tmp_path) -> Iterator[str]:
    """The demo's scripted half-year in the record, and the app serving it on a free port as
    of 10:00 on 26/09/2024; yields its address."""
    from tasks.scripted import script_reports

    script_reports(loaded, yaml.safe_load((CONFIG / "demo" / "script.yaml").read_text("utf-8")))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("PLANTRACK_WEB_SECRET", "s3cret-" + "x" * 40)
    monkeypatch.setenv("PLANTRACK_PUBLIC_URL", base)
    monkeypatch.setenv("PLANTRACK_EVIDENCE_DIR", str(tmp_path / "evidence"))
    with serving(loaded, port, tmp_path):
        yield base


@contextmanager
def serving(url: str, port: int, folder: Path) -> Iterator[None]:
    import uvicorn

    from flows.web.app import WebConfig, create_app

    app = create_app(WebConfig(url, now=lambda: NOW, digests=folder / "digests"))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the app did not start"
        time.sleep(0.02)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(10)


def link(agency: str, issued: dt.datetime = NOW - dt.timedelta(hours=2)) -> str:
    return links.page_url(agency, issued)


def reports_of(url: str, deadline_id: int) -> list[Report]:
    """The reports on a deadline that came through the web (the demo's script made others)."""
    with store.session(url) as s:
        return list(s.execute(sa.select(Report).where(Report.deadline_id == deadline_id,
                                                      Report.source == "web")
                              .order_by(Report.id)).scalars())


def reminded(url: str, day: dt.date, deadline_id: int) -> bool:
    return deadline_id in {i.deadline_id for n in decide_day(url, [], day) for i in n.items}


def keep_screenshot(path: Path) -> None:
    if folder := os.environ.get("PLANTRACK_WEB_SCREENSHOTS"):
        shutil.copyfile(path, Path(folder) / path.name)


def test_from_the_reminder_email_to_a_report_on_a_phone(web, loaded, browser, monkeypatch,
                                                         tmp_path, record_property):
    with store.session(loaded) as s:
        codes = list(agencies_by_code(s))
    with smtp_server() as smtp:
        for code in codes:
            monkeypatch.setenv(env_name(code), smtp.url(f"{code.lower()}@example.org"))
        notices, sent = run_day(loaded, [], DAY, now=run_at(DAY))
        mails = smtp.inbox.wait_for(len(notices))
    assert sent.count("sent") == len(notices)
    (mail,) = [m for m in mails if m.rcpt_tos == [f"{AGENCY.lower()}@example.org"]]
    (notice,) = [n for n in notices if n.recipient == AGENCY and n.kind == "reminder"]
    did = next(i.deadline_id for i in notice.items if i.period == "2024-09")
    (url,) = re.findall(r"Báo cáo trực tuyến: (\S+)", mail.text)
    assert url.startswith(f"{web}/a/{AGENCY}.") and f'href="{url}"' in mail.html
    next_day = next(d for d in (DAY + dt.timedelta(days=n) for n in range(1, 15))
                    if reminded(loaded, d, did))  # the next reminder that lists it

    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    response = page.goto(url)
    assert response is not None and response.status == 200
    html_bytes = len(response.body())
    css_bytes = len(context.request.get(f"{web}/style.css").body())
    assert page.get_by_role("heading", name="Báo cáo thực hiện nhiệm vụ").is_visible()
    assert page.get_by_text("Ban Dân vận Huyện ủy Mai Châu").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    shot = tmp_path / "web-agency-phone.png"
    page.screenshot(path=str(shot))
    keep_screenshot(shot)
    card = page.locator(f"#d{did}")
    assert "Quá hạn" in card.locator(".badge").inner_text()
    card.locator("summary").click()
    card.get_by_label("Đã hoàn thành").check()
    card.get_by_label("Ngày hoàn thành (nếu đã xong)").fill("2024-09-25")
    card.get_by_label("Ghi chú (số, ngày văn bản…)").fill("Báo cáo số 45-BC/BDVHU")
    card.get_by_label("Link minh chứng").fill("https://maichau.example.gov.vn/bc/45")
    card.locator("input[type=file]").set_input_files(
        {"name": "bao-cao-thang-9.pdf", "mimeType": "application/pdf", "buffer": PDF})
    card.get_by_label("Người báo cáo").fill("Hà Thị Lan")

    started = time.perf_counter()
    card.get_by_role("button", name="Gửi báo cáo").click()
    page.locator(f"li#d{did} .badge.done_on_time").wait_for()
    to_status = time.perf_counter() - started
    assert "Đã ghi nhận báo cáo #" in page.locator(".flash").inner_text()
    assert page.locator(f"article#d{did}").count() == 0  # no longer waiting for a report

    (report,) = reports_of(loaded, did)
    assert (report.status, report.completed_on, report.source, report.reported_by,
            report.reported_on) == ("done", dt.date(2024, 9, 25), "web", "Hà Thị Lan", DAY)
    with store.session(loaded) as s:
        (web_row,) = s.execute(sa.select(WebReport)).scalars()
    assert (web_row.client, web_row.evidence_name) == ("127.0.0.1", "bao-cao-thang-9.pdf")
    assert (tmp_path / "evidence" / web_row.evidence_sha256).read_bytes() == PDF
    assert not reminded(loaded, DAY, did) and not reminded(loaded, next_day, did)
    record_property("seconds_from_submit_to_status", round(to_status, 3))
    record_property("agency_page_bytes", {"html": html_bytes, "css": css_bytes})
    print(f"\nsubmit → status shown: {to_status * 1000:.0f} ms; agency page: {html_bytes} B "
          f"HTML + {css_bytes} B CSS")
    context.close()


def test_links_and_forms_that_must_be_refused(web, loaded, browser, monkeypatch, tmp_path):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)

    def refused(address: str, heading: str) -> None:
        response = page.goto(address)
        assert response is not None and response.status == 403
        assert page.get_by_role("heading", name=heading).is_visible()
        assert "thư nhắc việc mới nhất" in page.content()

    good = link(AGENCY)
    body, signature = good.rsplit(".", 1)
    refused(f"{body}.{signature[::-1]}", "Đường dẫn không hợp lệ")
    refused(link(AGENCY, NOW - dt.timedelta(days=31)), "Đường dẫn đã hết hạn")
    with store.session(loaded) as s:
        links.revoke(s, "SNV", NOW - dt.timedelta(hours=1))
    refused(link("SNV"), "Đường dẫn đã bị thu hồi")

    with store.session(loaded) as s:
        mine = answers.agency_page(s, AGENCY, DAY).open
        theirs = answers.agency_page(s, "SNV", DAY).open
    target, foreign = mine[0].status.deadline_id, theirs[0].status.deadline_id

    def open_form(deadline: int):
        page.goto(good)
        card = page.locator(f"#d{deadline}")
        card.locator("summary").click()
        card.get_by_label("Đang thực hiện").check()
        card.get_by_label("Tiến độ (%)").fill("60")
        return card

    # another agency's deadline put into this agency's form
    card = open_form(target)
    card.locator("input[name=deadline_id]").evaluate(f"e => e.value = '{foreign}'")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        card.get_by_role("button", name="Gửi báo cáo").click()
    assert answer.value.status == 403
    assert page.get_by_role("heading", name="Không được phép").is_visible()
    assert reports_of(loaded, foreign) == []

    # a form without its CSRF token
    card = open_form(target)
    card.locator("input[name=csrf]").evaluate("e => e.remove()")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        card.get_by_role("button", name="Gửi báo cáo").click()
    assert answer.value.status == 403
    assert page.get_by_role("heading", name="Biểu mẫu không còn hợp lệ").is_visible()

    # an evidence file over the 10 MB limit
    card = open_form(target)
    scan = tmp_path / "quet.pdf"  # a path, not a buffer: the browser reads it itself
    scan.write_bytes(PDF + b"\0" * (11 * 1024 * 1024))
    card.locator("input[type=file]").set_input_files(scan)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        card.get_by_role("button", name="Gửi báo cáo").click()
    assert answer.value.status == 413
    assert page.get_by_role("heading", name="Tệp quá lớn").is_visible()
    assert reports_of(loaded, target) == []
    assert not any((tmp_path / "evidence").glob("[0-9a-f]*"))

    # the same form sent twice: one report
    card = open_form(target)
    action = card.locator("form").get_attribute("action")
    fields = {name: card.locator(f"input[name={name}]").input_value()
              for name in ("csrf", "deadline_id")}
    card.get_by_role("button", name="Gửi báo cáo").click()
    page.locator(".flash").wait_for()
    assert "Đã ghi nhận báo cáo #" in page.locator(".flash").inner_text()
    again = context.request.post(f"{web}{action}", multipart={
        **fields, "status": "in_progress", "progress": "60"})
    assert again.status == 200 and "đã được ghi nhận" in again.text()
    assert len(reports_of(loaded, target)) == 1
    context.close()


def test_the_board_on_a_desktop(web, loaded, browser, tmp_path):
    with store.session(loaded) as s:
        accounts.add_user(s, "thuky", "secretariat", "mat-khau-thu-ky")
        did = answers.agency_page(s, "HND", DAY).open[0].status.deadline_id
        answers.submit(s, "HND", did, answers.report_from_form(
            {"status": "in_progress", "progress": "70"}), DAY, "n-1", "203.0.113.9", NOW)
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{web}/board")
    assert page.url == f"{web}/signin"
    page.get_by_label("Tên đăng nhập").fill("thuky")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Đăng nhập").click()
    assert answer.value.status == 401
    assert page.get_by_text("Sai tên đăng nhập hoặc mật khẩu.").is_visible()
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-ky")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name="Bảng theo dõi thực hiện kế hoạch").wait_for()
    assert page.url == f"{web}/board"
    text = page.locator("main").inner_text()
    assert "dvk-2024-h2" in text and "Tỷ lệ đúng hạn" in text
    for heading in ("Tình hình thực hiện theo loại nhiệm vụ", "Tình hình thực hiện theo nhiệm vụ",
                    "Bảng xếp hạng cơ quan, đơn vị", "Việc quá hạn chưa hoàn thành",
                    "Báo cáo qua trang web"):
        assert page.get_by_role("heading", name=heading).is_visible()
    answers_table = page.locator("table").nth(4).inner_text()
    assert "HND" in answers_table and "đường dẫn của cơ quan" in answers_table
    assert "203.0.113.9" in answers_table
    shot = tmp_path / "web-board-desktop.png"
    page.screenshot(path=str(shot))
    keep_screenshot(shot)

    page.get_by_role("link", name="Sở Nội vụ").click()  # the secretariat reports for SNV
    card = page.locator("article.deadline").first
    card.locator("summary").click()
    card.get_by_label("Đang thực hiện").check()
    card.get_by_label("Tiến độ (%)").fill("50")
    card.get_by_role("button", name="Gửi báo cáo").click()
    assert "Đã ghi nhận báo cáo #" in page.locator(".flash").inner_text()
    page.get_by_role("link", name="← Bảng theo dõi").click()
    assert "thuky" in page.locator("table").nth(4).inner_text()
    page.get_by_role("button", name="Đăng xuất").click()
    assert page.url == f"{web}/signin"
    context.close()
