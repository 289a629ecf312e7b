"""My queue: the claims assigned to me that are still being worked on, and, for editors, the
drafted verdicts waiting for a second person's decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, select, union_all
from sqlalchemy.orm import Session, joinedload, raiseload

from factcheck.models import Claim, User, Verdict
from factcheck.workflow import permissions as can
from factcheck.workflow.states import TRANSITIONS, Action, ClaimStatus, VerdictState

QUEUE_SHOWN = 100  # the most urgent first; the claims list's filters reach the rest

# Assigned claims still on someone's desk: the statuses a verdict is drafted or decided from.
WORKING_STATUSES = (ClaimStatus.RESEARCHING, ClaimStatus.IN_REVIEW)
# Where a pending verdict may be approved (from the transition table, not restated).
DECIDABLE_STATUSES = tuple(sorted({frm for frm, act in TRANSITIONS if act is Action.APPROVE}))


@dataclass(frozen=True)
class Queue:
    mine: list[Claim]
    awaiting: list[Claim]
    more_mine: bool
    more_awaiting: bool
    returned: dict[int, Verdict]  # claim id -> the verdict sent back, while not yet redrafted


def my_queue(session: Session, user: User, today: date, *, shown: int = QUEUE_SHOWN) -> Queue:
    """The first `shown` of each list, and whether there are more."""
    mine = assigned_open(session, user, today, limit=shown + 1)
    awaiting = awaiting_decision(session, user, limit=shown + 1) if user.is_editor else []
    more_mine, mine = len(mine) > shown, mine[:shown]
    return Queue(
        mine,
        awaiting[:shown],
        more_mine,
        len(awaiting) > shown,
        returned_verdicts(session, [c.id for c in mine if c.status == ClaimStatus.RESEARCHING]),
    )


def returned_verdicts(session: Session, claim_ids: list[int]) -> dict[int, Verdict]:
    """For each of the claims whose latest verdict was returned (and not redrafted since):
    that verdict, with who returned it; one statement, always (so the page's statement count
    does not depend on what is on the desk)."""
    latest: dict[int, Verdict] = {}
    for verdict in session.scalars(
        select(Verdict)
        .where(Verdict.claim_id.in_(claim_ids))
        .options(joinedload(Verdict.decided_by), raiseload("*"))
        .order_by(Verdict.claim_id, Verdict.id)
    ):
        latest[verdict.claim_id] = verdict
    return {i: v for i, v in latest.items() if v.state == VerdictState.RETURNED}


def assigned_open(session: Session, user: User, today: date, *, limit: int) -> list[Claim]:
    """Claims assigned to `user` still being worked on: overdue first, then by due date,
    undated last, then by priority.

    Overdue claims are those due before today, so the order is by due date (undated last),
    then priority: read as the first `limit` of each (status, dated or not) range of
    `ix_claims_assignee_due`, in its order, and merged; the cost does not grow with the
    claims on the person's desk."""
    del today  # the overdue come first by due date alone
    ranges = [
        select(Claim.id)
        .where(Claim.assignee_id == user.id, Claim.status == status, dated)
        .order_by(Claim.due_date, Claim.priority, Claim.id)
        .limit(limit)
        .subquery()
        for status in WORKING_STATUSES
        for dated in (Claim.due_date.is_not(None), Claim.due_date.is_(None))
    ]
    first = union_all(*(select(r.c.id) for r in ranges)).subquery()
    return list(
        session.scalars(
            select(Claim)
            .where(Claim.id.in_(select(first.c.id)))
            .options(joinedload(Claim.article), joinedload(Claim.assignee), raiseload("*"))
            .order_by(Claim.due_date.is_(None), Claim.due_date, Claim.priority, Claim.id)
            .limit(limit)
        )
    )


def awaiting_decision(session: Session, user: User, *, limit: int) -> list[Claim]:
    """Claims whose drafted verdict `user` may approve now, oldest draft first.

    Who may decide is `permissions.can_approve` (the two-person rule among others), asked of
    each claim with its pending verdict loaded; the statement only narrows to claims in a
    decidable status with a draft, read in one pass until `limit` are found."""
    rows = session.execute(
        select(Claim, Verdict)
        .join(Verdict, and_(Verdict.claim_id == Claim.id, Verdict.state == VerdictState.DRAFT))
        .where(Claim.status.in_(DECIDABLE_STATUSES))
        .options(joinedload(Claim.article), joinedload(Claim.assignee), raiseload("*"))
        .order_by(Verdict.drafted_at, Verdict.claim_id)  # the order of its index
        .execution_options(yield_per=limit)
    )
    found: list[Claim] = []
    for claim, draft in rows:
        if can.can_approve(user, _WithPending(claim.status, claim.assignee_id, draft)):
            found.append(claim)
            if len(found) == limit:
                break
    rows.close()
    return found


@dataclass(frozen=True)
class _WithPending:
    """What the predicates read of a claim, with its pending verdict from the same row."""

    status: str
    assignee_id: int | None
    pending_verdict: Verdict
