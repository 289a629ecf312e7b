"""The account page where users make and revoke their API tokens (/account/tokens)."""

from __future__ import annotations

import re

from sqlalchemy import select

from factcheck.models import ApiToken
from factcheck.workflow import tokens
from tests.factories import PASSWORD


def _secret(page: str) -> str:
    match = re.search(r'<code id="new-token">(fc_[A-Za-z0-9_-]+)</code>', page)
    assert match, page
    return match.group(1)


def test_make_use_and_revoke_a_token(client, db_session, as_user):
    user = as_user("reviewer")
    page = client.get("/account/tokens")
    assert page.status_code == 200 and "You have no tokens" in page.get_data(as_text=True)

    made = client.post("/account/tokens", data={"name": "CMS script", "scope": "read"})
    assert made.status_code == 201
    assert made.headers["Cache-Control"] == "no-store"
    secret = _secret(made.get_data(as_text=True))
    # Shown once: the list afterwards names the token but never shows its secret again.
    listed = client.get("/account/tokens").get_data(as_text=True)
    assert "CMS script" in listed and secret[:9] in listed and secret not in listed

    db_session.commit()
    token = db_session.scalars(select(ApiToken)).one()
    assert (token.user_id, token.scope, token.token_hash) == (
        user.id,
        "read",
        tokens.hash_secret(secret),
    )
    api = client.get("/api/v1/claims", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200

    revoked = client.post(f"/account/tokens/{token.id}/revoke")
    assert revoked.status_code == 302
    api = client.get("/api/v1/claims", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 401
    assert "CMS script" not in client.get("/account/tokens").get_data(as_text=True)


def test_bad_token_form_is_shown_again(client, as_user):
    as_user("editor")
    response = client.post("/account/tokens", data={"name": "", "scope": "admin"})
    assert response.status_code == 400
    assert 'id="new-token"' not in response.get_data(as_text=True)


def test_someone_elses_token_cannot_be_revoked(client, db_session, users, as_user):
    theirs, _secret = tokens.create_token(db_session, users["editor"], name="x", scope="write")
    db_session.commit()
    as_user("reviewer")
    assert client.post(f"/account/tokens/{theirs.id}/revoke").status_code == 404
    db_session.refresh(theirs)
    assert theirs.revoked_at is None


def test_token_page_needs_sign_in_and_a_csrf_token(app, users):
    client = app.test_client()
    assert client.get("/account/tokens").status_code == 302  # to the sign-in page
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    signed_in = client.post(
        "/login", data={"username": "rita", "password": PASSWORD, "csrf_token": csrf}
    )
    assert signed_in.status_code == 302
    page = client.get("/account/tokens").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/account/tokens", data={"name": "x", "scope": "read"}).status_code == 400
    made = client.post("/account/tokens", data={"name": "x", "scope": "read", "csrf_token": csrf})
    assert made.status_code == 201


def test_web_errors_stay_html_beside_the_api(client, as_user):
    as_user("reviewer")
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"
