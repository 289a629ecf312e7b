"""The extractor's rules for real writing (issue 17), each on short sentences written for it: the
type of a statement, denials, attributions, splitting and the blocks of a page."""

from __future__ import annotations

import pytest

from factcheck.extraction import extract_candidates


def found(text: str) -> list[tuple[str, str, str]]:
    return [(c.quote, c.claim_type, c.claimant) for c in extract_candidates(text)]


def types(text: str) -> list[str]:
    return [c.claim_type for c in extract_candidates(text)]


# Type: the main predicate decides, the gravest asserted outcome of several.
@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Detainees at the Brennor facility were tortured, the monitors said.", "abuse"),
        ("The detained students were later beaten by guards.", "abuse"),
        ("Several prisoners held in custody died in March.", "death"),
        ("Protesters were arrested and beaten in the square.", "abuse"),
        ("The men who were arrested in Galvin last week were shot dead.", "death"),
        ("The inmate suffered broken ribs shortly before he died.", "abuse"),
        ("The death toll among people who were detained rose to 14.", "death"),
        ("Two journalists were rounded up by soldiers in Ostrava.", "arrest"),
        ("The court sentenced two officers who beat a detainee.", "official_action"),
    ],
)
def test_type_follows_the_main_predicate(sentence, kind):
    assert types(sentence) == [kind]
