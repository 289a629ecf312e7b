"""The unit of work that sends one webhook delivery, and the sweep for lost ones; run by the
jobs in `factcheck.jobs` (like `intake/runs.py`, a boundary that commits its own short
transactions, and no Flask).

An attempt is taken (leased, counted) in one transaction, the POST is made outside any, and its
outcome recorded in a third: a worker killed mid-send leaves a leased row that the sweep sends
again once the lease is over. Receivers may therefore, rarely, see an event twice: the
`X-Factcheck-Event-Id` header says which one it is."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from factcheck.intake.fetch import FetchError, Policy, Resolver, TransientFetchError, post
from factcheck.models import utcnow
from factcheck.workflow import deliveries
from factcheck.workflow import webhooks as wf

USER_AGENT = "factcheck-webhooks/1.0"


@dataclass
class Context:
    sessions: sessionmaker[Session]  # write sessions
    policy: Policy
    max_attempts: int = 6
    backoff: timedelta = timedelta(seconds=30)
    lease: timedelta = timedelta(seconds=120)
    clock: Callable[[], datetime] = field(default=utcnow)
    resolver: Resolver | None = None  # tests only: the system's by default

    @classmethod
    def from_config(cls, sessions: sessionmaker[Session], config: Mapping[str, Any]) -> Context:
        checked = wf.policy(config)
        return cls(
            sessions=sessions,
            policy=checked,
            max_attempts=int(config.get("WEBHOOK_MAX_ATTEMPTS", 6)),
            backoff=timedelta(seconds=float(config.get("WEBHOOK_RETRY_SECONDS", 30))),
            # Longer than the slowest answer allowed, so a live attempt is never sent twice.
            lease=timedelta(seconds=checked.timeout * 2 + 60),
        )


def headers(attempt: deliveries.Attempt, timestamp: int) -> dict[str, str]:
    """The headers of one attempt: what the event is, when it was signed, and the signature."""
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Factcheck-Event": attempt.event,
        "X-Factcheck-Event-Id": attempt.event_id,
        "X-Factcheck-Timestamp": str(timestamp),
        "X-Factcheck-Signature": "sha256=" + wf.signature(attempt.secret, timestamp, attempt.body),
    }


def deliver(ctx: Context, delivery_id: int) -> tuple[str, float | None]:
    """Make one attempt at delivery `delivery_id` when it is due: ('delivered' | 'pending' |
    'failed' | 'skipped', seconds until the next attempt or None)."""
    with ctx.sessions() as session, session.begin():
        attempt = deliveries.take_delivery(session, delivery_id, ctx.clock(), ctx.lease)
    if attempt is None:
        return "skipped", None
    timestamp = int(time.time())
    code: int | None = None
    error: str | None = None
    retry = True
    try:
        extra = {} if ctx.resolver is None else {"resolver": ctx.resolver}
        code, reason = post(
            attempt.url, attempt.body, headers(attempt, timestamp), ctx.policy, **extra
        )
        if not 200 <= code < 300:
            error = f"The receiver answered {code} {reason}."
    except TransientFetchError as exc:
        error = str(exc)
    except FetchError as exc:  # the address is refused: trying again will not help
        error, retry = str(exc), False
    with ctx.sessions() as session, session.begin():
        status, delay = deliveries.finish_delivery(
            session,
            attempt,
            ctx.clock(),
            response_code=code,
            error=error,
            retry=retry,
            max_attempts=ctx.max_attempts,
            backoff=ctx.backoff,
        )
    return status, delay.total_seconds() if delay is not None else None


def sweep(ctx: Context) -> list[int]:
    """The pending deliveries whose queue message or worker was lost, to send out again."""
    with ctx.sessions() as session:
        return deliveries.lost_deliveries(session, ctx.clock())
