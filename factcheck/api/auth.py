"""Bearer-token authentication for the API: `Authorization: Bearer fc_…`. Session cookies do
not count here, and CSRF does not apply (a token is not sent by a browser on its own)."""

from __future__ import annotations

from flask import current_app, g, request

from factcheck.models import User, utcnow
from factcheck.vocabulary import TokenScope
from factcheck.web.database import db, read_session
from factcheck.workflow import tokens

from .problems import ApiProblem

PUBLIC_API_ENDPOINTS = frozenset({"api.openapi"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def presented_secret() -> str | None:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() or None if scheme.lower() == "bearer" else None


def rate_limit_key() -> str:
    """Requests are counted per token presented (its hash, so the secret is not kept in the
    counter store), and per client address without one."""
    secret = presented_secret()
    if secret:
        return "token:" + tokens.hash_secret(secret)
    return "addr:" + (request.remote_addr or "?")


def authenticate() -> None:
    """Find the token (in a short read), note its use at most once a minute (in a short write
    of its own), and load its user into the request's session."""
    if request.endpoint in PUBLIC_API_ENDPOINTS:
        return
    secret = presented_secret()
    if secret is None:
        raise ApiProblem(401, "Send an API token: `Authorization: Bearer <token>`.")
    now = utcnow()
    with read_session() as session:
        token = tokens.find_token(session, secret)
        if token is None:
            raise ApiProblem(401, "The API token is unknown, revoked, or its user is inactive.")
        token_id, user_id, scope = token.id, token.user_id, token.scope
        stale = tokens.needs_last_used(token, now)
    if stale:
        with current_app.extensions["factcheck_sessions"][True]() as session, session.begin():
            tokens.mark_used(session, token_id, now)
    user = db().get(User, user_id)
    if user is None or not user.active:
        raise ApiProblem(401, "The API token is unknown, revoked, or its user is inactive.")
    g.api_user = user
    g.api_scope = scope
    if request.method not in SAFE_METHODS:
        require_write()  # before the body is even read


def api_user() -> User:
    return g.api_user


def require_write() -> None:
    if g.get("api_scope") != TokenScope.WRITE:
        raise ApiProblem(403, "This token may only read; make a token with the write scope.")
