"""One-time form tokens, so that every create is idempotent per form submission.

A create form carries a random token. The operation that creates something first `reserve()`s
the token in its own transaction (a row under a unique constraint), creates, then records where
the result is shown (`fulfil()`). A second submission of the same form either finds the token
before doing anything (`previous_result`) or, when both run at once, waits on the token's row
and fails on the constraint before creating anything, and is sent to the first one's result.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from factcheck.models import FormSubmission, KeptForm, User
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


# A form refused by a conflict waits this long for the GET it was sent to (one redirect).
KEPT_LIFETIME = timedelta(minutes=10)


def keep_form(session: Session, actor: User, payload: dict[str, Any]) -> str:
    """Keep a refused form's input and what clashed for the page the user is sent to; the
    key to read it back (`read_form`). Each keep sweeps the expired ones."""
    session.execute(
        delete(KeptForm)
        .where(KeptForm.created_at < utcnow() - KEPT_LIFETIME)
        .execution_options(synchronize_session=False)
    )
    key = secrets.token_urlsafe(32)
    session.add(KeptForm(key=key, user_id=actor.id, payload=payload))
    session.flush()
    return key


def read_form(session: Session, actor: User, key: str) -> dict[str, Any] | None:
    """The form kept under `key` for this user, left in place so a reload of the page shows it
    again; None when gone, expired or someone else's."""
    kept = session.scalar(
        select(KeptForm).where(
            KeptForm.key == key,
            KeptForm.user_id == actor.id,
            KeptForm.created_at >= utcnow() - KEPT_LIFETIME,
        )
    )
    return None if kept is None else kept.payload


def forget_form(session: Session, actor: User, key: str) -> None:
    """Drop the form kept under `key` for this user (their next save succeeded)."""
    session.execute(
        delete(KeptForm)
        .where(KeptForm.key == key, KeptForm.user_id == actor.id)
        .execution_options(synchronize_session=False)
    )
