"""Intake: feeds the desk follows, articles asked for by URL, and background jobs that failed.

The rows here are the durable record of background work: a queue message only says "look at
request #n" or "poll feed #n", so a job lost with a killed worker is found again and retried,
and a job run twice finds its work already done."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factcheck import limits
from factcheck.vocabulary import RequestStatus

from .base import Base, UTCDateTime, enum_check, length_check, utcnow

if TYPE_CHECKING:
    from .article import Article
    from .user import User

REQUEST_STATUSES = tuple(RequestStatus)


class Feed(Base):
    __tablename__ = "feeds"
    __table_args__ = (
        length_check("url", limits.URL),
        length_check("title", limits.TITLE),
        length_check("last_error", limits.FETCH_ERROR),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(limits.URL), unique=True)
    title: Mapped[str | None] = mapped_column(String(limits.TITLE))
    interval_minutes: Mapped[int] = mapped_column(Integer, default=60)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the feed is next due; later after each failure in a row (exponential backoff).
    next_poll_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(String(limits.FETCH_ERROR))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_new_count: Mapped[int] = mapped_column(Integer, default=0)
    articles_count: Mapped[int] = mapped_column(Integer, default=0)

    created_by: Mapped[User | None] = relationship()

    @property
    def display_title(self) -> str:
        return self.title or self.url


class IntakeRequest(Base):
    """An article asked for by URL, fetched by a background job."""

    __tablename__ = "intake_requests"
    __table_args__ = (
        enum_check("status", REQUEST_STATUSES),
        length_check("url", limits.URL),
        length_check("error", limits.FETCH_ERROR),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(limits.URL))
    status: Mapped[str] = mapped_column(String(20), default=RequestStatus.PENDING.value, index=True)
    error: Mapped[str | None] = mapped_column(String(limits.FETCH_ERROR))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When a worker last took it up: a pending request whose worker went silent for longer
    # than the lease is taken up again.
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    article: Mapped[Article | None] = relationship()


class ArticleAddress(Base):
    """An address an article was fetched from or is known by (its canonical URL, the URL asked
    for, a feed entry's link), as a SHA-256 of the URL: unique, so a story is taken in once
    and an address already known is not fetched again."""

    __tablename__ = "article_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    url_hash: Mapped[str] = mapped_column(String(64), unique=True)


class FailedJob(Base):
    """A background job that failed for good (its retries used up), for the admins' page."""

    __tablename__ = "failed_jobs"
    __table_args__ = (
        length_check("task", limits.JOB_TASK),
        length_check("error", limits.JOB_ERROR),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(String(limits.JOB_TASK))
    task_id: Mapped[str] = mapped_column(String(limits.JOB_ID))
    arguments: Mapped[str] = mapped_column(Text)
    error: Mapped[str] = mapped_column(String(limits.JOB_ERROR))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
