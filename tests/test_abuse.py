"""Abuse of the sign-in, the forms and the public pages (issue 14, items 2, 3, 5, 6, 7 and 9):
open redirects, username discovery by timing, control characters in every form field, a
database that goes away, who may read the reports, and public pages that are cacheable and set
no cookie. Every answer here is a clean 4xx or 503, never a 500, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError
from werkzeug.datastructures import MultiDict
from wtforms import Form

from factcheck.models import HistoryEvent, User
from factcheck.web.forms import CleanFieldsMeta
from factcheck.workflow import accounts
from factcheck.workflow.cleaning import CONTROL_MESSAGE
from factcheck.workflow.errors import ValidationFailed
from tests.conftest import login
from tests.factories import PASSWORD, make_claim, make_user, publish
from tests.test_access_matrix import url_for_rule, world  # noqa: F401 - world is a fixture

# --- 2. the redirect after sign-in stays on this site ---------------------------------------

OFF_SITE = [
    "////evil.example",
    "///evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
    "/%2F%2Fevil.example",  # decoded by the query string parser to ///evil.example
    "/%0d%0aX-Injected:%20yes",  # a header split: a 500 before
    "/%09/evil.example",
    "/%00",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_sign_in_never_redirects_off_site(client, users, target):
    response = client.post(f"/login?next={target}", data={"username": "rita", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "X-Injected" not in response.headers


def test_sign_in_keeps_a_same_site_next(client, users):
    response = client.post(
        "/login?next=/claims/7%3Fx%3D1", data={"username": "rita", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/claims/7?x=1"


# --- 3. one hash verification whatever the failure ------------------------------------------


class CountingHasher:
    """The app's hasher, counting verifications."""

    def __init__(self, inner) -> None:
        self.inner, self.verified = inner, 0

    def hash(self, password):
        return self.inner.hash(password)

    def verify(self, hashed, password):
        self.verified += 1
        return self.inner.verify(hashed, password)


@pytest.mark.parametrize(
    "username,password",
    [
        ("rita", PASSWORD),
        ("rita", "wrong password!"),
        ("nobody-here", "x" * 12),
        ("gone", PASSWORD),
    ],
)
def test_every_sign_in_costs_one_hash_verification(
    client, users, db_session, monkeypatch, username, password
):
    gone = make_user(db_session, "reviewer", "gone")
    gone.active = False
    db_session.commit()
    counting = CountingHasher(accounts._hasher)
    monkeypatch.setattr(accounts, "_hasher", counting)
    response = login(client, username, password)
    assert response.status_code in (302, 401)
    assert counting.verified == 1


def test_the_dummy_hash_costs_what_a_real_hash_costs():
    """Verified for unknown names: made by the hasher in use, with its parameters."""
    params = accounts._dummy_hash().split("$")[3]
    assert params == accounts.hash_password("anything at all").split("$")[3]


# --- 5. control characters in every form field -------------------------------------------------

CONTROL_VALUES = ["\x00", "a\x00b", "x\x01", "\x1b[31m", "del\x7f", "\x0bv"]


def all_form_classes():
    import factcheck.web.admin  # noqa: F401 - register every form class
    import factcheck.web.articles  # noqa: F401
    import factcheck.web.auth  # noqa: F401
    import factcheck.web.claims  # noqa: F401
    import factcheck.web.exports  # noqa: F401
    import factcheck.web.reports  # noqa: F401

    seen, todo = set(), [Form]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    mine = [c for c in seen if c.__module__.startswith("factcheck.")]
    return sorted(mine, key=lambda c: c.__qualname__)


def test_every_form_applies_the_cleaning_rule(app):
    assert len(all_form_classes()) > 10, "forms not found"
    with app.test_request_context():
        assert [
            c.__qualname__
            for c in all_form_classes()
            if not isinstance(c(formdata=None).meta, CleanFieldsMeta)
        ] == []


def text_fields(form):
    for field in form:
        if hasattr(field, "entries"):
            continue
        if field.type in ("StringField", "TextAreaField", "PasswordField", "HiddenField"):
            yield field.name


@pytest.mark.parametrize("form_class", all_form_classes(), ids=lambda c: c.__qualname__)
def test_a_control_character_is_an_error_at_its_field(app, form_class):
    with app.test_request_context(method="POST"):
        names = list(text_fields(form_class(formdata=None))) or []
        if form_class.__qualname__ == "ConfirmCandidatesForm":
            names.append("candidates-0-text")
        for name in names:
            for value in CONTROL_VALUES:
                form = form_class(formdata=MultiDict({name: value}))
                for choice_field in form:
                    if getattr(choice_field, "choices", ...) is None:
                        choice_field.choices = []
                assert not form.validate()
                assert CONTROL_MESSAGE in str(form.errors), (form_class, name, value)


def history_events(db_session) -> int:
    db_session.commit()
    return db_session.scalar(select(func.count()).select_from(HistoryEvent))


def field_names() -> set[str]:
    names = {"version", "candidates-0-text", "candidates-0-keep", "fingerprint"}
    for form_class in all_form_classes():
        names.update(f.name for f in form_class(formdata=None, meta={"csrf": False}))
    names.discard("csrf_token")
    return names


# Button-only actions read no field (an EmptyForm: the CSRF token alone); the sign-in form,
# for a client already signed in, sends it home. It is fuzzed signed out below.
BUTTON_ONLY = {
    "auth.logout",
    "auth.login",
    "admin.activate",
    "admin.deactivate",
    "claims.delete_source",
    "intake.poll_now",
    "intake.unsubscribe",
    "account_tokens.revoke",
    "admin.rotate_webhook_secret",
    "admin.test_webhook",
    "notifications.mark_read",
    "notifications.mark_all_read",
    "admin.delete_rating",
}


# A button or a list's row, whose input is not shown again: a refusal is flashed and sent back
# with a 303 (post/redirect/get, web/actions.back_to); nothing is written all the same.
SENT_BACK = {
    "admin.change_role",
    "admin.reset_password",
    "claims.approve",
    "claims.restore",
    "claims.take",
}


@pytest.mark.parametrize("value", ["a\x00b", "\x01"])
def test_every_post_route_refuses_control_characters(app, users, world, db_session, value):  # noqa: F811
    """Every POST route of the app, every field any form has, holding a control character:
    a 4xx (400 where a form is read), nothing written, on both databases."""
    with app.test_request_context():
        names = field_names()
    client = app.test_client()
    login(client, "ada")
    before = history_events(db_session)
    answers = {}
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in BUTTON_ONLY:
            continue
        url = url_for_rule(rule, world)
        data = {name: value for name in names}
        answers[rule.endpoint] = client.post(url, data=data).status_code
    refused = {e: s for e, s in answers.items() if not 400 <= s < 500}
    assert refused == dict.fromkeys(SENT_BACK, 303)
    assert history_events(db_session) == before
    # Signed out: the sign-in form itself (a NUL in the username was a 500 on PostgreSQL).
    anonymous = app.test_client()
    response = anonymous.post("/login", data={"username": f"rita{value}", "password": PASSWORD})
    assert response.status_code == 400
    assert CONTROL_MESSAGE in response.get_data(as_text=True)


QUERY_PARAMETERS = [
    "q",
    "status",
    "claim_type",
    "article_id",
    "assignee_id",
    "rating",
    "sort",
    "after",
    "before",
    "date_from",
    "date_to",
    "next",
]


@pytest.mark.parametrize("value", ["a\x00b", "\x1b", "%"])
def test_every_get_route_survives_control_characters_in_its_query(
    app,
    users,
    world,  # noqa: F811
    value,
):
    """Query strings are read leniently (a bad filter is ignored) or refused (a 400), never a
    500: every GET route, every parameter the app reads, on both databases."""
    client = app.test_client()
    login(client, "ada")
    answers = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        url = url_for_rule(rule, world)
        answers[rule.endpoint] = client.get(url, query_string={p: value for p in QUERY_PARAMETERS})
    assert {e: r.status_code for e, r in answers.items() if r.status_code >= 500} == {}


def test_services_refuse_control_characters(db_session):
    for field, kwargs in (
        ("display_name", {"display_name": "Nina\x00"}),
        ("email", {"email": "nina\x00@example.org"}),
        ("display_name", {"display_name": "Nina\x1b"}),
    ):
        with pytest.raises(ValidationFailed) as refused:
            accounts.create_user(
                db_session,
                None,
                username="nina",
                password=PASSWORD,
                **{"display_name": "Nina", **kwargs},
            )
        assert refused.value.field == field
    db_session.rollback()
    assert db_session.scalar(select(func.count()).select_from(User)) == 0


def test_csv_import_refuses_control_characters(app, db_session, users):
    from factcheck.csv_io import CsvFileError
    from factcheck.workflow.imports import plan_import

    data = b"text,claimant\r\nA claim,Some\x01one\r\n"
    with pytest.raises(CsvFileError) as refused:
        plan_import(data)
    assert "line 2, column claimant" in str(refused.value)
    assert "control characters" in str(refused.value)


# --- 6. a database that goes away ----------------------------------------------------------------


class Outage:
    """Every new connection fails as if the database were down, until `end()`."""

    def __init__(self, engine, backend: str) -> None:
        self.engine, self.backend, self.on = engine, backend, False

    def refuse(self, *_args, **_kwargs):
        if self.backend == "postgresql":
            import psycopg

            raise psycopg.OperationalError("connection refused (the test took it away)")
        import sqlite3

        raise sqlite3.OperationalError("unable to open database file (the test took it away)")

    def begin(self) -> None:
        self.engine.dispose()
        event.listen(self.engine, "do_connect", self.refuse)
        self.on = True

    def end(self) -> None:
        if self.on:
            event.remove(self.engine, "do_connect", self.refuse)
            self.on = False
        self.engine.dispose()


@pytest.fixture
def outage(app, backend):
    down = Outage(app.extensions["factcheck_engine"], backend)
    yield down
    down.end()


def assert_clean_503(response):
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    request_id = response.headers["X-Request-Id"]
    assert f"Reference: {request_id}" in body
    assert "Traceback" not in body and "OperationalError" not in body


def test_a_database_outage_is_a_clean_503(app, client, users, outage):
    signed_in = app.test_client()
    login(signed_in, "eddie")
    assert client.get("/readyz").status_code == 200
    outage.begin()
    for path in ("/", "/claims/1", "/reports"):
        assert_clean_503(signed_in.get(path))
    for path in ("/fact-checks", "/fact-checks.jsonld", "/fact-checks/1"):
        assert_clean_503(client.get(path))
    assert_clean_503(client.post("/login", data={"username": "rita", "password": PASSWORD}))
    assert client.get("/healthz").status_code == 200  # the process lives
    assert client.get("/readyz").status_code == 503  # but cannot serve
    assert client.get("/readyz").headers["Cache-Control"] == "no-store"


def test_the_jsonld_feed_never_sends_a_cut_off_200(client, monkeypatch, users):
    def failing(_session):
        raise OperationalError("SELECT ...", {}, Exception("server closed the connection"))
        yield  # a generator, like the real one

    monkeypatch.setattr("factcheck.web.public.iter_fact_checks", failing)
    assert_clean_503(client.get("/fact-checks.jsonld"))


def test_the_jsonld_feed_failing_mid_way_is_a_503_not_a_cut_off_200(client, monkeypatch, published):
    """The first row arrives, then the database goes: the document is built before anything
    is sent, so the answer is the clean 503, not a 200 whose JSON stops half-way."""
    from factcheck.queries.public import iter_fact_checks

    def failing_after_one(session):
        yield next(iter_fact_checks(session))
        raise OperationalError("FETCH ...", {}, Exception("server closed the connection"))

    assert client.get("/fact-checks.jsonld").get_json()["@graph"]  # whole when all is well
    monkeypatch.setattr("factcheck.web.public.iter_fact_checks", failing_after_one)
    assert_clean_503(client.get("/fact-checks.jsonld"))


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_the_jsonld_feed_gives_its_connection_back(app, client, published, method):
    """Its query starts before the 200 (above): the stream, or the response's close when the
    body is never read, ends the session."""
    assert client.open("/fact-checks.jsonld", method=method).status_code == 200
    assert app.extensions["factcheck_engine"].pool.checkedout() == 0


def test_readiness_recovers_with_the_database(app, client, outage):
    outage.begin()
    assert client.get("/readyz").status_code == 503
    outage.end()
    assert client.get("/readyz").status_code == 200


# --- 7. reports are for editors and admins --------------------------------------------------------


@pytest.mark.parametrize("path", ["/reports", "/reports.csv", "/reports.json"])
def test_reports_are_for_editors_and_admins(app, users, path):
    for username, status in (("rita", 403), ("eddie", 200), ("ada", 200)):
        client = app.test_client()
        login(client, username)
        assert client.get(path).status_code == status, (username, path)


def test_reviewers_see_no_reports_link(client, as_user):
    as_user("reviewer")
    assert 'href="/reports"' not in client.get("/").get_data(as_text=True)


# --- 9. public pages: no cookie, cacheable, no Host header in URLs ---------------------------


PUBLIC_PAGES = ["/fact-checks", "/fact-checks.jsonld", "/fact-checks/corrections"]


@pytest.fixture
def published(db_session, users):
    claim = make_claim(db_session, users["editor"])
    publish(db_session, users["reviewer"], users["editor"], claim)
    db_session.commit()
    return claim.id


@pytest.mark.parametrize("path", [*PUBLIC_PAGES, "/fact-checks/{id}"])
def test_anonymous_public_pages_set_no_cookie_and_answer_304(app, published, path):
    app.config["WTF_CSRF_ENABLED"] = True  # as in production: the CSRF token lived in a cookie
    client = app.test_client()
    path = path.format(id=published)
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers.getlist("Set-Cookie") == []
    # Shared caches may keep it a minute; a browser revalidates every time, so a correction
    # reaches a returning reader at once.
    assert response.headers["Cache-Control"] == "public, max-age=0, s-maxage=60, must-revalidate"
    assert "Cookie" in response.headers["Vary"]
    etag = response.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers.getlist("Set-Cookie") == []


def test_a_change_moves_the_etag(app, db_session, users, published):
    client = app.test_client()
    etag = client.get("/fact-checks").headers["ETag"]
    publish(db_session, users["reviewer"], users["editor"], make_claim(db_session, users["editor"]))
    db_session.commit()
    response = client.get("/fact-checks", headers={"If-None-Match": etag})
    assert response.status_code == 200 and response.headers["ETag"] != etag


def test_signed_in_public_pages_stay_private(client, as_user, published):
    as_user("editor")
    response = client.get("/fact-checks")
    assert response.headers["Cache-Control"] == "private, no-cache"


def test_public_urls_ignore_the_host_header(app, published):
    app.config["PUBLIC_BASE_URL"] = "https://checks.example.org"
    client = app.test_client()
    feed = client.get("/fact-checks.jsonld", headers={"Host": "evil.example"}).get_json()
    assert feed["@graph"][0]["url"] == f"https://checks.example.org/fact-checks/{published}"
    page = client.get(f"/fact-checks/{published}", headers={"Host": "evil.example"})
    assert "evil.example" not in page.get_data(as_text=True)


def test_a_dropped_postgresql_database_is_a_clean_503():
    """The real thing: the app's PostgreSQL database is dropped under it (its connections
    terminated), signed-in and anonymous visitors alike get the 503 page."""
    from config import TestingConfig
    from factcheck import create_app
    from factcheck.db import transaction, upgrade_database
    from factcheck.devsupport.databases import (
        POSTGRES_URL,
        create_postgres_database,
        drop_postgres_database,
    )

    if not POSTGRES_URL:
        pytest.skip("FACTCHECK_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped")
    url = create_postgres_database("factcheck_outage")
    try:
        upgrade_database(url)
        app = create_app(TestingConfig, DATABASE_URL=url)
        with transaction(app.extensions["factcheck_engine"]) as session:
            make_user(session, "editor", "eddie")
        signed_in, anonymous = app.test_client(), app.test_client()
        assert login(signed_in, "eddie").status_code == 302
        assert signed_in.get("/").status_code == 200
        drop_postgres_database(url)  # WITH (FORCE): the app's connections are terminated
        assert_clean_503(signed_in.get("/"))
        assert_clean_503(anonymous.get("/fact-checks.jsonld"))
        assert anonymous.get("/readyz").status_code == 503
        app.extensions["factcheck_engine"].dispose()
    finally:
        drop_postgres_database(url)
