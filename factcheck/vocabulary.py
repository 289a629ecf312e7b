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


class ClaimOrigin(LabelledEnum):
    """How a claim came to the desk (`Claim.origin`, and its claim_created event's `origin`)."""

    MANUAL = "manual"
    SEED = "seed"
    EXTRACTION = "extraction"
    IMPORT = "import"
    DEMO = "demo"


class TokenScope(LabelledEnum):
    """What an API token may do (`ApiToken.scope`): write includes read."""

    READ = "read"
    WRITE = "write"


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
    WEBHOOK_CREATED = "webhook_created"
    WEBHOOK_CHANGED = "webhook_changed"
    WEBHOOK_SECRET_ROTATED = "webhook_secret_rotated"  # noqa: S105
    CLAIMS_LINKED = "claims_linked"
    CLAIMS_UNLINKED = "claims_unlinked"
    CLAIMANT_CREATED = "claimant_created"
    CLAIMANT_EDITED = "claimant_edited"
    CLAIMANTS_MERGED = "claimants_merged"
    RATING_ADDED = "rating_added"
    RATING_CHANGED = "rating_changed"
    RATING_DELETED = "rating_deleted"


class ClaimantKind(LabelledEnum):
    """What a claimant record is; ClaimReview names it a schema.org Person or Organization."""

    PERSON = "person"
    ORGANISATION = "organisation"

    @property
    def schema_type(self) -> str:
        return "Person" if self is ClaimantKind.PERSON else "Organization"


class NotificationKind(LabelledEnum):
    """What a notification tells its user (`notifications.kind`, a CHECK); each user chooses
    which kinds also reach them by e-mail (`email_preferences`)."""

    ASSIGNED = "assigned"  # a claim was assigned to you
    VERDICT_RETURNED = "verdict_returned"  # your verdict (or your claim's) was returned
    AWAITING_APPROVAL = "awaiting_approval"  # a verdict waits for an editor's decision
    VERDICT_APPROVED = "verdict_approved"  # the verdict you drafted was approved

    @property
    def label(self) -> str:
        return {
            "assigned": "A claim is assigned to me",
            "verdict_returned": "A verdict of mine is returned",
            "awaiting_approval": "A verdict awaits approval (editors)",
            "verdict_approved": "A verdict I drafted is approved",
        }[self.value]


class RequestStatus(LabelledEnum):
    """An intake request's progress (an article asked for by URL)."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class WebhookEvent(LabelledEnum):
    """What a webhook endpoint can subscribe to (`webhook_endpoints.events`), and the `type` of
    each delivery; TEST is the admin's "send test event", sent whatever the subscription."""

    CLAIM_PUBLISHED = "claim.published"
    CLAIM_CORRECTED = "claim.corrected"
    CLAIM_RETURNED = "claim.returned"
    CLAIM_ASSIGNED = "claim.assigned"
    ARTICLE_ADDED = "article.added"
    TEST = "test"

    @property
    def label(self) -> str:
        return self.value.replace(".", " ").capitalize()


class DeliveryStatus(LabelledEnum):
    """A webhook delivery's progress: pending until a 2xx answer (delivered) or until its
    attempts are used up (failed)."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class ExtractionState(LabelledEnum):
    """A long article's suggestions, extracted by a background job (a short article's are
    extracted when its page is shown: the state is then NULL)."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"
