"""The monthly digest of September 2024, worked by hand on the shipped plan.

The record of September (reports, an event, KPI values, reminders and their attempts) is
scripted below; every figure the tests expect is counted from it by hand. Then October's
records are added, and September's digest, made again, must not change by a byte.

Due days used (the shipped plan, Vietnamese calendar): admin-reform monthly reports 20/08 and
20/09/2024 (none for July: the plan was issued on 23/07, after its day); leadership monthly
reports 25/07, 26/08, 25/09/2024; the quarterly review of the models 10/09, procedure time 16/09,
inspection round 20/09/2024.
"""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import json
import warnings
from types import SimpleNamespace

import openpyxl
import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from tasks.calendar import previous_month
from tasks.digest.compile import compile_digest
from tasks.digest.render import FILES, subject, write_digest
from tasks.digest.send import recipients, send_digest
from tasks.notices.channels import env_name
from tasks.notices.outbox import agencies_of
from tasks.record import store
from tasks.record.appending import ReportIn, add_report, record_event
from tasks.record.lookups import find_deadline, resolve_plan
from tasks.record.models import Agency, Delivery, Kpi, KpiValue, Message

from digest_plan import digest_to
from servers import Inbox, free_port, refused_port

D = dt.date
UTC = dt.UTC
CHARTS = ("status-by-kind", "agencies-on-time", "kpi-trend")
# Rendering is a pure function of the compiled digest: one database is enough for those tests.
SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
DISTRICTS = ("BDV-TPHOABINH", "BDV-DABAC", "BDV-MAICHAU", "BDV-TANLAC", "BDV-LACSON",
             "BDV-YENTHUY", "BDV-LACTHUY", "BDV-KIMBOI", "BDV-CAOPHONG", "BDV-LUONGSON")


def at(day: D, hour: int = 0, minute: int = 5) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


class Record:
    """Appends to the record the way the rest of plantrack does, in the caller's transaction."""

    def __init__(self, s):
        self.s = s
        self.plan = resolve_plan(s, None)

    def id_of(self, model, **where):
        return self.s.execute(sa.select(model.id).filter_by(**where)).scalar_one()

    def report(self, task, agency, period, status, on, progress=None, completed=None):
        add_report(self.s, find_deadline(self.s, self.plan, task, agency, period),
                   ReportIn(status, progress, reported_on=on, completed_on=completed), today=on)

    def event(self, kind, agency, on):
        record_event(self.s, self.plan, kind, agency, on)

    def kpi(self, key, agency, period, value, on, part=""):
        self.s.add(KpiValue(kpi_id=self.id_of(Kpi, key=key),
                            agency_id=self.id_of(Agency, code=agency), period=period, part=part,
                            value=value, reported_on=on, source="test"))

    def deadline_id(self, task, agency, period):
        return find_deadline(self.s, self.plan, task, agency, period).id

    def message(self, kind, to, day, items, attempts=(), sent_at=None):
        """A reminder or escalation listing `items` (deadline ids), with its send attempts
        as (instant, ok, error); it is sent if `sent_at` is given."""
        m = Message(recipient_id=self.id_of(Agency, code=to), day=day, kind=kind,
                    attempts=len(attempts), status="sent" if sent_at else "failed",
                    sent_at=sent_at, claimed_at=at(day), items=[{"deadline_id": i} for i in items])
        self.s.add(m)
        self.s.flush()
        self.s.add_all(Delivery(message_id=m.id, channel="mailto://127.0.0.1/****", ok=ok,
                                error=err, at=when) for when, ok, err in attempts)
        return m.id

    def settle(self, message_id, sent_at):
        """A failed message that a later retry delivered."""
        m = self.s.get(Message, message_id)
        m.status, m.sent_at, m.attempts = "sent", sent_at, m.attempts + 1
        self.s.add(Delivery(message_id=m.id, channel="mailto://127.0.0.1/****", ok=True,
                            at=sent_at))


def digest_of(url, month):
    with store.session(url) as s:
        return compile_digest(s, resolve_plan(s, None), month)


@pytest.fixture
def september(loaded):
    """The record as it stood on 1 October 2024; the deadline and message ids the tests follow."""
    with store.session(loaded) as s:
        r = Record(s)
        r.report("admin-reform", "SNV", "2024-08", "done", D(2024, 8, 19))  # on time, in August
        r.report("admin-reform", "SNV", "2024-09", "done", D(2024, 9, 18))  # on time
        r.report("admin-reform", "VP-UBND", "2024-09", "done", D(2024, 9, 24))  # 4 days late
        r.report("admin-reform", "VP-UBND", "2024-08", "in_progress", D(2024, 9, 5), 50)  # overdue
        r.report("leadership", "BDV-TU", "2024-09", "done", D(2024, 9, 25))  # on the day
        r.report("leadership", "BDV-MAICHAU", "2024-09", "done", D(2024, 9, 27))  # late
        # Kim Bôi's committee changes on 16/09: reinforce it within 10 working days → due 30/09.
        r.event("personnel-change", "BDV-KIMBOI", D(2024, 9, 16))

        for code in DISTRICTS:  # August's model count from every district …
            r.kpi("models", code, "2024-08", 1150, D(2024, 9, 5))
        r.kpi("models", "BDV-DABAC", "2024-08", 1160, D(2024, 9, 20))  # … corrected by Đà Bắc
        r.kpi("models", "BDV-MAICHAU", "2024-09", 1170, D(2024, 9, 30))  # … and a newer month
        for code, total, parts in (("BDV-TPHOABINH", 420, (80, 190, 100, 50)),
                                   ("BDV-DABAC", 380, (70, 170, 95, 45))):
            r.kpi("models-named", code, "2024-08", total, D(2024, 9, 12))
            for part, v in zip(("economy", "culture-society", "defence-security",
                                "political-system"), parts, strict=True):
                r.kpi("models-named", code, "2024-08", v, D(2024, 9, 12), part)
        r.kpi("procedure-time", "VP-UBND", "2024-08", 12, D(2024, 9, 10))

        ids = {"vp_aug": r.deadline_id("admin-reform", "VP-UBND", "2024-08"),
               "vp_q3": r.deadline_id("admin-reform-procedures", "VP-UBND", "2024-Q3"),
               "hnd_sep": r.deadline_id("coordination", "HND", "2024-09")}
        r.message("reminder", "VP-UBND", D(2024, 8, 28), [ids["vp_aug"]],
                  [(at(D(2024, 8, 28)), True, "")], at(D(2024, 8, 28)))  # August's
        r.message("reminder", "VP-UBND", D(2024, 9, 3), [ids["vp_aug"]],
                  [(at(D(2024, 9, 3)), True, "")], at(D(2024, 9, 3)))
        r.message("reminder", "VP-UBND", D(2024, 9, 5), [ids["vp_aug"]],
                  [(at(D(2024, 9, 5)), False, "SMTP: connection refused"),
                   (at(D(2024, 9, 5), 0, 35), True, "")], at(D(2024, 9, 5), 0, 35))
        r.message("escalation", "UBND", D(2024, 9, 10), [ids["vp_aug"]],
                  [(at(D(2024, 9, 10)), True, "")], at(D(2024, 9, 10)))
        r.message("reminder", "HND", D(2024, 9, 27), [ids["hnd_sep"]],
                  [(at(D(2024, 9, 27)), False, "SMTP: timed out"),
                   (at(D(2024, 9, 28)), False, "SMTP: 550 mailbox unavailable")])
        ids["late_message"] = r.message("reminder", "VP-UBND", D(2024, 9, 30),
                                        [ids["vp_aug"], ids["vp_q3"]],
                                        [(at(D(2024, 9, 30)), False, "SMTP: connection refused")])
    return SimpleNamespace(url=loaded, ids=ids, digest=lambda month: digest_of(loaded, month))


def october(sep) -> None:
    """What October added: late reports about September, a value for September, an event,
    the retry that delivered 30/09's reminder, and October's own reminder."""
    with store.session(sep.url) as s:
        r = Record(s)
        r.report("admin-reform-procedures", "VP-UBND", "2024-Q3", "done", D(2024, 10, 2),
                 completed=D(2024, 9, 30))
        r.report("leadership", "BDV-DABAC", "2024-09", "done", D(2024, 10, 3),
                 completed=D(2024, 9, 25))
        r.kpi("models", "BDV-LACSON", "2024-09", 1200, D(2024, 10, 4))
        r.event("personnel-change", "BCD-DVK", D(2024, 10, 7))
        r.settle(sep.ids["late_message"], at(D(2024, 10, 1)))
        r.message("reminder", "VP-UBND", D(2024, 10, 2), [sep.ids["vp_aug"]],
                  [(at(D(2024, 10, 2)), True, "")], at(D(2024, 10, 2)))


def by(rows, key, value):
    (row,) = [x for x in rows if x[key] == value]
    return row


def test_september_figures_worked_by_hand(september):
    d = september.digest("2024-09")
    assert (d.month, d.as_of, d.previous_month, d.next_month) == (
        "2024-09", D(2024, 9, 30), "2024-08", "2024-10")
    # 190 planned deadlines + Kim Bôi's reinforcement. Overdue: the 71 due by 30/09 (none
    # reported, see test_cli), less SNV Aug/Sep, VP-UBND Sep, BDV-TU Sep, Mai Châu Sep. Due: 3 on
    # time + 2 late + 66 overdue. Progress: 5 done + one at 50 %.
    assert d.totals == {"total": 191, "done_on_time": 3, "done_late": 2, "in_progress": 19,
                        "overdue": 66, "not_due": 101, "on_time_rate": round(3 / 71, 4),
                        "progress": round(550 / 191, 1)}
    # 10 monthly (August to December) + 2 quarterly deadlines; overdue: VP-UBND's August report
    # and its Q3 procedure time.
    admin = by(d.by_kind, "kind", "admin-reform")
    assert admin == {"kind": "admin-reform", "total": 12, "done_on_time": 2, "done_late": 1,
                     "in_progress": 0, "overdue": 2, "not_due": 7,
                     "on_time_rate": round(2 / 5, 4), "progress": round(350 / 12, 1)}
    lead = by(d.by_kind, "kind", "leadership")  # 11 agencies × 6 months
    assert (lead["done_on_time"], lead["done_late"], lead["overdue"], lead["on_time_rate"],
            lead["progress"]) == (1, 1, 31, round(1 / 33, 4), 3.0)
    assert by(d.by_kind, "kind", "committee")["in_progress"] == 12  # 11 + the reinforcement
    assert [g["kind"] for g in d.by_kind] == ["leadership", "committee", "admin-reform",
                                               "coordination", "inspection"]
    procedures = by(d.by_task, "task", "admin-reform-procedures")
    assert (procedures["overdue"], procedures["not_due"], procedures["parent"]) == (
        1, 1, "admin-reform")

    # League: SNV 2 on time of 2 due; BDV-TU 1 of 4; then on-time rate 0, fewest overdue first:
    # VP-UBND (August, Q3), ahead of the agencies with 3 or more.
    top = [(g["agency"], g["done_on_time"], g["done_late"], g["overdue"], g["on_time_rate"])
           for g in d.agencies[:3]]
    assert top == [("SNV", 2, 0, 0, 1.0), ("BDV-TU", 1, 0, 3, 0.25), ("VP-UBND", 0, 1, 2, 0.0)]
    assert d.agencies[-1]["agency"] == "UBND" and d.agencies[-1]["on_time_rate"] is None

    # Overdue: the longest first (July's reports due 25/07, the first task, agencies by code);
    # reminders and escalations sent by 30/09 for each.
    first = d.overdue[0]
    assert (first["task"], first["agency"], first["period"], first["due_on"],
            first["days_late"]) == ("leadership", "BDV-CAOPHONG", "2024-07", D(2024, 7, 25), 67)
    item = lambda did: by(d.overdue, "deadline_id", did)  # noqa: E731
    vp_aug = item(september.ids["vp_aug"])  # reminded 28/08 (in August), 03/09 and 05/09
    assert (vp_aug["days_late"], vp_aug["progress"], vp_aug["reminders"],
            vp_aug["escalations"]) == (41, 50, 3, 1)
    vp_q3 = item(september.ids["vp_q3"])
    assert (vp_q3["reminders"], vp_q3["escalations"]) == (0, 0)  # failed on 30/09, sent on 1/10
    assert item(september.ids["hnd_sep"])["reminders"] == 0  # still failing

    assert [(c["task"], c["agency"], c["category"]) for c in d.completed] == [
        ("admin-reform", "SNV", "done_on_time"), ("admin-reform", "VP-UBND", "done_late"),
        ("leadership", "BDV-MAICHAU", "done_late"), ("leadership", "BDV-TU", "done_on_time")]
    # Newly overdue: September's 33 deadlines that passed (monthly 2 + 11 + 1 + 6, the quarterly
    # review 10, procedure time 1, inspection 2) less the four done.
    assert len(d.newly_overdue) == 29
    assert [(c["due_on"], c["task"], len(c["agencies"])) for c in d.coming] == [
        (D(2024, 10, 15), "coordination-social-models", 6), (D(2024, 10, 21), "admin-reform", 2),
        (D(2024, 10, 25), "leadership", 11), (D(2024, 10, 25), "committee", 1),
        (D(2024, 10, 25), "coordination", 6), (D(2024, 10, 31), "coordination-guidance", 1)]

    # Delivery health of September: 4 reminders (2 sent, 3 with a failure, 4 failed attempts,
    # 2 not delivered by 30/09) and 1 escalation, sent.
    assert d.delivery["by_kind"] == [
        {"kind": "reminder", "messages": 4, "sent": 2, "failed": 3, "failed_attempts": 4,
         "still_failing": 2},
        {"kind": "escalation", "messages": 1, "sent": 1, "failed": 0, "failed_attempts": 0,
         "still_failing": 0}]
    assert [(f["recipient"], f["day"], f["attempts"], f["last_error"])
            for f in d.delivery["still_failing"]] == [
        ("HND", D(2024, 9, 27), 2, "SMTP: 550 mailbox unavailable"),
        ("VP-UBND", D(2024, 9, 30), 1, "SMTP: connection refused")]


def test_kpis_from_each_agencys_latest_value(september):
    d = september.digest("2024-09")
    kpi = {(k["kpi"], k["part"]): k for k in d.kpis}
    models = kpi[("models", "")]  # 8 × 1,150 + Đà Bắc's corrected 1,160 + Mai Châu's 1,170
    assert (models["baseline"], models["value"], models["change"], models["change_pct"],
            models["reporting"], models["expected"]) == (11441, 11530, 89, 0.8, 10, 10)
    named = kpi[("models-named", "")]  # 2 of 10 districts: no change shown until all report
    assert (named["value"], named["reporting"], named["complete"], named["change"]) == (
        800, 2, False, None)
    assert [(k["part"], k["baseline"], k["value"]) for k in d.kpis if k["kpi"] == "models-named"
            and k["part"]] == [("economy", 709, 150), ("culture-society", 1850, 360),
                               ("defence-security", 1016, 195), ("political-system", 459, 95)]
    assert kpi[("models-replicated", "")]["value"] is None
    proc = kpi[("procedure-time", "")]  # a cut of 12 % of the statutory time; the target 30 %
    assert (proc["value"], proc["change"], proc["change_pct"], proc["target"],
            proc["to_target_pct"]) == (12, 12, None, 30, 40.0)
    trend = {t["kpi"]: t for t in d.kpi_trend}
    assert [(p["month"], p["index"]) for p in trend["models"]["points"]] == [
        ("2024-06", 100.0), ("2024-07", None), ("2024-08", None), ("2024-09", 100.78)]
    proc = trend["procedure-time"]  # a rate is charted as itself, not as an index of 0
    assert (proc["scale"], proc["points"][-1]["value"], proc["points"][-1]["index"],
            proc["target"], proc["target_index"]) == ("percent", 12, None, 30, None)
    assert (trend["models"]["scale"], trend["models"]["target"]) == ("index", None)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_files_are_written_and_september_regenerated_later_is_identical(september, tmp_path):
    first = write_digest(september.digest("2024-09"), tmp_path / "1-oct")
    assert {k: p.name for k, p in first.items()} == FILES == {
        "md": "digest.md", "html": "digest.html", "xlsx": "digest.xlsx", "json": "digest.json",
        **{c: f"{c}.png" for c in CHARTS}}
    assert all(p.parent == tmp_path / "1-oct" and p.is_file() for p in first.values())
    october(september)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        again = write_digest(september.digest("2024-09"), tmp_path / "december")
    assert not [w for w in caught if "glyph" in str(w.message).lower()]  # Vietnamese renders
    for name in FILES:
        assert first[name].read_bytes() == again[name].read_bytes(), name
    for name in CHARTS:
        data = first[name].read_bytes()
        width, height = _png_size(data)
        assert 700 <= width <= 1400 and 300 <= height <= 1400 and len(data) > 10_000, name

    oct_ = september.digest("2024-10")  # October's digest does see October's records
    assert ("admin-reform-procedures", "VP-UBND", "done_late") in [
        (c["task"], c["agency"], c["category"]) for c in oct_.completed]
    assert ("committee-reinforce", "BDV-KIMBOI") in [
        (c["task"], c["agency"]) for c in oct_.newly_overdue]
    assert [f["recipient"] for f in oct_.delivery["still_failing"]] == ["HND"]
    assert [k["value"] for k in oct_.kpis if k["kpi"] == "models"][0] == 11580


@SQLITE_ONLY
def test_documents_say_it_in_vietnamese_and_english(september, tmp_path):
    d = september.digest("2024-09")
    files = write_digest(d, tmp_path)
    md = files["md"].read_text(encoding="utf-8")
    assert md.startswith("# Báo cáo tình hình thực hiện kế hoạch tháng 9/2024\n")
    assert "| Cải cách hành chính | 12 | 2 | 1 | 0 | 2 | 7 | 40% | 29,2% |" in md
    assert ("| Mô hình “Dân vận khéo” toàn tỉnh | mô hình | 11.441 | 11.530 | +89 | +0,8% | — "
            "| 10/10 |") in md
    assert "| ↳ Lĩnh vực kinh tế | mô hình | 709 | 150 | — | — | — | 2/10 |" in md
    assert "_… và 26 dòng khác: xem đầy đủ ở trang “Quá hạn” của bảng tính kèm theo._" in md
    html = files["html"].read_text(encoding="utf-8")
    assert all(f'<img src="{c}.png"' in html for c in CHARTS)
    assert '<td align="right" nowrap valign="top">29,2%</td>' in html
    assert "<style" not in html  # mail clients drop it: inline styles only
    assert len(html.encode()) < 100_000  # Gmail clips a message beyond ~102 KB
    assert json.loads(files["json"].read_text(encoding="utf-8")) == d.as_json()
    en = write_digest(d, tmp_path / "en", "en")["md"].read_text(encoding="utf-8")
    assert en.startswith("# Work plan status, September 2024\n")
    assert "| Administrative reform | 12 | 2 | 1 | 0 | 2 | 7 | 40% | 29.2% |" in en
    assert subject(d, "en") == "Work plan status, September 2024"


@SQLITE_ONLY
def test_workbook_has_a_sheet_per_table_with_numbers(september, tmp_path):
    path = write_digest(september.digest("2024-09"), tmp_path)["xlsx"]
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Tóm tắt", "Theo loại nhiệm vụ", "Theo nhiệm vụ", "Xếp hạng cơ quan",
                             "Quá hạn", "Hoàn thành trong tháng", "Mới quá hạn", "Hạn tháng tới",
                             "Chỉ tiêu", "Gửi nhắc việc", "Tin chưa gửi được"]
    kinds = wb["Theo loại nhiệm vụ"]
    assert kinds.freeze_panes == "A2" and kinds["A1"].font.bold
    rows = {r[0]: r[1:] for r in kinds.iter_rows(min_row=2, values_only=True)}
    assert rows["Cải cách hành chính"] == (12, 2, 1, 0, 2, 7, 0.4, 0.292)
    assert rows["Toàn kế hoạch"][:6] == (191, 3, 2, 19, 66, 101)
    assert kinds["H2"].number_format == "0.0%"
    kpis = {r[0]: r for r in wb["Chỉ tiêu"].iter_rows(min_row=2, values_only=True)}
    assert kpis["Mô hình “Dân vận khéo” toàn tỉnh"][2:6] == (11441, 11530, 89, 0.008)
    league = list(wb["Xếp hạng cơ quan"].iter_rows(min_row=2, values_only=True))
    # ranked within each group of peers (the plan's `peers`), never in one league
    assert league[0][:2] == ("Mặt trận Tổ quốc và các tổ chức chính trị - xã hội tỉnh", 1)
    assert ("Các cơ quan cấp tỉnh", 1, "Sở Nội vụ", 2, 2, 0, 0, 1.0) in league
    assert wb["Quá hạn"].max_row == 1 + 66  # every row, where the documents show 40
    assert wb.properties.created == dt.datetime(2024, 9, 30)


class Mailbox:
    """A real SMTP server on 127.0.0.1 that parses what it receives."""

    def __init__(self):
        self.port, self.inbox = free_port(), Inbox()

    def url(self, to: str) -> str:
        return f"mailto://127.0.0.1:{self.port}?from=digest@plantrack.test&to={to}@hoabinh.test"

    async def handle_DATA(self, server, session, envelope):
        self.inbox.add(email.message_from_bytes(envelope.original_content,
                                                policy=email.policy.default))
        return "250 OK"


# The shipped plan's digest recipients (BTV-TU, BDV-TU, BCD-DVK) and those digest_to gives it
# (BDV-TU, MTTQ, UBND): every one has a channel, so a message routed wrongly would arrive.
RECIPIENTS = {code: env_name(code) for code in ("BTV-TU", "BDV-TU", "BCD-DVK", "MTTQ", "UBND")}


@pytest.fixture
def mailbox(monkeypatch):
    """The mailbox, started and stopped by the test; the digest recipients' channels point at it."""
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    for code, var in RECIPIENTS.items():
        monkeypatch.setenv(var, box.url(code.lower()))
    yield box
    controller.stop()


def test_email_has_inline_charts_and_the_workbook_and_goes_once(september, mailbox, tmp_path,
                                                               monkeypatch):
    d = september.digest("2024-09")
    files = write_digest(d, tmp_path)
    digest_to(september.url)  # three recipients notified directly: one fails among the others
    with store.session(september.url) as s:
        plan = resolve_plan(s, None)
    with refused_port() as dead:  # the Fatherland Front's mail server is down on 1 October
        monkeypatch.setenv(RECIPIENTS["MTTQ"], f"mailto://127.0.0.1:{dead}?"
                           "from=digest@plantrack.test&to=mttq@hoabinh.test")
        first = send_digest(september.url, plan, d, files, at(D(2024, 10, 1)))
    # BDV-TU and UBND have it; MTTQ's failed
    assert first.counts() == {"sent": 2, "failed": 1, "already": 0, "dry_run": 0, "recovered": 0}
    msg = mailbox.inbox.wait_for(2)[0]
    assert msg["Subject"] == "Báo cáo tình hình thực hiện kế hoạch tháng 9/2024"
    assert msg.get_content_type() == "multipart/related"
    html = msg.get_body(("html",)).get_content()
    images = {p["Content-ID"]: p for p in msg.walk() if p.get_content_type() == "image/png"}
    assert set(images) == {f"<{c}.png>" for c in CHARTS}
    for c in CHARTS:
        assert f'src="cid:{c}.png"' in html
        assert images[f"<{c}.png>"].get_content() == files[c].read_bytes()
        assert images[f"<{c}.png>"].get_content_disposition() == "inline"
    (xlsx,) = [p for p in msg.iter_attachments() if p.get_filename() == "digest.xlsx"]
    assert xlsx.get_content_disposition() == "attachment"
    assert openpyxl.load_workbook(io.BytesIO(xlsx.get_content())).sheetnames[0] == "Tóm tắt"

    # After the retry wait the server is back: only the failed one goes, the others not again.
    monkeypatch.setenv(RECIPIENTS["MTTQ"], mailbox.url("mttq"))
    second = send_digest(september.url, plan, d, files, at(D(2024, 10, 1), 1))
    # MTTQ's retried and sent; all three recipients' messages are already claimed
    assert second.counts() == {"sent": 1, "failed": 0, "already": 3, "dry_run": 0, "recovered": 1}
    assert sorted(str(m["To"]) for m in mailbox.inbox.wait_for(3)) == [  # each once
        "bdv-tu@hoabinh.test", "mttq@hoabinh.test", "ubnd@hoabinh.test"]
    third = send_digest(september.url, plan, d, files, at(D(2024, 10, 2)))
    assert (third.count("already"), third.count("sent")) == (3, 0)  # the three, none again
    assert len(mailbox.inbox.items) == 3  # sending is synchronous: nothing more came
    with store.session(september.url) as s:
        rows = s.execute(sa.select(Message.day, Message.status)
                         .where(Message.kind == "digest")).all()
    assert rows == [(D(2024, 10, 1), "sent")] * 3  # one message per recipient


@SQLITE_ONLY
def test_digest_command_writes_the_files(september, cli, tmp_path):
    out = cli("digest", "--month", "2024-09", "--out", str(tmp_path))
    assert out.exit_code == 0, out.stdout
    folder = tmp_path / "dvk-2024-h2" / "2024-09"  # each plan's digests in a folder of its own
    assert all((folder / name).is_file() for name in FILES.values())
    assert f"đã ghi 7 tệp vào {folder}" in out.stdout
    bad = cli("digest", "--month", "2024-9", "--out", str(tmp_path))
    assert bad.exit_code == 2 and "'2024-9' không phải là tháng (ghi theo dạng YYYY-MM" in bad.stderr
    assert previous_month(D(2025, 1, 1)) == "2024-12"


def test_digest_command_sends_once_with_send(september, mailbox, cli, tmp_path):
    digest_to(september.url)  # three recipients notified directly, to see it go to each
    out = cli("digest", "--month", "2024-09", "--out", str(tmp_path), "--send", "--json")
    assert out.exit_code == 0, out.stdout + out.stderr
    (digest,) = json.loads(out.stdout)["digests"]
    assert digest["plan"] == "dvk-2024-h2"
    assert sorted(m["status"] for m in digest["send"]["messages"]) == ["sent"] * 3  # one each
    assert sorted(str(m["To"]) for m in mailbox.inbox.wait_for(3)) == [
        "bdv-tu@hoabinh.test", "mttq@hoabinh.test", "ubnd@hoabinh.test"]
    again = cli("digest", "--month", "2024-09", "--out", str(tmp_path), "--send", "--json")
    (digest,) = json.loads(again.stdout)["digests"]
    assert [m["status"] for m in digest["send"]["messages"]] == ["already"] * 3  # none again
    assert len(mailbox.inbox.items) == 3


def test_the_shipped_plans_digest_goes_to_bdv_tu_only_once(loaded, mailbox, tmp_path):
    """The shipped plan lists [BTV-TU, BDV-TU, BCD-DVK]; as the directory routes every message,
    BTV-TU (`notify: false`) gets nothing and BCD-DVK's copy goes to BDV-TU (`via`), which
    receives it once: one message in all, though all three have a working channel."""
    d = digest_of(loaded, "2024-09")
    files = write_digest(d, tmp_path)
    agencies = agencies_of(loaded)
    with store.session(loaded) as s:
        plan = resolve_plan(s, None)
    assert plan.settings["digest"]["recipients"] == ["BTV-TU", "BDV-TU", "BCD-DVK"]
    assert recipients(plan, agencies) == ["BDV-TU"]

    # each part of it: BTV-TU alone goes to nobody, BCD-DVK alone to BDV-TU
    def listing(*codes):
        return SimpleNamespace(settings={"digest": {"recipients": list(codes)}})

    assert recipients(listing("BTV-TU"), agencies) == []
    assert recipients(listing("BCD-DVK"), agencies) == ["BDV-TU"]

    first = send_digest(loaded, plan, d, files, at(D(2024, 10, 1)))
    assert first.counts() == {"sent": 1, "failed": 0, "already": 0, "dry_run": 0, "recovered": 0}
    assert [str(m["To"]) for m in mailbox.inbox.wait_for(1)] == ["bdv-tu@hoabinh.test"]
    again = send_digest(loaded, plan, d, files, at(D(2024, 10, 2)))
    assert (again.count("already"), again.count("sent")) == (1, 0)  # BDV-TU's, not sent again
    assert len(mailbox.inbox.items) == 1  # sending is synchronous: nothing reached BTV-TU, BCD-DVK
    with store.session(loaded) as s:
        rows = s.execute(sa.select(Agency.code, Message.status)
                         .join(Message, Message.recipient_id == Agency.id)
                         .where(Message.kind == "digest")).all()
    assert rows == [("BDV-TU", "sent")]


# ---- the report: sections, peers, notes, and nothing of this plan written in code ----------


@SQLITE_ONLY
def test_the_vietnamese_edition_is_a_report_in_four_sections(september, tmp_path):
    d = september.digest("2024-09")
    md = write_digest(d, tmp_path)["md"].read_text(encoding="utf-8")
    heads = [line for line in md.splitlines() if line.startswith("## ")]
    assert heads == ["## I. Kết quả thực hiện", "## II. Hạn chế, nguyên nhân",
                     "## III. Nhiệm vụ trọng tâm tháng tới", "## IV. Đề xuất, kiến nghị",
                     "## Phụ lục: Tình hình gửi thư nhắc việc"]
    # opened by the plan's sender, from the plan file; no word about how it was made
    assert ("Thực hiện Kế hoạch nhiệm vụ trọng tâm thực hiện Phong trào thi đua “Dân vận khéo” 6 "
            "tháng cuối năm 2024, Ban Dân vận Tỉnh ủy (Cơ quan Thường trực Ban Chỉ đạo phong trào "
            "thi đua “Dân vận khéo” tỉnh) báo cáo kết quả thực hiện tháng 9/2024") in md
    assert "plantrack" not in md.lower() and "tạo lại" not in md.lower()
    # by task, with its subtasks' figures and what the month changed
    assert ("**3. Đổi mới công tác dân vận chính quyền; đẩy mạnh cải cách hành chính** (Cắt giảm "
            "30% thời gian giải quyết thủ tục hành chính)") in md
    assert ("Cơ quan chủ trì: Sở Nội vụ. Đã đến hạn 5/12 việc: hoàn thành đúng hạn 2, hoàn thành "
            "quá hạn 1, quá hạn chưa hoàn thành **2** (tỷ lệ đúng hạn 40%). Trong tháng: hoàn thành "
            "2 việc (Sở Nội vụ và Văn phòng Ủy ban nhân dân tỉnh); quá hạn mới 1 việc (Văn phòng Ủy "
            "ban nhân dân tỉnh).") in md
    # working days, as the reminders count them: 25/07 → 30/09 is 45 working days (2–3/09 off)
    assert d.overdue[0]["working_days_late"] == 45 and d.overdue[0]["days_late"] == 67
    assert "| tháng 7/2024 | 25/07/2024 | 45 |" in md
    # sections II–IV say so when the secretariat has written nothing
    assert "_Văn phòng chưa tổng hợp hạn chế, nguyên nhân của tháng 9/2024._" in md
    assert "_Không có đề xuất, kiến nghị._" in md


def test_agencies_are_compared_within_their_peers(september):
    d = september.digest("2024-09")
    groups = {g["name_vi"]: [a["agency"] for a in g["agencies"]] for g in d.peer_groups}
    assert list(groups) == ["Mặt trận Tổ quốc và các tổ chức chính trị - xã hội tỉnh",
                            "Các cơ quan cấp tỉnh", "Ban Dân vận các huyện ủy, thành ủy"]
    assert sorted(groups["Mặt trận Tổ quốc và các tổ chức chính trị - xã hội tỉnh"]) == [
        "HCCB", "HLHPN", "HND", "LDLD", "MTTQ", "TINHDOAN"]
    assert groups["Các cơ quan cấp tỉnh"][:2] == ["SNV", "BDV-TU"]  # ranked within the group
    assert "UBND" in groups["Các cơ quan cấp tỉnh"] and len(groups[
        "Ban Dân vận các huyện ủy, thành ủy"]) == 10
    assert sum(len(g) for g in groups.values()) == len(d.agencies)  # each agency once
    # a plan naming no peers compares agencies within their directory level
    from tasks.digest.compile import peer_groups
    from tasks.record.models import Agency
    agencies = {a: Agency(code=a, name_vi=a, name_en=a, level=lvl)
                for a, lvl in (("P1", "province"), ("D1", "district"), ("P2", "province"))}
    rows = [{"agency": c} for c in ("D1", "P2", "P1")]
    assert [(g["name_vi"], [r["agency"] for r in g["agencies"]])
            for g in peer_groups(rows, agencies, [])] == [
        ("Các cơ quan, đơn vị cấp tỉnh", ["P2", "P1"]), ("Các cơ quan, đơn vị cấp huyện", ["D1"])]


@SQLITE_ONLY
def test_the_secretariats_notes_fill_sections_ii_to_iv(september, tmp_path):
    from tasks.digest.month import read_notes, write_month
    from tasks.errors import BadInput

    notes = tmp_path / "notes" / "dvk-2024-h2" / "2024-09.md"
    notes.parent.mkdir(parents=True)
    notes.write_text("## Hạn chế, nguyên nhân\n\n- Văn phòng UBND tỉnh báo cáo tháng 8\n"
                     "  còn chậm.\n- Hội Nông dân chưa báo cáo.\n\nNguyên nhân: thay đổi cán bộ."
                     "\n\n## Nhiệm vụ trọng tâm tháng tới\n1. Kiểm tra quý IV.\n\n"
                     "## ĐỀ XUẤT, KIẾN NGHỊ\nĐề nghị Thường trực Tỉnh ủy chỉ đạo.\n",
                     encoding="utf-8")
    assert read_notes(notes) == {
        "limits": [{"kind": "li", "text": "Văn phòng UBND tỉnh báo cáo tháng 8 còn chậm."},
                   {"kind": "li", "text": "Hội Nông dân chưa báo cáo."},
                   {"kind": "p", "text": "Nguyên nhân: thay đổi cán bộ."}],
        "next": [{"kind": "li", "text": "Kiểm tra quý IV."}],
        "proposals": [{"kind": "p", "text": "Đề nghị Thường trực Tỉnh ủy chỉ đạo."}]}
    made = write_month(september.url, None, "2024-09", tmp_path / "out",
                       notes=tmp_path / "notes")
    md = made.files["md"].read_text(encoding="utf-8")
    assert ("## II. Hạn chế, nguyên nhân\n\n- Văn phòng UBND tỉnh báo cáo tháng 8 còn chậm.\n"
            "- Hội Nông dân chưa báo cáo.\n\nNguyên nhân: thay đổi cán bộ.\n\n## III.") in md
    assert "## IV. Đề xuất, kiến nghị\n\nĐề nghị Thường trực Tỉnh ủy chỉ đạo.\n" in md
    html = made.files["html"].read_text(encoding="utf-8")
    assert '<li style="margin:0 0 5px">Hội Nông dân chưa báo cáo.</li>' in html

    notes.write_text("Ghi chú\n## Khó khăn\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"2024-09.md:1: text must come under a section") as e:
        read_notes(notes)
    assert "2024-09.md:1: nội dung phải nằm dưới một mục (## Hạn chế" in e.value.said("vi")
    notes.write_text("## Khó khăn\n- x\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"2024-09.md:1: unknown section “Khó khăn”") as e:
        read_notes(notes)
    assert "2024-09.md:1: không rõ mục “Khó khăn” — các mục là:" in e.value.said("vi")


def test_nothing_in_code_or_templates_names_this_plan():
    """The movement, the baseline day and the sender come from the plan file."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    files = [*(root / "tasks" / "digest").glob("*.py"), root / "tasks" / "notices" / "render.py",
             *(root / "config" / "templates").glob("*.j2")]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for name in ("Dân vận khéo", "30/06/2024", "2024-06-30", "Ban Dân vận", "Hòa Bình",
                     "BDVTU", "dvk-2024"):
            assert name not in text, f"{path.name} names {name}"
