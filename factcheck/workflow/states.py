"""The claim status machine as data: statuses, allowed transitions and who may trigger them.

No Flask and no SQLAlchemy here, so the rules can be read, tested and reused (web buttons, services,
CLI) from one place.
"""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A string enumeration whose members read well in forms and pages."""

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Role(LabelledEnum):
    REVIEWER = "reviewer"
    EDITOR = "editor"
    ADMIN = "admin"


class ClaimStatus(LabelledEnum):
    UNREVIEWED = "unreviewed"
    RESEARCHING = "researching"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    NOT_CHECKABLE = "not_checkable"


class ClaimType(LabelledEnum):
    ARREST = "arrest"
    ABUSE = "abuse"
    DEATH = "death"
    DENIAL = "denial"
    OFFICIAL_ACTION = "official_action"
    OTHER = "other"


class Rating(LabelledEnum):
    """Verdict ratings, best first. `value_on_scale` feeds ClaimReview's ratingValue (1..5)."""

    TRUE = "true"
    MOSTLY_TRUE = "mostly_true"
    MIXED = "mixed"
    MOSTLY_FALSE = "mostly_false"
    FALSE = "false"
    MISLEADING = "misleading"
    UNPROVEN = "unproven"

    @property
    def value_on_scale(self) -> int:
        return _RATING_SCALE[self]


_RATING_SCALE = {
    Rating.TRUE: 5,
    Rating.MOSTLY_TRUE: 4,
    Rating.MIXED: 3,
    Rating.UNPROVEN: 3,
    Rating.MOSTLY_FALSE: 2,
    Rating.MISLEADING: 2,
    Rating.FALSE: 1,
}
RATING_BEST = 5
RATING_WORST = 1

# The evidence a verdict needs before it may be submitted or approved: always at least one
# source, and at least one that supports or refutes the claim unless its rating says the
# evidence is missing ("unproven": only context, or nothing decisive, could be found).
RATINGS_WITHOUT_DECISIVE_SOURCE = frozenset({Rating.UNPROVEN})


class VerdictState(LabelledEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    RETURNED = "returned"
    SUPERSEDED = "superseded"


class Stance(LabelledEnum):
    SUPPORTS = "supports"
    REFUTES = "refutes"
    CONTEXT = "context"


class SourceKind(LabelledEnum):
    PRIMARY_DOCUMENT = "primary_document"
    OFFICIAL_STATEMENT = "official_statement"
    NEWS_REPORT = "news_report"
    NGO_REPORT = "ngo_report"
    INTERVIEW = "interview"
    DATASET = "dataset"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "ngo_report": "NGO / human-rights report",
        }.get(self.value, self.value.replace("_", " ").capitalize())


DECISIVE_STANCES = frozenset({Stance.SUPPORTS, Stance.REFUTES})


def evidence_problem(rating: Rating | str, stances: list[str]) -> str | None:
    """Why a verdict with this rating cannot rest on sources with these stances, or None."""
    if not stances:
        return "Add at least one source before submitting or approving a verdict."
    if Rating(rating) in RATINGS_WITHOUT_DECISIVE_SOURCE:
        return None
    if not any(Stance(stance) in DECISIVE_STANCES for stance in stances):
        return (
            f"A verdict rated {Rating(rating).label.lower()} needs at least one source that "
            "supports or refutes the claim (only an unproven rating may rest on context alone)."
        )
    return None


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

OPEN_STATUSES = frozenset({S.UNREVIEWED, S.RESEARCHING, S.IN_REVIEW})


def next_status(current: ClaimStatus, action: Action) -> ClaimStatus | None:
    """The status `action` leads to from `current`, or None when the transition is illegal."""
    return TRANSITIONS.get((ClaimStatus(current), action))


def is_editor(role: Role | str) -> bool:
    return Role(role) in (Role.EDITOR, Role.ADMIN)
