"""The one rule for text anyone types: no NUL and no other control character but tab, line
feed and carriage return. PostgreSQL refuses NUL outright (a 500 before this rule) and the others
have no business in a name, an e-mail or a claim. Forms and services both apply it."""

from __future__ import annotations

import re

from factcheck import limits

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


# The address shape browsers accept for <input type=email> (WHATWG): one mailbox, nothing an
# SMTP envelope or a To: header could read as a second one ("a>,<b@x", quotes, spaces).
_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)


def clean_email(value: str | None, field: str = "email") -> str | None:
    """An e-mail address, stripped (None when empty), or a ValidationFailed at `field`."""
    address = refuse_control((value or "").strip(), field) or None
    if address is not None and (len(address) > limits.EMAIL or not _EMAIL.fullmatch(address)):
        raise ValidationFailed(
            "Enter a valid e-mail address, such as name@example.org.", field=field
        )
    return address
