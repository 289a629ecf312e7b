"""A user's notifications: the list, the unread count in the header, their e-mail choices."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factcheck.models import EmailPreference, Notification

LIST_LIMIT = 100  # the newest; older ones stay in the table


def unread_count(session: Session, user_id: int) -> int:
    return session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )


def latest(session: Session, user_id: int, limit: int = LIST_LIMIT) -> Sequence[Notification]:
    """The user's newest notifications, and only theirs."""
    return session.scalars(
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.id.desc())
        .limit(limit)
    ).all()


def email_kinds(session: Session, user_id: int) -> list[str]:
    """The kinds of notification the user wants by e-mail."""
    return list(
        session.scalars(
            select(EmailPreference.kind)
            .where(EmailPreference.user_id == user_id)
            .order_by(EmailPreference.kind)
        )
    )
