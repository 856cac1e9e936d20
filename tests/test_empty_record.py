"""A record with no tables, no file, or no plan: every command says in one line what to run.

Before, `plantrack serve` or `status` on a record nobody migrated died with a 150-line
traceback (`no such table: plan`), and opening a SQLite path created its folder and file. Now
the store turns a missing file or table into EmptyRecord at the engine, the command line's one
boundary prints it, and nothing is created: only `db upgrade` and `plan load` make a record.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from tasks.record import store

from conftest import PG, PLAN, ROOT

NO_TABLES = "chạy `plantrack db upgrade`, rồi `plantrack plan load TỆP`"  # said in Vietnamese
NO_PLAN = "no plan loaded yet: run `plantrack plan load FILE`"  # said in English (--lang en)
NOT_SQLITE = "chỉ sao được tệp SQLite"  # simulate on PostgreSQL: refused before anything else
NOT_SQLITE_EN = "copies only a SQLite file"


def commands(tmp: Path) -> dict[str, list[str]]:
    """Every command that reads or writes the record (not `serve` or `remind`, which start a
    Prefect server first), with arguments that would be good on a loaded record."""
    out = str(tmp / "out")
    return {
        "status": ["status"],
        "status --as-of": ["status", "--as-of", "2024-09-30", "--json"],
        "tasks": ["tasks"],
        "agencies": ["agencies"],
        "remind --dry-run": ["remind", "--dry-run", "--as-of", "2024-09-30"],
        "report": ["report", "admin-reform", "--agency", "SNV", "--period", "2024-09",
                   "--status", "done", "--on", "2024-09-18"],
        "event record": ["event", "record", "personnel-change", "--agency", "BCD-DVK",
                         "--on", "2024-08-30"],
        "digest": ["digest", "--month", "2024-09", "--out", out],
        "kpi": ["kpi"],
        "template": ["template", "--agency", "all", "--period", "2024-09", "--out", out],
        "simulate": ["simulate", "--from", "2024-09-01", "--to", "2024-09-30",
                     "--record", str(tmp / "sim.db")],
    }


@pytest.fixture(params=["no file", "an empty file", pytest.param(
    "an empty database", marks=pytest.mark.skipif(not PG, reason="PLANTRACK_TEST_PG_URL not set"))])
def empty(request, tmp_path, monkeypatch):
    """A record with no tables, as PLANTRACK_DATABASE_URL; yields a check that it is unchanged."""
    admin = None
    if request.param == "no file":
        path = tmp_path / "nowhere" / "record.db"
        url = f"sqlite:///{path}"

        def unchanged() -> bool:
            return not path.parent.exists()
    elif request.param == "an empty file":
        path = tmp_path / "record.db"
        path.touch()
        url = f"sqlite:///{path}"

        def unchanged() -> bool:
            return os.listdir(tmp_path) == ["record.db"] and path.stat().st_size == 0
    else:
        admin = sa.create_engine(PG, isolation_level="AUTOCOMMIT")
        name = f"plantrack_test_empty_{uuid.uuid4().hex[:12]}"
        with admin.connect() as c:
            c.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = sa.engine.make_url(PG).set(database=name).render_as_string(hide_password=False)

        def unchanged() -> bool:
            eng = sa.create_engine(url)
            try:
                return sa.inspect(eng).get_table_names() == [] and os.listdir(tmp_path) == []
            finally:
                eng.dispose()
    monkeypatch.setenv("PLANTRACK_DATABASE_URL", url)
    yield unchanged
    if admin is not None:
        store.dispose(url)
        with admin.connect() as c:
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def one_line(result) -> str:
    assert result.exit_code == 2, result.stdout
    assert result.stdout == "" and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("plantrack: "), result.stderr
    return lines[0]


def test_every_command_on_a_record_with_no_tables(empty, cli, tmp_path):
    postgresql = store.sqlite_file(os.environ["PLANTRACK_DATABASE_URL"]) is None
    for name, args in commands(tmp_path).items():
        line = one_line(cli(*args))
        assert (NOT_SQLITE if name == "simulate" and postgresql else NO_TABLES) in line, name
        assert empty(), f"{name} changed the record or wrote files"


def test_every_command_on_a_record_with_no_plan(db_url, cli, tmp_path):
    path = store.sqlite_file(db_url)

    def fingerprint() -> str:
        if path is None:
            return ""
        store.dispose(db_url)
        return hashlib.sha256(path.read_bytes()).hexdigest()

    before = fingerprint()
    for name, args in commands(tmp_path).items():
        said = NOT_SQLITE_EN if name == "simulate" and path is None else NO_PLAN
        assert said in one_line(cli("--lang", "en", *args)), name
    assert fingerprint() == before
    assert not (tmp_path / "out").exists() and not (tmp_path / "sim.db").exists()


def test_a_real_process_prints_one_line_and_creates_nothing(tmp_path):
    record = tmp_path / "nowhere" / "record.db"
    run = subprocess.run([sys.executable, "-c", "from flows.cli import main; main()", "status"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60,
                         env=os.environ | {"PLANTRACK_DATABASE_URL": f"sqlite:///{record}"})
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == (f"plantrack: chưa có bản ghi tại sqlite:///{record}: {NO_TABLES} "
                          "(hoặc đặt PLANTRACK_DATABASE_URL chỉ đến bản ghi)\n")
    assert not record.parent.exists()


def test_only_db_upgrade_and_plan_load_make_a_record(cli, tmp_path, monkeypatch):
    record = tmp_path / "var" / "record.db"
    monkeypatch.setenv("PLANTRACK_DATABASE_URL", f"sqlite:///{record}")
    upgraded = cli("db", "upgrade")
    assert upgraded.exit_code == 0 and record.exists()  # its folder made too
    assert one_line(cli("--lang", "en", "status")).endswith(NO_PLAN)
    for command in ("status", "agencies"):  # in Vietnamese by default
        assert one_line(cli(command)).endswith("chưa nạp kế hoạch nào: chạy `plantrack plan "
                                               "load TỆP`")

    # `plan load` migrates a record with no tables before loading into it
    fresh = tmp_path / "fresh.db"
    fresh.touch()
    monkeypatch.setenv("PLANTRACK_DATABASE_URL", f"sqlite:///{fresh}")
    loaded = cli("--lang", "en", "plan", "load", str(PLAN), "--json")
    assert loaded.exit_code == 0, loaded.stderr
    assert cli("status", "--as-of", "2024-09-30").exit_code == 0


def test_a_sqlite_record_made_by_upgrade_is_in_wal_mode(tmp_path):
    url = f"sqlite:///{tmp_path / 'record.db'}"
    store.upgrade(url)
    with store.engine(url).connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    store.dispose(url)
