"""The database each load test serves: a SQLite file, and a PostgreSQL database of its own when
FACTCHECK_TEST_POSTGRES_URL is set."""

from __future__ import annotations

import pytest

from factcheck.devsupport.databases import (
    POSTGRES_URL,
    create_postgres_database,
    drop_postgres_database,
)


@pytest.fixture(params=["sqlite", "postgresql"])
def load_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'load.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip("FACTCHECK_TEST_POSTGRES_URL is not set: PostgreSQL load run skipped")
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)
