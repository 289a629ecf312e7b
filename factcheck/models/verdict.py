"""Verdicts: a rating with its rationale, drafted by one person and decided by another."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factcheck import limits
from factcheck.vocabulary import VerdictState

from .base import Base, UTCDateTime, enum_check, length_check, utcnow

if TYPE_CHECKING:
    from .claim import Claim
    from .user import User


class Verdict(Base):
    __tablename__ = "verdicts"
    __table_args__ = (
        length_check("summary", limits.VERDICT_SUMMARY),
        length_check("rationale", limits.RATIONALE),
        length_check("return_reason", limits.RETURN_REASON),
        enum_check("state", [s.value for s in VerdictState]),
        CheckConstraint(
            "state NOT IN ('approved', 'superseded') OR "
            "(decided_by_id IS NOT NULL AND decided_at IS NOT NULL)",
            name="decided_has_decider",
        ),
        CheckConstraint(
            "decided_by_id IS NULL OR state = 'returned' OR decided_by_id <> drafted_by_id",
            name="two_person_rule",
        ),
        CheckConstraint(
            "state <> 'returned' OR return_reason IS NOT NULL", name="returned_has_reason"
        ),
        # The editors' queue: drafts in the order they were submitted.
        Index("ix_verdicts_state_drafted", "state", "drafted_at", "claim_id"),
        # At most one approved (current) verdict per claim.
        Index(
            "uq_verdicts_one_approved",
            "claim_id",
            unique=True,
            sqlite_where=text("state = 'approved'"),
            postgresql_where=text("state = 'approved'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    # A label of the admins' scale (`ratings.slug`), which cannot be deleted while in use.
    rating: Mapped[str] = mapped_column(ForeignKey("ratings.slug", ondelete="RESTRICT"))
    summary: Mapped[str] = mapped_column(String(limits.VERDICT_SUMMARY))
    rationale: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), default=VerdictState.DRAFT.value)
    drafted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    drafted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    return_reason: Mapped[str | None] = mapped_column(String(limits.RETURN_REASON))

    claim: Mapped[Claim] = relationship(back_populates="verdicts")
    drafted_by: Mapped[User] = relationship(foreign_keys=[drafted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
