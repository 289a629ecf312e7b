"""Accounts: creation, roles, deactivation and passwords (Argon2id). Every change is recorded in
the system history chain, and changes that should end a user's sessions bump their generation."""

from __future__ import annotations

import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factcheck.models import User

from . import throttle
from .errors import PermissionDenied, ValidationFailed
from .history import record
from .states import Role

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()  # argon2-cffi defaults: Argon2id, RFC 9106 low-memory profile
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,63}$")
# Verified against when the username is unknown, so both failures cost the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(8))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(user: User | None, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash if user else _DUMMY_HASH, password) and bool(user)
    except (VerificationError, InvalidHashError):
        return False


def validate_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"Passwords need at least {MIN_PASSWORD_LENGTH} characters.", field="password"
        )
    if len(password) > 256 or "\x00" in password:
        raise ValidationFailed("That password cannot be used.", field="password")
    return password


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def _require_admin(actor: User | None) -> None:
    # actor None means an operator at the CLI, who already has the database.
    if actor is not None and actor.role != Role.ADMIN:
        raise PermissionDenied("Only admins manage accounts.")


def find_user(session: Session, username: str) -> User | None:
    return session.scalars(
        select(User).where(func.lower(User.username) == username.strip().lower())
    ).one_or_none()


def create_user(
    session: Session,
    actor: User | None,
    *,
    username: str,
    display_name: str,
    password: str,
    role: str = Role.REVIEWER.value,
    email: str | None = None,
) -> User:
    _require_admin(actor)
    username = (username or "").strip().lower()
    if not _USERNAME.match(username):
        raise ValidationFailed(
            "2-64 characters: lower-case letters, digits, dot, dash or underscore.",
            field="username",
        )
    if find_user(session, username) is not None:
        raise ValidationFailed("That username is taken.", field="username")
    try:
        role = Role(role).value
    except ValueError:
        raise ValidationFailed("Unknown role.", field="role") from None
    display_name = (display_name or "").strip() or username
    if len(display_name) > 120:
        raise ValidationFailed("At most 120 characters.", field="display_name")
    email = (email or "").strip() or None
    if email and (len(email) > 254 or "@" not in email):
        raise ValidationFailed("Enter a valid e-mail address.", field="email")
    user = User(
        username=username,
        display_name=display_name,
        email=email,
        password_hash=hash_password(validate_password(password)),
        role=role,
        active=True,
    )
    session.add(user)
    session.flush()
    record(
        session,
        actor=actor,
        action="user_created",
        details={"user_id": user.id, "username": username, "role": role},
    )
    return user


def set_role(session: Session, actor: User | None, user: User, role: str) -> None:
    _require_admin(actor)
    try:
        new_role = Role(role).value
    except ValueError:
        raise ValidationFailed("Unknown role.", field="role") from None
    if actor is not None and user.id == actor.id and new_role != Role.ADMIN:
        raise ValidationFailed("You cannot remove your own admin role.", field="role")
    if user.role == new_role:
        return
    record(
        session,
        actor=actor,
        action="user_role_changed",
        details={"user_id": user.id, "changes": {"role": [user.role, new_role]}},
    )
    user.role = new_role


def set_active(session: Session, actor: User | None, user: User, active: bool) -> None:
    _require_admin(actor)
    if actor is not None and user.id == actor.id and not active:
        raise ValidationFailed("You cannot deactivate your own account.", field="active")
    if user.active == active:
        return
    user.active = active
    if not active:
        user.session_generation += 1  # signs the user out everywhere
    record(
        session,
        actor=actor,
        action="user_activated" if active else "user_deactivated",
        details={"user_id": user.id, "username": user.username},
    )


def reset_password(session: Session, actor: User | None, user: User, password: str) -> None:
    _require_admin(actor)
    user.password_hash = hash_password(validate_password(password))
    user.session_generation += 1
    throttle.clear(session, throttle.user_key(user.username))
    record(
        session,
        actor=actor,
        action="password_reset",
        details={"user_id": user.id, "username": user.username},
    )


def end_sessions(user: User) -> None:
    """Logout everywhere: every existing session cookie of this user stops working."""
    user.session_generation += 1
