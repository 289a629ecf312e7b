"""Parallel sign-ins against gunicorn (several worker processes) on a real database (issue 14,
item 4; issue 13, item 9): wrong passwords for one account sent at the same moment are counted
one after the other (no primary-key collision, no more answered guesses than the limit), and
many right passwords at once all get in (the hash is checked before SQLite's write lock)."""

from __future__ import annotations

import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from config import Config
from factcheck.devsupport.live_server import PASSWORD, prepare_database, serve

pytestmark = pytest.mark.slow
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
PEOPLE = [("rita", "Rita", "reviewer")] + [(f"user{i}", f"User {i}", "reviewer") for i in range(30)]


def sign_in_together(base_url: str, attempts: list[tuple[str, str]]) -> Counter:
    """Each (username, password) from its own browser, released at the same moment."""
    barrier = threading.Barrier(len(attempts))

    def attempt(username: str, password: str) -> int:
        browser = requests.Session()
        token = TOKEN.search(browser.get(f"{base_url}/login", timeout=60).text).group(1)
        barrier.wait(timeout=60)
        response = browser.post(
            f"{base_url}/login",
            data={"username": username, "password": password, "csrf_token": token},
            allow_redirects=False,
            timeout=60,
        )
        return response.status_code

    with ThreadPoolExecutor(len(attempts)) as pool:
        return Counter(pool.map(lambda a: attempt(*a), attempts))


def test_parallel_sign_ins_are_counted_one_by_one(load_database, tmp_path):
    prepare_database(load_database, PEOPLE)
    limit = Config.LOGIN_MAX_FAILURES
    with serve(load_database, tmp_path, workers=4) as base_url:
        wrong = sign_in_together(base_url, [("rita", "not the password")] * 12)
        assert all(status < 500 for status in wrong), wrong
        assert wrong[401] == limit and wrong[429] == 12 - limit, wrong
        # That client is now locked for rita, right password or not.
        assert sign_in_together(base_url, [("rita", PASSWORD)]) == Counter({429: 1})
        right = sign_in_together(base_url, [(name, PASSWORD) for name, _, _ in PEOPLE[1:]])
        assert right == Counter({302: len(PEOPLE) - 1}), right
