"""Fresh PostgreSQL databases on the server named by FACTCHECK_TEST_POSTGRES_URL, for the tests
and the benchmark: each run creates its own and drops it after."""

from __future__ import annotations

import os
import uuid

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from factcheck.db import normalise_url

POSTGRES_URL = os.environ.get("FACTCHECK_TEST_POSTGRES_URL")


def _admin_engine() -> Engine:
    return create_engine(normalise_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")


def create_postgres_database(prefix: str = "factcheck_test") -> str:
    """A fresh, empty PostgreSQL database; returns its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(normalise_url(POSTGRES_URL)).set(database=name).render_as_string(False)


def drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
