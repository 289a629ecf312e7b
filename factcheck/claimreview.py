"""schema.org ClaimReview JSON-LD for a published fact-check: what search engines and fact-check
aggregators read. A pure function of plain values, with no Flask and no database.

Fields follow Google's ClaimReview documentation: `claimReviewed`, `reviewRating` (`name` and
`alternateName`, the label; `ratingValue`, `bestRating`, `worstRating` only for a label on the
numeric scale of the admins' `ratings`, never for one off it such as "Unproven"), `url`,
`author`, `datePublished`, and `itemReviewed` as a `Claim` with its `author`, `datePublished`
and `appearance`.

`claimReviewed` is the claim's short form (consumers cut it past 75 characters). The claim's
author is its claimant record (Person or Organization as the record says, with its `sameAs`);
nothing is guessed: no record of a known kind, no author, and the article's headline never
stands for one. `firstAppearance` is left out: where a claim first appeared is not recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from factcheck.limits import CLAIM_SHORT_TEXT
from factcheck.rating_scale import RatingScale
from factcheck.vocabulary import CLAIMANT_ARTICLE, ClaimantKind

CONTEXT = "https://schema.org"


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
    # The claim's short form for `claimReviewed` (None: `short_claim(claim_text)`).
    short_text: str | None = None
    # The claimant record the claim links to: its name, kind (None: not said yet) and links.
    claimant_name: str | None = None
    claimant_kind: str | None = None
    claimant_same_as: tuple[str, ...] | list[str] = ()

    @property
    def claim_reviewed(self) -> str:
        return self.short_text or short_claim(self.claim_text)


def short_claim(text: str, limit: int = CLAIM_SHORT_TEXT) -> str:
    """The text within `limit` characters, cut at a word boundary with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–—") + "…"


def claim_author(check: FactCheck) -> dict[str, Any] | None:
    """Who made the claim: its claimant record when its kind is known; for the article's own
    statements, the article's author or publisher; else nobody (nothing is guessed)."""
    if check.claimant_name:
        if not check.claimant_kind:
            return None
        author: dict[str, Any] = {
            "@type": ClaimantKind(check.claimant_kind).schema_type,
            "name": check.claimant_name,
        }
        if check.claimant_same_as:
            author["sameAs"] = list(check.claimant_same_as)
        return author
    claimant = (check.claimant or "").strip()
    if claimant and claimant.lower() != CLAIMANT_ARTICLE:
        return None  # a name not confirmed as a record: its kind is not known
    if check.article_author:
        return {"@type": "Person", "name": check.article_author}
    if check.article_publisher:
        return {"@type": "Organization", "name": check.article_publisher}
    return None


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
    item: dict[str, Any] = {"@type": "Claim"}
    if (author := claim_author(check)) is not None:
        item["author"] = author
    if check.article_published_on:
        item["datePublished"] = check.article_published_on.isoformat()
    if check.article_url:
        appearance = {"@type": "CreativeWork", "url": check.article_url}
        if check.article_title:
            appearance["headline"] = check.article_title
        item["appearance"] = appearance
    return {
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": check.claim_reviewed,
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
