"""Who may reach what: every route in the app's URL map, for anonymous, reviewer, editor and
admin. A new route that is missing from MINIMUM_ROLE fails the first test, so none is forgotten."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factcheck.models import (
    Article,
    Claim,
    Feed,
    IntakeRequest,
    Notification,
    Rating,
    Source,
    WebhookEndpoint,
)
from factcheck.seeding import load_seeds
from factcheck.workflow import tokens
from tests.conftest import login
from tests.factories import attach_source, make_claimant

RANK = {"anonymous": 0, "reviewer": 1, "editor": 2, "admin": 3}
# The least role that may use each endpoint ("anonymous" = public).
MINIMUM_ROLE = {
    "static": "anonymous",
    "healthz": "anonymous",
    "readyz": "anonymous",
    "auth.login": "anonymous",
    "auth.logout": "reviewer",
    "auth.change_password": "reviewer",
    "claims.index": "reviewer",
    "claims.queue": "reviewer",
    "claims.show": "reviewer",
    "claims.new": "reviewer",
    "claims.edit": "reviewer",
    "claims.assign": "editor",
    "claims.take": "reviewer",
    "claims.add_source_view": "reviewer",
    "claims.edit_source": "reviewer",
    "claims.delete_source": "reviewer",
    "claims.draft_verdict": "reviewer",
    "claims.approve": "editor",
    "claims.confirm_approve": "editor",
    "claims.confirm_delete_source": "reviewer",
    "claims.return_verdict": "editor",
    "claims.not_checkable": "reviewer",
    "claims.restore": "editor",
    "claims.reopen": "editor",
    "claims.comment": "reviewer",
    "claims.link": "reviewer",
    "claims.unlink": "reviewer",
    "search.index": "reviewer",
    "articles.index": "reviewer",
    "articles.new": "reviewer",
    "articles.show": "reviewer",
    "articles.add_claim": "reviewer",
    "articles.create_from_candidates": "reviewer",
    "claimants.index": "reviewer",
    "claimants.show": "reviewer",
    "claimants.edit": "editor",  # a record's changes reach every claim naming it
    "claimants.merge": "editor",
    "reports.index": "editor",  # the README's promise: reports are for editors (and admins)
    "exports.export_csv": "editor",
    "exports.import_view": "editor",
    "public.index": "anonymous",
    "public.show": "anonymous",
    "public.jsonld": "anonymous",
    "public.corrections": "anonymous",
    "public.methodology": "anonymous",
    "public.ratings_css": "anonymous",
    "admin.ratings": "admin",
    "admin.add_rating": "admin",
    "admin.edit_rating": "admin",
    "admin.delete_rating": "admin",
    "admin.users": "admin",
    "admin.create": "admin",
    "admin.change_role": "admin",
    "admin.deactivate": "admin",
    "admin.confirm_deactivate": "admin",
    "admin.activate": "admin",
    "admin.reset_password": "admin",
    "admin.webhooks": "admin",
    "admin.create_webhook": "admin",
    "admin.webhook": "admin",
    "admin.update_webhook": "admin",
    "admin.rotate_webhook_secret": "admin",
    "admin.test_webhook": "admin",
    "intake.from_url": "reviewer",
    "intake.request_status": "reviewer",
    "intake.feeds": "reviewer",
    "intake.feed": "reviewer",
    "intake.subscribe": "editor",
    "intake.poll_now": "editor",
    "intake.unsubscribe": "editor",
    "intake.failed_jobs": "admin",
    "account_tokens.index": "reviewer",
    "account_tokens.create": "reviewer",
    "account_tokens.revoke": "reviewer",  # one's own tokens only (another's is a 404)
    "notifications.index": "reviewer",  # one's own notifications only
    "notifications.mark_read": "reviewer",  # another's is a 404
    "notifications.mark_all_read": "reviewer",
    "notifications.settings": "reviewer",
}
# The JSON API: a bearer token, never the session cookie, authenticates it, so every role
# signed in by cookie gets its 401 (roles with tokens: tests/test_api.py); CSRF does not apply.
TOKEN_AUTH = {
    "api.claims",
    "api.claim",
    "api.create_claim",
    "api.add_claim_source",
    "api.take",
    "api.assign",
    "api.draft_verdict",
    "api.approve",
    "api.return_verdict",
    "api.articles",
    "api.article",
    "api.create_article_view",
    "api.article_request",
    "api.fact_checks",
    "api.report",
}
MINIMUM_ROLE |= {endpoint: "anonymous" for endpoint in TOKEN_AUTH}
MINIMUM_ROLE["api.openapi"] = "anonymous"  # the API's description is public
# Endpoints whose role rule depends on the object (e.g. the assignee); checked in their own tests.
OBJECT_LEVEL = {
    "claims.edit",
    "claims.edit_source",
    "claims.add_source_view",
    "claims.delete_source",
    "claims.confirm_delete_source",
    "claims.draft_verdict",
    "claims.not_checkable",
}


def rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static"]


def test_every_route_has_an_expected_role(app):
    missing = sorted({r.endpoint for r in rules(app)} - set(MINIMUM_ROLE))
    assert missing == [], f"add these endpoints to MINIMUM_ROLE: {missing}"


@pytest.fixture
def world(db_session, users):
    load_seeds(db_session)
    claim = db_session.scalars(select(Claim).order_by(Claim.id)).first()
    source = attach_source(db_session, users["editor"], claim)
    # Loopback: the fetch guard refuses it at once, so a poll in the walk sends nothing.
    feed = Feed(url="http://127.0.0.1:9/feed.xml", interval_minutes=60)
    asked = IntakeRequest(url="http://127.0.0.1:9/story", status="failed", error="refused")
    # Loopback too: a test event sent in the walk is refused at once, as not allowed.
    hook = WebhookEndpoint(url="http://127.0.0.1:9/hook", events="claim.published", secret="s")
    db_session.add_all([feed, asked, hook])
    token, _secret = tokens.create_token(db_session, users["admin"], name="matrix", scope="read")
    claimant = make_claimant(db_session, users["editor"], "Matrix Ministry", "organisation")
    notification = Notification(user_id=users["admin"].id, kind="assigned", text="matrix")
    db_session.add(notification)
    db_session.commit()
    return {
        "claim_id": claim.id,
        "article_id": db_session.scalars(select(Article.id)).first(),
        "source_id": source.id,
        "user_id": users["reviewer2"].id,
        "id": claim.id,
        "filename": "style.css",
        "kind": "claims",
        "fmt": "json",
        "feed_id": feed.id,
        "request_id": asked.id,
        "token_id": token.id,
        "claimant_id": claimant.id,
        "notification_id": notification.id,
        "endpoint_id": hook.id,
        "other_id": db_session.scalars(select(Claim.id).order_by(Claim.id.desc())).first(),
        # a label no verdict uses (the walk may delete it)
        "rating_id": db_session.scalar(select(Rating.id).where(Rating.slug == "misleading")),
    }


def url_for_rule(rule, world) -> str:
    return rule.build({arg: world[arg] for arg in rule.arguments}, append_unknown=False)[1]


@pytest.mark.parametrize("role", ["anonymous", "reviewer", "editor", "admin"])
def test_access_matrix(app, users, world, role):
    client = app.test_client()
    if role != "anonymous":
        login(client, {"reviewer": "rita", "editor": "eddie", "admin": "ada"}[role])
    failures = []
    for rule in rules(app):
        minimum = MINIMUM_ROLE[rule.endpoint]
        url = url_for_rule(rule, world)
        allowed = RANK[role] >= RANK[minimum]
        for method in sorted(rule.methods & {"GET", "POST"}):
            if rule.endpoint == "auth.logout" and allowed:
                continue  # would end this client's session mid-walk; tested in test_auth
            response = client.open(url, method=method)
            status = response.status_code
            if rule.endpoint in TOKEN_AUTH:
                ok = status == 401
            elif allowed:
                ok = (
                    status != 403
                    and status < 500
                    and not (
                        status == 302
                        and "/login" in response.headers.get("Location", "")
                        and rule.endpoint != "auth.login"
                    )
                )
                if rule.endpoint in OBJECT_LEVEL and status == 403:
                    ok = True  # the object-level rule refused: see the workflow tests
            elif role == "anonymous":
                ok = status == 302 and "/login" in response.headers["Location"]
            else:
                ok = status == 403
            if not ok:
                failures.append(f"{method} {url} ({rule.endpoint}) as {role}: {status}")
    assert failures == []


def test_no_state_changes_on_get(app):
    """Every endpoint that changes state accepts POST only."""
    changing = {
        e
        for e in MINIMUM_ROLE
        if e.split(".")[-1]
        in {
            "logout",
            "assign",
            "take",
            "add_source_view",
            "delete_source",
            "draft_verdict",
            "approve",
            "return_verdict",
            "not_checkable",
            "restore",
            "reopen",
            "comment",
            "link",
            "unlink",
            "add_claim",
            "create",
            "change_role",
            "deactivate",
            "activate",
            "reset_password",
            "subscribe",
            "poll_now",
            "unsubscribe",
            "mark_read",
            "mark_all_read",
        }
    }
    for rule in rules(app):
        if rule.endpoint in changing:
            assert "GET" not in rule.methods, rule.endpoint


def test_every_post_route_refuses_a_missing_csrf_token(app, users, world):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    import re

    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert (
        client.post(
            "/login",
            data={"username": "ada", "password": "correct horse battery", "csrf_token": token},
        ).status_code
        == 302
    )
    refused = []
    for rule in rules(app):
        if "POST" in rule.methods:
            status = client.post(url_for_rule(rule, world), data={}).status_code
            if rule.endpoint in TOKEN_AUTH and status == 401:
                continue  # no bearer token: refused before CSRF would matter
            if status != 400:
                refused.append(f"{rule.endpoint}: {status}")
    assert refused == []


def test_source_rows_untouched_by_the_walk(db_session, world):
    db_session.commit()
    assert db_session.get(Source, world["source_id"]) is not None
