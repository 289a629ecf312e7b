"""Synthetic newsroom data for demos and load tests: users, articles, claims in every status with
their sources, comments, verdicts, corrections and a complete, hash-chained history.

- `vocabulary`: names, places, sentences and the weights claims are drawn with;
- `simulation`: one claim's life, the same state changes as the workflow services, with each
  event's `details` from the services' own builders (`workflow.events`);
- `planning`: the claims and articles of a batch, drawn from one seeded `random.Random`;
- `storage` and `writing`: the bulk insert (ids drawn before the insert, SQLite `executemany`,
  PostgreSQL `COPY`) and the history chains, hashed with `workflow.history.canonical_event`;
- `reference`: the same plan driven through the real services, for a small N: the test that
  both give the same rows (tests/test_demo_reference.py) keeps the fast path honest.

Fast: rows are planned as plain values, a batch of claims at a time, and written in one
transaction. With several batches, a second process plans them while this one writes the
previous batch; the random sequence is the same, so a seed still gives the same data. Python's
cyclic garbage collector is paused meanwhile (see `_gc_paused`). No Flask here.
"""

from __future__ import annotations

import gc
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from factcheck.db import transaction, write_bind

from .planning import Generator
from .simulation import DemoSummary
from .storage import BATCH_SIZE, Formats, Ids
from .vocabulary import DEMO_PASSWORD
from .writing import Chains, demo_people, planned_batches, write_batch

SQLITE_CACHE_KIB = 256 * 1024  # SQLite page cache while generating (the default is 2 MiB)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Without the cyclic garbage collector: the batches are millions of small containers
    (tuples, lists, dicts) that the collector would scan over and over while they are alive,
    and planning and writing them creates no reference cycles to speak of. Forked while
    paused, the planning process never collects either."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _generate(
    conn: Connection,
    claims: int,
    seed: int,
    progress: Callable[[int], None] | None,
    now: datetime,
    password: str,
    batch_size: int,
) -> DemoSummary:
    started = time.perf_counter()
    summary = DemoSummary()
    formats = Formats(conn)
    chains = Chains(conn, formats)
    ids_ = Ids(conn)
    # Accounts draw from their own generator: reusing them leaves the claims unchanged.
    people = demo_people(conn, ids_, random.Random(f"users-{seed}"), now, password, chains, summary)
    generator = Generator(random.Random(seed), now, people)
    sizes = [min(batch_size, claims - done) for done in range(0, claims, batch_size)]
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:  # a bigger page cache for this connection while the indexes grow
        cache_size = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        conn.exec_driver_sql(f"PRAGMA cache_size={-SQLITE_CACHE_KIB}")
    batches = planned_batches(generator, sizes, formats)
    try:
        done = 0
        for batch in batches:
            write_batch(conn, ids_, batch, chains, formats, summary)
            done += batch.counts["claims"]
            if progress is not None:
                progress(done)
    finally:
        batches.close()
        if sqlite:
            conn.exec_driver_sql(f"PRAGMA cache_size={int(cache_size)}")
    summary.seconds = time.perf_counter() - started
    return summary


def generate(
    session_or_engine: Session | Engine | Connection,
    claims: int,
    *,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
    now: datetime | None = None,
    password: str = DEMO_PASSWORD,
    batch_size: int = BATCH_SIZE,
    reference: bool = False,
) -> DemoSummary:
    """Fill an already-migrated database with `claims` synthetic claims and everything around
    them, in one transaction.

    Given an Engine, opens a write transaction and commits it. Given a Session (or Connection),
    works inside its current transaction and leaves the commit to the caller.
    The same seed and `now` give the same data (ids aside; `now` defaults to today, midnight UTC,
    so runs on the same day agree). `progress(n)` is called with the claims written so far after
    each batch. `reference=True` plays the same plan through the workflow services, one action
    at a time (slow: for a few hundred claims, to check the fast path against; see
    `demo.reference`).
    """
    if claims < 0:
        raise ValueError("claims must be zero or more")
    if now is None:
        now = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    elif now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(UTC)
    args = (claims, seed, progress, now, password, max(1, batch_size))
    if reference:
        from .reference import generate_reference

        if isinstance(session_or_engine, Session):
            return generate_reference(session_or_engine, *args)
        if isinstance(session_or_engine, Engine):
            with transaction(session_or_engine) as session:
                return generate_reference(session, *args)
        with Session(bind=session_or_engine) as session:
            return generate_reference(session, *args)
    if isinstance(session_or_engine, Engine):
        with _gc_paused(), write_bind(session_or_engine).begin() as conn:
            return _generate(conn, *args)
    if isinstance(session_or_engine, Session):
        session_or_engine.flush()
        with _gc_paused():
            return _generate(session_or_engine.connection(), *args)
    with _gc_paused():
        return _generate(session_or_engine, *args)


__all__ = ["BATCH_SIZE", "DEMO_PASSWORD", "DemoSummary", "generate"]
