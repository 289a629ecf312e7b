"""Writing the planned batches: the rows with their ids, and the history linked onto each
chain's head and hashed with `workflow.history.canonical_event` (`Chains`). With several
batches, a second process plans them while this one writes (`planned_batches`)."""

from __future__ import annotations

import marshal
import multiprocessing
import pickle
import random
import traceback
from collections.abc import Generator as Yielding
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from factcheck.db import tallied_in_bulk
from factcheck.models import (
    Article,
    Claim,
    Comment,
    Correction,
    HistoryChainHead,
    HistoryEvent,
    Source,
    User,
    Verdict,
)
from factcheck.vocabulary import HistoryAction
from factcheck.workflow.accounts import hash_password, new_user_columns
from factcheck.workflow.events import user_created_details
from factcheck.workflow.history import (
    SYSTEM_CHAIN,
    chain_for,
    chain_links,
    head_row,
    history_key,
    lock_heads,
    move_heads,
    new_event,
)

from .planning import Generator
from .simulation import Batch, DemoSummary, Person
from .storage import EVENT_COLUMNS, Formats, Ids, insert_rows
from .vocabulary import DEMO_ROLES, FIRST_NAMES, HISTORY_SPAN_DAYS, LAST_NAMES


class Chains:
    """Seq and hash of each chain's last event, so new events link onto it, read from (and
    written back to) the chains' heads, as `workflow.history.link` does for the services."""

    def __init__(self, conn: Connection, formats: Formats) -> None:
        self.conn = conn
        self.formats = formats
        self.key = history_key()
        self.last: dict[str, tuple[int, str | None]] = {}
        self.headless: set[str] = set()  # chains with no head row yet
        self.moved: set[str] = set()  # chains linked onto since the last flush
        self.rows: list[tuple[Any, ...]] = []  # linked events not yet inserted

    def preload(self, chains: list[str]) -> None:
        """Read (and lock) the heads of many chains at once (new claims' chains have none, but
        a chain is never assumed empty)."""
        wanted = [chain for chain in chains if chain not in self.last]
        heads = lock_heads(self.conn, wanted)
        for chain in wanted:
            self.last[chain] = heads.get(chain, (0, None))
            if chain not in heads:
                self.headless.add(chain)

    def link(
        self,
        events: list[tuple[Any, ...]],
        chain: str,
        claim_id: int | None,
        article_id: int | None,
        ids: dict[str, list[int]],
        event_ids: Iterator[int],
    ) -> None:
        """Give prepared `events` (in order, see `Formats.event`) their ids (filled into their
        details' slots) and link them onto the chain (`workflow.history.chain_links`); the rows
        to insert are kept in `rows` (see `flush`)."""
        if chain not in self.last:
            self.preload([chain])
        rows = [
            (
                actor_id, action, version, created_iso,
                details.format_map({key: int(ids[kind][local]) for key, kind, local in refs})
                if refs else details,
                stored,
            )
            for actor_id, action, version, created_iso, details, stored, refs in events
        ]  # fmt: skip
        head = self.last.pop(chain)
        links = chain_links(chain, head, [(claim_id, article_id, *row[:5]) for row in rows])
        append = self.rows.append
        for (actor_id, action, version, _, details, stored), (seq, prev, hash_) in zip(
            rows, links, strict=True
        ):
            append((
                next(event_ids), claim_id, article_id, actor_id, action, version, details,
                stored, chain, seq, prev, hash_,
            ))  # fmt: skip
            head = (seq, hash_)
        self.last[chain] = head
        self.moved.add(chain)

    def flush(self) -> int:
        """Insert the linked events; returns how many."""
        rows, self.rows = self.rows, []
        if not rows:
            return 0
        insert_rows(self.conn, HistoryEvent.__table__, list(EVENT_COLUMNS), rows, self.formats)
        heads = [head_row(chain, *self.last[chain], self.key) for chain in sorted(self.moved)]
        self.moved.clear()
        started = [head for head in heads if head["chain"] in self.headless]
        started_chains = {head["chain"] for head in started}
        self.headless -= started_chains
        if started:
            names, values = list(started[0]), [tuple(head.values()) for head in started]
            insert_rows(self.conn, HistoryChainHead.__table__, names, values, self.formats)
        move_heads(self.conn, [head for head in heads if head["chain"] not in started_chains])
        return len(rows)


def write_batch(
    conn: Connection,
    ids_: Ids,
    batch: Batch,
    chains: Chains,
    formats: Formats,
    summary: DemoSummary,
) -> None:
    """Write a prepared batch: ids drawn, local references replaced by them, rows inserted."""
    ids: dict[str, list[int]] = {}

    def write(kind: str, model: Any, local_refs: dict[str, str]) -> None:
        names, columns = batch.tables[kind]
        table = model.__table__
        ids[kind] = columns[0] = ids_.take(table, batch.counts[kind])
        if not ids[kind]:
            return
        for name, target in local_refs.items():
            position = names.index(name)
            targets = ids[target]
            columns[position] = [None if i is None else targets[i] for i in columns[position]]
        insert_rows(conn, table, names, list(zip(*columns, strict=True)), formats)

    write("articles", Article, {})
    with tallied_in_bulk(conn):  # on SQLite the report's tallies count the batch at once
        write("claims", Claim, {"article_id": "articles"})
    write("sources", Source, {"claim_id": "claims"})
    write("comments", Comment, {"claim_id": "claims"})
    write("verdicts", Verdict, {"claim_id": "claims"})
    write("corrections", Correction, {"claim_id": "claims", "verdict_id": "verdicts"})

    total = len(batch.prepared_article_events) + sum(
        len(events) for events in batch.prepared_claim_events
    )
    event_ids = iter(ids_.take(HistoryEvent.__table__, total))
    article_ids = ids["articles"]
    # Each article's event just before its first claim's events, the order in which the
    # services would write them (so the event ids agree with the reference mode's too).
    article_events = [
        (article_ids[event[6][0][2]], event)  # refs: [("article_id", "articles", local index)]
        for event in batch.prepared_article_events
    ]
    article_events.reverse()
    claim_ids = ids["claims"]
    chains.preload([chain_for(claim_id) for claim_id in claim_ids])
    names, columns = batch.tables["claims"]
    claim_article_ids = columns[names.index("article_id")] if claim_ids else []
    for claim_id, article_id, events in zip(
        claim_ids, claim_article_ids, batch.prepared_claim_events, strict=True
    ):
        if article_events and article_events[-1][0] == article_id:
            article_event = article_events.pop()[1]
            chains.link([article_event], SYSTEM_CHAIN, None, article_id, ids, event_ids)
        chains.link(events, chain_for(claim_id), claim_id, article_id, ids, event_ids)
    for article_id, article_event in reversed(article_events):  # articles without claims
        chains.link([article_event], SYSTEM_CHAIN, None, article_id, ids, event_ids)
    events_written = chains.flush()

    summary.articles += batch.counts["articles"]
    summary.claims += batch.counts["claims"]
    summary.sources += batch.counts["sources"]
    summary.comments += batch.counts["comments"]
    summary.verdicts += batch.counts["verdicts"]
    summary.corrections += batch.counts["corrections"]
    summary.events += events_written


def demo_people(
    conn: Connection,
    ids_: Ids,
    rng: random.Random,
    now: datetime,
    password: str,
    chains: Chains,
    summary: DemoSummary,
) -> list[Person]:
    """The demo accounts: existing ones with the right role are reused, others are created
    (a taken name with another role or an inactive account gets the next free number)."""
    existing = {
        row.username: row
        for row in conn.execute(
            select(User.id, User.username, User.role, User.active).where(
                User.username.like("demo-%")
            )
        )
    }
    people: list[Person] = []
    new_rows: list[dict[str, Any]] = []
    password_hash: str | None = None
    created = now - timedelta(days=HISTORY_SPAN_DAYS + 30)
    for role, count in DEMO_ROLES:
        number = 0
        for _ in range(count):
            while True:
                number += 1
                username = f"demo-{role.value}-{number:02d}"
                found = existing.get(username)
                if found is None:
                    break
                if found.role == role.value and found.active:
                    break
            if found is not None:
                people.append(Person(found.id, username, role.value))
                summary.users_reused += 1
                continue
            if password_hash is None:
                password_hash = hash_password(password)  # one (slow) hash for every account
            display = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            columns = new_user_columns(
                username, f"{display} (demo {role.value})", role.value,
                f"{username}@demo.example.org", must_change_password=False,
            )  # fmt: skip
            new_rows.append({**columns, "password_hash": password_hash, "created_at": created})
            people.append(Person(0, username, role.value))
    ids = ids_.insert(User.__table__, new_rows)
    by_name = {row["username"]: user_id for row, user_id in zip(new_rows, ids, strict=True)}
    for person in people:
        if person.username in by_name:
            person.id = by_name[person.username]
    events = [
        new_event(
            actor=None,
            action=HistoryAction.USER_CREATED,
            claim_id=None,
            article_id=None,
            claim_version=None,
            details=user_created_details(by_name[row["username"]], row["username"], row["role"]),
            created_at=created,
        )
        for row in new_rows
    ]
    event_ids = iter(ids_.take(HistoryEvent.__table__, len(events)))
    prepared = [chains.formats.event(event, []) for event in events]
    chains.link(prepared, SYSTEM_CHAIN, None, None, {}, event_ids)
    summary.events += chains.flush()
    summary.users += len(new_rows)
    return people


def _dump_batch(batch: Batch) -> bytes:
    """A prepared batch as bytes for the pipe. Its values are plain strings, numbers and None
    by now (see `Formats.convert`), which `marshal` writes several times faster than `pickle`
    (no memo of millions of small objects); anything else, such as the datetimes kept for
    databases other than SQLite and PostgreSQL, goes by pickle."""
    payload = (
        batch.counts,
        batch.tables,
        batch.prepared_article_events,
        batch.prepared_claim_events,
    )
    try:
        return b"m" + marshal.dumps(payload)
    except ValueError:
        return b"p" + pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)


def _load_batch(data: bytes) -> Batch:
    """The batch `_dump_batch` wrote, or the planning process's failure raised here."""
    kind, body = data[:1], memoryview(data)[1:]
    if kind == b"e":
        raise RuntimeError(f"planning demo data failed:\n{bytes(body).decode()}")
    batch = Batch()
    # Both come from our own planning process, never from outside.
    payload = (
        marshal.loads(body)  # noqa: S302
        if kind == b"m"
        else pickle.loads(body)  # noqa: S301
    )
    batch.counts, batch.tables, batch.prepared_article_events, batch.prepared_claim_events = payload
    return batch


def _plan_batches(generator: Generator, sizes: list[int], formats: Formats, send: Any) -> None:
    """The planning process: each batch's rows, prepared, in order, down the pipe."""
    try:
        for size in sizes:
            send.send_bytes(_dump_batch(formats.prepare(generator.plan_batch(size))))
    except BaseException:  # noqa: BLE001 -- reported to the writing process, which raises
        send.send_bytes(b"e" + traceback.format_exc().encode())
    finally:
        send.close()


def planned_batches(
    generator: Generator, sizes: list[int], formats: Formats
) -> Yielding[Batch, None, None]:
    """The batches to write. With more than one, a second process plans them (the same random
    sequence, so the same data) while this one writes: planning takes about as long as writing.
    Planning happens in this process where `fork` is unavailable."""
    if len(sizes) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for size in sizes:
            yield formats.prepare(generator.plan_batch(size))
        return
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(
        target=_plan_batches, args=(generator, sizes, formats, send), daemon=True
    )
    worker.start()
    send.close()
    try:
        for _ in sizes:
            try:
                data = receive.recv_bytes()
            except EOFError:
                raise RuntimeError("the demo data planning process stopped early") from None
            yield _load_batch(data)
    finally:
        receive.close()
        if worker.is_alive():
            worker.terminate()
        worker.join()
