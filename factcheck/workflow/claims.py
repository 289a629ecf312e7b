"""Claim workflow operations. Each takes the session and the acting user explicitly, checks the
rules, changes state, records history and flushes; the caller commits (one transaction per user
action). None of this knows about Flask or HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.extraction.text import find_loosely
from factcheck.models import Article, Claim, Comment, Correction, User, Verdict, utcnow

from . import merging
from . import permissions as can
from .cleaning import refuse_control
from .errors import (
    ConflictError,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)
from .history import changes, record
from .states import (
    Action,
    ClaimStatus,
    ClaimType,
    Rating,
    VerdictState,
    evidence_problem,
    next_status,
)

# What the public page shows of each source; a reopened claim keeps them as published.
PUBLISHED_SOURCE_FIELDS = ("url", "title", "publisher", "stance", "excerpt")
EDITABLE_FIELDS = ("text", "quote", "claimant", "claim_type", "priority", "due_date")
TEXT_LIMITS = {
    "text": 1000,
    "claimant": 200,
    "summary": 300,
    "reason": 1000,
    "rationale": 20_000,
    "note": 5000,
    "quote": 5000,
    "body": 10_000,
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


def _touch(claim: Claim, actor: User, *, bump: bool = True) -> None:
    """Mark activity on the claim; `bump` marks a meaningful change (new optimistic-lock version).

    Source changes bump it (they change the evidence a verdict and its approval rest on);
    comments touch without bumping, so they never make a colleague's open form stale.
    """
    now = utcnow()
    claim.last_activity_at = now
    if bump:
        claim.updated_at = now
        claim.updated_by_id = actor.id
        claim.version = claim.version + 1


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


@dataclass
class ClaimInput:
    text: str
    claim_type: str = ClaimType.OTHER.value
    claimant: str | None = None
    quote: str | None = None
    priority: int = 3
    due_date: date | None = None


def _validate_claim_input(data: ClaimInput) -> dict[str, Any]:
    try:
        claim_type = ClaimType(data.claim_type).value
    except ValueError:
        raise ValidationFailed("Unknown claim type.", field="claim_type") from None
    if not isinstance(data.priority, int) or not 1 <= data.priority <= 5:
        raise ValidationFailed("Priority must be between 1 and 5.", field="priority")
    return {
        "text": clean_text(data.text, "text", required=True),
        "quote": clean_text(data.quote, "quote"),
        "claimant": clean_text(data.claimant, "claimant"),
        "claim_type": claim_type,
        "priority": data.priority,
        "due_date": data.due_date,
    }


def create_claim(
    session: Session,
    actor: User | None,
    data: ClaimInput,
    *,
    article: Article | None = None,
    span: tuple[int, int] | None = None,
    origin: str = "manual",
    external_key: str | None = None,
    history_details: dict[str, Any] | None = None,
) -> Claim:
    """Open a new review item, by hand, from extraction, import or seeds.

    A quote is placed in the article's text (at `span` when given, else where it occurs); an
    article without text (imported by title or URL alone) keeps the quote unplaced."""
    fields, columns = new_claim_columns(actor, data, article, span, origin, external_key)
    claim = Claim(**columns, article=article)
    session.add(claim)
    session.flush()
    record(
        session,
        actor=actor,
        action="claim_created",
        claim=claim,
        details=claim_created_details(origin, fields, history_details),
    )
    return claim


def new_claim_columns(
    actor: User | None,
    data: ClaimInput,
    article: Article | None,
    span: tuple[int, int] | None,
    origin: str,
    external_key: str | None,
    validated: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A new claim's validated fields (as its history records them) and its columns but the
    article: what `create_claim` writes, and the import's bulk insert too (which passes what
    `_validate_claim_input(data)` returned while it planned, before its transaction)."""
    fields = dict(validated) if validated is not None else _validate_claim_input(data)
    if fields["quote"] and article is None:
        raise ValidationFailed("A quote needs the article it comes from.", field="quote")
    span_start = span_end = None
    if article is not None and fields["quote"] and article.text:
        if span is not None:
            span_start, span_end = span
            if article.text[span_start:span_end] != fields["quote"]:
                raise ValidationFailed("The quote does not match the given span.", field="quote")
        else:
            span_start, span_end = locate_quote(article.text, fields["quote"])
            fields["quote"] = article.text[span_start:span_end]
    columns = {
        **fields,
        "span_start": span_start,
        "span_end": span_end,
        "status": ClaimStatus.UNREVIEWED.value,
        "origin": origin,
        "external_key": external_key,
        "created_by_id": actor.id if actor else None,
        "updated_by_id": actor.id if actor else None,
        "version": 1,
    }
    return fields, columns


def claim_created_details(
    origin: str, fields: dict[str, Any], extra: dict[str, Any] | None
) -> dict[str, Any]:
    return {"origin": origin, "fields": fields, **(extra or {})}


def changed_fields(data: ClaimInput, loaded: ClaimInput) -> set[str]:
    """The editable fields a user changed: what they sent differs from what they loaded."""
    return merging.changed_fields(vars(data), vars(loaded), EDITABLE_FIELDS)


def _merge(claim: Claim, data: ClaimInput, loaded: ClaimInput | None, expected: int | None):
    """What to apply when the form was loaded at `expected`: everything when the claim has not
    changed since; else (three-way) only the fields this user changed, unless someone else
    changed one of them to another value meanwhile (a true conflict, naming the fields)."""
    if expected is None or claim.version == expected:
        return data
    if loaded is None:
        check_version(claim, expected)
    current = {key: getattr(claim, key) for key in EDITABLE_FIELDS}
    merged, clashes = merging.three_way(current, vars(loaded), vars(data), EDITABLE_FIELDS)
    if clashes:
        names = ", ".join(key.replace("_", " ") for key in clashes)
        raise ConflictError(
            f"Claim #{claim.id} was changed by someone else while you were editing it, in the "
            f"same field(s) as you: {names}. Nothing was saved. Their changes are applied below "
            "and your input is kept in those fields: submit again to keep yours.",
            current_version=claim.version,
            fields=clashes,
        )
    return ClaimInput(**merged)


def update_claim(
    session: Session,
    actor: User,
    claim: Claim,
    data: ClaimInput,
    *,
    expected_version: int | None,
    loaded: ClaimInput | None = None,
) -> dict[str, list[Any]]:
    """Edit the claim's own fields; returns the changes made (empty when nothing changed).

    `loaded` is the claim's fields as the user's form showed them: with it, an edit of a claim
    changed meanwhile applies only the fields this user changed (`_merge`)."""
    _require(can.can_edit_claim(actor, claim), "You may not edit this claim.")
    data = _merge(claim, data, loaded, expected_version)
    fields = _validate_claim_input(data)
    if fields["quote"] != claim.quote:
        if fields["quote"] and claim.article is not None:
            start, end = locate_quote(claim.article.text, fields["quote"])
            fields["quote"] = claim.article.text[start:end]
            claim.span_start, claim.span_end = start, end
        elif fields["quote"]:
            raise ValidationFailed("A quote needs the article it comes from.", field="quote")
        else:
            claim.span_start = claim.span_end = None
    before = {key: getattr(claim, key) for key in EDITABLE_FIELDS}
    diff = changes(before, fields)
    if not diff:
        return {}
    for key in diff:
        setattr(claim, key, fields[key])
    _touch(claim, actor)
    record(session, actor=actor, action="claim_edited", claim=claim, details={"changes": diff})
    return diff


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _set_status(claim: Claim, target: ClaimStatus) -> list[str]:
    old = claim.status
    claim.status = target.value
    return [old, target.value]


def assign(
    session: Session,
    actor: User,
    claim: Claim,
    assignee: User,
    *,
    expected_version: int | None,
    due_date: date | None = None,
) -> None:
    check_version(claim, expected_version)
    _require(can.can_assign(actor, claim), "Only editors assign claims.")
    if not assignee.active:
        raise ValidationFailed(f"{assignee.display_name}'s account is inactive.", field="assignee")
    target = _transition(claim, Action.ASSIGN)
    diff: dict[str, list[Any]] = {}
    if claim.assignee_id != assignee.id:
        old = session.get(User, claim.assignee_id) if claim.assignee_id else None
        diff["assignee"] = [old.username if old else None, assignee.username]
        claim.assignee_id = assignee.id
    if due_date is not None and due_date != claim.due_date:
        diff["due_date"] = [
            claim.due_date.isoformat() if claim.due_date else None,
            due_date.isoformat(),
        ]
        claim.due_date = due_date
    if claim.status != target:
        diff["status"] = _set_status(claim, target)
    if not diff:
        return
    _touch(claim, actor)
    record(session, actor=actor, action="assigned", claim=claim, details={"changes": diff})


def take(session: Session, actor: User, claim: Claim, *, expected_version: int | None) -> None:
    """A reviewer picks up an unassigned claim themselves."""
    check_version(claim, expected_version)
    if claim.assignee_id is not None:
        raise RuleViolation("This claim is already assigned.")
    _require(can.can_take(actor, claim), "You may not take this claim.")
    target = _transition(claim, Action.TAKE)
    claim.assignee_id = actor.id
    diff = {"assignee": [None, actor.username], "status": _set_status(claim, target)}
    _touch(claim, actor)
    record(session, actor=actor, action="taken", claim=claim, details={"changes": diff})


def draft_verdict(
    session: Session,
    actor: User,
    claim: Claim,
    *,
    rating: str,
    summary: str,
    rationale: str,
    expected_version: int | None,
) -> Verdict:
    """Submit a verdict for an editor's approval, on evidence its rating can rest on
    (`states.evidence_problem`)."""
    check_version(claim, expected_version)
    target = _transition(claim, Action.SUBMIT_VERDICT)
    _require(
        can.can_draft_verdict(actor, claim),
        "Only the assigned reviewer or an editor may draft this verdict.",
    )
    try:
        rating_value = Rating(rating).value
    except ValueError:
        raise ValidationFailed("Unknown rating.", field="rating") from None
    _check_evidence(claim, rating_value)
    verdict = Verdict(
        claim=claim,
        rating=rating_value,
        summary=clean_text(summary, "summary", required=True),
        rationale=clean_text(rationale, "rationale", required=True),
        state=VerdictState.DRAFT.value,
        drafted_by_id=actor.id,
        drafted_at=utcnow(),
    )
    session.add(verdict)
    diff = {"status": _set_status(claim, target)}
    _touch(claim, actor)
    session.flush()
    record(
        session,
        actor=actor,
        action="verdict_drafted",
        claim=claim,
        details={
            "changes": diff,
            "verdict_id": verdict.id,
            "rating": rating_value,
            "summary": verdict.summary,
        },
    )
    return verdict


def _check_evidence(claim: Claim, rating: str) -> None:
    problem = evidence_problem(rating, [source.stance for source in claim.sources])
    if problem is not None:
        raise RuleViolation(problem)


def _pending(claim: Claim) -> Verdict:
    verdict = claim.pending_verdict
    if verdict is None:
        raise IllegalTransition("There is no drafted verdict waiting for a decision.")
    return verdict


def approve(session: Session, actor: User, claim: Claim, *, expected_version: int | None) -> None:
    """Publish the drafted verdict; an editor who did not draft it approves (two-person rule).

    `expected_version` binds the approval to what the editor saw: every change to the claim,
    its verdict or its sources bumps the version, so changed evidence is a conflict."""
    check_version(claim, expected_version)
    target = _transition(claim, Action.APPROVE)
    verdict = _pending(claim)
    if verdict.drafted_by_id == actor.id:
        raise PermissionDenied("You drafted this verdict; another editor must approve it.")
    _require(can.can_approve(actor, claim), "Only editors approve verdicts.")
    _check_evidence(claim, verdict.rating)
    now = utcnow()
    previous = claim.approved_verdict
    if previous is not None:
        previous.state = VerdictState.SUPERSEDED.value
        session.flush()  # free the one-approved-verdict slot before taking it
    verdict.state = VerdictState.APPROVED.value
    verdict.decided_by_id = actor.id
    verdict.decided_at = now
    diff = {
        "status": _set_status(claim, target),
        "published_rating": [claim.published_rating, verdict.rating],
    }
    claim.published_rating = verdict.rating
    if claim.published_at is None:
        claim.published_at = now
    else:  # a corrected re-publication keeps the first date (ClaimReview's datePublished)
        diff["revised_at"] = [_iso(claim.revised_at), now.isoformat()]
        claim.revised_at = now
    _touch(claim, actor)
    details: dict[str, Any] = {"changes": diff, "verdict_id": verdict.id}
    if previous is not None:
        details["superseded_verdict_id"] = previous.id
    record(session, actor=actor, action="verdict_approved", claim=claim, details=details)


def return_verdict(
    session: Session, actor: User, claim: Claim, *, reason: str, expected_version: int | None
) -> None:
    """Send the draft back to research with a reason the reviewer can act on."""
    check_version(claim, expected_version)
    target = _transition(claim, Action.RETURN)
    verdict = _pending(claim)
    if verdict.drafted_by_id == actor.id:
        raise PermissionDenied("You drafted this verdict; another editor must decide on it.")
    _require(can.can_return(actor, claim), "Only editors return verdicts.")
    reason_text = clean_text(reason, "reason", required=True)
    verdict.state = VerdictState.RETURNED.value
    verdict.decided_by_id = actor.id
    verdict.decided_at = utcnow()
    verdict.return_reason = reason_text
    diff = {"status": _set_status(claim, target)}
    _touch(claim, actor)
    record(
        session,
        actor=actor,
        action="verdict_returned",
        claim=claim,
        details={"changes": diff, "verdict_id": verdict.id, "reason": reason_text},
    )


def reopen(
    session: Session, actor: User, claim: Claim, *, note: str, expected_version: int | None
) -> Correction:
    """Take a published fact-check back into research for a correction; the note stays public."""
    check_version(claim, expected_version)
    target = _transition(claim, Action.REOPEN)
    _require(can.can_reopen(actor, claim), "Only editors reopen published claims.")
    note_text = clean_text(note, "note", required=True)
    verdict = claim.approved_verdict
    # The fact-check stays public as published until the corrected one is approved.
    correction = Correction(
        claim=claim,
        verdict_id=verdict.id if verdict else None,
        note=note_text,
        claim_text=claim.text,
        published_sources=[
            {key: getattr(source, key) for key in PUBLISHED_SOURCE_FIELDS}
            for source in claim.sources
        ],
        created_by_id=actor.id,
    )
    session.add(correction)
    diff = {
        "status": _set_status(claim, target),
        "published_rating": [claim.published_rating, None],
    }
    claim.published_rating = None
    _touch(claim, actor)
    session.flush()
    record(
        session,
        actor=actor,
        action="reopened",
        claim=claim,
        details={"changes": diff, "correction_note": note_text, "correction_id": correction.id},
    )
    return correction


def mark_not_checkable(
    session: Session, actor: User, claim: Claim, *, reason: str, expected_version: int | None
) -> None:
    check_version(claim, expected_version)
    target = _transition(claim, Action.MARK_NOT_CHECKABLE)
    _require(can.can_mark_not_checkable(actor, claim), "You may not close this claim.")
    reason_text = clean_text(reason, "reason", required=True)
    diff = {"status": _set_status(claim, target), "status_note": [claim.status_note, reason_text]}
    claim.status_note = reason_text
    _touch(claim, actor)
    record(
        session,
        actor=actor,
        action="marked_not_checkable",
        claim=claim,
        details={"changes": diff, "reason": reason_text},
    )


def restore(session: Session, actor: User, claim: Claim, *, expected_version: int | None) -> None:
    check_version(claim, expected_version)
    target = _transition(claim, Action.RESTORE)
    _require(can.can_restore(actor, claim), "Only editors restore claims.")
    diff = {"status": _set_status(claim, target), "status_note": [claim.status_note, None]}
    claim.status_note = None
    _touch(claim, actor)
    record(session, actor=actor, action="restored", claim=claim, details={"changes": diff})


def add_comment(session: Session, actor: User, claim: Claim, body: str) -> Comment:
    _require(can.can_comment(actor, claim), "You may not comment.")
    text = clean_text(body, "body", required=True)
    comment = Comment(claim=claim, author_id=actor.id, body=text)
    session.add(comment)
    _touch(claim, actor, bump=False)
    session.flush()
    record(
        session,
        actor=actor,
        action="commented",
        claim=claim,
        details={"comment_id": comment.id, "body": text},
    )
    return comment
