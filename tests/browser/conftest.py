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
