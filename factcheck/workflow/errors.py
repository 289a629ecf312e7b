"""Domain errors: each carries a message a person can act on; the web layer shows it as-is."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session


class WorkflowError(Exception):
    """Base class: a rule of the workflow refused the operation."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class IllegalTransition(WorkflowError):
    status_code = 409


class PermissionDenied(WorkflowError):
    status_code = 403


class RuleViolation(WorkflowError):
    status_code = 400


class ValidationFailed(WorkflowError):
    status_code = 400


class NotFound(WorkflowError):
    status_code = 404


class ConflictError(WorkflowError):
    """Someone else changed the claim after the user loaded it; nothing was overwritten."""

    status_code = 409

    def __init__(
        self, message: str, *, current_version: int | None = None, fields: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message)
        self.current_version = current_version
        self.fields = fields  # changed by both, to different values (a true conflict)


def flush_unique(session: Session, refusal: WorkflowError, *, table: str, column: str) -> None:
    """Flush; when a racing twin took the same unique value between our check and our insert,
    refuse with `refusal` (the check catches the usual case, this the race) instead of letting
    the unique violation reach the page as a 500. The caller's unit of work is rolled back."""
    try:
        session.flush()
    except IntegrityError as exc:
        text = str(exc.orig)  # PostgreSQL names the constraint; SQLite names table.column
        if f"uq_{table}_{column}" in text or f"UNIQUE constraint failed: {table}.{column}" in text:
            raise refusal from exc
        raise
