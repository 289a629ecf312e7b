"""The append-only reviewer history. Rows are only ever inserted; database triggers refuse
UPDATE and DELETE, and each row carries a hash chained to the previous event of its chain."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
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


class HistoryChainHead(Base):
    """Each chain's anchor: how many events it has and the hash of its last one, updated in the
    same transaction as every append. Appends lock this row (`SELECT ... FOR UPDATE` on
    PostgreSQL), so two writers of one chain queue instead of racing for the next sequence
    number; `verify-history` compares it with the events, so a deleted tail or a deleted chain
    shows. Triggers refuse DELETE, TRUNCATE and any UPDATE that does not move `seq` forward.
    `hmac` is HMAC-SHA256 over `chain|seq|hash` with FACTCHECK_HISTORY_KEY, kept outside the
    database, when that key is set: a rewrite with recomputed hashes then shows too."""

    __tablename__ = "history_chain_heads"
    __table_args__ = (CheckConstraint("seq >= 1", name="seq_positive"),)

    chain: Mapped[str] = mapped_column(String(40), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    hmac: Mapped[str | None] = mapped_column(String(64))
