"""Error pages: a clear message and the right 4xx; never a stack trace or SQL in the browser."""

from __future__ import annotations

import logging
import uuid

from flask import Flask, g, render_template, request
from sqlalchemy.exc import DisconnectionError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from factcheck.workflow.errors import WorkflowError

from .database import roll_back_request_session

log = logging.getLogger("factcheck")

MESSAGES = {
    400: "The request could not be understood (a form may have expired: reload and retry).",
    401: "Please sign in.",
    403: "You do not have permission to do that.",
    404: "There is nothing here.",
    405: "That action is not available here.",
    409: "That conflicts with a change someone else made.",
    413: "That upload is too large.",
    429: "Too many attempts. Wait a few minutes and try again.",
}
# The database is away (down, restarting, unreachable, its connections used up): a 503.
UNAVAILABLE = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)


def init_app(app: Flask) -> None:
    @app.before_request
    def assign_request_id():
        g.request_id = request.headers.get("X-Request-Id", "")[:64] or uuid.uuid4().hex[:16]

    @app.after_request
    def expose_request_id(response):
        response.headers["X-Request-Id"] = g.get("request_id", "")
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = exc.code or 500
        message = MESSAGES.get(code, exc.description)
        if code == 400 and exc.description and "CSRF" in exc.description:
            message = "The form's security token is missing or expired. Reload and try again."
        return render_template("error.html", code=code, message=message), code

    @app.errorhandler(WorkflowError)
    def workflow_error(exc: WorkflowError):
        return render_template("error.html", code=exc.status_code, message=exc.message), (
            exc.status_code
        )

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return http_error(exc)
        if isinstance(exc, UNAVAILABLE) and not _is_lock_timeout(exc):
            return unavailable(exc)
        propagate = app.config.get("TESTING") and app.config.get("PROPAGATE_TEST_ERRORS", True)
        if isinstance(exc, UNAVAILABLE) and not propagate:
            return busy(exc)
        if is_clash(exc) and not propagate:
            return clashed(exc)
        log.exception("unhandled error (request id %s)", g.get("request_id"))
        if propagate:
            raise exc
        roll_back_request_session()
        message = f"Something went wrong on our side. Reference: {g.get('request_id', '?')}."
        return render_template("error.html", code=500, message=message), 500


CLASHED = (
    "Someone changed what this relies on at the same moment (a label or record it uses was "
    "removed or taken), so nothing was saved. Reload the page and try again."
)


def is_clash(exc: Exception) -> bool:
    """A foreign key or unique violation: what a concurrent request can cause (a CHECK
    violation is a bug of ours, a 500)."""
    if not isinstance(exc, IntegrityError):
        return False
    text = str(exc.orig).lower()
    return "foreign key constraint" in text or "unique constraint" in text


def clashed(exc: Exception):
    """A constraint the services' own checks could not see coming (a concurrent request
    removed or took what this one used between its check and its write): a 409, nothing
    saved, never a 500. The tests still raise it: a service that can trip a constraint
    without a race is a bug to see."""
    log.warning("constraint clash (request id %s): %s", g.get("request_id"), exc)
    roll_back_request_session()
    message = f"{CLASHED} Reference: {g.get('request_id', '?')}."
    return render_template("error.html", code=409, message=message), 409


def _is_lock_timeout(exc: Exception) -> bool:
    """SQLite's busy timeout ran out: not an outage. The tests raise it (a transaction holding
    the write lock too long is a bug to see); served, it is a 503 'busy' (`busy`)."""
    return "database is locked" in str(getattr(exc, "orig", exc))


def busy(exc: Exception):
    """Writers queued longer than SQLite's busy timeout (a burst larger than one machine's
    disk can take): nothing was saved, and the honest answer is 'try again shortly', never a
    500."""
    log.warning("database busy (request id %s): %s", g.get("request_id"), exc)
    roll_back_request_session()
    message = (
        "The desk is very busy right now and nothing was saved. Try again in a few seconds. "
        f"Reference: {g.get('request_id', '?')}."
    )
    return (
        render_template("error.html", code=503, message=message),
        503,
        {"Retry-After": "5", "Cache-Control": "no-store"},
    )


def unavailable(exc: Exception):
    """The database cannot be reached: a 503 page with the reference id, rendered without
    anything that needs the database (not even the signed-in user, who cannot be loaded)."""
    from flask_login import AnonymousUserMixin

    log.error("database unavailable (request id %s): %s", g.get("request_id"), exc)
    g._login_user = AnonymousUserMixin()  # Flask-Login's per-request user: skip the loader
    message = (
        "The service is briefly unavailable (its database does not answer). Try again in a "
        f"minute. Reference: {g.get('request_id', '?')}."
    )
    return (
        render_template("error.html", code=503, message=message),
        503,
        {"Retry-After": "30", "Cache-Control": "no-store"},
    )
