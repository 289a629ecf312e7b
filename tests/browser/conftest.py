"""Browser tests: Playwright drives Debian's Chromium against the app served by a real gunicorn
process on 127.0.0.1, with a real migrated and seeded SQLite database in a temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from factcheck.devsupport.live_server import PASSWORD, prepare_database, serve

CHROMIUM = Path(os.environ.get("FACTCHECK_CHROMIUM", "/usr/bin/chromium"))
PEOPLE = [
    ("rita", "Rita Reviewer", "reviewer"),
    ("eddie", "Eddie Editor", "editor"),
    ("erin", "Erin Editor", "editor"),
]
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app under gunicorn (2 workers) on a free loopback port, on a seeded SQLite file."""
    folder = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{folder / 'live.db'}"
    prepare_database(url, PEOPLE)
    with serve(url, folder) as base_url:
        yield {"base_url": base_url, "database_url": url, "folder": folder}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            f"no Chromium at {CHROMIUM}: install Debian's 'chromium' package "
            "(.ci/run does) to run the browser tests"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open a fresh browser context (own cookies) signed in as `username`."""
    contexts = []

    def open_as(username: str):
        context = browser.new_context(base_url=live_server["base_url"])
        contexts.append(context)
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")
        return page

    yield open_as
    for context in contexts:
        context.close()


ARTICLE_TEXT = (
    "The mayor said the bridge repair cost 3 million euros last year.\n\n"
    "Opposition councillors claimed the real cost was twice as high."
)


@pytest.fixture(scope="session")
def world(live_server):
    """Claims in each state these tests look at, and enough claims for a second list page."""
    from sqlalchemy import select

    from factcheck.db import make_engine, transaction
    from factcheck.models import User
    from factcheck.workflow import accounts, review
    from factcheck.workflow import claims as wf
    from factcheck.workflow.articles import ArticleInput, create_article
    from factcheck.workflow.events import extraction_extra
    from factcheck.workflow.sources import SourceInput, add_source

    engine = make_engine(live_server["database_url"])
    with transaction(engine) as s:
        people = {u.username: u for u in s.scalars(select(User))}
        for name, role in (("ada", "admin"), ("zed", "reviewer")):
            people[name] = accounts.create_user(
                s, None, username=name, display_name=name.title(), password=PASSWORD, role=role
            )
        rita, eddie, erin = people["rita"], people["eddie"], people["erin"]

        def claim(text, **extra):
            return wf.create_claim(s, eddie, wf.ClaimInput(text=text, priority=5), **extra)

        def drafted(text, rating):
            c = claim(text)
            wf.assign(s, eddie, c, rita, expected_version=c.version)
            add_source(s, rita, c, SourceInput(url=f"https://ex.example/{c.id}", title="Minutes",
                                               stance="refutes"))  # fmt: skip
            review.draft_verdict(
                s, rita, c, rating=rating, summary="Short of the record.",
                rationale="The minutes say otherwise.", expected_version=c.version,
            )  # fmt: skip
            return c

        returned = drafted("Zephyr returned claim about the ferry", "false")
        review.return_verdict(s, erin, returned, reason="Cite the minutes' date.",
                              expected_version=returned.version)  # fmt: skip
        waiting = drafted("Zephyr waiting claim about the tunnel", "mostly_false")
        published = claim(
            "Zephyr published claim about the dam",
            history_details=extraction_extra(0.82, ["names a number", "reported speech"],
                                             "official_action", "the mayor"),
        )  # fmt: skip
        wf.assign(s, eddie, published, rita, expected_version=published.version)
        add_source(s, rita, published, SourceInput(url="https://dam.example/", title="Dam report",
                                                   stance="supports"))  # fmt: skip
        review.draft_verdict(
            s, rita, published, rating="mostly_true", summary="Close enough.",
            rationale="The report agrees.", expected_version=published.version,
        )  # fmt: skip
        review.approve(s, erin, published, expected_version=published.version)
        empty = create_article(s, rita, ArticleInput(title="Quiet day", text="Nothing happened."))
        marked = create_article(s, rita, ArticleInput(title="Bridge", text=ARTICLE_TEXT))
        quote = "the bridge repair cost 3 million euros"
        start = ARTICLE_TEXT.index(quote)
        wf.create_claim(s, rita, wf.ClaimInput(text="The repair cost 3 million euros.",
                                               quote=quote), article=marked,
                        span=(start, start + len(quote)))  # fmt: skip
        for i in range(55):
            claim(f"Zephyr filler claim number {i}")
        ids = {
            "returned": returned.id,
            "waiting": waiting.id,
            "published": published.id,
            "empty": empty.id,
            "marked": marked.id,
            "ada": people["ada"].id,
            "zed": people["zed"].id,
        }
    engine.dispose()
    return ids
