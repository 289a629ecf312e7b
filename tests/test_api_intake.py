"""Creating an article from a URL through the API: the intake service and job of the web form
(the SSRF guard refuses private addresses; the page is fetched by the task queue, inline
here), answered 202 with the request to poll. Pages come from the fixture server on
127.0.0.1, allowed by FETCH_ALLOWED_HOSTS."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from config import TestingConfig
from factcheck import create_app
from factcheck.models import Article, IntakeRequest
from tests.conftest import BufferedClient
from tests.intake_server import IntakeServer
from tests.test_api import assert_problem, auth, token  # noqa: F401 - the fixture


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
        HUEY_IMMEDIATE=True,
        EXTRACTION_JOB_FROM_CHARS=200,  # the fixture page is longer: extracted by the job
    )
    application.test_client_class = BufferedClient
    yield application
    application.extensions["factcheck_engine"].dispose()


def test_an_article_from_its_url(client, db_session, users, token, server):  # noqa: F811
    secret = token("reviewer")
    url = f"{server.base}/news/ministry"
    response = client.post("/api/v1/articles", json={"url": url}, headers=auth(secret))
    assert response.status_code == 202, response.get_data(as_text=True)
    location = response.headers["Location"]
    assert location.startswith("/api/v1/article-requests/")
    # The job ran inline (a worker would run it meanwhile): the request is done.
    asked = client.get(location, headers=auth(secret)).get_json()
    assert asked["status"] == "done" and asked["url"] == url
    article = client.get(f"/api/v1/articles/{asked['article_id']}", headers=auth(secret))
    body = article.get_json()
    assert (body["title"], body["publisher"], body["author"]) == (
        "Ministry denies detentions in the capital",
        "Harbour Times",
        "Jane Doe",
    )
    stored = db_session.get(Article, asked["article_id"])
    assert stored.extraction_state == "done" and stored.extraction["candidates"]
    again = client.post("/api/v1/articles", json={"url": url}, headers=auth(secret))
    assert again.status_code == 202
    assert db_session.scalar(select(func.count(Article.id))) == 1  # known: not taken twice


@pytest.mark.parametrize("url", ["http://10.0.0.7/story", "http://169.254.169.254/latest"])
def test_a_private_address_is_refused_at_the_field(client, db_session, users, token, url):  # noqa: F811
    response = client.post("/api/v1/articles", json={"url": url}, headers=auth(token("editor")))
    assert_problem(response, 422, "url")
    assert db_session.scalar(select(func.count(IntakeRequest.id))) == 0


def test_read_token_may_not_ask_for_an_article(client, users, token, server):  # noqa: F811
    response = client.post(
        "/api/v1/articles",
        json={"url": f"{server.base}/news/ministry"},
        headers=auth(token("editor", scope="read")),
    )
    assert_problem(response, 403)


def test_unknown_request_is_404(client, users, token):  # noqa: F811
    response = client.get("/api/v1/article-requests/4242", headers=auth(token("reviewer")))
    assert_problem(response, 404)
