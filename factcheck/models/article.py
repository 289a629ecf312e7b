"""Articles: the news text that claims are taken from."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factcheck import limits
from factcheck.vocabulary import ExtractionState

from .base import Base, UTCDateTime, enum_check, length_check, utcnow

if TYPE_CHECKING:
    from .claim import Claim
    from .intake import Feed
    from .user import User


class Article(Base):
    __table_args__ = (
        length_check("text", limits.ARTICLE_TEXT),
        length_check("title", limits.TITLE),
        length_check("publisher", limits.PUBLISHER),
        length_check("author", limits.AUTHOR),
        length_check("url", limits.URL),
        enum_check("extraction_state", [s.value for s in ExtractionState]),
    )
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A stable key for seeded or imported articles, so loading them twice creates no duplicate.
    slug: Mapped[str | None] = mapped_column(String(limits.SLUG), unique=True)
    title: Mapped[str | None] = mapped_column(String(limits.TITLE))
    publisher: Mapped[str | None] = mapped_column(String(limits.PUBLISHER))
    author: Mapped[str | None] = mapped_column(String(limits.AUTHOR))
    url: Mapped[str | None] = mapped_column(String(limits.URL))
    published_on: Mapped[date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Articles fetched from the web (by URL or from a feed): where the page says it lives, and
    # a hash of the text, unique, so the same story is taken in once (its addresses, also
    # unique, are in `article_addresses`).
    canonical_url: Mapped[str | None] = mapped_column(String(limits.URL))
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True, unique=True)
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("feeds.id"), index=True)
    # A long article's suggestions come from a background job (`workflow.candidates`): its
    # progress, and the extractor's output it stored (NULL for a short article).
    extraction_state: Mapped[str | None] = mapped_column(String(10), index=True)
    extraction: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)

    created_by: Mapped[User | None] = relationship()
    feed: Mapped[Feed | None] = relationship()
    claims: Mapped[list[Claim]] = relationship(
        back_populates="article", order_by="Claim.span_start"
    )

    @property
    def display_title(self) -> str:
        return self.title or f"Article #{self.id}"
