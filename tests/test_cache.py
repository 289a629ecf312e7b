"""The status tabs' cache: fresh values after the time limit or after this process commits."""

from __future__ import annotations

import re
import time

from factcheck.web.cache import TimedCache
from tests.factories import make_claim


def test_values_are_reused_until_they_expire():
    cache, calls = TimedCache(), []

    def compute():
        calls.append(1)
        return len(calls)

    assert cache.get("k", 0.2, compute) == 1
    assert cache.get("k", 0.2, compute) == 1
    assert cache.get("other", 0.2, compute) == 2
    time.sleep(0.25)
    assert cache.get("k", 0.2, compute) == 3
    cache.clear()
    assert cache.get("k", 0.2, compute) == 4
    assert cache.get("k", 0, compute) == 5  # no caching at all


def all_count(client) -> int:
    page = client.get("/").get_data(as_text=True)
    return int(re.search(r'>All <span class="count">(\d+)</span>', page).group(1))


def test_tab_counts_are_cached_but_this_process_writes_show_at_once(
    app, client, as_user, db_session
):
    from factcheck.web.cache import status_counts_cache

    app.config["STATUS_COUNTS_SECONDS"] = 60
    status_counts_cache.clear()
    as_user("editor")
    assert all_count(client) == 0
    make_claim(db_session)  # written behind the app's back: the cached count stands
    db_session.commit()
    assert all_count(client) == 0
    response = client.post(
        "/claims/new", data={"text": "A brand new claim.", "claim_type": "other", "priority": 3}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert all_count(client) == 2  # the app's own commit refreshed the counts
