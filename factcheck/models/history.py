"""The append-only reviewer history. Rows are only ever inserted; database triggers refuse
UPDATE and DELETE, and each row carries a hash chained to the previous event of its chain."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from .user import User


class HistoryEvent(Base):
    __tablename__ = "history_events"
    __table_args__ = (
        # One chain per claim ("claim:12") plus "system" for events about no claim. A unique
        # sequence number per chain means two racing writers cannot fork a chain.
        UniqueConstraint("chain", "seq", name="uq_history_events_chain_seq"),
        Index("ix_history_events_claim_id", "claim_id", "id"),
        Index("ix_history_events_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="RESTRICT"))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="RESTRICT"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    # The claim's version after this event: "what changed since version N" is a range query.
    claim_version: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    chain: Mapped[str] = mapped_column(String(40))
    seq: Mapped[int] = mapped_column(Integer)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship()
