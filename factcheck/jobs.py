"""Background jobs on huey: fetching an article asked for by URL, polling feeds, e-mailing
notifications, and the periodic sweeps that send out due feeds, lost requests and e-mails not
yet sent.

One huey instance for the process, configured from the app's settings (`init_app`, called by
`create_app`): a SQLite file under `instance/` by default, Redis when `HUEY_URL` or
`FACTCHECK_REDIS_URL` is set. The consumer runs it:

    huey_consumer factcheck.worker.huey --workers 2 --worker-type thread

Jobs are idempotent: a queue message only names a row (`intake_requests`, `feeds`), the row
says what is left to do, and articles are unique by canonical URL and by content hash, so a job
run twice (retried, or sent out again by the sweep after its worker was killed) creates nothing
twice. Failures that may pass are retried with backoff; a job whose retries are used up is
written to `failed_jobs`, which admins see on /jobs/failed.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import Huey, crontab
from huey.signals import SIGNAL_ERROR
from huey.storage import RedisStorage, SqliteStorage
from sqlalchemy import event
from sqlalchemy.orm import Session

from factcheck import limits, mailing, webhook_runs
from factcheck.intake import runs
from factcheck.models import FailedJob, Notification
from factcheck.workflow import webhooks

log = logging.getLogger("factcheck.jobs")


def settings_from(config: Mapping[str, Any]) -> tuple[str, str | None, str, bool]:
    return (
        config["HUEY_NAME"],
        config.get("HUEY_URL"),
        config["HUEY_FILE"],
        bool(config.get("HUEY_IMMEDIATE")),
    )


def _storage(settings: tuple[str, str | None, str, bool]) -> tuple[type, dict[str, Any]]:
    _name, url, filename, immediate = settings
    if url:
        return RedisStorage, {"url": url}
    if not immediate:  # immediate mode keeps its queue in memory
        os.makedirs(os.path.dirname(os.path.abspath(filename)), exist_ok=True)
    return SqliteStorage, {"filename": filename}


def settings_from_environment() -> tuple[str, str | None, str, bool]:
    """The settings the app would have, read without making one (for the consumer)."""
    from config import CONFIGS

    config_class = CONFIGS[os.environ.get("FACTCHECK_CONFIG", "development")]
    return settings_from({k: getattr(config_class, k, None) for k in dir(config_class)})


# Until configured (by `create_app`, or by `factcheck.worker` for the consumer) jobs run inline
# on an in-memory queue: importing this module touches no file and no server.
huey = Huey("factcheck", immediate=True)
_current: tuple[str, str | None, str, bool] | None = None
_app: Flask | None = None
_app_factory: Callable[[], Flask] | None = None
_app_lock = threading.Lock()


def configure(settings: tuple[str, str | None, str, bool]) -> None:
    """Point the one huey instance at the storage these settings name (a no-op when it does)."""
    global _current
    if settings == _current:
        return
    _current = settings
    huey.name = settings[0]
    huey.storage_class, huey.storage_kwargs = _storage(settings)
    huey._immediate = settings[3]  # noqa: SLF001 - the property would build storage twice
    huey.storage = huey.create_storage()


def init_app(app: Flask) -> None:
    configure(settings_from(app.config))
    app.extensions["factcheck_huey"] = huey
    app.extensions["factcheck_mail"] = mailing.MailSettings.from_config(app.config)
    _watch_for_mail()
    if not event.contains(Session, "after_commit", _queue_webhooks):
        event.listen(Session, "after_commit", _queue_webhooks)
        event.listen(Session, "after_transaction_end", _forget_webhooks)


def use_app_factory(factory: Callable[[], Flask]) -> None:
    """How the worker makes the app its jobs run in (`factcheck.worker` passes `create_app`;
    this module sits below the app factory, so it is handed the factory, not importing it)."""
    global _app_factory
    _app_factory = factory


def _job_app() -> Flask:
    """The app a job runs in: the caller's (immediate mode), else one made for the worker."""
    global _app
    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined]
    with _app_lock:  # the consumer's worker threads start jobs at the same moment
        if _app is None:
            if _app_factory is None:
                raise RuntimeError("jobs run outside an app: start the worker via factcheck.worker")
            _app = _app_factory()
    return _app


@contextmanager
def _context() -> Iterator[runs.Context]:
    app = _job_app()
    with app.app_context():
        yield runs.Context.from_config(app.extensions["factcheck_sessions"][True], app.config)


@huey.task(retries=4, retry_delay=15, retry_backoff=2, context=True)
def fetch_article(request_id: int, task=None) -> str:
    """Fetch the page of URL request `request_id` and make it an article."""
    last_try = task is None or not task.retries
    with _context() as ctx:
        return runs.run_request(ctx, request_id, last_try=last_try)


@huey.task(retries=4, retry_delay=30, retry_backoff=2, context=True)
def archive_source(source_id: int, task=None) -> str:
    """Ask the archive service for a snapshot of source `source_id` (retried while the
    service is busy or away; the source shows the last error meanwhile)."""
    last_try = task is None or not task.retries
    with _context() as ctx:
        return runs.run_archive(ctx, source_id, last_try=last_try)


@huey.task(retries=3, retry_delay=30, retry_backoff=2)
def poll_feed(feed_id: int) -> int | None:
    """Poll one feed (its own failures back off in its row; errors here are unexpected)."""
    with _context() as ctx:
        return runs.run_poll(ctx, feed_id)


@huey.task(retries=2, retry_delay=15, retry_backoff=2)
def extract_article(article_id: int) -> str:
    """Extract the claims of a long article saved without them."""
    with _context() as ctx:
        return runs.run_extraction(ctx, article_id)


@huey.periodic_task(crontab(minute="*"))
def tick() -> None:
    """Every minute: poll the feeds that are due, and send out again the URL requests and long
    articles' extractions whose worker was lost."""
    with _context() as ctx:
        feeds, requests = runs.sweep(ctx)
        extractions = runs.stalled_extractions(ctx)
    for article_id in extractions:
        extract_article(article_id)
    for feed_id in feeds:
        poll_feed(feed_id)
    for request_id in requests:
        fetch_article(request_id)


@huey.task()
def send_notification_emails() -> int:
    """E-mail the notifications owed now (queued after a commit that wrote some)."""
    app = _job_app()
    with app.app_context():
        return mailing.send_due(
            app.extensions["factcheck_sessions"][True], app.extensions["factcheck_mail"]
        )


@huey.periodic_task(crontab(minute="*"))
def mail_sweep() -> int:
    """Every minute: the e-mails still owed (queued while the worker was away, or failed and
    out of their lease). `send_due` claims rows, so it never sends one twice at once."""
    return send_notification_emails.call_local()


# A commit that wrote notifications owing an e-mail queues `send_notification_emails` (after
# the commit: a change rolled back queues nothing, and its rows are gone with it).
_MAIL_DUE = "factcheck_mail_due"


def _note_mail_due(session: Session, _flush_context) -> None:
    if any(isinstance(row, Notification) and row.email_due_at for row in session.new):
        session.info[_MAIL_DUE] = True


def _queue_mail(session: Session) -> None:
    if not session.info.pop(_MAIL_DUE, False) or not has_app_context():
        return
    settings = current_app.extensions.get("factcheck_mail")
    if settings is not None and settings.configured:
        try:
            send_notification_emails()
        except Exception:  # noqa: BLE001 - the change is committed; the sweep sends it later
            log.exception("could not queue the notification e-mails")


def _forget_mail(session: Session, _previous_transaction) -> None:
    session.info.pop(_MAIL_DUE, None)


def _watch_for_mail() -> None:
    for name, listener in (
        ("after_flush", _note_mail_due),
        ("after_commit", _queue_mail),
        ("after_soft_rollback", _forget_mail),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


@huey.signal(SIGNAL_ERROR)
def record_failure(signal, task, exc=None) -> None:
    """A job that failed with no retries left is written down for the admins."""
    if task.retries:
        return
    try:
        with _context() as ctx, ctx.sessions() as session, session.begin():
            session.add(
                FailedJob(
                    task=task.name[: limits.JOB_TASK],
                    task_id=str(task.id)[: limits.JOB_ID],
                    arguments=repr((task.args, task.kwargs))[
                        : limits.JOB_ARGUMENTS
                    ],  # shown, not kept whole
                    error=f"{type(exc).__name__}: {exc}"[: limits.JOB_ERROR],
                )
            )
    except Exception:  # noqa: BLE001 - the worker must go on; the log keeps the failure
        log.exception("could not record the failed job %s", task.id)


def _queue_webhooks(session: Session) -> None:
    """After any commit: queue the webhook deliveries its transaction wrote (the outbox rows
    commit with the change; a message lost here is found by `webhook_tick`)."""
    for delivery_id in webhooks.queued_after_commit(session):
        try:
            deliver_webhook(delivery_id)
        except Exception:  # noqa: BLE001 - the change is committed; the sweep sends it later
            log.exception("could not queue webhook delivery %s", delivery_id)


def _forget_webhooks(session: Session, transaction) -> None:
    """A transaction ended without `after_commit` taking its deliveries (rolled back, or the
    session closed): they are gone with it, nothing is queued."""
    if transaction.parent is None:
        webhooks.forget_queued(session)


@contextmanager
def _webhook_context() -> Iterator[webhook_runs.Context]:
    app = _job_app()
    with app.app_context():
        sessions = app.extensions["factcheck_sessions"][True]
        yield webhook_runs.Context.from_config(sessions, app.config)


@huey.task()
def deliver_webhook(delivery_id: int) -> str:
    """One attempt at a webhook delivery; the next one, after a failure, is scheduled with the
    backoff the row records."""
    with _webhook_context() as ctx:
        status, delay = webhook_runs.deliver(ctx, delivery_id)
    if delay is not None:
        deliver_webhook.schedule((delivery_id,), delay=delay)
    return status


@huey.periodic_task(crontab(minute="*"))
def webhook_tick() -> None:
    """Every minute: send out again the webhook deliveries whose queue message was lost."""
    with _webhook_context() as ctx:
        lost = webhook_runs.sweep(ctx)
    for delivery_id in lost:
        deliver_webhook(delivery_id)
