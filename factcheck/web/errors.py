"""Error pages: a clear message and the right 4xx; never a stack trace or SQL in the browser."""

from __future__ import annotations

import logging
import uuid

from flask import Flask, g, render_template, request
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
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
        log.exception("unhandled error (request id %s)", g.get("request_id"))
        if app.config.get("TESTING") and app.config.get("PROPAGATE_TEST_ERRORS", True):
            raise exc
        roll_back_request_session()
        message = f"Something went wrong on our side. Reference: {g.get('request_id', '?')}."
        return render_template("error.html", code=500, message=message), 500


def _is_lock_timeout(exc: Exception) -> bool:
    """SQLite's busy timeout ran out: a bug to see (a 500 in the tests), not an outage."""
    return "database is locked" in str(getattr(exc, "orig", exc))


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
