"""Synthetic demo data: every status and type, consistent rows, an intact and replayable history,
deterministic for a seed, and safe to generate twice into the same database."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from factcheck.demo import DemoSummary, generate
from factcheck.models import (
    Article,
    Claim,
    Comment,
    Correction,
    HistoryEvent,
    Source,
    User,
    Verdict,
)
from factcheck.workflow.history import verify_chains
from factcheck.workflow.replay import current_state, replay_claim
from factcheck.workflow.states import ClaimStatus, ClaimType, Rating, Stance, VerdictState
from tests.factories import make_claim, make_user

NOW = datetime(2026, 3, 1, tzinfo=UTC)
CLAIMS = 300


def count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def generated(db_session):
    calls: list[int] = []
    summary = generate(db_session, CLAIMS, seed=7, now=NOW, progress=calls.append, batch_size=120)
    db_session.commit()
    return summary, calls


def test_summary_counts_match_the_database(db_session, generated):
    summary, calls = generated
    assert isinstance(summary, DemoSummary)
    assert calls == [120, 240, 300]
    assert summary.claims == count(db_session, Claim) == CLAIMS
    assert summary.users == count(db_session, User) == 30
    assert summary.articles == count(db_session, Article)
    assert summary.sources == count(db_session, Source)
    assert summary.comments == count(db_session, Comment)
    assert summary.verdicts == count(db_session, Verdict)
    assert summary.corrections == count(db_session, Correction)
    assert summary.events == count(db_session, HistoryEvent)


def test_volumes_are_roughly_as_specified(db_session, generated):
    roles = Counter(db_session.scalars(select(User.role)))
    assert roles == {"reviewer": 20, "editor": 8, "admin": 2}
    assert "demo-reviewer-01" in set(db_session.scalars(select(User.username)))
    assert 20 <= count(db_session, Article) <= 50  # about one per ten claims
    assert 2 <= count(db_session, Source) / CLAIMS <= 4
    claim_events = count(db_session, HistoryEvent, HistoryEvent.claim_id.is_not(None))
    assert 8 <= claim_events / CLAIMS <= 12
    claims = db_session.scalars(select(Claim)).all()
    assert {c.status for c in claims} == {s.value for s in ClaimStatus}
    assert {c.claim_type for c in claims} == {t.value for t in ClaimType}
    assert {c.published_rating for c in claims if c.published_rating} == {r.value for r in Rating}
    assert {c.origin for c in claims} == {"demo"}


def test_rows_are_consistent_with_each_claims_status(db_session, generated):
    users = {u.id: u for u in db_session.scalars(select(User))}
    claims = db_session.scalars(select(Claim)).all()
    for claim in claims:
        verdicts = claim.verdicts
        states = Counter(v.state for v in verdicts)
        assert states[VerdictState.APPROVED] <= 1 and states[VerdictState.DRAFT] <= 1
        for verdict in verdicts:
            if verdict.decided_by_id is not None:
                assert verdict.decided_by_id != verdict.drafted_by_id, claim.id
                assert users[verdict.decided_by_id].is_editor
                assert verdict.decided_at > verdict.drafted_at
        if claim.status in (ClaimStatus.UNREVIEWED, ClaimStatus.NOT_CHECKABLE):
            assert claim.assignee_id is None and not verdicts, claim.id
            assert (claim.status_note is not None) == (claim.status == ClaimStatus.NOT_CHECKABLE)
        else:
            assert claim.assignee_id is not None, claim.id
            assert claim.sources, claim.id
        if claim.status == ClaimStatus.PUBLISHED:
            approved = claim.approved_verdict
            assert approved is not None and approved.rating == claim.published_rating
            assert claim.pending_verdict is None
            # As `review.approve` does: a corrected re-publication keeps the first date and
            # stamps `revised_at` (before, the demo moved `published_at`, unlike the service).
            decided = sorted(
                v.decided_at
                for v in verdicts
                if v.state in (VerdictState.APPROVED, VerdictState.SUPERSEDED)
            )
            assert claim.published_at == decided[0]
            assert claim.revised_at == (approved.decided_at if len(decided) > 1 else None)
        else:
            assert claim.published_rating is None
        if claim.status == ClaimStatus.IN_REVIEW:
            pending = claim.pending_verdict
            assert pending is not None and pending.drafted_by_id == claim.assignee_id
        else:
            assert claim.pending_verdict is None, claim.id
        if claim.article_id is not None:
            assert claim.article.text[claim.span_start : claim.span_end] == claim.quote
            assert claim.article.created_at <= claim.created_at
        assert claim.created_at <= claim.updated_at <= claim.last_activity_at < NOW
        assert 1 <= claim.priority <= 5
        for source in claim.sources:
            assert source.url.startswith(("http://", "https://"))
            assert source.stance in {s.value for s in Stance}
            assert source.added_at >= claim.created_at
    reopened = db_session.scalars(select(Correction)).all()
    assert reopened, "some claims were reopened with a correction note"
    assert all(c.verdict_id is not None for c in reopened)


def test_history_is_intact_and_tells_each_claims_story(db_session, generated):
    events_read, broken = verify_chains(db_session)
    assert broken == []
    assert events_read == count(db_session, HistoryEvent)
    by_claim: dict[int, list[HistoryEvent]] = defaultdict(list)
    for event in db_session.scalars(
        select(HistoryEvent).where(HistoryEvent.claim_id.is_not(None)).order_by(HistoryEvent.seq)
    ):
        by_claim[event.claim_id].append(event)
    for claim in db_session.scalars(select(Claim)):
        events = by_claim[claim.id]
        assert events[0].action == "claim_created" and events[0].claim_version == 1
        assert [e.created_at for e in events] == sorted(e.created_at for e in events)
        assert events[-1].claim_version == claim.version, claim.id
        assert events[-1].created_at == claim.last_activity_at
        assert replay_claim(db_session, claim.id) == current_state(db_session, claim.id), claim.id


def test_a_tampered_event_is_detected(db_session, generated):
    """The chain check above can fail: hashes really cover the generated content."""
    from types import SimpleNamespace

    from factcheck.workflow.history import event_hash

    event = db_session.scalars(select(HistoryEvent).where(HistoryEvent.seq == 3).limit(1)).one()
    fields = {c.name: getattr(event, c.name) for c in HistoryEvent.__table__.columns}
    assert event_hash(SimpleNamespace(**fields)) == event.hash
    fields["actor_id"] = (event.actor_id or 0) + 1
    assert event_hash(SimpleNamespace(**fields)) != event.hash


def test_generating_twice_adds_without_collisions(db_session):
    first = generate(db_session, 40, seed=3, now=NOW)
    db_session.commit()
    # Ordinary app activity in between: its ids, chains and system events come first.
    editor = make_user(db_session, "editor", "someone")
    make_claim(db_session, editor)
    db_session.commit()
    second = generate(db_session, 40, seed=3, now=NOW)
    db_session.commit()
    assert (first.users, first.users_reused) == (30, 0)
    assert (second.users, second.users_reused) == (0, 30)
    assert count(db_session, User) == 31
    assert count(db_session, Claim) == 81
    assert verify_chains(db_session)[1] == []
    for claim_id in db_session.scalars(select(Claim.id)):
        assert replay_claim(db_session, claim_id) == current_state(db_session, claim_id)


def test_the_same_seed_gives_the_same_data(db_session):
    def snapshot() -> list[tuple]:
        return [
            (
                c.text,
                c.quote,
                c.claim_type,
                c.status,
                c.priority,
                c.assignee_id,
                c.due_date,
                c.published_rating,
                c.created_at,
                c.last_activity_at,
                c.version,
            )  # fmt: skip
            for c in db_session.scalars(select(Claim).order_by(Claim.id))
        ]

    generate(db_session, 60, seed=11, now=NOW)
    db_session.commit()
    first = snapshot()
    generate(db_session, 60, seed=11, now=NOW)  # the same demo accounts are reused
    db_session.commit()
    both = snapshot()
    assert both[:60] == both[60:] == first
    generate(db_session, 60, seed=12, now=NOW)
    db_session.commit()
    assert snapshot()[120:] != first


def test_generate_with_an_engine_commits(engine):
    summary = generate(engine, 15, seed=5)
    from factcheck.db import session_factory

    with session_factory(engine, write=False)() as session:
        assert count(session, Claim) == summary.claims == 15
        assert verify_chains(session)[1] == []


def test_zero_claims_still_creates_the_accounts(db_session):
    summary = generate(db_session, 0)
    db_session.commit()
    assert (summary.users, summary.claims, count(db_session, Claim)) == (30, 0, 0)
    with pytest.raises(ValueError):
        generate(db_session, -1)


def test_the_cli_command_generates_and_the_history_verifies(runner, db_session):
    result = runner.invoke(args=["generate-demo-data", "--claims", "60"])
    assert result.exit_code == 0, result.output
    assert "Generated 60 claims" in result.output
    db_session.commit()
    assert db_session.scalar(select(func.count()).select_from(Claim)) == 60
    verified = runner.invoke(args=["verify-history"])
    assert verified.exit_code == 0, verified.output
    refused = runner.invoke(args=["generate-demo-data", "--claims", "0"])
    assert refused.exit_code == 2 and "--claims" in refused.output


def test_fast_event_hashes_equal_event_hash(db_session):
    """The writer builds `event_hash`'s canonical JSON itself; it must hash exactly the same,
    whatever the details hold (quotes, backslashes, non-ASCII text, nesting, nulls)."""
    import json
    from types import SimpleNamespace

    from factcheck.demo.storage import Formats
    from factcheck.demo.writing import Chains
    from factcheck.workflow.history import event_hash

    formats = Formats(db_session.connection())
    chains = Chains(db_session.connection(), formats)
    chains.last["claim:999999"] = (4, "ab" * 32)
    chains.last["system"] = (0, None)
    created = [
        datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
        datetime(2025, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
    ]
    raw = [
        {
            "claim_id": None,
            "article_id": None,
            "actor_id": 7,
            "action": "source_added",
            "claim_version": 3,
            "details": {
                "source_id": None,
                "fields": {"title": 'He said "no" \\ — Grozny\n\tok', "n": 1, "x": None},
                "z": [1, "ü", {"b": 2, "a": [None]}],
            },
            "created_at": created[0],
        },
        {
            "claim_id": None,
            "article_id": None,
            "actor_id": None,
            "action": "claim_created",
            "claim_version": None,
            "details": {},
            "created_at": created[1],
        },
    ]
    prepared = [
        formats.event(raw[0], [("source_id", "sources", 1)]),
        formats.event(raw[1], []),
    ]
    ids = {"sources": [10, 11]}
    chains.link(prepared, "claim:999999", 999999, 12, ids, iter([501, 502]))
    chains.link(prepared[1:], "system", None, None, ids, iter([503]))
    rows = chains.rows
    assert [row[0] for row in rows] == [501, 502, 503]
    for row, when in zip(rows, [created[0], created[1], created[1]], strict=True):
        event_id, claim_id, article_id, actor_id, action, version, details, _, chain, seq = row[:10]
        event = SimpleNamespace(
            chain=chain, seq=seq, claim_id=claim_id, article_id=article_id, actor_id=actor_id,
            action=action, claim_version=version, details=json.loads(details), created_at=when,
            prev_hash=row[10],
        )  # fmt: skip
        assert event_hash(event) == row[11], event_id
    assert json.loads(rows[0][6])["source_id"] == 11
    assert rows[0][9:11] == (5, "ab" * 32) and rows[1][10] == rows[0][11]
    assert rows[2][9:11] == (1, None)


def test_planning_in_a_second_process_gives_the_same_data(db_session, monkeypatch):
    """Several batches are planned in another process: the same claims and history as when
    everything is planned here."""
    import factcheck.demo.writing as demo_writing

    def snapshot(offset: int) -> tuple[list[tuple], list[tuple]]:
        claims = [
            (c.text, c.status, c.priority, c.created_at, c.version, c.published_rating)
            for c in db_session.scalars(select(Claim).order_by(Claim.id))
        ][offset:]
        events = [
            (e.action, e.claim_version, e.created_at, sorted(e.details))
            for e in db_session.scalars(
                select(HistoryEvent)
                .where(HistoryEvent.claim_id.is_not(None))
                .order_by(HistoryEvent.id)
            )
        ]
        return claims, events

    two_processes = generate(db_session, 90, seed=4, now=NOW, batch_size=40)
    db_session.commit()
    first_claims, first_events = snapshot(0)
    monkeypatch.setattr(demo_writing.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    one_process = generate(db_session, 90, seed=4, now=NOW, batch_size=40)
    db_session.commit()
    claims, events = snapshot(90)
    assert claims == first_claims
    assert events[len(first_events) :] == first_events
    assert two_processes.events - two_processes.users == one_process.events  # user_created
    assert verify_chains(db_session)[1] == []


def test_a_failure_while_planning_is_raised(db_session, monkeypatch):
    from factcheck.demo.planning import Generator

    planned = Generator.plan_batch
    calls: list[int] = []

    def failing(self, count):
        calls.append(count)
        if len(calls) == 2:
            raise ValueError("planning broke")
        return planned(self, count)

    monkeypatch.setattr(Generator, "plan_batch", failing)
    with pytest.raises(RuntimeError, match="planning broke"):
        generate(db_session, 30, seed=2, now=NOW, batch_size=10)
    db_session.rollback()
