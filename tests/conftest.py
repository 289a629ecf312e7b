"""Shared fixtures: a real, migrated database per test on SQLite and (when
FACTCHECK_TEST_POSTGRES_URL is set) PostgreSQL, plus the Flask app, client and CLI runner.

Migrations run once per backend per test session. Each test then gets a clean database: a fresh
copy of the migrated SQLite file, or the PostgreSQL test database with every table truncated.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from config import TestingConfig
from factcheck import create_app
from factcheck.db import make_engine, session_factory, upgrade_database
from factcheck.devsupport.databases import (
    POSTGRES_URL,
    create_postgres_database,
    drop_postgres_database,
)
from factcheck.models import Base

BACKENDS = ["sqlite", "postgresql"]


# Tables whose rows the migrations put there (0016 seeds the rating scale): kept as migrated
# when PostgreSQL's tables are truncated between tests.
SEEDED_TABLES = ("ratings",)


class MigratedDatabase:
    """One migrated database per backend per test session, handed out clean to each test."""

    def __init__(self, backend: str, workdir: Path) -> None:
        self.backend = backend
        self.workdir = workdir
        if backend == "sqlite":
            self.template = workdir / "template.db"
            upgrade_database(f"sqlite:///{self.template}")
            self.url = ""
        else:
            self.url = create_postgres_database()
            upgrade_database(self.url)
            self._engine = make_engine(self.url)
            with self._engine.connect() as conn:  # the rows the migrations seed (ratings)
                self._seeded = {
                    table: [
                        dict(row) for row in conn.execute(text(f"SELECT * FROM {table}")).mappings()
                    ]
                    for table in SEEDED_TABLES
                }

    def fresh_url(self) -> str:
        if self.backend == "sqlite":
            path = self.workdir / f"{uuid.uuid4().hex}.db"
            shutil.copyfile(self.template, path)
            return f"sqlite:///{path}"
        tables = ", ".join(
            f'"{t.name}"' for t in Base.metadata.sorted_tables if t.name != "claim_status_counts"
        )
        with self._engine.begin() as conn:
            # The history's triggers refuse TRUNCATE; as a replica (superuser) no trigger fires,
            # so the status counts, which claims' TRUNCATE trigger would zero, are zeroed here.
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            conn.execute(text("UPDATE claim_status_counts SET claims = 0"))
            for table, rows in self._seeded.items():
                if rows:
                    conn.execute(Base.metadata.tables[table].insert(), rows)
                    conn.execute(  # the rows came with their ids: the sequence follows them
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT max(id) FROM {table}))"
                        )
                    )
        return self.url

    def close(self) -> None:
        if self.backend == "postgresql":
            self._engine.dispose()
            drop_postgres_database(self.url)


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing():
    """Argon2 at its minimum cost: the tests create hundreds of accounts."""
    from argon2 import PasswordHasher

    from factcheck.workflow import accounts

    original = accounts._hasher
    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    accounts._hasher = original


@pytest.fixture(scope="session", params=BACKENDS)
def migrated(request, tmp_path_factory) -> Iterator[MigratedDatabase]:
    if request.param == "postgresql" and not POSTGRES_URL:
        pytest.skip("FACTCHECK_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped")
    db = MigratedDatabase(request.param, tmp_path_factory.mktemp(f"db-{request.param}"))
    yield db
    db.close()


@pytest.fixture
def backend(migrated) -> str:
    return migrated.backend


@pytest.fixture
def database_url(migrated) -> str:
    return migrated.fresh_url()


@pytest.fixture
def engine(database_url) -> Iterator[Engine]:
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine) -> Iterator[Session]:
    """A write session, like one request's. Tests commit when they mean to."""
    with session_factory(engine, write=True)() as s:
        yield s


class BufferedClient(FlaskClient):
    """Reads and closes every response, as a WSGI server does, so a streamed response's
    database session ends with the request (pass buffered=False to read a stream by hand)."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


@contextmanager
def running_app(database_url: str) -> Iterator[Flask]:
    """The app on `database_url` with buffered test clients; its engine is disposed after."""
    application = create_app(TestingConfig, DATABASE_URL=database_url)
    application.test_client_class = BufferedClient
    try:
        yield application
    finally:
        application.extensions["factcheck_engine"].dispose()


@pytest.fixture
def app(database_url):
    with running_app(database_url) as application:
        yield application


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db_session(app) -> Iterator[Session]:
    """A session on the app's own database, for arranging data and checking results.

    Its SQLite transactions are deferred (not BEGIN IMMEDIATE), so a test holding it open never
    blocks the app's own writes; end the transaction (commit) before reading what the app did.
    """
    with session_factory(app.extensions["factcheck_engine"], write=False)() as s:
        yield s


def login(client, username: str, password: str | None = None):
    """Sign in through the real form (CSRF is off in TestingConfig)."""
    from tests.factories import PASSWORD

    return client.post("/login", data={"username": username, "password": password or PASSWORD})


@pytest.fixture
def users(db_session):
    """One committed account per role, plus a second reviewer and editor."""
    from tests.factories import make_user

    made = {
        "reviewer": make_user(db_session, "reviewer", "rita"),
        "reviewer2": make_user(db_session, "reviewer", "rob"),
        "editor": make_user(db_session, "editor", "eddie"),
        "editor2": make_user(db_session, "editor", "erin"),
        "admin": make_user(db_session, "admin", "ada"),
    }
    db_session.commit()
    return made


@pytest.fixture
def as_user(client, users):
    """`as_user("editor")` signs the test client in as that role's account and returns it."""

    def sign_in(role: str):
        response = login(client, users[role].username)
        assert response.status_code == 302, response.get_data(as_text=True)
        return users[role]

    return sign_in
