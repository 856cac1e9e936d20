"""Where the record lives: engine, sessions, migrations, copies.

SQLite under `var/` by default; any SQLAlchemy URL through PLANTRACK_DATABASE_URL (settings).
Only `upgrade` creates a record (its folder, its file, its tables; WAL mode, which SQLite keeps
in the file). Everything else opens the record that is there: a SQLite file that does not exist,
or a database without the tables, is an EmptyRecord saying what to run — raised here, at the
engine, for every query of every command, never a SQLAlchemy traceback.
"""
from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from tasks.errors import EmptyRecord
from tasks.settings import database_url

WHAT_TO_RUN = "run `plantrack db upgrade`, then `plantrack plan load FILE`"
# SQLite says "no such table: plan"; PostgreSQL 'relation "plan" does not exist' (SQLSTATE 42P01)
_NO_TABLE = re.compile(r'no such table: (\S+)|relation "([^"]+)" does not exist')


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for another database or an in-memory one."""
    u = sa.engine.make_url(url)
    if u.get_backend_name() != "sqlite" or u.database in (None, "", ":memory:"):
        return None
    return Path(u.database)


def shown(url: str | sa.URL) -> str:
    """A URL as messages show it: the password hidden."""
    return sa.engine.make_url(url).render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")  # safe with WAL against crashes; 3x faster commits
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _no_table(ctx: sa.engine.ExceptionContext) -> None:
    """A query on a table the record does not have: the record was never migrated."""
    orig = ctx.original_exception
    found = _NO_TABLE.search(str(orig))
    if ctx.engine is None or not (found or getattr(orig, "sqlstate", None) == "42P01"):
        return
    name = next((g for g in found.groups() if g), None) if found else None
    tables = f"the table '{name}'" if name else "its tables"
    raise EmptyRecord(f"the record {shown(ctx.engine.url)} does not have {tables} yet: "
                      f"{WHAT_TO_RUN}") from None


def engine(url: str | None = None) -> sa.Engine:
    """The pooled engine of `url`, or of PLANTRACK_DATABASE_URL as it is now; EmptyRecord for a
    SQLite file that does not exist (opening it would create it)."""
    url = url or database_url()
    path = sqlite_file(url)
    if path is not None and not path.exists():
        raise EmptyRecord(f"there is no record at {shown(url)}: {WHAT_TO_RUN} (or set "
                          "PLANTRACK_DATABASE_URL to the record)")
    return _engine(url)


@lru_cache(maxsize=8)
def _engine(url: str) -> sa.Engine:
    if sa.engine.make_url(url).get_backend_name() == "sqlite":
        eng = sa.create_engine(url, connect_args={"timeout": 30})
        sa.event.listen(eng, "connect", _sqlite_pragmas)
    else:
        eng = sa.create_engine(url, pool_pre_ping=True)
    sa.event.listen(eng, "handle_error", _no_table)
    return eng


def dispose(url: str | None = None) -> None:
    """Close the pooled connections of a database (before dropping, deleting or copying it)."""
    _engine(url or database_url()).dispose()


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
    """Bring the database to the newest migration; a SQLite file (and its folder) is created
    first when it does not exist, and put in WAL mode."""
    from alembic import command

    url = url or database_url()
    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        with engine(url).connect() as c:
            c.exec_driver_sql("PRAGMA journal_mode=WAL")
    command.upgrade(alembic_config(url), "head")


def copy_sqlite(url: str, dest: Path) -> str:
    """Replace the file `dest` with a copy of the SQLite record at `url`, made with sqlite3's
    backup API (consistent while others write; the source file is left byte for byte as it
    was); the copy's URL."""
    source_file = sqlite_file(url)
    if source_file is None or source_file.resolve() == dest.resolve():
        raise ValueError(f"cannot copy {shown(url)} onto {dest}")
    copy = f"sqlite:///{dest.resolve()}"
    dispose(copy)
    for name in ("", "-wal", "-shm", "-journal"):
        dest.with_name(dest.name + name).unlink(missing_ok=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    source = engine(url).raw_connection()
    try:
        target = sqlite3.connect(dest)
        try:
            source.driver_connection.backup(target)  # type: ignore[union-attr]
        finally:
            target.close()
    finally:
        source.close()
    return copy
