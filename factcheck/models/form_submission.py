"""One-time form tokens: each create form carries a nonce, stored here in the same transaction
as what it created, so a second submission of the same form (a double click, a resent request)
finds it and is sent to the first one's result instead of creating a duplicate."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
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


class KeptForm(Base):
    """A form refused by a conflict, kept for the GET it is sent to (`?kept=key`, so a reload
    shows it again and never posts it again): the user's input and what clashed, read on each
    GET until the user's next successful save
    (`workflow/submissions.keep_form`), swept after a few minutes."""

    __tablename__ = "kept_forms"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
