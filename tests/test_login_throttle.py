"""The sign-in throttle (issue 14, item 4): failures are counted per (account, client) pair with
locks that grow, an account-wide cap that shuts out unknown clients but only slows one that
signed in before, client addresses read through the configured number of proxies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from config import TestingConfig
from factcheck import create_app
from factcheck.models import utcnow
from factcheck.models.login_throttle import LoginThrottle
from factcheck.web.auth import DEVICE_COOKIE
from factcheck.workflow import throttle
from tests.conftest import BufferedClient, login
from tests.factories import PASSWORD

WRONG = "wrong password!"


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_one_client_failing_does_not_lock_the_owner_out(app, users):
    attacker = from_address(app, "203.0.113.7")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert login(attacker, "rita", WRONG).status_code == 401
    assert (
        login(attacker, "rita").status_code == 429
    )  # that client is locked, right password or not
    owner = from_address(app, "198.51.100.2")
    assert login(owner, "rita").status_code == 302  # a lock on the account used to stop her


def test_the_account_cap_stops_strangers_but_not_a_known_client(app, users):
    owner = from_address(app, "198.51.100.2")
    assert login(owner, "rita").status_code == 302
    assert owner.get_cookie(DEVICE_COOKIE) is not None
    owner.post("/logout")
    cap = app.config["LOGIN_MAX_FAILURES"] * throttle.ACCOUNT_LIMIT_FACTOR
    for i in range(cap):  # a distributed guess: one failure from each of many addresses
        assert login(from_address(app, f"203.0.113.{i}"), "rita", WRONG).status_code == 401
    stranger = from_address(app, "192.0.2.50")
    assert login(stranger, "rita").status_code == 429
    assert login(owner, "rita", WRONG).status_code == 401  # her own mistakes still count
    assert login(owner, "rita").status_code == 302  # but she gets in


def test_a_forged_device_cookie_is_not_known(app, users):
    owner = from_address(app, "198.51.100.2")
    assert login(owner, "rita").status_code == 302
    forged = from_address(app, "192.0.2.50")
    forged.set_cookie(DEVICE_COOKIE, owner.get_cookie(DEVICE_COOKIE).value[:-2] + "xx")
    cap = app.config["LOGIN_MAX_FAILURES"] * throttle.ACCOUNT_LIMIT_FACTOR
    for i in range(cap):
        login(from_address(app, f"203.0.113.{i}"), "rita", WRONG)
    assert login(forged, "rita").status_code == 429


def test_each_lock_of_a_pair_lasts_twice_as_long(app, users, db_session, monkeypatch):
    client = from_address(app, "203.0.113.7")
    limit, lock = app.config["LOGIN_MAX_FAILURES"], app.config["LOGIN_LOCK_SECONDS"]
    now = utcnow()
    monkeypatch.setattr("factcheck.web.auth.utcnow", lambda: now)
    key = "pair:rita|ip:203.0.113.7"
    for expected in (1, 2, 4):
        for _ in range(limit):
            assert login(client, "rita", WRONG).status_code == 401
        assert login(client, "rita").status_code == 429
        db_session.commit()
        row = db_session.get(LoginThrottle, key, populate_existing=True)
        assert row.locked_until - now == timedelta(seconds=lock * expected)
        now = row.locked_until + timedelta(seconds=1)  # the lock has run out
    assert login(client, "rita").status_code == 302
    db_session.commit()
    assert db_session.get(LoginThrottle, key, populate_existing=True) is None  # forgotten


def test_a_password_reset_forgets_the_failures(app, client, users, db_session):
    from factcheck.workflow import accounts

    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client, "rita", WRONG)
    rita = db_session.get(type(users["reviewer"]), users["reviewer"].id)
    accounts.reset_password(db_session, None, rita, "a brand new secret")
    db_session.commit()
    assert (
        db_session.scalars(select(LoginThrottle.key).where(LoginThrottle.key.like("%rita%"))).all()
        == []
    )
    assert login(client, "rita", "a brand new secret").status_code == 302


@pytest.fixture
def proxied_app(database_url):
    def make(proxies: int):
        application = create_app(TestingConfig, DATABASE_URL=database_url, TRUSTED_PROXIES=proxies)
        application.test_client_class = BufferedClient
        made.append(application)
        return application

    made = []
    yield make
    for application in made:
        application.extensions["factcheck_engine"].dispose()


def test_client_addresses_come_through_trusted_proxies_only(proxied_app, users):
    behind_proxy = proxied_app(1)
    limit = behind_proxy.config["LOGIN_MAX_FAILURES"]
    attacker = behind_proxy.test_client()
    for _ in range(limit):
        login_via(attacker, "203.0.113.7", "rita", WRONG)
    assert login_via(attacker, "203.0.113.7", "rita", PASSWORD).status_code == 429
    # Another client behind the same proxy is another client.
    assert (
        login_via(behind_proxy.test_client(), "198.51.100.2", "rita", PASSWORD).status_code == 302
    )

    # With no trusted proxy the header is the client's own claim: it is not believed.
    direct = proxied_app(0)
    client = direct.test_client()
    for i in range(limit):
        login_via(client, f"192.0.2.{i}", "erin", WRONG)
    assert login_via(client, "192.0.2.99", "erin", PASSWORD).status_code == 429


def login_via(client, forwarded_for: str, username: str, password: str):
    return client.post(
        "/login",
        data={"username": username, "password": password},
        headers={"X-Forwarded-For": forwarded_for},
    )


@pytest.mark.parametrize("password", [PASSWORD, WRONG])
def test_the_password_is_checked_outside_any_write_transaction(
    client, users, monkeypatch, password
):
    """SQLite's write lock (BEGIN IMMEDIATE) held while hashing made parallel sign-ins queue
    behind each other until some hit the busy timeout: a 500 (issue 13, item 9)."""
    from flask import g

    from factcheck.workflow import accounts

    inner, seen = accounts._hasher, []

    class Watching:
        def hash(self, value):
            return inner.hash(value)

        def verify(self, hashed, value):
            session = g.get("db_session")
            seen.append(session is not None and session.in_transaction())
            return inner.verify(hashed, value)

    monkeypatch.setattr(accounts, "_hasher", Watching())
    login(client, "rita", password)
    assert seen == [False]


def test_quiet_counters_are_swept_away(client, users, db_session):
    long_ago = utcnow() - throttle.QUIET_PERIOD - timedelta(minutes=1)
    for i in range(3):
        db_session.add(
            LoginThrottle(key=f"user:ghost{i}", failures=1, locks=0, updated_at=long_ago)
        )
    db_session.add(LoginThrottle(key="user:recent", failures=1, locks=0, updated_at=utcnow()))
    db_session.commit()
    assert login(client, "rita", WRONG).status_code == 401
    db_session.commit()
    keys = set(db_session.scalars(select(LoginThrottle.key)))
    assert not any(key.startswith("user:ghost") for key in keys)
    assert {"user:recent", "user:rita"} <= keys
