"""Claim matching: the claims the desk already holds that a text may restate, with their
published rating ("already checked: False, 2026-03-02").

Two steps, so it stays cheap at any size: the full-text index ranks every claim, old or new,
by the text's content words (`search.best_matches`, any word, bm25 / ts_rank) and keeps the
best `POOL`; those are then scored against the text (`match_score`) and kept from
`MATCH_THRESHOLD`. The threshold was chosen on a set of paraphrase pairs
(tests/matching/, where the figures are printed and README.md quotes them).

`match_score` is cosine similarity over stemmed content words and their pairs, lowered when
the two texts disagree in what tells claims on one topic apart: their figures, a negation,
or the direction of a change ("rose" / "fell")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from factcheck.extraction import normalise
from factcheck.models import Claim

from .search import best_matches, search_terms

MATCH_THRESHOLD = 0.40  # tuned on tests/matching/pairs.py (two thirds; a third held out)
POOL = 50  # claims the index ranks best, scored against the text
MAX_TERMS = 12  # content words searched for (any of them)
SHOWN = 5

_NEGATIONS = frozenset({"not", "no", "never", "none", "nobody", "nothing", "neither", "nor"})
_UP = frozenset(
    "rise rose risen rises raise raises raised increase increased increases up grew grow grown "
    "higher doubled boost boosts boosted "
    "tripled soared surge surged jump jumped climbed climb gain gained".split()
)
_DOWN = frozenset(
    "fall fell fallen falls decrease decreased decreases down shrank shrink shrunk lower lowers "
    "lowered reduce reduces reduced "
    "halved dropped drop plunged plunge declined decline cut cuts slumped lost".split()
)


@dataclass(frozen=True)
class Match:
    claim_id: int
    article_id: int | None
    text: str
    status: str
    rating: str | None
    published_at: datetime | None
    score: float

    @property
    def checked(self) -> bool:
        """A published fact-check: its rating and date are what the desk already said."""
        return self.rating is not None


_UNITS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
} | {
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
}
_FIGURE = re.compile(
    r"(\d+(?:[.,]\d+)*|" + "|".join(_NUMBER_WORDS) + r")(?:\s*(bn|m|k|thousand|million|billion)\b)?"
)
# Words common in claims on any topic, which say little about which claim it is.
_WEAK = frozenset(
    "more most less fewer than last year years every day today first time people new now "
    "per cent percent record highest lowest since".split()
)
_PREFIX = 5  # content words compared by their first letters: "immigration" meets "immigrants"


def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[\w']+", text)]


def _numbers(text: str) -> frozenset[float]:
    """The figures of a text as numbers: "£350m", "350 million" and "350,000,000" agree, as do
    "four" and "4"."""
    found = set()
    for figure, unit in _FIGURE.findall(text.lower().replace("per cent", "percent")):
        if figure in _NUMBER_WORDS:
            value = float(_NUMBER_WORDS[figure])
        else:
            value = float(figure.replace(",", ""))
        found.add(round(value * _UNITS.get(unit, 1.0), 6))
    return frozenset(found)


def _content(text: str) -> frozenset[str]:
    words = (w for w in normalise(text) if not w[0].isdigit() and w not in _NUMBER_WORDS)
    return frozenset(w[:_PREFIX] for w in words if w not in _UNITS and w not in _WEAK)


def _negated(words: list[str]) -> bool:
    return any(w in _NEGATIONS or w.endswith("n't") for w in words)


def _direction(words: list[str]) -> int:
    ups = sum(w in _UP for w in words)
    downs = sum(w in _DOWN for w in words)
    return (ups > downs) - (downs > ups)


def _figures_agree(a: frozenset[float], b: frozenset[float]) -> float:
    """A factor for the texts' figures (years apart, which date a claim rather than make it):
    the same figures are strong evidence of the same claim, other figures of another claim."""
    years_a, years_b = {n for n in a if _is_year(n)}, {n for n in b if _is_year(n)}
    if years_a and years_b and not years_a & years_b:
        return 0.5
    a, b = a - years_a, b - years_b
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.8  # a figure on one side only
    if not a & b:
        return 0.4
    return 1.3 if a == b else 1.0


def _is_year(n: float) -> bool:
    return n.is_integer() and 1900 <= n <= 2100


@lru_cache(maxsize=4096)
def _traits(text: str) -> tuple[frozenset[str], frozenset[float], bool, int]:
    """What `match_score` compares of one text, worked out once per text: an article page
    scores each of its suggestions against the same few thousand claims."""
    words = _words(text)
    return _content(text), _numbers(text), _negated(words), _direction(words)


def match_score(a: str, b: str) -> float:
    """0 (nothing in common) .. 1 (the same claim, word for word)."""
    (x, figures_a, negated_a, direction_a) = _traits(a)
    (y, figures_b, negated_b, direction_b) = _traits(b)
    if not x or not y:
        return 0.0
    score = len(x & y) / (len(x) * len(y)) ** 0.5
    score *= _figures_agree(figures_a, figures_b)
    if negated_a != negated_b:
        score *= 0.4
    if direction_a and direction_b and direction_a != direction_b:
        score *= 0.5
    return round(min(score, 1.0), 3)


def match_terms(text: str) -> list[str]:
    """The words searched for: the text's content words (stemmed, as prefixes, so "arrest"
    finds "arrested"), longest first, at most MAX_TERMS."""
    stems = sorted({w for w in normalise(text) if len(w) >= 3}, key=lambda w: (-len(w), w))
    prefixes = [t for s in stems for t in search_terms(s[:-1] if s.endswith("y") else s)]
    return list(dict.fromkeys(prefixes))[:MAX_TERMS]


MATCH_COLUMNS = (
    Claim.id,
    Claim.article_id,
    Claim.text,
    Claim.status,
    Claim.published_rating,
    Claim.published_at,
)


def pool(session: Session, text: str, extra: int = 0) -> Select | None:
    """The ids of the claims the index ranks best for `text` (a subquery), None when it has
    no word to search for."""
    terms = match_terms(text)
    return best_matches(session, terms, POOL + extra) if terms else None


def ranked(
    text: str, rows: Iterable, *, threshold: float = MATCH_THRESHOLD, limit: int = SHOWN
) -> list[Match]:
    """Rows of MATCH_COLUMNS scored against `text`: those from `threshold`, the closest first."""
    found = []
    for claim_id, article_id, claim_text, status, rating, published_at, *_rest in rows:
        score = match_score(text, claim_text)
        if score >= threshold:
            found.append(
                Match(claim_id, article_id, claim_text, status, rating, published_at, score)
            )
    found.sort(key=lambda m: (-m.score, -m.claim_id))
    return found[:limit]


def find_matches(
    session: Session,
    text: str,
    *,
    exclude: Iterable[int] = (),
    threshold: float = MATCH_THRESHOLD,
    limit: int = SHOWN,
) -> list[Match]:
    """The claims that may say what `text` says, the closest first (at most `limit`)."""
    skip = set(exclude)
    ids = pool(session, text, len(skip))
    if ids is None:
        return []
    rows = session.execute(select(*MATCH_COLUMNS).where(Claim.id.in_(ids)))
    kept = (row for row in rows if row[0] not in skip)
    return ranked(text, kept, threshold=threshold, limit=limit)
