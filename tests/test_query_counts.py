"""No N+1: the pages editors open all day run the same small number of SQL statements whether
the database holds 10 claims or 1,000 (and whether a claim has one source or many)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import event, func, select

from factcheck.demo import DEMO_PASSWORD, generate
from factcheck.models import Claim, Source, User
from factcheck.web.cache import VersionedCache
from tests.conftest import login

# The claim page is the largest: its reads, one for what the desk already holds (links and
# matches, `queries.matches.desk_record`), one for the header's unread notification count and
# one for the rating scale (read once per request; from the page cache, which this test turns
# off, between changes); the report has one aggregate per section.
MAX_STATEMENTS = 13
NOW = datetime(2026, 3, 1, tzinfo=UTC)


@contextmanager
def counting(engine):
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement != "BEGIN":  # SQLite's explicit one; psycopg sends PostgreSQL's unseen
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def pages(db_session) -> dict[str, str]:
    """The busiest claim (most sources) and the filtered list pages, at the current size."""
    db_session.commit()
    busiest = db_session.scalar(
        select(Source.claim_id).group_by(Source.claim_id).order_by(func.count().desc()).limit(1)
    )
    return {
        "claims list": "/?status=researching&sort=activity",
        "claims list, all": "/",
        "claim page": f"/claims/{busiest}",
        "queue": "/queue",
        "report": "/reports",
        "article page": "/articles/1",
    }


def statement_counts(app, client, db_session) -> dict[str, int]:
    engine = app.extensions["factcheck_engine"]
    counts = {}
    for name, url in pages(db_session).items():
        client.get(url)  # warm: first-request work (e.g. loading the user) is not the page's
        with counting(engine) as statements:
            response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        counts[name] = len(statements)
    return counts


def sign_in_as_demo_editor(client, db_session) -> None:
    editor = db_session.scalars(
        select(User.username).where(User.username.like("demo-editor-%")).order_by(User.id)
    ).first()
    assert login(client, editor, DEMO_PASSWORD).status_code == 302


def test_statements_per_page_do_not_grow_with_the_data(app, client, db_session):
    # Count the work of building each page, not the list's cached copy (see the next test).
    app.extensions["factcheck_page_cache"] = VersionedCache(max_entries=0)
    generate(db_session, 10, seed=3, now=NOW)
    db_session.commit()
    sign_in_as_demo_editor(client, db_session)
    small = statement_counts(app, client, db_session)
    generate(db_session, 990, seed=4, now=NOW)
    db_session.commit()
    assert db_session.scalar(select(func.count()).select_from(Claim)) == 1000
    large = statement_counts(app, client, db_session)
    print("statements per page at 10 / 1000 claims:", small, large)
    assert large == small
    assert max(large.values()) <= MAX_STATEMENTS, large


def test_a_cached_list_view_reads_only_the_change_counter(app, client, db_session):
    generate(db_session, 50, seed=5, now=NOW)
    db_session.commit()
    sign_in_as_demo_editor(client, db_session)
    client.get("/queue")  # shows the sign-in message, so the two views below are alike
    url = "/?status=researching&sort=activity"
    engine = app.extensions["factcheck_engine"]
    with counting(engine) as building:
        first = client.get(url).get_data(as_text=True)
    with counting(engine) as cached:
        again = client.get(url).get_data(as_text=True)
    assert again == first
    assert len(building) > 2
    assert cached == ["SELECT id, version FROM data_version"]  # the user is cached too
