"""Article highlighting: claims and suggestions are told apart by the segmenter, not guessed
from the items' shapes in the template."""

from __future__ import annotations

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
