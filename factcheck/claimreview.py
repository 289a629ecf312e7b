"""schema.org ClaimReview JSON-LD for a published fact-check: what search engines and fact-check
aggregators read. A pure function of plain values, with no Flask and no database.

Fields follow Google's ClaimReview documentation: `claimReviewed`, `reviewRating` (`name` and
`alternateName`, the label; `ratingValue`, `bestRating`, `worstRating` only for a label on the
numeric scale of the admins' `ratings`, never for one off it such as "Unproven"), `url`,
`author`, `datePublished`, and `itemReviewed` as a `Claim` with its `author`, `datePublished`
and `appearance`/`firstAppearance`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from factcheck.rating_scale import RatingScale
from factcheck.vocabulary import CLAIMANT_ARTICLE

CONTEXT = "https://schema.org"
# A claimant naming one of these is an organisation rather than a person.
_ORGANISATION_WORDS = """government ministry department office agency police court committee
    council parliament congress senate house commission authority authorities army military
    spokesman spokesperson newspaper gazette times post news press television radio museum party
    union university institute foundation organisation organization association group company"""
ORGANISATION_WORDS = frozenset(_ORGANISATION_WORDS.split())


@dataclass(frozen=True)
class FactCheck:
    claim_id: int
    claim_text: str
    claimant: str | None
    rating: str
    summary: str
    published_at: datetime
    article_url: str | None = None
    article_title: str | None = None
    article_publisher: str | None = None
    article_author: str | None = None
    article_published_on: date | None = None
    # A corrected re-publication (ClaimReview's dateModified); the first date stays published_at.
    modified_at: datetime | None = None
    # Reopened for a correction: shown as published until the corrected one is approved.
    under_revision: bool = False


def _party(name: str) -> dict[str, str]:
    words = {w.strip(".,()'\"").lower() for w in name.split()}
    kind = "Organization" if words & ORGANISATION_WORDS else "Person"
    return {"@type": kind, "name": name}


def claim_author(check: FactCheck) -> dict[str, str]:
    """Who made the claim; for the article's own statements, its author or publisher."""
    claimant = (check.claimant or "").strip()
    if claimant and claimant.lower() != CLAIMANT_ARTICLE:
        return _party(claimant)
    if check.article_author:
        return {"@type": "Person", "name": check.article_author}
    name = check.article_publisher or check.article_title or "Unattributed news article"
    return {"@type": "Organization", "name": name}


def review_rating(scale: RatingScale, slug: str, explanation: str) -> dict[str, Any]:
    """ClaimReview's `reviewRating`: the label as `name` and `alternateName` (what Google
    shows); the numbers only for a label with a place on the scale."""
    label = scale.label_of(slug)
    rating: dict[str, Any] = {"@type": "Rating", "name": label, "alternateName": label}
    found = scale.get(slug)
    # Google wants bestRating above worstRating: a scale with one number is sent by name only.
    numeric = scale.best is not None and scale.worst is not None and scale.best > scale.worst
    if found is not None and found.value is not None and numeric:
        rating["ratingValue"] = found.value
        rating["bestRating"] = scale.best
        rating["worstRating"] = scale.worst
    rating["ratingExplanation"] = explanation
    return rating


def claim_review(
    check: FactCheck,
    *,
    url: str,
    organisation: str,
    organisation_url: str,
    scale: RatingScale,
) -> dict[str, Any]:
    """The ClaimReview object (without @context, so several can share one graph)."""
    item: dict[str, Any] = {"@type": "Claim", "author": claim_author(check)}
    if check.article_published_on:
        item["datePublished"] = check.article_published_on.isoformat()
    if check.article_url:
        appearance = {"@type": "CreativeWork", "url": check.article_url}
        if check.article_title:
            appearance["headline"] = check.article_title
        item["appearance"] = appearance
        item["firstAppearance"] = appearance
    return {
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": check.claim_text,
        "datePublished": check.published_at.date().isoformat(),
        **({"dateModified": check.modified_at.date().isoformat()} if check.modified_at else {}),
        "author": {"@type": "Organization", "name": organisation, "url": organisation_url},
        "reviewRating": review_rating(scale, check.rating, check.summary),
        "itemReviewed": item,
    }


def document(reviews: list[dict[str, Any]]) -> dict[str, Any]:
    """A JSON-LD document: one review on its own, several as a graph."""
    if len(reviews) == 1:
        return {"@context": CONTEXT, **reviews[0]}
    return {"@context": CONTEXT, "@graph": reviews}
