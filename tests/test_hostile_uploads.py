"""Hostile article text through the real web upload and article page (issue 14): each ~200 KB
text that made a worker stall is added and shown with a redirect and a 200, never a 500 or a
timeout; extraction over its budget says so on the page; an HTML page's headline is its title."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from factcheck.devsupport.hostile import HOSTILE, as_html, real_text
from factcheck.models import Article, Claim

SIZE = 199_000  # under the 200,000-character limit on an article's text


def upload(client, name: str, body: str, **fields) -> int:
    data = {"text": "", "file": (io.BytesIO(body.encode()), name), **fields}
    response = client.post("/articles/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


@pytest.mark.parametrize("generator", sorted(HOSTILE))
def test_a_hostile_upload_is_added_and_shown(client, as_user, generator):
    as_user("reviewer")
    text = HOSTILE[generator](SIZE)
    article_id = upload(client, "hostile.txt", text, title="Hostile")
    assert client.get(f"/articles/{article_id}").status_code == 200
    # As a web page: added and shown, or refused at the file when it holds no readable text.
    data = {"title": "Page", "text": "", "file": (io.BytesIO(text.encode()), "hostile.html")}
    response = client.post("/articles/new", data=data)
    if response.status_code == 400:
        assert 'id="file-err">The file holds no readable text.' in response.get_data(as_text=True)
    else:
        assert response.status_code == 302
        assert client.get(response.headers["Location"]).status_code == 200


def test_a_long_real_web_page_is_added_and_shown(client, as_user):
    as_user("reviewer")
    article_id = upload(client, "long.html", as_html(real_text(SIZE)[:SIZE]), title="Long")
    body = client.get(f"/articles/{article_id}").get_data(as_text=True)
    assert 'id="extraction-note"' not in body  # read to the end
    assert "Suggested claims" in body


def test_extraction_over_its_budget_shows_what_it_found_and_says_so(client, app, as_user):
    as_user("reviewer")
    app.config["EXTRACTION_MAX_STEPS"] = 1_000_000
    article_id = upload(client, "long.txt", real_text(SIZE)[:SIZE], title="Long")
    response = client.get(f"/articles/{article_id}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    note = re.search(r'id="extraction-note">([^<]*)<', body).group(1)
    assert "Suggestions cover the first" in note and f"{SIZE:,} characters" in note
    assert "Suggested claims" in body  # what was read before the limit is still offered


def test_an_html_upload_takes_its_headline_as_title_not_as_a_claim(client, as_user, db_session):
    as_user("reviewer")
    page = (
        "<html><head><title>Police arrest 40 protesters</title></head><body><article>"
        "<h1>Police arrest 40 protesters</h1>"
        "<p>Police said 40 protesters were arrested and two died.</p></article></body></html>"
    )
    article_id = upload(client, "protest.html", page)
    db_session.commit()
    article = db_session.get(Article, article_id)
    assert article.title == "Police arrest 40 protesters"
    assert article.text == "Police said 40 protesters were arrested and two died."
    body = client.get(f"/articles/{article_id}").get_data(as_text=True)
    assert "<h1>Police arrest 40 protesters</h1>" in body
    assert not re.search(r"<textarea[^>]*>\s*Police arrest 40 protesters\s*<", body)
    # A title typed in the form wins over the page's (another story: the same text would be
    # the same article, test_web_articles_admin.py).
    other = upload(client, "protest.html", page.replace("two", "three"), title="Typed title")
    db_session.commit()
    assert db_session.get(Article, other).title == "Typed title"
    assert db_session.scalars(select(Claim)).all() == []
