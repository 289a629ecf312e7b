"""Notifications: one row per person told about a change (a claim assigned to them, their
verdict returned or approved, a verdict awaiting approval), written in the same transaction as
the change (`workflow.notifications`), so a change rolled back tells nobody.

The row is also the e-mail outbox: `email_due_at` is set when its user wants this kind by
e-mail and has an address; the mailer (`factcheck.mailing`) claims due rows by moving
`email_due_at` past a lease, sends, and sets `emailed_at` (clearing `email_due_at`). A row whose
e-mail failed is tried again after the lease, at most `MAX_EMAIL_ATTEMPTS` times."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from factcheck import limits
from factcheck.vocabulary import NotificationKind

from .base import Base, UTCDateTime, enum_check, length_check, utcnow

KINDS = [kind.value for kind in NotificationKind]


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        enum_check("kind", KINDS),
        length_check("text", limits.NOTIFICATION_TEXT),
        # The list (newest first) and the unread count, per user.
        Index("ix_notifications_user_id_id", "user_id", "id"),
        Index("ix_notifications_email_due_at", "email_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(String(limits.NOTIFICATION_TEXT))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<Notification #{self.id} {self.kind} to user {self.user_id}>"


class EmailPreference(Base):
    """A kind of notification its user also wants by e-mail (no row: in the app only)."""

    __tablename__ = "email_preferences"
    __table_args__ = (enum_check("kind", KINDS),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(24), primary_key=True)
