"""Engine and session plumbing, shared by the web app, the CLI, Alembic and the tests.

SQLite gets the settings a multi-user app needs on every connection: foreign keys on, WAL, a busy
timeout, and (for sessions that write) `BEGIN IMMEDIATE`, so two writers queue for the lock instead
of one failing with "database is locked" half-way through its transaction.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    Engine,
    Table,
    create_engine,
    event,
    func,
    insert,
    select,
    text,
)
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
        if writes(connection):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def writes(connection: Connection) -> bool:
    """Whether `connection` is a writing session's (`write_bind`): on SQLite its transactions
    take the write lock at BEGIN and hold it until they end."""
    return bool(connection.get_execution_options().get(_WRITE_OPTION))


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


def serialised(conn: Connection, key: int) -> None:
    """PostgreSQL: wait for, and hold until the transaction ends, the advisory lock `key`, so
    the units of work taking it run one at a time; under READ COMMITTED (the app's) each
    statement after it sees what the one before committed. SQLite: nothing to do, its write
    transaction excludes every other writer already."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


@contextmanager
def search_indexed_in_bulk(conn: Connection, table: str = "claims") -> Iterator[None]:
    """Insert many rows of `table` (claims or sources) inside; on SQLite they join its
    full-text index (`<table>_search`, migrations 0009 and 0015) in one statement at the end
    instead of one trigger call per row (about 15 times the cost of the rows' own insert). The
    row trigger (`<table>_search_insert`) is dropped for the insert and created again from its
    own stored SQL in the same write transaction, so no other writer runs meanwhile and readers
    see none of it. New rows are those after the largest id before (see `NewIds`); the index's
    columns are read from the index itself. PostgreSQL's generated column needs nothing."""
    trigger = None
    if conn.dialect.name == "sqlite":
        trigger = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            (f"{table}_search_insert",),
        ).scalar()
    if trigger is None:
        yield
        return
    quote = conn.dialect.identifier_preparer.quote
    columns = ", ".join(
        quote(row[1]) for row in conn.exec_driver_sql(f"PRAGMA table_info({table}_search)")
    )
    last = conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {quote(table)}").scalar()
    conn.exec_driver_sql(f"DROP TRIGGER {table}_search_insert")
    try:
        yield
        conn.exec_driver_sql(
            f"INSERT INTO {table}_search(rowid, {columns}) "
            f"SELECT id, {columns} FROM {quote(table)} WHERE id > ?",
            (last,),
        )
    finally:
        # IF NOT EXISTS: should SQLite itself have rolled back (an I/O error, a full disk), the
        # trigger is back already and that original error must surface.
        conn.exec_driver_sql(trigger.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))


_TALLY_TRIGGER = "claims_tally_insert"  # SQLite's report tallies row trigger (migration 0021)


@contextmanager
def tallied_in_bulk(conn: Connection) -> Iterator[None]:
    """Insert many claims inside; on SQLite the report's tallies count them in one statement
    at the end instead of one trigger call per row (which tripled an import's time under the
    write lock). As `search_indexed_in_bulk`: the trigger is dropped and created again from its
    own stored SQL in the same write transaction, and the statement at the end is that
    trigger's, reading the new claims (after the largest id before) in place of its NEW row.
    PostgreSQL's trigger already counts once per statement."""
    trigger = None
    if conn.dialect.name == "sqlite":
        trigger = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_TALLY_TRIGGER,)
        ).scalar()
    if trigger is None:
        yield
        return
    last = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM claims").scalar()
    conn.exec_driver_sql(f"DROP TRIGGER {_TALLY_TRIGGER}")
    try:
        yield
        conn.exec_driver_sql(_over_new_claims(trigger), (last,) * trigger.count(" AS n"))
    finally:
        conn.exec_driver_sql(trigger.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))


def _over_new_claims(trigger: str) -> str:
    """The tally trigger's statement over the claims after `?` instead of its NEW row: each
    figure's row `SELECT ... NEW.x ... 1 AS n [WHERE condition]` reads `FROM claims AS c`."""
    body = trigger[trigger.index(" BEGIN ") + 7 : trigger.rindex("; END")]
    body = body.replace("NEW.", "c.")
    body = re.sub(r" AS n\s+WHERE ", " AS n FROM claims AS c WHERE c.id > ? AND ", body)
    return re.sub(r" AS n\s+(UNION|\) AS moved)", r" AS n FROM claims AS c WHERE c.id > ? \1", body)


class NewIds:
    """Primary keys chosen before the insert, so rows can be bulk-inserted without RETURNING
    (which SQLite can only honour in order one row at a time) and referenced at once.

    PostgreSQL: the ids are drawn from the table's own sequence (`nextval`), so concurrent
    writers never collide and the sequence needs no fixing afterwards. SQLite (and others): the
    ids continue after the current maximum; the write transaction (BEGIN IMMEDIATE, or SQLite's
    lock upgrade failing with "database is locked") keeps other writers out meanwhile.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.postgres = conn.dialect.name == "postgresql"
        self.sequences: dict[str, str | None] = {}
        self.next: dict[str, int] = {}

    def _sequence(self, table: Table) -> str | None:
        if table.name not in self.sequences:
            self.sequences[table.name] = self.conn.execute(
                text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name}
            ).scalar()
        return self.sequences[table.name]

    def take(self, table: Table, count: int) -> list[int]:
        if count == 0:
            return []
        sequence = self._sequence(table) if self.postgres else None
        if sequence is not None:
            return list(
                self.conn.execute(
                    text("SELECT nextval(:sequence) FROM generate_series(1, :count)"),
                    {"sequence": sequence, "count": count},
                ).scalars()
            )
        if table.name not in self.next:
            self.next[table.name] = (
                self.conn.execute(select(func.max(table.c.id))).scalar() or 0
            ) + 1
        start = self.next[table.name]
        self.next[table.name] = start + count
        return list(range(start, start + count))


def _bulk_processor(type_: Any, dialect: Any) -> Any:
    """How a value of `type_` is handed to the driver in a bulk insert: its bind processor;
    JSON as text for COPY (psycopg's own JSON adaptation needs a placeholder's cast)."""
    if dialect.name == "postgresql" and isinstance(type_, JSON):
        return json.dumps
    if dialect.name == "sqlite":  # the dialect's own (datetimes as the ORM stores them)
        return type_.dialect_impl(dialect).bind_processor(dialect)
    return type_.bind_processor(dialect)


def insert_many(
    bind: Session | Connection,
    table: Table,
    rows: list[dict[str, Any]],
    *,
    stored: tuple[str, ...] = (),
) -> None:
    """Insert many rows (with their ids, all with the same keys) in batches, fast: a bulk write
    inside SQLite's write lock, or a big import on PostgreSQL.

    Each value goes through its column type's bind processor and the missing columns' defaults
    are computed once for the batch; then SQLite's executemany (SQLAlchemy's own costs about
    as much again per row) or PostgreSQL's COPY (psycopg's executemany sends one statement per
    row, each firing the statement-level triggers). The JSON columns named in `stored` hold
    their JSON text already (as stored, no conversion)."""
    connection = bind.connection() if isinstance(bind, Session) else bind
    BulkInsert(connection.dialect, table, rows, stored=stored).run(connection)


class BulkInsert:
    """`insert_many`'s rows converted for the driver, to be inserted later: an import converts
    them before SQLite's write lock and only inserts them under it."""

    def __init__(
        self,
        dialect: Any,
        table: Table,
        rows: list[dict[str, Any]],
        *,
        stored: tuple[str, ...] = (),
    ) -> None:
        self.table, self.rows, self.stored = table, rows, stored
        self.columns: list[str] = []
        self.values: list[tuple[Any, ...]] = []
        self.postgres = dialect.name == "postgresql" and dialect.driver == "psycopg"
        self.native = dialect.name == "sqlite" or self.postgres
        if rows and self.native:
            self._convert(dialect)

    def _convert(self, dialect: Any) -> None:
        table, rows, stored = self.table, self.rows, self.stored
        names = list(rows[0])
        defaults = {}
        for column in table.columns:
            if column.key not in names and column.default is not None:
                arg = column.default.arg
                defaults[column.key] = arg(None) if column.default.is_callable else arg
        columns = [*names, *defaults]
        extra = list(defaults.values())
        converted = [
            (position, process)
            for position, name in enumerate(columns)
            if name not in stored
            and (process := _bulk_processor(table.c[name].type, dialect)) is not None
        ]
        # The last value converted in each column and its result: rows often share one (a
        # timestamp, a default), converted once.
        last: dict[int, tuple[Any, Any]] = {position: (None, None) for position, _ in converted}
        pick = operator.itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
        values = []
        for row in rows:
            value = [*pick(row), *extra]
            for position, process in converted:
                given = value[position]
                if given is not None:
                    before, after = last[position]
                    if given is not before:
                        after = process(given)
                        last[position] = given, after
                    value[position] = after
            values.append(tuple(value))
        self.columns, self.values = columns, values

    def run(self, bind: Session | Connection, *, skip_existing: bool = False) -> int:
        """Insert the rows; with `skip_existing` (SQLite only) a row whose key is taken
        already is left out (ON CONFLICT DO NOTHING). Returns how many rows were inserted."""
        if not self.rows:
            return 0
        connection = bind.connection() if isinstance(bind, Session) else bind
        table, columns = self.table, self.columns
        if skip_existing and connection.dialect.name != "sqlite":
            raise ValueError("skip_existing is for SQLite's bulk insert only")
        if not self.native:
            rows = self.rows
            if self.stored:
                rows = [{**row, **{n: json.loads(row[n]) for n in self.stored}} for row in rows]
            connection.execute(insert(table), rows)
        elif self.postgres:
            copy_rows(connection, table, columns, self.values)
        else:
            quote = connection.dialect.identifier_preparer.quote
            statement = (
                f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in columns)})"
                f" VALUES ({', '.join('?' for _ in columns)})"
            )
            if skip_existing:
                statement += " ON CONFLICT DO NOTHING"
            # sqlite3 sums an executemany's changes: the rows inserted.
            return connection.exec_driver_sql(statement, self.values).rowcount
        return len(self.rows)


def copy_rows(
    conn: Connection, table: Table, names: list[str], rows: list[tuple[Any, ...]]
) -> None:
    """PostgreSQL: `COPY ... FROM STDIN` on the transaction's own psycopg connection."""
    quote = conn.dialect.identifier_preparer.quote
    columns = ", ".join(quote(name) for name in names)
    raw = conn.connection.driver_connection
    statement = f"COPY {quote(table.name)} ({columns}) FROM STDIN"
    data_version.mark_written(conn)  # COPY bypasses the engine's cursor events
    with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
        write_row = copy.write_row
        for row in rows:
            write_row(row)


def refresh_statistics(engine: Engine) -> None:
    """ANALYZE: the planner's figures on each index (how many rows a value selects). Without
    them SQLite guesses, and picks, for instance, the index of verdict states over the one that
    reads approved verdicts in claim order, sorting every published fact-check for one page.
    After a bulk load (demo data, an import) and a migration; both databases."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE")


def upgrade_database(url: str, revision: str = "head") -> None:
    """Run Alembic migrations against `url` (used by the CLI and the tests)."""
    from alembic import command
    from alembic.config import Config as AlembicConfig

    from config import BASE_DIR

    cfg = AlembicConfig(str(BASE_DIR / "alembic.ini"))
    cfg.set_main_option("script_location", str(BASE_DIR / "migrations"))
    cfg.attributes["database_url"] = url
    command.upgrade(cfg, revision)
