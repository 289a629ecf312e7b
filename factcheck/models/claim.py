"""Claims: one checkable statement each, the unit that moves through the review workflow."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factcheck import limits
from factcheck.vocabulary import ClaimOrigin, ClaimStatus, ClaimType, VerdictState

from .base import Base, UTCDateTime, enum_check, length_check, utcnow

if TYPE_CHECKING:
    from .article import Article
    from .claimant import Claimant
    from .comment import Comment
    from .correction import Correction
    from .source import Source
    from .user import User
    from .verdict import Verdict

CLAIM_ORIGINS = tuple(origin.value for origin in ClaimOrigin)


class Claim(Base):
    __tablename__ = "claims"
    __table_args__ = (
        length_check("text", limits.CLAIM_TEXT),
        length_check("quote", limits.QUOTE),
        length_check("claimant", limits.CLAIMANT),
        length_check("short_text", limits.CLAIM_SHORT_TEXT),
        length_check("status_note", limits.STATUS_NOTE),
        enum_check("status", [s.value for s in ClaimStatus]),
        enum_check("claim_type", [t.value for t in ClaimType]),
        enum_check("origin", CLAIM_ORIGINS),
        CheckConstraint(
            f"priority BETWEEN {limits.SCALE_MIN} AND {limits.SCALE_MAX}", name="priority_range"
        ),
        CheckConstraint(
            "(span_start IS NULL AND span_end IS NULL) OR "
            "(span_start IS NOT NULL AND span_end IS NOT NULL AND span_start >= 0 "
            "AND span_end > span_start AND article_id IS NOT NULL)",
            name="span_consistent",
        ),
        CheckConstraint(
            "status <> 'not_checkable' OR status_note IS NOT NULL",
            name="not_checkable_has_reason",
        ),
        CheckConstraint(
            "(status = 'published') = (published_rating IS NOT NULL)",
            name="published_has_rating",
        ),
        Index("ix_claims_status_priority", "status", "priority", "id"),
        Index("ix_claims_last_activity", "last_activity_at", "id"),
        Index("ix_claims_due_date", "due_date", "id"),
        Index("ix_claims_assignee_status", "assignee_id", "status"),
        Index("ix_claims_article_span", "article_id", "span_start"),
        Index("ix_claims_type_status", "claim_type", "status"),
        Index("ix_claims_rating_priority", "published_rating", "priority", "id"),
        # The list's status tabs sorted by activity or priority, aging and publication figures.
        Index("ix_claims_status_activity", "status", "last_activity_at", "id"),
        Index("ix_claims_priority", "priority", "id"),
        Index("ix_claims_claimant_id", "claimant_id", "status"),
        Index("ix_claims_published", "status", "published_at", "published_rating", "created_at"),
        # The list filtered by type or by assignee, in its default order (migration 0021), and
        # the queue: each of a person's working statuses by due date (dated, then undated).
        Index("ix_claims_type_priority", "claim_type", "priority", "id"),
        Index("ix_claims_assignee_priority", "assignee_id", "priority", "id"),
        Index("ix_claims_assignee_due", "assignee_id", "status", "due_date", "priority", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable identity for seeded/imported claims ("chechnya-2017:C16"), so reloading is idempotent.
    external_key: Mapped[str | None] = mapped_column(String(limits.EXTERNAL_KEY), unique=True)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="RESTRICT"))
    text: Mapped[str] = mapped_column(String(limits.CLAIM_TEXT))
    quote: Mapped[str | None] = mapped_column(Text)
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    # The claimant as written (by the extractor or a person); `claimant_id` is the record a
    # reviewer confirmed it to be (models/claimant.py), which ClaimReview and reports read.
    claimant: Mapped[str | None] = mapped_column(String(limits.CLAIMANT))
    # No ON DELETE: records are never deleted (merged ones stay), and SQLite's ADD COLUMN
    # (migration 0015) keeps no ON DELETE that Alembic could read back.
    claimant_id: Mapped[int | None] = mapped_column(ForeignKey("claimants.id"))
    # ClaimReview's `claimReviewed` (consumers cut it past 75 characters); None: a cut of `text`.
    short_text: Mapped[str | None] = mapped_column(String(limits.CLAIM_SHORT_TEXT))
    claim_type: Mapped[str] = mapped_column(String(20), default=ClaimType.OTHER.value)
    status: Mapped[str] = mapped_column(String(20), default=ClaimStatus.UNREVIEWED.value)
    # Why it is not checkable; kept while the status says so.
    status_note: Mapped[str | None] = mapped_column(String(limits.STATUS_NOTE))
    priority: Mapped[int] = mapped_column(Integer, default=3)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_date: Mapped[date | None] = mapped_column(Date)
    # Denormalised from the approved verdict so lists and reports can filter without a join.
    published_rating: Mapped[str | None] = mapped_column(
        ForeignKey("ratings.slug", ondelete="RESTRICT")
    )
    # First publication; a corrected re-approval keeps it and sets `revised_at` (dateModified).
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    origin: Mapped[str] = mapped_column(String(20), default=ClaimOrigin.MANUAL.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Any activity (sources, comments too), for "last activity" sorting and aging reports.
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Optimistic lock. The application bumps it on every meaningful change (see workflow.claims);
    # SQLAlchemy adds "WHERE version = <loaded>" to each UPDATE, so a racing writer fails loudly.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    article: Mapped[Article | None] = relationship(back_populates="claims")
    claimant_record: Mapped[Claimant | None] = relationship(back_populates="claims")
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    sources: Mapped[list[Source]] = relationship(
        back_populates="claim", order_by="Source.id", cascade="all, delete-orphan"
    )
    verdicts: Mapped[list[Verdict]] = relationship(
        back_populates="claim", order_by="Verdict.id", cascade="all, delete-orphan"
    )
    comments: Mapped[list[Comment]] = relationship(
        back_populates="claim", order_by="Comment.id", cascade="all, delete-orphan"
    )
    corrections: Mapped[list[Correction]] = relationship(
        back_populates="claim", order_by="Correction.id", cascade="all, delete-orphan"
    )

    @property
    def status_enum(self) -> ClaimStatus:
        return ClaimStatus(self.status)

    @property
    def approved_verdict(self) -> Verdict | None:
        return next((v for v in self.verdicts if v.state == VerdictState.APPROVED), None)

    @property
    def pending_verdict(self) -> Verdict | None:
        return next((v for v in self.verdicts if v.state == VerdictState.DRAFT), None)

    def __repr__(self) -> str:
        return f"<Claim #{self.id} {self.status}>"
