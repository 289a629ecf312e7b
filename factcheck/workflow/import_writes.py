"""What a CSV import writes, built ahead (`imports.prepare_import`, before SQLite's write lock)
or under the lock: the claim and source rows, their history (linked onto new chains), and the
bulk insert that counts and indexes the claims once instead of per row."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, update
from sqlalchemy.orm import Session

from factcheck.db import BulkInsert, NewIds, search_indexed_in_bulk, tallied_in_bulk
from factcheck.models import ClaimStatusCount, Source, User, utcnow
from factcheck.vocabulary import ClaimOrigin, HistoryAction

from .events import claim_created_details, import_extra, source_added_details
from .hashing import json_template
from .history import (
    NewEvent,
    _extend,
    canonical_json,
    chain_for,
    history_key,
    jsonable,
    lock_heads,
    new_event,
)
from .import_rows import ClaimPlan

# claim_created and source_added as the services record them, for the bulk insert.
CLAIM_CREATED_JSON = json_template(
    claim_created_details(ClaimOrigin.IMPORT, "@fields@", import_extra("@file@", "@line@"))
)
SOURCE_ADDED_JSON = json_template(source_added_details("@source_id@", "@fields@"))


@dataclass
class NewClaim:
    plan: ClaimPlan
    fields: dict[str, Any]  # as the history records them
    columns: dict[str, Any]


_COUNT_TRIGGER = "claims_count_insert"  # SQLite's, one UPDATE per inserted claim (0004)
_COUNTS = ClaimStatusCount.__table__
_ADD_TO_COUNT = (
    update(_COUNTS)
    .where(_COUNTS.c.status == bindparam("counted_status"))
    .values(claims=_COUNTS.c.claims + bindparam("added"))
)


@contextmanager
def counted_in_bulk(session: Session, statuses: Counter[str]) -> Iterator[None]:
    """Insert claims with `statuses` inside, counting them per status once, not per row.

    On SQLite the per-row count trigger (a third of a bulk insert's time) is dropped for the
    insert and created again from its own stored SQL, all in this write transaction: no other
    writer runs meanwhile and readers see none of it, since the schema change commits or rolls
    back with the rows. PostgreSQL's trigger already counts once per statement."""
    conn = session.connection()
    trigger = None
    if conn.dialect.name == "sqlite":
        trigger = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_COUNT_TRIGGER,)
        ).scalar()
    if trigger is None:
        yield
        return
    conn.exec_driver_sql(f"DROP TRIGGER {_COUNT_TRIGGER}")
    try:
        yield
        if statuses:
            conn.execute(
                _ADD_TO_COUNT,
                [{"counted_status": s, "added": n} for s, n in sorted(statuses.items())],
            )
    finally:
        # IF NOT EXISTS: should SQLite itself have rolled the transaction back (an I/O error,
        # a full disk), the trigger is back already and that original error must surface.
        conn.exec_driver_sql(trigger.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))


def build_rows(
    actor: User | None, new: list[NewClaim], name: str, claim_ids: list[int], ids: NewIds
):
    """The claim and source rows (with their ids) and the history `create_claim` and
    `add_source` would have recorded (not yet linked)."""
    now = utcnow()
    timestamps = {"created_at": now, "updated_at": now, "last_activity_at": now}
    claim_rows = [
        {**row.columns, **timestamps, "id": claim_id}
        for row, claim_id in zip(new, claim_ids, strict=True)
    ]
    added_by = actor.id if actor is not None else None
    source_rows = [
        {**fields, "claim_id": claim_id, "added_by_id": added_by}
        for row, claim_id in zip(new, claim_ids, strict=True)
        for fields in row.plan.sources
    ]
    for row, source_id in zip(
        source_rows, ids.take(Source.__table__, len(source_rows)), strict=True
    ):
        row["id"] = source_id
    source_ids = iter(row["id"] for row in source_rows)
    file_json = canonical_json(name)
    events = []
    for row, claim_id in zip(new, claim_ids, strict=True):
        plan = row.plan
        event = functools.partial(
            new_event,
            actor=actor,
            claim_id=claim_id,
            article_id=row.columns["article_id"],
            claim_version=1,
            created_at=now,
        )
        fields_json = (
            plan.fields_json if row.fields == plan.fields else canonical_json(jsonable(row.fields))
        )
        events.append(
            event(
                action=HistoryAction.CLAIM_CREATED,
                details_json=CLAIM_CREATED_JSON.format(
                    fields=fields_json, file=file_json, line=int(plan.line)
                ),
            )
        )
        for source_json in plan.sources_json:
            events.append(
                event(
                    action=HistoryAction.SOURCE_ADDED,
                    details_json=SOURCE_ADDED_JSON.format(
                        fields=source_json, source_id=next(source_ids)
                    ),
                )
            )
    return claim_rows, source_rows, events


def shift_rows(
    new: list[NewClaim],
    rows: tuple[list[dict], list[dict], list[NewEvent]],
    by: dict[str, int],
    first_article: int,
) -> None:
    """Move rows `build_rows` built (claims, sources, events) past rows created since: the ids
    of claims, sources and of the new articles (from `first_article` on) by `by` (per table),
    the events' chains and ids with them, each source_added's details refilled from its
    template with the new source id. The events are to be linked again (`link_new_chains`)."""
    claim_rows, source_rows, events = rows
    moved = by["claims"]

    def article(article_id: int | None) -> int | None:
        if article_id is None or article_id < first_article:
            return article_id
        return article_id + by["articles"]

    for row in claim_rows:
        row["id"] += moved
        row["article_id"] = article(row["article_id"])
    for row in source_rows:
        row["id"] += by["sources"]
        row["claim_id"] += moved
    for event in events:
        event.claim_id += moved
        event.chain = chain_for(event.claim_id)
        event.article_id = article(event.article_id)
    source_ids = iter(row["id"] for row in source_rows)
    in_order = iter(events)
    for row in new:  # the events in build_rows' order: claim_created, then each source_added
        next(in_order)  # claim_created: its details name no id
        for source_json in row.plan.sources_json:
            next(in_order).details_json = SOURCE_ADDED_JSON.format(
                fields=source_json, source_id=next(source_ids)
            )


def write_claims(session: Session, claims: BulkInsert, sources: BulkInsert) -> None:
    """Insert the claims (counted and indexed for search once) and their sources (indexed for
    search once)."""
    statuses = Counter(row["status"] for row in claims.rows)
    conn = session.connection()
    with counted_in_bulk(session, statuses), search_indexed_in_bulk(conn), tallied_in_bulk(conn):
        claims.run(session)
    if sources.rows:
        with search_indexed_in_bulk(conn, "sources"):
            sources.run(session)


def link_new_chains(bind: Session | Connection, events: list[NewEvent]) -> list[dict] | None:
    """Link `events` of chains that have no head yet (new claims') as `link` would, reading
    only (before SQLite's write lock); the heads `insert_linked` writes with them. None when
    one of the chains has a head already."""
    by_chain: dict[str, list[NewEvent]] = {}
    for event in events:
        by_chain.setdefault(event.chain, []).append(event)
    if lock_heads(bind, list(by_chain)):
        return None
    key = history_key()
    return [_extend(chain, chain_events, None, key) for chain, chain_events in by_chain.items()]


def insert_linked(session: Session, events: BulkInsert, heads: BulkInsert) -> bool:
    """Insert events `link_new_chains` linked (as `event_insert` converted them), and their
    chains' heads (SQLite: one statement, no row read back); False (the caller rolls back)
    when one of those chains was started since."""
    if heads.run(session, skip_existing=True) != len(heads.rows):
        return False
    events.run(session)
    return True
