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

Nothing is registered at import: `make_engine` calls `track_writes` for each engine, and the app
factory calls `forget_versions_at_transaction_end` once.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session

_WROTE = "factcheck_wrote"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE")
# Upsert: a database whose row went missing (emptied tables, say) starts counting again.
_BUMP = (
    "INSERT INTO data_version (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = data_version.version + 1"
)


def track_writes(engine: Engine) -> None:
    """Make every committed write through `engine` bump the counter."""

    @event.listens_for(engine, "before_cursor_execute")
    def notice_write(conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        if statement.lstrip()[:7].upper().startswith(_WRITES):
            conn.info[_WROTE] = True

    @event.listens_for(engine, "commit")
    def bump_on_commit(conn: Connection) -> None:
        if conn.info.pop(_WROTE, False):
            # The raw DB-API cursor: this runs inside SQLAlchemy's commit, in the same transaction.
            cursor = conn.connection.cursor()
            try:
                cursor.execute(_BUMP)
            finally:
                cursor.close()

    @event.listens_for(engine, "rollback")
    def forget_on_rollback(conn: Connection) -> None:
        conn.info.pop(_WROTE, None)


def mark_written(conn: Connection) -> None:
    """For writes SQLAlchemy does not see (a raw COPY): bump the counter at this commit."""
    conn.info[_WROTE] = True


_READ = "SELECT version FROM data_version WHERE id = 1"
_SEEN = "factcheck_data_version"


def current_version(session: Session | Connection) -> int:
    """The counter's value; 0 on a database that has never been written to.

    A session reads it once per transaction (the user loader reads it first, the page cache
    then reuses it); the value is forgotten when the transaction ends, so a request that commits
    and reads again sees its own change."""
    if isinstance(session, Connection):
        return session.exec_driver_sql(_READ).scalar() or 0
    if _SEEN not in session.info:
        # The driver's SQL on the session's connection: this runs on every signed-in request.
        session.info[_SEEN] = session.connection().exec_driver_sql(_READ).scalar() or 0
    return session.info[_SEEN]


def _forget_version(session: Session, transaction) -> None:
    session.info.pop(_SEEN, None)


def forget_versions_at_transaction_end() -> None:
    """Make every session forget the counter it read when its transaction ends (so the next
    transaction reads it afresh). `create_app` calls this; calling it again changes nothing."""
    if not event.contains(Session, "after_transaction_end", _forget_version):
        event.listen(Session, "after_transaction_end", _forget_version)
