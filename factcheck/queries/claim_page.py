"""What the claim page shows: the claim with everything on it, its history, and the changes
made since a given version (shown beside a form that arrived too late)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from factcheck.models import (
    Claim,
    Claimant,
    Comment,
    HistoryChainHead,
    HistoryEvent,
    Source,
    User,
    Verdict,
)
from factcheck.queries.highlight import Segment, paragraph_around
from factcheck.workflow.history import chain_for
from factcheck.workflow.states import Stance, VerdictState, evidence_hint


@dataclass(frozen=True)
class HistoryNames:
    """The names behind the values a history stores: an assignee by username, a claimant
    record by id (each as it is called now; a value not found is shown as stored)."""

    people: dict[str, str]  # username -> display name
    claimants: dict[int, str]  # claimant id -> name


def history_names(
    session: Session,
    events: list[HistoryEvent],
    *,
    known_users: Iterable[User] = (),
    known_claimants: Iterable[Claimant] = (),
) -> HistoryNames:
    """The names for the assignees and claimant records the `events` changed: those among the
    rows the caller has loaded already (`known_…`: the page's staff, the claim's record)
    without a statement, the rest in one statement for each kind."""
    usernames: set[str] = set()
    claimant_ids: set[int] = set()
    for event in events:
        changes = (event.details or {}).get("changes") or {}
        usernames.update(v for v in changes.get("assignee", ()) if isinstance(v, str))
        claimant_ids.update(v for v in changes.get("claimant_id", ()) if isinstance(v, int))
    people = {u.username: u.display_name for u in known_users if u.username in usernames}
    if missing := usernames - people.keys():
        rows = session.execute(
            select(User.username, User.display_name).where(User.username.in_(missing))
        )
        people.update(rows.all())
    claimants = {c.id: c.name for c in known_claimants if c.id in claimant_ids}
    if missing_ids := claimant_ids - claimants.keys():
        rows = session.execute(
            select(Claimant.id, Claimant.name).where(Claimant.id.in_(missing_ids))
        )
        claimants.update(rows.all())
    return HistoryNames(people=people, claimants=claimants)


@dataclass(frozen=True)
class ClaimPage:
    claim: Claim
    history: list[HistoryEvent]
    names: HistoryNames
    sources_by_stance: dict[str, list[Source]]
    context_segments: list[Segment] | None
    pending: Verdict | None
    current_verdict: Verdict | None
    earlier_verdicts: list[Verdict]

    @property
    def returned_verdict(self) -> Verdict | None:
        """The verdict just sent back, while nothing newer is drafted or approved: its reason
        leads the page."""
        latest = max(self.claim.verdicts, key=lambda verdict: verdict.id, default=None)
        if latest is None or latest.state != VerdictState.RETURNED:
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
            # A redraft is prefilled after a return or a reopen: its form is shown open.
            "redraft": bool(self.redraft_values),
            "evidence_hint": evidence_hint([source.stance for source in self.claim.sources]),
            "claim": self.claim,
            "history": self.history,
            "names": self.names,
            "sources_by_stance": self.sources_by_stance,
            "context_segments": self.context_segments,
            "pending": self.pending,
            "current_verdict": self.current_verdict,
            "earlier_verdicts": self.earlier_verdicts,
        }


def claim_page(session: Session, claim_id: int, staff: Iterable[User] = ()) -> ClaimPage:
    """The claim (refreshed, with article, people, sources, verdicts, comments and corrections
    loaded in a few statements) and its history, newest first, with the names it mentions
    (`staff`: accounts the caller has loaded, whose names need no statement)."""
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
        names=history_names(
            session,
            history,
            known_users=staff,
            known_claimants=[claim.claimant_record] if claim.claimant_record else [],
        ),
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
