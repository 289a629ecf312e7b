"""Domain errors: each carries a message a person can act on; the web layer shows it as-is."""

from __future__ import annotations


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
