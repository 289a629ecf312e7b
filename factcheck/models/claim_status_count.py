"""Claims per status, kept up to date by database triggers on `claims` (migration 0004), so the
claims list's status tabs read a handful of rows instead of counting every claim."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class ClaimStatusCount(Base):
    __tablename__ = "claim_status_counts"

    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    claims: Mapped[int] = mapped_column(Integer, default=0)
