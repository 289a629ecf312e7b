"""Articles (add, highlight, claim from a typed quote) and account administration."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from factcheck.models import Article, Claim, User
from tests.conftest import login
from tests.factories import make_article, make_claim


def html(response) -> str:
    return response.get_data(as_text=True)


ARTICLE = {
    "title": "Court hears detention case",
    "publisher": "Daily Example",
    "url": "https://daily.example/court",
    "published_on": "2024-03-01",
    "text": "The court heard that 14 protesters were detained.\n\n"
    "The ministry denied any mistreatment, a spokesman said.",
}


def test_add_article_then_claim_by_typed_quote(client, as_user, db_session):
    as_user("reviewer")
    response = client.post("/articles/new", data=ARTICLE)
    assert response.status_code == 302
    article_url = response.headers["Location"]
    article_id = int(article_url.rstrip("/").split("/")[-1])
    # Typed with a line break and straight quotes: still located in the text.
    response = client.post(
        f"/articles/{article_id}/claims",
        data={
            "quote": "14 protesters\nwere detained",
            "text": "14 protesters were detained.",
            "claimant": "the court",
            "claim_type": "arrest",
            "priority": 2,
        },
    )
    assert response.status_code == 302
    body = html(client.get(article_url))
    assert '<mark><a href="/claims/' in body
    assert ">14 protesters were detained</a></mark>" in body
    db_session.commit()
    claim = db_session.scalars(select(Claim).where(Claim.article_id == article_id)).one()
    assert (claim.span_start, claim.span_end) == (21, 48)


def test_the_same_text_sent_again_lands_on_the_first_article(client, as_user, db_session):
    """A form sent again with a fresh token (the back button, then submit), or the same text
    however spaced: the article made first, said so; never a twin."""
    as_user("reviewer")
    first = client.post("/articles/new", data=ARTICLE).headers["Location"]
    spaced = {**ARTICLE, "text": "  " + ARTICLE["text"].replace(" ", "  ").upper()}
    again = client.post("/articles/new", data=spaced)
    assert again.status_code == 302 and again.headers["Location"] == first
    assert "already on the desk as article #" in html(client.get(first))
    db_session.commit()
    assert db_session.scalar(select(func.count(Article.id))) == 1


def test_article_validation(client, as_user, db_session):
    as_user("reviewer")
    response = client.post("/articles/new", data={**ARTICLE, "text": "", "url": "javascript:x"})
    assert response.status_code == 400
    assert "Paste the article&#39;s text or upload a file." in html(response)
    response = client.post("/articles/new", data={**ARTICLE, "url": "javascript:alert(1)"})
    assert response.status_code == 400
    assert "Enter a full http:// or https:// address." in html(response)
    assert "Court hears detention case" in html(response)  # input kept
    db_session.commit()
    assert db_session.scalar(select(func.count()).select_from(Article)) == 0


def test_claim_from_missing_quote_is_refused_at_the_field(client, as_user, db_session):
    as_user("editor")
    article_url = client.post("/articles/new", data=ARTICLE).headers["Location"]
    article_id = int(article_url.rstrip("/").split("/")[-1])
    response = client.post(
        f"/articles/{article_id}/claims",
        data={
            "quote": "nine protesters",
            "text": "t",
            "claim_type": "arrest",
            "priority": 3,
        },
    )
    assert response.status_code == 400
    assert "This quote does not occur in the article" in html(response)
    assert client.get("/articles/").status_code == 200
    assert client.get("/articles/424242").status_code == 404


def test_articles_list_pages_newest_first_with_claim_counts(client, as_user, db_session):
    from factcheck.web.paging import PAGE_SIZE

    articles = [make_article(db_session, title=f"Story {n:03d}") for n in range(PAGE_SIZE + 2)]
    for _ in range(3):
        make_claim(db_session, article=articles[-1])
    make_claim(db_session, article=articles[0])
    db_session.commit()
    as_user("reviewer")

    def titles_and_counts(page):
        rows = re.findall(r">(Story \d+)</a></td>.*?<td>(\d+)</td></tr>", page, re.S)
        return [(title, int(n)) for title, n in rows]

    first = html(client.get("/articles/"))
    shown = titles_and_counts(first)
    assert len(shown) == PAGE_SIZE
    assert shown[0] == (f"Story {PAGE_SIZE + 1:03d}", 3)
    assert shown[1] == (f"Story {PAGE_SIZE:03d}", 0)
    older = re.search(r'href="(/articles/\?before=\d+)">Older', first).group(1)
    second = html(client.get(older))
    assert titles_and_counts(second) == [("Story 001", 0), ("Story 000", 1)]
    assert "Older" not in second
    assert client.get("/articles/?before=junk").status_code == 200  # the newest page


@pytest.mark.parametrize("role", ["reviewer", "editor"])
def test_admin_pages_are_for_admins_only(client, as_user, role):
    as_user(role)
    assert client.get("/admin/users").status_code == 403
    assert client.post("/admin/users", data={"username": "x"}).status_code == 403


def test_admin_manages_accounts(app, client, as_user, db_session, users):
    as_user("admin")
    assert "rita" in html(client.get("/admin/users"))
    response = client.post(
        "/admin/users",
        data={
            "username": "nina",
            "display_name": "Nina",
            "role": "editor",
            "password": "short",
        },
    )
    assert response.status_code == 400
    assert "at least 10 characters" in html(response)
    response = client.post(
        "/admin/users",
        data={
            "username": "nina",
            "display_name": "Nina",
            "role": "editor",
            "password": "long enough password",
        },
    )
    assert response.status_code == 302
    rita = users["reviewer"]
    assert client.post(f"/admin/users/{rita.id}/role", data={"role": "editor"}).status_code == 302

    rita_client = app.test_client()
    login(rita_client, "rita")
    assert rita_client.get("/").status_code == 200
    assert (
        client.post(
            f"/admin/users/{rita.id}/password", data={"password": "a brand new secret"}
        ).status_code
        == 302
    )
    assert rita_client.get("/").status_code == 302  # reset ended her session
    assert login(rita_client, "rita", "a brand new secret").status_code == 302
    assert client.post(f"/admin/users/{rita.id}/deactivate").status_code == 302
    assert rita_client.get("/").status_code == 302
    assert login(rita_client, "rita", "a brand new secret").status_code == 401
    admin = users["admin"]
    response = client.post(f"/admin/users/{admin.id}/deactivate")
    # Refused, and sent back to the list (post/redirect/get), which says why.
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin/users")
    assert "cannot deactivate your own" in html(client.get("/admin/users"))
    db_session.commit()
    db_session.expire_all()
    nina = db_session.scalars(select(User).where(User.username == "nina")).one()
    assert nina.role == "editor"
    assert db_session.get(User, rita.id).role == "editor"
