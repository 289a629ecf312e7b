"""The change counter and the page cache keyed by it: cached list pages are never stale, whichever
process (worker, CLI, script) made the change, and never show one user's parts to another."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text

from factcheck.data_version import (
    current_version,
    forget_versions_at_transaction_end,
    mark_written,
    versions_of,
)
from factcheck.db import make_engine, session_factory
from factcheck.models import Claim, User
from factcheck.web.cache import (
    COUNTS,
    LIST,
    REGIONS,
    USERS,
    PageCache,
    VersionedCache,
    cache_key,
    cached,
    region_sizes,
)
from factcheck.workflow.claims import add_comment
from tests.conftest import login, running_app
from tests.factories import PASSWORD, make_claim, make_user
from tests.test_query_counts import counting

# ------------------------------------------------------------------ the cache on its own


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return compute


def test_values_are_reused_while_the_version_stands():
    cache, compute = VersionedCache(), counter()
    assert cache.get(1, "k", compute) == 1
    assert cache.get(1, "k", compute) == 1
    assert cache.get(1, "other", compute) == 2
    assert cache.get(2, "k", compute) == 3  # the database changed: rebuilt
    assert cache.get(2, "other", compute) == 4  # and every older entry is gone
    assert cache.get(2, "k", compute) == 3


def test_a_counter_that_goes_back_empties_the_cache():
    """A restored backup moves the counter back; the values cached before must not return
    when it climbs to the same number again with other data."""
    cache, compute = VersionedCache(), counter()
    assert cache.get(5, "k", compute) == 1
    assert cache.get(4, "k", compute) == 2
    assert cache.get(4, "k", compute) == 2
    assert cache.get(5, "k", compute) == 3


def test_the_cache_is_bounded_and_can_be_switched_off():
    cache, compute = VersionedCache(max_entries=2), counter()
    for key in ("a", "b", "c"):
        cache.get(1, key, compute)
    assert cache.get(1, "a", compute) == 4  # the oldest entry made room
    assert cache.get(1, "c", compute) == 3
    off = VersionedCache(max_entries=0)
    assert [off.get(1, "k", compute) for _ in range(2)] == [5, 6]


def test_each_region_has_its_own_room():
    """A burst of one kind (many filtered lists) never pushes out another (signed-in users)."""
    sizes = dict.fromkeys(REGIONS, 2)
    cache, compute = PageCache(sizes), counter()
    assert cache.get(1, cache_key(USERS, "7"), compute) == 1
    for n in range(5):
        cache.get(1, cache_key(COUNTS, n), compute)
    assert cache.get(1, cache_key(USERS, "7"), compute) == 1  # still there
    assert cache.get(1, cache_key(COUNTS, 0), compute) == 7  # pushed out by its own kind
    assert len(cache.regions[USERS.name]) == 1
    assert len(cache.regions[COUNTS.name]) == 2


def test_keys_are_built_in_one_place(app):
    assert cache_key(USERS, "7") == ("user", "7")
    with pytest.raises(KeyError):
        cache_key("no such region", 1)
    # A region of rendered pages is keyed by the mount point its URLs were written for.
    with app.test_request_context("/", base_url="http://x/desk"):
        assert cache_key(LIST, "filters") == ("claims list", "/desk", "filters")
    assert region_sizes(app.config)[USERS.name] == app.config["USER_CACHE_ENTRIES"]
    assert set(region_sizes({**app.config, "PAGE_CACHE_ENTRIES": 0}).values()) == {0}


def test_the_app_factory_registers_the_counters_listener():
    """No listener is registered by importing the module; `create_app` registers it, once."""
    code = (
        "from sqlalchemy import event\n"
        "from sqlalchemy.orm import Session\n"
        "from factcheck import data_version, create_app\n"
        "from config import TestingConfig\n"
        "hooked = lambda: event.contains(Session, 'after_transaction_end',"
        " data_version._forget_version)\n"
        "print(hooked())\n"
        "create_app(TestingConfig, DATABASE_URL='sqlite://')\n"
        "create_app(TestingConfig, DATABASE_URL='sqlite://')\n"
        "print(hooked())\n"
    )
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["False", "True"]


# ------------------------------------------------------------------ the counter


def test_each_committed_write_moves_the_counter_and_nothing_else_does(engine):
    with engine.connect() as conn:
        start = current_version(conn)
    with session_factory(engine, write=True)() as s:
        make_claim(s)
        s.commit()
        after_write = current_version(s)
        s.commit()  # a transaction that only read
        assert current_version(s) == after_write
        make_claim(s)
        s.rollback()  # a write rolled back
        assert current_version(s) == after_write
    assert after_write == start + 1  # one transaction, however many rows
    with engine.begin() as conn:
        conn.execute(text("UPDATE users SET display_name = display_name"))  # Core, not the ORM
    with engine.begin() as conn:
        mark_written(conn)  # a write SQLAlchemy cannot see, such as COPY
    with engine.connect() as conn:
        assert current_version(conn) == after_write + 2


def test_another_process_sees_the_counter_move(database_url, engine):
    """A second engine stands for another gunicorn worker or the CLI: its own pool, its own
    connections."""
    other = make_engine(database_url)
    try:
        with engine.connect() as conn:
            before = current_version(conn)
        with session_factory(other, write=True)() as s:
            make_claim(s)
            s.commit()
        with engine.connect() as conn:
            assert current_version(conn) == before + 1
    finally:
        other.dispose()


# ------------------------------------------------------------------ cached pages


def tab_count(client) -> int:
    page = client.get("/").get_data(as_text=True)
    return int(re.search(r'>All <span class="count">(\d+)</span>', page).group(1))


@pytest.fixture
def second_worker(database_url):
    """Another app on the same database, as a second gunicorn worker would be."""
    with running_app(database_url) as app:
        yield app


def test_a_change_made_anywhere_shows_at_once_on_a_cached_list(
    app, client, as_user, db_session, second_worker
):
    assert app.config["PAGE_CACHE_ENTRIES"] > 0  # the tests run with the cache on, as served
    as_user("editor")
    assert tab_count(client) == 0
    assert tab_count(client) == 0  # now served from the cache

    other = second_worker.test_client()
    assert login(other, "rita").status_code == 302
    response = other.post(
        "/claims/new", data={"text": "A claim from worker two.", "claim_type": "other"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    page = client.get("/").get_data(as_text=True)
    assert "A claim from worker two." in page
    assert tab_count(client) == 1

    make_claim(db_session, text="A claim written by a script.")  # neither worker's session
    db_session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "A claim written by a script." in page
    assert tab_count(client) == 2


def test_a_cached_list_keeps_each_users_own_parts(app, users, db_session):
    make_claim(db_session, text="Shared claim.")
    db_session.commit()
    pages = {}
    for name in ("eddie", "erin", "rita"):  # two editors, then a reviewer
        client = app.test_client()
        assert login(client, name).status_code == 302
        pages[name] = client.get("/?q=Shared").get_data(as_text=True)
        assert "Shared claim." in pages[name]

    def who(page):
        return re.search(r'<div class="who">\s*<span>([^<]+)<', page).group(1).strip()

    def token(page):
        return re.search(r'name="csrf_token" type="hidden" value="([^"]*)"', page)

    assert [who(pages[n]) for n in ("eddie", "erin", "rita")] == [
        users["editor"].display_name,
        users["editor2"].display_name,
        users["reviewer"].display_name,
    ]
    assert "Download CSV" in pages["eddie"] and "Download CSV" in pages["erin"]
    assert "Download CSV" not in pages["rita"]  # the reviewer's page is cached apart
    tokens = []
    with running_app(app.config["DATABASE_URL"]) as with_tokens:
        with_tokens.config["WTF_CSRF_ENABLED"] = True
        for name in ("eddie", "erin"):
            client = with_tokens.test_client()
            login_page = client.get("/login").get_data(as_text=True)
            response = client.post(
                "/login",
                data={"username": name, "password": PASSWORD, "csrf_token": token(login_page)[1]},
            )
            assert response.status_code == 302
            tokens.append(token(client.get("/").get_data(as_text=True))[1])
    assert tokens[0] != tokens[1]  # the sign-out form's token is each session's own


def test_a_repeat_report_view_is_served_from_the_cache_until_the_data_changes(
    app, client, as_user, db_session
):
    as_user("editor")
    engine = app.extensions["factcheck_engine"]

    def claims_counted() -> int:
        return sum(client.get("/reports.json").get_json()["totals"].values())

    assert claims_counted() == 0
    with counting(engine) as statements:
        assert claims_counted() == 0
    assert not any("GROUP BY" in statement for statement in statements), statements
    make_claim(db_session)
    db_session.commit()
    assert claims_counted() == 1


# ------------------------------------------------------------------ the signed-in user


def test_a_user_deactivated_elsewhere_is_signed_out_at_once(
    app, client, users, db_session, second_worker
):
    assert login(client, "rita").status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200  # the user now comes from the cache
    admin = second_worker.test_client()
    assert login(admin, "ada").status_code == 302
    response = admin.post(f"/admin/users/{users['reviewer'].id}/deactivate")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_cached_user_is_each_requests_own_copy(app, users):
    from factcheck.db import session_factory
    from factcheck.web.security import cached_user

    factory = session_factory(app.extensions["factcheck_engine"], write=False)
    user_id = users["reviewer"].get_id()
    with app.app_context():
        with factory() as first:
            cached_user(first, user_id)  # loads and caches
        with factory() as second:
            mine = cached_user(second, user_id)
            assert mine in second  # attached to this request's session
            mine.display_name = "Changed, then rolled back"
            second.rollback()
        with factory() as third:
            assert cached_user(third, user_id).display_name == users["reviewer"].display_name
            assert cached_user(third, "junk") is None


def test_an_article_pages_suggestions_are_compared_once_until_the_data_changes(
    app, client, as_user, db_session
):
    from tests.factories import make_article

    article = make_article(db_session, text="Police said 40 protesters were arrested on Monday.")
    db_session.commit()
    as_user("reviewer")
    engine = app.extensions["factcheck_engine"]
    assert client.get(f"/articles/{article.id}").status_code == 200
    with counting(engine) as statements:
        assert client.get(f"/articles/{article.id}").status_code == 200
    assert not any("LIKE" in statement for statement in statements), statements
    make_claim(db_session, text="Police said 40 protesters were arrested.")
    db_session.commit()
    assert "Restates" in client.get(f"/articles/{article.id}").get_data(as_text=True)


# ------------------------------------------------------------ invalidation by table (issue 16)


def test_a_write_moves_the_counters_of_the_tables_it_wrote_only(engine):
    forget_versions_at_transaction_end()
    with session_factory(engine, write=True)() as s:
        make_claim(s)
        s.commit()
        users, claims = versions_of(s, ["users"]), versions_of(s, ["claims"])
        comments = versions_of(s, ["comments"])
        s.commit()
        s.execute(text("UPDATE claims SET priority = priority"))
        s.commit()
        assert versions_of(s, ["users"]) == users  # not written: values built from it stand
        assert versions_of(s, ["comments"]) == comments
        assert versions_of(s, ["claims"]) != claims
        claims = versions_of(s, ["claims"])
        s.commit()
        s.execute(text('UPDATE "users" SET display_name = display_name'))  # a quoted name too
        s.commit()
        assert versions_of(s, ["users"]) != users
        assert versions_of(s, ["claims"]) == claims
        users = versions_of(s, ["users"])
        s.commit()
    with engine.begin() as conn:
        mark_written(conn)  # a write whose tables are not known: everything moves
    with session_factory(engine, write=False)() as s:
        assert versions_of(s, ["users"]) != users and versions_of(s, ["claims"]) != claims


def test_cached_values_outlive_writes_to_tables_they_do_not_read(app):
    """A comment (claims, comments, history) keeps the cached users; a user's change keeps the
    cached status counts; each rebuilds what reads the table it wrote."""
    engine = app.extensions["factcheck_engine"]
    with session_factory(engine, write=True)() as s:
        author = make_user(s).id
        make_claim(s)
        s.commit()
    compute = counter()

    def look(region) -> int:
        with app.app_context(), session_factory(engine, write=False)() as s:
            return cached(s, region, ("k",), compute)

    first_user, first_counts = look(USERS), look(COUNTS)
    assert (look(USERS), look(COUNTS)) == (first_user, first_counts)  # cached
    with session_factory(engine, write=True)() as s:
        claim = s.scalars(select(Claim)).first()
        add_comment(s, s.get(User, author), claim, "Noted.")
        s.commit()
    assert look(USERS) == first_user  # kept
    counts = look(COUNTS)
    assert counts != first_counts  # rebuilt: the comment touched the claim
    with engine.begin() as conn:
        conn.execute(text("UPDATE users SET display_name = display_name || ''"))
    assert look(COUNTS) == counts  # kept
    assert look(USERS) != first_user  # rebuilt
