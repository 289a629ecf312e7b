"""One SQLAlchemy session per request, on `g`. Requests that may write (POST and friends) get a
session whose SQLite transactions take the write lock up front. Views commit explicitly through
`commit()`; anything not committed is rolled back at teardown."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from flask import Flask, current_app, g, request
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from factcheck.db import session_factory
from factcheck.workflow.errors import ConflictError

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# PostgreSQL serialization failure and deadlock: the transaction may simply be run again.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
T = TypeVar("T")


log = logging.getLogger("factcheck")


def engine() -> Engine:
    return current_app.extensions["factcheck_engine"]


def db() -> Session:
    if "db_session" not in g:
        write = request.method not in _SAFE_METHODS
        factories = current_app.extensions["factcheck_sessions"]
        g.db_session = factories[write]()
    return g.db_session


@contextmanager
def read_session() -> Iterator[Session]:
    """A short session that only reads, whatever the request's method: on SQLite it takes no
    write lock, so slow work between reading and writing (checking a password hash) does not
    keep every other writer waiting."""
    with current_app.extensions["factcheck_sessions"][False]() as session:
        yield session


def roll_back_request_session() -> None:
    """After an unexpected error: a failed write leaves the request's session unusable until
    rolled back, and the error page reads the signed-in user through it, so it must not fail in
    turn (a bare gunicorn page without a reference)."""
    session = g.get("db_session")
    if session is not None:
        try:
            session.rollback()
        except Exception:  # noqa: BLE001 - the error page matters more than this session now
            log.warning("could not roll back the request's session", exc_info=True)


def commit(session: Session) -> None:
    """Commit the request's unit of work; a racing writer's version check becomes a conflict."""
    try:
        session.commit()
    except StaleDataError as exc:
        session.rollback()
        raise ConflictError(
            "Someone else changed this claim at the same moment. Nothing was saved; try again."
        ) from exc


def end_read_phase(session: Session) -> None:
    """End the request's transaction before slow work that needs no database (validating an
    uploaded file): a write request's SQLite transaction holds the write lock from its first
    statement (loading the signed-in user), and every other writer would wait for it. Nothing
    has been written yet; the next statement begins a new transaction."""
    session.commit()


def is_retryable(exc: DBAPIError) -> bool:
    orig = exc.orig
    return getattr(orig, "sqlstate", None) in RETRYABLE_SQLSTATES or (
        "database is locked" in str(orig)
    )


def with_retries(work: Callable[[], T], *, attempts: int = 3) -> T:
    """Run one unit of work (load, change, commit), again if the database asks for a retry.

    A bounded number of tries; when they are used up the user gets a clean conflict answer, never
    a 500.
    """
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except DBAPIError as exc:
            db().rollback()
            if not is_retryable(exc):
                raise
            if attempt == attempts:
                raise ConflictError(
                    "The database was busy with a colleague's change. Nothing was saved; "
                    "please try again."
                ) from exc
    raise AssertionError("unreachable")


def closing_session(chunks: Iterable[T], *, started: bool = False) -> Iterator[T]:
    """A streamed body that reads the database: the request's session is closed when the last
    chunk is sent. Flask tears the request down as the view returns, before a streamed body is
    read, so without this the stream's connection would stay checked out, mid-transaction.

    `started`: the stream's query already runs (the view fetched its first row, so a database
    that is away is an error page rather than a cut-off 200). Teardown then leaves the session
    to the stream: closing it would end the transaction, and PostgreSQL's server-side cursor
    with it."""
    session = db()
    if started:
        g.pop("db_session")

    def run() -> Iterator[T]:
        try:
            yield from chunks
        finally:
            session.close()

    return run()


def init_app(app: Flask) -> None:
    eng = app.extensions["factcheck_engine"]
    app.extensions["factcheck_sessions"] = {
        False: session_factory(eng, write=False),
        True: session_factory(eng, write=True),
    }

    @app.teardown_appcontext
    def close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()
