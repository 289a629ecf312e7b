"""The extractor's behaviour on small texts, its spans on any text, HTML input and
near-duplicates."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import factcheck.extraction as extraction
from factcheck.extraction import (
    CLAIM_TYPES,
    extract_candidates,
    find_near_duplicates,
    html_to_text,
    read_html,
    similarity,
)
from factcheck.workflow.states import ClaimType

from .quality import SEED, load


def kinds(text: str) -> list[tuple[str, str, str]]:
    return [(c.quote, c.claim_type, c.claimant) for c in extract_candidates(text)]


def test_types_match_the_workflow():
    assert set(CLAIM_TYPES) == {t.value for t in ClaimType}


def test_compound_sentence_yields_one_candidate_per_statement():
    found = kinds("Police said dozens of protesters were arrested, many were beaten, and two died.")
    assert [k for _, k, _ in found] == ["arrest", "abuse", "death"]
    assert {c for _, _, c in found} == {"Police"}


def test_attributions_and_pronouns():
    text = (
        "Health Minister Ana Ruiz announced the clinic closures on Friday.\n\n"
        "“Nobody was hurt when the clinics closed,” she said.\n\n"
        "According to the workers' union, 40 staff were dismissed."
    )
    found = kinds(text)
    assert found[1] == ("Nobody was hurt when the clinics closed", "denial", "Ana Ruiz")
    assert found[2][2] == "workers' union"
    assert found[0][2] == "Ana Ruiz"  # "announced" reports her statement


def test_denial_by_an_authority():
    (quote, kind, claimant), *_ = kinds(
        "The interior ministry denied that any prisoners had been mistreated."
    )
    assert (kind, claimant) == ("denial", "interior ministry")


def test_opinion_scores_low_and_facts_high():
    opinion, fact = extract_candidates(
        "We must do more to protect them. The court sentenced 3 officers to 10 years."
    )
    assert opinion.score < 0.5 <= fact.score
    assert "opinion, appeal or prediction" in opinion.reasons
    assert "number or quantity" in fact.reasons


def test_spans_are_exact_on_the_seed_article():
    text, _ = load(*SEED)
    for c in extract_candidates(text):
        assert text[c.span_start : c.span_end] == c.quote
        assert c.sentence_start <= c.span_start < c.span_end <= c.sentence_end


SENTENCES = [
    "Officials said 12 people were detained, many were beaten, and some died.",
    "“We saw nothing,” she said.",
    "The ministry denied the reports.",
    "According to the police, the budget was cut by 5 percent.",
    "Rep. J. Smith (D-N.Y.), who has two sons, said: “It was a clear message.”",
    "It's a quote “that never closes",
    "— an aside — ",
    "Nothing here at all",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(SENTENCES), st.text(max_size=80)),
        max_size=8,
    ),
    st.sampled_from([" ", "\n", "\n\n", "\r\n\r\n", " \t "]),
)
@example(parts=["."], joiner=" ")  # a sentence of punctuation alone gave an empty candidate
def test_any_text_gives_exact_spans_and_valid_fields(parts, joiner):
    text = joiner.join(parts)
    for c in extract_candidates(text):
        assert text[c.span_start : c.span_end] == c.quote
        assert c.quote.strip()
        assert 0.0 <= c.score <= 1.0
        assert c.claim_type in CLAIM_TYPES
        assert c.claimant


def test_min_score_filters():
    text, _ = load(*SEED)
    assert all(c.score >= 0.6 for c in extract_candidates(text, min_score=0.6))
    assert len(extract_candidates(text, min_score=0.6)) < len(extract_candidates(text))


def test_html_is_reduced_to_its_readable_text():
    html = """<html><head><title>x</title><script>var evil = 1;</script>
    <style>p { color: red }</style></head><body><nav>Home | World</nav>
    <article><h1>Court jails guard</h1><p>A judge <b>sentenced</b> a guard to 12 years.</p>
    <div><p>Two inmates died, prosecutors said.</p></div></article>
    <footer>© Paper</footer></body></html>"""
    text = html_to_text(html)
    # The headline is the page's title, not a paragraph (it would be offered as a claim).
    assert text == "A judge sentenced a guard to 12 years.\n\nTwo inmates died, prosecutors said."
    assert [c.claim_type for c in extract_candidates(text) if c.score >= 0.5] == [
        "official_action",
        "death",
    ]


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        (
            '<meta property="og:title" content="Guard jailed">',
            "<h1>Court jails guard</h1>",
            "Guard jailed",
        ),
        ("<title> Court jails\n guard </title>", "<h1>Headline</h1>", "Court jails guard"),
        ("", "<h1>Court <i>jails</i> guard</h1>", "Court jails guard"),
        ("", "<svg><title>Icon</title></svg><h1>Court jails guard</h1>", "Court jails guard"),
        ("", "", None),
    ],
)
def test_an_html_page_gives_its_headline_as_title_and_not_as_text(head, body, title):
    page = read_html(
        f"<html><head>{head}</head><body>{body}<p>A judge sentenced a guard.</p></body></html>"
    )
    assert page.title == title
    assert page.text == "A judge sentenced a guard."


def test_html_of_the_seed_article_gives_the_same_candidates():
    text, _ = load(*SEED)
    html = "<body>" + "".join(f"<p>{p}</p>" for p in text.split("\n\n")) + "</body>"
    assert [c.quote for c in extract_candidates(html_to_text(html))] == [
        c.quote for c in extract_candidates(text)
    ]


def test_near_duplicates_find_restatements_not_neighbours():
    existing = [
        (1, "The death toll among detained gay men has risen to 26."),
        (2, "21 Democrats and 11 Republicans have signed onto the resolution."),
        (3, "The budget cuts property taxes by 2 percent."),
    ]
    quote = "the death toll among gay men who have been detained has risen to 26"
    assert [k for k, _ in find_near_duplicates(quote, existing)] == [1]
    assert similarity("Some were killed.", "Some were killed.") == 1.0
    assert similarity("", "anything") == 0.0
    assert find_near_duplicates("A new, unrelated statement about rainfall.", existing) == []


def test_the_package_imports_neither_flask_nor_sqlalchemy():
    for path in Path(extraction.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                assert not name.startswith(("flask", "sqlalchemy", "factcheck")), (path, name)
