"""Recording and verifying the append-only history.

Every service calls `record()` inside the same transaction as the change it describes, so the event
and the change commit or roll back together. Each event's hash covers its canonical content and the
previous event's hash in the same chain, so an edit behind the app's back is detectable.

Each chain's head (`history_chain_heads`: its event count and last hash) moves in the same
transaction as every append. The append locks it first (`SELECT ... FOR UPDATE` on PostgreSQL;
SQLite's writers are already one at a time), so concurrent writers of one chain, the `system`
chain above all, queue instead of taking the same sequence number. `verify_chains` compares the
heads with the events: a deleted tail, a deleted chain or an emptied table shows. When
FACTCHECK_HISTORY_KEY is set (an operator secret kept outside the database, read from the
environment wherever history is written or verified), each head also carries an HMAC of
`chain|seq|hash`, so even a rewrite with every hash recomputed shows.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from factcheck.db import BulkInsert
from factcheck.models import Article, Claim, HistoryChainHead, HistoryEvent, User, utcnow

from . import notifications
from .hashing import (  # noqa: F401 -- re-exported: callers import them from `history`
    EventRow,
    canonical_event,
    canonical_json,
    chain_links,
    changes,
    hash_text,
    jsonable,
)
from .webhooks import announce

SYSTEM_CHAIN = "system"
KEY_VARIABLE = "FACTCHECK_HISTORY_KEY"
_CHUNK = 500


def chain_for(claim_id: int | None) -> str:
    return f"claim:{claim_id}" if claim_id is not None else SYSTEM_CHAIN


def event_hash(event: HistoryEvent | NewEvent) -> str:
    """The SHA-256 of the event's `canonical_event` (with its details' canonical JSON when the
    event already carries it, as `NewEvent.details_json`)."""
    return hash_text(canonical_event(event.chain, event.seq, *_row(event), event.prev_hash))


def _row(event: HistoryEvent | NewEvent) -> EventRow:
    """An event's columns as `chain_links` reads them."""
    details = getattr(event, "details_json", None) or canonical_json(event.details)
    return (
        event.claim_id, event.article_id, event.actor_id, event.action, event.claim_version,
        event.created_at.isoformat(), details,
    )  # fmt: skip


def history_key() -> bytes | None:
    """The HMAC key for chain heads, from the environment (None: heads are not signed)."""
    key = os.environ.get(KEY_VARIABLE)
    return key.encode() if key else None


def head_hmac(key: bytes, chain: str, seq: int, hash_: str) -> str:
    return hmac.new(key, f"{chain}|{seq}|{hash_}".encode(), hashlib.sha256).hexdigest()


def _chunks(values: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def lock_heads(bind: Session | Connection, chains: Sequence[str]) -> dict[str, tuple[int, str]]:
    """{chain: (seq, hash)} of the chains that have a head, each locked until the transaction
    ends (PostgreSQL; SQLite ignores FOR UPDATE, its write transaction already excludes other
    writers). Locked in chain order, so two writers never wait on each other crosswise."""
    heads: dict[str, tuple[int, str]] = {}
    for chunk in _chunks(sorted(set(chains))):
        rows = bind.execute(
            select(HistoryChainHead.chain, HistoryChainHead.seq, HistoryChainHead.hash)
            .where(HistoryChainHead.chain.in_(chunk))
            .order_by(HistoryChainHead.chain)
            .with_for_update()
        )
        heads.update((chain, (seq, hash_)) for chain, seq, hash_ in rows)
    return heads


def _extend(chain: str, events: Sequence[Any], head: tuple[int, str] | None, key: bytes | None):
    """Give `events` (in order) their seq, prev_hash and hash after `head`; the new head row."""
    seq, prev = head if head is not None else (0, None)
    for event, (seq, event.prev_hash, prev) in zip(
        events, chain_links(chain, head, map(_row, events)), strict=True
    ):
        event.seq, event.hash = seq, prev
    return head_row(chain, seq, prev, key)


def head_row(chain: str, seq: int, hash_: str, key: bytes | None) -> dict[str, Any]:
    """A chain's head after its event `seq` with `hash_`, signed when there is a key."""
    signature = head_hmac(key, chain, seq, hash_) if key is not None else None
    return {"chain": chain, "seq": seq, "hash": hash_, "hmac": signature}


def _insert_new_heads(bind: Session | Connection, rows: list[dict[str, Any]]) -> set[str]:
    """Insert heads of chains that had none; returns the chains inserted. A chain another
    transaction started meanwhile is left out (PostgreSQL waits for that one to commit)."""
    engine = bind.get_bind() if isinstance(bind, Session) else bind
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(_HEADS)
        .on_conflict_do_nothing(index_elements=["chain"])
        .returning(_HEADS.c.chain)
    )
    return set(bind.execute(statement, rows).scalars())


_HEADS = HistoryChainHead.__table__
_MOVE_HEAD = (
    update(_HEADS)
    .where(_HEADS.c.chain == bindparam("head_chain"))
    .values(seq=bindparam("head_seq"), hash=bindparam("head_hash"), hmac=bindparam("head_hmac"))
)


def link(bind: Session | Connection, events: Sequence[Any]) -> None:
    """Append new `events` (not yet inserted, in order; HistoryEvent or any object with its
    attributes) to their chains: lock each chain's head, give each event its seq, prev_hash and
    hash, and move the heads past them. The caller inserts the events in the same transaction."""
    by_chain: dict[str, list[Any]] = {}
    for event in events:
        by_chain.setdefault(event.chain, []).append(event)
    key = history_key()
    heads = lock_heads(bind, list(by_chain))
    new = {
        chain: _extend(chain, chain_events, None, key)
        for chain, chain_events in by_chain.items()
        if chain not in heads
    }
    if new:
        started = _insert_new_heads(bind, list(new.values()))
        # Chains a concurrent first writer started meanwhile: link onto its head after all.
        heads.update(lock_heads(bind, [chain for chain in new if chain not in started]))
    moved = [
        _extend(chain, by_chain[chain], head, key)
        for chain, head in heads.items()
        if chain in by_chain
    ]
    move_heads(bind, moved)


def move_heads(bind: Session | Connection, rows: list[dict[str, Any]]) -> None:
    """Update existing heads to `rows` (see `head_row`); the triggers refuse a step back."""
    if rows:
        bind.execute(
            _MOVE_HEAD, [{f"head_{name}": value for name, value in row.items()} for row in rows]
        )


@dataclass(slots=True)
class NewEvent:
    """An event for `insert_events`: HistoryEvent's columns without the ORM's cost per row."""

    chain: str
    claim_id: int | None
    article_id: int | None
    actor_id: int | None
    action: str
    claim_version: int | None
    details: dict[str, Any] | None  # None when only details_json was given
    created_at: datetime
    details_json: str = ""  # canonical, hashed and stored as it is
    seq: int = 0
    prev_hash: str | None = None
    hash: str = ""


def new_event(
    *,
    actor: User | None,
    action: str,
    claim_id: int | None,
    article_id: int | None,
    claim_version: int | None,
    details: dict[str, Any] | None = None,
    details_json: str | None = None,
    created_at: datetime | None = None,
) -> NewEvent:
    """The event `record()` would write for the same arguments, for a bulk insert: with its
    `details`, or their canonical JSON when the caller built it (an import, faster); at
    `created_at` (default: now)."""
    if details_json is None:
        details = jsonable(details or {})
        details_json = canonical_json(details)
    return NewEvent(
        chain=chain_for(claim_id),
        claim_id=claim_id,
        article_id=article_id,
        actor_id=actor.id if actor is not None else None,
        action=str(action),  # a HistoryAction: its plain value
        claim_version=claim_version,
        details=details,
        created_at=created_at or utcnow(),
        details_json=details_json,
    )


def insert_events(session: Session, events: list[NewEvent]) -> None:
    """Append many events at once (an import's): one head lock per chain, batched inserts."""
    link(session, events)
    event_insert(session.connection().dialect, events).run(session)


def event_insert(dialect: Any, events: list[NewEvent]) -> BulkInsert:
    """The rows of linked `events`, converted for a bulk insert."""
    columns = [column.key for column in HistoryEvent.__table__.columns if column.key != "id"]
    rows = [
        {**{name: getattr(event, name) for name in columns}, "details": event.details_json}
        for event in events
    ]
    return BulkInsert(dialect, HistoryEvent.__table__, rows, stored=("details",))


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
    event = HistoryEvent(
        claim_id=claim_id,
        article_id=article_id,
        actor_id=actor.id if actor is not None else None,
        action=str(action),  # a HistoryAction: its plain value
        claim_version=claim.version if claim is not None else None,
        details=jsonable(details or {}),
        created_at=utcnow(),
        chain=chain_for(claim_id),
    )
    link(session, [event])
    session.add(event)
    session.flush()
    notifications.on_event(session, event, claim, actor)  # in the same transaction
    announce(session, event, claim, article)  # the webhooks' outbox, in the same transaction
    return event


@dataclass(frozen=True)
class BrokenLink:
    """One problem found: in a chain (`event_id` and `seq` where one event is at fault) or, for a
    claim whose whole chain is gone, in no chain at all."""

    chain: str
    problem: str
    event_id: int | None = None
    seq: int | None = None

    def __str__(self) -> str:
        where = f"event #{self.event_id} (seq {self.seq})" if self.event_id is not None else None
        return f"chain {self.chain}: {where + ': ' if where else ''}{self.problem}"


def _head_problem(
    chain: str, head: tuple[int, str, str | None] | None, seq: int, hash_: str | None
) -> str | None:
    """What is wrong between a chain's events (last `seq` and `hash_`) and its head."""
    if head is None:
        return f"has {seq} event(s) but no head (its head was deleted, or events added behind it)"
    head_seq, head_hash, _ = head
    if seq == 0:
        return f"missing: its head records {head_seq} event(s) and none are left"
    if seq < head_seq:
        return f"{head_seq - seq} event(s) missing at the end: the head records {head_seq}"
    if seq > head_seq:
        return f"{seq - head_seq} event(s) after its head's {head_seq} (added behind the app)"
    if hash_ != head_hash:
        return "the last event's hash differs from the head's (events rewritten)"
    return None


def verify_chains(
    session: Session, *, batch_size: int = 5000, key: bytes | None = None
) -> tuple[int, list[BrokenLink]]:
    """Check every chain, event by event and against its head, and that every claim has one;
    with `key` (default: FACTCHECK_HISTORY_KEY) also each head's HMAC. Returns the number of
    events read and the problems: the first break of each chain, and each head, chain or
    signature that does not match."""
    key = key if key is not None else history_key()
    heads = {
        chain: (seq, hash_, signature)
        for chain, seq, hash_, signature in session.execute(
            select(HistoryChainHead.chain, HistoryChainHead.seq, HistoryChainHead.hash,
                   HistoryChainHead.hmac)
        )
    }  # fmt: skip
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
            broken[event.chain] = BrokenLink(event.chain, problem, event.id, event.seq)
        last_hash[event.chain] = event.hash
        last_seq[event.chain] = event.seq
        session.expunge(event)
    problems = sorted(broken.values(), key=lambda b: b.event_id or 0)
    for chain in sorted(set(heads) | set(last_seq)):
        if chain in broken:
            continue
        problem = _head_problem(chain, heads.get(chain), last_seq.get(chain, 0),
                                last_hash.get(chain))  # fmt: skip
        if problem:
            problems.append(BrokenLink(chain, problem))
    if key is not None:
        for chain, (seq, hash_, signature) in sorted(heads.items()):
            if signature is None:
                problems.append(BrokenLink(chain, "head not signed with the history key"))
            elif not hmac.compare_digest(signature, head_hmac(key, chain, seq, hash_)):
                problems.append(
                    BrokenLink(chain, "head's HMAC does not match (rewritten without the key)")
                )
    for claim_id in session.scalars(select(Claim.id).order_by(Claim.id)):
        chain = chain_for(claim_id)
        if chain not in heads and chain not in last_seq:
            problems.append(BrokenLink(chain, f"claim #{claim_id} has no history at all"))
    return count, problems
