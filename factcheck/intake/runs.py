"""The units of work the background jobs run: fetch between short transactions, commit each
step (like a view, this is a boundary), and leave the database so that running the same job
again, after it was killed at any point, creates nothing twice.

No Flask here: `Context` carries a session factory, the fetch policy and the clock."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from factcheck import limits
from factcheck.extraction import Budget
from factcheck.models import Feed, utcnow
from factcheck.workflow import archives, stored_extraction
from factcheck.workflow import intake as wf
from factcheck.workflow.candidates import DEFAULT_BUDGET, extracted

from .archive import ArchiveError, ArchiveService, TransientArchiveError, snapshot
from .fetch import (
    FEED_TYPES,
    HTML_TYPES,
    FetchError,
    Policy,
    TransientFetchError,
    fetch,
    policy_from,
)
from .page import read_feed, read_page

log = logging.getLogger("factcheck.intake")


@dataclass
class Context:
    sessions: sessionmaker[Session]  # write sessions
    policy: Policy
    lease: timedelta = timedelta(minutes=10)
    clock: Callable[[], datetime] = field(default=utcnow)
    budget: Budget = DEFAULT_BUDGET  # the claim extractor's, as on the article page
    extract_later_from: int | None = None  # articles this long: claims extracted by a job
    archive: ArchiveService | None = None  # None: no archive service configured

    @classmethod
    def from_config(cls, sessions: sessionmaker[Session], config: Mapping[str, Any]) -> Context:
        """From the app's settings (Flask's config, or any mapping)."""
        return cls(
            sessions=sessions,
            policy=policy_from(config),
            lease=timedelta(seconds=config["INTAKE_LEASE_SECONDS"]),
            budget=Budget(config["EXTRACTION_MAX_STEPS"], config["EXTRACTION_MAX_SECONDS"]),
            extract_later_from=config["EXTRACTION_JOB_FROM_CHARS"],
            archive=(
                ArchiveService(
                    config["ARCHIVE_SERVICE_URL"], timeout=config["ARCHIVE_TIMEOUT_SECONDS"]
                )
                if config.get("ARCHIVE_SERVICE_URL")
                else None
            ),
        )


class RetryLater(Exception):
    """A failure that may pass: the job is run again later (huey's retries, with backoff)."""


def run_request(ctx: Context, request_id: int, *, last_try: bool = True) -> str:
    """Fetch the page a person asked for and make it an article: 'done', 'failed' or 'skipped'
    (nothing to do: done already, or gone). A failure that may pass raises RetryLater unless
    this is the job's last try, when the request is marked failed with the reason."""
    with ctx.sessions() as session, session.begin():
        url = wf.take_up(session, request_id, ctx.clock())
    if url is None:
        return "skipped"
    with ctx.sessions() as session, session.begin():  # an address the desk knows: no fetch
        if wf.complete_request(session, request_id, None, url, ctx.clock()) is not None:
            return "done"
    try:
        response = fetch(url, ctx.policy, HTML_TYPES)
        page = read_page(response.text(), response.url)
    except TransientFetchError as exc:
        if not last_try:
            raise RetryLater(str(exc)) from exc
        return _fail(ctx, request_id, str(exc))
    except FetchError as exc:
        return _fail(ctx, request_id, str(exc))
    except ValueError as exc:
        return _fail(ctx, request_id, str(exc))
    with ctx.sessions() as session, session.begin():
        article = wf.complete_request(
            session, request_id, page, response.url, ctx.clock(), ctx.extract_later_from
        )
        pending = article is not None and stored_extraction.is_pending(article)
        article_id = article.id if article is not None else None
    if pending:  # a long article: this job extracts its claims too
        run_extraction(ctx, article_id)
    return "done" if article_id is not None else "skipped"


def run_archive(ctx: Context, source_id: int, *, last_try: bool = True) -> str:
    """Ask the archive service for a snapshot of a pending source: 'archived', 'failed' or
    'skipped' (no service, gone, or not waiting). A failure that may pass is written on the
    source (the claim page shows it) and raises RetryLater unless this is the last try."""
    if ctx.archive is None:
        return "skipped"
    with ctx.sessions() as session:
        url = archives.pending_url(session, source_id)
    if url is None:
        return "skipped"
    try:
        address = snapshot(ctx.archive, url)
    except TransientArchiveError as exc:
        with ctx.sessions() as session, session.begin():
            archives.record_failure(session, source_id, str(exc), ctx.clock(), final=last_try)
        if not last_try:
            raise RetryLater(str(exc)) from exc
        return "failed"
    except ArchiveError as exc:
        with ctx.sessions() as session, session.begin():
            archives.record_failure(session, source_id, str(exc), ctx.clock(), final=True)
        return "failed"
    with ctx.sessions() as session, session.begin():
        archives.record_snapshot(session, source_id, address, ctx.clock())
    return "archived"


def _fail(ctx: Context, request_id: int, message: str) -> str:
    with ctx.sessions() as session, session.begin():
        wf.fail_request(session, request_id, message, ctx.clock())
    return "failed"


def run_poll(ctx: Context, feed_id: int) -> int | None:
    """Poll one feed: each new entry's page becomes an article marked as from the feed, one
    transaction each. A failing feed records its error and waits longer each time. Returns how
    many articles were new, or None when the feed failed or is gone."""
    with ctx.sessions() as session, session.begin():
        feed = session.get(Feed, feed_id)
        if feed is None:
            return None
        url = feed.url
        # Leased while it is being polled: the periodic sweep does not send it out again
        # meanwhile, and polls it again after the lease if this worker is lost.
        feed.next_poll_at = ctx.clock() + ctx.lease
    try:
        response = fetch(url, ctx.policy, FEED_TYPES)
        data = read_feed(response.body, response.url, limit=wf.ENTRIES_PER_POLL)
    except (FetchError, ValueError) as exc:
        with ctx.sessions() as session, session.begin():
            feed = session.get(Feed, feed_id)
            if feed is not None:
                wf.poll_failed(session, feed, ctx.clock(), str(exc))
        return None
    new = 0
    skipped: list[str] = []
    for entry in data.entries:
        with ctx.sessions() as session:
            if wf.existing_article(session, entry.link) is not None:
                continue
        try:
            page_response = fetch(entry.link, ctx.policy, HTML_TYPES)
            page = read_page(page_response.text(), page_response.url)
        except (FetchError, ValueError) as exc:
            skipped.append(f"{entry.link}: {exc}")
            continue
        with ctx.sessions() as session, session.begin():
            feed = session.get(Feed, feed_id)
            if feed is None:
                return None
            article, created = wf.take_in(
                session,
                None,
                page,
                [page_response.url, entry.link],
                origin=f"feed:{feed_id}",
                feed=feed,
                extract_later_from=ctx.extract_later_from,
            )
            new += created
            pending = created and stored_extraction.is_pending(article)
            article_id = article.id
        if pending:
            run_extraction(ctx, article_id)
    with ctx.sessions() as session, session.begin():
        feed = session.get(Feed, feed_id)
        if feed is None:
            return None
        wf.poll_succeeded(session, feed, ctx.clock(), new, data.title)
        if skipped:
            feed.last_error = (f"{len(skipped)} entries skipped; first: {skipped[0]}")[
                : limits.FETCH_ERROR
            ]
    if skipped:
        log.info("feed %s: %d entries skipped", feed_id, len(skipped))
    return new


def run_extraction(ctx: Context, article_id: int) -> str:
    """Extract a long article's claims (outside any transaction: it takes a while) and store
    them with the article: 'done', 'failed' (the extractor raised; the page then extracts
    within its own budget) or 'skipped' (done already, or gone)."""
    with ctx.sessions() as session:
        text = stored_extraction.pending_text(session, article_id)
    if text is None:
        return "skipped"
    try:
        found = extracted(text, ctx.budget)
    except Exception:  # noqa: BLE001 - deterministic: retrying would fail the same way
        log.exception("extraction of article %s failed", article_id)
        found = None
    with ctx.sessions() as session, session.begin():
        stored = stored_extraction.store(session, article_id, found)
    if not stored:
        return "skipped"
    return "done" if found is not None else "failed"


def stalled_extractions(ctx: Context) -> list[int]:
    """Long articles whose extraction job was lost (pending longer than the lease)."""
    with ctx.sessions() as session:
        return stored_extraction.stalled(session, ctx.clock() - ctx.lease)


def sweep(ctx: Context) -> tuple[list[int], list[int]]:
    """What the periodic job sends out: (feeds due a poll, URL requests whose worker was lost)."""
    with ctx.sessions() as session:
        now = ctx.clock()
        return wf.due_feeds(session, now), wf.stalled_requests(session, now, ctx.lease)
