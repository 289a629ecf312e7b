"""Accounts (issue 14, item 8): guessable passwords are refused, users change their own password,
the first admin must replace the printed one, sessions have a server-enforced maximum age, and
production insists on a long secret key, a public base URL and HSTS."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from config import ProductionConfig
from factcheck import create_app
from factcheck.models import User
from factcheck.workflow import accounts
from factcheck.workflow.errors import ValidationFailed
from tests.conftest import login
from tests.factories import PASSWORD

GUESSABLE = [
    "aaaaaaaaaa",
    "1234567890",
    "password123",
    "qwertyuiop",
    "iloveyou2024",
    "nina-nina-nina",  # contains the username
    "Factcheck2026!",
]


@pytest.mark.parametrize("password", GUESSABLE)
def test_guessable_passwords_are_refused(db_session, password):
    with pytest.raises(ValidationFailed) as refused:
        accounts.create_user(
            db_session, None, username="nina", display_name="Nina", password=password
        )
    assert refused.value.field == "password"


def test_a_strong_password_is_accepted(db_session):
    user = accounts.create_user(
        db_session, None, username="nina", display_name="Nina", password="plum orbit canal ferry"
    )
    assert user.id is not None


def test_the_admin_form_and_the_cli_refuse_a_guessable_password(client, as_user, runner):
    as_user("admin")
    response = client.post(
        "/admin/users",
        data={
            "username": "nina",
            "display_name": "Nina",
            "role": "editor",
            "password": "1234567890",
        },
    )
    assert response.status_code == 400 and "harder password" in response.get_data(as_text=True)
    result = runner.invoke(args=["create-user", "maria", "--password", "aaaaaaaaaaaa"])
    assert result.exit_code != 0 and "password" in result.output


def change(client, current: str, new: str, confirm: str | None = None):
    return client.post(
        "/account/password",
        data={"current_password": current, "password": new, "confirm": confirm or new},
    )


def test_changing_ones_password_needs_the_current_one(app, client, as_user, db_session):
    as_user("reviewer")
    response = change(client, "not my password", "plum orbit canal ferry")
    assert response.status_code == 400
    assert "not your current password" in response.get_data(as_text=True)
    assert change(client, PASSWORD, "1234567890").status_code == 400
    assert change(client, PASSWORD, "plum orbit canal ferry", "typo").status_code == 400
    assert login(app.test_client(), "rita").status_code == 302  # unchanged


def test_a_password_change_ends_the_other_sessions(app, client, as_user):
    as_user("reviewer")
    phone = app.test_client()
    login(phone, "rita")
    assert phone.get("/").status_code == 200
    response = change(client, PASSWORD, "plum orbit canal ferry")
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this session carries on
    assert phone.get("/").status_code == 302  # the other one ended
    assert login(app.test_client(), "rita").status_code == 401
    assert login(app.test_client(), "rita", "plum orbit canal ferry").status_code == 302


def test_the_change_form_needs_a_csrf_token(app, client, as_user):
    as_user("reviewer")
    app.config["WTF_CSRF_ENABLED"] = True
    assert change(client, PASSWORD, "plum orbit canal ferry").status_code == 400
    page = client.get("/account/password").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": "plum orbit canal ferry",
            "confirm": "plum orbit canal ferry",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302


def test_the_first_admin_must_replace_the_printed_password(app, runner, db_session):
    result = runner.invoke(args=["ensure-admin"])
    password = re.search(r"password: (\S+)", result.output).group(1)
    client = app.test_client()
    response = login(client, "admin", password)
    assert response.headers["Location"] == "/account/password"
    for path in ("/", "/admin/users", "/reports", "/claims/new"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"] == "/account/password"
    assert client.get("/account/password").status_code == 200
    assert change(client, password, "plum orbit canal ferry").status_code == 302
    assert client.get("/admin/users").status_code == 200
    db_session.commit()
    admin = db_session.scalars(select(User).where(User.username == "admin")).one()
    assert admin.must_change_password is False


def test_an_old_account_with_a_guessable_password_must_replace_it(app, db_session):
    """Made before today's rule (or by a script): it still signs in, then goes to the password
    form, and nowhere else, until it has a password the rule accepts."""
    weak = "1234567890"
    user = accounts.create_user(
        db_session, None, username="olga", display_name="Olga", password=PASSWORD, role="editor"
    )
    user.password_hash = accounts.hash_password(weak)  # as an account from before the rule
    db_session.commit()
    client = app.test_client()
    response = login(client, "olga", weak)
    assert response.status_code == 302 and response.headers["Location"] == "/account/password"
    assert "no longer meets the rules" in client.get("/account/password").get_data(as_text=True)
    assert client.get("/").headers["Location"] == "/account/password"
    db_session.commit()
    db_session.refresh(user)
    assert user.must_change_password is True
    assert change(client, weak, "plum orbit canal ferry").status_code == 302
    assert client.get("/").status_code == 200
    again = app.test_client()
    assert login(again, "olga", "plum orbit canal ferry").headers["Location"] == "/"


def test_a_strong_password_signs_in_straight_through(app, client, users):
    assert login(client, "rita").headers["Location"] == "/"


def test_an_admin_reset_asks_the_user_for_a_new_password(app, client, as_user, users):
    as_user("admin")
    rita = users["reviewer"]
    client.post(f"/admin/users/{rita.id}/password", data={"password": "a brand new secret"})
    rita_client = app.test_client()
    response = login(rita_client, "rita", "a brand new secret")
    assert response.headers["Location"] == "/account/password"


def test_an_account_an_admin_creates_chooses_its_own_password(app, client, as_user):
    """The admin typed the first password, so they know it: the new user replaces it at
    their first sign-in, as after a reset."""
    as_user("admin")
    created = client.post(
        "/admin/users",
        data={"username": "nadia", "display_name": "Nadia", "role": "reviewer",
              "password": "a brand new secret"},
    )  # fmt: skip
    assert created.status_code == 302
    response = login(app.test_client(), "nadia", "a brand new secret")
    assert response.headers["Location"] == "/account/password"


def test_sessions_end_after_the_maximum_age(app, client, as_user):
    as_user("reviewer")
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        session["signed_in_at"] = int(time.time()) - app.config["SESSION_MAX_AGE"] - 1
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/").status_code == 302  # the session was ended, not just refused once


def test_a_session_without_a_sign_in_time_is_refused(app, client, as_user):
    as_user("reviewer")
    with client.session_transaction() as session:
        del session["signed_in_at"]
    assert client.get("/").status_code == 302


def production(**settings):
    return type("Prod", (ProductionConfig,), settings)


def test_production_refuses_a_short_secret_key_or_no_public_base_url(database_url):
    with pytest.raises(RuntimeError, match="32 bytes"):
        create_app(production(SECRET_KEY="x" * 31, PUBLIC_BASE_URL="https://checks.example"))
    with pytest.raises(RuntimeError, match="FACTCHECK_PUBLIC_BASE_URL"):
        create_app(production(SECRET_KEY="x" * 32, PUBLIC_BASE_URL=None))


def test_production_sends_hsts(database_url):
    app = create_app(
        production(
            SECRET_KEY="x" * 32, PUBLIC_BASE_URL="https://checks.example", DATABASE_URL=database_url
        )
    )
    response = app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    app.extensions["factcheck_engine"].dispose()


def test_a_double_submitted_new_account_form_creates_it_once_without_an_error(
    client, as_user, db_session
):
    """A double click on 'Create account' used to answer 'That username is taken.', which reads
    as a failure: the second submission of the same form now leads to the first one's result."""
    import re

    from sqlalchemy import func, select

    from factcheck.models import User

    as_user("admin")
    page = client.get("/admin/users").get_data(as_text=True)
    token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"username": "omar", "display_name": "Omar", "role": "reviewer",
            "password": "a brand new secret", "form_token": token}  # fmt: skip
    first = client.post("/admin/users", data=data)
    second = client.post("/admin/users", data=data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert "taken" not in client.get(second.headers["Location"]).get_data(as_text=True)
    assert db_session.scalar(select(func.count()).where(User.username == "omar")) == 1
