"""Workflow services against a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from factcheck.models import Claim, HistoryEvent, Verdict
from factcheck.workflow import claims as wf
from factcheck.workflow.errors import (
    ConflictError,
    IllegalTransition,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)
from factcheck.workflow.history import verify_chains
from factcheck.workflow.sources import remove_source, update_source
from tests.factories import attach_source, make_article, make_claim, make_user, source_input


@pytest.fixture
def people(session):
    return {
        "reviewer": make_user(session, "reviewer"),
        "other_reviewer": make_user(session, "reviewer"),
        "editor": make_user(session, "editor"),
        "other_editor": make_user(session, "editor"),
    }


def actions_of(session, claim):
    return list(
        session.scalars(
            select(HistoryEvent.action)
            .where(HistoryEvent.claim_id == claim.id)
            .order_by(HistoryEvent.seq)
        )
    )


def to_in_review(session, people, claim):
    wf.assign(session, people["editor"], claim, people["reviewer"], expected_version=claim.version)
    attach_source(session, people["reviewer"], claim)
    wf.draft_verdict(
        session,
        people["reviewer"],
        claim,
        rating="false",
        summary="No.",
        rationale="Because.",
        expected_version=claim.version,
    )


def test_claim_goes_from_capture_to_publication(session, people):
    article = make_article(session)
    claim = make_claim(session, people["editor"], article=article, quote="12 people were detained")
    assert article.text[claim.span_start : claim.span_end] == "12 people were detained"
    to_in_review(session, people, claim)
    assert claim.status == "in_review"
    wf.approve(session, people["other_editor"], claim, expected_version=claim.version)
    session.commit()

    assert claim.status == "published"
    assert claim.published_rating == "false"
    verdict = claim.approved_verdict
    assert verdict.decided_by_id == people["other_editor"].id
    assert verdict.drafted_by_id == people["reviewer"].id
    assert actions_of(session, claim) == [
        "claim_created",
        "assigned",
        "source_added",
        "verdict_drafted",
        "verdict_approved",
    ]
    count, broken = verify_chains(session)
    assert count >= 5 and broken == []


def test_drafting_needs_a_source(session, people):
    claim = make_claim(session, people["editor"])
    wf.assign(session, people["editor"], claim, people["reviewer"], expected_version=1)
    with pytest.raises(RuleViolation, match="at least one source"):
        wf.draft_verdict(
            session,
            people["reviewer"],
            claim,
            rating="true",
            summary="s",
            rationale="r",
            expected_version=claim.version,
        )


def test_drafter_cannot_approve_own_verdict(session, people):
    claim = make_claim(session, people["editor"])
    wf.assign(session, people["editor"], claim, people["editor"], expected_version=1)
    attach_source(session, people["editor"], claim)
    wf.draft_verdict(
        session,
        people["editor"],
        claim,
        rating="true",
        summary="s",
        rationale="r",
        expected_version=claim.version,
    )
    with pytest.raises(PermissionDenied, match="another editor"):
        wf.approve(session, people["editor"], claim, expected_version=claim.version)
    with pytest.raises(PermissionDenied, match="another editor"):
        wf.return_verdict(
            session, people["editor"], claim, reason="x", expected_version=claim.version
        )
    wf.approve(session, people["other_editor"], claim, expected_version=claim.version)
    assert claim.status == "published"


def test_reviewers_cannot_assign_or_approve(session, people):
    claim = make_claim(session, people["editor"])
    with pytest.raises(PermissionDenied):
        wf.assign(session, people["reviewer"], claim, people["reviewer"], expected_version=1)
    to_in_review(session, people, claim)
    with pytest.raises(PermissionDenied):
        wf.approve(session, people["other_reviewer"], claim, expected_version=claim.version)


def test_reviewers_work_only_on_their_own_claims(session, people):
    claim = make_claim(session, people["editor"])
    wf.assign(session, people["editor"], claim, people["reviewer"], expected_version=1)
    with pytest.raises(PermissionDenied):
        attach_source(session, people["other_reviewer"], claim)
    attach_source(session, people["reviewer"], claim)
    with pytest.raises(PermissionDenied):
        wf.draft_verdict(
            session,
            people["other_reviewer"],
            claim,
            rating="true",
            summary="s",
            rationale="r",
            expected_version=claim.version,
        )


def test_reviewer_takes_an_unassigned_claim_once(session, people):
    claim = make_claim(session, people["editor"])
    wf.take(session, people["reviewer"], claim, expected_version=1)
    assert claim.assignee_id == people["reviewer"].id and claim.status == "researching"
    with pytest.raises((RuleViolation, IllegalTransition)):
        wf.take(session, people["other_reviewer"], claim, expected_version=claim.version)


def test_return_reopen_and_supersede(session, people):
    claim = make_claim(session, people["editor"])
    to_in_review(session, people, claim)
    with pytest.raises(ValidationFailed):
        wf.return_verdict(
            session, people["editor"], claim, reason="  ", expected_version=claim.version
        )
    wf.return_verdict(
        session,
        people["editor"],
        claim,
        reason="Find the original report.",
        expected_version=claim.version,
    )
    assert claim.status == "researching"
    assert claim.verdicts[0].state == "returned"
    wf.draft_verdict(
        session,
        people["reviewer"],
        claim,
        rating="mostly_false",
        summary="s",
        rationale="r",
        expected_version=claim.version,
    )
    wf.approve(session, people["editor"], claim, expected_version=claim.version)
    first = claim.approved_verdict
    correction = wf.reopen(
        session,
        people["editor"],
        claim,
        note="New figures came out.",
        expected_version=claim.version,
    )
    assert claim.status == "researching" and claim.published_rating is None
    assert correction.verdict_id == first.id
    wf.draft_verdict(
        session,
        people["reviewer"],
        claim,
        rating="false",
        summary="s2",
        rationale="r2",
        expected_version=claim.version,
    )
    wf.approve(session, people["other_editor"], claim, expected_version=claim.version)
    session.commit()
    states = [v.state for v in claim.verdicts]
    assert states == ["returned", "superseded", "approved"]
    assert claim.corrections[0].note == "New figures came out."


def test_not_checkable_needs_a_reason_and_can_be_restored(session, people):
    claim = make_claim(session, people["editor"])
    with pytest.raises(ValidationFailed):
        wf.mark_not_checkable(session, people["reviewer"], claim, reason="", expected_version=1)
    wf.mark_not_checkable(
        session, people["reviewer"], claim, reason="Opinion, not fact.", expected_version=1
    )
    assert claim.status == "not_checkable"
    with pytest.raises(PermissionDenied):
        wf.restore(session, people["reviewer"], claim, expected_version=claim.version)
    wf.restore(session, people["editor"], claim, expected_version=claim.version)
    assert claim.status == "unreviewed" and claim.status_note is None


@pytest.mark.parametrize(
    "operation",
    ["approve", "return", "reopen", "restore", "draft"],
)
def test_illegal_transitions_from_unreviewed(session, people, operation):
    claim = make_claim(session, people["editor"])
    editor = people["editor"]
    calls = {
        "approve": lambda: wf.approve(session, editor, claim, expected_version=1),
        "return": lambda: wf.return_verdict(session, editor, claim, reason="r", expected_version=1),
        "reopen": lambda: wf.reopen(session, editor, claim, note="n", expected_version=1),
        "restore": lambda: wf.restore(session, editor, claim, expected_version=1),
        "draft": lambda: wf.draft_verdict(
            session, editor, claim, rating="true", summary="s", rationale="r", expected_version=1
        ),
    }
    with pytest.raises(IllegalTransition) as info:
        calls[operation]()
    assert "unreviewed" in info.value.message
    assert claim.status == "unreviewed"


def test_stale_version_is_refused_and_nothing_overwritten(session, people):
    claim = make_claim(session, people["editor"])
    session.commit()
    wf.update_claim(
        session,
        people["editor"],
        claim,
        wf.ClaimInput(text="Edited first.", claim_type="arrest"),
        expected_version=1,
    )
    session.commit()
    with pytest.raises(ConflictError) as info:
        wf.update_claim(
            session,
            people["editor"],
            claim,
            wf.ClaimInput(text="Edited second.", claim_type="arrest"),
            expected_version=1,
        )
    assert info.value.current_version == 2
    session.rollback()
    assert session.get(Claim, claim.id).text == "Edited first."


def test_racing_writer_fails_at_flush(engine, session, people):
    """Two sessions loaded version 1; the second UPDATE matches no row and raises."""
    from factcheck.db import session_factory

    claim = make_claim(session, people["editor"])
    session.commit()
    with session_factory(engine, write=False)() as reader:
        stale = reader.get(Claim, claim.id)
        reader.commit()  # the stale copy keeps version 1
        wf.update_claim(
            session,
            people["editor"],
            claim,
            wf.ClaimInput(text="Winner.", claim_type="arrest"),
            expected_version=1,
        )
        session.commit()
        stale.text = "Loser."
        stale.version = 2
        with pytest.raises(StaleDataError):
            reader.commit()
    session.expire_all()
    assert session.get(Claim, claim.id).text == "Winner."


def test_history_is_written_atomically(session, people, monkeypatch):
    claim = make_claim(session, people["editor"])
    session.commit()
    events_before = session.scalar(select(HistoryEvent.id).order_by(HistoryEvent.id.desc()))

    def broken_record(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(wf, "record", broken_record)
    with pytest.raises(RuntimeError):
        wf.assign(session, people["editor"], claim, people["reviewer"], expected_version=1)
    session.rollback()
    monkeypatch.undo()
    fresh = session.get(Claim, claim.id)
    assert fresh.status == "unreviewed" and fresh.assignee_id is None

    # The other way round: the event is written but the change fails at commit.
    wf.assign(session, people["editor"], fresh, people["reviewer"], expected_version=1)
    with pytest.raises(IntegrityError):
        session.execute(text("UPDATE claims SET priority = 99 WHERE id = :id"), {"id": claim.id})
        session.commit()
    session.rollback()
    last = session.scalar(select(HistoryEvent.id).order_by(HistoryEvent.id.desc()))
    assert last == events_before


def test_sources_edit_and_remove_are_recorded(session, people):
    claim = make_claim(session, people["editor"])
    source = attach_source(session, people["editor"], claim)
    diff = update_source(
        session,
        people["editor"],
        claim,
        source.id,
        source_input(stance="refutes", title="Renamed"),
        expected_version=source.version,
    )
    assert diff == {"stance": ["supports", "refutes"], "title": ["Report on detentions", "Renamed"]}
    remove_source(session, people["editor"], claim, source.id)
    session.commit()
    assert claim.sources == []
    assert actions_of(session, claim)[-3:] == ["source_added", "source_edited", "source_removed"]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "javascript://x.org/%0aalert(1)",
        "ftp://x.org/a",
        "example.org",
        "http://",
    ],
)
def test_source_urls_must_be_http(session, people, url):
    claim = make_claim(session, people["editor"])
    with pytest.raises(ValidationFailed) as info:
        attach_source(session, people["editor"], claim, url=url)
    assert info.value.field == "url"


def test_database_refuses_what_the_rules_forbid(session, people):
    claim = make_claim(session, people["editor"])
    session.commit()
    with pytest.raises(IntegrityError):
        session.execute(text("UPDATE claims SET status = 'bogus' WHERE id = :id"), {"id": claim.id})
    session.rollback()
    with pytest.raises(IntegrityError):
        session.execute(
            text("UPDATE claims SET status = 'published' WHERE id = :id"), {"id": claim.id}
        )
    session.rollback()
    for i in range(2):
        session.add(
            Verdict(
                claim_id=claim.id,
                rating="true",
                summary="s",
                rationale="r",
                state="approved",
                drafted_by_id=people["reviewer"].id,
                decided_by_id=people["editor"].id,
                decided_at=claim.created_at,
            )
        )
        if i == 1:
            with pytest.raises(IntegrityError):
                session.flush()
        else:
            session.flush()
    session.rollback()


def test_history_rows_cannot_be_updated_or_deleted(session, people):
    make_claim(session, people["editor"])
    session.commit()
    for statement in ("UPDATE history_events SET action = 'x'", "DELETE FROM history_events"):
        with pytest.raises(Exception, match="append-only"):
            session.execute(text(statement))
        session.rollback()


def test_verify_history_names_the_tampered_event(session, people, backend):
    claim = make_claim(session, people["editor"])
    wf.assign(session, people["editor"], claim, people["reviewer"], expected_version=1)
    session.commit()
    target = session.scalars(
        select(HistoryEvent).where(HistoryEvent.claim_id == claim.id, HistoryEvent.seq == 2)
    ).one()
    # Tamper behind the app's back, switching the guard trigger off as an attacker with DB access.
    if backend == "postgresql":
        session.execute(text("ALTER TABLE history_events DISABLE TRIGGER USER"))
        session.execute(
            text("UPDATE history_events SET action = 'x' WHERE id = :id"), {"id": target.id}
        )
        session.execute(text("ALTER TABLE history_events ENABLE TRIGGER USER"))
    else:
        session.execute(text("DROP TRIGGER history_events_no_update"))
        session.execute(
            text("UPDATE history_events SET action = 'x' WHERE id = :id"), {"id": target.id}
        )
    session.commit()
    session.expire_all()
    _count, broken = verify_chains(session)
    assert [b.event_id for b in broken] == [target.id]
    assert "hash" in broken[0].problem


def test_expired_form_tokens_are_swept_when_a_new_one_is_taken(db_session):
    from datetime import timedelta

    from factcheck.models import FormSubmission
    from factcheck.models.base import utcnow
    from factcheck.workflow.submissions import TOKEN_LIFETIME, reserve

    user = make_user(db_session, "reviewer")
    old = utcnow() - TOKEN_LIFETIME - timedelta(minutes=1)
    recent = utcnow() - TOKEN_LIFETIME + timedelta(minutes=5)
    for token, created in (("a" * 20, old), ("b" * 20, recent)):
        db_session.add(
            FormSubmission(token=token, user_id=user.id, result_path="/x", created_at=created)
        )
    db_session.commit()
    reserve(db_session, user, "c" * 20)
    db_session.commit()
    kept = db_session.scalars(select(FormSubmission.token).order_by(FormSubmission.token)).all()
    assert kept == ["b" * 20, "c" * 20]


def test_a_unique_value_taken_by_a_racing_twin_is_a_refusal_at_the_field(db_session, monkeypatch):
    """Between a service's 'is it taken?' check and its insert, a concurrent request can take
    the value: the insert's unique violation becomes the same refusal, on both databases."""
    from factcheck.models import Feed
    from factcheck.workflow import accounts
    from factcheck.workflow.errors import ValidationFailed, flush_unique

    admin = make_user(db_session, "admin")
    make_user(db_session, "reviewer", "taken")
    db_session.commit()
    monkeypatch.setattr(accounts, "find_user", lambda session, name: None)  # the check raced
    with pytest.raises(ValidationFailed, match="That username is taken.") as refused:
        accounts.create_user(
            db_session,
            admin,
            username="taken",
            display_name="Twin",
            password="a long unguessable passphrase 42",
        )
    assert refused.value.field == "username"
    db_session.rollback()
    db_session.add(Feed(url="https://news.example/feed", interval_minutes=60))
    db_session.commit()
    db_session.add(Feed(url="https://news.example/feed", interval_minutes=60))
    with pytest.raises(ValidationFailed, match="follows this feed"):
        refusal = ValidationFailed("The desk follows this feed already.", field="url")
        flush_unique(db_session, refusal, table="feeds", column="url")
    db_session.rollback()


def test_a_source_address_differing_only_in_case_is_the_same_source(db_session):
    """Scheme and host are case-insensitive: `HTTPS://EXAMPLE.org/a` is the source that
    `https://example.org/a` already is (the path's case still counts)."""
    from factcheck.workflow.errors import ValidationFailed
    from tests.factories import attach_source, make_claim, make_user

    editor = make_user(db_session, "editor")
    claim = make_claim(db_session)
    attach_source(db_session, editor, claim, url="https://example.org/a")
    with pytest.raises(ValidationFailed, match="already source") as refused:
        attach_source(db_session, editor, claim, url="HTTPS://EXAMPLE.org/a")
    assert refused.value.field == "url"
    other = attach_source(db_session, editor, claim, url="https://example.org/A")
    assert other.url == "https://example.org/A"
