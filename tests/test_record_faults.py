"""The record failing in the middle of a send, then the next runs.

A day of the shipped plan (25/09/2024: 19 messages, one webhook per agency on 127.0.0.1). The
webhook, as it takes the K-th message, makes the record fail — so that message is with its
receiver and its outcome cannot be written:

- sqlite-locked: another connection holds SQLite's write lock (BEGIN EXCLUSIVE) past the busy
  timeout (0.25 s here: PLANTRACK_SQLITE_BUSY_TIMEOUT) and the write retries;
- sqlite-read-only: the record's folder remounted read-only (a bind mount: a disk gone
  read-only), the pool's connections closed as a new process would open them;
- sqlite-full: the record on a small tmpfs, filled up;
- pg-stopped: a PostgreSQL cluster of the test's own (never the shared server) stopped, and
  started again after the run;
- pg-restarted: the same cluster restarted (-m fast) while the webhook holds the message.

The run that meets the failure names every message it left and why, the record's failure
first; the fault is lifted; then the next scheduled run (26/09) or a catch-up run for 25/09 (the
next morning, `remind --as-of 2024-09-25`) finishes the day. Counted per message of 25/09: the
copies its receiver got (once, twice, never), and what a receiver dropping a repeated
Idempotency-Key keeps. Messages are claimed a few at a time (dispatch.TURN for each of the
PLANTRACK_SEND_THREADS: 4, or 1 where a test says so) and each few settled together: the
failure costs exactly the second copies of the few the K-th was claimed with, and loses none. The last test runs one such trial through the daily-run flow and
`remind` (Prefect), with secrets planted in the channels, and reads the Prefect logs for them.
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import shutil
import sqlite3
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from tasks.notices import outbox
from tasks.notices.channels import env_name
from tasks.notices.day import decide_day, run_at
from tasks.notices.dispatch import TURN, dispatch
from tasks.record import store
from tasks.record.models import Agency, Message
from tasks.settings import send_threads

from conftest import PG, load_shipped
from prefect_kit import prefect, run_logs, run_named
from servers import OwnPostgres, http_server, own_postgres, postgres_bin

DAY, NEXT = dt.date(2024, 9, 25), dt.date(2024, 9, 26)
FIGURES: list[dict] = []  # one line per trial, printed at the end of the module


def _mountable() -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    probe = Path("/tmp") / f"plantrack-mount-probe-{os.getpid()}"
    probe.mkdir(exist_ok=True)
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)],
                              capture_output=True).returncode == 0
        if done:
            subprocess.run(["umount", str(probe)], check=True)
        return done
    finally:
        probe.rmdir()


MOUNTABLE = _mountable()
needs_mount = pytest.mark.skipif(not MOUNTABLE, reason="needs root, to mount a tmpfs or a "
                                                       "read-only bind mount")
needs_pg = pytest.mark.skipif(not PG or postgres_bin() is None,
                              reason="PLANTRACK_TEST_PG_URL not set, or no PostgreSQL to run")


# ── the faults ───────────────────────────────────────────────────────────────────────────────

class Fault:
    """Made to happen by the webhook (start), lifted by the test (stop)."""

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


class SqliteLocked(Fault):
    def __init__(self, path: Path):
        self.path, self.conn = path, None

    def start(self) -> None:
        self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.conn.execute("BEGIN EXCLUSIVE")

    def stop(self) -> None:
        if self.conn is not None:
            self.conn.execute("ROLLBACK")
            self.conn.close()


class SqliteReadOnly(Fault):
    """The record's folder remounted read-only; the pool's connections closed (they would be
    in a new process), so the next ones open the file read-only."""

    def __init__(self, folder: Path, url: str):
        self.folder, self.url, self.mounted = folder, url, False

    def start(self) -> None:
        store.dispose(self.url)
        subprocess.run(["mount", "--bind", str(self.folder), str(self.folder)], check=True)
        self.mounted = True
        subprocess.run(["mount", "-o", "remount,bind,ro", str(self.folder)], check=True)

    def stop(self) -> None:
        store.dispose(self.url)
        if self.mounted:
            subprocess.run(["umount", str(self.folder)], check=True)
        store.dispose(self.url)


class DiskFull(Fault):
    """The record's tmpfs filled up to the last byte."""

    def __init__(self, folder: Path):
        self.filler = folder / "filler"

    def start(self) -> None:
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        try:
            for size in (65536, 4096, 512, 64, 1):  # to the last byte
                try:
                    while True:
                        os.write(fd, b"\0" * size)
                except OSError:
                    continue
        finally:
            os.close(fd)

    def stop(self) -> None:
        self.filler.unlink(missing_ok=True)


class PgStopped(Fault):
    def __init__(self, cluster: OwnPostgres):
        self.cluster = cluster

    def start(self) -> None:
        self.cluster.stop()

    def stop(self) -> None:
        self.cluster.start()


class PgRestarted(Fault):
    def __init__(self, cluster: OwnPostgres):
        self.cluster = cluster

    def start(self) -> None:
        self.cluster.restart()

    def stop(self) -> None:
        pass


# ── the records ──────────────────────────────────────────────────────────────────────────────

def short_busy_timeout(url: str, seconds: float) -> None:
    """SQLite waits `seconds` for a lock (PLANTRACK_SQLITE_BUSY_TIMEOUT; set here on the engine
    too, in case the store reads the setting only when it makes a new engine)."""
    engine = store.engine(url)

    @sa.event.listens_for(engine, "connect")
    def _wait(dbapi_conn, _record):
        dbapi_conn.execute(f"PRAGMA busy_timeout={int(seconds * 1000)}")

    store.dispose(url)


@pytest.fixture
def fast_retries(monkeypatch):
    """A write tried again once, 50 ms later (WRITE_RETRIES is 1, 4, 15 s in production), and
    SQLite waiting a quarter of a second for a lock (30 s in production)."""
    monkeypatch.setattr(outbox, "WRITE_RETRIES", (0.05,))
    monkeypatch.setenv("PLANTRACK_SQLITE_BUSY_TIMEOUT", "0.25")


@pytest.fixture
def tmpfs(tmp_path):
    folder = tmp_path / "disk"
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(folder)], check=True)
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture(scope="module")
def cluster():
    """A PostgreSQL of this module's own, with a template database holding the shipped plan."""
    with own_postgres() as pg:
        url = pg.url("faults_template")
        admin = sa.create_engine(pg.url(), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        with admin.connect() as c:
            c.execute(sa.text("CREATE DATABASE faults_template"))
        store.upgrade(url)
        load_shipped(url)
        store.dispose(url)
        yield pg, admin
        admin.dispose()


def pg_record(cluster, name: str) -> str:
    pg, admin = cluster
    with admin.connect() as c:
        c.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE faults_template'))
    return pg.url(name)


# ── one trial ────────────────────────────────────────────────────────────────────────────────

def _codes(url: str) -> list[str]:
    with store.session(url) as s:
        return list(s.execute(sa.select(Agency.code)).scalars())


def _statuses(url: str, day: dt.date) -> Counter:
    with store.session(url) as s:
        return Counter(s.execute(sa.select(Message.status).where(Message.day == day)).scalars())


def trial(url: str, fault: Fault, k: int, follow: str, monkeypatch, name: str,
          lost_at_fault: int = 1) -> dict:
    """The day's run meeting `fault` as the webhook takes its k-th message, the fault lifted,
    then `follow` ("next": the next scheduled run; "catch-up": a run for the day, the next
    morning). What each receiver got, and what the runs said."""
    notices = decide_day(url, (), DAY)
    assert len(notices) == 19
    # sent a few at a time: the ones settled before the k-th's few, and its few (sent, their
    # outcomes lost with the record); the rest stay queued
    turn = TURN * send_threads()
    settled = (k - 1) // turn * turn
    lost = min(turn, 19 - settled) if lost_at_fault else 0
    with http_server() as http:
        for code in _codes(url):
            monkeypatch.setenv(env_name(code), http.url(f"/{code}"))
        taken = itertools.count(1)
        http.on_post = lambda hook: fault.start() if next(taken) == k else None
        try:
            met = dispatch(url, notices, now=run_at(DAY))
        finally:
            fault.stop()
        http.on_post = None
        # the run that met the failure: failed, naming each message it left, and why
        assert (met.count("sent"), met.count("unrecorded"), met.count("unsent")) == (
            (settled, lost, 19 - settled - lost) if lost_at_fault else (19, 0, 0))
        unrecorded = {m.key for m in met.messages if m.status == "unrecorded"}
        if lost_at_fault:
            assert met.record_error and len(met.undelivered()) == 19 - settled
            assert all("the record failed (" in line for line in met.undelivered())
            assert all("sent through 1 of 1 channel(s), but the outcome could not be recorded"
                       in str(m.error) and "the same key" in str(m.error)
                       for m in met.messages if m.status == "unrecorded")
        else:
            assert not met.record_error and met.undelivered() == []
        left = _statuses(url, DAY)
        # the follow-up run finishes the day
        if follow == "next":
            later = dispatch(url, decide_day(url, (), NEXT), now=run_at(NEXT))
        else:
            later = dispatch(url, notices, now=run_at(NEXT) + dt.timedelta(hours=2))
        assert later.undelivered() == [] and not later.record_error
        assert later.counts()["recovered"] == (19 - settled if lost_at_fault else 0)
        keys = [h.headers["Idempotency-Key"] for h in http.received()]
    assert _statuses(url, DAY) == Counter(sent=19)
    day_keys = [key for key in keys if f":{DAY}:" in key]
    copies = Counter(day_keys)
    expected = {n.key for n in notices}
    figures = {"fault": name, "k": k, "follow": follow, "messages": len(expected),
               "once": sum(copies[key] == 1 for key in expected),
               "twice": sum(copies[key] == 2 for key in expected),
               "never": sum(copies[key] == 0 for key in expected),
               "kept_by_dedup": len(set(day_keys)),
               "left_by_the_run": dict(left)}
    FIGURES.append(figures)
    print(json.dumps(figures))
    assert set(copies) == expected and max(copies.values()) <= 2
    assert (figures["once"], figures["twice"], figures["never"]) == (19 - lost, lost, 0)
    assert {key for key in expected if copies[key] == 2} == unrecorded  # only those, each once
    return figures


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    if FIGURES:
        by_fault: dict[str, Counter] = {}
        for f in FIGURES:
            total = by_fault.setdefault(f["fault"], Counter())
            total.update(trials=1, messages=f["messages"], once=f["once"], twice=f["twice"],
                         never=f["never"])
        print("\nrecord faults:", json.dumps({k: dict(v) for k, v in by_fault.items()}))


# ── SQLite ───────────────────────────────────────────────────────────────────────────────────

@pytest.fixture
def sqlite_record(db_templates, tmp_path, monkeypatch, fast_retries) -> str:
    url = db_templates.copy("sqlite", ("loaded",), tmp_path)
    monkeypatch.setenv("PLANTRACK_DATABASE_URL", url)
    short_busy_timeout(url, 0.25)
    yield url
    store.dispose(url)


@pytest.mark.parametrize(("k", "follow", "threads"), [(1, "next", "4"), (10, "catch-up", "1")])
def test_sqlite_locked_past_the_busy_timeout(sqlite_record, monkeypatch, k, follow, threads):
    monkeypatch.setenv("PLANTRACK_SEND_THREADS", threads)
    path = store.sqlite_file(sqlite_record)
    assert path is not None
    trial(sqlite_record, SqliteLocked(path), k, follow, monkeypatch, "sqlite-locked")


@needs_mount
@pytest.mark.parametrize(("k", "follow"), [(1, "catch-up"), (19, "next")])
def test_sqlite_file_made_read_only(sqlite_record, monkeypatch, k, follow):
    path = store.sqlite_file(sqlite_record)
    assert path is not None
    trial(sqlite_record, SqliteReadOnly(path.parent, sqlite_record), k, follow, monkeypatch,
          "sqlite-read-only")


@needs_mount
@pytest.mark.parametrize(("k", "follow"), [(5, "next"), (14, "catch-up")])
def test_sqlite_disk_full(db_templates, tmpfs, monkeypatch, fast_retries, k, follow):
    url = db_templates.copy("sqlite", ("loaded",), tmpfs)
    monkeypatch.setenv("PLANTRACK_DATABASE_URL", url)
    try:
        trial(url, DiskFull(tmpfs), k, follow, monkeypatch, "sqlite-full")
    finally:
        store.dispose(url)


# ── PostgreSQL ───────────────────────────────────────────────────────────────────────────────

@needs_pg
@pytest.mark.parametrize(("k", "follow"), [(1, "next"), (10, "catch-up")])
def test_postgresql_stopped_mid_batch(cluster, monkeypatch, fast_retries, k, follow):
    url = pg_record(cluster, f"stopped_{k}")
    monkeypatch.setenv("PLANTRACK_DATABASE_URL", url)
    try:
        trial(url, PgStopped(cluster[0]), k, follow, monkeypatch, "pg-stopped")
    finally:
        store.dispose(url)


@needs_pg
def test_postgresql_restarted_mid_send_loses_and_repeats_nothing(cluster, monkeypatch,
                                                                fast_retries):
    url = pg_record(cluster, "restarted")
    monkeypatch.setenv("PLANTRACK_DATABASE_URL", url)
    try:
        trial(url, PgRestarted(cluster[0]), 7, "next", monkeypatch, "pg-restarted",
              lost_at_fault=0)
    finally:
        store.dispose(url)


# ── through the daily-run flow and `remind`, with secrets planted ────────────────────────────

PLANTED = ["Hk7Qz2Lp9Wx4Rt6Vb3Nm", "key-Zq8-Ww4-header"]  # a webhook's path token, a header


def _prefect_text(run_id) -> str:
    """Everything Prefect keeps of a flow run that a person reads: its logs (and its task runs'),
    its state, its task runs' states."""
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    logs = run_logs(run_id)
    tasks = prefect(lambda c: c.read_task_runs(
        flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id]))))
    run = prefect(lambda c: c.read_flow_run(run_id))
    return "\n".join([*(f"{log.level} {log.message}" for log in logs),
                      f"{run.state.name}: {run.state.message}",
                      *(f"{t.name} {t.state.name}: {t.state.message}" for t in tasks)])


@pytest.mark.flow
def test_the_daily_run_meeting_a_locked_record_fails_and_a_catch_up_finishes_the_day(
        sqlite_record, harness, monkeypatch, cli, caplog, capfd):
    """`remind` for 25/09, sending from one thread, meets SQLite locked as the 5th message is
    taken (the first of the second four claimed together): the dispatch step and the daily-run end Failed with the record's
    failure, `remind` exits 1 naming each message left; the next morning
    `remind --as-of 2024-09-25` finishes the day. Nothing Prefect or the
    command kept or printed, no log line at DEBUG, no row of the record shows a planted secret."""
    import logging

    import flows.runs.daily as daily

    monkeypatch.setenv("PREFECT_API_URL", harness)
    monkeypatch.setenv("PLANTRACK_SEND_THREADS", "1")
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="prefect")
    path = store.sqlite_file(sqlite_record)
    assert path is not None
    fault = SqliteLocked(path)
    with http_server() as http:
        for code in _codes(sqlite_record):
            monkeypatch.setenv(env_name(code), http.url(f"/{code}/{PLANTED[0]}",
                                                        f"+X-Api-Key={PLANTED[1]}"))
        taken = itertools.count(1)
        http.on_post = lambda hook: fault.start() if next(taken) == 5 else None
        monkeypatch.setattr(daily, "now", lambda: run_at(DAY))
        try:
            met = cli("remind", "--as-of", "2024-09-25")
        finally:
            fault.stop()
        http.on_post = None
        assert met.exit_code == 1
        lines = met.stderr.splitlines()
        assert len(lines) == 15 and all("bản ghi gặp lỗi (" in line for line in lines)
        assert "sent=4 failed=0" in met.stdout and "unsent=11 unrecorded=4" in met.stdout
        first = run_named("daily-run 2024-09-25")
        assert first.state.is_failed()
        assert first.state.message.startswith("bản ghi gặp lỗi: ")
        assert "số tin chưa gửi được: 15" in first.state.message
        first_text = _prefect_text(first.id)
        assert "dispatch 2024-09-25 1 Failed: bản ghi gặp lỗi: " in first_text

        # the next morning, a catch-up run for 25/09 finishes it
        monkeypatch.setattr(daily, "now", lambda: run_at(NEXT) + dt.timedelta(hours=2))
        caught_up = cli("remind", "--as-of", "2024-09-25")
        assert caught_up.exit_code == 0, caught_up.stderr
        assert "sent=15 failed=0" in caught_up.stdout and "recovered=15" in caught_up.stdout
        copies = Counter(h.headers["Idempotency-Key"] for h in http.received())
    assert sorted(Counter(copies.values()).items()) == [(1, 15), (2, 4)]
    assert _statuses(sqlite_record, DAY) == Counter(sent=19)
    second_text = _prefect_text(run_named("daily-run 2024-09-25").id)
    with store.session(sqlite_record) as s:
        record = [r._asdict() for t in (Message.__table__, sa.table("delivery", sa.column("channel"),
                                                                   sa.column("error")))
                  for r in s.execute(sa.select(t))]
    out, err = capfd.readouterr()
    everything = "\n".join([met.stdout, met.stderr, caught_up.stdout, caught_up.stderr,
                            first_text, second_text, caplog.text, out, err,
                            json.dumps(record, default=str)])
    assert "/hooks/" not in everything and "/SNV/****" in everything  # the labels were there
    for secret in PLANTED:
        assert secret not in everything
