"""Response hardening and the user loader (session cookies die with the user's generation)."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response
from sqlalchemy import inspect
from sqlalchemy.orm import Session, make_transient_to_detached

from factcheck.extensions import login_manager
from factcheck.models import User
from factcheck.queries import staff

from .cache import USERS, cached

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def load_user_from_id(session: Session, user_id: str) -> User | None:
    """Flask-Login ids are "<id>:<generation>"; a bumped generation invalidates old cookies."""
    try:
        raw_id, raw_generation = user_id.split(":", 1)
        uid, generation = int(raw_id), int(raw_generation)
    except ValueError:
        return None
    user = staff.account(session, uid)
    if user is None or not user.active or user.session_generation != generation:
        return None
    return user


_USER_COLUMNS = [attr.key for attr in inspect(User).column_attrs]


def cached_user(session: Session, user_id: str) -> User | None:
    """`load_user_from_id`, remembered per process until the database changes: a signed-in
    request then costs no user query. The cache keeps the row's values, never an instance a
    request could change; each request gets its own instance in its own session, built without
    a query (`merge(load=False)`). Deactivating a user or ending their sessions is a write, so
    the next request of every worker loads the user afresh."""

    def load() -> dict[str, Any] | None:
        user = load_user_from_id(session, user_id)
        return None if user is None else {key: getattr(user, key) for key in _USER_COLUMNS}

    values = cached(session, USERS, (user_id,), load)
    if values is None:
        return None
    user = User(**values)
    make_transient_to_detached(user)
    return session.merge(user, load=False)


def init_app(app: Flask) -> None:
    @login_manager.user_loader
    def _load(user_id: str) -> User | None:
        from .database import db

        return cached_user(db(), user_id)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if app.config["HSTS_SECONDS"]:
            response.headers.setdefault(
                "Strict-Transport-Security",
                f"max-age={app.config['HSTS_SECONDS']}; includeSubDomains",
            )
        return response
