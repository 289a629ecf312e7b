"""The intake jobs on the real huey consumer (a separate process) against real storage: a SQLite
queue file, and Redis when one answers on 127.0.0.1:6379. Pages and feeds come from the
fixture server on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import func, select

from config import BASE_DIR, TestingConfig
from factcheck import create_app, jobs
from factcheck.models import Article, Feed, IntakeRequest, Source
from factcheck.vocabulary import ArchiveStatus
from factcheck.workflow import claims as claims_wf
from tests.conftest import BufferedClient
from tests.factories import make_claim
from tests.intake_server import HTML, IntakeServer, story

pytestmark = pytest.mark.slow
REDIS_URL = "redis://127.0.0.1:6379/0"
LEASE_SECONDS = 1


def _redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:  # noqa: BLE001 - any failure means no Redis here
        return False


@pytest.fixture(params=["sqlite-queue", "redis-queue"])
def queue(request, tmp_path) -> dict[str, str]:
    """The queue's settings, as environment variables for the consumer."""
    name = f"factcheck-test-{uuid.uuid4().hex[:10]}"
    if request.param == "redis-queue":
        if not _redis_answers():
            pytest.skip("Redis does not answer on 127.0.0.1:6379: RedisHuey tests skipped")
        return {"FACTCHECK_HUEY_NAME": name, "FACTCHECK_REDIS_URL": REDIS_URL}
    return {"FACTCHECK_HUEY_NAME": name, "FACTCHECK_HUEY_FILE": str(tmp_path / "huey.db")}


@pytest.fixture
def server() -> Iterator[IntakeServer]:
    with IntakeServer() as running:
        yield running


@pytest.fixture
def app(database_url, queue):
    application = create_app(
        TestingConfig,
        DATABASE_URL=database_url,
        FETCH_ALLOWED_HOSTS="127.0.0.1",
        HUEY_IMMEDIATE=False,
        HUEY_NAME=queue["FACTCHECK_HUEY_NAME"],
        HUEY_URL=queue.get("FACTCHECK_REDIS_URL"),
        HUEY_FILE=queue.get("FACTCHECK_HUEY_FILE", "unused.db"),
        INTAKE_LEASE_SECONDS=LEASE_SECONDS,
    )
    application.test_client_class = BufferedClient
    yield application
    jobs.huey.flush()  # a Redis queue outlives the test otherwise
    application.extensions["factcheck_engine"].dispose()


@pytest.fixture
def consumers(database_url, queue, tmp_path) -> Iterator[Callable[[], subprocess.Popen]]:
    """Start real consumers (`huey_consumer factcheck.worker.huey`) on the test's database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FACTCHECK_", "HUEY_"))}
    env |= {
        "FACTCHECK_CONFIG": "testing",
        "FACTCHECK_TEST_DATABASE_URL": database_url,
        "FACTCHECK_HUEY_IMMEDIATE": "0",
        "FACTCHECK_FETCH_ALLOWED_HOSTS": "127.0.0.1",
        "FACTCHECK_INTAKE_LEASE_SECONDS": str(LEASE_SECONDS),
        **queue,
    }
    started: list[subprocess.Popen] = []

    def start(extra_env: dict[str, str] | None = None) -> subprocess.Popen:
        log = open(tmp_path / f"consumer-{len(started)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "huey.bin.huey_consumer", "factcheck.worker.huey"]
            + ["--workers", "2", "--worker-type", "thread", "--delay", "0.05"]
            + ["--max-delay", "0.5", "--no-periodic"],
            cwd=BASE_DIR,
            env=env | (extra_env or {}),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for(check: Callable[[], object], seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting after {seconds} s")


def _scalar(app, statement):
    with app.extensions["factcheck_sessions"][False]() as session:
        return session.scalar(statement)


def _request(app, request_id: int) -> IntakeRequest:
    with app.extensions["factcheck_sessions"][False]() as session:
        return session.get(IntakeRequest, request_id)


def test_the_worker_adds_an_article_by_url(app, client, as_user, server, consumers):
    consumers()
    as_user("reviewer")
    response = client.post("/articles/from-url", data={"url": f"{server.base}/news/ministry"})
    pending = client.get(response.headers["Location"])
    request_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert pending.status_code in (200, 302)  # a fast worker may be done already
    _wait_for(lambda: _request(app, request_id).status == "done")
    done = client.get(response.headers["Location"])
    assert done.status_code == 302
    with app.extensions["factcheck_sessions"][False]() as session:
        [article] = session.scalars(select(Article)).all()
        assert (article.title, article.publisher, article.author) == (
            "Ministry denies detentions in the capital",
            "Harbour Times",
            "Jane Doe",
        )
        assert article.published_on.isoformat() == "2026-03-02"


def test_the_worker_polls_a_feed_once_and_not_twice(app, client, as_user, server, consumers):
    consumers()
    as_user("editor")
    client.post("/feeds", data={"url": f"{server.base}/feed.xml", "interval_minutes": 30})
    _wait_for(lambda: _scalar(app, select(Feed.last_polled_at)))
    assert _scalar(app, select(func.count(Article.id))) == 3
    with app.app_context():
        result = jobs.poll_feed(_scalar(app, select(Feed.id)))
    assert result.get(blocking=True, timeout=30) == 0
    assert _scalar(app, select(func.count(Article.id))) == 3


def test_a_job_killed_mid_run_is_retried_and_creates_nothing_twice(
    app, client, as_user, server, consumers
):
    """The worker is killed (SIGKILL) while fetching; the queue message is gone with it. The
    periodic sweep finds the request whose lease ran out and sends it out again; the retry
    creates the article once, and running the job yet again changes nothing."""
    fetching, release = threading.Event(), threading.Event()
    hits = []

    def slow(handler):
        hits.append(1)
        if len(hits) == 1:
            fetching.set()
            release.wait(30)
        return 200, HTML, story(server.base, 4)

    server.routes["/story/slow"] = slow
    first = consumers()
    as_user("reviewer")
    response = client.post("/articles/from-url", data={"url": f"{server.base}/story/slow"})
    request_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert fetching.wait(30), "the worker never fetched the page"
    first.kill()  # mid-run: the page is being fetched
    first.wait()
    release.set()
    assert _request(app, request_id).status == "pending"
    assert _request(app, request_id).attempts == 1
    assert _scalar(app, select(func.count(Article.id))) == 0

    consumers()
    time.sleep(LEASE_SECONDS + 0.2)
    with app.app_context():
        jobs.tick()  # what the consumer's scheduler sends every minute
    _wait_for(lambda: _request(app, request_id).status == "done")
    assert _request(app, request_id).attempts == 2
    assert _scalar(app, select(func.count(Article.id))) == 1

    with app.app_context():
        again = jobs.fetch_article(request_id)
    assert again.get(blocking=True, timeout=30) == "skipped"
    assert _scalar(app, select(func.count(Article.id))) == 1
    assert len(hits) == 2


def test_the_worker_archives_a_new_source(
    app, client, as_user, users, db_session, server, consumers
):
    """Issue 21's archiving on the real consumer: the job is registered, queued after the
    commit, and records the local fake service's snapshot."""
    original = "https://example.org/report"
    snapshot = f"/web/20261130/{original}"
    server.routes[f"/save/{original}"] = lambda h: (
        200,
        {**HTML, "Content-Location": snapshot},
        b"",
    )
    consumers({"FACTCHECK_TEST_ARCHIVE_URL": server.base})
    app.config["ARCHIVE_SERVICE_URL"] = server.base
    claim = make_claim(db_session, users["reviewer"])
    claims_wf.take(db_session, users["reviewer"], claim, expected_version=None)
    db_session.commit()
    as_user("reviewer")
    data = {"url": original, "title": "Report", "stance": "supports", "kind": "news_report",
            "reliability": 4}  # fmt: skip
    assert client.post(f"/claims/{claim.id}/sources", data=data).status_code == 302
    _wait_for(lambda: _scalar(app, select(Source.archive_status)) == ArchiveStatus.ARCHIVED)
    assert _scalar(app, select(Source.archive_url)) == server.base + snapshot
