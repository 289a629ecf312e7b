"""What the public may see: published fact-checks and correction notes, nothing else.

A claim is public while it has an approved verdict, and then only that verdict is read: drafts,
returned or superseded verdicts never leave this module. A published claim reopened for a
correction keeps its approved verdict until the corrected one is approved, so it stays public
as it was published (the claim text and sources its correction kept), marked under revision.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, case, func, null, select
from sqlalchemy.orm import Session, raiseload, selectinload

from factcheck.claimreview import FactCheck
from factcheck.models import Article, Claim, Claimant, Correction, Source, Verdict
from factcheck.vocabulary import ClaimStatus, VerdictState

from .dialect import SqlDialect

PUBLISHED = ClaimStatus.PUBLISHED.value
APPROVED = VerdictState.APPROVED.value
# Written into the SQL (not a parameter) so PostgreSQL can read the partial index of approved
# verdicts, `uq_verdicts_one_approved`, in claim order.
_APPROVED_VERDICT = Verdict.state == bindparam("verdict_state", APPROVED, literal_execute=True)


def _fact_check_columns(approved=_APPROVED_VERDICT):
    under_revision = Claim.status != PUBLISHED
    # Under revision the claim's text is a draft: the latest correction kept it as published.
    published_text = (
        select(Correction.claim_text)
        .where(Correction.claim_id == Claim.id)
        .order_by(Correction.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return select(
        Claim.id,
        case((under_revision, func.coalesce(published_text, Claim.text)), else_=Claim.text),
        Claim.claimant,
        Verdict.rating,
        Verdict.summary,
        Claim.published_at,
        Article.url,
        Article.title,
        Article.publisher,
        Article.author,
        Article.published_on,
        Claim.revised_at,
        under_revision,
        # Under revision the short form is a draft too: cut from the text as published.
        case((under_revision, null()), else_=Claim.short_text),
        Claimant.name,
        Claimant.kind,
        Claimant.same_as,
    ).join(Verdict, and_(Verdict.claim_id == Claim.id, approved))


def _as_fact_check(row) -> FactCheck:
    return FactCheck(*row)


def _published(stmt):
    """Claims with an approved verdict: published, or reopened and being corrected."""
    return stmt.outerjoin(Article, Article.id == Claim.article_id).outerjoin(
        Claimant, Claimant.id == Claim.claimant_id
    )


def published_fact_checks(
    session: Session,
    *,
    before: int | None = None,
    after: int | None = None,
    ascending: bool = False,
    limit: int | None = None,
) -> list[FactCheck]:
    """Published fact-checks, newest claim first (by id, which keeps the pages stable while
    claims are published; `ascending`: oldest first); `before` / `after` (a claim id) page
    through the ones below / above it."""
    # Newest first by the verdict's claim id: read backwards along an index of verdicts by
    # claim, so a page costs the same on any number of claims (SQLite, with statistics at
    # 100,000 claims, chose the index of states and sorted every approved verdict).
    approved = SqlDialect(session).unindexed(Verdict.state) == APPROVED
    stmt = _published(_fact_check_columns(approved))
    if before is not None:
        stmt = stmt.where(Verdict.claim_id < before)
    if after is not None:
        stmt = stmt.where(Verdict.claim_id > after)
    stmt = stmt.order_by(Verdict.claim_id if ascending else Verdict.claim_id.desc())
    if limit is not None:
        stmt = stmt.limit(limit)
    return [_as_fact_check(row) for row in session.execute(stmt)]


def count_fact_checks(session: Session) -> int:
    """How many fact-checks are public: one approved verdict each (the partial index of
    approved verdicts)."""
    return session.scalar(select(func.count()).where(Verdict.state == APPROVED)) or 0


def iter_fact_checks(session: Session) -> Iterator[FactCheck]:
    stmt = _published(_fact_check_columns()).order_by(Claim.id)
    for row in session.execute(stmt.execution_options(yield_per=500)):
        yield _as_fact_check(row)


@dataclass
class FactCheckPage:
    check: FactCheck
    rationale: str
    # Source rows, or (under revision) the sources as published: dicts with the same keys.
    sources: list[Source] | list[dict[str, Any]]
    corrections: list[Correction]


def fact_check_page(session: Session, claim_id: int) -> FactCheckPage | None:
    """Everything the public page shows, or None unless the claim is public (published, or
    under revision with its published verdict)."""
    stmt = _published(_fact_check_columns().add_columns(Verdict.rationale))
    row = session.execute(stmt.where(Claim.id == claim_id)).first()
    if row is None:
        return None
    *fields, rationale = row
    check = FactCheck(*fields)
    corrections = session.scalars(
        select(Correction).where(Correction.claim_id == claim_id).order_by(Correction.id)
    ).all()
    kept = corrections[-1].published_sources if check.under_revision and corrections else None
    sources = (
        kept
        if kept is not None
        else session.scalars(
            select(Source).where(Source.claim_id == claim_id).order_by(Source.id)
        ).all()
    )
    return FactCheckPage(check, rationale or "", list(sources), list(corrections))


@dataclass(frozen=True)
class CorrectionEntry:
    id: int
    created_at: datetime
    note: str
    claim_id: int
    claim_text: str
    published: bool  # published now (else being revised)
    public: bool  # its public page exists (published, or shown as published while revised)


def corrections_log(
    session: Session,
    *,
    before: int | None = None,
    after: int | None = None,
    ascending: bool = False,
    limit: int | None = None,
) -> list[CorrectionEntry]:
    """Correction notes, newest first (by id: notes are numbered as they are written;
    `ascending`: oldest first), with their claim (linked when it is published again);
    `before` / `after` page through the ones below / above an id."""
    stmt = (
        select(Correction)
        .options(selectinload(Correction.claim).load_only(Claim.id, Claim.text, Claim.status))
        .options(raiseload("*"))
        .order_by(Correction.id if ascending else Correction.id.desc())
    )
    if before is not None:
        stmt = stmt.where(Correction.id < before)
    if after is not None:
        stmt = stmt.where(Correction.id > after)
    if limit is not None:
        stmt = stmt.limit(limit)
    entries = []
    for c in session.scalars(stmt):
        published = c.claim.status == PUBLISHED
        # While the claim is being revised its text is a draft: show it as it was published.
        text = c.claim.text if published else (c.claim_text or f"Fact-check #{c.claim.id}")
        # A reopened claim stays public (as published) while it keeps its approved verdict.
        public = published or c.verdict_id is not None
        entries.append(
            CorrectionEntry(c.id, c.created_at, c.note, c.claim.id, text, published, public)
        )
    return entries


def count_corrections(session: Session) -> int:
    return session.scalar(select(func.count(Correction.id))) or 0
