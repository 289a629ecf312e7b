"""Predicates answering "may this user do this to this claim now?".

Services enforce them; the web layer asks them which buttons to show. They read plain attributes
(`role`, `id`, `status`, `assignee_id`, the pending verdict's drafter) and import nothing heavy.
"""

from __future__ import annotations

from typing import Protocol

from .states import (
    ACTION_ROLES,
    OPEN_STATUSES,
    Action,
    ClaimStatus,
    Role,
    is_editor,
    next_status,
)


class Actor(Protocol):
    id: int
    role: str
    active: bool


class VerdictLike(Protocol):
    drafted_by_id: int


class ClaimLike(Protocol):
    status: str
    assignee_id: int | None

    @property
    def pending_verdict(self) -> VerdictLike | None: ...


def role_may(user: Actor, action: Action) -> bool:
    """Whether the user's role may take `action` at all (`states.ACTION_ROLES`), on some claim."""
    return user.active and Role(user.role) in ACTION_ROLES[action]


def is_own_draft(user: Actor, drafter_id: int) -> bool:
    """The two-person rule: nobody approves or returns a verdict they drafted."""
    return drafter_id == user.id


def may_decide(user: Actor, action: Action, drafter_id: int) -> bool:
    """Whether `user` may approve or return (`action`) a verdict `drafter_id` drafted: a role
    that decides, and not its drafter (`is_own_draft`)."""
    return role_may(user, action) and not is_own_draft(user, drafter_id)


def _transition_ok(claim: ClaimLike, action: Action) -> bool:
    return next_status(ClaimStatus(claim.status), action) is not None


def roles_that_may(action: Action) -> list[str]:
    """The role values `role_may` allows `action` (for a query: who is told of a draft)."""
    return sorted(role.value for role in ACTION_ROLES[action])


def is_desk_editor(user: Actor) -> bool:
    """An active editor or admin: the desk-wide pages and tools (exports, reports, claimant
    records, importing, feeds) and the pages of actions only editors take."""
    return user.active and is_editor(user.role)


def is_administrator(user: Actor) -> bool:
    """An active admin: accounts, the rating scale, webhooks, failed jobs."""
    return user.active and Role(user.role) == Role.ADMIN


def can_import(user: Actor) -> bool:
    """A file opens many claims, with sources, at once: editors and admins, as for exports."""
    return is_desk_editor(user)


def can_work_on(user: Actor, claim: ClaimLike) -> bool:
    """Reviewers work on claims assigned to them; editors on any claim."""
    return user.active and (is_editor(user.role) or claim.assignee_id == user.id)


def can_edit_claim(user: Actor, claim: ClaimLike) -> bool:
    return can_work_on(user, claim) and claim.status != ClaimStatus.PUBLISHED


def can_edit_sources(user: Actor, claim: ClaimLike) -> bool:
    return can_work_on(user, claim) and claim.status in OPEN_STATUSES


def can_assign(user: Actor, claim: ClaimLike) -> bool:
    return role_may(user, Action.ASSIGN) and _transition_ok(claim, Action.ASSIGN)


def can_take(user: Actor, claim: ClaimLike) -> bool:
    return (
        role_may(user, Action.TAKE)
        and claim.assignee_id is None
        and _transition_ok(claim, Action.TAKE)
    )


def can_draft_verdict(user: Actor, claim: ClaimLike) -> bool:
    return (
        role_may(user, Action.SUBMIT_VERDICT)
        and can_work_on(user, claim)
        and _transition_ok(claim, Action.SUBMIT_VERDICT)
    )


def _decides_pending(user: Actor, claim: ClaimLike, action: Action) -> bool:
    pending = claim.pending_verdict
    return (
        pending is not None
        and _transition_ok(claim, action)
        and may_decide(user, action, pending.drafted_by_id)
    )


def can_approve(user: Actor, claim: ClaimLike) -> bool:
    return _decides_pending(user, claim, Action.APPROVE)


def can_return(user: Actor, claim: ClaimLike) -> bool:
    return _decides_pending(user, claim, Action.RETURN)


def can_reopen(user: Actor, claim: ClaimLike) -> bool:
    return role_may(user, Action.REOPEN) and _transition_ok(claim, Action.REOPEN)


def can_mark_not_checkable(user: Actor, claim: ClaimLike) -> bool:
    return (
        role_may(user, Action.MARK_NOT_CHECKABLE)
        and (claim.assignee_id is None or can_work_on(user, claim))
        and _transition_ok(claim, Action.MARK_NOT_CHECKABLE)
    )


def can_restore(user: Actor, claim: ClaimLike) -> bool:
    return role_may(user, Action.RESTORE) and _transition_ok(claim, Action.RESTORE)


def can_comment(user: Actor, claim: ClaimLike) -> bool:
    return user.active


def can_link_claims(user: Actor) -> bool:
    """Saying two claims are the same one (or not): any active member of the desk."""
    return user.active


def allowed_actions(user: Actor, claim: ClaimLike) -> frozenset[str]:
    """Every action name the user may take on the claim now, for templates to show buttons."""
    checks = {
        "edit": can_edit_claim,
        "edit_sources": can_edit_sources,
        "assign": can_assign,
        "take": can_take,
        "draft_verdict": can_draft_verdict,
        "approve": can_approve,
        "return": can_return,
        "reopen": can_reopen,
        "mark_not_checkable": can_mark_not_checkable,
        "restore": can_restore,
        "comment": can_comment,
    }
    return frozenset(name for name, check in checks.items() if check(user, claim))


def can_manage_claimants(user: Actor) -> bool:
    """Editing a claimant record and merging two change every claim that names them: editors."""
    return is_desk_editor(user)


def can_manage_feeds(user: Actor) -> bool:
    """Following a feed, stopping, or polling it now brings articles to the whole desk:
    editors."""
    return is_desk_editor(user)
