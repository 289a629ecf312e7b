"""The history under real concurrency, against gunicorn (2 workers) on SQLite and PostgreSQL.

- Twenty clients writing the `system` chain at once (articles, accounts) all succeed: each
  append locks the chain's head instead of racing for its next sequence number.
- A write during a 5,000-row CSV import waits for it and succeeds: the import validates its
  file before taking SQLite's write lock and then holds it briefly (well under the 15 s busy
  timeout even on a loaded machine; `bench/run.py --only import` measures it).
- A bounded mixed run (FACTCHECK_LOAD_SECONDS, default 15 s; 20 clients creating articles,
  importing small CSVs, creating accounts, commenting, and working claims: adding and editing
  sources, drafting, approving, returning): no 5xx, every acknowledged write is in the database,
  `verify-history` says intact; then deleting a chain's tail makes it fail.
"""

from __future__ import annotations

import io
import os
import random
import re
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter

import pytest
from sqlalchemy import select, text

from factcheck.db import make_engine, session_factory
from factcheck.devsupport.live_server import PROJECT_ROOT, prepare_database, serve
from factcheck.devsupport.samples import claims_csv
from factcheck.models import Article, Claim, Comment, HistoryEvent, User
from tests.load.test_concurrent_reviewers import Client

pytestmark = pytest.mark.slow
SECONDS = float(os.environ.get("FACTCHECK_LOAD_SECONDS", "15"))
EDITORS = [(f"editor{i}", f"Editor {i}", "editor") for i in range(10)]
ADMINS = [(f"admin{i}", f"Admin {i}", "admin") for i in range(4)]
REVIEWERS = [(f"reviewer{i}", f"Reviewer {i}", "reviewer") for i in range(6)]
SOURCE_EDIT = re.compile(r'href="(/claims/\d+/sources/\d+/edit)"')
FORM_VALUE = re.compile(r'name="(\w+)" type="(?:hidden|text|url|number)" value="([^"]*)"')
ARTICLE_TEXT = "The ministry said on Monday that the bridge would reopen in May."


class Run:
    """Clients signed in to one server, their answers counted, their acknowledged writes kept."""

    def __init__(self, base_url: str, people: list[tuple[str, str, str]]) -> None:
        self.stats, self.lock, self.written = Counter(), threading.Lock(), []
        self.clients = [
            Client(base_url, name, self.stats, self.lock, self.written) for name, _, _ in people
        ]
        self.failures: list[str] = []

    def in_parallel(self, work) -> None:
        """`work(client, index)` in one thread per client, all started together."""
        start = threading.Barrier(len(self.clients))

        def run(client: Client, index: int) -> None:
            try:
                start.wait()
                work(client, index)
            except Exception as exc:  # noqa: BLE001 - reported by the test
                self.failures.append(repr(exc))

        threads = [
            threading.Thread(target=run, args=(client, i)) for i, client in enumerate(self.clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=SECONDS + 180)


def create_article(client: Client, written: list) -> int:
    """A new article: its own text too, since the same text again lands on the article
    already on the desk (a re-sent paste is not a second article)."""
    title = f"Article {uuid.uuid4().hex}"
    text = f"{ARTICLE_TEXT} Reference {title}."
    status = client.post("/articles/new", {"title": title, "text": text})
    if status == 302:
        written.append(("article", title))
    return status


def create_account(client: Client, written: list) -> int:
    username = f"u{uuid.uuid4().hex[:12]}"
    status = client.post(
        "/admin/users",
        {
            "username": username,
            "display_name": username,
            "role": "reviewer",
            "password": "a long enough password",
        },
    )
    if status == 302:
        written.append(("user", username))
    return status


def import_small_file(client: Client, written: list) -> int:
    prefix = uuid.uuid4().hex[:12]
    files = {"file": (f"{prefix}.csv", io.BytesIO(claims_csv(5, prefix, articles=2)))}
    status = client.post("/imports/claims", {}, files=files)
    if status == 302:
        written.extend(("claim", f"{prefix}-{i}") for i in range(5))
    return status


def comment(client: Client, written: list, claim_id: int) -> int:
    body = f"note {uuid.uuid4().hex}"
    status = client.post(f"/claims/{claim_id}/comments", {"body": body})
    if status == 302:
        written.append(("comment", body))
    return status


def edit_a_source(client: Client, claim_id: int, rng: random.Random) -> int | None:
    """Open a source's edit form as shown and save it with a new title (its version carried)."""
    page = client.get(f"/claims/{claim_id}")
    links = SOURCE_EDIT.findall(page)
    if not links:
        return None
    form = client.get(rng.choice(links))
    fields = dict(FORM_VALUE.findall(form))
    if "version" not in fields:
        return None
    fields.pop("csrf_token", None)
    fields["title"] = f"edited {uuid.uuid4().hex}"
    fields.setdefault("stance", "context")
    return client.post(rng.choice(links), fields)


def stored(url: str) -> dict[str, set]:
    engine = make_engine(url)
    with session_factory(engine, write=False)() as s:
        found = {
            "article": set(s.scalars(select(Article.title))),
            "user": set(s.scalars(select(User.username))),
            "claim": set(s.scalars(select(Claim.external_key))),
            "comment": set(s.scalars(select(Comment.body))),
        }
    engine.dispose()
    return found


def assert_nothing_lost(url: str, written: list) -> None:
    found = stored(url)
    lost = [(kind, value) for kind, value in written if value not in found[kind]]
    assert lost == []


def verify_history(url: str) -> subprocess.CompletedProcess:
    """`flask verify-history`, as an operator runs it."""
    env = {**os.environ, "FACTCHECK_DATABASE_URL": url, "FACTCHECK_CONFIG": "development"}
    env["FACTCHECK_SECRET_KEY"] = "load-tests"
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "factcheck", "verify-history"],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_twenty_concurrent_writers_of_the_system_chain(load_database, tmp_path):
    prepare_database(load_database, EDITORS + ADMINS + REVIEWERS)
    with serve(load_database, tmp_path, workers=2) as base_url:
        run = Run(base_url, EDITORS + ADMINS + REVIEWERS)

        def work(client: Client, index: int) -> None:
            for _ in range(3):
                if client.username.startswith("admin"):
                    create_account(client, run.written)
                else:
                    create_article(client, run.written)

        run.in_parallel(work)
    assert run.failures == []
    assert run.stats["errors"] == 0, run.stats
    assert len(run.written) == 60
    assert_nothing_lost(load_database, run.written)
    result = verify_history(load_database)
    assert result.returncode == 0, result.stderr


def test_a_write_during_a_big_import_waits_for_it(load_database, tmp_path):
    prepare_database(load_database, EDITORS[:2])
    with serve(load_database, tmp_path, workers=2) as base_url:
        run = Run(base_url, EDITORS[:2])
        importer, writer = run.clients
        answers: dict[str, int] = {}
        data = claims_csv(5_000, "big")

        def big_import() -> None:
            files = {"file": ("big.csv", io.BytesIO(data))}
            answers["import"] = importer.post("/imports/claims", {}, files=files)

        thread = threading.Thread(target=big_import)
        thread.start()
        overlapping = 0
        while thread.is_alive():
            assert create_article(writer, run.written) == 302
            overlapping += thread.is_alive()
        thread.join()
    assert answers["import"] == 302
    assert overlapping > 0  # at least one write was answered while the import ran
    assert run.stats["errors"] == 0, run.stats
    assert_nothing_lost(load_database, run.written)
    assert len(stored(load_database)["claim"] - {None}) >= 5_000


def test_mixed_load_loses_nothing_and_the_history_verifies(load_database, tmp_path):
    prepare_database(load_database, EDITORS + ADMINS + REVIEWERS)
    engine = make_engine(load_database)
    with session_factory(engine, write=False)() as s:
        claim_ids = list(s.scalars(select(Claim.id).order_by(Claim.id)))[:5]
        staff_ids = list(s.scalars(select(User.id)))
    with serve(load_database, tmp_path, workers=2) as base_url:
        run = Run(base_url, EDITORS + ADMINS + REVIEWERS)
        deadline = time.monotonic() + SECONDS
        reviewed: list = []  # sources added by review steps: (kind, claim_id, title)

        def work(client: Client, index: int) -> None:
            rng, step = random.Random(index), 0
            client.written = reviewed
            while time.monotonic() < deadline:
                step += 1
                claim_id = claim_ids[(index + step) % len(claim_ids)]
                if client.username.startswith("admin"):
                    create_account(client, run.written)
                elif client.username.startswith("reviewer"):
                    if step % 2:
                        comment(client, run.written, claim_id)
                    else:
                        client.step(claim_id, rng, staff_ids)  # sources, drafts, takes
                elif step % 4 == 1:
                    create_article(client, run.written)
                elif step % 4 == 2:
                    import_small_file(client, run.written)
                elif step % 4 == 3:
                    edit_a_source(client, claim_id, rng)
                else:
                    client.step(claim_id, rng, staff_ids)  # approvals, returns, assignments

        run.in_parallel(work)
    print(f"\nmixed load ({engine.dialect.name}, {SECONDS:.0f} s): {dict(run.stats)}")
    assert run.failures == []
    assert run.stats["errors"] == 0, run.stats
    assert run.stats["requests"] > 0
    assert_nothing_lost(load_database, run.written)
    with session_factory(engine, write=False)() as s:
        events = {
            (e.claim_id, e.details["fields"].get("title"))
            for e in s.scalars(select(HistoryEvent).where(HistoryEvent.action == "source_added"))
        }
    assert [w for w in reviewed if w[0] == "source" and (w[1], w[2]) not in events] == []
    result = verify_history(load_database)
    assert result.returncode == 0, result.stderr

    # Then tampering: the last event of a claim's chain deleted behind the app's back.
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            conn.execute(text("DROP TRIGGER history_events_no_delete"))
        conn.execute(
            text(
                "DELETE FROM history_events WHERE id = "
                "(SELECT max(id) FROM history_events WHERE claim_id IS NOT NULL)"
            )
        )
    engine.dispose()
    result = verify_history(load_database)
    assert result.returncode != 0
    assert "missing at the end" in result.stderr
