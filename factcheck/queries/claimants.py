"""Claimant records as the pages read them: the list, one claimant's checked claims and their
verdicts, the choices on a claim's edit form and the record a claimant text proposes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from factcheck.models import Claim, Claimant
from factcheck.vocabulary import ClaimStatus
from factcheck.workflow.claimants import find_match

PUBLISHED = ClaimStatus.PUBLISHED.value


@dataclass(frozen=True)
class ClaimantRow:
    id: int
    name: str
    kind: str | None
    description: str | None
    claims: int
    checked: int  # claims with a published verdict


def claimant_list(session: Session) -> list[ClaimantRow]:
    """Every claimant not merged into another, by name, with their claims counted."""
    checked = func.sum(case((Claim.published_rating.is_not(None), 1), else_=0))
    stmt = (
        select(
            Claimant.id,
            Claimant.name,
            Claimant.kind,
            Claimant.description,
            func.count(Claim.id),
            func.coalesce(checked, 0),
        )
        .outerjoin(Claim, Claim.claimant_id == Claimant.id)
        .where(Claimant.merged_into_id.is_(None))
        .group_by(Claimant.id, Claimant.name, Claimant.kind, Claimant.description)
        .order_by(Claimant.name_key, Claimant.id)
    )
    return [ClaimantRow(*row) for row in session.execute(stmt)]


@dataclass(frozen=True)
class ClaimantClaim:
    id: int
    text: str
    status: str
    rating: str | None  # the published verdict, while there is one
    published_at: datetime | None


@dataclass
class ClaimantPage:
    claimant: Claimant
    merged_into: Claimant | None
    checked: list[ClaimantClaim]
    open_claims: list[ClaimantClaim]
    ratings: dict[str, int]


def claimant_page(session: Session, claimant_id: int) -> ClaimantPage | None:
    """The claimant, their checked claims (a published verdict) newest first with the verdicts
    counted, and their other claims."""
    claimant = session.get(Claimant, claimant_id)
    if claimant is None:
        return None
    merged_into = (
        session.get(Claimant, claimant.merged_into_id) if claimant.merged_into_id else None
    )
    rows = session.execute(
        select(Claim.id, Claim.text, Claim.status, Claim.published_rating, Claim.published_at)
        .where(Claim.claimant_id == claimant_id)
        .order_by(case((Claim.published_rating.is_(None), 1), else_=0), Claim.id.desc())
    )
    claims = [ClaimantClaim(*row) for row in rows]
    checked = [c for c in claims if c.rating is not None]
    ratings: dict[str, int] = {}
    for claim in checked:
        ratings[claim.rating] = ratings.get(claim.rating, 0) + 1
    others = [c for c in claims if c.rating is None]
    return ClaimantPage(claimant, merged_into, checked, others, ratings)


def claimant_record(session: Session, claimant_id: int) -> Claimant | None:
    return session.get(Claimant, claimant_id)


def claimant_choices(session: Session) -> list[tuple[int, str, str | None]]:
    """(id, name, kind) of every record a claim may link to, by name."""
    stmt = (
        select(Claimant.id, Claimant.name, Claimant.kind)
        .where(Claimant.merged_into_id.is_(None))
        .order_by(Claimant.name_key, Claimant.id)
    )
    return [tuple(row) for row in session.execute(stmt)]


def proposed_claimant(session: Session, text: str | None) -> Claimant | None:
    """The record a claimant text names, proposed on a claim's edit form until confirmed."""
    return find_match(session, text)
