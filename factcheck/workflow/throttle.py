"""Sign-in throttling: each failure slows the next attempt a little; too many lock the account
name (and, with a higher limit, the client address) for a while. Unknown names are counted the
same way as real ones, so the answers never tell which accounts exist."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from factcheck.models.login_throttle import LoginThrottle

IP_LIMIT_FACTOR = 4  # an address may fail this many times more often than one account name


def user_key(username: str) -> str:
    return f"user:{username.strip().lower()[:150]}"


def ip_key(address: str | None) -> str:
    return f"ip:{(address or 'unknown')[:150]}"


def locked_until(session: Session, keys: list[str], now: datetime) -> datetime | None:
    """The latest lock still running on any of the keys, or None."""
    locks = [
        row.locked_until
        for key in keys
        if (row := session.get(LoginThrottle, key)) is not None
        and row.locked_until is not None
        and row.locked_until > now
    ]
    return max(locks) if locks else None


def record_failure(
    session: Session, keys: list[str], now: datetime, *, max_failures: int, lock_seconds: int
) -> int:
    """Count a failure against every key; lock the keys that reach their limit. Returns the
    account-name failure count (for the slow-down)."""
    count = 0
    for key in keys:
        row = session.get(LoginThrottle, key)
        if row is None:
            row = LoginThrottle(key=key, failures=0)
            session.add(row)
        row.failures += 1
        limit = max_failures * (IP_LIMIT_FACTOR if key.startswith("ip:") else 1)
        if row.failures >= limit:
            row.locked_until = now + timedelta(seconds=lock_seconds)
            row.failures = 0
        if key.startswith("user:"):
            count = row.failures
    session.flush()
    return count


def clear(session: Session, key: str) -> None:
    row = session.get(LoginThrottle, key)
    if row is not None:
        session.delete(row)
        session.flush()


def delay_for(failures: int, step_seconds: float) -> float:
    """How long to stall before answering a failed attempt: grows with the failures, capped."""
    return min(max(failures, 0), 8) * step_seconds
