"""Links between claims a reviewer found to be the same claim ("same claim as #123"): one row
per pair, the lower id first, so a pair is stored once whichever page linked it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class ClaimLink(Base):
    __tablename__ = "claim_links"
    __table_args__ = (
        CheckConstraint("claim_id < other_id", name="ordered_pair"),
        UniqueConstraint("claim_id", "other_id"),
        Index("ix_claim_links_other", "other_id", "claim_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    other_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
