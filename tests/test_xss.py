"""Hostile input comes back escaped, and hostile URLs are refused, on every page that shows it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factcheck.models import Article, Claim
from tests.xss_payloads import JAVASCRIPT_URLS, PAYLOADS, RAW_MARKERS


def html(response) -> str:
    return response.get_data(as_text=True)


def assert_escaped(body: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in body, marker


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_fields_are_escaped_everywhere(client, as_user, db_session, payload):
    as_user("editor")
    text = f"Officials said 12 people {payload} were detained."
    response = client.post(
        "/articles/new",
        data={
            "title": payload,
            "publisher": payload,
            "author": payload,
            "text": text,
        },
    )
    assert response.status_code == 302
    db_session.commit()
    article = db_session.scalars(select(Article)).one()
    response = client.post(
        f"/articles/{article.id}/claims",
        data={
            "quote": f"12 people {payload}",
            "text": payload,
            "claimant": payload,
            "claim_type": "arrest",
            "priority": 3,
        },
    )
    assert response.status_code == 302, html(response)
    db_session.commit()
    claim = db_session.scalars(select(Claim)).one()
    client.post(f"/claims/{claim.id}/assign", data={"version": 1, "assignee": 3})
    client.post(
        f"/claims/{claim.id}/sources",
        data={
            "url": "https://example.org/?q=" + payload.replace(" ", "%20"),
            "title": payload,
            "publisher": payload,
            "excerpt": payload,
            "stance": "supports",
            "kind": "other",
            "reliability": 3,
        },
    )
    client.post(f"/claims/{claim.id}/comments", data={"body": payload})
    client.post(
        f"/claims/{claim.id}/verdict",
        data={
            "rating": "false",
            "summary": payload,
            "rationale": payload,
            "version": 3,  # assigned, then a source added
        },
    )
    for url in [
        "/",
        f"/?q={payload}",
        "/queue",
        f"/claims/{claim.id}",
        "/articles/",
        f"/articles/{article.id}",
        f"/claims/{claim.id}/edit",
    ]:
        body = html(client.get(url))
        assert_escaped(body)
    assert "&lt;" in html(client.get(f"/claims/{claim.id}"))  # shown, as text

    # Published, then corrected: the public pages and the report show the same text, escaped.
    client.post("/logout")  # signing in while signed in would keep eddie
    as_user("editor2")
    db_session.commit()
    db_session.refresh(claim)
    assert claim.status == "in_review"
    assert (
        client.post(f"/claims/{claim.id}/approve", data={"version": claim.version}).status_code
        == 302
    )
    public = html(client.get(f"/fact-checks/{claim.id}"))
    assert payload in extruct_claim(public)  # the JSON-LD carries it intact, as data
    for body in (public, html(client.get("/fact-checks")), html(client.get("/reports"))):
        assert_escaped(body)
    db_session.commit()
    db_session.refresh(claim)
    response = client.post(
        f"/claims/{claim.id}/reopen", data={"version": claim.version, "note": payload}
    )
    assert response.status_code == 302
    assert payload not in html(client.get("/fact-checks/corrections"))
    assert_escaped(html(client.get("/fact-checks/corrections")))


def extruct_claim(page: str) -> str:
    import extruct

    return extruct.extract(page, syntaxes=["json-ld"])["json-ld"][0]["claimReviewed"]


@pytest.mark.parametrize("url", JAVASCRIPT_URLS)
def test_script_urls_are_refused(client, as_user, db_session, url):
    as_user("editor")
    response = client.post("/articles/new", data={"title": "t", "text": "Some text.", "url": url})
    assert response.status_code == 400
    assert "Enter a full http:// or https:// address." in html(response)
    client.post("/articles/new", data={"title": "t", "text": "Some text here."})
    db_session.commit()
    article = db_session.scalars(select(Article)).one()
    client.post(
        f"/articles/{article.id}/claims",
        data={"quote": "Some text", "text": "A claim", "claim_type": "other", "priority": 3},
    )
    db_session.commit()
    claim = db_session.scalars(select(Claim)).one()
    for field in ("url", "archive_url"):
        data = {
            "url": "https://ok.example/",
            "title": "t",
            "stance": "supports",
            "kind": "other",
            "reliability": 3,
            field: url,
        }
        response = client.post(f"/claims/{claim.id}/sources", data=data)
        assert response.status_code == 400, field
        assert "Enter a full http:// or https:// address." in html(response)


def test_display_names_are_escaped(client, as_user, db_session):
    as_user("admin")
    client.post(
        "/admin/users",
        data={
            "username": "mallory",
            "display_name": PAYLOADS[1],
            "role": "editor",
            "password": "long enough password",
        },
    )
    assert_escaped(html(client.get("/admin/users")))
    assert_escaped(html(client.get("/")))


def test_security_headers_on_every_response(client, as_user):
    for url in ("/login", "/nope", "/admin/users"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"]
