"""Signing in and out, and who may see what."""

from __future__ import annotations

import pytest

from tests.conftest import login
from tests.factories import make_user


def test_pages_require_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_sign_in_and_out(client, users):
    assert login(client, "rita").status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/logout").status_code == 405  # never a state change on GET
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("username,password", [("rita", "wrong password!"), ("nobody", "x" * 12)])
def test_failures_get_one_generic_message(client, users, username, password):
    response = login(client, username, password)
    assert response.status_code == 401
    assert "Unknown username or wrong password." in response.get_data(as_text=True)


def test_inactive_accounts_cannot_sign_in(client, db_session):
    user = make_user(db_session, "reviewer", "gone")
    user.active = False
    db_session.commit()
    assert login(client, "gone").status_code == 401


def test_repeated_failures_lock_the_account(app, client, users):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert login(client, "rita", "wrong password!").status_code == 401
    locked = login(client, "rita")  # even the right password, while locked
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.get_data(as_text=True)
    # The person is told how long to wait, in words and in the Retry-After header.
    wait = int(locked.headers["Retry-After"])
    assert 0 < wait <= app.config["LOGIN_LOCK_SECONDS"]
    minutes = -(-wait // 60)
    expected = f"{minutes} minute" if wait >= 60 else f"{wait} second"
    assert f"Try again in {expected}" in locked.get_data(as_text=True)


def test_next_redirect_stays_on_site(client, users):
    response = client.post(
        "/login?next=https://evil.example/",
        data={"username": "rita", "password": "correct horse battery"},
    )
    assert response.headers["Location"] == "/"


def test_logout_ends_sessions_on_every_device(app, users):
    phone, laptop = app.test_client(), app.test_client()
    login(phone, "rita")
    login(laptop, "rita")
    assert laptop.get("/").status_code == 200
    phone.post("/logout")
    assert laptop.get("/").status_code == 302  # the old cookie no longer works


def test_failures_slow_down_then_lock_the_address_too(app, client, users):
    from factcheck.workflow.throttle import delay_for

    assert [delay_for(n, 0.25) for n in (0, 1, 4, 50)] == [0, 0.25, 1.0, 2.0]
    # Many names from one address: each name stays under its own limit, the address locks.
    limit = app.config["LOGIN_MAX_FAILURES"] * 4
    for i in range(limit):
        assert login(client, f"guess{i}", "wrong password!").status_code == 401
    assert login(client, "rita").status_code == 429


def test_unknown_and_known_names_lock_alike(app, client, users):
    for name in ("rita", "nobody-here"):
        for _ in range(app.config["LOGIN_MAX_FAILURES"]):
            login(client, name, "wrong password!")
        response = login(client, name, "wrong password!")
        assert response.status_code == 429
        assert "Too many failed attempts" in response.get_data(as_text=True)
