"""One-time form tokens, so that every create is idempotent per form submission.

A create form carries a random token. The operation that creates something first `reserve()`s
the token in its own transaction (a row under a unique constraint), creates, then records where
the result is shown (`fulfil()`). A second submission of the same form either finds the token
before doing anything (`previous_result`) or, when both run at once, waits on the token's row
and fails on the constraint before creating anything, and is sent to the first one's result.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from factcheck.models import FormSubmission, User
from factcheck.models.base import utcnow

from .errors import WorkflowError, flush_unique

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
# A form cannot be resent once its session ends (12 hours by default, FACTCHECK_SESSION_MAX_AGE),
# so after a day its token protects nothing; deployments with longer sessions lose that guard.
TOKEN_LIFETIME = timedelta(days=1)


class AlreadySubmitted(WorkflowError):
    """This form was submitted before (or is being, at this moment): show its result."""

    status_code = 409

    def __init__(self) -> None:
        super().__init__("This form was already submitted; nothing was created twice.")


def valid_token(token: str | None) -> str | None:
    """The token if it is one we could have issued; None (no idempotency) otherwise."""
    return token if token and TOKEN_PATTERN.fullmatch(token) else None


def previous_result(session: Session, token: str | None) -> str | None:
    """Where the result of an earlier submission of this form is shown, if there was one."""
    if not valid_token(token):
        return None
    return session.scalar(select(FormSubmission.result_path).where(FormSubmission.token == token))


def reserve(session: Session, actor: User, token: str | None) -> FormSubmission | None:
    """Take the token in the caller's transaction, before creating anything; a concurrent twin
    waits for this transaction and then raises AlreadySubmitted. None without a valid token."""
    if not valid_token(token):
        return None
    if previous_result(session, token) is not None:
        raise AlreadySubmitted()
    forget_expired(session)
    ticket = FormSubmission(token=token, user_id=actor.id, result_path="")
    session.add(ticket)
    flush_unique(session, AlreadySubmitted(), table="form_submissions", column="token")
    return ticket


def forget_expired(session: Session) -> None:
    """Delete tokens whose forms can no longer be resent: each new token sweeps the expired
    ones (an index range, usually empty), so the table stays the size of a day's creates."""
    session.execute(
        delete(FormSubmission)
        .where(FormSubmission.created_at < utcnow() - TOKEN_LIFETIME)
        .execution_options(synchronize_session=False)
    )


def fulfil(ticket: FormSubmission | None, result_path: str) -> None:
    """Where the created thing is shown, for a later submission of the same form."""
    if ticket is not None:
        ticket.result_path = result_path
