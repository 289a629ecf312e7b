"""The desk's search page: claims (with the list's filters), articles and sources by text,
through their full-text indexes, a page at a time."""

from __future__ import annotations

import pytest

from factcheck.web import search as search_page
from tests.factories import attach_source, make_article, make_claim


@pytest.fixture
def desk(db_session, users):
    editor = users["editor"]
    article = make_article(
        db_session,
        text="The harbour authority said cargo volumes doubled.",
        title="Harbour traffic report",
        publisher="Coastal Times",
    )
    make_article(db_session, text="Nothing about ports here.", title="Weather")
    claim = make_claim(db_session, editor, text="Cargo volumes at the harbour doubled in 2025.")
    make_claim(db_session, editor, text="Harbour fees rose sharply.", claim_type="official_action")
    attach_source(db_session, editor, claim, title="Port statistics yearbook", publisher="Statbank")
    db_session.commit()
    return article, claim


def _results(client, **args) -> str:
    response = client.get("/search", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True).split('id="results"')[1].split("</table>")[0]


def test_each_kind_is_found_by_its_words(client, as_user, desk):
    article, claim = desk
    as_user("reviewer")
    claims = _results(client, q="harbour")
    assert "Cargo volumes at the harbour" in claims and "Harbour fees rose" in claims
    articles = _results(client, q="coastal harb", kind="articles")
    assert f'href="/articles/{article.id}"' in articles and "Weather" not in articles
    sources = _results(client, q="statbank", kind="sources")
    assert "Port statistics yearbook" in sources and f'href="/claims/{claim.id}"' in sources
    assert "No sources match." in _results(client, q="nothing-like-it", kind="sources")


def test_claims_keep_the_list_filters(client, as_user, desk):
    as_user("reviewer")
    found = _results(client, q="harbour", claim_type="official_action")
    assert "Harbour fees rose" in found and "Cargo volumes" not in found


def test_hostile_input_is_just_words(client, as_user, desk):
    as_user("reviewer")
    for q in ['"unbalanced', "NEAR(a b)", "*", "a:b -c", "\x00"]:
        for kind in ("claims", "articles", "sources"):
            assert client.get("/search", query_string={"q": q, "kind": kind}).status_code == 200


def test_articles_are_paged(client, as_user, db_session, desk, monkeypatch):
    for n in range(3):
        make_article(db_session, text=f"Harbour story number {n}.", title=f"Harbour {n}")
    db_session.commit()
    monkeypatch.setattr(search_page, "PAGE_SIZE", 2)
    as_user("reviewer")
    page = client.get("/search?kind=articles&q=harbour").get_data(as_text=True)
    assert "Harbour 2" in page and "Harbour 1" in page and "Harbour 0" not in page
    older = page.split('class="pager"')[1].split('href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(older).get_data(as_text=True)
    assert "Harbour 0" in second and "Harbour 1" not in second
