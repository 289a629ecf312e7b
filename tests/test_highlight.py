"""Article highlighting: claims and suggestions are told apart by the segmenter, not guessed
from the items' shapes in the template."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.queries.highlight import segment

TEXT = "Police arrested 100 men.\n\nThe ministry denied it."


def test_claims_and_suggestions_cover_their_own_segments():
    claim, suggestion = object(), object()
    paragraphs = segment(TEXT, [(0, 15, claim)], [(7, 23, suggestion)])
    assert [(s.text, s.items, s.suggested) for s in paragraphs[0]] == [
        ("Police ", [claim], []),
        ("arrested", [claim], [suggestion]),
        (" 100 men", [], [suggestion]),
        (".", [], []),
    ]
    assert [(s.text, s.items, s.suggested) for s in paragraphs[1]] == [
        ("The ministry denied it.", [], []),
    ]


def covering(text, marks, suggested):
    """The definition: each paragraph cut at every span edge inside it; each piece lists the
    spans covering it, claims then suggestions, in the order given."""
    from factcheck.queries.highlight import paragraphs

    spans = [(s, e, item, False) for s, e, item in marks]
    spans += [(s, e, item, True) for s, e, item in suggested]
    result = []
    for p_start, p_end in paragraphs(text):
        inside = [
            (max(s, p_start), min(e, p_end), item, sugg)
            for s, e, item, sugg in spans
            if s < p_end and e > p_start
        ]
        cuts = sorted({p_start, p_end, *(s for s, *_ in inside), *(e for _, e, *_ in inside)})
        result.append(
            [
                (
                    text[a:b],
                    [item for s, e, item, sugg in inside if s <= a and e >= b and not sugg],
                    [item for s, e, item, sugg in inside if s <= a and e >= b and sugg],
                )
                for a, b in zip(cuts, cuts[1:], strict=False)
            ]
        )
    return result


spans_of = st.lists(
    st.tuples(st.integers(0, 60), st.integers(0, 30)).map(lambda t: (t[0], t[0] + t[1])),
    max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="ab \n", max_size=60), marks=spans_of, suggested=spans_of)
def test_one_sweep_gives_what_the_definition_says(text, marks, suggested):
    marks = [(s, e, f"claim {i}") for i, (s, e) in enumerate(marks)]
    suggested = [(s, e, f"suggestion {i}") for i, (s, e) in enumerate(suggested)]
    swept = segment(text, marks, suggested)
    assert [[(s.text, s.items, s.suggested) for s in p] for p in swept] == covering(
        text, marks, suggested
    )


def in_utf16(text: str, start: int, end: int) -> str:
    """`text[start:end]` with the offsets counted in UTF-16 code units, as a browser counts."""
    units = text.encode("utf-16-le", "surrogatepass")
    return units[2 * start : 2 * end].decode("utf-16-le", "surrogatepass")


def test_sentence_offsets_are_the_extractors_sentences_in_browser_units():
    """The keyboard passage picker's sentences: an abbreviation does not end one, and a
    character outside the BMP (two UTF-16 units) does not shift the offsets after it."""
    from factcheck.queries.highlight import paragraphs, sentence_offsets

    text = "Mr. Smith said 3 million. Sales fell!\n\nThe \U0001f600 ministry denied it.  It did."
    offsets = sentence_offsets(text)
    found = [
        [in_utf16(text[a:b], p[i], p[i + 1]) for i in range(0, len(p), 2)]
        for (a, b), p in zip(paragraphs(text), offsets, strict=True)
    ]
    assert found == [
        ["Mr. Smith said 3 million.", "Sales fell!"],
        ["The \U0001f600 ministry denied it.", "It did."],
    ]
    assert offsets[1] == [0, 26, 28, 35]


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="aB. \n\U0001f600é", max_size=60))
def test_sentence_offsets_cover_each_paragraph_in_order(text):
    """Every offset pair is a sentence of its paragraph, in order, and between two sentences
    lies only white space."""
    from factcheck.extraction.text import paragraph_spans, sentence_spans
    from factcheck.queries.highlight import sentence_offsets

    for paragraph, p in zip(paragraph_spans(text), sentence_offsets(text), strict=True):
        here = text[paragraph.start : paragraph.end]
        sentences = [text[s.start : s.end] for s in sentence_spans(text, paragraph)]
        assert [in_utf16(here, p[i], p[i + 1]) for i in range(0, len(p), 2)] == sentences
        assert p == sorted(p)
        gaps = [in_utf16(here, p[i], p[i + 1]) for i in range(1, len(p) - 1, 2)]
        assert all(not gap.strip() for gap in gaps)
