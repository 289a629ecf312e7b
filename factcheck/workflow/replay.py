"""Rebuild a claim's state from its history alone: proof that the history tells the whole story."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.models import HistoryEvent, User
from factcheck.vocabulary import ClaimStatus, HistoryAction


@dataclass
class ReplayedClaim:
    status: str | None = None
    assignee: str | None = None  # username
    published_rating: str | None = None
    approved_verdict_id: int | None = None


def replay_claim(session: Session, claim_id: int) -> ReplayedClaim:
    state = ReplayedClaim()
    events = session.scalars(
        select(HistoryEvent).where(HistoryEvent.claim_id == claim_id).order_by(HistoryEvent.seq)
    )
    for event in events:
        details = event.details or {}
        if event.action == HistoryAction.CLAIM_CREATED:
            state.status = ClaimStatus.UNREVIEWED.value
        for field, (_old, new) in (details.get("changes") or {}).items():
            if field == "status":
                state.status = new
            elif field == "assignee":
                state.assignee = new
            elif field == "published_rating":
                state.published_rating = new
        if event.action == HistoryAction.VERDICT_APPROVED:
            state.approved_verdict_id = details.get("verdict_id")
    return state


def current_state(session: Session, claim_id: int) -> ReplayedClaim:
    """The same fields as the database holds them now, for comparison."""
    from factcheck.models import Claim

    claim = session.get(Claim, claim_id)
    assignee = session.get(User, claim.assignee_id) if claim.assignee_id else None
    approved = claim.approved_verdict
    return ReplayedClaim(
        status=claim.status,
        assignee=assignee.username if assignee else None,
        published_rating=claim.published_rating,
        approved_verdict_id=approved.id if approved else None,
    )
