"""Response hardening and the user loader (session cookies die with the user's generation)."""

from __future__ import annotations

from flask import Flask, Response
from sqlalchemy.orm import Session

from factcheck.extensions import login_manager
from factcheck.models import User

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
    user = session.get(User, uid)
    if user is None or not user.active or user.session_generation != generation:
        return None
    return user


def init_app(app: Flask) -> None:
    @login_manager.user_loader
    def _load(user_id: str) -> User | None:
        from .database import db

        return load_user_from_id(db(), user_id)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
