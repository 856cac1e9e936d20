"""Shared fixtures: a real, migrated database per test — a SQLite file, and PostgreSQL when
PLANTRACK_TEST_PG_URL names a server (CI starts one) — with a plan loaded into it when asked.

Each test's database is a copy of a template made once per session (a file copy for SQLite,
CREATE DATABASE … TEMPLATE for PostgreSQL): the migration and the plan loading cost a fraction
of a second, paid once rather than by every test."""
from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from tasks.record import store

from reminder_plan import load_scripted

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "config" / "plans" / "dvk-2024-h2.yaml"
SMALL_PLAN = ROOT / "tests" / "plans" / "small.yaml"
PG = os.environ.get("PLANTRACK_TEST_PG_URL")

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG, reason="PLANTRACK_TEST_PG_URL not set (CI sets it)"))]


def load_shipped(url: str) -> None:
    from tasks.plan.load import load
    from tasks.plan.validate import validate

    with store.session(url) as s:
        load(s, validate(PLAN))


# The fixtures that want a plan in the database, and how their templates get it.
PLANS = {"loaded": load_shipped, "rem": load_scripted}


class Templates:
    """Databases made on first use, once per session — migrated, and migrated with some of
    PLANS loaded — that each test's database is copied from."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.admin = sa.create_engine(PG, isolation_level="AUTOCOMMIT") if PG else None
        self.made: dict[tuple[str, tuple[str, ...]], str] = {}  # (backend, plans) → its URL

    def copy(self, backend: str, plans: tuple[str, ...], folder: Path) -> str:
        """The URL of a new database holding what the template of (backend, plans) holds."""
        template = sa.engine.make_url(self._template(backend, plans)).database
        if backend == "sqlite":
            path = folder / "record.db"
            shutil.copyfile(template, path)
            return f"sqlite:///{path}"
        return self._create(template)

    def drop(self, url: str) -> None:
        store.dispose(url)
        if not url.startswith("sqlite"):
            with self.admin.connect() as c:
                name = sa.engine.make_url(url).database
                c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        for (backend, _), url in self.made.items():
            if backend != "sqlite":
                self.drop(url)
        if self.admin is not None:
            self.admin.dispose()

    def _template(self, backend: str, plans: tuple[str, ...]) -> str:
        if (backend, plans) not in self.made:
            if backend == "sqlite":
                url = f"sqlite:///{self.folder / '-'.join(('migrated', *plans))}.db"
            else:
                url = self._create()
            store.upgrade(url)
            for plan in plans:
                PLANS[plan](url)
            # Closing every connection checkpoints SQLite's write-ahead log into the file, and
            # PostgreSQL copies a template only while nobody is connected to it.
            store.dispose(url)
            self.made[(backend, plans)] = url
        return self.made[(backend, plans)]

    def _create(self, template: str | None = None) -> str:
        name = f"plantrack_test_{uuid.uuid4().hex[:12]}"
        copy = f' TEMPLATE "{template}"' if template else ""
        with self.admin.connect() as c:
            c.execute(sa.text(f'CREATE DATABASE "{name}"{copy}'))
        return sa.engine.make_url(PG).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def db_templates(tmp_path_factory) -> Templates:
    templates = Templates(tmp_path_factory.mktemp("templates"))
    yield templates
    templates.close()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path, monkeypatch, db_templates) -> str:
    """A fresh, migrated database; PLANTRACK_DATABASE_URL points at it for the test. When the
    test uses `loaded` or `rem` (or both), it is copied from a template with those plans in."""
    plans = tuple(name for name in request.fixturenames if name in PLANS)
    url = db_templates.copy(request.param, plans, tmp_path)
    monkeypatch.setenv("PLANTRACK_DATABASE_URL", url)
    yield url
    db_templates.drop(url)


@pytest.fixture
def loaded(db_url) -> str:
    """A fresh database with the shipped 2024-H2 plan loaded (see db_url)."""
    return db_url


@pytest.fixture
def rem(db_url) -> str:
    """A fresh database with the September reminder plan and its scripted reports (see db_url)."""
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


@pytest.fixture(scope="session")
def harness() -> Iterator[str]:
    """One Prefect test harness for the session (~13 s to start): the flow tests share it. Its
    API URL. Prefect sets up its console logging on the first `from prefect import flow`, so the
    flows are imported here, on the session's stderr, not a test's (closed after it)."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    import flows.runs.daily  # noqa: F401

    with prefect_test_harness(server_startup_timeout=120):
        yield PREFECT_API_URL.value()
