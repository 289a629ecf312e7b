"""Where reviewers meet the extractor: upload an article, see the suggestions highlighted, keep
some (edited), create them in one action, with history naming extraction."""

from __future__ import annotations

import io
import re

from bs4 import BeautifulSoup
from sqlalchemy import func, select

from factcheck.models import Article, Claim, HistoryEvent
from factcheck.workflow.candidates import fingerprint

TEXT = (
    "Police said 40 protesters were arrested, many were beaten, and two died.\n\n"
    "The interior ministry denied that any prisoners had been mistreated.\n\n"
    "We must do better."
)


def html(response) -> str:
    return response.get_data(as_text=True)


def add_article(client, **data) -> int:
    response = client.post("/articles/new", data={"title": "Protest", **data})
    assert response.status_code == 302, html(response)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def rows(body: str) -> dict[int, dict[str, str]]:
    """The suggestion rows of the confirm form, as the browser would submit them."""
    found: dict[int, dict[str, str]] = {}
    form = BeautifulSoup(body, "html.parser").find("form", action=re.compile("candidates$"))
    for tag in form.find_all(["input", "textarea", "select"]):
        match = re.fullmatch(r"candidates-(\d+)-(\w+)", tag.get("name", ""))
        if not match:
            continue
        row = found.setdefault(int(match.group(1)), {})
        if tag.name == "textarea":
            row[match.group(2)] = tag.get_text()
        elif tag.name == "select":
            row[match.group(2)] = tag.find("option", selected=True)["value"]
        elif tag.get("type") == "checkbox":
            if tag.has_attr("checked"):
                row[match.group(2)] = "y"
        else:
            row[match.group(2)] = tag.get("value", "")
    return found


def form_data(article_text_fp: str, picked: dict[int, dict[str, str]]) -> dict[str, str]:
    data = {"fingerprint": article_text_fp}
    for i, row in picked.items():
        for field, value in row.items():
            data[f"candidates-{i}-{field}"] = value
    return data


def test_uploaded_html_article_shows_highlighted_suggestions(client, as_user, db_session):
    as_user("reviewer")
    page = (
        "<html><body><nav>Menu</nav><article>"
        + "".join(f"<p>{p}</p>" for p in TEXT.split("\n\n"))
        + "</article></body></html>"
    )
    article_id = add_article(client, text="", file=(io.BytesIO(page.encode()), "protest.html"))
    db_session.commit()
    article = db_session.get(Article, article_id)
    assert article.text == TEXT  # the readable text, without the menu
    body = html(client.get(f"/articles/{article_id}"))
    assert "Suggested claims" in body
    assert body.count('class="candidate"') >= 3
    suggestion_rows = rows(body)
    assert [r["claim_type"] for r in suggestion_rows.values()][:4] == [
        "arrest",
        "abuse",
        "death",
        "denial",
    ]
    assert suggestion_rows[0]["claimant"] == "Police"
    assert all("keep" in row for row in suggestion_rows.values())  # all score >= 0.5
    assert 4 not in suggestion_rows  # "We must do better." scores too low to be shown


def test_upload_must_be_utf8_text(client, as_user):
    as_user("reviewer")
    response = client.post(
        "/articles/new",
        data={"title": "x", "text": "", "file": (io.BytesIO("caf\xe9".encode("latin-1")), "a.txt")},
    )
    assert response.status_code == 400
    assert "The file is not UTF-8 text." in html(response)
    response = client.post(
        "/articles/new", data={"title": "x", "file": (io.BytesIO(b"x"), "a.pdf")}
    )
    assert response.status_code == 400
    assert "Upload a .txt or .html file." in html(response)


def test_an_upload_whose_text_is_too_long_is_refused_at_the_file(
    client, as_user, db_session, monkeypatch
):
    as_user("reviewer")
    words = "The council met again today. " * 8000  # about 232,000 characters of text
    page = f"<html><body><p>{words}</p></body></html>".encode()
    response = client.post(
        "/articles/new", data={"title": "Long", "text": "", "file": (io.BytesIO(page), "a.html")}
    )
    assert response.status_code == 400
    body = html(response)
    assert re.search(r'id="file-err">At most 200000 characters', body), body[-2000:]
    db_session.commit()
    assert db_session.scalar(select(func.count()).select_from(Article)) == 0
    from factcheck.workflow import articles

    # The test client keeps an upload in memory: a smaller limit stands for the real one.
    monkeypatch.setattr(articles, "MAX_ARTICLE_FILE_BYTES", 300_000)
    huge = b"x" * 300_010
    response = client.post(
        "/articles/new", data={"title": "Huge", "file": (io.BytesIO(huge), "a.txt")}
    )
    assert response.status_code == 400
    assert 'id="file-err">The file is larger than 292 KiB.' in html(response)


def test_kept_suggestions_become_claims_in_one_action(client, as_user, db_session):
    as_user("reviewer")
    article_id = add_article(client, text=TEXT)
    body = html(client.get(f"/articles/{article_id}"))
    suggestion_rows = rows(body)
    fp = re.search(r'name="fingerprint" type="hidden" value="(\w+)"', body).group(1)
    picked = {i: dict(r) for i, r in suggestion_rows.items()}
    picked[1]["text"] = "Many of the arrested protesters were beaten."
    picked[1]["claimant"] = "the police"
    picked[2].pop("keep")  # dropped
    response = client.post(f"/articles/{article_id}/candidates", data=form_data(fp, picked))
    assert response.status_code == 302, html(response)
    db_session.commit()
    claims = db_session.scalars(
        select(Claim).where(Claim.article_id == article_id).order_by(Claim.span_start)
    ).all()
    assert [c.claim_type for c in claims] == ["arrest", "abuse", "denial"]
    assert claims[1].text == "Many of the arrested protesters were beaten."
    assert claims[1].claimant == "the police"
    assert claims[1].quote == "many were beaten"
    assert {c.origin for c in claims} == {"extraction"}
    for claim in claims:
        assert TEXT[claim.span_start : claim.span_end] == claim.quote
        event = db_session.scalars(
            select(HistoryEvent).where(HistoryEvent.claim_id == claim.id)
        ).one()
        assert event.details["extraction"]["score"] >= 0.5
        assert event.details["extraction"]["reasons"]
    # Shown again, the same passages are flagged as restating the new claims.
    body = html(client.get(f"/articles/{article_id}"))
    assert f'Restates <a href="/claims/{claims[0].id}">claim #{claims[0].id}</a>' in body


def test_sending_the_kept_suggestions_again_says_why_nothing_was_created(
    client, as_user, db_session
):
    """The back button and a second click: the refusal is stated at the top of the page, not
    only at a row the page may no longer show."""
    as_user("reviewer")
    article_id = add_article(client, text=TEXT)
    body = html(client.get(f"/articles/{article_id}"))
    fp = re.search(r'name="fingerprint" type="hidden" value="(\w+)"', body).group(1)
    picked = {0: rows(body)[0]}
    first = client.post(f"/articles/{article_id}/candidates", data=form_data(fp, picked))
    assert first.status_code == 302
    again = client.post(f"/articles/{article_id}/candidates", data=form_data(fp, picked))
    assert again.status_code in (400, 409)
    page = html(again)
    flash_area = page[: page.index("<main")] + page[page.index("<main") :][:3000]
    assert "Nothing was created." in flash_area
    # Issue 18: said once, in the error summary, naming the suggestion (not flashed again).
    assert "Suggestion 1 (keep): This passage is already claim #" in flash_area
    assert page.count("This passage is already claim #") == 1
    db_session.commit()
    assert len(db_session.scalars(select(Claim).where(Claim.article_id == article_id)).all()) == 1


def test_a_bad_row_refuses_the_whole_action(client, as_user, db_session):
    as_user("reviewer")
    article_id = add_article(client, text=TEXT)
    body = html(client.get(f"/articles/{article_id}"))
    fp = re.search(r'name="fingerprint" type="hidden" value="(\w+)"', body).group(1)
    picked = rows(body)
    picked[0]["keep"] = picked[1]["keep"] = "y"
    picked[1]["text"] = "   "
    response = client.post(f"/articles/{article_id}/candidates", data=form_data(fp, picked))
    assert response.status_code == 400
    assert re.search(r'id="suggestion-1".*?class="error"', html(response), re.S)
    # Issue 18: the summary names the suggestion; the message is not flashed as well.
    summary = re.search(r'<section class="error-summary".*?</section>', html(response), re.S)
    assert "Suggestion 2 (claim text): This field is required." in summary.group(0)
    assert html(response).count("This field is required.") == 2  # the summary and the row
    assert "Nothing was created." in html(response)
    picked[1]["text"] = "ok"
    picked[1]["claim_type"] = "bogus"
    response = client.post(f"/articles/{article_id}/candidates", data=form_data(fp, picked))
    assert response.status_code == 400
    assert "Not a valid choice" in html(response)
    db_session.commit()
    assert db_session.scalars(select(Claim).where(Claim.article_id == article_id)).all() == []


def test_a_stale_or_empty_confirmation_is_refused(client, as_user, db_session):
    as_user("reviewer")
    article_id = add_article(client, text=TEXT)
    picked = rows(html(client.get(f"/articles/{article_id}")))
    response = client.post(f"/articles/{article_id}/candidates", data=form_data("0" * 16, picked))
    assert response.status_code == 409
    assert "changed since the suggestions were shown" in html(response)
    db_session.commit()
    fp = fingerprint(db_session.get(Article, article_id))
    none_kept = {i: {k: v for k, v in r.items() if k != "keep"} for i, r in picked.items()}
    response = client.post(f"/articles/{article_id}/candidates", data=form_data(fp, none_kept))
    assert response.status_code == 400
    assert "Tick at least one suggested claim" in html(response)
    response = client.post(
        f"/articles/{article_id}/candidates",
        data=form_data(
            fp, {0: {"position": "99", "keep": "y", "text": "x", "claim_type": "other"}}
        ),
    )
    assert response.status_code == 400
    assert db_session.scalars(select(Claim).where(Claim.article_id == article_id)).all() == []


def test_restatement_in_another_article_is_flagged(client, as_user, db_session):
    as_user("reviewer")
    first = add_article(client, text=TEXT)
    body = html(client.get(f"/articles/{first}"))
    fp = re.search(r'name="fingerprint" type="hidden" value="(\w+)"', body).group(1)
    only_denial = {3: rows(body)[3]}
    assert (
        client.post(f"/articles/{first}/candidates", data=form_data(fp, only_denial)).status_code
        == 302
    )
    second = add_article(
        client, text="Separately, the interior ministry denied that any prisoners were mistreated."
    )
    body = html(client.get(f"/articles/{second}"))
    assert "(another article)" in body


def test_ingest_cli_lists_suggestions(runner, tmp_path, db_session):
    path = tmp_path / "protest.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = runner.invoke(args=["ingest", str(path), "--title", "Protest"])
    assert result.exit_code == 0, result.output
    assert "suggested claim(s)" in result.output
    assert "denial" in result.output and "Police" in result.output
    page = tmp_path / "protest.html"
    page.write_text(f"<title>Protest in the capital</title><h1>Protest</h1><p>{TEXT}</p>")
    result = runner.invoke(args=["ingest", str(page)])
    assert result.exit_code == 0, result.output
    db_session.commit()
    ingested = db_session.scalars(select(Article).order_by(Article.id.desc())).first()
    assert ingested.title == "Protest in the capital"  # the page's, not the file name
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00bad")
    result = runner.invoke(args=["ingest", str(bad)])
    assert result.exit_code != 0 and "not UTF-8" in result.output


def test_a_very_long_article_shows_its_best_suggestions_and_can_be_confirmed(
    client, as_user, db_session
):
    from factcheck.workflow.candidates import MAX_SUGGESTIONS

    towns = [f"Town{n}" for n in range(MAX_SUGGESTIONS + 100)]
    text = "\n\n".join(
        f"Police in {town} said {n + 2} protesters were arrested on Monday."
        for n, town in enumerate(towns)
    )
    as_user("reviewer")
    article_id = add_article(client, text=text)
    body = html(client.get(f"/articles/{article_id}"))  # a 500 when the rows outran the form
    shown = rows(body)
    assert len(shown) == MAX_SUGGESTIONS
    fp = re.search(r'name="fingerprint" type="hidden" value="(\w+)"', body).group(1)
    last = max(shown)
    response = client.post(
        f"/articles/{article_id}/candidates", data=form_data(fp, {last: shown[last]})
    )
    assert response.status_code == 302, html(response)[:500]


def test_a_form_made_before_the_extractor_changed_is_refused(
    client, as_user, db_session, monkeypatch
):
    """Rows come back by position: if the suggestions are no longer the ones shown (a new
    extractor version, another cut-off), position 0 would be another passage. Refused."""
    from factcheck.workflow import candidates

    as_user("reviewer")
    article_id = add_article(client, text=TEXT)
    body = html(client.get(f"/articles/{article_id}"))
    fp = re.search(r'name="fingerprint" type="hidden" value="(\w+)"', body).group(1)
    picked = {0: rows(body)[0]}
    shown = candidates.candidates_for
    monkeypatch.setattr(candidates, "candidates_for", lambda *args: shown(*args)[1:])
    response = client.post(f"/articles/{article_id}/candidates", data=form_data(fp, picked))
    assert response.status_code == 409
    db_session.commit()
    assert db_session.scalar(select(func.count()).select_from(Claim)) == 0


def test_a_refused_suggestion_names_its_row_and_field(db_session, users):
    import pytest

    from factcheck.workflow.candidates import (
        Pick,
        SuggestionRefused,
        candidates_for,
        create_from_candidates,
    )
    from tests.factories import make_article

    article = make_article(db_session, text=TEXT)
    last = len(candidates_for(article)) - 1
    with pytest.raises(SuggestionRefused) as refused:
        create_from_candidates(
            db_session,
            users["reviewer"],
            article,
            fingerprint(article),
            [Pick(index=last, text="   ", claim_type="other", claimant=None)],
        )
    assert (refused.value.index, refused.value.field) == (last, "text")
