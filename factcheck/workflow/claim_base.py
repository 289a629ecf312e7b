"""What every claim operation shares: loading and locking a claim, the optimistic-lock check,
the permission and transition guards, activity stamps and text cleaning (`claims` and `review`
build on these)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck import limits
from factcheck.extraction.text import find_loosely
from factcheck.models import Claim, User, utcnow
from factcheck.vocabulary import HistoryAction

from .cleaning import refuse_control
from .errors import ConflictError, IllegalTransition, NotFound, PermissionDenied, ValidationFailed
from .states import Action, ClaimStatus, next_status

# What the public page shows of each source; a reopened claim keeps them as published.
PUBLISHED_SOURCE_FIELDS = ("url", "title", "publisher", "stance", "excerpt", "archive_url")
# A new claim's fields (its claim_created history names these); the edit form adds the short
# form and the confirmed claimant record.
CREATED_FIELDS = ("text", "quote", "claimant", "claim_type", "priority", "due_date")
EDITABLE_FIELDS = (*CREATED_FIELDS, "short_text", "claimant_id")
TEXT_LIMITS = {
    "text": limits.CLAIM_TEXT,
    "claimant": limits.CLAIMANT,
    "short_text": limits.CLAIM_SHORT_TEXT,
    "summary": limits.VERDICT_SUMMARY,
    "reason": limits.REASON,
    "rationale": limits.RATIONALE,
    "note": limits.CORRECTION_NOTE,
    "quote": limits.QUOTE,
    "body": limits.COMMENT_BODY,
}


def get_claim(session: Session, claim_id: int, *, for_update: bool = False) -> Claim:
    """Load a claim; for writes, lock its row so concurrent writers on it queue (PostgreSQL)."""
    stmt = select(Claim).where(Claim.id == claim_id)
    if for_update:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    claim = session.scalars(stmt).one_or_none()
    if claim is None:
        raise NotFound(f"Claim #{claim_id} does not exist.")
    return claim


def check_version(claim: Claim, expected_version: int | None) -> None:
    """Refuse to act on a claim that changed since the user loaded it."""
    if expected_version is not None and claim.version != expected_version:
        raise ConflictError(
            f"Claim #{claim.id} was changed by someone else while you were working on it "
            f"(your version {expected_version}, now {claim.version}). Nothing was saved.",
            current_version=claim.version,
        )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _transition(claim: Claim, action: Action) -> ClaimStatus:
    target = next_status(ClaimStatus(claim.status), action)
    if target is None:
        raise IllegalTransition(
            f"Cannot {action.value.replace('_', ' ')} a claim that is "
            f"{ClaimStatus(claim.status).label.lower()}."
        )
    return target


def touched(version: int, now: datetime, actor_id: int | None, *, bump: bool) -> dict[str, Any]:
    """The claim columns an activity at `now` sets; `bump` marks a meaningful change (a new
    optimistic-lock version, and who changed it when).

    Source changes bump it (they change the evidence a verdict and its approval rest on);
    comments touch without bumping, so they never make a colleague's open form stale.
    Pure: `_touch` applies it to a claim, the demo generator to its planned rows.
    """
    if not bump:
        return {"last_activity_at": now}
    return {
        "last_activity_at": now,
        "updated_at": now,
        "updated_by_id": actor_id,
        "version": version + 1,
    }


# Actions that mark activity on a claim without changing it (no new version, see `touched`).
_ACTIVITY_ONLY = frozenset({HistoryAction.COMMENTED})


def bumps_version(action: HistoryAction) -> bool:
    """Whether `action` is a meaningful change of the claim (`touched`'s `bump`)."""
    return action not in _ACTIVITY_ONLY


def _touch(claim: Claim, actor: User, *, bump: bool = True) -> None:
    """Mark activity on the claim (`touched`; `bump` as `bumps_version` says for the action)."""
    for key, value in touched(claim.version, utcnow(), actor.id, bump=bump).items():
        setattr(claim, key, value)


def published_source(value: Callable[[str], Any]) -> dict[str, Any]:
    """What a correction keeps of one source as it was published (`PUBLISHED_SOURCE_FIELDS`);
    `value(field)` reads the source (an ORM row or the demo generator's planned fields)."""
    return {key: value(key) for key in PUBLISHED_SOURCE_FIELDS}


def clean_text(value: str | None, field: str, *, required: bool = False) -> str | None:
    """Strip, refuse control characters (cleaning.refuse_control), enforce the field's length
    limit; empty becomes None."""
    value = refuse_control((value or "").strip(), field)
    if not value:
        if required:
            raise ValidationFailed("This field is required.", field=field)
        return None
    limit = TEXT_LIMITS.get(field)
    if limit and len(value) > limit:
        raise ValidationFailed(f"At most {limit} characters.", field=field)
    return value


def locate_quote(article_text: str, quote: str) -> tuple[int, int]:
    """Find the quote in the article; whitespace differences (line breaks, double spaces) and
    straight vs curly quotes are tolerated, since users type or paste it."""
    start = article_text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    found = find_loosely(article_text, quote)
    if found is None:
        raise ValidationFailed("This quote does not occur in the article's text.", field="quote")
    if found[1] - found[0] > TEXT_LIMITS["quote"]:
        # Loose matching skips whitespace: the passage kept can be far longer than the quote.
        raise ValidationFailed(
            f"This quote matches a passage of {found[1] - found[0]:,} characters in the article "
            f"(its spacing differs); a quote may be at most {TEXT_LIMITS['quote']:,}. Quote a "
            "shorter passage.",
            field="quote",
        )
    return found


def _set_columns(row: Any, columns: dict[str, Any]) -> None:
    """Apply one of the pure functions' column dicts to an ORM row."""
    for key, value in columns.items():
        setattr(row, key, value)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _set_status(claim: Claim, target: ClaimStatus) -> list[str]:
    old = claim.status
    claim.status = target.value
    return [old, target.value]
