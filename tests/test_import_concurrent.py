"""Imports while others work: two of the same file at the same time (PostgreSQL, whose writers
run side by side), where the second waits for the first and skips its rows as a repeated import
does; and a big one under gunicorn, which must not kill it for taking long."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import func, select, text

from config import BASE_DIR
from factcheck.db import transaction
from factcheck.devsupport.live_server import WORKER_TIMEOUT
from factcheck.devsupport.samples import claims_csv
from factcheck.models import Claim, User
from factcheck.workflow import imports
from factcheck.workflow.history import verify_chains
from tests.factories import make_user


def test_the_same_file_imported_twice_at_once_is_imported_once(engine, backend, monkeypatch):
    if backend != "postgresql":
        pytest.skip("SQLite's write lock already runs one import at a time")
    with transaction(engine) as session:
        make_user(session, "editor", username="editor")
    plans = imports.plan_import(claims_csv(30, articles=3))
    arrived: list[str] = []
    write_claims = imports.write_claims

    def other_is_waiting() -> bool:
        """Whether the other import waits for a lock, or is about to write as well."""
        with engine.connect() as conn:
            waiting = conn.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE NOT granted AND database ="
                    " (SELECT oid FROM pg_database WHERE datname = current_database())"
                )
            )
            return waiting.scalar() > 0 or len(arrived) == 2

    def write_when_both_ran(session, *args):
        """The first import to write waits until the other one has started too."""
        arrived.append(threading.current_thread().name)
        for _ in range(300):
            if other_is_waiting():
                break
            threading.Event().wait(0.05)
        return write_claims(session, *args)

    monkeypatch.setattr(imports, "write_claims", write_when_both_ran)
    results: dict[str, imports.ImportResult | BaseException] = {}

    def run(name: str) -> None:
        try:
            with transaction(engine) as session:
                actor = session.scalar(select(User).filter_by(username="editor"))
                results[name] = imports.import_plans(session, actor, plans, f"{name}.csv")
        except BaseException as exc:  # reported below
            results[name] = exc

    threads = [threading.Thread(target=run, args=(n,), name=n) for n in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    done = sorted(results.values(), key=lambda r: getattr(r, "skipped", -1))
    assert all(isinstance(r, imports.ImportResult) for r in done), done
    first, second = done
    assert (len(first.created), first.skipped) == (30, 0)
    assert (second.created, second.skipped, second.articles_created) == ([], 30, 0)
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(Claim)) == 30
        assert verify_chains(session)[1] == []


def test_the_production_command_gives_a_big_import_time():
    """gunicorn's default worker timeout (30 s) kills a 20,000-row import under load: README's
    production command sets a longer one, and the live test server runs with the same."""
    readme = (BASE_DIR / "README.md").read_text("utf-8")
    section = readme[readme.index("## Production on PostgreSQL") :]
    command = re.search(r"^\.venv/bin/gunicorn .*$", section, re.M).group(0)
    timeout = re.search(r"--timeout (\d+)", command)
    assert timeout is not None, command
    assert int(timeout.group(1)) == WORKER_TIMEOUT >= 120
