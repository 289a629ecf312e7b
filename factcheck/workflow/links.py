"""Linking claims that say the same thing ("same claim as #123"), and unlinking them.

A link is one row per pair (the lower id first) and an event on each claim's chain, so both
histories tell it; linking changes neither claim's content, so neither version moves."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from factcheck.models import Claim, ClaimLink, User
from factcheck.vocabulary import HistoryAction

from . import permissions as can
from .claim_base import get_claim
from .errors import PermissionDenied, ValidationFailed, flush_unique
from .events import claims_linked_details
from .history import record

FIELD = "other_id"


def _pair(session: Session, actor: User, claim_id: int, other_id: int | None) -> list[Claim]:
    if not can.can_link_claims(actor):
        raise PermissionDenied("You may not link claims.")
    if other_id is None:
        raise ValidationFailed("Give the number of the other claim.", field=FIELD)
    if other_id == claim_id:
        raise ValidationFailed("A claim cannot be linked to itself.", field=FIELD)
    get_claim(session, claim_id)  # the page's claim: gone is a 404
    if session.get(Claim, other_id) is None:
        raise ValidationFailed(f"There is no claim #{other_id}.", field=FIELD)
    # Locked in id order, so two people linking the same pair from either page queue.
    return [get_claim(session, i, for_update=True) for i in sorted((claim_id, other_id))]


def _existing(session: Session, low: int, high: int) -> ClaimLink | None:
    return session.scalar(
        select(ClaimLink).where(ClaimLink.claim_id == low, ClaimLink.other_id == high)
    )


def link_claims(session: Session, actor: User, claim_id: int, other_id: int | None) -> ClaimLink:
    """Record that claim `claim_id` is the same claim as `other_id`."""
    low, high = _pair(session, actor, claim_id, other_id)
    refusal = ValidationFailed(f"Already linked to claim #{other_id}.", field=FIELD)
    if _existing(session, low.id, high.id) is not None:
        raise refusal
    link = ClaimLink(claim_id=low.id, other_id=high.id, created_by_id=actor.id)
    session.add(link)
    flush_unique(session, refusal, table="claim_links", column="claim_id")
    _record(session, actor, HistoryAction.CLAIMS_LINKED, low, high)
    return link


def unlink_claims(session: Session, actor: User, claim_id: int, other_id: int | None) -> None:
    """Undo a link (either claim's page may)."""
    low, high = _pair(session, actor, claim_id, other_id)
    if _existing(session, low.id, high.id) is None:
        raise ValidationFailed(f"Not linked to claim #{other_id}.", field=FIELD)
    session.execute(
        delete(ClaimLink).where(ClaimLink.claim_id == low.id, ClaimLink.other_id == high.id)
    )
    _record(session, actor, HistoryAction.CLAIMS_UNLINKED, low, high)


def _record(session: Session, actor: User, action: HistoryAction, low: Claim, high: Claim):
    for claim, other in ((low, high), (high, low)):
        record(
            session,
            actor=actor,
            action=action,
            claim=claim,
            details=claims_linked_details(other.id, other.text),
        )


def linked_ids(session: Session, claim_id: int) -> list[int]:
    """The claims linked to `claim_id`, lowest id first."""
    found = session.execute(
        select(ClaimLink.claim_id, ClaimLink.other_id).where(
            (ClaimLink.claim_id == claim_id) | (ClaimLink.other_id == claim_id)
        )
    )
    return sorted(b if a == claim_id else a for a, b in found)
