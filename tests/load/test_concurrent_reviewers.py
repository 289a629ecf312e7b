"""Concurrent reviewers and editors against gunicorn (several workers) on a real database.

A bounded run (FACTCHECK_LOAD_SECONDS, default 10 s; 20 clients) of a realistic mix with
deliberate collisions on a handful of claims. It passes when no response is a 5xx, every answer
is a success or a clean 4xx, every successful write is in the database and in the history, the
hash chains verify and replaying the history reproduces each claim's state.
"""

from __future__ import annotations

import os
import random
import re
import threading
import time
import uuid
from collections import Counter

import pytest
import requests
from sqlalchemy import select

from factcheck.db import make_engine, session_factory
from factcheck.devsupport.live_server import PASSWORD, prepare_database, serve
from factcheck.models import Claim, Comment, Source
from factcheck.workflow.history import verify_chains
from factcheck.workflow.replay import current_state, replay_claim

pytestmark = pytest.mark.slow
SECONDS = float(os.environ.get("FACTCHECK_LOAD_SECONDS", "10"))
REVIEWERS = [(f"reviewer{i}", f"Reviewer {i}", "reviewer") for i in range(14)]
EDITORS = [(f"editor{i}", f"Editor {i}", "editor") for i in range(6)]
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')


class Client:
    def __init__(
        self, base_url: str, username: str, stats: Counter, lock: threading.Lock, written: list
    ):
        self.base, self.username, self.stats, self.lock = base_url, username, stats, lock
        self.written = written
        self.http = requests.Session()
        page = self.http.get(f"{self.base}/login", timeout=30).text
        self.token = TOKEN.search(page).group(1)
        response = self.http.post(
            f"{self.base}/login",
            timeout=30,
            allow_redirects=False,
            data={"username": username, "password": PASSWORD, "csrf_token": self.token},
        )
        assert response.status_code == 302, response.status_code
        self.token = TOKEN.search(self.http.get(f"{self.base}/", timeout=30).text).group(1)

    def count(self, response) -> int:
        with self.lock:
            self.stats["requests"] += 1
            code = response.status_code
            if code >= 500:
                self.stats["errors"] += 1
            elif code == 409:
                self.stats["conflicts"] += 1
            elif code in (400, 403, 303):  # 303: a refusal or a conflict, sent to its page
                self.stats["refused"] += 1
            elif code not in (200, 302):
                self.stats["errors"] += 1
        return response.status_code

    def get(self, path: str) -> str:
        response = self.http.get(self.base + path, timeout=60)
        self.count(response)
        return response.text

    def post(self, path: str, data: dict, files: dict | None = None) -> int:
        response = self.http.post(
            self.base + path,
            timeout=60,
            allow_redirects=False,
            data={**data, "csrf_token": self.token},
            files=files,
        )
        return self.count(response)

    def step(self, claim_id: int, rng: random.Random, staff_ids: list[int]) -> None:
        page = self.get(f"/claims/{claim_id}")
        versions = VERSION.findall(page)
        version = versions[0] if versions else "0"
        action = rng.choice(
            ["list", "comment", "source", "take", "draft", "assign", "approve", "return"]
        )
        if action == "list":
            self.get("/?sort=activity")
        elif action == "comment":
            body = f"note {uuid.uuid4().hex}"
            if self.post(f"/claims/{claim_id}/comments", {"body": body}) == 302:
                self.written.append(("comment", claim_id, body))
        elif action == "source":
            title = f"source {uuid.uuid4().hex}"
            status = self.post(
                f"/claims/{claim_id}/sources",
                {
                    "url": "https://example.org/" + title[7:],
                    "title": title,
                    "stance": rng.choice(["supports", "refutes", "context"]),
                    "kind": "other",
                    "reliability": 3,
                },
            )
            if status == 302:
                self.written.append(("source", claim_id, title))
        elif action == "take":
            self.post(f"/claims/{claim_id}/take", {"version": version})
        elif action == "draft":
            self.post(
                f"/claims/{claim_id}/verdict",
                {
                    "version": version,
                    "rating": "mixed",
                    "summary": "Load summary",
                    "rationale": "Load rationale",
                },
            )
        elif action == "assign":
            self.post(
                f"/claims/{claim_id}/assign",
                {"version": version, "assignee": rng.choice(staff_ids)},
            )
        elif action == "approve":
            self.post(f"/claims/{claim_id}/approve", {"version": version})
        else:
            self.post(f"/claims/{claim_id}/return", {"version": version, "reason": "More."})


def test_concurrent_reviewers_lose_nothing(load_database, tmp_path):
    prepare_database(load_database, REVIEWERS + EDITORS)
    engine = make_engine(load_database)
    with session_factory(engine, write=False)() as s:
        claim_ids = list(s.scalars(select(Claim.id).order_by(Claim.id)))[:5]
        from factcheck.models import User

        staff_ids = list(s.scalars(select(User.id)))
    stats, lock, written = Counter(), threading.Lock(), []
    with serve(load_database, tmp_path, workers=4) as base_url:
        clients = [
            Client(base_url, name, stats, lock, written) for name, _, _ in REVIEWERS + EDITORS
        ]
        deadline = time.monotonic() + SECONDS
        failures = []

        def run(client: Client, seed: int) -> None:
            rng = random.Random(seed)
            try:
                while time.monotonic() < deadline:
                    client.step(rng.choice(claim_ids), rng, staff_ids)
            except Exception as exc:  # noqa: BLE001 - reported below
                failures.append(repr(exc))

        threads = [threading.Thread(target=run, args=(c, i)) for i, c in enumerate(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=SECONDS + 120)
    print(
        f"\nload ({engine.dialect.name}, {len(clients)} clients, {SECONDS:.0f} s): "
        f"{stats['requests']} requests, {stats['errors']} errors, "
        f"{stats['conflicts']} conflicts, {stats['refused']} refused (400/403)"
    )
    assert failures == []
    assert stats["errors"] == 0
    assert stats["requests"] > 0

    with session_factory(engine, write=False)() as s:
        comments = {(c.claim_id, c.body) for c in s.scalars(select(Comment))}
        sources = {(x.claim_id, x.title) for x in s.scalars(select(Source))}
        for kind, claim_id, value in written:
            assert (claim_id, value) in (comments if kind == "comment" else sources), value
        _count, broken = verify_chains(s)
        assert broken == []
        for claim_id in claim_ids:
            assert replay_claim(s, claim_id) == current_state(s, claim_id)
        from sqlalchemy import func

        from factcheck.models import HistoryEvent

        recorded = s.scalar(
            select(func.count())
            .select_from(HistoryEvent)
            .where(HistoryEvent.action.in_(["commented", "source_added"]))
        )
        assert recorded == len(written)
    engine.dispose()
