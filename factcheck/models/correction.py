"""Correction notes: why a published fact-check was reopened. They stay on the public record."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factcheck import limits

from .base import Base, UTCDateTime, length_check, utcnow

if TYPE_CHECKING:
    from .claim import Claim
    from .user import User


class Correction(Base):
    __table_args__ = (length_check("note", limits.CORRECTION_NOTE),)
    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    verdict_id: Mapped[int | None] = mapped_column(ForeignKey("verdicts.id"))
    note: Mapped[str] = mapped_column(Text)
    # The claim as it was published. The public log shows it while the claim is being revised,
    # never the draft the editors are working on.
    claim_text: Mapped[str | None] = mapped_column(String(limits.CLAIM_TEXT))
    # The sources as they were published (url, title, publisher, stance, excerpt each): the
    # public page keeps showing them, not the sources being revised.
    published_sources: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    claim: Mapped[Claim] = relationship(back_populates="corrections")
    created_by: Mapped[User] = relationship()
