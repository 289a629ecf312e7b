"""A bulk load or a CSV import killed with SIGKILL half-way leaves the database as if it never
started (a real subprocess, a real kill)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select, text

from factcheck.db import make_engine, session_factory
from factcheck.models import Article, Claim, HistoryEvent, Source

pytestmark = pytest.mark.slow
CLAIMS = 1500


def write_bulk_seed(folder) -> None:
    """One article with many sentences and a claim per sentence."""
    sentences = [f"Officials said {i} people were detained in district {i}." for i in range(CLAIMS)]
    article_dir = folder / "bulk"
    article_dir.mkdir(parents=True)
    body = " ".join(sentences)
    (article_dir / "article.txt").write_text(body, encoding="utf-8")
    (article_dir / "article.json").write_text(json.dumps({"slug": "bulk", "title": "Bulk"}))
    claims, offset = [], 0
    for i, sentence in enumerate(sentences):
        claims.append(
            {
                "key": f"B{i}",
                "claim_type": "arrest",
                "claimant": "Officials",
                "text": sentence,
                "quote": sentence,
                "span_start": offset,
                "span_end": offset + len(sentence),
            }
        )
        offset += len(sentence) + 1
    (article_dir / "claims.json").write_text(json.dumps(claims))


def write_import_csv(path) -> None:
    """A claims CSV in the export's columns, one article, a source URL per claim."""
    lines = ["external_key,article_title,article_url,text,claimant,claim_type,source_urls"]
    for i in range(CLAIMS):
        lines.append(
            f"IMP{i},Bulk import,https://example.org/bulk,Officials said {i} people were"
            f" detained.,Officials,arrest,https://example.org/source/{i}"
        )
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def run_cli(database_url: str, args: list[str], *, kill_after: float | None = None):
    """Run `flask <args>` to the end (returns its duration) or SIGKILL it after `kill_after`
    seconds (returns None when it finished before the kill)."""
    env = {
        **os.environ,
        "FACTCHECK_DATABASE_URL": database_url,
        "FLASK_APP": "factcheck",
        "FACTCHECK_CONFIG": "testing",
        "FACTCHECK_TEST_DATABASE_URL": database_url,
    }
    started = time.monotonic()
    command = [sys.executable, "-m", "flask", *args]
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    ) as process:
        if kill_after is None:
            output, _ = process.communicate(timeout=300)
            assert process.returncode == 0, output.decode()
            return time.monotonic() - started
        time.sleep(kill_after)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)
    return None if process.returncode == 0 else time.monotonic() - started


def counts(engine) -> tuple[int, ...]:
    with session_factory(engine, write=False)() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(m))
            for m in (Article, Claim, Source, HistoryEvent)
        )


def reset(engine, backend: str) -> None:
    """Back to an empty database, behind the history table's triggers (a test may)."""
    with engine.begin() as conn:
        if backend == "postgresql":
            conn.execute(text("ALTER TABLE history_events DISABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER IF EXISTS history_events_no_delete"))
        for table in ("history_events", "sources", "claims", "articles"):
            conn.execute(text(f"DELETE FROM {table}"))
        if backend == "postgresql":
            conn.execute(text("ALTER TABLE history_events ENABLE TRIGGER USER"))


def kill_half_way(engine, backend: str, database_url: str, args: list[str]) -> tuple[int, ...]:
    """Time a full run, reset, then kill a run part-way; earlier if the machine was quicker.
    Returns the counts a complete run leaves."""
    full = run_cli(database_url, args)
    complete = counts(engine)
    assert complete[1] == CLAIMS
    reset(engine, backend)
    for fraction in (0.6, 0.4, 0.25):
        if run_cli(database_url, args, kill_after=max(full * fraction, 0.3)) is not None:
            return complete
        reset(engine, backend)  # it finished first: try again, earlier
    pytest.fail("the run always finished before it could be killed")


def assert_all_or_nothing(engine, backend: str, complete: tuple[int, ...]) -> None:
    """Killed before its commit, a run leaves no trace; killed between its commit and its exit
    (a fast run), it leaves everything. Never a part."""
    assert counts(engine) in ((0, 0, 0, 0), complete)
    if backend == "sqlite":
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def test_sigkill_half_way_through_a_bulk_seed_leaves_no_trace(database_url, tmp_path, backend):
    seeds = tmp_path / "seeds"
    write_bulk_seed(seeds)
    engine = make_engine(database_url)
    args = ["seed", "--dir", str(seeds)]
    complete = kill_half_way(engine, backend, database_url, args)
    assert_all_or_nothing(engine, backend, complete)
    reset(engine, backend)
    run_cli(database_url, args)  # and the next run is unharmed
    assert counts(engine)[1] == CLAIMS
    engine.dispose()


def test_sigkill_half_way_through_a_csv_import_leaves_no_trace(database_url, tmp_path, backend):
    csv_file = tmp_path / "claims.csv"
    write_import_csv(csv_file)
    engine = make_engine(database_url)
    args = ["import", str(csv_file)]
    complete = kill_half_way(engine, backend, database_url, args)
    assert_all_or_nothing(engine, backend, complete)
    reset(engine, backend)
    run_cli(database_url, args)
    assert counts(engine)[1:3] == (CLAIMS, CLAIMS)
    engine.dispose()
