"""Claim matching: the claims the desk already holds that a text may restate, with their
published rating ("already checked: False, 2026-03-02").

Two steps, so it stays cheap at any size: the full-text index ranks every claim, old or new,
by the text's content words (`search.best_matches`, any word, bm25 / ts_rank) and keeps the
best `POOL`; those are then scored against the text (`match_score`) and kept from
`MATCH_THRESHOLD`. The threshold was chosen on a set of paraphrase pairs
(tests/matching/, where the figures are printed and README.md quotes them).

`match_score` (extraction/paraphrase.py) is cosine similarity over stemmed content words,
one term per meaning, lowered when the two texts disagree in what tells claims on one topic
apart: their figures, a negation, or the direction of a change ("rose" / "fell")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from factcheck.extraction import normalise
from factcheck.extraction.paraphrase import match_score
from factcheck.models import Claim

from .search import best_matches, search_terms

MATCH_THRESHOLD = 0.50  # tuned on tests/matching/ (pairs.py two thirds, tune_pairs.py)
POOL = 50  # claims the index ranks best, scored against the text
MAX_TERMS = 12  # content words searched for (any of them)
SHOWN = 5


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
