"""The application's vocabulary: roles, claim statuses and types, ratings, verdict states,
source kinds and stances, and the claimant that stands for "the article itself".

A leaf module: it imports nothing of the application, so the models, the services, the queries,
the extractor and ClaimReview all spell these words from here. The status machine that moves
claims between these statuses is `factcheck.workflow.states`.
"""

from __future__ import annotations

from enum import StrEnum

# The claimant recorded when a statement is the article's own (ClaimReview then names no
# claimant). The extractor, which imports nothing of the application, spells it
# `extraction.attribution.ARTICLE`; tests/test_architecture.py keeps the two equal.
CLAIMANT_ARTICLE = "the article"


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


OPEN_STATUSES = frozenset({ClaimStatus.UNREVIEWED, ClaimStatus.RESEARCHING, ClaimStatus.IN_REVIEW})


class ClaimType(LabelledEnum):
    ARREST = "arrest"
    ABUSE = "abuse"
    DEATH = "death"
    DENIAL = "denial"
    OFFICIAL_ACTION = "official_action"
    OTHER = "other"


class Rating(LabelledEnum):
    """The ratings seeded by migration 0016, best first. The scale itself (labels, meanings,
    order, colours, numeric places) is the `ratings` table, which admins edit and extend; these
    slugs stay stable for the verdicts that use them, and the code names only UNPROVEN (the
    rating that may rest on context alone)."""

    TRUE = "true"
    MOSTLY_TRUE = "mostly_true"
    MIXED = "mixed"
    MOSTLY_FALSE = "mostly_false"
    FALSE = "false"
    MISLEADING = "misleading"
    UNPROVEN = "unproven"


# A rating's slug: lowercase words joined by underscores, kept short for the verdict column.
RATING_SLUG_PATTERN = r"^[a-z][a-z0-9_]{0,19}$"


class ArchiveStatus(LabelledEnum):
    """Where a source's snapshot at the archive service stands."""

    PENDING = "pending"
    ARCHIVED = "archived"
    FAILED = "failed"


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


def is_editor(role: Role | str) -> bool:
    return Role(role) in (Role.EDITOR, Role.ADMIN)


class HistoryAction(LabelledEnum):
    """The name of each history event (`HistoryEvent.action`, a column with no CHECK). Its
    `details` are built in `factcheck.workflow.events`, by `<action>_details` or a builder
    several actions share (`changes_details`, `user_details`)."""

    CLAIM_CREATED = "claim_created"
    CLAIM_EDITED = "claim_edited"
    ASSIGNED = "assigned"
    TAKEN = "taken"
    COMMENTED = "commented"
    SOURCE_ADDED = "source_added"
    SOURCE_EDITED = "source_edited"
    SOURCE_REMOVED = "source_removed"
    VERDICT_DRAFTED = "verdict_drafted"
    VERDICT_APPROVED = "verdict_approved"
    VERDICT_RETURNED = "verdict_returned"
    REOPENED = "reopened"
    MARKED_NOT_CHECKABLE = "marked_not_checkable"
    RESTORED = "restored"
    ARTICLE_ADDED = "article_added"
    USER_CREATED = "user_created"
    USER_ROLE_CHANGED = "user_role_changed"
    USER_ACTIVATED = "user_activated"
    USER_DEACTIVATED = "user_deactivated"
    PASSWORD_RESET = "password_reset"  # noqa: S105 -- event names, not secrets
    PASSWORD_CHANGED = "password_changed"  # noqa: S105
    API_TOKEN_CREATED = "api_token_created"  # noqa: S105
    API_TOKEN_REVOKED = "api_token_revoked"  # noqa: S105
    RATING_ADDED = "rating_added"
    RATING_CHANGED = "rating_changed"
    RATING_DELETED = "rating_deleted"


class RequestStatus(LabelledEnum):
    """An intake request's progress (an article asked for by URL)."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"
