"""Claims per status, kept up to date by database triggers on `claims` (migration 0004), so the
claims list's status tabs read a handful of rows instead of counting every claim."""

from __future__ import annotations

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class ClaimStatusCount(Base):
    __tablename__ = "claim_status_counts"

    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    claims: Mapped[int] = mapped_column(Integer, default=0)


class ClaimTally(Base):
    """The report's per-claim figures as counts, kept by triggers on `claims` (migration
    0021): claims per `figure` (`queries/report_tallies.py` names them), type, key and detail."""

    __tablename__ = "claim_tallies"
    # The report's top lists (articles, claimants): the largest totals first.
    __table_args__ = (Index("ix_claim_tallies_largest", "figure", "claim_type", "claims"),)

    figure: Mapped[str] = mapped_column(String(12), primary_key=True)
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    claim_type: Mapped[str] = mapped_column(String(20), primary_key=True)
    detail: Mapped[str] = mapped_column(String(40), primary_key=True)
    claims: Mapped[int] = mapped_column(Integer)
