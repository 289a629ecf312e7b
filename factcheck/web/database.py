"""One SQLAlchemy session per request, on `g`. Requests that may write (POST and friends) get a
session whose SQLite transactions take the write lock up front. Views commit explicitly; anything
not committed is rolled back at teardown."""

from __future__ import annotations

from flask import Flask, current_app, g, request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from factcheck.db import session_factory

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def engine() -> Engine:
    return current_app.extensions["factcheck_engine"]


def db() -> Session:
    if "db_session" not in g:
        write = request.method not in _SAFE_METHODS
        factories = current_app.extensions["factcheck_sessions"]
        g.db_session = factories[write]()
    return g.db_session


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
