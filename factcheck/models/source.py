"""Sources: the evidence a reviewer attaches to a claim, with its stance toward it."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factcheck import limits
from factcheck.vocabulary import ArchiveStatus, SourceKind, Stance

from .base import Base, UTCDateTime, enum_check, length_check, utcnow

if TYPE_CHECKING:
    from .claim import Claim
    from .user import User


class Source(Base):
    __tablename__ = "sources"
    __table_args__ = (
        length_check("url", limits.URL),
        length_check("title", limits.TITLE),
        length_check("publisher", limits.PUBLISHER),
        length_check("archive_url", limits.URL),
        length_check("excerpt", limits.SOURCE_EXCERPT),
        enum_check("kind", [k.value for k in SourceKind]),
        enum_check("stance", [s.value for s in Stance]),
        enum_check("archive_status", [s.value for s in ArchiveStatus]),
        length_check("archive_error", limits.ARCHIVE_ERROR),
        CheckConstraint(
            f"reliability BETWEEN {limits.SCALE_MIN} AND {limits.SCALE_MAX}",
            name="reliability_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(limits.URL))
    title: Mapped[str] = mapped_column(String(limits.TITLE))
    publisher: Mapped[str | None] = mapped_column(String(limits.PUBLISHER))
    kind: Mapped[str] = mapped_column(String(20), default=SourceKind.OTHER.value)
    published_on: Mapped[date | None] = mapped_column(Date)
    accessed_on: Mapped[date | None] = mapped_column(Date)
    archive_url: Mapped[str | None] = mapped_column(String(limits.URL))
    # The snapshot asked of the archive service when the source was added (jobs.archive_source):
    # NULL when none was asked (an archive URL given by hand), else pending, archived or failed.
    archive_status: Mapped[str | None] = mapped_column(String(10))
    archive_error: Mapped[str | None] = mapped_column(String(limits.ARCHIVE_ERROR))
    archive_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    excerpt: Mapped[str | None] = mapped_column(Text)
    stance: Mapped[str] = mapped_column(String(10))
    reliability: Mapped[int] = mapped_column(Integer, default=3)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Optimistic lock, like the claim's: the edit form carries the version the user loaded.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    claim: Mapped[Claim] = relationship(back_populates="sources")
    added_by: Mapped[User | None] = relationship()
