"""Failed sign-in counters, per (account, client) pair, per account name and per client address,
shared by every worker."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class LoginThrottle(Base):
    __tablename__ = "login_throttles"

    # "pair:<name>|<client>", "user:<lower-case name>" (known or not, so lockouts reveal
    # nothing) or "ip:<address>".
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    # Locks served so far: each next lock lasts twice as long (reset after a quiet day).
    locks: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Indexed: counters quiet for a day are swept away (workflow/throttle.py).
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, index=True
    )
