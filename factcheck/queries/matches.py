"""What the desk already holds on a claim, for the claim page: the claims linked to it ("same
claim as") and the closest other claims and published fact-checks (`workflow.matching`), read
in one statement."""

from __future__ import annotations

from sqlalchemy import select, union, union_all
from sqlalchemy.orm import Session

from factcheck.models import Claim, ClaimLink
from factcheck.workflow.matching import MATCH_COLUMNS, Match, pool, ranked


def desk_record(session: Session, claim: Claim) -> tuple[list[Match], list[Match]]:
    """(the claims linked to this one, lowest id first; the closest others, best first)."""
    links = (
        select(ClaimLink.other_id).where(ClaimLink.claim_id == claim.id),
        select(ClaimLink.claim_id).where(ClaimLink.other_id == claim.id),
    )
    is_linked = Claim.id.in_(union_all(*links))
    ids = pool(session, claim.text, extra=1)
    # One flat list of ids, not "linked OR in the pool": PostgreSQL reads every claim for an
    # OR (and SQLite takes no compound inside a compound).
    wanted = union_all(*links) if ids is None else union(*links, ids)
    rows = session.execute(
        select(*MATCH_COLUMNS, is_linked.label("linked"))
        .where(Claim.id.in_(wanted))
        .order_by(Claim.id)
    ).all()
    linked = [Match(*row[:6], score=1.0) for row in rows if row.linked]
    others = (row for row in rows if not row.linked and row.id != claim.id)
    return linked, ranked(claim.text, others)
