"""From extraction candidates to review items: suggestions for an article (with near-duplicates
already in the database) and creating the claims a reviewer kept, in one transaction."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from factcheck.extraction import Budget, Candidate, Extraction, SimilarityIndex, extract, normalise
from factcheck.models import Article, Claim, User
from factcheck.vocabulary import ClaimOrigin, ExtractionState

from . import stored_extraction
from .claimants import find_match
from .claims import ClaimInput, create_claim
from .errors import ConflictError, ValidationFailed, WorkflowError
from .events import extraction_extra
from .matching import MATCH_THRESHOLD, match_score
from .search import best_matches, search_terms

SHOW_FROM = 0.2  # candidates below this score are not worth a reviewer's time
PRESELECT_FROM = 0.5  # ticked by default
DUPLICATE_THRESHOLD = 0.25  # word-pair similarity that makes a claim worth scoring
_MAX_COMPARED = 1000  # existing claims compared per article page: the index's best matches
_MAX_TERMS = 100  # words searched for them (any of them)
# A long article (200,000 characters) yields well over a thousand candidates; a reviewer is
# shown the best ones. The confirm form accepts exactly this many rows.
MAX_SUGGESTIONS = 500
# The second line of defence behind linear text processing: past this much work (characters
# examined) or time, extraction stops and the page says so. A 200,000-character article of real
# prose takes about 35 steps a character (7 million); the web layer reads both from config.
DEFAULT_BUDGET = Budget(steps=50_000_000, seconds=10.0)


@dataclass(frozen=True)
class Duplicate:
    claim_id: int
    article_id: int | None
    text: str
    similarity: float
    status: str
    rating: str | None  # a published fact-check's rating: "already checked: False, <date>"
    published_at: datetime | None

    @property
    def checked(self) -> bool:
        return self.rating is not None


@dataclass(frozen=True)
class Suggestion:
    index: int  # position in the extractor's output: what the confirm form sends back
    candidate: Candidate
    duplicates: tuple[Duplicate, ...]

    @property
    def preselected(self) -> bool:
        return self.candidate.score >= PRESELECT_FROM and not self.duplicates


class SuggestionRefused(ValidationFailed):
    """A kept suggestion the workflow refused: which one (`index`) and which of its fields."""

    def __init__(self, message: str, *, index: int, field: str | None) -> None:
        super().__init__(message, field=field)
        self.index = index


@dataclass(frozen=True)
class Pick:
    """A candidate the reviewer kept, with their edits."""

    index: int
    text: str
    claim_type: str
    claimant: str | None


def fingerprint(article: Article, budget: Budget = DEFAULT_BUDGET) -> str:
    """Identifies the suggestions a confirm form was made from (their passages, in order): rows
    are sent back by position, so a form made before the extractor's output changed (a new
    version, another cut-off) is refused instead of applied to other passages."""
    spans = ",".join(f"{c.span_start}-{c.span_end}" for c in candidates_for(article, budget))
    return hashlib.sha256(f"{article.id}:{spans}".encode()).hexdigest()[:16]


def candidates_for(article: Article, budget: Budget = DEFAULT_BUDGET) -> list[Candidate]:
    return list(extracted_for(article, budget).candidates)


def extracted_for(article: Article, budget: Budget = DEFAULT_BUDGET) -> Extraction:
    """The article's suggestions: those a background job stored for a long article (none
    while it is still at work), else extracted here."""
    if article.extraction_state == ExtractionState.DONE and article.extraction is not None:
        return stored_extraction.decode(article.extraction)
    if stored_extraction.is_pending(article):
        return Extraction((), len(article.text), len(article.text))
    return extracted(article.text, budget)


def unread_note(article: Article, budget: Budget = DEFAULT_BUDGET) -> str | None:
    """What to tell the reviewer when extraction stopped at its budget before the end."""
    found = extracted_for(article, budget)
    if found.complete:
        return None
    return (
        f"Suggestions cover the first {found.read_to:,} of {found.length:,} characters only: the "
        "claim extractor stopped at its work limit. Select a passage further on to open a claim."
    )


@lru_cache(maxsize=64)
def extracted(text: str, budget: Budget = DEFAULT_BUDGET) -> Extraction:
    """The best MAX_SUGGESTIONS candidates, in text order, found within `budget`. Extraction is
    pure and takes a noticeable time on a long article, and the article page and the confirm
    action ask for the same text again and again: remember recent answers."""
    found = extract(text, min_score=SHOW_FROM, budget=budget)
    scores = [c.score for c in found.candidates]
    best = sorted(range(len(scores)), key=lambda i: -scores[i])[:MAX_SUGGESTIONS]
    return Extraction(tuple(found.candidates[i] for i in sorted(best)), found.read_to, found.length)


def suggest(
    session: Session, article: Article, budget: Budget = DEFAULT_BUDGET
) -> list[Suggestion]:
    """The article's candidates in text order, each with the existing claims it may restate."""
    candidates = candidates_for(article, budget)
    existing = _comparable_claims(session, article, candidates)
    by_id = {c.id: c for c in existing}
    index_of_existing = SimilarityIndex((c.id, c.text) for c in existing)
    placed_here = [c for c in existing if c.article_id == article.id and c.span_start is not None]
    suggestions = []
    for index, candidate in enumerate(candidates):
        near = index_of_existing.near(candidate.quote, DUPLICATE_THRESHOLD)
        # Scored as the claim page's matches are (figures, negation, direction), from the
        # threshold the paraphrase set chose (workflow/matching.py).
        scored = ((cid, match_score(candidate.quote, by_id[cid].text)) for cid, _s in near)
        kept = sorted((p for p in scored if p[1] >= MATCH_THRESHOLD), key=lambda p: -p[1])
        dupes = tuple(_duplicate(by_id[cid], score) for cid, score in kept[:3])
        if not dupes:  # the same passage of this article is already a claim
            dupes = tuple(
                _duplicate(c, 1.0)
                for c in placed_here
                if c.span_start < candidate.span_end and c.span_end > candidate.span_start
            )[:3]
        suggestions.append(Suggestion(index, candidate, dupes))
    return suggestions


def _duplicate(row, score: float) -> Duplicate:
    return Duplicate(
        row.id,
        row.article_id,
        row.text,
        score,
        row.status,
        row.published_rating,
        row.published_at,
    )


def _comparable_claims(session: Session, article: Article, candidates: list[Candidate]):
    """This article's claims and the claims the full-text index ranks best for the candidates'
    distinctive words, found among every claim the desk holds, old or new; one query, so the
    comparison stays cheap however many claims there are."""
    # One list of ids, not "this article's OR the index's": PostgreSQL reads every claim for
    # an OR.
    wanted = select(Claim.id).where(Claim.article_id == article.id)
    terms = distinctive_terms(candidates)
    if terms:
        wanted = union(wanted, best_matches(session, terms, _MAX_COMPARED))
    rows = session.execute(
        select(
            Claim.id,
            Claim.article_id,
            Claim.text,
            Claim.span_start,
            Claim.span_end,
            Claim.status,
            Claim.published_rating,
            Claim.published_at,
        )
        .where(Claim.id.in_(wanted))
        .order_by(Claim.id.desc())
        .limit(2 * _MAX_COMPARED)
    )
    return rows.all()


def distinctive_terms(candidates: list[Candidate]) -> list[str]:
    """Search words for the candidates' near-duplicates: each candidate's three longest
    content words (stemmed, as prefixes: "arrest" finds "arrested"), the ones most candidates
    share first, at most _MAX_TERMS."""
    counts: Counter[str] = Counter()
    for candidate in candidates:
        stems = sorted({w for w in normalise(candidate.quote) if len(w) >= 5}, key=len)[-3:]
        # A stem ending in "y" may stand for "-ies" ("countries" -> "country"): drop the "y".
        prefixes = {t for s in stems for t in search_terms(s[:-1] if s.endswith("y") else s)}
        counts.update(prefixes)
    ranked = sorted(counts, key=lambda t: (-counts[t], -len(t), t))
    return ranked[:_MAX_TERMS]


def _record_id(session: Session, claimant: str | None) -> int | None:
    match = find_match(session, claimant)
    return match.id if match is not None else None


def create_from_candidates(
    session: Session,
    actor: User,
    article: Article,
    seen_fingerprint: str,
    picks: list[Pick],
    budget: Budget = DEFAULT_BUDGET,
) -> list[Claim]:
    """Open one claim per kept candidate; a bad row refuses them all (the caller commits)."""
    if seen_fingerprint != fingerprint(article, budget):
        raise ConflictError("The list changed since the suggestions were shown; reload the page.")
    if not picks:
        raise ValidationFailed("Tick at least one suggested claim to keep.")
    candidates = candidates_for(article, budget)
    # One claim per passage of the article: a suggestion sent twice, or kept again after it
    # became a claim, is refused rather than duplicated.
    existing = {
        f"{start}-{end}": claim_id
        for start, end, claim_id in session.execute(
            select(Claim.span_start, Claim.span_end, Claim.id).where(
                Claim.article_id == article.id, Claim.span_start.is_not(None)
            )
        )
    }
    created = []
    for pick in picks:
        if not 0 <= pick.index < len(candidates):
            raise ValidationFailed("Unknown suggestion; reload the page.")
        candidate = candidates[pick.index]
        span = f"{candidate.span_start}-{candidate.span_end}"
        if span in existing:
            raise SuggestionRefused(
                f"This passage is already claim #{existing[span]}; untick it.",
                index=pick.index,
                field="keep",
            )
        try:
            claim = create_claim(
                session,
                actor,
                ClaimInput(
                    text=pick.text,
                    claim_type=pick.claim_type,
                    claimant=pick.claimant,
                    quote=candidate.quote,
                    # The suggestion names someone on record: linked; else the reviewer
                    # confirms a new record on the claim's edit form.
                    claimant_id=_record_id(session, pick.claimant),
                ),
                article=article,
                span=(candidate.span_start, candidate.span_end),
                origin=ClaimOrigin.EXTRACTION,
                history_details=extraction_extra(
                    candidate.score,
                    list(candidate.reasons),
                    candidate.claim_type,
                    candidate.claimant,
                ),
            )
        except WorkflowError as exc:
            raise SuggestionRefused(
                exc.message, index=pick.index, field=exc.field or "text"
            ) from exc
        existing[span] = claim.id
        created.append(claim)
    return created
