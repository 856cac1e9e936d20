"""Shared fixtures: a real, migrated database per test — a SQLite file, and PostgreSQL when
PLANTRACK_TEST_PG_URL names a server (CI starts one) — and the shipped plan loaded into it."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from tasks.record import store

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "config" / "plans" / "dvk-2024-h2.yaml"
SMALL_PLAN = ROOT / "tests" / "plans" / "small.yaml"
PG = os.environ.get("PLANTRACK_TEST_PG_URL")

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG, reason="PLANTRACK_TEST_PG_URL not set (CI sets it)"))]


def _pg_database() -> tuple[str, callable]:
    name = f"plantrack_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(PG).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        store.dispose(url)
        with admin.connect() as c:
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path, monkeypatch) -> str:
    """A fresh, migrated database; PLANTRACK_DATABASE_URL points at it for the test."""
    if request.param == "sqlite":
        url, drop = f"sqlite:///{tmp_path / 'record.db'}", (lambda: None)
    else:
        url, drop = _pg_database()
    monkeypatch.setenv("PLANTRACK_DATABASE_URL", url)
    store.upgrade(url)
    yield url
    store.dispose(url)
    drop()


@pytest.fixture
def loaded(db_url) -> str:
    """The shipped 2024-H2 plan loaded into a fresh database."""
    from tasks.plan.load import load
    from tasks.plan.validate import validate

    with store.session(db_url) as s:
        load(s, validate(PLAN))
    return db_url


@pytest.fixture
def cli():
    """Run `plantrack ARGS…` in-process; returns the click Result (exit_code, stdout, stderr)."""
    from flows.cli import LANG, app

    runner = CliRunner()

    def run(*args: str):
        LANG["lang"] = "vi"
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run
