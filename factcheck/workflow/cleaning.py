"""The one rule for text anyone types: no NUL and no other control character but tab, line
feed and carriage return. PostgreSQL refuses NUL outright (a 500 before this rule) and the others
have no business in a name, an e-mail or a claim. Forms and services both apply it."""

from __future__ import annotations

import re

from .errors import ValidationFailed

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_MESSAGE = "Text may not contain control characters (such as NUL)."


def has_control(value: str) -> bool:
    return _CONTROL.search(value) is not None


def refuse_control(value: str | None, field: str | None = None) -> str | None:
    """`value` unchanged, or a ValidationFailed at `field` when it holds a control character."""
    if value is not None and has_control(value):
        raise ValidationFailed(CONTROL_MESSAGE, field=field)
    return value
