"""Where the record lives: engine, sessions, migrations, copies.

SQLite under `var/` by default; any SQLAlchemy URL through PLANTRACK_DATABASE_URL (settings).
Only `upgrade` creates a record (its folder, its file, its tables; WAL mode, which SQLite keeps
in the file). Everything else opens the record that is there: a SQLite file that does not exist,
or a database without the tables, is an EmptyRecord saying what to run — raised here, at the
engine, for every query of every command, never a SQLAlchemy traceback.
"""
from __future__ import annotations

import errno
import os
import re
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from tasks.errors import CannotWrite, EmptyRecord, Unavailable
from tasks.settings import database_url, sqlite_busy_timeout
from tasks.words.phrase import Phrase

WHAT_TO_RUN = Phrase("run `plantrack db upgrade`, then `plantrack plan load FILE`")
# SQLite says "no such table: plan"; PostgreSQL 'relation "plan" does not exist' (SQLSTATE 42P01)
_NO_TABLE = re.compile(r'no such table: (\S+)|relation "([^"]+)" does not exist')


BACKENDS = ("sqlite", "postgresql")  # where plantrack keeps a record (its migrations run there)
SQLITE_HEADER = b"SQLite format 3\x00"
CONNECT_TIMEOUT = 10  # seconds to reach a PostgreSQL server that does not answer


def parsed(url: str | sa.URL) -> sa.URL:
    """The URL parsed; Unavailable when it is not a database URL (the text is not shown: it may
    hold a password)."""
    try:
        return sa.engine.make_url(url)
    except (sa.exc.ArgumentError, ValueError):
        raise Unavailable("bad_url") from None


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for another database or an in-memory one."""
    u = parsed(url)
    if u.get_backend_name() != "sqlite" or u.database in (None, "", ":memory:"):
        return None
    return Path(u.database)


def shown(url: str | sa.URL) -> str:
    """A URL as messages show it: the password hidden."""
    return parsed(url).render_as_string(hide_password=True)


def _check_backend(url: str) -> None:
    """Unavailable unless `url` names a SQLite file or a PostgreSQL database through psycopg."""
    u = parsed(url)
    if u.get_backend_name() not in BACKENDS:
        raise Unavailable("unsupported", url=shown(u), backend=u.get_backend_name())
    if u.get_backend_name() == "postgresql" and u.get_driver_name() != "psycopg":
        raise Unavailable("driver", url=shown(u), driver=u.drivername)


def _check_sqlite_file(path: Path, url: str) -> None:
    """Unavailable unless `path` is a SQLite file whole enough to open: not a folder, a device or
    another kind of file, and not cut short (its header says how long it is). An empty file is
    a record with no tables (EmptyRecord, from the first query)."""
    try:
        st = path.stat()
    except OSError as exc:
        raise Unavailable("cannot_open", url=shown(url), reason=exc.strerror or exc) from None
    if stat.S_ISDIR(st.st_mode):
        raise Unavailable("folder", url=shown(url), path=path)
    if not stat.S_ISREG(st.st_mode):
        raise Unavailable("not_file", url=shown(url))
    if st.st_size == 0:
        return
    try:
        with path.open("rb") as f:
            head = f.read(100)
    except OSError as exc:
        raise Unavailable("cannot_open", url=shown(url), reason=exc.strerror or exc) from None
    if not head.startswith(SQLITE_HEADER):
        raise Unavailable("not_sqlite", path=path)
    if len(head) < 100:
        raise Unavailable("damaged", url=shown(url), reason="the file is cut short")


def _cut_off(path: Path) -> bool:
    """Whether a SQLite file is shorter than its header says (copied or written only in part).
    Asked only once something failed: while a checkpoint runs, a healthy file can look short."""
    try:
        with path.open("rb") as f:
            head = f.read(100)
        size = path.stat().st_size
    except OSError:
        return False
    if len(head) < 100 or head[24:28] != head[92:96]:  # the header's page count is not kept
        return False
    page = int.from_bytes(head[16:18], "big")
    return (page if page != 1 else 65536) * int.from_bytes(head[28:32], "big") > size


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")  # safe with WAL against crashes; 3x faster commits
    cur.execute(f"PRAGMA busy_timeout={int(sqlite_busy_timeout() * 1000)}")
    cur.close()


def _no_table(ctx: sa.engine.ExceptionContext) -> None:
    """A query on a table the record does not have (the record was never migrated), or a record
    that cannot be opened, reached or written: one PlantrackError saying what to do."""
    orig = ctx.original_exception
    if ctx.engine is None:
        return
    found = _NO_TABLE.search(str(orig))
    if not (found or getattr(orig, "sqlstate", None) == "42P01"):
        failure = explain(orig, ctx.engine.url)
        if failure is not None:
            raise failure from None
        return
    path = sqlite_file(str(ctx.engine.url))
    if path is not None and _cut_off(path):  # its tables are there, but cut off
        raise Unavailable("damaged", url=shown(ctx.engine.url),
                          reason="the file is shorter than its header says: it was cut off")
    name = next((g for g in found.groups() if g), None) if found else None
    tables = Phrase("the table '{name}'", name=name) if name else Phrase("its tables")
    raise EmptyRecord("the record {url} does not have {tables} yet: {what_to_run}",
                      url=shown(ctx.engine.url), tables=tables, what_to_run=WHAT_TO_RUN) from None


# SQLite's words for a record it cannot use → the words plantrack says (tasks.words)
_SQLITE_FAILURES = (("unable to open database file", "cannot_open"),
                    ("file is not a database", "not_sqlite"), ("file is encrypted", "not_sqlite"),
                    ("database disk image is malformed", "damaged"),
                    ("readonly database", "read_only"), ("disk is full", "full"),
                    ("database is locked", "busy"), ("disk I/O error", "io"))
# PostgreSQL's SQLSTATE classes and codes: 08 connection, 28 authorisation, 3D no database,
# 53 resources, 57P server shutting down or starting, 25006 read-only, 42501 no privilege
_PG_FAILURES = {"08": "unreachable", "28": "refused", "3D": "refused", "53": "busy",
                "57P": "unreachable", "25006": "read_only", "42501": "no_right"}


def _reason(orig: BaseException) -> str:
    """The driver's message in one line, without what the message already says."""
    first = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    for cut in ("FATAL:", "failed: "):
        if cut in first:
            first = first.rsplit(cut, 1)[1]
    return first.strip().rstrip(".") or type(orig).__name__


def explain(orig: BaseException, url: str | sa.URL) -> Unavailable | None:
    """What a database driver's error means for a person, if it is about the environment (the
    record, its file, its server) and not a bug; None otherwise."""
    module = type(orig).__module__.split(".")[0]
    text = str(orig)
    if module == "sqlite3":
        key = next((k for words, k in _SQLITE_FAILURES if words in text), None)
        if key is None:
            return None
        if key == "not_sqlite":
            return Unavailable(key, path=sqlite_file(str(url)) or shown(url))
        return Unavailable(key, url=shown(url), reason=_reason(orig))
    if module == "psycopg":
        state = getattr(orig, "sqlstate", None) or ""
        key = next((k for prefix, k in _PG_FAILURES.items() if state.startswith(prefix)), None)
        if key is None and not state and type(orig).__name__ == "OperationalError":
            # before the server says anything: no SQLSTATE; "FATAL:" is the server refusing
            key = "refused" if "FATAL:" in text else "unreachable"
        if key is not None:
            return Unavailable(key, url=shown(url), reason=_reason(orig))
    return None


def engine(url: str | None = None) -> sa.Engine:
    """The pooled engine of `url`, or of PLANTRACK_DATABASE_URL as it is now; EmptyRecord for a
    SQLite file that does not exist (opening it would create it)."""
    url = url or database_url()
    _check_backend(url)
    path = sqlite_file(url)
    if path is not None and not os.path.lexists(path):
        raise EmptyRecord("there is no record at {url}: {what_to_run} (or set "
                          "PLANTRACK_DATABASE_URL to the record)", url=shown(url),
                          what_to_run=WHAT_TO_RUN)
    if path is not None:
        _check_sqlite_file(path, url)
    return _engine(url)


@lru_cache(maxsize=8)
def _engine(url: str) -> sa.Engine:
    u = parsed(url)
    if u.get_backend_name() == "sqlite":
        eng = sa.create_engine(url, connect_args={"timeout": sqlite_busy_timeout()})
        sa.event.listen(eng, "connect", _sqlite_pragmas)
    else:
        # A server that does not answer fails in seconds, not after the system's TCP timeout.
        wait = {} if "connect_timeout" in u.query else {"connect_timeout": CONNECT_TIMEOUT}
        eng = sa.create_engine(url, pool_pre_ping=True, connect_args=wait)
        sa.event.listen(eng, "connect", _no_jit)
    sa.event.listen(eng, "handle_error", _no_table)
    return eng


def _no_jit(dbapi_connection: Any, _record: Any) -> None:
    """PostgreSQL's JIT compiles the digest's and the day's large reads for longer than it saves
    (0.1–0.3 s a digest at national scale): off for plantrack's own sessions."""
    with dbapi_connection.cursor() as cur:
        cur.execute("SET jit = off")
    dbapi_connection.commit()


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
    from alembic.util.exc import CommandError

    url = url or database_url()
    _check_backend(url)
    path = sqlite_file(url)
    made = _make_sqlite_file(path, url) if path is not None else []
    try:
        if path is not None:
            with engine(url).connect() as c:
                c.exec_driver_sql("PRAGMA journal_mode=WAL")
        command.upgrade(alembic_config(url), "head")
    except CommandError as exc:  # e.g. a record made by a newer plantrack
        _unmake(made, url)
        revision = re.search(r"revision identified by '([^']+)'", str(exc))
        if revision is None:
            raise
        raise Unavailable("newer", url=shown(url), revision=revision.group(1)) from None
    except BaseException:
        _unmake(made, url)  # nothing left behind by a record that could not be made
        raise


def _make_sqlite_file(path: Path, url: str) -> list[Path]:
    """Create the record's file and the folders it needs; what was created, deepest last.
    CannotWrite when they cannot be made."""
    if os.path.lexists(path):
        _check_sqlite_file(path, url)
        if _cut_off(path):
            raise Unavailable("damaged", url=shown(url),
                              reason="the file is shorter than its header says: it was cut off")
        return []
    missing = [p for p in (path, *path.parents) if not p.exists()][::-1]
    try:
        for p in missing[:-1]:
            p.mkdir()
        path.touch(exist_ok=False)
    except OSError as exc:
        _unmake([p for p in missing if p.exists()], url)
        raise CannotWrite("record_place", url=shown(url), path=exc.filename or path,
                          reason=exc.strerror or exc) from None
    return missing


def _unmake(made: list[Path], url: str) -> None:
    """Remove what `_make_sqlite_file` created (the file, its WAL files, then its folders)."""
    if not made:
        return
    dispose(url)
    for p in reversed(made):
        try:
            if p.is_dir():
                p.rmdir()
            else:
                for name in ("", "-wal", "-shm", "-journal"):
                    p.with_name(p.name + name).unlink(missing_ok=True)
        except OSError:
            pass


def copy_sqlite(url: str, dest: Path) -> str:
    """Replace the file `dest` with a copy of the SQLite record at `url`, made with sqlite3's
    backup API (consistent while others write; the source file is left byte for byte as it
    was); the copy's URL."""
    source_file = sqlite_file(url)
    if source_file is None or source_file.resolve() == dest.resolve():
        raise ValueError(f"cannot copy {shown(url)} onto {dest}")
    copy = f"sqlite:///{dest.resolve()}"
    source_engine = engine(url)  # the live record opens (or says why not) before dest is touched
    if dest.is_dir():
        raise CannotWrite("not_a_file", path=dest)
    writable_folder(dest.parent)
    dispose(copy)
    try:
        for name in ("", "-wal", "-shm", "-journal"):
            dest.with_name(dest.name + name).unlink(missing_ok=True)
    except OSError as exc:
        raise CannotWrite("cannot_write", path=exc.filename or dest,
                          reason=exc.strerror or exc) from None
    dest.parent.mkdir(parents=True, exist_ok=True)
    source = source_engine.raw_connection()
    try:
        target = sqlite3.connect(dest)
        try:
            source.driver_connection.backup(target)  # type: ignore[union-attr]
        finally:
            target.close()
    finally:
        source.close()
    return copy


def writable_folder(folder: Path) -> None:
    """CannotWrite unless files can be written in `folder`, or in the folders that would be made
    for it: checked before anything is written or recorded, and nothing is created."""
    folder = Path(folder)
    probe = next((p for p in (folder, *folder.parents) if os.path.lexists(p)), Path("."))
    if not probe.is_dir():
        raise CannotWrite("not_a_folder", path=probe)
    reason = None if os.access(probe, os.W_OK | os.X_OK) else os.strerror(errno.EACCES)
    if reason is None:  # root passes os.access everywhere: try it (a file made and removed)
        import tempfile

        try:
            fd, name = tempfile.mkstemp(dir=probe, prefix=".plantrack-")
            os.close(fd)
            os.unlink(name)
        except OSError as exc:
            reason = exc.strerror or str(exc)
    if reason is not None:
        raise CannotWrite("cannot_write", path=probe, reason=reason.lower())
