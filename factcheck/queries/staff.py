"""People: the active staff (assignee filters and choices) and the accounts page's list."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.models import User


def active_staff(session: Session) -> list[User]:
    """Everyone who can be assigned a claim, by display name."""
    return list(
        session.scalars(select(User).where(User.active.is_(True)).order_by(User.display_name))
    )


def all_accounts(session: Session) -> list[User]:
    """Every account, active or not, grouped by role."""
    return list(session.scalars(select(User).order_by(User.role, User.username)))


def account(session: Session, user_id: int | None) -> User | None:
    return session.get(User, user_id) if user_id else None
