"""A database-wide change counter: every transaction that writes adds one as it commits.

Pages that are expensive to build (the claims list and its status tabs) are cached per process
under the counter's value. Reading it is one primary-key lookup, so every gunicorn worker sees
every other worker's commits, and a CLI's or script's, at once: a cached page is never stale.

The counter is bumped by the engine, not by the services, so no write path can forget it: any
INSERT, UPDATE or DELETE through a tracked engine marks the connection, and the upsert runs inside
the same transaction just before COMMIT. Writers that bypass SQLAlchemy's cursor (the demo
generator's PostgreSQL COPY) call `mark_written`.

Readers must take the version *before* reading the data they cache, so a cached value is never
older than its key (a commit in between makes the value newer, which is harmless).

Beside the database-wide counter (row 1), each written table has its own row (`table_row`), bumped
by the same commit, so a cached value that reads only some tables (`versions_of`) outlives writes
to the others: a comment leaves the cached signed-in users alone. A write whose table is not
named in its SQL, and `mark_written`, bump row 2, which every table's versions include.

Nothing is registered at import: `make_engine` calls `track_writes` for each engine, and the app
factory calls `forget_versions_at_transaction_end` once.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session

_WROTE = "factcheck_wrote"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE")
# The table a write statement names first (what SQLAlchemy and the services emit).
_TABLE = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|MERGE\s+INTO|DELETE\s+FROM|"
    r"UPDATE(?:\s+OR\s+\w+)?)\s+\"?(\w+)\"?",
    re.IGNORECASE,
)
GLOBAL_ROW = 1  # every commit that writes
ANY_TABLE_ROW = 2  # a write to a table not known by name: every table's versions move
# Upsert: a database whose row went missing (emptied tables, say) starts counting again.
_BUMP = (
    "INSERT INTO data_version (id, version) VALUES ({row}, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = data_version.version + 1"
)


def table_row(table: str) -> int:
    """The counter row of one table: a stable number from its name (a clash between two
    names only makes each invalidate the other's values, never keep a stale one)."""
    return 1000 + zlib.crc32(table.lower().encode()) % 1_000_000_000


def _written_table(statement: str) -> int:
    found = _TABLE.match(statement)
    return table_row(found.group(1)) if found else ANY_TABLE_ROW


def track_writes(engine: Engine) -> None:
    """Make every committed write through `engine` bump the counter."""

    @event.listens_for(engine, "before_cursor_execute")
    def notice_write(conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        if statement.lstrip()[:7].upper().startswith(_WRITES):
            conn.info.setdefault(_WROTE, set()).add(_written_table(statement))

    @event.listens_for(engine, "commit")
    def bump_on_commit(conn: Connection) -> None:
        rows = conn.info.pop(_WROTE, None)
        if rows:
            # The raw DB-API cursor: this runs inside SQLAlchemy's commit, in the same transaction.
            cursor = conn.connection.cursor()
            try:
                for row in (GLOBAL_ROW, *sorted(rows)):  # the same order in every writer
                    cursor.execute(_BUMP.format(row=int(row)))
            finally:
                cursor.close()

    @event.listens_for(engine, "rollback")
    def forget_on_rollback(conn: Connection) -> None:
        conn.info.pop(_WROTE, None)


def mark_written(conn: Connection) -> None:
    """For writes SQLAlchemy does not see (a raw COPY): bump the counters at this commit."""
    conn.info.setdefault(_WROTE, set()).add(ANY_TABLE_ROW)


_READ = "SELECT version FROM data_version WHERE id = 1"
_READ_ALL = "SELECT id, version FROM data_version"
_SEEN = "factcheck_data_version"


def current_version(session: Session | Connection) -> int:
    """The counter's value; 0 on a database that has never been written to.

    A session reads it once per transaction (the user loader reads it first, the page cache
    then reuses it); the value is forgotten when the transaction ends, so a request that commits
    and reads again sees its own change."""
    if isinstance(session, Connection):
        return session.exec_driver_sql(_READ).scalar() or 0
    return _versions(session).get(GLOBAL_ROW, 0)


def _versions(session: Session) -> dict[int, int]:
    if _SEEN not in session.info:
        # The driver's SQL on the session's connection: this runs on every signed-in request.
        # Every row in one read: the global counter and one per table ever written.
        rows = session.connection().exec_driver_sql(_READ_ALL)
        session.info[_SEEN] = {row_id: version for row_id, version in rows}
    return session.info[_SEEN]


def versions_of(session: Session, tables: Iterable[str]) -> tuple[int, ...]:
    """What a value built from `tables` depends on: their counters (and row 2's), read once
    per transaction with the global one."""
    seen = _versions(session)
    return (seen.get(ANY_TABLE_ROW, 0), *(seen.get(table_row(t), 0) for t in tables))


def _forget_version(session: Session, transaction) -> None:
    session.info.pop(_SEEN, None)


def forget_versions_at_transaction_end() -> None:
    """Make every session forget the counter it read when its transaction ends (so the next
    transaction reads it afresh). `create_app` calls this; calling it again changes nothing."""
    if not event.contains(Session, "after_transaction_end", _forget_version):
        event.listen(Session, "after_transaction_end", _forget_version)
