"""Claim search through the full-text index (migration 0009): what a user types becomes a safe
query, words match as prefixes, every way a claim is written is searchable at once, and the
near-duplicate pre-filter reaches claims of any age."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from factcheck.demo import generate
from factcheck.devsupport.samples import claims_csv
from factcheck.models import Claim
from factcheck.queries.claims import ClaimFilters, list_claims, status_counts
from factcheck.queries.desk_search import find_sources
from factcheck.queries.exports import claim_rows
from factcheck.workflow.candidates import _MAX_COMPARED, suggest
from factcheck.workflow.claims import ClaimInput, update_claim
from factcheck.workflow.imports import import_plans, plan_import
from factcheck.workflow.search import search_terms
from tests.factories import attach_source, make_article, make_claim, make_user

HOSTILE = [
    '"',
    '""',
    '"unbalanced quote',
    "*",
    "vacc*",
    "NEAR",
    "NEAR(vaccines doses, 2)",
    "-",
    "-vaccines",
    "vaccines -doses",
    "vaccines OR",
    "AND",
    "NOT vaccines",
    "text: vaccines",
    "claimant:Minister",
    "'",
    "it's",
    "\\",
    "vaccines:*",
    "!vaccines & (doses | x)",
    "^vaccines",
    "{text quote}: vaccines",
    "100%",
    "_",
    "(",
    ")",
    "+",
    "²",
    "ǅ ⅷ ª",
    "e\u0301",
    "\x00vaccines",
    "🙂",
    "x" * 10_000,
    "vaccines " * 1_300,
    " ".join(f"w{i}" for i in range(2_000)),
]

FIND_VACCINES = {"vacc*", "-vaccines", "vaccines:*", "^vaccines", "\x00vaccines", HOSTILE[-2]}


def ids(session, q: str, **filters) -> set[int]:
    return {c.id for c in list_claims(session, ClaimFilters(q=q, **filters), page_size=500).claims}


@pytest.fixture
def claims(session):
    article = make_article(session, text="The minister told us: we never ran out of doses.")
    made = {
        "vaccine": make_claim(
            session, text="The minister said 40 million vaccines were delivered.", claimant="Ana"
        ),
        "quote": make_claim(
            session,
            text="Doses ran out in May.",
            quote="we never ran out of doses",
            article=article,
            claimant="Health Minister",
        ),
        "accent": make_claim(session, text="Prices at the café doubled.", claimant=None),
    }
    session.commit()
    return {name: claim.id for name, claim in made.items()}


def test_search_terms_are_words_only():
    assert search_terms('  "Vaccines"* NEAR(-doses) it\'s_ok  ') == [
        "vaccines",
        "near",
        "doses",
        "it",
        "s",
        "ok",
    ]
    assert search_terms("a a A") == ["a"]
    assert len(search_terms("word " * 5000 + " ".join(f"w{i}" for i in range(100)))) <= 12
    assert search_terms('"*-:()') == []


def test_words_match_as_prefixes_in_text_quote_and_claimant(session, claims):
    assert ids(session, "vaccines") == {claims["vaccine"]}
    assert ids(session, "VACC") == {claims["vaccine"]}
    assert ids(session, "minister") == {claims["vaccine"], claims["quote"]}
    assert ids(session, "minister vacc") == {claims["vaccine"]}  # every word
    assert ids(session, "never ran") == {claims["quote"]}  # the quote
    assert ids(session, "health") == {claims["quote"]}  # the claimant
    assert ids(session, "40 million") == {claims["vaccine"]}
    assert ids(session, "vaccines xylophone") == set()
    assert ids(session, "inister") == set()  # the start of a word, not any substring
    assert ids(session, "vaccines", status="published") == set()  # with the other filters


def test_a_search_many_claims_match_pages_alike(session, claims, monkeypatch):
    """Past BROAD matches SQLite reads a sorted page by its index, checking each claim."""
    from factcheck.workflow import search

    for sort in ("priority", "due", "activity"):
        narrow = list_claims(session, ClaimFilters(q="minister", sort=sort), page_size=1)
        monkeypatch.setattr(search, "BROAD", 1)
        broad = list_claims(session, ClaimFilters(q="minister", sort=sort), page_size=1)
        after = list_claims(
            session, ClaimFilters(q="minister", sort=sort), cursor=broad.next_cursor, page_size=1
        )
        monkeypatch.undo()
        assert [c.id for c in broad.claims] == [c.id for c in narrow.claims]
        assert {broad.claims[0].id, after.claims[0].id} == {claims["vaccine"], claims["quote"]}
        assert after.next_cursor is None


@pytest.mark.parametrize("q", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_searches_never_fail(session, claims, q):
    found = ids(session, q)
    assert found <= set(claims.values())
    if q in FIND_VACCINES:  # the syntax is ignored, the words kept
        assert claims["vaccine"] in found
    counts = status_counts(session, ClaimFilters(q=q))
    assert sum(counts.values()) == len(found)
    assert len(list(claim_rows(session, ClaimFilters(q=q)))) == len(found)


def test_hostile_searches_through_the_list_page(client, as_user, claims):
    as_user("reviewer")
    for q in HOSTILE:
        response = client.get("/", query_string={"q": q})
        assert response.status_code == 200, q


def test_an_edited_claim_is_found_by_its_new_words_only(session, claims):
    editor = make_user(session, "editor")
    claim = session.get(Claim, claims["vaccine"])
    update_claim(
        session,
        editor,
        claim,
        ClaimInput(text="Forty million syringes were delivered.", claim_type="other"),
        expected_version=None,
    )
    session.commit()
    assert ids(session, "vaccines") == set()
    assert ids(session, "syringes") == {claims["vaccine"]}


def test_imported_claims_are_searchable(session):
    plans = plan_import(claims_csv(3, prefix="imported"))
    result = import_plans(session, None, plans, "search.csv")
    session.commit()
    assert ids(session, "imported case") == set(result.created)
    # The import indexes its rows in one statement on SQLite; the row trigger is back after.
    later = make_claim(session, text="A claim written after the import.")
    session.commit()
    assert ids(session, "written after") == {later.id}


def test_imported_sources_are_searchable(session):
    """The import indexes its sources in one statement on SQLite too (not the row trigger);
    the trigger is back after, for a source added later, and after a rolled-back import."""
    editor = make_user(session, "editor")
    session.commit()

    def sources_file(word: str) -> bytes:  # a word both indexes find in an address: its host
        rows = [f"{word} case {i},https://{word}.example/report/{i}" for i in range(3)]
        return "\r\n".join(["text,source_urls", *rows]).encode()

    import_plans(session, editor, plan_import(sources_file("dropped")), "gone.csv")
    session.rollback()
    result = import_plans(session, editor, plan_import(sources_file("lighthouse")), "s.csv")
    session.commit()
    found = find_sources(session, "lighthouse", before=None, limit=10)
    assert {row.claim_id for row in found} == set(result.created) and len(found) == 3
    assert find_sources(session, "dropped", before=None, limit=10) == []
    claim = session.get(Claim, result.created[0])
    attach_source(session, editor, claim, url="https://example.org/harbour-ledger", title="Ledger")
    session.commit()
    assert [row.title for row in find_sources(session, "ledger", before=None, limit=10)] == [
        "Ledger"
    ]


def test_demo_claims_are_searchable(session):
    generate(session, 30, seed=5)
    session.commit()
    claim_id, text = session.execute(select(Claim.id, Claim.text).limit(1)).one()
    assert claim_id in ids(session, text)
    assert session.scalar(select(func.count()).select_from(Claim)) == 30


def test_a_restored_backup_is_searchable(backend, engine, session, claims, tmp_path):
    if backend != "sqlite":
        pytest.skip("PostgreSQL restores with pg_restore; the column is generated again")
    from factcheck.backup import backup_sqlite
    from factcheck.db import make_engine, session_factory

    backup_sqlite(engine, tmp_path / "copy.db")
    restored = make_engine(f"sqlite:///{tmp_path / 'copy.db'}")
    try:
        with session_factory(restored, write=False)() as copy:
            assert ids(copy, "vaccines") == {claims["vaccine"]}
    finally:
        restored.dispose()


def test_a_near_duplicate_older_than_the_newest_claims_is_found(session):
    old = make_claim(
        session,
        text="Police arrested forty protesters outside the parliament building.",
        claimant="Police",
    )
    session.commit()
    # Newer claims sharing the candidate's longest word: a pre-filter that compares the newest
    # matches only would never reach the old claim.
    rows = ["external_key,text,claim_type"]
    rows += [f"n{i},The parliament debated budget line {i},other" for i in range(_MAX_COMPARED)]
    import_plans(session, None, plan_import(("\r\n".join(rows) + "\r\n").encode()), "new.csv")
    session.commit()
    article = make_article(
        session,
        text="Police arrested forty protesters outside the parliament building on Monday, "
        "witnesses said.",
    )
    session.commit()
    found = {d.claim_id for s in suggest(session, article) for d in s.duplicates}
    assert old.id in found
