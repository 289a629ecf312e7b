"""One claim as the JSON API returns it: the claim with its article, assignee, sources,
verdicts and history, loaded in a fixed handful of statements."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, raiseload, selectinload

from factcheck.models import Article, Claim, HistoryEvent, Source, Verdict


@dataclass
class ClaimRecord:
    claim: Claim
    history: list[HistoryEvent]


def claim_record(session: Session, claim_id: int) -> ClaimRecord | None:
    """The claim and everything the API shows of it, or None when it does not exist. Loaded
    afresh (`populate_existing`), so after a failed write it shows the database's state."""
    claim = session.scalars(
        select(Claim)
        .where(Claim.id == claim_id)
        .options(
            joinedload(Claim.article).load_only(Article.id, Article.title),
            joinedload(Claim.assignee),
            selectinload(Claim.sources).joinedload(Source.added_by),
            selectinload(Claim.verdicts).joinedload(Verdict.drafted_by),
            selectinload(Claim.verdicts).joinedload(Verdict.decided_by),
            raiseload("*"),
        )
        .execution_options(populate_existing=True)
    ).one_or_none()
    if claim is None:
        return None
    history = list(
        session.scalars(
            select(HistoryEvent)
            .where(HistoryEvent.claim_id == claim_id)
            .options(joinedload(HistoryEvent.actor), raiseload("*"))
            .order_by(HistoryEvent.seq)
        )
    )
    return ClaimRecord(claim, history)


def article_record(session: Session, article_id: int) -> tuple[Article, list[Claim]] | None:
    """An article with its text and its claims (in the text's order), or None."""
    article = session.get(Article, article_id)
    if article is None:
        return None
    claims = list(
        session.scalars(
            select(Claim)
            .where(Claim.article_id == article_id)
            .options(raiseload("*"))
            .order_by(Claim.span_start, Claim.id)
        )
    )
    return article, claims
