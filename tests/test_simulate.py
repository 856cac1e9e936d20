"""`plantrack simulate` works on a copy of the live record, never on the record itself.

Before, it replayed into the live record: after a simulated month, a real `remind` sent
nothing ("already 24"). Now the live file stays byte for byte as it was, the copy holds the
simulated messages, and a real dispatch afterwards still sends them.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from flows.clock import today
from tasks.notices.day import run_at, run_day
from tasks.notices.senders import FileSink
from tasks.record import store
from tasks.record.models import Message
from tasks.simulate import MAX_DAYS

from conftest import ROOT
from reminder_plan import KEY


def file_hash(url: str) -> str:
    """The record's file, hashed with every connection closed (its write-ahead log folded in)."""
    store.dispose(url)
    path = store.sqlite_file(url)
    assert path is not None and not Path(f"{path}-wal").exists()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def messages(url: str) -> dict[dt.date, int]:
    with store.session(url) as s:
        days = s.execute(sa.select(Message.day, sa.func.count()).where(Message.status == "sent")
                         .group_by(Message.day)).all()
    return {day: n for day, n in days}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_simulate_leaves_the_live_record_as_it_was(rem, cli, tmp_path):
    before = file_hash(rem)
    copy = tmp_path / "sim" / "record.db"
    result = cli("--lang", "en", "simulate", "--from", "2024-09-01", "--to", "2024-09-30",
                 "--plan", KEY, "--record", str(copy), "--sink", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert file_hash(rem) == before

    simulated = messages(f"sqlite:///{copy}")
    assert sum(simulated.values()) > 0 and messages(rem) == {}
    assert result.stdout.splitlines()[-1] == (
        f"recorded in the copy sqlite:///{copy} (of {store.shown(rem)}; the live record is "
        "unchanged)")

    # the day the simulation sent most: the real run of that day still sends every message
    day = max(simulated, key=lambda d: simulated[d])
    _, report = run_day(rem, [KEY], day, now=run_at(day), send=FileSink(tmp_path / "real"))
    assert report.counts()["sent"] == simulated[day] and report.counts()["already"] == 0


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_simulate_replaces_its_copy_on_each_run(rem, cli, tmp_path):
    copy = tmp_path / "sim.db"
    args = ("simulate", "--from", "2024-09-01", "--to", "2024-09-30", "--record", str(copy),
            "--json")
    first = json.loads(cli(*args).stdout)
    again = json.loads(cli(*args).stdout)
    # a fresh copy: the second run sends everything again instead of finding it sent
    assert [d["sent"] for d in again["days"]] == [d["sent"] for d in first["days"]]
    assert sum(d["already"] for d in again["days"]) == 0 and sum(d["sent"] for d in again["days"])
    assert again["record"] == f"sqlite:///{copy}" and again["copy_of"] == store.shown(rem)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_future_days_are_simulated_on_the_copy(loaded, cli, tmp_path):
    before = file_hash(loaded)
    start = today() + dt.timedelta(days=1)
    result = cli("simulate", "--from", f"{start}", "--to", f"{start + dt.timedelta(days=29)}",
                 "--record", str(tmp_path / "sim.db"), "--json")
    assert result.exit_code == 0, result.stderr
    days = json.loads(result.stdout)["days"]
    assert [d["day"] for d in (days[0], days[-1])] == [
        f"{start}", f"{start + dt.timedelta(days=29)}"]
    assert file_hash(loaded) == before


@pytest.mark.parametrize("lang, head, totals", [
    ("vi", "ngày        nhắc việc  báo cấp trên  số việc", "tin nhắc việc, {e} tin báo cấp trên "
                                                          "trong 30 ngày"),
    ("en", "day         reminders  escalations  items", "reminders, {e} escalations over 30 days"),
])
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_simulate_speaks_the_chosen_language(rem, cli, tmp_path, lang, head, totals):
    result = cli("--lang", lang, "simulate", "--from", "2024-09-01", "--to", "2024-09-30",
                 "--record", str(tmp_path / "sim.db"))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    escalations = sum(int(line.split()[2]) for line in lines[2:-2])
    assert lines[0] == head and totals.format(e=escalations) in lines[-2]
    assert result.stderr == ""  # no progress bar when stderr is not a terminal


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_simulate_refuses_what_it_must_not_do(loaded, cli, tmp_path, monkeypatch):
    live = store.sqlite_file(loaded)
    assert live is not None
    before = file_hash(loaded)
    cases = {
        "the live record": (["--record", str(live)], "is the live record"),
        "the live record, another way": (
            ["--record", os.path.relpath(live)], "is the live record"),
        "a span too long": (["--to", f"{dt.date(2024, 7, 1) + dt.timedelta(days=MAX_DAYS)}"],
                            f"at most {MAX_DAYS} days"),
        "a span reversed": (["--to", "2024-06-30"], "ends (30/06/2024) before it starts"),
    }
    for name, (extra, said) in cases.items():
        result = cli("--lang", "en", "simulate", "--from", "2024-07-01", "--to", "2024-07-31",
                     "--record", str(tmp_path / "sim.db"), *extra)
        assert result.exit_code == 2, name
        assert len(result.stderr.splitlines()) == 1 and said in result.stderr, name
        assert not (tmp_path / "sim.db").exists(), name
    assert file_hash(loaded) == before

    monkeypatch.setenv("PLANTRACK_DATABASE_URL", "postgresql+psycopg://u:secret@db.example/pt")
    result = cli("simulate", "--from", "2024-07-01", "--to", "2024-07-31")
    assert result.exit_code == 2 and "chỉ sao được tệp SQLite" in result.stderr
    assert "secret" not in result.stderr


def test_a_leap_year_is_within_the_bound():
    from tasks.simulate import span

    assert span(dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == MAX_DAYS == 366


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_progress_bar_shows_on_a_terminal_only(loaded, tmp_path):
    """stderr a terminal: a progress bar there; stdout (a pipe) holds only the table."""
    store.dispose(loaded)
    leader, follower = pty.openpty()
    run = subprocess.Popen(
        [sys.executable, "-c", "from flows.cli import main; main()", "--lang", "en", "simulate", "--from", "2024-07-01",
         "--to", "2024-07-10", "--record", str(tmp_path / "sim.db")], cwd=ROOT,
        stdout=subprocess.PIPE, stderr=follower,
        env=os.environ | {"PLANTRACK_DATABASE_URL": loaded, "TERM": "xterm", "COLUMNS": "100"})
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    out = run.stdout.read().decode() if run.stdout else ""
    assert run.wait(timeout=60) == 0
    os.close(leader)
    assert b"simulating" in shown
    assert out.splitlines()[0].startswith("day") and "simulating" not in out
