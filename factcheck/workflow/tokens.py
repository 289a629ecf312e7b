"""Personal API tokens: made and revoked by their owner, looked up by the hash of the secret.

The secret (`fc_` and 43 URL-safe characters, 256 random bits) is returned once, when the token
is made; only its SHA-256 is stored, so a copy of the database holds no usable token. Making
and revoking a token are recorded on the system history chain."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from factcheck import limits
from factcheck.models import ApiToken, User, utcnow
from factcheck.vocabulary import HistoryAction, TokenScope

from .claims import clean_text
from .errors import NotFound, RuleViolation, ValidationFailed
from .events import api_token_created_details, api_token_revoked_details
from .history import record

SECRET_PREFIX = "fc_"  # noqa: S105 - marks our tokens, not a secret
MAX_ACTIVE_TOKENS = 20
NAME_LIMIT = limits.API_TOKEN_NAME
# `last_used_at` is written at most this often per token, so reads stay reads.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def active_tokens(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens that still work, newest first."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.id.desc())
        )
    )


def create_token(session: Session, actor: User, *, name: str, scope: str) -> tuple[ApiToken, str]:
    """A new token of `actor`'s; returns it and its secret (shown once, never stored)."""
    name = clean_text(name, "name", required=True) or ""
    if len(name) > NAME_LIMIT:
        raise ValidationFailed(f"At most {NAME_LIMIT} characters.", field="name")
    if scope not in set(TokenScope):
        raise ValidationFailed("Choose read or write.", field="scope")
    active = session.scalar(
        select(func.count())
        .select_from(ApiToken)
        .where(ApiToken.user_id == actor.id, ApiToken.revoked_at.is_(None))
    )
    if (active or 0) >= MAX_ACTIVE_TOKENS:
        raise RuleViolation(
            f"You have {MAX_ACTIVE_TOKENS} tokens already; revoke one you no longer use.",
            field="name",
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=actor.id,
        name=name,
        token_hash=hash_secret(secret),
        prefix=secret[: len(SECRET_PREFIX) + 6],
        scope=scope,
    )
    session.add(token)
    session.flush()
    record(
        session,
        actor=actor,
        action=HistoryAction.API_TOKEN_CREATED,
        details=api_token_created_details(token.id, name, scope),
    )
    return token, secret


def revoke_token(session: Session, actor: User, token_id: int) -> ApiToken:
    """Revoke one of `actor`'s own tokens (someone else's is not found, as if absent)."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != actor.id:
        raise NotFound("There is no such token of yours.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
        record(
            session,
            actor=actor,
            action=HistoryAction.API_TOKEN_REVOKED,
            details=api_token_revoked_details(token.id, token.name),
        )
    return token


def find_token(session: Session, secret: str | None) -> ApiToken | None:
    """The working token with this secret, with its active user loaded; else None."""
    if not secret or not secret.startswith(SECRET_PREFIX) or len(secret) > limits.API_TOKEN_SECRET:
        return None
    token = session.scalar(
        select(ApiToken)
        .join(User, User.id == ApiToken.user_id)
        .where(
            ApiToken.token_hash == hash_secret(secret),
            ApiToken.revoked_at.is_(None),
            User.active.is_(True),
        )
    )
    return token


def needs_last_used(token: ApiToken, now: datetime) -> bool:
    return token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION


def mark_used(session: Session, token_id: int, now: datetime) -> None:
    """Note the token's use (the caller commits, in a short transaction of its own)."""
    session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
