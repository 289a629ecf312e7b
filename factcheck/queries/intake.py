"""Read-side queries for the intake pages: feeds, what a feed brought, failed background work."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from factcheck.models import Article, FailedJob, Feed, IntakeRequest
from factcheck.vocabulary import RequestStatus


def feeds(session: Session) -> list[Feed]:
    return list(session.scalars(select(Feed).order_by(Feed.title, Feed.url)))


def feed(session: Session, feed_id: int) -> Feed | None:
    return session.get(Feed, feed_id)


def feed_articles(session: Session, feed_id: int, limit: int = 50) -> list[Article]:
    """The newest articles the feed brought."""
    return list(
        session.scalars(
            select(Article)
            .where(Article.feed_id == feed_id)
            .order_by(Article.id.desc())
            .limit(limit)
        )
    )


def intake_request(session: Session, request_id: int) -> IntakeRequest | None:
    return session.get(IntakeRequest, request_id)


def failed_work(session: Session, limit: int = 100):
    """What an admin should look at: jobs that failed for good, URL requests that failed, and
    feeds failing now."""
    jobs = list(session.scalars(select(FailedJob).order_by(FailedJob.id.desc()).limit(limit)))
    requests = list(
        session.scalars(
            select(IntakeRequest)
            .options(joinedload(IntakeRequest.article))
            .where(IntakeRequest.status == RequestStatus.FAILED)
            .order_by(IntakeRequest.id.desc())
            .limit(limit)
        )
    )
    failing = list(
        session.scalars(select(Feed).where(Feed.failures > 0).order_by(Feed.failures.desc()))
    )
    return jobs, requests, failing
