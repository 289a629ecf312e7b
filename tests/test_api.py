"""The JSON API (/api/v1): tokens, every endpoint with each role, scopes, versions, problem
details, rate limits and the OpenAPI document. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate
from sqlalchemy import func, select

from factcheck.models import ApiToken, Claim, HistoryEvent, IntakeRequest
from factcheck.workflow import tokens
from tests.factories import make_article, make_claim, publish, research, submit

ROLES = ["reviewer", "editor", "admin"]
PROBLEM = "application/problem+json"


@pytest.fixture
def token(db_session, users):
    """`token("editor")` makes a token (write scope unless asked) and returns its secret."""

    def make(role: str, scope: str = "write") -> str:
        _made, secret = tokens.create_token(
            db_session, users[role], name=f"{role} script", scope=scope
        )
        db_session.commit()
        return secret

    return make


def auth(secret: str, **headers) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}", **headers}


def assert_problem(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json(force=True)
    assert body["status"] == status
    assert body["title"] and body["detail"]
    assert body["instance"] == response.request.path
    if field is not None:
        assert body["field"] == field
        assert any(e["field"] == field for e in body["errors"])
    return body


@pytest.fixture
def claim_id(db_session, users):
    article = make_article(db_session, title="Detentions")
    claim = make_claim(db_session, users["editor"], article=article)
    db_session.commit()
    return claim.id


# ---- the OpenAPI document -----------------------------------------------------------------


def test_openapi_document_validates_and_lists_every_endpoint(client):
    response = client.get("/api/v1/openapi.json")  # no token needed to read the description
    assert response.status_code == 200
    spec = response.get_json()
    validate(spec)
    assert spec["openapi"].startswith("3.")
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    for path in (
        "/api/v1/claims",
        "/api/v1/claims/{claim_id}",
        "/api/v1/claims/{claim_id}/sources",
        "/api/v1/claims/{claim_id}/approve",
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/fact-checks",
        "/api/v1/report",
    ):
        assert path in spec["paths"], path
    create = spec["paths"]["/api/v1/claims"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "ClaimCreate"
    )
    assert PROBLEM in create["responses"]["403"]["content"]
    assert create["responses"]["201"]["content"]["application/json"]
    assert PROBLEM in spec["components"]["responses"]["UNPROCESSABLE_ENTITY"]["content"]


# ---- authentication -----------------------------------------------------------------------


def test_token_is_stored_hashed_and_works_until_revoked(client, db_session, users, token):
    secret = token("reviewer")
    stored = db_session.scalars(select(ApiToken)).one()
    assert secret.startswith("fc_") and len(secret) > 40
    assert stored.token_hash == tokens.hash_secret(secret) and secret not in stored.token_hash
    assert stored.last_used_at is None
    assert client.get("/api/v1/claims", headers=auth(secret)).status_code == 200
    db_session.commit()  # end the test's read transaction to see the app's write
    db_session.refresh(stored)
    assert stored.last_used_at is not None

    tokens.revoke_token(db_session, users["reviewer"], stored.id)
    db_session.commit()
    assert_problem(client.get("/api/v1/claims", headers=auth(secret)), 401)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer fc_not-a-real-token",
        "Bearer nonsense",
        "Basic dXNlcjpwYXNz",
        "Bearer " + "x" * 5000,
    ],
)
def test_missing_or_bad_token_is_401(client, users, header):
    headers = {"Authorization": header} if header else {}
    body = assert_problem(client.get("/api/v1/claims", headers=headers), 401)
    assert "token" in body["detail"].lower()


def test_session_cookie_does_not_authenticate_the_api(client, as_user):
    as_user("admin")
    assert client.get("/").status_code == 200  # signed in for the web pages
    assert_problem(client.get("/api/v1/claims"), 401)
    assert_problem(client.post("/api/v1/articles", json={"text": "Some text."}), 401)


def test_deactivated_users_token_stops_working(client, db_session, users, token):
    secret = token("reviewer")
    users["reviewer"].active = False
    db_session.merge(users["reviewer"])
    db_session.commit()
    assert_problem(client.get("/api/v1/claims", headers=auth(secret)), 401)


def test_read_only_token_may_read_but_not_write(client, users, token, claim_id):
    secret = token("editor", scope="read")
    assert client.get(f"/api/v1/claims/{claim_id}", headers=auth(secret)).status_code == 200
    writes = [
        ("/api/v1/articles", {"text": "An article."}),
        ("/api/v1/claims", {"text": "A claim."}),
        ("/api/v1/claims", {"not": "even valid"}),  # the scope is checked before the body
        (
            f"/api/v1/claims/{claim_id}/sources",
            {"url": "https://example.org/a", "title": "A", "stance": "supports"},
        ),
        (f"/api/v1/claims/{claim_id}/take", {"version": 1}),
        (f"/api/v1/claims/{claim_id}/approve", {"version": 1}),
    ]
    for path, body in writes:
        problem = assert_problem(client.post(path, json=body, headers=auth(secret)), 403)
        assert "read" in problem["detail"]


def test_no_csrf_token_is_needed_with_a_bearer_token(app, users, token):
    app.config["WTF_CSRF_ENABLED"] = True
    secret = token("reviewer")
    client = app.test_client()
    response = client.post("/api/v1/claims", json={"text": "A claim."}, headers=auth(secret))
    assert response.status_code == 201, response.get_data(as_text=True)
    # ... while the web forms still refuse a POST without one.
    assert client.post("/login", data={"username": "rita", "password": "x"}).status_code == 400


# ---- reads, with each role ----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_read_endpoint_with_each_role(client, db_session, users, token, role):
    article = make_article(db_session, title="Detentions")
    claim = make_claim(db_session, users["editor"], article=article)
    done = make_claim(db_session, users["editor"], article=article, text="Another claim.")
    publish(db_session, users["reviewer"], users["editor"], done)
    db_session.commit()
    secret = token(role, scope="read")

    listed = client.get("/api/v1/claims", headers=auth(secret))
    assert listed.status_code == 200
    assert {c["id"] for c in listed.get_json()["items"]} == {claim.id, done.id}

    one = client.get(f"/api/v1/claims/{done.id}", headers=auth(secret))
    assert one.status_code == 200 and one.headers["ETag"] == f'"{done.version}"'
    body = one.get_json()
    assert body["status"] == "published" and body["article"]["title"] == "Detentions"
    assert [s["url"] for s in body["sources"]] == ["https://example.org/report"]
    assert body["published_verdict"]["rating"] == "false"
    assert body["published_verdict"]["decided_by"]["username"] == "eddie"
    actions = [e["action"] for e in body["history"]]
    assert actions[0] == "claim_created" and "verdict_approved" in actions

    articles = client.get("/api/v1/articles", headers=auth(secret)).get_json()
    assert articles["items"] == [
        {
            "id": article.id,
            "title": "Detentions",
            "publisher": None,
            "published_on": None,
            "claims": 2,
        }
    ]
    one_article = client.get(f"/api/v1/articles/{article.id}", headers=auth(secret)).get_json()
    assert one_article["text"].startswith("Officials said")
    assert {c["id"] for c in one_article["claims"]} == {claim.id, done.id}

    checks = client.get("/api/v1/fact-checks", headers=auth(secret)).get_json()
    assert [c["claim_id"] for c in checks["items"]] == [done.id]
    assert checks["items"][0]["rating"] == "false"

    report = client.get("/api/v1/report", headers=auth(secret))
    if role == "reviewer":
        assert_problem(report, 403)
    else:
        assert report.status_code == 200
        assert report.get_json()["totals"]["published"] == 1

    # An article asked for by URL is the desk's, like the articles: every role may follow it.
    asked = IntakeRequest(url="https://news.example/story", created_by_id=users["editor"].id)
    db_session.add(asked)
    db_session.commit()
    followed = client.get(f"/api/v1/article-requests/{asked.id}", headers=auth(secret))
    assert followed.status_code == 200
    assert followed.get_json()["status"] == "pending"


def test_every_api_endpoint_refuses_a_bad_token(app, client, users):
    """Not only the claims list: every route of the API (its OpenAPI description aside, which
    is public) answers 401 to a token it does not know, whatever the method."""
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule.endswith("/openapi.json"):
            continue
        url = rule.build({arg: 1 for arg in rule.arguments}, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            answer = client.open(url, method=method, json={}, headers=auth("fc_not-a-token"))
            assert answer.status_code == 401, (method, url)
            checked += 1
    assert checked >= 12


def test_actions_are_in_the_history(client, db_session, users, token):
    claim = make_claim(db_session, users["editor"])
    db_session.commit()
    body = client.get(f"/api/v1/claims/{claim.id}", headers=auth(token("editor"))).get_json()
    assert body["history"][0]["actor"]["username"] == "eddie"


def test_claims_list_filters_and_keyset_pages(client, db_session, users, token):
    ids = [
        make_claim(db_session, users["editor"], text=f"Claim {i}", priority=1 + i % 5).id
        for i in range(7)
    ]
    make_claim(db_session, users["editor"], text="A death was denied.", claim_type="death")
    db_session.commit()
    headers = auth(token("reviewer", scope="read"))

    seen, cursor = [], None
    while True:
        query = {"limit": 3, "claim_type": "arrest"} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/claims", query_string=query, headers=headers).get_json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen))

    found = client.get("/api/v1/claims", query_string={"q": "death"}, headers=headers)
    assert [c["text"] for c in found.get_json()["items"]] == ["A death was denied."]


@pytest.mark.parametrize(
    "query,field",
    [
        ({"status": "nonsense"}, "status"),
        ({"limit": "0"}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"article_id": "99999999999"}, "article_id"),
        ({"cursor": "not a cursor!"}, "cursor"),
        ({"cursor": "zzz"}, "cursor"),  # the right letters, not a cursor this list gave
        ({"sort": "DROP TABLE"}, "sort"),
        ({"unknown": "1"}, "unknown"),
    ],
)
def test_bad_query_is_a_422_naming_the_field(client, users, token, query, field):
    response = client.get("/api/v1/claims", query_string=query, headers=auth(token("reviewer")))
    assert_problem(response, 422, field)


def test_report_filters_are_validated(client, users, token):
    response = client.get(
        "/api/v1/report",
        query_string={"date_from": "2026-02-01", "date_to": "2026-01-01"},
        headers=auth(token("editor")),
    )
    assert_problem(response, 422, "date_to")


def test_unknown_things_are_404_problems(client, users, token):
    headers = auth(token("reviewer"))
    assert_problem(client.get("/api/v1/claims/999", headers=headers), 404)
    assert_problem(client.get("/api/v1/articles/999", headers=headers), 404)
    assert_problem(client.get("/api/v1/nothing-here", headers=headers), 404)
    assert_problem(
        client.post("/api/v1/claims/999/take", json={"version": 1}, headers=headers), 404
    )
    assert_problem(client.delete("/api/v1/claims", headers=headers), 405)


# ---- writes, with each role ---------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_create_article_claim_and_source_with_each_role(client, db_session, users, token, role):
    headers = auth(token(role))
    made = client.post(
        "/api/v1/articles",
        json={"text": "The mayor said 40 buses were bought.", "title": "Buses"},
        headers=headers,
    )
    assert made.status_code == 201, made.get_data(as_text=True)
    article = made.get_json()
    assert made.headers["Location"] == f"/api/v1/articles/{article['id']}"
    assert article["title"] == "Buses" and article["claims"] == []

    claim = client.post(
        "/api/v1/claims",
        json={
            "text": "40 buses were bought.",
            "quote": "40 buses were bought",
            "claim_type": "official_action",
            "article_id": article["id"],
        },
        headers=headers,
    )
    assert claim.status_code == 201, claim.get_data(as_text=True)
    body = claim.get_json()
    assert body["article"]["id"] == article["id"] and body["history"][0]["actor"]["username"]
    assert claim.headers["ETag"] == f'"{body["version"]}"'

    if role == "reviewer":  # sources go on claims one works on: take it first
        taken = client.post(
            f"/api/v1/claims/{body['id']}/take", json={"version": body["version"]}, headers=headers
        )
        assert taken.status_code == 200, taken.get_data(as_text=True)
    source = client.post(
        f"/api/v1/claims/{body['id']}/sources",
        json={"url": "https://example.org/buses", "title": "Council minutes", "stance": "supports"},
        headers=headers,
    )
    assert source.status_code == 201, source.get_data(as_text=True)
    assert [s["title"] for s in source.get_json()["sources"]] == ["Council minutes"]
    db_session.commit()
    stored = db_session.get(Claim, body["id"])
    assert stored.created_by_id == users[role].id and len(stored.sources) == 1


def test_reviewer_may_not_add_sources_to_someone_elses_claim(client, db_session, users, token):
    claim = make_claim(db_session, users["editor"])
    research(db_session, users["reviewer2"], claim)
    db_session.commit()
    response = client.post(
        f"/api/v1/claims/{claim.id}/sources",
        json={"url": "https://example.org/x", "title": "X", "stance": "refutes"},
        headers=auth(token("reviewer")),
    )
    assert_problem(response, 403)


@pytest.mark.parametrize(
    "path,body,field",
    [
        ("/api/v1/articles", {}, "text"),
        ("/api/v1/articles", {"text": "   "}, "text"),
        ("/api/v1/articles", {"text": "ok", "url": "javascript:alert(1)"}, "url"),
        ("/api/v1/articles", {"text": "ok", "published_on": "yesterday"}, "published_on"),
        ("/api/v1/claims", {"text": ""}, "text"),
        ("/api/v1/claims", {"text": "x", "priority": 9}, "priority"),
        ("/api/v1/claims", {"text": "x", "claim_type": "rumour"}, "claim_type"),
        ("/api/v1/claims", {"text": "x", "article_id": 424242}, "article_id"),
        ("/api/v1/claims", {"text": "x\u0007bell"}, "text"),
        ("/api/v1/claims", {"text": "x", "extra": 1}, "extra"),
        ("/api/v1/claims", {"text": ["a", "list"]}, "text"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(client, users, token, path, body, field):
    response = client.post(path, json=body, headers=auth(token("editor")))
    assert_problem(response, 422, field)


def test_a_source_quote_not_in_the_article_names_the_field(client, db_session, users, token):
    article = make_article(db_session)
    db_session.commit()
    response = client.post(
        "/api/v1/claims",
        json={"text": "x", "quote": "words the article never had", "article_id": article.id},
        headers=auth(token("editor")),
    )
    assert_problem(response, 422, "quote")


def test_malformed_json_is_a_400_problem(client, users, token):
    response = client.post(
        "/api/v1/claims",
        data="{not json",
        headers=auth(token("editor"), **{"Content-Type": "application/json"}),
    )
    assert_problem(response, 400)


def test_idempotency_key_creates_once(client, db_session, users, token):
    headers = auth(token("editor"), **{"Idempotency-Key": "a" * 20})
    first = client.post("/api/v1/claims", json={"text": "Once."}, headers=headers)
    assert first.status_code == 201
    again = client.post("/api/v1/claims", json={"text": "Once."}, headers=headers)
    body = assert_problem(again, 409, "Idempotency-Key")
    assert body["location"] == first.headers["Location"]
    db_session.commit()
    assert db_session.scalar(select(func.count()).select_from(Claim)) == 1
    # The key is the user's own: another user's same key creates their claim.
    other = auth(token("editor2"), **{"Idempotency-Key": "a" * 20})
    theirs = client.post("/api/v1/claims", json={"text": "Theirs."}, headers=other)
    assert theirs.status_code == 201
    assert theirs.headers["Location"] != first.headers["Location"]
    bad = client.post(
        "/api/v1/claims",
        json={"text": "x"},
        headers=auth(token("editor"), **{"Idempotency-Key": "!"}),
    )
    assert_problem(bad, 422, "Idempotency-Key")


# ---- versions and the two-person rule ------------------------------------------------------


def test_stale_version_is_409_with_the_current_state(client, db_session, users, token):
    claim = make_claim(db_session, users["editor"])
    db_session.commit()
    headers = auth(token("reviewer"))
    read = client.get(f"/api/v1/claims/{claim.id}", headers=headers)
    etag = read.headers["ETag"]
    # Meanwhile an editor assigns it to someone else.
    from factcheck.workflow import claims as wf

    wf.assign(db_session, users["editor"], claim, users["reviewer2"], expected_version=None)
    db_session.commit()

    stale = client.post(f"/api/v1/claims/{claim.id}/take", headers={**headers, "If-Match": etag})
    body = assert_problem(stale, 409, "version")
    assert body["current_version"] == claim.version != int(etag.strip('"'))
    assert body["current"]["assignee"]["username"] == "rob"
    assert body["current"]["version"] == claim.version

    stale_field = client.post(
        f"/api/v1/claims/{claim.id}/sources",
        json={"url": "https://example.org/a", "title": "A", "stance": "context", "version": 1},
        headers=auth(token("editor")),
    )
    assert assert_problem(stale_field, 409, "version")["current"]["sources"] == []


def test_actions_need_a_version(client, db_session, users, token, claim_id):
    headers = auth(token("reviewer"))
    assert_problem(client.post(f"/api/v1/claims/{claim_id}/take", headers=headers), 428, "version")
    bad = client.post(
        f"/api/v1/claims/{claim_id}/take", headers={**headers, "If-Match": "yesterday"}
    )
    assert_problem(bad, 400, "If-Match")


def test_two_person_approval_through_the_api(client, db_session, users, token):
    claim = make_claim(db_session, users["editor"])
    research(db_session, users["editor"], claim)
    db_session.commit()
    eddie, erin, rita = auth(token("editor")), auth(token("editor2")), auth(token("reviewer"))
    version = client.get(f"/api/v1/claims/{claim.id}", headers=eddie).get_json()["version"]
    drafted = client.post(
        f"/api/v1/claims/{claim.id}/verdict",
        json={"rating": "false", "summary": "No.", "rationale": "Sources.", "version": version},
        headers=eddie,
    )
    assert drafted.status_code == 200, drafted.get_data(as_text=True)
    version = drafted.get_json()["version"]
    assert drafted.get_json()["pending_verdict"]["drafted_by"]["username"] == "eddie"

    # Not the drafter, and not a reviewer.
    assert_problem(
        client.post(f"/api/v1/claims/{claim.id}/approve", json={"version": version}, headers=eddie),
        403,
    )
    assert_problem(
        client.post(f"/api/v1/claims/{claim.id}/approve", json={"version": version}, headers=rita),
        403,
    )
    approved = client.post(
        f"/api/v1/claims/{claim.id}/approve", headers={**erin, "If-Match": f'"{version}"'}
    )
    assert approved.status_code == 200, approved.get_data(as_text=True)
    assert approved.get_json()["status"] == "published"
    # Approving again is an illegal transition, not a 500.
    again = client.post(
        f"/api/v1/claims/{claim.id}/approve",
        json={"version": approved.get_json()["version"]},
        headers=erin,
    )
    assert_problem(again, 409)


def test_return_and_assign_by_role(client, db_session, users, token):
    claim = make_claim(db_session, users["editor"])
    submit(db_session, users["reviewer"], claim)
    db_session.commit()
    reviewer, editor = auth(token("reviewer")), auth(token("editor"))
    version = claim.version
    assert_problem(
        client.post(
            f"/api/v1/claims/{claim.id}/return",
            json={"reason": "More.", "version": version},
            headers=reviewer,
        ),
        403,
    )
    returned = client.post(
        f"/api/v1/claims/{claim.id}/return",
        json={"reason": "Find a second source.", "version": version},
        headers=editor,
    )
    assert returned.status_code == 200, returned.get_data(as_text=True)
    version = returned.get_json()["version"]
    assert_problem(
        client.post(
            f"/api/v1/claims/{claim.id}/assign",
            json={"assignee_id": users["reviewer2"].id, "version": version},
            headers=reviewer,
        ),
        403,
    )
    assigned = client.post(
        f"/api/v1/claims/{claim.id}/assign",
        json={"assignee_id": users["reviewer2"].id, "version": version},
        headers=editor,
    )
    assert assigned.status_code == 200 and assigned.get_json()["assignee"]["username"] == "rob"
    nobody = client.post(
        f"/api/v1/claims/{claim.id}/assign",
        json={"assignee_id": 99999, "version": assigned.get_json()["version"]},
        headers=editor,
    )
    assert_problem(nobody, 422, "assignee_id")


# ---- rate limits --------------------------------------------------------------------------


def test_rate_limit_is_per_token(app, users, token):
    app.config["API_RATE_LIMIT"] = "2 per minute"
    client = app.test_client()
    first, second = auth(token("reviewer")), auth(token("editor"))
    assert client.get("/api/v1/claims", headers=first).status_code == 200
    assert client.get("/api/v1/claims", headers=first).status_code == 200
    limited = client.get("/api/v1/claims", headers=first)
    assert_problem(limited, 429)
    assert int(limited.headers["Retry-After"]) > 0
    assert client.get("/api/v1/claims", headers=second).status_code == 200


@pytest.mark.parametrize("value", ["a\x00b", "\x1b"])
def test_control_characters_anywhere_are_refused_never_a_500(
    client, db_session, users, token, claim_id, value
):
    """Every API route that takes a body, every field of its schema holding a control
    character (PostgreSQL refuses NUL outright): a 422 naming fields, nothing written."""
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    headers = auth(token("admin"))
    db_session.commit()
    events = db_session.scalar(select(func.count()).select_from(HistoryEvent))
    for path, item in spec["paths"].items():
        body = item.get("post", {}).get("requestBody")
        if body is None:
            continue
        ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        data = {name: value for name in schemas[ref]["properties"]}
        url = path.replace("{claim_id}", str(claim_id)).replace("{article_id}", "1")
        response = client.post(url, json=data, headers=headers)
        problem = assert_problem(response, 422)
        assert problem["errors"], path
    query = client.get("/api/v1/claims", query_string={"q": value}, headers=headers)
    assert_problem(query, 422, "q")
    db_session.commit()
    assert db_session.scalar(select(func.count()).select_from(HistoryEvent)) == events
