"""The claim status machine as data: statuses, allowed transitions and who may trigger them.

No Flask and no SQLAlchemy here, so the rules can be read, tested and reused (web buttons, services,
CLI) from one place.
"""

from __future__ import annotations

from enum import StrEnum

# The words themselves live in the leaf module `factcheck.vocabulary` (the models use them
# too); they are re-exported here, beside the rules that move claims between them.
from factcheck.vocabulary import (  # noqa: F401  (re-exported)
    OPEN_STATUSES,
    ClaimStatus,
    ClaimType,
    LabelledEnum,
    Rating,
    Role,
    SourceKind,
    Stance,
    VerdictState,
    is_editor,
)

# The evidence a verdict needs before it may be submitted or approved: always at least one
# source, and at least one that supports or refutes the claim unless its rating says the
# evidence is missing ("unproven": only context, or nothing decisive, could be found).
RATINGS_WITHOUT_DECISIVE_SOURCE = frozenset({Rating.UNPROVEN})


DECISIVE_STANCES = frozenset({Stance.SUPPORTS, Stance.REFUTES})


def evidence_problem(rating: Rating | str, stances: list[str]) -> str | None:
    """Why a verdict with this rating cannot rest on sources with these stances, or None."""
    if not stances:
        return "Add at least one source before submitting or approving a verdict."
    if rating in RATINGS_WITHOUT_DECISIVE_SOURCE:
        return None
    if not any(Stance(stance) in DECISIVE_STANCES for stance in stances):
        return (
            f"A verdict rated {str(rating).replace('_', ' ')} needs at least one source that "
            "supports or refutes the claim (only an unproven rating may rest on context alone)."
        )
    return None


def evidence_hint(stances: list[str]) -> str | None:
    """What the verdict form says before anything is submitted, while the claim's sources are
    not yet enough for most ratings (`evidence_problem`); None once one supports or refutes."""
    if any(Stance(stance) in DECISIVE_STANCES for stance in stances):
        return None
    return (
        "A verdict needs at least one source that supports or refutes the claim before it is "
        "submitted (only an unproven rating may rest on a source that gives context)."
    )


class Action(StrEnum):
    """What a workflow operation does to a claim's status; one row each in TRANSITIONS."""

    ASSIGN = "assign"
    TAKE = "take"
    SUBMIT_VERDICT = "submit_verdict"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"
    MARK_NOT_CHECKABLE = "mark_not_checkable"
    RESTORE = "restore"


S = ClaimStatus
# (from status, action) -> to status. Anything not listed is an illegal transition.
TRANSITIONS: dict[tuple[ClaimStatus, Action], ClaimStatus] = {
    (S.UNREVIEWED, Action.ASSIGN): S.RESEARCHING,
    (S.RESEARCHING, Action.ASSIGN): S.RESEARCHING,  # reassignment
    (S.IN_REVIEW, Action.ASSIGN): S.IN_REVIEW,  # reassignment while a draft waits
    (S.UNREVIEWED, Action.TAKE): S.RESEARCHING,
    (S.RESEARCHING, Action.SUBMIT_VERDICT): S.IN_REVIEW,
    (S.IN_REVIEW, Action.APPROVE): S.PUBLISHED,
    (S.IN_REVIEW, Action.RETURN): S.RESEARCHING,
    (S.PUBLISHED, Action.REOPEN): S.RESEARCHING,
    (S.UNREVIEWED, Action.MARK_NOT_CHECKABLE): S.NOT_CHECKABLE,
    (S.NOT_CHECKABLE, Action.RESTORE): S.UNREVIEWED,
}

# Which roles may perform each action at all (object-level rules live in the predicates below).
ACTION_ROLES: dict[Action, frozenset[Role]] = {
    Action.ASSIGN: frozenset({Role.EDITOR, Role.ADMIN}),
    Action.TAKE: frozenset({Role.REVIEWER, Role.EDITOR, Role.ADMIN}),
    Action.SUBMIT_VERDICT: frozenset({Role.REVIEWER, Role.EDITOR, Role.ADMIN}),
    Action.APPROVE: frozenset({Role.EDITOR, Role.ADMIN}),
    Action.RETURN: frozenset({Role.EDITOR, Role.ADMIN}),
    Action.REOPEN: frozenset({Role.EDITOR, Role.ADMIN}),
    Action.MARK_NOT_CHECKABLE: frozenset({Role.REVIEWER, Role.EDITOR, Role.ADMIN}),
    Action.RESTORE: frozenset({Role.EDITOR, Role.ADMIN}),
}


def next_status(current: ClaimStatus, action: Action) -> ClaimStatus | None:
    """The status `action` leads to from `current`, or None when the transition is illegal."""
    return TRANSITIONS.get((ClaimStatus(current), action))
