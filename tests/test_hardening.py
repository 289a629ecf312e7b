"""Sessions, error pages, size limits and database-enforced lengths."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DataError, IntegrityError

from config import ProductionConfig, TestingConfig
from factcheck import create_app
from factcheck.models import Article
from tests.conftest import login


def session_cookie(client) -> str | None:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def test_session_changes_at_login_and_old_cookie_dies_at_logout(app, users):
    client = app.test_client()
    client.get("/login")
    before = session_cookie(client)
    login(client, "rita")
    after_login = session_cookie(client)
    assert after_login and after_login != before
    assert client.get("/").status_code == 200
    client.post("/logout")
    # Replay the cookie captured while signed in: it no longer opens anything.
    replay = app.test_client()
    replay.set_cookie("session", after_login)
    response = replay.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_cookie_flags(app, users):
    client = app.test_client()
    response = login(client, "rita")
    header = response.headers["Set-Cookie"]
    assert "HttpOnly" in header and "SameSite=Lax" in header
    assert ProductionConfig.SESSION_COOKIE_SECURE is True


def test_production_refuses_to_start_without_a_secret(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="FACTCHECK_SECRET_KEY"):
        create_app(ProductionConfig)


def test_errors_show_no_stack_trace_and_are_logged_with_a_request_id(
    database_url, caplog, monkeypatch
):
    app = create_app(TestingConfig, DATABASE_URL=database_url, PROPAGATE_TEST_ERRORS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals: SELECT * FROM users")

    from factcheck.web import PUBLIC_ENDPOINTS

    monkeypatch.setattr("factcheck.web.PUBLIC_ENDPOINTS", PUBLIC_ENDPOINTS | {"boom"})
    with caplog.at_level(logging.ERROR, logger="factcheck"):
        response = app.test_client().get("/boom", headers={"X-Request-Id": "req-123"})
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "SELECT" not in body and "Traceback" not in body and "secret internals" not in body
    assert "req-123" in body
    assert any("req-123" in record.getMessage() for record in caplog.records)
    app.extensions["factcheck_engine"].dispose()


def test_oversized_request_gets_413(app, client, as_user):
    as_user("reviewer")
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = client.post("/articles/new", data={"text": "x" * 20_000})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_field_length_limits_are_in_the_form_and_the_database(client, as_user, session):
    as_user("reviewer")
    response = client.post(
        "/claims/new",
        data={"article_id": 0, "text": "x" * 1001, "claim_type": "other", "priority": 3},
    )
    assert response.status_code == 400
    assert "Field cannot be longer than 1000 characters." in response.get_data(as_text=True)
    with pytest.raises((IntegrityError, DataError)):  # CHECK on SQLite, VARCHAR on PG
        session.execute(
            text(
                "INSERT INTO claims (text, claim_type, status, priority, origin, created_at, "
                "updated_at, last_activity_at, version) VALUES (:t, 'other', 'unreviewed', 3, "
                "'manual', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
            ),
            {"t": "x" * 1001},
        )


def test_a_failed_write_still_gets_the_error_page_with_its_reference(app, client, as_user):
    """A constraint refused at flush leaves the request's session needing a rollback; the 500
    page (which shows the signed-in user's menu) rolls it back instead of failing in turn."""
    from flask_login import current_user

    from factcheck.web.database import db

    @app.post("/break-a-write")
    def break_a_write():
        session = db()
        session.add(Article(title="x" * 400, text="Too long a title."))  # refused by a CHECK
        current_user.display_name  # noqa: B018 - the user is loaded in this session
        session.flush()
        return "unreachable"

    app.config["PROPAGATE_TEST_ERRORS"] = False
    as_user("admin")
    response = client.post("/break-a-write", headers={"X-Request-Id": "req-456"})
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "req-456" in body and "Accounts" in body  # the page, with the admin's menu


def test_a_quote_matching_an_overlong_passage_is_a_400_at_the_field(
    client, as_user, db_session, users
):
    """Loose matching skips whitespace, so a short quote can match a passage longer than a
    quote may be: refused at the quote field, never a CHECK violation and a 500."""

    article = Article(
        title="Spaced", text="Police said they arrested" + " " * 6000 + "b men on Monday."
    )
    db_session.add(article)
    db_session.commit()
    as_user("reviewer")
    response = client.post(
        f"/articles/{article.id}/claims",
        data={"quote": "arrested b", "text": "Men were arrested.", "claim_type": "arrest"},
    )
    assert response.status_code == 400
    assert "a quote may be at most 5,000" in response.get_data(as_text=True)


def test_a_write_lock_waited_out_is_a_503_busy_not_a_500(app, client, as_user):
    """SQLite's busy timeout running out under a burst of writers: nothing saved, 'try again'."""
    from sqlalchemy.exc import OperationalError

    @app.post("/wait-too-long")
    def wait_too_long():
        raise OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))

    app.config["PROPAGATE_TEST_ERRORS"] = False
    as_user("reviewer")
    response = client.post("/wait-too-long", headers={"X-Request-Id": "req-789"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    body = response.get_data(as_text=True)
    assert "nothing was saved" in body and "req-789" in body
