"""One-time form tokens: each create form carries a nonce, stored here in the same transaction
as what it created, so a second submission of the same form (a double click, a resent request)
finds it and is sent to the first one's result instead of creating a duplicate."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class FormSubmission(Base):
    __tablename__ = "form_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # Where the first submission's result is shown (a path inside the app).
    result_path: Mapped[str] = mapped_column(String(500))
    # Indexed: tokens outlive their forms' CSRF tokens by a margin, then are swept.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
