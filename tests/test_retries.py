"""A unit of work is retried on PostgreSQL serialization failures and deadlocks, a bounded number
of times, and then answered as a clean conflict."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from factcheck.web.database import with_retries
from factcheck.workflow.errors import ConflictError


class FakeDriverError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"sqlstate {sqlstate}")
        self.sqlstate = sqlstate


def failing(times: int, sqlstate: str):
    calls = []

    def work():
        calls.append(1)
        if len(calls) <= times:
            raise OperationalError("UPDATE claims ...", {}, FakeDriverError(sqlstate))
        return "done"

    return work, calls


@pytest.mark.parametrize("sqlstate", ["40001", "40P01"])
def test_retried_then_succeeds(app, sqlstate):
    work, calls = failing(2, sqlstate)
    with app.test_request_context("/", method="POST"):
        assert with_retries(work) == "done"
    assert len(calls) == 3


def test_gives_up_with_a_conflict(app):
    work, calls = failing(10, "40001")
    with app.test_request_context("/", method="POST"), pytest.raises(ConflictError):
        with_retries(work, attempts=3)
    assert len(calls) == 3


def test_other_database_errors_are_not_retried(app):
    work, calls = failing(1, "23505")
    with app.test_request_context("/", method="POST"), pytest.raises(OperationalError):
        with_retries(work)
    assert len(calls) == 1
