"""One SQLAlchemy session per request, on `g`. Requests that may write (POST and friends) get a
session whose SQLite transactions take the write lock up front. Views commit explicitly through
`commit()`; anything not committed is rolled back at teardown."""

from __future__ import annotations

from flask import Flask, current_app, g, request
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from factcheck.db import session_factory
from factcheck.workflow.errors import ConflictError

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def engine() -> Engine:
    return current_app.extensions["factcheck_engine"]


def db() -> Session:
    if "db_session" not in g:
        write = request.method not in _SAFE_METHODS
        factories = current_app.extensions["factcheck_sessions"]
        g.db_session = factories[write]()
    return g.db_session


def commit(session: Session) -> None:
    """Commit the request's unit of work; a racing writer's version check becomes a conflict."""
    try:
        session.commit()
    except StaleDataError as exc:
        session.rollback()
        raise ConflictError(
            "Someone else changed this claim at the same moment. Nothing was saved; try again."
        ) from exc


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
