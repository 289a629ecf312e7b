"""Claimants: who made a claim, a person or an organisation, as a record claims link to."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factcheck import limits
from factcheck.vocabulary import ClaimantKind

from .base import Base, UTCDateTime, enum_check, length_check, utcnow

if TYPE_CHECKING:
    from .claim import Claim


class Claimant(Base):
    __tablename__ = "claimants"
    __table_args__ = (
        length_check("name", limits.CLAIMANT),
        length_check("description", limits.CLAIMANT_DESCRIPTION),
        enum_check("kind", [k.value for k in ClaimantKind]),
        Index("ix_claimants_name_key", "name_key"),
        Index("ix_claimants_merged_into_id", "merged_into_id"),
        # One live record per name (migration 0019): a racing twin's insert fails.
        Index(
            "uq_claimants_name_key",
            "name_key",
            unique=True,
            postgresql_where=text("merged_into_id IS NULL"),
            sqlite_where=text("merged_into_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(limits.CLAIMANT))
    # The name as matched (workflow.claimants.name_key): case, accents and punctuation aside.
    name_key: Mapped[str] = mapped_column(String(limits.CLAIMANT))
    # None until someone says which it is (records moved from free text by migration 0015).
    kind: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(String(limits.CLAIMANT_DESCRIPTION))
    # Addresses that identify the claimant (Wikidata, an official page): ClaimReview `sameAs`.
    same_as: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Set when merged into another record: its claims moved there; this one stays for links.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("claimants.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    claims: Mapped[list[Claim]] = relationship(back_populates="claimant_record")

    @property
    def kind_enum(self) -> ClaimantKind | None:
        return ClaimantKind(self.kind) if self.kind else None

    def __repr__(self) -> str:
        return f"<Claimant #{self.id} {self.name!r}>"
