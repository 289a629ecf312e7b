"""What the claim page shows: the claim with everything on it, its history, and the changes
made since a given version (shown beside a form that arrived too late)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from factcheck.models import Claim, Comment, HistoryChainHead, HistoryEvent, Source, Verdict
from factcheck.queries.highlight import Segment, paragraph_around
from factcheck.workflow.history import chain_for
from factcheck.workflow.states import Stance, VerdictState


@dataclass(frozen=True)
class ClaimPage:
    claim: Claim
    history: list[HistoryEvent]
    sources_by_stance: dict[str, list[Source]]
    context_segments: list[Segment] | None
    pending: Verdict | None
    current_verdict: Verdict | None
    earlier_verdicts: list[Verdict]

    @property
    def returned_verdict(self) -> Verdict | None:
        """The verdict just sent back, while nothing newer is drafted: its reason leads the
        page."""
        latest = next(iter(self.earlier_verdicts), None)
        if self.pending is not None or latest is None or latest.state != VerdictState.RETURNED:
            return None
        return latest

    @property
    def redraft_values(self) -> dict[str, Any]:
        """What a new draft starts from: after a return or a reopen, the last verdict's rating,
        summary and rationale, not nothing."""
        previous = self.current_verdict or next(iter(self.earlier_verdicts), None)
        if previous is None:
            return {}
        return {key: getattr(previous, key) for key in ("rating", "summary", "rationale")}

    def as_context(self) -> dict:
        return {
            "returned_verdict": self.returned_verdict,
            "claim": self.claim,
            "history": self.history,
            "sources_by_stance": self.sources_by_stance,
            "context_segments": self.context_segments,
            "pending": self.pending,
            "current_verdict": self.current_verdict,
            "earlier_verdicts": self.earlier_verdicts,
        }


def claim_page(session: Session, claim_id: int) -> ClaimPage:
    """The claim (refreshed, with article, people, sources, verdicts, comments and corrections
    loaded in a few statements) and its history, newest first."""
    claim = session.scalars(
        select(Claim)
        .where(Claim.id == claim_id)
        .options(
            joinedload(Claim.article),
            joinedload(Claim.assignee),
            joinedload(Claim.claimant_record),
            selectinload(Claim.sources).joinedload(Source.added_by),
            selectinload(Claim.verdicts).joinedload(Verdict.drafted_by),
            selectinload(Claim.verdicts).joinedload(Verdict.decided_by),
            selectinload(Claim.comments).joinedload(Comment.author),
            selectinload(Claim.corrections),
        )
        .execution_options(populate_existing=True)
    ).one()
    history = list(
        session.scalars(
            select(HistoryEvent)
            .where(HistoryEvent.claim_id == claim.id)
            .options(joinedload(HistoryEvent.actor))
            .order_by(HistoryEvent.seq.desc())
        )
    )
    by_stance = {
        stance.value: [x for x in claim.sources if x.stance == stance] for stance in Stance
    }
    context_segments = (
        paragraph_around(claim.article.text, claim.span_start, claim.span_end)
        if claim.article is not None and claim.span_start is not None
        else None
    )
    shown_above = (VerdictState.APPROVED, VerdictState.DRAFT)  # current and pending
    return ClaimPage(
        claim=claim,
        history=history,
        sources_by_stance=by_stance,
        context_segments=context_segments,
        pending=claim.pending_verdict,
        current_verdict=claim.approved_verdict,
        earlier_verdicts=[v for v in reversed(claim.verdicts) if v.state not in shown_above],
    )


def stamped_claim(session: Session, claim_id: int) -> tuple[Claim, tuple] | None:
    """The claim with its verdicts (what decides the buttons), and what tells one state of its
    page from another, in one statement: every change bumps the version, or (a comment) moves
    the last activity; each records an event in the claim's history chain, whose head's number
    grows; the archiving job, which does neither, stamps the source it checked (counted, as
    well as the latest time: a check saved with an earlier clock than another still shows)."""
    head = select(HistoryChainHead.seq).where(HistoryChainHead.chain == chain_for(claim_id))
    of_claim = Source.claim_id == claim_id
    checks = (
        select(aggregate).where(of_claim).scalar_subquery()
        for aggregate in (
            func.max(Source.archive_checked_at),
            func.count(Source.archive_checked_at),
            func.count(Source.archive_url),
        )
    )
    row = (
        session.execute(
            select(Claim, head.scalar_subquery(), *checks)
            .where(Claim.id == claim_id)
            .options(joinedload(Claim.verdicts))
        )
        .unique()
        .first()
    )
    if row is None:
        return None
    claim, seq, *archived = row
    return claim, (claim.version, claim.last_activity_at, seq, *archived)


def changes_since(session: Session, claim_id: int, version: int | None) -> list[HistoryEvent]:
    """The claim's history events after `version`, oldest first (none without a version)."""
    if version is None:
        return []
    return list(
        session.scalars(
            select(HistoryEvent)
            .where(HistoryEvent.claim_id == claim_id, HistoryEvent.claim_version > version)
            .options(joinedload(HistoryEvent.actor))
            .order_by(HistoryEvent.seq)
        )
    )
