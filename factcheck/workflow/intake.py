"""Intake: articles asked for by URL, feeds the desk follows, and taking a fetched page in once.

Plain services like the rest of the workflow: they take a session (and an actor), check the
rules, change rows and flush; they never commit and never touch the network (the jobs in
`factcheck/intake/runs.py` fetch between two of their transactions)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from factcheck import limits
from factcheck.intake.fetch import FetchError, Policy, check_url
from factcheck.intake.page import PageData, content_hash, url_hash
from factcheck.models import Article, ArticleAddress, Feed, IntakeRequest, User
from factcheck.vocabulary import RequestStatus

from . import permissions as can
from .articles import ArticleInput, create_article
from .errors import NotFound, PermissionDenied, ValidationFailed, flush_unique
from .sources import check_web_url

MIN_INTERVAL_MINUTES = 5
MAX_INTERVAL_MINUTES = 7 * 24 * 60
MAX_BACKOFF = timedelta(days=1)
ENTRIES_PER_POLL = 20  # the newest entries of a feed looked at on each poll
MAX_ATTEMPTS = 6  # a URL request taken up this often without finishing is given up


def checked_url(url: str | None, policy: Policy, field: str = "url") -> str:
    """A well-formed web address whose host may be fetched (SSRF guard), else an error at
    `field`. The fetch checks every hop again; this gives the person an answer at once."""
    value = check_web_url(url, field, required=True)
    assert value is not None  # noqa: S101 - required=True
    try:
        check_url(value, policy)
    except FetchError as exc:
        raise ValidationFailed(str(exc), field=field) from None
    return value


# --- articles by URL ------------------------------------------------------------------------


def request_article(
    session: Session, actor: User, url: str | None, policy: Policy
) -> IntakeRequest:
    """Ask for the article at `url`; a background job fetches it."""
    request = IntakeRequest(url=checked_url(url, policy), created_by_id=actor.id)
    session.add(request)
    session.flush()
    return request


def take_up(session: Session, request_id: int, now: datetime) -> str | None:
    """A worker starts on the request: the URL to fetch, or None when it is done already."""
    request = session.get(IntakeRequest, request_id, with_for_update=True)
    if request is None or request.status != RequestStatus.PENDING:
        return None
    if request.attempts >= MAX_ATTEMPTS:
        fail_request(session, request_id, f"Gave up after {request.attempts} attempts.", now)
        return None
    request.started_at = now
    request.attempts += 1
    session.flush()
    return request.url


def complete_request(
    session: Session,
    request_id: int,
    page: PageData | None,
    fetched_url: str,
    now: datetime,
    extract_later_from: int | None = None,
) -> Article | None:
    """The fetched page becomes the request's article (or the one already on the desk).
    Without a page: done if the address asked for is known already (nothing to fetch)."""
    request = session.get(IntakeRequest, request_id, with_for_update=True)
    if request is None or request.status != RequestStatus.PENDING:
        return None
    if page is None:
        article = existing_article(session, request.url)
        if article is None:
            return None
    else:
        actor = session.get(User, request.created_by_id) if request.created_by_id else None
        article, _created = take_in(
            session,
            actor,
            page,
            [fetched_url, request.url],
            origin="url",
            extract_later_from=extract_later_from,
        )
    request.status = RequestStatus.DONE.value
    request.article_id = article.id
    request.error = None
    request.finished_at = now
    session.flush()
    return article


def fail_request(session: Session, request_id: int, message: str, now: datetime) -> None:
    request = session.get(IntakeRequest, request_id, with_for_update=True)
    if request is None or request.status != RequestStatus.PENDING:
        return
    request.status = RequestStatus.FAILED.value
    request.error = message[: limits.FETCH_ERROR]
    request.finished_at = now
    session.flush()


def stalled_requests(session: Session, now: datetime, lease: timedelta) -> list[int]:
    """Pending requests no worker is on: taken up (or asked for) longer ago than the lease, so
    their worker was lost (killed, restarted) or their queue message never arrived."""
    cutoff = now - lease
    return list(
        session.scalars(
            select(IntakeRequest.id).where(
                IntakeRequest.status == RequestStatus.PENDING,
                or_(
                    IntakeRequest.started_at < cutoff,
                    IntakeRequest.started_at.is_(None) & (IntakeRequest.created_at < cutoff),
                ),
            )
        )
    )


# --- taking a page in, once -----------------------------------------------------------------


def existing_article(session: Session, *urls: str, text: str | None = None) -> Article | None:
    """The article already known by one of these addresses, or with the same text."""
    hashes = sorted({url_hash(u) for u in urls if u})
    conditions = []
    if hashes:
        known = select(ArticleAddress.article_id).where(ArticleAddress.url_hash.in_(hashes))
        conditions.append(Article.id.in_(known))
    if text is not None:
        conditions.append(Article.content_hash == content_hash(text))
    if not conditions:
        return None
    return session.scalars(select(Article).where(or_(*conditions)).limit(1)).first()


def take_in(
    session: Session,
    actor: User | None,
    page: PageData,
    addresses: Iterable[str],
    *,
    origin: str,
    feed: Feed | None = None,
    extract_later_from: int | None = None,
) -> tuple[Article, bool]:
    """Create the article for a fetched page, unless the desk has it already (known by one of
    its addresses: the canonical URL, the one fetched or asked for; or the same text): (the
    article, whether it is new). The unique hashes make a second worker racing this one fail
    at its insert and find the first one's article instead."""
    urls = list(dict.fromkeys([page.canonical_url, *addresses]))
    found = existing_article(session, *urls, text=page.text)
    if found is None:
        try:
            with session.begin_nested():
                article = create_article(
                    session,
                    actor,
                    ArticleInput(
                        text=page.text,
                        title=page.title,
                        publisher=page.publisher,
                        author=page.author,
                        url=page.canonical_url,
                        published_on=page.published_on,
                    ),
                    origin=origin,
                    extract_later_from=extract_later_from,
                )
                article.canonical_url = page.canonical_url
                article.content_hash = content_hash(page.text)
                article.feed_id = feed.id if feed else None
                session.add_all(
                    ArticleAddress(article_id=article.id, url_hash=url_hash(u)) for u in urls
                )
                session.flush()
            return article, True
        except IntegrityError:
            found = existing_article(session, *urls, text=page.text)
            if found is None:
                raise
    remember_addresses(session, found, urls)
    return found, False


def remember_addresses(session: Session, article: Article, urls: Iterable[str]) -> None:
    """Record more addresses of a known article (a feed's link to it, say), so they are not
    fetched again; one known already (or by another article) is left as it is."""
    known = set(
        session.scalars(
            select(ArticleAddress.url_hash).where(
                ArticleAddress.url_hash.in_([url_hash(u) for u in urls])
            )
        )
    )
    for digest in dict.fromkeys(url_hash(u) for u in urls):
        if digest in known:
            continue
        try:
            with session.begin_nested():
                session.add(ArticleAddress(article_id=article.id, url_hash=digest))
                session.flush()
        except IntegrityError:
            continue  # a racing worker recorded it first


# --- feeds ----------------------------------------------------------------------------------


@dataclass
class FeedInput:
    url: str | None
    interval_minutes: int = 60
    title: str | None = None


def subscribe(session: Session, actor: User, data: FeedInput, policy: Policy) -> Feed:
    """Follow a feed (editors and admins); it is polled at once, then every interval."""
    if not can.can_manage_feeds(actor):
        raise PermissionDenied("Only editors can subscribe to feeds.")
    url = checked_url(data.url, policy)
    if not MIN_INTERVAL_MINUTES <= data.interval_minutes <= MAX_INTERVAL_MINUTES:
        raise ValidationFailed(
            f"Between {MIN_INTERVAL_MINUTES} minutes and one week.", field="interval_minutes"
        )
    if session.scalar(select(Feed.id).where(Feed.url == url)) is not None:
        raise ValidationFailed("The desk follows this feed already.", field="url")
    title = (data.title or "").strip() or None
    if title and len(title) > limits.TITLE:
        raise ValidationFailed(f"At most {limits.TITLE} characters.", field="title")
    feed = Feed(url=url, title=title, interval_minutes=data.interval_minutes)
    feed.created_by_id = actor.id
    session.add(feed)
    refusal = ValidationFailed("The desk follows this feed already.", field="url")
    flush_unique(session, refusal, table="feeds", column="url")
    return feed


def get_feed(session: Session, feed_id: int) -> Feed:
    feed = session.get(Feed, feed_id)
    if feed is None:
        raise NotFound("No such feed.")
    return feed


def unsubscribe(session: Session, actor: User, feed_id: int) -> None:
    """Stop following a feed; its articles stay (no longer marked as from it)."""
    if not can.can_manage_feeds(actor):
        raise PermissionDenied("Only editors can unsubscribe from feeds.")
    feed = get_feed(session, feed_id)
    for article in session.scalars(select(Article).where(Article.feed_id == feed_id)):
        article.feed_id = None
    session.delete(feed)
    session.flush()


def due_feeds(session: Session, now: datetime) -> list[int]:
    return list(session.scalars(select(Feed.id).where(Feed.next_poll_at <= now).order_by(Feed.id)))


def backoff(feed: Feed) -> timedelta:
    """The wait before the next poll: the interval, doubled for each failure in a row."""
    wait = timedelta(minutes=feed.interval_minutes) * (2 ** min(feed.failures, 16))
    return min(wait, max(MAX_BACKOFF, timedelta(minutes=feed.interval_minutes)))


def poll_succeeded(
    session: Session, feed: Feed, now: datetime, new: int, title: str | None
) -> None:
    feed.failures = 0
    feed.last_error = None
    feed.last_polled_at = now
    feed.last_new_count = new
    feed.articles_count += new
    if title and not feed.title:
        feed.title = title[: limits.TITLE]
    feed.next_poll_at = now + backoff(feed)
    session.flush()


def poll_failed(session: Session, feed: Feed, now: datetime, message: str) -> None:
    feed.failures += 1
    feed.last_error = message[: limits.FETCH_ERROR]
    feed.last_polled_at = now
    feed.last_new_count = 0
    feed.next_poll_at = now + backoff(feed)
    session.flush()
