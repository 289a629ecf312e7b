"""Browser tests: Playwright drives Debian's Chromium against the app served by a real gunicorn
process on 127.0.0.1, with a real migrated and seeded SQLite database in a temporary folder."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factcheck.cli import upgrade_database
from factcheck.db import make_engine, transaction
from factcheck.seeding import load_seeds
from factcheck.workflow import accounts

CHROMIUM = Path(os.environ.get("FACTCHECK_CHROMIUM", "/usr/bin/chromium"))
PASSWORD = "browser test password"
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited early with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start listening in time")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app under gunicorn (2 workers) on a free loopback port; yields its base URL."""
    folder = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{folder / 'live.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    with transaction(engine) as session:
        load_seeds(session)
        for username, name, role in PEOPLE:
            accounts.create_user(
                session, None, username=username, display_name=name, password=PASSWORD, role=role
            )
    engine.dispose()
    port = _free_port()
    env = {
        **os.environ,
        "FACTCHECK_DATABASE_URL": url,
        "FACTCHECK_CONFIG": "development",
        "FACTCHECK_SECRET_KEY": "browser-tests",
        "FACTCHECK_INSTANCE_DIR": str(folder),
    }
    log = open(folder / "server.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "factcheck:create_app()",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(port, process)
        yield {"base_url": f"http://127.0.0.1:{port}", "database_url": url, "folder": folder}
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


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
