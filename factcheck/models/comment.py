"""Comments: reviewers' and editors' discussion on a claim."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factcheck import limits

from .base import Base, UTCDateTime, length_check, utcnow

if TYPE_CHECKING:
    from .claim import Claim
    from .user import User


class Comment(Base):
    __table_args__ = (length_check("body", limits.COMMENT_BODY),)
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="comments")
    author: Mapped[User] = relationship()
