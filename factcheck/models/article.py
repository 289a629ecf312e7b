"""Articles: the news text that claims are taken from."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factcheck import limits

from .base import Base, UTCDateTime, length_check, utcnow

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

    created_by: Mapped[User | None] = relationship()
    feed: Mapped[Feed | None] = relationship()
    claims: Mapped[list[Claim]] = relationship(
        back_populates="article", order_by="Claim.span_start"
    )

    @property
    def display_title(self) -> str:
        return self.title or f"Article #{self.id}"
