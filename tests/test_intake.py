"""Intake: adding an article by URL, the SSRF guard, feeds and their backoff. Pages and feeds
come from a fixture server on 127.0.0.1 (allowed by FETCH_ALLOWED_HOSTS); jobs run inline
(huey's immediate mode). tests/test_intake_worker.py runs them on the real consumer."""

from __future__ import annotations

import ipaddress
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from config import TestingConfig
from factcheck import create_app
from factcheck.intake import runs
from factcheck.intake.fetch import (
    HTML_TYPES,
    FetchError,
    Policy,
    TransientFetchError,
    check_url,
    fetch,
    policy_from,
    refused_reason,
)
from factcheck.models import Article, FailedJob, Feed, IntakeRequest
from factcheck.workflow import intake as wf
from tests.conftest import BufferedClient
from tests.intake_server import HTML, RSS, IntakeServer, rss


@pytest.fixture
def server():
    with IntakeServer() as running:
        yield running


@pytest.fixture
def app(database_url):
    application = create_app(
        TestingConfig,
        DATABASE_URL=database_url,
        FETCH_ALLOWED_HOSTS="127.0.0.1",
        FETCH_MAX_BYTES=2**20,
        HUEY_IMMEDIATE=True,
    )
    application.test_client_class = BufferedClient
    yield application
    application.extensions["factcheck_engine"].dispose()


def _context(app, now=None) -> runs.Context:
    return runs.Context(
        sessions=app.extensions["factcheck_sessions"][True],
        policy=policy_from(app.config),
        clock=(lambda: now) if now else runs.utcnow,
    )


def _articles(db_session) -> list[Article]:
    db_session.commit()  # end the read transaction: see what the app committed
    return list(db_session.scalars(select(Article).order_by(Article.id)))


# --- adding by URL --------------------------------------------------------------------------


def test_adding_by_url_fills_title_publisher_author_and_date(client, as_user, server, db_session):
    as_user("reviewer")
    response = client.post("/articles/from-url", data={"url": f"{server.base}/news/ministry"})
    assert response.status_code == 302
    status_page = client.get(response.headers["Location"])
    assert status_page.status_code == 302  # done inline: on to the article
    article_page = client.get(status_page.headers["Location"])
    assert article_page.status_code == 200
    [article] = _articles(db_session)
    assert article.title == "Ministry denies detentions in the capital"
    assert article.publisher == "Harbour Times"
    assert article.author == "Jane Doe"
    assert article.published_on == date(2026, 3, 2)
    assert article.canonical_url == "http://127.0.0.1/news/ministry-denies-detentions"
    assert article.url == article.canonical_url
    assert article.text.startswith("Officials said 12 people were detained on Monday")
    assert "\n\nThe ministry denied" in article.text
    assert "Copyright" not in article.text and "Home" not in article.text
    body = article_page.get_data(as_text=True)
    assert "Harbour Times" in body and "Jane Doe" in body
    assert 'id="suggestions"' in body  # suggested claims, as for a pasted article


def test_the_same_story_twice_is_one_article(client, as_user, server, db_session):
    as_user("reviewer")
    said = []
    for path in ("/news/ministry", "/redirect-article", "/news/ministry"):
        response = client.post("/articles/from-url", data={"url": server.base + path})
        assert client.get(response.headers["Location"]).status_code == 302
        with client.session_transaction() as flask_session:
            said.append(flask_session["_flashes"][-1][1])
            flask_session.pop("_flashes")
    assert said[0] == "Article added from the web. Confirm the suggested claims."
    assert said[1:] == ["This article is already on the desk; here it is."] * 2
    assert len(_articles(db_session)) == 1
    # Fetched for the first two (the redirect's address was new); the third was known.
    assert server.paths().count("/news/ministry") == 2
    requests = list(db_session.scalars(select(IntakeRequest)))
    assert [r.status for r in requests] == ["done"] * 3
    assert len({r.article_id for r in requests}) == 1


def test_the_new_article_page_links_to_adding_by_url(client, as_user):
    as_user("reviewer")
    body = client.get("/articles/new").get_data(as_text=True)
    assert 'href="/articles/from-url"' in body


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://10.1.2.3/story", "private network"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://localhost/", "loopback"),
        ("ftp://example.org/file", "http"),
    ],
)
def test_ssrf_addresses_are_refused_at_the_url_field(client, as_user, db_session, url, words):
    as_user("reviewer")
    response = client.post("/articles/from-url", data={"url": url})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'class="field has-error"' in body and words in body
    db_session.commit()
    assert db_session.scalar(select(func.count(IntakeRequest.id))) == 0


def test_a_redirect_to_a_private_address_is_refused(client, as_user, server, db_session):
    as_user("reviewer")
    response = client.post("/articles/from-url", data={"url": f"{server.base}/redirect-private"})
    failed = client.get(response.headers["Location"])
    assert failed.status_code == 422
    body = failed.get_data(as_text=True)
    assert "10.0.0.7" in body and "private network" in body and "has-error" in body
    assert _articles(db_session) == []


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/image", "image/png"),
        ("/huge", "larger than 1024 KiB"),
        ("/redirect-loop", "Too many redirects"),
        ("/missing", "404"),
    ],
)
def test_what_cannot_be_read_fails_with_a_reason(client, as_user, server, db_session, path, words):
    as_user("reviewer")
    response = client.post("/articles/from-url", data={"url": server.base + path})
    failed = client.get(response.headers["Location"])
    assert failed.status_code == 422
    assert words in failed.get_data(as_text=True)
    assert _articles(db_session) == []


def test_a_page_dripped_slowly_is_cut_off_at_the_timeout(server):
    """Each read arrives within the timeout (a byte every 0.2 s, for 30 s); the whole fetch
    may still not last longer: without the deadline this fetch succeeds, 30 s later."""
    policy = Policy(allowed_hosts=frozenset({"127.0.0.1"}), timeout=1.0)
    with pytest.raises(TransientFetchError, match="within 1 seconds"):
        fetch(f"{server.base}/drip", policy, HTML_TYPES)


def test_public_and_private_addresses():
    refused = [
        "127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "0.0.0.0",  # noqa: S104
        "100.64.0.1", "100.100.100.200", "224.0.0.1", "240.0.0.1", "255.255.255.255",
        "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1", "::ffff:10.0.0.1",
        "::ffff:169.254.169.254", "2002:a00:1::",
    ]  # fmt: skip
    for text in refused:
        assert refused_reason(ipaddress.ip_address(text)), text
    for text in ("8.8.8.8", "93.184.216.34", "2606:4700:4700::1111"):
        assert refused_reason(ipaddress.ip_address(text)) is None, text


def test_a_name_resolving_to_a_private_address_is_refused():
    """DNS pointing a public-looking name at an inside address (rebinding's first half)."""
    policy = Policy()
    with pytest.raises(FetchError, match="private network"):
        check_url("http://news.example/a", policy, resolver=lambda host, port: ["10.9.8.7"])
    with pytest.raises(FetchError, match="loopback"):  # any one bad address refuses
        check_url(
            "http://news.example/a", policy, resolver=lambda host, port: ["8.8.8.8", "127.0.0.1"]
        )


def test_the_connection_goes_to_the_checked_address(server):
    """The name is resolved once, checked, and the connection made to that address with the
    name in Host: a second lookup (DNS rebinding) never happens."""
    port = server.server_address[1]
    lookups = []

    def resolver(host, port_):
        lookups.append(host)
        return ["127.0.0.1"]

    policy = Policy(allowed_hosts=frozenset({"news.example"}))
    response = fetch(
        f"http://news.example:{port}/news/ministry", policy, HTML_TYPES, resolver=resolver
    )
    assert response.body.startswith(b"<!doctype html>")
    assert lookups == ["news.example"]
    assert server.hits[-1] == ("/news/ministry", f"news.example:{port}")


# --- feeds ----------------------------------------------------------------------------------


def _subscribe(client, url, **extra):
    return client.post("/feeds", data={"url": url, "interval_minutes": 30, **extra})


def test_a_feed_poll_brings_new_entries_once_and_not_twice(
    app, client, as_user, server, db_session
):
    as_user("editor")
    response = _subscribe(client, f"{server.base}/feed.xml")
    assert response.status_code == 302  # subscribed and polled at once (inline here)
    articles = _articles(db_session)
    assert [a.title for a in articles] == [f"Flooding in district {n}" for n in (1, 2, 3)]
    feed = db_session.scalars(select(Feed)).one()
    assert {a.feed_id for a in articles} == {feed.id}
    assert [a.publisher for a in articles] == ["Coast Courier"] * 3
    assert articles[0].author == "Reporter 1" and articles[0].published_on == date(2026, 4, 1)
    assert feed.title == "Coast Courier: floods" and feed.last_new_count == 3

    fetched_before = server.paths().count("/story/1")
    assert runs.run_poll(_context(app), feed.id) == 0  # polled again: nothing new
    assert len(_articles(db_session)) == 3
    assert server.paths().count("/story/1") == fetched_before  # known entries not refetched

    server.routes["/feed.xml"] = lambda h: (200, RSS, rss(server.base, [1, 2, 3, 4]))
    assert runs.run_poll(_context(app), feed.id) == 1
    assert len(_articles(db_session)) == 4

    page = client.get(f"/feeds/{feed.id}").get_data(as_text=True)
    assert page.count("Flooding in district") == 4
    listing = client.get("/feeds").get_data(as_text=True)
    assert "Coast Courier: floods" in listing
    article_page = client.get(f"/articles/{articles[0].id}").get_data(as_text=True)
    assert f'href="/feeds/{feed.id}"' in article_page  # marked as from the feed


def test_a_story_already_on_the_desk_is_not_taken_again_from_a_feed(
    app, client, as_user, server, db_session
):
    as_user("editor")
    client.post("/articles/from-url", data={"url": f"{server.base}/story/2"})
    assert len(_articles(db_session)) == 1
    _subscribe(client, f"{server.base}/feed.xml")
    articles = _articles(db_session)
    assert sorted(a.title for a in articles) == [f"Flooding in district {n}" for n in (1, 2, 3)]
    assert server.paths().count("/story/2") == 1  # known by its address: not fetched again


def test_the_same_text_at_another_address_is_not_taken_twice(client, as_user, server, db_session):
    as_user("reviewer")
    copy = server.routes["/news/ministry"](None)[2].replace(b"ministry-denies", b"copy-of")
    server.routes["/mirror/story"] = lambda h: (200, {"Content-Type": "text/html"}, copy)
    for path in ("/news/ministry", "/mirror/story"):
        client.post("/articles/from-url", data={"url": server.base + path})
    [article] = _articles(db_session)
    assert article.canonical_url.endswith("/news/ministry-denies-detentions")


def test_a_failing_feed_shows_its_error_and_backs_off(app, client, as_user, server, db_session):
    as_user("editor")
    _subscribe(client, f"{server.base}/broken.xml")
    db_session.commit()
    feed = db_session.scalars(select(Feed)).one()
    assert feed.failures == 1 and "500" in feed.last_error
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    waits = []
    for _ in range(3):
        assert runs.run_poll(_context(app, now), feed.id) is None
        db_session.commit()
        feed = db_session.get(Feed, feed.id)
        db_session.refresh(feed)
        waits.append(feed.next_poll_at - now)
    assert waits == [timedelta(minutes=30 * 2**n) for n in (2, 3, 4)]
    assert feed.failures == 4
    with app.app_context():
        session = app.extensions["factcheck_sessions"][False]()
        assert wf.due_feeds(session, now + timedelta(minutes=30)) == []
        assert wf.due_feeds(session, now + timedelta(hours=9)) == [feed.id]
        session.close()
    listing = client.get("/feeds").get_data(as_text=True)
    assert "failing (4× in a row)" in listing and "500" in listing

    server.routes["/broken.xml"] = server.routes["/feed.xml"]  # the feed comes back
    assert runs.run_poll(_context(app, now), feed.id) == 3
    db_session.commit()
    db_session.refresh(feed)
    assert feed.failures == 0 and feed.last_error is None
    assert feed.next_poll_at - now == timedelta(minutes=30)


def test_only_editors_subscribe(client, as_user, server, db_session):
    as_user("reviewer")
    assert _subscribe(client, f"{server.base}/feed.xml").status_code == 403
    assert "Subscribe to a feed" not in client.get("/feeds").get_data(as_text=True)
    db_session.commit()
    assert db_session.scalar(select(func.count(Feed.id))) == 0


def test_a_feed_at_a_private_address_is_refused(client, as_user, db_session):
    as_user("editor")
    response = _subscribe(client, "http://192.168.0.10/rss")
    assert response.status_code == 400
    assert "private network" in response.get_data(as_text=True)


# --- failed jobs ----------------------------------------------------------------------------


def test_a_job_that_keeps_failing_is_shown_to_admins(app, client, as_user, monkeypatch, users):
    from factcheck import jobs

    def broken(ctx, feed_id):
        raise RuntimeError("the feed parser blew up")

    monkeypatch.setattr(runs, "run_poll", broken)
    task = jobs.poll_feed.s(42)
    task.retries = 0  # its last try
    with app.app_context():
        jobs.huey.enqueue(task)  # immediate mode: runs here, through huey's error handling
        session = app.extensions["factcheck_sessions"][False]()
        [failed] = session.scalars(select(FailedJob)).all()
        session.close()
    assert failed.task == "poll_feed" and "the feed parser blew up" in failed.error
    as_user("editor")
    assert client.get("/jobs/failed").status_code == 403
    assert 'href="/jobs/failed"' not in client.get("/feeds").get_data(as_text=True)
    client.post("/logout")
    as_user("admin")
    assert 'href="/jobs/failed"' in client.get("/feeds").get_data(as_text=True)
    body = client.get("/jobs/failed").get_data(as_text=True)
    assert "poll_feed" in body and "the feed parser blew up" in body


# --- retries, the sweep, the command line ---------------------------------------------------


def test_a_failure_that_may_pass_is_retried_then_given_up(app, server, users, db_session):
    """A 503 raises RetryLater (huey retries it, with backoff) until the job's last try, which
    marks the request failed with the reason."""
    server.routes["/flaky"] = lambda h: (503, HTML, b"busy")
    with app.app_context():
        session = app.extensions["factcheck_sessions"][True]()
        policy = policy_from(app.config)
        asked = wf.request_article(session, users["reviewer"], f"{server.base}/flaky", policy)
        session.commit()
        session.close()
    ctx = _context(app)
    with pytest.raises(runs.RetryLater, match="503"):
        runs.run_request(ctx, asked.id, last_try=False)
    assert runs.run_request(ctx, asked.id, last_try=True) == "failed"
    db_session.commit()
    request = db_session.get(IntakeRequest, asked.id)
    assert (request.status, request.attempts) == ("failed", 2)
    assert "503" in request.error


def test_a_pending_request_waits_on_a_page_that_reloads(app, client, as_user, users, db_session):
    as_user("reviewer")
    db_session.add(IntakeRequest(url="https://news.example/a", created_by_id=users["reviewer"].id))
    db_session.commit()
    request_id = db_session.scalars(select(IntakeRequest.id)).one()
    page = client.get(f"/articles/from-url/{request_id}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert 'http-equiv="refresh"' in body and "https://news.example/a" in body


def test_the_sweep_sends_out_due_feeds_and_lost_requests(app, users, db_session):
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    lost = IntakeRequest(url="https://news.example/a", started_at=now - timedelta(hours=1))
    working = IntakeRequest(url="https://news.example/b", started_at=now - timedelta(seconds=5))
    done = IntakeRequest(url="https://news.example/c", status="done")
    due = Feed(url="https://news.example/rss", next_poll_at=now - timedelta(minutes=1))
    later = Feed(url="https://news.example/atom", next_poll_at=now + timedelta(minutes=1))
    db_session.add_all([lost, working, done, due, later])
    db_session.commit()
    assert runs.sweep(_context(app, now)) == ([due.id], [lost.id])


def test_the_poll_command_polls_due_feeds(app, runner, server, db_session):
    db_session.add(Feed(url=f"{server.base}/feed.xml", interval_minutes=60))
    db_session.commit()
    result = runner.invoke(args=["intake", "poll"])
    assert result.exit_code == 0, result.output
    assert "3 new article(s)" in result.output
    result = runner.invoke(args=["intake", "poll"])
    assert "No feed is due." in result.output
    assert len(_articles(db_session)) == 3
