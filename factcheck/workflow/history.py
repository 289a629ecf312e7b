"""Recording and verifying the append-only history.

Every service calls `record()` inside the same transaction as the change it describes, so the event
and the change commit or roll back together. Each event's hash covers its canonical content and the
previous event's hash in the same chain, so an edit behind the app's back is detectable.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.models import Article, Claim, HistoryEvent, User, utcnow

SYSTEM_CHAIN = "system"


def jsonable(value: Any) -> Any:
    """Dates, enums and nested containers as plain JSON values, so hashes are stable."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value differs."""
    return {
        key: [jsonable(before.get(key)), jsonable(after[key])]
        for key in after
        if jsonable(before.get(key)) != jsonable(after[key])
    }


def chain_for(claim_id: int | None) -> str:
    return f"claim:{claim_id}" if claim_id is not None else SYSTEM_CHAIN


def event_hash(event: HistoryEvent) -> str:
    content = {
        "chain": event.chain,
        "seq": event.seq,
        "claim_id": event.claim_id,
        "article_id": event.article_id,
        "actor_id": event.actor_id,
        "action": event.action,
        "claim_version": event.claim_version,
        "details": event.details,
        "created_at": event.created_at.isoformat(),
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def record(
    session: Session,
    *,
    actor: User | None,
    action: str,
    claim: Claim | None = None,
    article: Article | None = None,
    details: dict[str, Any] | None = None,
) -> HistoryEvent:
    """Append one event to the claim's chain (or the system chain) in the current transaction."""
    if claim is not None and claim.id is None:
        session.flush()
    claim_id = claim.id if claim is not None else None
    if article is not None and article.id is None:
        session.flush()
    article_id = article.id if article is not None else (claim.article_id if claim else None)
    chain = chain_for(claim_id)
    last = session.execute(
        select(HistoryEvent.seq, HistoryEvent.hash)
        .where(HistoryEvent.chain == chain)
        .order_by(HistoryEvent.seq.desc())
        .limit(1)
    ).first()
    event = HistoryEvent(
        claim_id=claim_id,
        article_id=article_id,
        actor_id=actor.id if actor is not None else None,
        action=action,
        claim_version=claim.version if claim is not None else None,
        details=jsonable(details or {}),
        created_at=utcnow(),
        chain=chain,
        seq=(last.seq + 1) if last else 1,
        prev_hash=last.hash if last else None,
    )
    event.hash = event_hash(event)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class BrokenLink:
    event_id: int
    chain: str
    seq: int
    problem: str


def verify_chains(session: Session, *, batch_size: int = 5000) -> tuple[int, list[BrokenLink]]:
    """Check every chain; return the number of events read and the first break of each chain."""
    broken: dict[str, BrokenLink] = {}
    last_hash: dict[str, str | None] = {}
    last_seq: dict[str, int] = {}
    count = 0
    rows = session.scalars(
        select(HistoryEvent)
        .order_by(HistoryEvent.chain, HistoryEvent.seq)
        .execution_options(yield_per=batch_size)
    )
    for event in rows:
        count += 1
        if event.chain in broken:
            continue
        expected_seq = last_seq.get(event.chain, 0) + 1
        problem = None
        if event.seq != expected_seq:
            problem = f"sequence gap: expected {expected_seq}, found {event.seq}"
        elif event.prev_hash != last_hash.get(event.chain):
            problem = "previous-hash link does not match the event before it"
        elif event.hash != event_hash(event):
            problem = "content does not match its hash (edited after it was written)"
        if problem:
            broken[event.chain] = BrokenLink(event.id, event.chain, event.seq, problem)
        last_hash[event.chain] = event.hash
        last_seq[event.chain] = event.seq
        session.expunge(event)
    return count, sorted(broken.values(), key=lambda b: b.event_id)
