"""Sign-in throttling, shared by every worker through the database.

Three counters, each a row:

- `pair:<account>|<client>`: one client's failures on one account. Each failure slows the next
  answer a little; `max_failures` of them lock that pair, and each next lock lasts twice as long.
  The client is the browser's known-device id when it signed in to this account before (a signed
  cookie the web layer keeps), else its address.
- `user:<account>`: failures on the account from every client. Past ACCOUNT_LIMIT_FACTOR times
  the limit the account is locked for clients it does not know; a known client is slowed down
  but still let in with the right password, so an attacker cannot lock the owner out.
- `ip:<address>`: failures from one address, past ADDRESS_LIMIT_FACTOR times the limit, for
  unknown clients only (an office behind one address keeps its known browsers).

Unknown names count like real ones, so answers never tell which accounts exist. Attempts are
counted one after the other even when they arrive in parallel: the rows are created with INSERT
.. ON CONFLICT DO NOTHING and read FOR UPDATE (PostgreSQL), or inside SQLite's write transaction,
which holds the database lock; an attempt that finds a lock is refused whatever its password, so
no more than the limit of guesses is ever answered.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from factcheck.models.login_throttle import LoginThrottle

ACCOUNT_LIMIT_FACTOR = 4  # an account may fail this many times more often than one client on it
ADDRESS_LIMIT_FACTOR = 4  # and so may one address, over all the names it tries
MAX_LOCK_DOUBLINGS = 6  # the longest lock is 64 times the first
QUIET_PERIOD = timedelta(days=1)  # a counter untouched this long starts again from nothing
SWEEP_BATCH = 50  # quiet counters deleted by each failed attempt


def account_name(username: str) -> str:
    return username.strip().lower()[:100]


def user_key(username: str) -> str:
    return f"user:{account_name(username)}"


@dataclass(frozen=True)
class Attempt:
    allowed: bool  # False: locked; answer "too many attempts" whatever the password was
    delay: float  # seconds to wait before answering
    retry_after: int = 0  # when locked: seconds until the lock that applies ends


def record_attempt(
    session: Session,
    *,
    account: str,
    address: str | None,
    device: str | None,
    success: bool,
    now: datetime,
    max_failures: int,
    lock_seconds: int,
    step_seconds: float,
) -> Attempt:
    """Count one sign-in attempt whose password was already checked (`success`).

    `device` is the known-device id when this browser signed in to `account` before, else None.
    Flushes; the caller commits (briefly: the password check happened before)."""
    account = account_name(account)
    address = (address or "unknown")[:80]
    client = f"device:{device}" if device else f"ip:{address}"
    limits = {f"pair:{account}|{client}": max_failures}
    limits[f"user:{account}"] = max_failures * ACCOUNT_LIMIT_FACTOR
    if device is None:
        limits[f"ip:{address}"] = max_failures * ADDRESS_LIMIT_FACTOR
    # A right password writes nothing unless there are failures to forget (so a sign-in
    # does not disturb other transactions); a wrong one creates the counters it lacks.
    rows = _locked_rows(session, sorted(limits), now, create=not success)
    pair = rows.get(f"pair:{account}|{client}")
    account_locked = _is_locked(rows.get(f"user:{account}"), now)
    applying = [pair] if device is not None else list(rows.values())
    locks = [row.locked_until for row in applying if _is_locked(row, now)]
    if locks:
        return Attempt(False, 0.0, retry_after=_seconds_until(max(locks), now))
    if success:
        if pair is not None:
            session.delete(pair)
            session.flush()
        # A known client still gets in while the account is under attack, a little slower.
        return Attempt(True, delay_for(8, step_seconds) if account_locked else 0.0)
    assert pair is not None
    _sweep(session, list(rows), now)
    for key, row in rows.items():
        row.failures += 1
        if row.failures >= limits[key]:
            row.locks += 1
            doublings = min(row.locks - 1, MAX_LOCK_DOUBLINGS)
            row.locked_until = now + timedelta(seconds=lock_seconds * 2**doublings)
            row.failures = 0
    session.flush()
    return Attempt(True, delay_for(pair.failures or 8, step_seconds))


def _locked_rows(
    session: Session, keys: list[str], now: datetime, *, create: bool
) -> dict[str, LoginThrottle]:
    """The counters for `keys` (created when missing if `create`), locked against parallel
    attempts; an expired lock or a quiet counter is reset."""
    if create:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        session.execute(
            dialect.insert(LoginThrottle)
            .values([{"key": key, "failures": 0, "locks": 0, "updated_at": now} for key in keys])
            .on_conflict_do_nothing(index_elements=["key"])
        )
    rows = session.scalars(
        select(LoginThrottle)
        .where(LoginThrottle.key.in_(keys))
        .order_by(LoginThrottle.key)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    for row in rows:
        if row.updated_at < now - QUIET_PERIOD:
            row.failures, row.locks, row.locked_until = 0, 0, None
        elif row.locked_until is not None and row.locked_until <= now:
            row.locked_until = None
    return {row.key: row for row in rows}


def _sweep(session: Session, keep: list[str], now: datetime) -> None:
    """Forget a few counters quiet for a day (names tried once would otherwise pile up). Rows
    another attempt holds are skipped (SKIP LOCKED), so the sweep never waits or deadlocks."""
    stale = (
        select(LoginThrottle.key)
        .where(
            LoginThrottle.updated_at < now - QUIET_PERIOD,
            LoginThrottle.key.not_in(keep),
            (LoginThrottle.locked_until.is_(None)) | (LoginThrottle.locked_until <= now),
        )
        .limit(SWEEP_BATCH)
        .with_for_update(skip_locked=True)
    )
    session.execute(
        delete(LoginThrottle)
        .where(LoginThrottle.key.in_(stale.scalar_subquery()))
        .execution_options(synchronize_session=False)
    )


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))


def _is_locked(row: LoginThrottle | None, now: datetime) -> bool:
    return row is not None and row.locked_until is not None and row.locked_until > now


def clear_account(session: Session, username: str) -> None:
    """Forget an account's failures (its password was just set)."""
    account = account_name(username)
    session.execute(
        delete(LoginThrottle).where(
            (LoginThrottle.key == f"user:{account}")
            | LoginThrottle.key.startswith(f"pair:{account}|", autoescape=True)
        )
    )


def delay_for(failures: int, step_seconds: float) -> float:
    """How long to stall before answering a failed attempt: grows with the failures, capped."""
    return min(max(failures, 0), 8) * step_seconds
