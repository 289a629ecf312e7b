"""Engine and session plumbing, shared by the web app, the CLI, Alembic and the tests.

SQLite gets the settings a multi-user app needs on every connection: foreign keys on, WAL, a busy
timeout, and (for sessions that write) `BEGIN IMMEDIATE`, so two writers queue for the lock instead
of one failing with "database is locked" half-way through its transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from . import data_version

SQLITE_BUSY_TIMEOUT_MS = 15_000
_WRITE_OPTION = "factcheck_write"


def normalise_url(url: str) -> str:
    """Accept plain `postgresql://` URLs but always drive them with psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(url: str, *, track_writes: bool = True, **kwargs) -> Engine:
    """An engine for `url`. With `track_writes` (all but Alembic's, which runs before the
    counter's table exists) each committed write bumps `data_version`."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        engine = create_engine(url, **kwargs)
        if track_writes:
            data_version.track_writes(engine)
        return engine

    database = parsed.database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    else:
        # An in-memory database must be one shared connection, or every session sees a new DB.
        from sqlalchemy.pool import StaticPool

        kwargs.setdefault("poolclass", StaticPool)
        kwargs.setdefault("connect_args", {"check_same_thread": False})
    engine = create_engine(url, **kwargs)
    _configure_sqlite(engine, in_memory=not database or database == ":memory:")
    if track_writes:
        data_version.track_writes(engine)
    return engine


def _configure_sqlite(engine: Engine, *, in_memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (see on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        if connection.get_execution_options().get(_WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def write_bind(engine: Engine) -> Engine:
    """The same engine (and pool), flagged so SQLite transactions take the write lock up front."""
    return engine.execution_options(**{_WRITE_OPTION: True})


def session_factory(engine: Engine, *, write: bool) -> sessionmaker[Session]:
    return sessionmaker(bind=write_bind(engine) if write else engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work for CLI commands and scripts: commit on success, roll back on error."""
    with session_factory(engine, write=True)() as session, session.begin():
        yield session
