"""Review operations on a claim: drafting, approving and returning a verdict, reopening a
published fact-check for a correction, closing a claim as not checkable and restoring it. Like
`claims`, each takes the session and the acting user, checks the rules, changes state, records
history and flushes; the caller commits."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from factcheck.models import Claim, Correction, User, Verdict, utcnow
from factcheck.vocabulary import HistoryAction

from . import permissions as can
from .claim_base import (
    _iso,
    _require,
    _set_columns,
    _set_status,
    _touch,
    _transition,
    check_version,
    clean_text,
    published_source,
)
from .errors import IllegalTransition, PermissionDenied, RuleViolation
from .events import (
    Diff,
    changes_details,
    marked_not_checkable_details,
    reopened_details,
    verdict_approved_details,
    verdict_drafted_details,
    verdict_returned_details,
)
from .history import record
from .ratings import known_rating
from .states import Action, VerdictState, evidence_problem

# The state changes themselves, as pure functions of plain values: the services below apply
# them to ORM rows, the demo generator (`factcheck.demo.simulation`) to its planned rows.


def drafted_verdict(
    rating: str, summary: str | None, rationale: str | None, actor_id: int, now: datetime
) -> dict[str, Any]:
    """A new draft verdict's columns, but its claim, its texts checked (`clean_text`)."""
    return {
        "rating": rating,
        "summary": clean_text(summary, "summary", required=True),
        "rationale": clean_text(rationale, "rationale", required=True),
        "state": VerdictState.DRAFT.value,
        "drafted_by_id": actor_id,
        "drafted_at": now,
        "decided_by_id": None,
        "decided_at": None,
        "return_reason": None,
    }


def decided_verdict(
    state: VerdictState, actor_id: int, now: datetime, return_reason: str | None = None
) -> dict[str, Any]:
    """The columns an editor's decision (approved or returned) sets on the pending verdict."""
    return {
        "state": state.value,
        "decided_by_id": actor_id,
        "decided_at": now,
        "return_reason": return_reason,
    }


def publication(
    published_rating: str | None,
    published_at: datetime | None,
    revised_at: datetime | None,
    rating: str,
    now: datetime,
) -> tuple[dict[str, Any], Diff]:
    """The claim columns approving a verdict rated `rating` at `now` sets, and their history
    diff. A corrected re-publication keeps the first date (ClaimReview's datePublished) and
    sets `revised_at` (its dateModified)."""
    columns: dict[str, Any] = {"published_rating": rating}
    diff: Diff = {"published_rating": [published_rating, rating]}
    if published_at is None:
        columns["published_at"] = now
    else:
        columns["revised_at"] = now
        diff["revised_at"] = [_iso(revised_at), now.isoformat()]
    return columns, diff


def superseded_verdict() -> dict[str, Any]:
    """The columns a corrected approval sets on the verdict it replaces."""
    return {"state": VerdictState.SUPERSEDED.value}


def withdrawn_publication(published_rating: str | None) -> tuple[dict[str, Any], Diff]:
    """The claim columns reopening for a correction sets, and their diff: the claim has no
    current rating until the corrected verdict is approved (the published page stays up)."""
    return {"published_rating": None}, {"published_rating": [published_rating, None]}


def status_note_change(old: str | None, new: str | None) -> tuple[dict[str, Any], Diff]:
    """The columns closing a claim as not checkable (`new`, the reason) or restoring it
    (`new` None) sets, and their diff."""
    return {"status_note": new}, {"status_note": [old, new]}


def correction_columns(
    verdict_id: int | None,
    note: str,
    claim_text: str,
    sources: Iterable[Callable[[str], Any]],
    actor_id: int,
) -> dict[str, Any]:
    """A correction's columns but its claim: the note, and the claim and its sources as they
    were published (`published_source`; each of `sources` reads one source's field)."""
    return {
        "verdict_id": verdict_id,
        "note": note,
        "claim_text": claim_text,
        "published_sources": [published_source(value) for value in sources],
        "created_by_id": actor_id,
    }


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
    rating_value = known_rating(session, rating)
    _check_evidence(claim, rating_value)
    verdict = Verdict(
        claim=claim,
        **drafted_verdict(rating_value, summary, rationale, actor.id, utcnow()),
    )
    session.add(verdict)
    diff = {"status": _set_status(claim, target)}
    _touch(claim, actor)
    session.flush()
    record(
        session,
        actor=actor,
        action=HistoryAction.VERDICT_DRAFTED,
        claim=claim,
        details=verdict_drafted_details(diff, verdict.id, rating_value, verdict.summary),
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
    if can.is_own_draft(actor, verdict.drafted_by_id):
        raise PermissionDenied("You drafted this verdict; another editor must approve it.")
    _require(can.can_approve(actor, claim), "Only editors approve verdicts.")
    _check_evidence(claim, verdict.rating)
    now = utcnow()
    previous = claim.approved_verdict
    if previous is not None:
        _set_columns(previous, superseded_verdict())
        session.flush()  # free the one-approved-verdict slot before taking it
    _set_columns(verdict, decided_verdict(VerdictState.APPROVED, actor.id, now))
    columns, published = publication(
        claim.published_rating, claim.published_at, claim.revised_at, verdict.rating, now
    )
    diff = {"status": _set_status(claim, target), **published}
    _set_columns(claim, columns)
    _touch(claim, actor)
    details = verdict_approved_details(
        diff, verdict.id, previous is not None, previous.id if previous is not None else None
    )
    record(
        session, actor=actor, action=HistoryAction.VERDICT_APPROVED, claim=claim, details=details
    )


def return_verdict(
    session: Session, actor: User, claim: Claim, *, reason: str, expected_version: int | None
) -> None:
    """Send the draft back to research with a reason the reviewer can act on."""
    check_version(claim, expected_version)
    target = _transition(claim, Action.RETURN)
    verdict = _pending(claim)
    if can.is_own_draft(actor, verdict.drafted_by_id):
        raise PermissionDenied("You drafted this verdict; another editor must decide on it.")
    _require(can.can_return(actor, claim), "Only editors return verdicts.")
    reason_text = clean_text(reason, "reason", required=True)
    _set_columns(verdict, decided_verdict(VerdictState.RETURNED, actor.id, utcnow(), reason_text))
    diff = {"status": _set_status(claim, target)}
    _touch(claim, actor)
    record(
        session,
        actor=actor,
        action=HistoryAction.VERDICT_RETURNED,
        claim=claim,
        details=verdict_returned_details(diff, verdict.id, reason_text),
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
        **correction_columns(
            verdict.id if verdict else None,
            note_text,
            claim.text,
            (functools.partial(getattr, source) for source in claim.sources),
            actor.id,
        ),
    )
    session.add(correction)
    columns, withdrawn = withdrawn_publication(claim.published_rating)
    diff = {"status": _set_status(claim, target), **withdrawn}
    _set_columns(claim, columns)
    _touch(claim, actor)
    session.flush()
    record(
        session,
        actor=actor,
        action=HistoryAction.REOPENED,
        claim=claim,
        details=reopened_details(diff, note_text, correction.id),
    )
    return correction


def mark_not_checkable(
    session: Session, actor: User, claim: Claim, *, reason: str, expected_version: int | None
) -> None:
    check_version(claim, expected_version)
    target = _transition(claim, Action.MARK_NOT_CHECKABLE)
    _require(can.can_mark_not_checkable(actor, claim), "You may not close this claim.")
    reason_text = clean_text(reason, "reason", required=True)
    columns, noted = status_note_change(claim.status_note, reason_text)
    diff = {"status": _set_status(claim, target), **noted}
    _set_columns(claim, columns)
    _touch(claim, actor)
    record(
        session,
        actor=actor,
        action=HistoryAction.MARKED_NOT_CHECKABLE,
        claim=claim,
        details=marked_not_checkable_details(diff, reason_text),
    )


def restore(session: Session, actor: User, claim: Claim, *, expected_version: int | None) -> None:
    check_version(claim, expected_version)
    target = _transition(claim, Action.RESTORE)
    _require(can.can_restore(actor, claim), "Only editors restore claims.")
    columns, noted = status_note_change(claim.status_note, None)
    diff = {"status": _set_status(claim, target), **noted}
    _set_columns(claim, columns)
    _touch(claim, actor)
    record(
        session,
        actor=actor,
        action=HistoryAction.RESTORED,
        claim=claim,
        details=changes_details(diff),
    )
