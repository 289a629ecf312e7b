"""Operator commands through Flask's CLI runner."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from factcheck.db import session_factory
from factcheck.models import Claim, User


def count(app, model, *where):
    with session_factory(app.extensions["factcheck_engine"], write=False)() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def test_seed_command_is_idempotent(runner, app):
    assert "19 claim(s) created" in runner.invoke(args=["seed"]).output
    assert "19 claim(s) already present" in runner.invoke(args=["seed"]).output
    assert count(app, Claim) == 19


def test_ensure_admin_prints_password_once(runner, app):
    first = runner.invoke(args=["ensure-admin"])
    assert first.exit_code == 0
    assert re.search(r"password: \S{12,}", first.output)
    second = runner.invoke(args=["ensure-admin"])
    assert "exists already" in second.output and "password:" not in second.output
    assert count(app, User, User.role == "admin") == 1


def test_create_user_asks_for_the_password(runner, app):
    result = runner.invoke(
        args=["create-user", "maria", "--role", "editor", "--name", "Maria"],
        input="a long enough secret\na long enough secret\n",
    )
    assert result.exit_code == 0, result.output
    assert count(app, User, User.username == "maria", User.role == "editor") == 1


def test_create_user_refuses_bad_input_clearly(runner, app):
    result = runner.invoke(args=["create-user", "x y", "--password", "a long enough secret"])
    assert result.exit_code != 0 and "username" in result.output
    result = runner.invoke(args=["create-user", "short", "--password", "tiny"])
    assert result.exit_code != 0 and "password" in result.output
    assert count(app, User) == 0


def test_verify_history_command_finds_tampering(runner, app, backend):
    from sqlalchemy import text

    runner.invoke(args=["seed"])
    ok = runner.invoke(args=["verify-history"])
    assert ok.exit_code == 0 and "History intact" in ok.output
    with session_factory(app.extensions["factcheck_engine"], write=True)() as s:
        target = s.execute(text("SELECT id FROM history_events WHERE seq = 1 LIMIT 1")).scalar()
        if backend == "postgresql":
            s.execute(text("ALTER TABLE history_events DISABLE TRIGGER USER"))
        else:
            s.execute(text("DROP TRIGGER history_events_no_update"))
        s.execute(text("UPDATE history_events SET details = '{}' WHERE id = :id"), {"id": target})
        if backend == "postgresql":
            s.execute(text("ALTER TABLE history_events ENABLE TRIGGER USER"))
        s.commit()
    bad = runner.invoke(args=["verify-history"])
    assert bad.exit_code != 0
    assert f"event #{target} " in bad.output


def test_backup_makes_a_consistent_copy(runner, app, backend, tmp_path):
    import sqlite3

    runner.invoke(args=["seed"])
    target = tmp_path / "copy.db"
    result = runner.invoke(args=["backup", str(target)])
    if backend == "postgresql":
        assert result.exit_code != 0 and "pg_dump" in result.output
        return
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM claims").fetchone()[0] == 19
    again = runner.invoke(args=["backup", str(target)])
    assert again.exit_code != 0 and "exists already" in again.output
