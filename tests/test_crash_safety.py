"""A bulk load killed with SIGKILL half-way leaves the database as if it never started."""

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
from factcheck.models import Article, Claim, HistoryEvent

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


def run_seed(database_url: str, seeds_dir, *, kill_after: float | None = None) -> float:
    env = {
        **os.environ,
        "FACTCHECK_DATABASE_URL": database_url,
        "FLASK_APP": "factcheck",
        "FACTCHECK_CONFIG": "testing",
        "FACTCHECK_TEST_DATABASE_URL": database_url,
    }
    started = time.monotonic()
    command = [sys.executable, "-m", "flask", "seed", "--dir", str(seeds_dir)]
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
    assert process.returncode == -signal.SIGKILL, "the load finished before it was killed"
    return time.monotonic() - started


def counts(engine) -> tuple[int, int, int]:
    with session_factory(engine, write=False)() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(m)) for m in (Article, Claim, HistoryEvent)
        )


def test_sigkill_half_way_leaves_no_trace(database_url, tmp_path, backend):
    seeds = tmp_path / "seeds"
    write_bulk_seed(seeds)
    engine = make_engine(database_url)
    before = counts(engine)
    # Measure a full load on a throwaway copy of the schema first, then kill one half-way.
    full = run_seed(database_url, seeds)
    assert counts(engine)[1] == before[1] + CLAIMS
    with engine.begin() as conn:  # reset to the state before
        if backend == "postgresql":
            conn.execute(text("ALTER TABLE history_events DISABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER history_events_no_delete"))
        conn.execute(text("DELETE FROM history_events"))
        conn.execute(text("DELETE FROM claims"))
        conn.execute(text("DELETE FROM articles"))
        if backend == "postgresql":
            conn.execute(text("ALTER TABLE history_events ENABLE TRIGGER USER"))
    assert counts(engine) == before
    run_seed(database_url, seeds, kill_after=max(full * 0.6, 1.5))
    assert counts(engine) == before
    if backend == "sqlite":
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    run_seed(database_url, seeds)  # and the next run is unharmed
    assert counts(engine)[1] == before[1] + CLAIMS
    engine.dispose()
