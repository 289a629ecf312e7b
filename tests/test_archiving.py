"""Source archiving (issue 21, item 3): a new source is sent to the archive service (Save
Page Now's shape, here a local fake on 127.0.0.1) by a background job, inline here (huey's
immediate mode); the snapshot's address is shown beside the original, failures are retried and
shown on the claim page, and never block the reviewer."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from config import TestingConfig
from factcheck import create_app
from factcheck.intake import runs
from factcheck.intake.archive import ArchiveService
from factcheck.intake.fetch import policy_from
from factcheck.models import Source
from factcheck.vocabulary import ArchiveStatus
from factcheck.workflow import claims as wf
from tests.conftest import BufferedClient
from tests.factories import make_claim, publish, research
from tests.intake_server import HTML, IntakeServer

ORIGINAL = "https://example.org/report"
SNAPSHOT_PATH = "/web/20261130120000/https://example.org/report"


@pytest.fixture
def archive():
    with IntakeServer() as running:
        running.routes[f"/save/{ORIGINAL}"] = lambda h: (
            200,
            {**HTML, "Content-Location": SNAPSHOT_PATH},
            b"<p>saved</p>",
        )
        yield running


@pytest.fixture
def app(database_url, archive):
    application = create_app(
        TestingConfig,
        DATABASE_URL=database_url,
        HUEY_IMMEDIATE=True,
        ARCHIVE_SERVICE_URL=archive.base,
        ARCHIVE_TIMEOUT_SECONDS=5.0,
    )
    application.test_client_class = BufferedClient
    yield application
    application.extensions["factcheck_engine"].dispose()


def _context(app, base: str) -> runs.Context:
    return runs.Context(
        sessions=app.extensions["factcheck_sessions"][True],
        policy=policy_from(app.config),
        archive=ArchiveService(base, timeout=5.0),
    )


def _source(db_session) -> Source:
    db_session.commit()  # end the read transaction: see what the app and the job committed
    stmt = select(Source).order_by(Source.id.desc()).execution_options(populate_existing=True)
    return db_session.scalars(stmt).first()


def _add_source(client, claim_id: int, **extra):
    data = {"url": ORIGINAL, "title": "Report", "stance": "supports", "kind": "news_report",
            "reliability": 4, **extra}  # fmt: skip
    return client.post(f"/claims/{claim_id}/sources", data=data)


def test_a_new_source_is_archived_and_shown_beside_the_original(
    client, as_user, users, db_session, archive
):
    claim = make_claim(db_session, users["reviewer"])
    wf.take(db_session, users["reviewer"], claim, expected_version=None)
    db_session.commit()
    as_user("reviewer")
    assert _add_source(client, claim.id).status_code == 302
    source = _source(db_session)
    assert archive.paths() == [f"/save/{ORIGINAL}"]
    assert source.archive_status == ArchiveStatus.ARCHIVED
    assert source.archive_url == archive.base + SNAPSHOT_PATH
    assert source.version == 1  # the job changed no version: open forms stay valid
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert f'href="{archive.base + SNAPSHOT_PATH}"' in page and "archived copy" in page


def test_an_archive_address_given_by_hand_is_kept_and_nothing_is_asked(
    client, as_user, users, db_session, archive
):
    claim = make_claim(db_session, users["reviewer"])
    wf.take(db_session, users["reviewer"], claim, expected_version=None)
    db_session.commit()
    as_user("reviewer")
    _add_source(client, claim.id, archive_url="https://archive.example/kept")
    source = _source(db_session)
    assert archive.paths() == []
    assert (source.archive_url, source.archive_status) == ("https://archive.example/kept", None)


def test_a_busy_service_is_retried_and_its_error_shown_then_failed(
    app, client, as_user, users, db_session, archive
):
    archive.routes[f"/save/{ORIGINAL}"] = lambda h: (503, HTML, b"busy")
    claim = research(db_session, users["reviewer"], make_claim(db_session, users["reviewer"]))
    source = claim.sources[0]
    source.archive_status = ArchiveStatus.PENDING.value
    db_session.commit()
    ctx = _context(app, archive.base)
    with pytest.raises(runs.RetryLater):
        runs.run_archive(ctx, source.id, last_try=False)
    source = _source(db_session)
    assert source.archive_status == ArchiveStatus.PENDING
    assert "503" in source.archive_error
    as_user("reviewer")
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "it will be tried again" in page
    assert runs.run_archive(ctx, source.id, last_try=True) == "failed"
    source = _source(db_session)
    assert source.archive_status == ArchiveStatus.FAILED
    assert "not archived: archive service answered 503" in client.get(
        f"/claims/{claim.id}"
    ).get_data(as_text=True)
    # the reviewer is not held up: the verdict goes through on the same evidence
    claim = db_session.get(type(claim), claim.id)
    wf.draft_verdict(
        db_session, users["reviewer"], claim, rating="false", summary="s", rationale="r",
        expected_version=claim.version,
    )  # fmt: skip
    db_session.commit()


def test_a_refusal_fails_at_once_and_a_service_away_is_transient(app, users, db_session):
    claim = research(db_session, users["reviewer"], make_claim(db_session, users["reviewer"]))
    source = claim.sources[0]
    source.archive_status = ArchiveStatus.PENDING.value
    db_session.commit()
    with IntakeServer() as refusing:
        refusing.routes[f"/save/{ORIGINAL}"] = lambda h: (
            200, {**HTML, "X-Archive-Wayback-Runtime-Error": "Blocked By Robots"}, b""
        )  # fmt: skip
        assert runs.run_archive(_context(app, refusing.base), source.id, last_try=False) == (
            "failed"
        )
    assert "Blocked By Robots" in _source(db_session).archive_error
    _source(db_session).archive_status = ArchiveStatus.PENDING.value
    db_session.commit()
    with pytest.raises(runs.RetryLater):  # nothing listens there
        runs.run_archive(_context(app, "http://127.0.0.1:9"), source.id, last_try=False)


def test_the_public_page_links_the_archived_copy(client, users, db_session):
    claim = make_claim(db_session, users["reviewer"])
    publish(db_session, users["reviewer"], users["editor"], claim, rating="false")
    claim.sources[0].archive_url = "https://web.archive.example/web/1/https://example.org/report"
    db_session.commit()
    page = client.get(f"/fact-checks/{claim.id}").get_data(as_text=True)
    assert 'href="https://example.org/report"' in page
    assert "archived copy" in page


def test_a_source_added_through_the_api_is_archived_too(app, users, db_session, archive):
    from factcheck.workflow import tokens

    claim = make_claim(db_session, users["reviewer"])
    wf.take(db_session, users["reviewer"], claim, expected_version=None)
    _token, secret = tokens.create_token(db_session, users["reviewer"], name="t", scope="write")
    db_session.commit()
    response = app.test_client().post(
        f"/api/v1/claims/{claim.id}/sources",
        json={"url": ORIGINAL, "title": "Report", "stance": "supports"},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 201, response.get_json()
    source = _source(db_session)
    assert (source.archive_status, source.archive_url) == (
        ArchiveStatus.ARCHIVED,
        archive.base + SNAPSHOT_PATH,
    )
