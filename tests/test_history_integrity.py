"""The history's chain heads: tampering with SQL access (a deleted tail, a deleted chain, an
emptied table, a rewrite with recomputed hashes) makes `verify-history` fail, naming it; the
database refuses what it can (TRUNCATE, deleting or rewinding a head); the import's bulk
path records the same history as the services."""

from __future__ import annotations

import io
import json

import pytest
from alembic import command
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from factcheck.devsupport.samples import claims_csv
from factcheck.models import Claim, HistoryChainHead, HistoryEvent
from factcheck.workflow.history import event_hash, head_hmac
from factcheck.workflow.replay import current_state, replay_claim
from tests.factories import attach_source, make_claim, research
from tests.test_migrations import alembic_config

KEY = "an operator secret kept outside the database"
_SQLITE_GUARDS = [
    "history_events_no_update",
    "history_events_no_delete",
    "history_chain_heads_forward",
    "history_chain_heads_no_delete",
]


@pytest.fixture
def history(db_session, users):
    """Two claims with a few events each, and system events (accounts, the article)."""
    reviewer = users["reviewer"]
    claims = [make_claim(db_session, users["editor"]) for _ in range(2)]
    for claim in claims:
        research(db_session, reviewer, claim)
        attach_source(db_session, reviewer, claim, url=f"https://example.org/claim-{claim.id}")
    db_session.commit()
    return [claim.id for claim in claims]


def verify(runner):
    result = runner.invoke(args=["verify-history"])
    return result.exit_code, result.output


def tamper(db_session, backend: str, *statements: str, **params) -> None:
    """Run `statements` as someone with SQL access who gets past the triggers: PostgreSQL's
    superuser as a replica (no trigger fires), or SQLite's owner dropping them."""
    if backend == "postgresql":
        db_session.execute(text("SET LOCAL session_replication_role = replica"))
    else:
        for name in _SQLITE_GUARDS:
            db_session.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    for statement in statements:
        db_session.execute(text(statement), params.pop("rows", None) or params)
    db_session.commit()


def test_an_untouched_history_verifies(runner, history):
    code, output = verify(runner)
    assert code == 0, output
    assert "History intact" in output


def test_deleting_the_last_events_of_a_chain_is_detected(runner, history, db_session, backend):
    chain = f"claim:{history[0]}"
    tamper(
        db_session,
        backend,
        "DELETE FROM history_events WHERE chain = :chain AND seq = "
        "(SELECT max(seq) FROM history_events WHERE chain = :chain)",
        chain=chain,
    )
    code, output = verify(runner)
    assert code != 0
    assert f"chain {chain}" in output and "missing at the end" in output


def test_deleting_a_whole_chain_is_detected(runner, history, db_session, backend):
    chain = f"claim:{history[1]}"
    tamper(db_session, backend, "DELETE FROM history_events WHERE chain = :chain", chain=chain)
    code, output = verify(runner)
    assert code != 0
    assert f"chain {chain}" in output and "none are left" in output
    # Its head deleted too: the claim itself still shows the chain is gone.
    tamper(db_session, backend, "DELETE FROM history_chain_heads WHERE chain = :c", c=chain)
    code, output = verify(runner)
    assert code != 0
    assert f"claim #{history[1]} has no history at all" in output


def test_emptying_the_history_is_detected(runner, history, db_session, backend):
    def empty(table: str) -> str:
        return f"TRUNCATE {table}" if backend == "postgresql" else f"DELETE FROM {table}"

    tamper(db_session, backend, empty("history_events"))
    code, output = verify(runner)
    assert code != 0
    assert "chain system: missing" in output
    tamper(db_session, backend, empty("history_chain_heads"))
    code, output = verify(runner)
    assert code != 0
    assert all(f"claim #{claim_id} has no history at all" in output for claim_id in history)


def test_the_database_refuses_to_truncate_delete_or_rewind(history, db_session, backend):
    statements = [
        "DELETE FROM history_chain_heads",
        "UPDATE history_chain_heads SET seq = seq - 1",
        "UPDATE history_chain_heads SET hash = 'x'",
        "DELETE FROM history_events",
    ]
    if backend == "postgresql":
        statements += ["TRUNCATE history_events CASCADE", "TRUNCATE history_chain_heads"]
    for statement in statements:
        with pytest.raises(DBAPIError, match="append-only|only moves forward"):
            db_session.execute(text(statement))
        db_session.rollback()
    assert db_session.scalar(select(func.count()).select_from(HistoryEvent)) > 0


def _rewrite_with_recomputed_hashes(db_session, backend, chain: str) -> None:
    """Change the first event's details and recompute every hash after it, head included:
    all a forger without the key can do."""
    events = list(
        db_session.scalars(
            select(HistoryEvent).where(HistoryEvent.chain == chain).order_by(HistoryEvent.seq)
        )
    )
    details = {**events[0].details, "forged": True}
    prev, rows = None, []
    for event in events:
        event.prev_hash = prev
        if event is events[0]:
            event.details = details
        prev = event_hash(event)
        rows.append({"id": event.id, "prev": event.prev_hash, "hash": prev})
    db_session.rollback()
    tamper(
        db_session,
        backend,
        "UPDATE history_events SET details = :details WHERE id = :id",
        details=json.dumps(details),
        id=events[0].id,
    )
    tamper(
        db_session,
        backend,
        "UPDATE history_events SET prev_hash = :prev, hash = :hash WHERE id = :id",
        rows=rows,
    )
    tamper(
        db_session,
        backend,
        "UPDATE history_chain_heads SET hash = :hash WHERE chain = :chain",
        hash=prev,
        chain=chain,
    )


@pytest.fixture
def signing(monkeypatch):
    """FACTCHECK_HISTORY_KEY set from the start (request it before any data)."""
    monkeypatch.setenv("FACTCHECK_HISTORY_KEY", KEY)
    return monkeypatch


def test_a_rewrite_with_recomputed_hashes_is_caught_by_the_key(
    signing, runner, users, db_session, backend
):
    monkeypatch = signing
    claim = research(db_session, users["reviewer"], make_claim(db_session, users["editor"]))
    db_session.commit()
    chain = f"claim:{claim.id}"
    head = db_session.get(HistoryChainHead, chain)
    assert head.hmac == head_hmac(KEY.encode(), chain, head.seq, head.hash)
    db_session.rollback()
    assert verify(runner)[0] == 0

    _rewrite_with_recomputed_hashes(db_session, backend, chain)
    monkeypatch.delenv("FACTCHECK_HISTORY_KEY")
    assert verify(runner)[0] == 0  # without the key the forgery is consistent
    monkeypatch.setenv("FACTCHECK_HISTORY_KEY", KEY)
    code, output = verify(runner)
    assert code != 0
    assert f"chain {chain}" in output and "HMAC does not match" in output


def test_with_the_key_an_unsigned_head_is_a_problem(runner, history, monkeypatch):
    monkeypatch.setenv("FACTCHECK_HISTORY_KEY", KEY)
    code, output = verify(runner)
    assert code != 0
    assert "head not signed" in output


def test_the_migration_anchors_the_history_already_there(
    runner, history, database_url, db_session, monkeypatch
):
    db_session.close()
    cfg = alembic_config(database_url)
    command.downgrade(cfg, "6f1c2d9e4b83")  # before the heads
    monkeypatch.setenv("FACTCHECK_HISTORY_KEY", KEY)
    command.upgrade(cfg, "head")
    code, output = verify(runner)
    assert code == 0, output
    chains = db_session.scalar(select(func.count(func.distinct(HistoryEvent.chain))))
    assert db_session.scalar(select(func.count()).select_from(HistoryChainHead)) == chains


def test_the_import_records_what_the_services_would(client, as_user, db_session, runner):
    as_user("editor")
    response = client.post(
        "/imports/claims",
        data={"file": (io.BytesIO(claims_csv(30)), "few.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    claim_ids = list(db_session.scalars(select(Claim.id)))
    assert len(claim_ids) == 30
    for claim_id in claim_ids:
        assert replay_claim(db_session, claim_id) == current_state(db_session, claim_id)
        events = list(
            db_session.scalars(
                select(HistoryEvent)
                .where(HistoryEvent.chain == f"claim:{claim_id}")
                .order_by(HistoryEvent.seq)
            )
        )
        assert [e.action for e in events] == ["claim_created", "source_added"]
        assert events[0].details["import"]["file"] == "few.csv"
        assert events[0].details["origin"] == "import"
    assert verify(runner)[0] == 0


def test_the_import_checks_its_file_without_holding_the_write_lock(
    client, as_user, backend, database_url, monkeypatch
):
    """While the file is read and validated another writer can take SQLite's write lock at
    once (with no busy timeout to wait in): the request's transaction has ended."""
    if backend != "sqlite":
        pytest.skip("SQLite's database-wide write lock")
    import sqlite3

    from factcheck.workflow import imports

    as_user("editor")
    takes: list[bool] = []
    read_rows = imports.read_rows

    def read_rows_while_writing(*args, **kwargs):
        other = sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            takes.append(True)
        except sqlite3.OperationalError:  # "database is locked"
            takes.append(False)
        finally:
            other.close()
        return read_rows(*args, **kwargs)

    monkeypatch.setattr(imports, "read_rows", read_rows_while_writing)
    response = client.post(
        "/imports/claims",
        data={"file": (io.BytesIO(claims_csv(3)), "three.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert takes == [True]


def test_a_new_database_migrates_with_the_key_set(database_url, db_session, monkeypatch):
    """A production install sets FACTCHECK_HISTORY_KEY before its first `flask migrate`: the
    migration has no heads to sign then, and must not fail on that."""
    db_session.close()
    cfg = alembic_config(database_url)
    command.downgrade(cfg, "base")
    monkeypatch.setenv("FACTCHECK_HISTORY_KEY", KEY)
    command.upgrade(cfg, "head")
    assert db_session.scalar(select(func.count()).select_from(HistoryChainHead)) == 0
