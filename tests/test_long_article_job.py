"""A long article is saved at once and its claims are extracted by a background job, on the
real huey consumer (a separate process) against a SQLite queue file: the page says
"extracting…" until the job stores the suggestions, then shows them."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from config import TestingConfig
from factcheck import create_app, jobs
from factcheck.models import Article
from tests.conftest import BufferedClient
from tests.test_intake_worker import _wait_for, consumers  # noqa: F401 - the fixture

pytestmark = pytest.mark.slow
PARAGRAPH = (
    "Officials said {n} people were detained on Monday in the northern district. "
    "The ministry denied that anyone was harmed, according to a spokesman."
)


@pytest.fixture
def queue(tmp_path) -> dict[str, str]:
    name = f"factcheck-test-{uuid.uuid4().hex[:10]}"
    return {"FACTCHECK_HUEY_NAME": name, "FACTCHECK_HUEY_FILE": str(tmp_path / "huey.db")}


@pytest.fixture
def app(database_url, queue):
    application = create_app(
        TestingConfig,
        DATABASE_URL=database_url,
        HUEY_IMMEDIATE=False,
        HUEY_NAME=queue["FACTCHECK_HUEY_NAME"],
        HUEY_FILE=queue["FACTCHECK_HUEY_FILE"],
        EXTRACTION_JOB_FROM_CHARS=1000,
    )
    application.test_client_class = BufferedClient
    yield application
    application.extensions["factcheck_engine"].dispose()


def _state(app, article_id: int) -> str | None:
    with app.extensions["factcheck_sessions"][False]() as session:
        return session.scalar(select(Article.extraction_state).where(Article.id == article_id))


def test_a_long_article_is_extracted_by_the_worker(app, client, as_user, consumers):  # noqa: F811
    as_user("reviewer")
    text = "\n\n".join(PARAGRAPH.format(n=n) for n in range(10, 30))
    response = client.post("/articles/new", data={"title": "Long report", "text": text})
    assert response.status_code == 302
    article_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    assert _state(app, article_id) == "pending"  # saved at once; no worker yet
    page = client.get(f"/articles/{article_id}").get_data(as_text=True)
    assert 'id="extraction-pending"' in page and 'id="suggestions"' not in page

    consumers()
    _wait_for(lambda: _state(app, article_id) == "done")
    page = client.get(f"/articles/{article_id}").get_data(as_text=True)
    assert 'id="extraction-pending"' not in page
    assert 'id="suggestions"' in page and "20 people were detained" in page
    with app.app_context():  # the job again: done already, nothing stored twice
        assert jobs.extract_article(article_id).get(blocking=True, timeout=30) == "skipped"
