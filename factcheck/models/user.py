"""Accounts: reviewers research, editors assign and approve, admins manage accounts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from factcheck import limits
from factcheck.vocabulary import Role, is_editor

from .base import Base, UTCDateTime, enum_check, utcnow


class User(Base):
    __tablename__ = "users"
    __table_args__ = (enum_check("role", [r.value for r in Role]),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(limits.USERNAME), unique=True)
    display_name: Mapped[str] = mapped_column(String(limits.DISPLAY_NAME))
    email: Mapped[str | None] = mapped_column(String(limits.EMAIL))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.REVIEWER.value)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped by logout-everywhere, password reset and deactivation: old cookies stop working.
    session_generation: Mapped[int] = mapped_column(Integer, default=0)
    # Set on the first admin, whose password was printed: every page asks for a new one.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    # Flask-Login protocol, kept here so the model needs no Flask import.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_generation}"

    @property
    def is_editor(self) -> bool:
        return is_editor(self.role)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role})>"
