"""Where the record lives: engine, sessions, migrations.

SQLite under `var/` by default; any SQLAlchemy URL through PLANTRACK_DATABASE_URL (settings).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from tasks.settings import database_url


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")  # safe with WAL against crashes; 3x faster commits
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def engine(url: str | None = None) -> sa.Engine:
    """The pooled engine of `url`, or of PLANTRACK_DATABASE_URL as it is now."""
    return _engine(url or database_url())


@lru_cache(maxsize=8)
def _engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        eng = sa.create_engine(url, connect_args={"timeout": 30})
        sa.event.listen(eng, "connect", _sqlite_pragmas)
        return eng
    return sa.create_engine(url, pool_pre_ping=True)


def dispose(url: str | None = None) -> None:
    """Close the pooled connections of a database (before dropping or deleting it)."""
    engine(url or database_url()).dispose()


@contextmanager
def session(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back everything on any error."""
    with Session(engine(url), expire_on_commit=False) as s:
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise


def alembic_config(url: str | None = None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None) -> None:
    """Bring the database to the newest migration."""
    from alembic import command

    command.upgrade(alembic_config(url), "head")
