"""Accounts: creation, roles, deactivation and passwords (Argon2id). Every change is recorded in
the system history chain, and changes that should end a user's sessions bump their generation."""

from __future__ import annotations

import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn

from factcheck import limits
from factcheck.models import User
from factcheck.vocabulary import HistoryAction

from . import throttle
from .cleaning import clean_email, refuse_control
from .errors import PermissionDenied, ValidationFailed, flush_unique
from .events import user_created_details, user_details, user_role_changed_details
from .history import record
from .permissions import is_administrator
from .states import Role

MIN_PASSWORD_LENGTH = 10
# zxcvbn's score: 3 is "safely unguessable: moderate protection from offline slow-hash attacks".
MIN_PASSWORD_SCORE = 3
_hasher = PasswordHasher()  # argon2-cffi defaults: Argon2id, RFC 9106 low-memory profile
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,63}$")
# Verified against when the username is unknown (or the account inactive), so every failure
# costs one hash check, like a wrong password for a real account. Made by the hasher in use, so
# it costs what a real hash costs; remade if the hasher is replaced.
_dummy: tuple[PasswordHasher, str] | None = None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _dummy_hash() -> str:
    global _dummy
    if _dummy is None or _dummy[0] is not _hasher:
        _dummy = (_hasher, _hasher.hash(secrets.token_hex(8)))
    return _dummy[1]


def check_password(user: User | None, password: str) -> bool:
    """True when `password` is `user`'s. Exactly one Argon2 verification whatever the case
    (unknown user, inactive user, wrong or right password), so timing tells nothing."""
    try:
        matches = _hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    return matches and user is not None and user.active


def validate_password(password: str, *, username: str = "", other_words: tuple = ()) -> str:
    """Refuse short, overlong and guessable passwords: zxcvbn (offline, with its word lists of
    common passwords, names and keyboard patterns) must score it 3 or more, and it must not
    contain the username."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"Passwords need at least {MIN_PASSWORD_LENGTH} characters.", field="password"
        )
    if len(password) > limits.PASSWORD or "\x00" in password:
        raise ValidationFailed("That password cannot be used.", field="password")
    if username and username.lower() in password.lower():
        raise ValidationFailed("The password may not contain the username.", field="password")
    words = [w for w in (username, *other_words, "factcheck") if w]
    estimate = zxcvbn(password[:100], user_inputs=words)
    if estimate["score"] < MIN_PASSWORD_SCORE:
        hint = estimate["feedback"].get("warning") or "It is too easy to guess."
        raise ValidationFailed(
            f"Choose a harder password: {hint.rstrip('.')}. A few unrelated words work well.",
            field="password",
        )
    return password


def password_outdated(user: User, password: str) -> bool:
    """Whether `user`'s password (checked correct) fails today's rule: an account made before
    the rule, or by an operator's script, signs in and is then asked to choose a new one."""
    try:
        validate_password(password, username=user.username, other_words=(user.display_name,))
    except ValidationFailed:
        return True
    return False


def require_password_change(session: Session, user_id: int) -> None:
    """Send the user to the password form until they change it (as the first admin is)."""
    user = session.get(User, user_id)
    if user is not None:
        user.must_change_password = True


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def _require_admin(actor: User | None) -> None:
    # actor None means an operator at the CLI, who already has the database.
    if actor is not None and not is_administrator(actor):
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
    must_change_password: bool | None = None,
) -> User:
    """A new account. An account an admin creates must choose its own password at first
    sign-in (the admin knows the one typed here), unless `must_change_password` says otherwise;
    one made by an operator at the command line for themselves need not."""
    _require_admin(actor)
    if must_change_password is None:
        must_change_password = actor is not None
    username = _username(username)
    if find_user(session, username) is not None:
        raise ValidationFailed("That username is taken.", field="username")
    columns = new_user_columns(username, display_name, role, email, must_change_password)
    user = User(
        **columns,
        password_hash=hash_password(
            validate_password(password, username=username, other_words=(columns["display_name"],))
        ),
    )
    session.add(user)
    flush_unique(
        session,
        ValidationFailed("That username is taken.", field="username"),
        table="users",
        column="username",
    )
    record(
        session,
        actor=actor,
        action=HistoryAction.USER_CREATED,
        details=user_created_details(user.id, username, user.role),
    )
    return user


def _username(username: str | None) -> str:
    username = (username or "").strip().lower()
    if not _USERNAME.match(username):
        raise ValidationFailed(
            "2-64 characters: lower-case letters, digits, dot, dash or underscore.",
            field="username",
        )
    return username


def new_user_columns(
    username: str, display_name: str, role: str, email: str | None, must_change_password: bool
) -> dict:
    """A new account's columns but its password hash, checked (but whether the name is
    taken): what `create_user` writes, and the demo generator's accounts. Pure."""
    username = _username(username)
    try:
        role = Role(role).value
    except ValueError:
        raise ValidationFailed("Unknown role.", field="role") from None
    display_name = refuse_control((display_name or "").strip(), "display_name") or username
    if len(display_name) > limits.DISPLAY_NAME:
        raise ValidationFailed(f"At most {limits.DISPLAY_NAME} characters.", field="display_name")
    return {
        "username": username,
        "display_name": display_name,
        "email": clean_email(email),
        "role": role,
        "active": True,
        "session_generation": 0,
        "must_change_password": must_change_password,
    }


def ensure_admin(session: Session, username: str = "admin") -> str | None:
    """Create an admin named `username` unless an active admin exists. Returns the generated
    password of the account created (which must be changed at first sign-in), else None."""
    exists = session.scalars(
        select(User.id).where(User.role == Role.ADMIN.value, User.active.is_(True))
    ).first()
    if exists is not None:
        return None
    password = generate_password()
    create_user(
        session,
        None,
        username=username,
        display_name="Administrator",
        password=password,
        role=Role.ADMIN.value,
        must_change_password=True,  # the printed password is changed at first sign-in
    )
    return password


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
        action=HistoryAction.USER_ROLE_CHANGED,
        details=user_role_changed_details(user.id, user.role, new_role),
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
        action=HistoryAction.USER_ACTIVATED if active else HistoryAction.USER_DEACTIVATED,
        details=user_details(user.id, user.username),
    )


def reset_password(session: Session, actor: User | None, user: User, password: str) -> None:
    _require_admin(actor)
    _set_password(session, user, password)
    user.must_change_password = actor is not None and actor.id != user.id  # the admin knows it
    record(
        session,
        actor=actor,
        action=HistoryAction.PASSWORD_RESET,
        details=user_details(user.id, user.username),
    )


def change_password(
    session: Session, user: User, *, current_password: str, new_password: str
) -> None:
    """The user's own change: the current password is required (a session left open is not
    enough), and every other session of theirs ends."""
    if not check_password(user, current_password):
        raise ValidationFailed("That is not your current password.", field="current_password")
    if new_password == current_password:
        raise ValidationFailed("Choose a password you have not used here.", field="password")
    _set_password(session, user, new_password)
    user.must_change_password = False
    record(
        session,
        actor=user,
        action=HistoryAction.PASSWORD_CHANGED,
        details=user_details(user.id, user.username),
    )


def _set_password(session: Session, user: User, password: str) -> None:
    validate_password(password, username=user.username, other_words=(user.display_name,))
    user.password_hash = hash_password(password)
    user.session_generation += 1  # every existing session of the user ends
    throttle.clear_account(session, user.username)


def end_sessions(user: User) -> None:
    """Logout everywhere: every existing session cookie of this user stops working."""
    user.session_generation += 1
