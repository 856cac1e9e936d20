"""The web app without a browser: signed links and their expiry and revocation, staff accounts
and the sign-in throttle, evidence files checked by content, an agency's page and its reports
(the command line's rules), the calendar feed, reminders carrying a fresh link that is never
stored, and the HTTP layer — headers, refusal pages, CSRF, the body limit — through Starlette's
test client."""
from __future__ import annotations

import datetime as dt
import io
import re
import secrets
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from tasks.errors import BadInput, NotFound
from tasks.notices.day import decide_day, run_day
from tasks.notices.senders import FileSink
from tasks.plan.load import load_file
from tasks.record import store
from tasks.record.models import LinkRevocation, Message, Report, StaffUser, WebReport
from tasks.settings import ROOT
from tasks.status import plans_statuses
from tasks.web import accounts, answers, evidence, feed, links, signing
from tasks.web.board import DIGEST_FILES, digest_file

NOW = dt.datetime(2024, 9, 26, 3, 0, tzinfo=dt.UTC)  # 10:00 on 26/09/2024 in Vietnam
DAY = dt.date(2024, 9, 26)
SECRET = secrets.token_urlsafe(32)
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
SECOND = ROOT / "tests" / "plans" / "cchc-2024-h2.yaml"
# Starlette's test client warns that it will move from httpx to httpx2.
pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")


@pytest.fixture
def web_env(monkeypatch, tmp_path) -> Path:
    """The web app's settings: a secret, a public address, an evidence folder (returned)."""
    monkeypatch.setenv("PLANTRACK_WEB_SECRET", SECRET)
    monkeypatch.setenv("PLANTRACK_PUBLIC_URL", "https://plantrack.test")
    monkeypatch.setenv("PLANTRACK_EVIDENCE_DIR", str(tmp_path / "evidence"))
    return tmp_path / "evidence"


def deadline_id(url: str, agency: str, task: str, period: str, plan: str = "dvk-2024-h2") -> int:
    from tasks.record.lookups import find_deadline, resolve_plan

    with store.session(url) as s:
        return find_deadline(s, resolve_plan(s, plan), task, agency, period).id or 0


# ── signing: links, sessions, forms ─────────────────────────────────────────────────────────

def test_a_link_names_its_agency_and_expires(web_env):
    key, month = signing.secret(), dt.timedelta(days=30)
    token = signing.link_token(key, "SNV", NOW)
    assert token.startswith("SNV.") and SECRET not in token
    link = signing.read_link(key, token, NOW + dt.timedelta(days=29, hours=23), month)
    assert (link.agency, link.issued, link.kind) == ("SNV", NOW, signing.PAGE)

    def refused(tok: str, now: dt.datetime = NOW, kind: str = signing.PAGE,
                k: str = key) -> str:
        with pytest.raises(signing.LinkRefused) as exc:
            signing.read_link(k, tok, now, month, kind)
        return exc.value.reason

    assert refused(token, NOW + month + dt.timedelta(seconds=1)) == signing.EXPIRED
    body, sig = token.rsplit(".", 1)
    # the signature's first character (its last one carries unused bits: a change there may
    # decode to the same bytes)
    assert refused(f"{body}.{'B' if sig[0] == 'A' else 'A'}{sig[1:]}") == signing.TAMPERED
    assert refused(token.replace("SNV.", "HND.", 1)) == signing.TAMPERED  # another agency
    assert refused(token, k=secrets.token_urlsafe(32)) == signing.TAMPERED  # another secret
    assert refused(token, kind=signing.FEED) == signing.TAMPERED  # a page link is no feed link
    feed_token = signing.link_token(key, "SNV", NOW, signing.FEED)
    assert refused(feed_token) == signing.TAMPERED  # … and a feed link opens no page
    assert refused("SNV") == signing.TAMPERED and refused("") == signing.TAMPERED
    assert refused(signing.link_token(key, "SNV", NOW + dt.timedelta(hours=1))) == \
        signing.TAMPERED  # issued in the future: not made by this server's clock


def test_form_tokens_are_bound_single_use_nonces(web_env):
    key = signing.secret()
    token = signing.form_token(key, "LINK|42", NOW)
    nonce = signing.read_form(key, token, "LINK|42", NOW + dt.timedelta(hours=3))
    assert nonce != signing.read_form(key, signing.form_token(key, "LINK|42", NOW), "LINK|42",
                                      NOW)  # each form its own nonce
    for bad, bound, now in [(None, "LINK|42", NOW), ("", "LINK|42", NOW),
                            (token, "LINK|43", NOW),  # made for another deadline
                            (token, "OTHER|42", NOW),  # … or another link / session
                            (token[:-2], "LINK|42", NOW),
                            (token, "LINK|42", NOW + dt.timedelta(days=2))]:  # too old
        with pytest.raises(signing.FormRefused):
            signing.read_form(key, bad, bound, now)


def test_sessions_are_signed_and_expire(web_env):
    key = signing.secret()
    token = signing.session_token(key, 7, NOW)
    found = signing.read_session(key, token, NOW + dt.timedelta(hours=11))
    assert found is not None and found.user_id == 7
    assert signing.read_session(key, token, NOW + dt.timedelta(hours=13)) is None
    assert signing.read_session(key, token.replace("7.", "8.", 1), NOW) is None
    assert signing.read_session(secrets.token_urlsafe(32), token, NOW) is None
    assert signing.read_session(key, "", NOW) is None


def test_without_a_secret_no_link_is_made(monkeypatch):
    monkeypatch.setenv("PLANTRACK_PUBLIC_URL", "https://plantrack.test")
    monkeypatch.delenv("PLANTRACK_WEB_SECRET", raising=False)
    assert not links.configured() and links.link_for_message("SNV", DAY) == ""
    with pytest.raises(signing.NotConfigured, match="PLANTRACK_WEB_SECRET"):
        signing.secret()
    monkeypatch.setenv("PLANTRACK_WEB_SECRET", "short")
    assert not links.configured()
    monkeypatch.setenv("PLANTRACK_WEB_SECRET", SECRET)
    monkeypatch.delenv("PLANTRACK_PUBLIC_URL")
    assert not links.configured() and links.link_for_message("SNV", DAY) == ""


def test_revoking_stops_the_links_issued_before_only(loaded, web_env):
    key = signing.secret()
    old = signing.link_token(key, "SNV", NOW - dt.timedelta(days=2))
    other = signing.link_token(key, "HND", NOW - dt.timedelta(days=2))
    with store.session(loaded) as s:
        assert links.check(s, old, NOW).agency == "SNV"
        links.revoke(s, "SNV", NOW - dt.timedelta(days=1), note="forwarded by mistake")
    with store.session(loaded) as s:
        with pytest.raises(signing.LinkRefused) as exc:
            links.check(s, old, NOW)
        assert exc.value.reason == signing.REVOKED
        assert links.check(s, other, NOW).agency == "HND"  # other agencies' links work
        fresh = signing.link_token(key, "SNV", NOW - dt.timedelta(hours=1))
        assert links.check(s, fresh, NOW).agency == "SNV"  # a link issued since works
        ghost = signing.link_token(key, "NOPE", NOW)  # signed, but no such agency
        with pytest.raises(signing.LinkRefused, match="tampered"):
            links.check(s, ghost, NOW)
        with pytest.raises(NotFound):
            links.revoke(s, "NOPE", NOW)
        (row,) = s.execute(sa.select(LinkRevocation)).scalars()
        assert row.note == "forwarded by mistake"


# ── staff accounts ──────────────────────────────────────────────────────────────────────────

def test_accounts_hash_with_scrypt_and_check_their_input(db_url):
    with store.session(db_url) as s:
        user = accounts.add_user(s, "thuky", "secretariat", "mat-khau-dai-du")
        assert user.password_hash.startswith("scrypt$16384$8$1$")
        assert "mat-khau" not in user.password_hash
        assert accounts.hash_password("x" * 12) != accounts.hash_password("x" * 12)  # salted
        for name, role, password, message in [
                ("thuky", "leader", "mat-khau-dai-du", "already exists"),
                ("Thu Ky", "leader", "mat-khau-dai-du", "lower-case"),
                ("lanhdao", "boss", "mat-khau-dai-du", "role"),
                ("lanhdao", "leader", "ngan", "at least 10")]:
            with pytest.raises(BadInput, match=message):
                accounts.add_user(s, name, role, password)
    with store.session(db_url) as s:
        assert accounts.authenticate(s, "thuky", "mat-khau-dai-du").name == "thuky"
        assert accounts.authenticate(s, "thuky", "mat-khau-sai-roi") is None
        assert accounts.authenticate(s, "nobody", "mat-khau-dai-du") is None


def test_sign_in_failures_lock_out_an_address_and_a_name():
    t = accounts.Throttle(limit=3, window=dt.timedelta(minutes=15))
    keys = ["client:1.2.3.4", "name:thuky"]
    for i in range(3):
        assert t.wait(keys, NOW) == dt.timedelta(0)
        t.failed(keys, NOW + dt.timedelta(minutes=i))
    assert t.wait(keys, NOW + dt.timedelta(minutes=3)) == dt.timedelta(minutes=12)
    assert t.wait(["client:5.6.7.8", "name:thuky"], NOW) > dt.timedelta(0)  # the name too
    assert t.wait(keys, NOW + dt.timedelta(minutes=15)) == dt.timedelta(0)  # the window passes
    t.failed(keys, NOW), t.failed(keys, NOW), t.failed(keys, NOW)
    t.succeeded("name:thuky")  # a success forgets the name, not the address
    assert t.wait(["client:9.9.9.9", "name:thuky"], NOW) == dt.timedelta(0)
    assert t.wait(["client:1.2.3.4"], NOW) > dt.timedelta(0)


# ── evidence files ──────────────────────────────────────────────────────────────────────────

def _office(folder: str, extra: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(f"{folder}document.xml", "<x/>")
        if extra:
            z.writestr(extra, b"\0")
    return buf.getvalue()


@pytest.mark.parametrize("name, data, kind", [
    ("bao-cao.pdf", PDF, "application/pdf"),
    ("ảnh chụp.PNG", PNG, "image/png"),
    ("anh.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 20, "image/jpeg"),
    ("bao-cao.docx", _office("word/"), "application/vnd.openxmlformats-officedocument."
                                       "wordprocessingml.document"),
    ("so-lieu.xlsx", _office("xl/"), "application/vnd.openxmlformats-officedocument."
                                     "spreadsheetml.sheet"),
    ("cu.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 20, "application/msword"),
])
def test_evidence_accepted_by_its_bytes(tmp_path, name, data, kind):
    kept = evidence.keep(io.BytesIO(data), name, tmp_path, 1024 * 1024)
    assert (kept.content_type, kept.size, kept.name) == (kind, len(data), name)
    assert (tmp_path / kept.sha256).read_bytes() == data
    again = evidence.keep(io.BytesIO(data), "khac.pdf" if kind.endswith("pdf") else name,
                          tmp_path, 1024 * 1024)
    assert again.sha256 == kept.sha256
    assert [p.name for p in tmp_path.iterdir()] == [kept.sha256]  # kept once, nothing else


@pytest.mark.parametrize("name, data, message", [
    ("bao-cao.pdf", PNG, "is a .png file by its content, not a .pdf"),
    ("bao-cao.pdf", b"<html><script>alert(1)</script>", "is not a PDF, an image"),
    ("chay.exe", b"MZ\x90\x00" + b"\0" * 40, "is not a PDF, an image"),
    ("bao-cao.docx", _office("xl/"), "is a .xlsx file by its content"),
    ("macro.docx", _office("word/", "word/vbaProject.bin"), "macros"),
    ("nen.zip", _office("other/"), "is not a PDF"),
    ("trong.pdf", b"", "empty"),
    ("lon.pdf", PDF + b"\0" * 2000, "more than"),
])
def test_evidence_refused(tmp_path, name, data, message):
    with pytest.raises(BadInput, match=re.escape(message)):
        evidence.keep(io.BytesIO(data), name, tmp_path, 1000)
    assert list(tmp_path.iterdir()) == []  # nothing kept
    with pytest.raises(ValueError):
        evidence.path_of(tmp_path, "../../etc/passwd")


# ── an agency's page and its reports ────────────────────────────────────────────────────────

def test_the_page_lists_every_live_plan_most_urgent_first(loaded):
    load_file(SECOND, loaded)
    with store.session(loaded) as s:
        page = answers.agency_page(s, "SNV", DAY)
        from tasks.record.lookups import resolve_plans

        every = plans_statuses(s, resolve_plans(s, (), DAY), DAY, agency="SNV")
    assert {r.status.plan for r in page.open} == {"dvk-2024-h2", "cchc-2024-h2"}
    assert [r.status.due_on for r in page.open] == sorted(r.status.due_on for r in page.open)
    assert {r.status.deadline_id for r in page.open} == {
        r.deadline_id for r in every if r.category in ("overdue", "in_progress", "not_due")}
    assert all(r.status.agency == "SNV" for r in page.open)
    assert page.open[0].status.category == "overdue"
    assert page.open[0].task_title["vi"] and page.open[0].plan_title["en"]


def test_a_web_report_is_the_command_lines_report_and_a_form_counts_once(loaded, web_env):
    did = deadline_id(loaded, "SNV", "admin-reform", "2024-09")
    form = {"status": "hoàn thành", "progress": "", "completed_on": "19/09/2024",
            "note": "Báo cáo số 152/BC-SNV", "evidence_url": "https://snv.example.gov.vn/152"}
    kept = evidence.keep(io.BytesIO(PDF), "bc-152.pdf", web_env, 10 ** 6)
    with store.session(loaded) as s:
        first = answers.submit(s, "SNV", did, answers.report_from_form(form, "SNV"), DAY,
                               "nonce-1", "203.0.113.5", NOW, evidence=kept)
        again = answers.submit(s, "SNV", did, answers.report_from_form(form, "SNV"), DAY,
                               "nonce-1", "203.0.113.5", NOW)
    assert first.new and not again.new and again.report.id == first.report.id
    with store.session(loaded) as s:
        (report,) = s.execute(sa.select(Report)).scalars()
        (web,) = s.execute(sa.select(WebReport)).scalars()
        status = {r.deadline_id: r for r in plans_statuses(
            s, [s.get(__import__("tasks.record.models").record.models.Plan, 1)], DAY)}[did]
    assert (report.status, report.progress, report.completed_on, report.source,
            report.reported_on, report.reported_by) == (
        "done", 100, dt.date(2024, 9, 19), "web", DAY, "SNV")
    assert report.source_key == "web:nonce-1"
    assert (web.report_id, web.client, web.evidence_name, web.evidence_size,
            web.evidence_type) == (report.id, "203.0.113.5", "bc-152.pdf", len(PDF),
                                   "application/pdf")
    assert web.at.replace(tzinfo=dt.UTC) == NOW
    assert status.category == "done_on_time"

    other = deadline_id(loaded, "HND", "coordination", "2024-09")
    with store.session(loaded) as s, pytest.raises(answers.Forbidden):
        answers.submit(s, "SNV", other, answers.report_from_form(form), DAY, "n2", "-", NOW)
    with store.session(loaded) as s, pytest.raises(answers.Forbidden):
        answers.submit(s, "SNV", 10 ** 6, answers.report_from_form(form), DAY, "n3", "-", NOW)


@pytest.mark.parametrize("form, cli_args", [
    ({"status": "done", "progress": "50"}, ["--status", "done", "--progress", "50"]),
    ({"status": "in_progress", "progress": "140"}, ["--status", "in_progress", "--progress", "140"]),
    ({"status": "in_progress", "completed_on": "2024-09-20"},
     ["--status", "in_progress", "--completed", "20/09/2024"]),
    ({"status": "done", "evidence_url": "ftp://x"}, ["--status", "done", "--evidence", "ftp://x"]),
    ({"status": "done", "completed_on": "2024-09-27"}, ["--status", "done", "--completed", "2024-09-27"]),
])
def test_the_same_validation_and_the_same_messages_as_plantrack_report(loaded, form, cli_args,
                                                                        monkeypatch):
    import flows.cli.reports

    monkeypatch.setattr(flows.cli.reports, "today", lambda: DAY)
    from flows.cli import LANG, app

    LANG["lang"] = "vi"
    result = CliRunner().invoke(app, ["report", "admin-reform", "--agency", "SNV", "--period",
                                      "2024-09", "--plan", "dvk-2024-h2", *cli_args])
    assert result.exit_code == 2
    cli_message = result.stderr.strip().removeprefix("plantrack: ")
    with pytest.raises(BadInput) as exc:
        answers.report_from_form(form).checked(DAY)
    assert exc.value.said("vi") == cli_message  # both in Vietnamese, the default


def test_a_done_report_stops_the_reminders_from_that_day(loaded, web_env):
    did = deadline_id(loaded, "SNV", "admin-reform", "2024-09")  # due 20/09
    later = [d for d in (DAY + dt.timedelta(days=n) for n in range(1, 15))
             if did in {i.deadline_id for n in decide_day(loaded, [], d) for i in n.items}]
    assert later, "SNV is reminded again about its September report"
    with store.session(loaded) as s:
        answers.submit(s, "SNV", did, answers.report_from_form({"status": "done"}), DAY, "n",
                       "-", NOW)
    for d in [DAY, *later]:
        assert did not in {i.deadline_id for n in decide_day(loaded, [], d) for i in n.items}


# ── reminders carry the link; the record does not ───────────────────────────────────────────

def test_reminders_carry_a_fresh_link_that_is_never_stored(loaded, web_env, tmp_path):
    notices, _ = run_day(loaded, [], DAY, now=NOW, send=FileSink(tmp_path / "sent"))
    texts = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "sent").rglob("*.txt")}
    kinds = {name.split(".")[1] for name in texts}
    assert len(texts) == len(notices) and kinds == {"reminder", "escalation"}
    with store.session(loaded) as s:
        for name, text in texts.items():  # each message its own recipient's link
            (url,) = re.findall(r"Báo cáo trực tuyến: (\S+)", text)
            assert url.startswith("https://plantrack.test/a/")
            link = links.check(s, url.rsplit("/", 1)[1], NOW)
            assert (link.agency, link.issued) == (name.split(".")[0], links.issued_on(DAY))
        stored = s.execute(sa.select(Message)).scalars().all()
    assert stored and not any("/a/" in m.subject or "/a/" in str(m.items) for m in stored)
    with store.engine(loaded).connect() as c:  # nowhere in the record at all
        for table in ("message", "delivery", "report", "webreport", "linkrevocation"):
            for row in c.execute(sa.text(f"select * from {table}")):
                assert "plantrack.test/a/" not in str(row) and SECRET not in str(row)


def test_without_the_settings_reminders_carry_no_link(loaded, monkeypatch, tmp_path):
    monkeypatch.delenv("PLANTRACK_WEB_SECRET", raising=False)
    run_day(loaded, [], DAY, now=NOW, send=FileSink(tmp_path))
    assert not any("/a/" in p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.txt"))


# ── the calendar feed ───────────────────────────────────────────────────────────────────────

def test_the_feed_has_one_all_day_event_per_deadline_with_a_stable_uid(loaded, web_env):
    from icalendar import Calendar

    with store.session(loaded) as s:
        first = Calendar.from_ical(feed.agency_feed(s, "SNV", DAY, NOW))
        page = answers.agency_page(s, "SNV", DAY, recent_done=None)
    with store.session(loaded) as s:
        later = Calendar.from_ical(feed.agency_feed(s, "SNV", DAY, NOW + dt.timedelta(days=1)))
    events = first.walk("VEVENT")
    rows = {r.status.deadline_id: r for r in page.open + page.done}
    assert len(events) == len(rows) >= 5
    assert [str(e["UID"]) for e in events] == [str(e["UID"]) for e in later.walk("VEVENT")]
    for e in events:
        row = rows[int(str(e["UID"]).split("-")[1].split(".")[0])]
        start, end = e.decoded("DTSTART"), e.decoded("DTEND")
        assert type(start) is dt.date and start == row.status.due_on  # all-day
        assert end == start + dt.timedelta(days=1)
        assert row.status.title_vi in str(e["SUMMARY"])
        assert row.plan_title["vi"] in str(e["DESCRIPTION"])
        assert row.task_title["vi"] in str(e["DESCRIPTION"])
    assert str(first["X-WR-CALNAME"]) == "Hạn báo cáo — Sở Nội vụ"


# ── the HTTP layer ──────────────────────────────────────────────────────────────────────────

@pytest.fixture
def client(loaded, web_env):
    from starlette.testclient import TestClient

    from flows.web.app import WebConfig, create_app

    app = create_app(WebConfig(loaded, now=lambda: NOW, evidence=web_env, max_upload=100_000))
    with TestClient(app, base_url="https://plantrack.test") as c:
        yield c


def link_path(agency: str, issued: dt.datetime = NOW - dt.timedelta(hours=1),
              kind: str = signing.PAGE) -> str:
    token = signing.link_token(signing.secret(), agency, issued, kind)
    return links.page_path(token) if kind == signing.PAGE else links.feed_path(token)


def form_fields(html: str, did: int) -> dict[str, str]:
    article = html.split(f'id="d{did}"', 1)[1].split("</article>", 1)[0]
    (csrf,) = re.findall(r'name="csrf" value="([^"]+)"', article)
    return {"csrf": csrf, "deadline_id": str(did)}


def reports(url: str) -> list[Report]:
    with store.session(url) as s:
        return list(s.execute(sa.select(Report).order_by(Report.id)).scalars())


def test_pages_carry_the_security_headers_and_refuse_bad_links_in_vietnamese(client, loaded):
    page = client.get(link_path("SNV"))
    assert page.status_code == 200 and "Sở Nội vụ" in page.text
    h = page.headers
    assert "frame-ancestors 'none'" in h["content-security-policy"]
    assert "script-src" not in h["content-security-policy"]  # default-src 'none': no script
    assert (h["x-frame-options"], h["x-content-type-options"], h["referrer-policy"],
            h["cache-control"]) == ("DENY", "nosniff", "no-referrer", "no-store")
    assert SECRET not in page.text and "<script" not in page.text
    assert "Báo cáo kết quả dân vận chính quyền và cải cách hành chính hằng tháng" in page.text
    assert client.get(link_path("SNV") + "?lang=en").text.count("Monthly report") >= 1

    token = link_path("SNV").rsplit("/", 1)[1]
    expired = link_path("SNV", NOW - dt.timedelta(days=31))
    with store.session(loaded) as s:
        links.revoke(s, "HND", NOW - dt.timedelta(minutes=1))
    body, sig = token.rsplit(".", 1)
    cases = [(f"/a/{body}.{'B' if sig[0] == 'A' else 'A'}{sig[1:]}", "Đường dẫn không hợp lệ"),
             (f"/a/{token.replace('SNV', 'HND', 1)}", "Đường dẫn không hợp lệ"),
             (expired, "Đường dẫn đã hết hạn"),
             (link_path("HND"), "Đường dẫn đã bị thu hồi"),
             (link_path("SNV", kind=signing.FEED).replace("/feed/", "/a/").rsplit("/", 1)[0],
              "Đường dẫn không hợp lệ")]
    for path, heading in cases:
        r = client.get(path)
        assert r.status_code == 403 and heading in r.text and "thư nhắc việc" in r.text
        assert r.headers["content-security-policy"]
    assert "Link expired" in client.get(expired + "?lang=en").text
    missing = client.get("/khong-co")
    assert missing.status_code == 404 and "Không tìm thấy trang" in missing.text


def test_reports_need_the_forms_token_count_once_and_stay_in_their_agency(client, loaded):
    path = link_path("SNV")
    did = deadline_id(loaded, "SNV", "admin-reform", "2024-09")
    fields = form_fields(client.get(path).text, did)
    data = {**fields, "status": "done", "completed_on": "2024-09-19"}

    no_token = client.post(path + "/report", data={**data, "csrf": ""})
    assert no_token.status_code == 403 and "Biểu mẫu không còn hợp lệ" in no_token.text
    foreign = deadline_id(loaded, "HND", "coordination", "2024-09")
    cross = client.post(path + "/report", data={**data, "deadline_id": str(foreign)})
    assert cross.status_code == 403 and "Không được phép" in cross.text
    hnd_form = form_fields(client.get(link_path("HND")).text, foreign)  # HND's own token
    cross = client.post(path + "/report", data={**data, **hnd_form})
    assert cross.status_code == 403
    assert reports(loaded) == []

    first = client.post(path + "/report", data=data, follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"].startswith(path + "?r=")
    shown = client.get(first.headers["location"])
    assert "Đã ghi nhận báo cáo #1" in shown.text and "Hoàn thành đúng hạn" in shown.text
    second = client.post(path + "/report", data=data)  # the same form again
    assert "đã được ghi nhận (#1)" in second.text
    (report,) = reports(loaded)
    assert report.source == "web" and report.deadline_id == did

    bad = client.post(path + "/report", data={**form_fields(shown.text, deadline_id(
        loaded, "SNV", "admin-reform", "2024-10")), "status": "done", "progress": "50"})
    assert bad.status_code == 400
    assert ("Chưa ghi được báo cáo: tiến độ: báo cáo đã hoàn thành phải có tiến độ 100, không "
            "phải 50") in bad.text
    assert len(reports(loaded)) == 1


def test_uploads_are_limited_checked_and_served_only_to_their_agency(client, loaded, web_env):
    path = link_path("SNV")
    did = deadline_id(loaded, "SNV", "admin-reform", "2024-10")
    fields = {**form_fields(client.get(path).text, did), "status": "in_progress",
              "progress": "40"}
    huge = client.post(path + "/report", data=fields,
                       files={"evidence_file": ("to.pdf", PDF + b"\0" * 400_000, "application/pdf")})
    assert huge.status_code == 413 and "Tệp quá lớn" in huge.text
    fake = client.post(path + "/report", data=fields,
                       files={"evidence_file": ("bc.pdf", b"<html>", "application/pdf")})
    assert fake.status_code == 400 and "không phải là tệp PDF, ảnh (PNG" in fake.text
    assert reports(loaded) == [] and not any(web_env.glob("[0-9a-f]*"))
    ok = client.post(path + "/report", data=fields,
                     files={"evidence_file": ("bc-10.pdf", PDF, "application/pdf")})
    assert ok.status_code == 200 and "bc-10.pdf" in ok.text
    href = re.search(r'href="(/a/[^"]+/evidence/(\d+))"', ok.text)
    assert href
    got = client.get(href.group(1))
    assert got.content == PDF and got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"].startswith("attachment")
    other = client.get(f"{link_path('HND')}/evidence/{href.group(2)}")
    assert other.status_code == 403


def test_sign_in_is_throttled_and_the_leader_only_reads(client, loaded):
    with store.session(loaded) as s:
        accounts.add_user(s, "thuky", "secretariat", "mat-khau-thu-ky")
        accounts.add_user(s, "lanhdao", "leader", "mat-khau-lanh-dao")
    assert client.get("/board", follow_redirects=False).headers["location"] == "/signin"

    def sign_in(name: str, password: str):
        page = client.get("/signin")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        return client.post("/signin", data={"csrf": token, "name": name, "password": password},
                           follow_redirects=False)

    r = sign_in("lanhdao", "mat-khau-lanh-dao")
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert "pt_session=" in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    board = client.get("/board")
    assert board.status_code == 200 and "Bảng theo dõi thực hiện kế hoạch" in board.text
    assert "Tỷ lệ đúng hạn" in board.text and SECRET not in board.text
    assert "/a/" not in board.text  # no agency link on the board
    did = deadline_id(loaded, "SNV", "admin-reform", "2024-09")
    denied = client.post("/board/agency/SNV/report", data={"deadline_id": str(did)})
    assert denied.status_code == 403 and "Chỉ văn phòng" in denied.text
    assert "Báo cáo thay" not in client.get("/board/agency/SNV").text
    good = client.cookies["pt_session"]  # one character of the payload changed: a forgery
    client.cookies.set("pt_session", good[:5] + ("B" if good[5] == "A" else "A") + good[6:])
    assert client.get("/board", follow_redirects=False).status_code == 303  # forged: sign in

    client.cookies.clear()
    no_csrf = client.post("/signin", data={"name": "thuky", "password": "mat-khau-thu-ky"})
    assert no_csrf.status_code == 403
    r = sign_in("thuky", "mat-khau-thu-ky")
    staff_page = client.get("/board/agency/SNV")
    data = {**form_fields(staff_page.text, did), "status": "in_progress", "progress": "60"}
    done = client.post("/board/agency/SNV/report", data=data)
    assert "Đã ghi nhận báo cáo #1" in done.text
    (report,) = reports(loaded)
    assert report.reported_by == "thuky" and report.source == "web"
    board = client.get("/board")
    assert "thuky" in board.text and "testclient" in board.text  # who answered, from where

    for _ in range(5):
        wrong = sign_in("thuky", "sai-mat-khau-roi")
        assert wrong.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu" in wrong.text
    locked = sign_in("thuky", "mat-khau-thu-ky")
    assert locked.status_code == 429 and "Tạm khóa đăng nhập" in locked.text


def test_the_feed_and_the_digests_behind_their_doors(client, loaded, tmp_path):
    r = client.get(link_path("SNV", kind=signing.FEED))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    with store.session(loaded) as s:
        owed = len(answers.agency_page(s, "SNV", DAY, recent_done=None).open)
    assert b"BEGIN:VCALENDAR" in r.content and r.content.count(b"BEGIN:VEVENT") == owed
    assert client.get(link_path("SNV").replace("/a/", "/feed/") + "/lich.ics").status_code == 403
    assert client.get("/board/digests/dvk-2024-h2/2024-09/digest.md",
                      follow_redirects=False).status_code == 303  # staff only
    assert digest_file(tmp_path, "..", "2024-09", "digest.md") is None
    assert digest_file(tmp_path, "dvk-2024-h2", "2024-09", "../../x") is None


def test_digest_chart_links_point_at_the_board(monkeypatch):
    from tasks.digest.render import FILES

    assert set(DIGEST_FILES) == set(FILES.values())
    md = "## 1. Theo loại\n\n![Theo loại](status-by-kind.png)\n\n[x](digest.xlsx)\n"
    monkeypatch.delenv("PLANTRACK_PUBLIC_URL", raising=False)
    assert links.public_chart_links(md, "dvk-2024-h2", "2024-09") == md
    monkeypatch.setenv("PLANTRACK_PUBLIC_URL", "https://plantrack.example.gov.vn/")
    assert links.public_chart_links(md, "dvk-2024-h2", "2024-09") == md.replace(
        "(status-by-kind.png)",
        "(https://plantrack.example.gov.vn/board/digests/dvk-2024-h2/2024-09/status-by-kind.png)")


# ── the command line ────────────────────────────────────────────────────────────────────────

def test_web_commands_add_accounts_issue_and_revoke_links(loaded, web_env, monkeypatch):
    from flows.cli import LANG, app

    LANG["lang"] = "vi"
    runner = CliRunner()
    added = runner.invoke(app, ["web", "user", "add", "thuky", "--role", "secretariat"],
                          input="mot-mat-khau-dai\n")
    assert added.exit_code == 0 and "đã tạo tài khoản thuky" in added.stdout
    assert "mot-mat-khau-dai" not in added.stdout
    short = runner.invoke(app, ["web", "user", "add", "b", "--role", "leader"], input="x\n")
    assert short.exit_code == 2
    link = runner.invoke(app, ["web", "link", "SNV"])
    assert link.exit_code == 0 and link.stdout.startswith("https://plantrack.test/a/SNV.")
    revoked = runner.invoke(app, ["web", "revoke", "SNV", "--note", "lộ đường dẫn"])
    assert revoked.exit_code == 0 and "đã thu hồi mọi đường dẫn của SNV" in revoked.stdout
    assert runner.invoke(app, ["web", "revoke", "NOPE"]).exit_code == 2
    with store.session(loaded) as s:
        assert s.execute(sa.select(StaffUser.name)).scalars().all() == ["thuky"]
        assert len(s.execute(sa.select(LinkRevocation)).all()) == 1
        with pytest.raises(signing.LinkRefused):
            links.check(s, link.stdout.split()[0].rsplit("/", 1)[1], dt.datetime.now(dt.UTC))

    monkeypatch.delenv("PLANTRACK_WEB_SECRET")
    served = runner.invoke(app, ["web", "--port", "1"])
    assert served.exit_code == 2
    assert served.stderr.count("\n") == 1 and "hãy đặt PLANTRACK_WEB_SECRET" in served.stderr


def test_the_web_app_never_imports_prefect():
    code = ("import sys, flows.web.app, flows.cli.web, flows.cli; "
            "sys.exit('prefect' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_migration_0003_goes_down_and_up(db_url):
    from alembic import command

    cfg = store.alembic_config(db_url)
    command.downgrade(cfg, "0002")
    with store.engine(db_url).connect() as c:
        assert "webreport" not in sa.inspect(c).get_table_names()
    command.upgrade(cfg, "head")
    with store.engine(db_url).connect() as c:
        assert {"webreport", "staffuser", "linkrevocation"} <= set(
            sa.inspect(c).get_table_names())


def test_every_web_word_is_said_in_both_languages():
    from tasks.words import WEB_WORDS

    vi, en = WEB_WORDS["vi"], WEB_WORDS["en"]
    assert set(vi) == set(en)
    for key in ("errors", "cli", "roles", "open_agency"):
        assert set(vi[key]) == set(en[key])
