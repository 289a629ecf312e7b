"""The candidates for matching stay few at any size (workflow/search.py): a word many claims
hold is left out of the search, and only the newest BOUND matches are ranked. On PostgreSQL
how many claims hold a word is read from the statistics ANALYZE keeps."""

from __future__ import annotations

from sqlalchemy import text

from factcheck.queries.desk_search import find_articles
from factcheck.workflow import search
from factcheck.workflow.matching import find_matches
from tests.factories import make_article, make_claim
from tests.test_query_counts import counting


def _desk(session, backend, common: int) -> int:
    """`common` claims with the word "parliament", then one that also says "protesters"."""
    for i in range(common):
        make_claim(session, text=f"The parliament debated budget line {i}.", claimant="Clerk")
    target = make_claim(
        session, text="Police arrested forty protesters outside the parliament.", claimant="Police"
    )
    session.commit()
    if backend == "postgresql":
        session.execute(text("ANALYZE claims"))
    return target.id


def test_a_word_many_claims_hold_is_left_out(session, backend, monkeypatch):
    monkeypatch.setattr(search, "RARE", 4)
    _desk(session, backend, common=8)
    assert search.telling_terms(session, ["parliament", "protesters"]) == ["protesters"]


def test_when_every_word_is_common_one_alone_is_searched(session, backend, monkeypatch):
    """The rarest where the statistics tell (PostgreSQL); SQLite counts each only up to RARE,
    so of words equally common there, the first (the longest, as the terms come)."""
    monkeypatch.setattr(search, "RARE", 1)
    _desk(session, backend, common=8)
    found = search.telling_terms(session, ["parliament", "police"])
    assert found == (["police"] if backend == "postgresql" else ["parliament"])


def test_the_match_is_found_through_its_telling_words(session, backend, monkeypatch):
    monkeypatch.setattr(search, "RARE", 4)
    target = _desk(session, backend, common=8)
    found = find_matches(session, "Forty protesters were arrested by police outside parliament.")
    assert [m.claim_id for m in found] == [target]


def test_only_the_newest_bound_matches_are_ranked(session, backend, monkeypatch):
    monkeypatch.setattr(search, "BOUND", 3)
    ids = [make_claim(session, text=f"Protesters gathered on day {i}.").id for i in range(5)]
    session.commit()
    ranked = set(session.scalars(search.best_matches(session, ["protesters"], 10)))
    assert ranked == set(ids[-3:])


def test_desk_search_reads_the_newest_matches_only(session, backend):
    """Articles and sources by text, newest first, a page at a time: on SQLite the index yields
    the page itself (newest first, stopping at the page's size), not every match to sort."""
    ids = [make_article(session, text=f"Reports from the border, day {i}.").id for i in range(7)]
    session.commit()
    with counting(session.get_bind()) as statements:
        page = find_articles(session, "reports", before=None, limit=3)
        older = find_articles(session, "reports", before=page[-1][0], limit=3)
    assert [row[0] for row in page + older] == ids[::-1][:6]
    if backend == "sqlite":
        searches = [s for s in statements if "articles_search" in s]
        assert len(searches) == 2
        assert all("ORDER BY rowid DESC LIMIT" in s for s in searches)
