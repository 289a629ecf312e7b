"""A check of ClaimReview JSON-LD against Google's documentation of the fact-check rich
result ("Fact check (ClaimReview) structured data", developers.google.com/search/docs/
appearance/structured-data/factcheck), written down from its structured data type
definitions:

- ClaimReview. Required: `claimReviewed` (text), `reviewRating` (a Rating), `url` (the page
  of the fact-check). Recommended: `author` (the publisher of the fact-check: an Organization
  or Person, with its `name` and `url`), `itemReviewed` (the Claim), `datePublished`.
- Rating (`reviewRating`). Required: `alternateName` (the truthfulness rating as a short
  human-readable phrase). Recommended: `name` (the same phrase), `ratingValue`, `bestRating`,
  `worstRating`. A numeric rating needs all three: integers, `worstRating` at least 1,
  `bestRating` above `worstRating`, `ratingValue` between them.
- Claim (`itemReviewed`). Recommended: `author` (who made the claim: an Organization or Person
  with a `name`; `sameAs` when known), `datePublished` (when the claim was made),
  `appearance` and `firstAppearance` (a URL or a CreativeWork with its `url`: where it was
  made).

`problems()` returns (errors, warnings): an error breaks the rich result, a warning is a
recommended field left out. Dates must be ISO 8601; URLs absolute http(s).
"""

from __future__ import annotations

from datetime import date
from typing import Any

PARTY_TYPES = {"Organization", "Person"}


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


def _is_date(value: Any) -> bool:
    try:
        date.fromisoformat(str(value)[:10])
    except ValueError:
        return False
    return True


def _text(node: dict, key: str) -> bool:
    return isinstance(node.get(key), str) and node[key].strip() != ""


def _party(node: Any, where: str, errors: list, warnings: list, *, url: bool) -> None:
    if not isinstance(node, dict) or node.get("@type") not in PARTY_TYPES:
        errors.append(f"{where}: an Organization or Person")
        return
    if not _text(node, "name"):
        warnings.append(f"{where}.name")
    if url and not _is_url(node.get("url")):
        warnings.append(f"{where}.url")
    for same in node.get("sameAs", []) if isinstance(node.get("sameAs"), list) else []:
        if not _is_url(same):
            errors.append(f"{where}.sameAs: URLs")


def _rating(rating: Any, errors: list, warnings: list) -> None:
    if not isinstance(rating, dict) or rating.get("@type") != "Rating":
        errors.append("reviewRating: a Rating")
        return
    if not _text(rating, "alternateName"):
        errors.append("reviewRating.alternateName: required")
    if not _text(rating, "name"):
        warnings.append("reviewRating.name")
    numbers = {k: rating.get(k) for k in ("ratingValue", "bestRating", "worstRating")}
    given = {k for k, v in numbers.items() if v is not None}
    if not given:
        warnings.append("reviewRating.ratingValue")  # recommended: left out off the scale
        return
    if given != set(numbers):
        errors.append("reviewRating: ratingValue needs bestRating and worstRating")
        return
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in numbers.values()):
        errors.append("reviewRating: integer ratingValue, bestRating, worstRating")
        return
    value, best, worst = numbers["ratingValue"], numbers["bestRating"], numbers["worstRating"]
    if worst < 1:
        errors.append("reviewRating.worstRating: at least 1")
    if best <= worst:
        errors.append("reviewRating.bestRating: above worstRating")
    if not worst <= value <= best:
        errors.append("reviewRating.ratingValue: between worstRating and bestRating")


def _appearance(node: Any) -> bool:
    if _is_url(node):
        return True
    return isinstance(node, dict) and _is_url(node.get("url"))


def _claim(item: Any, errors: list, warnings: list) -> None:
    if not isinstance(item, dict) or item.get("@type") != "Claim":
        errors.append("itemReviewed: a Claim")
        return
    if "author" in item:
        _party(item["author"], "itemReviewed.author", errors, warnings, url=False)
    else:
        warnings.append("itemReviewed.author")
    if "datePublished" not in item:
        warnings.append("itemReviewed.datePublished")
    elif not _is_date(item["datePublished"]):
        errors.append("itemReviewed.datePublished: ISO 8601")
    for key in ("appearance", "firstAppearance"):
        if key not in item:
            warnings.append(f"itemReviewed.{key}")
        elif not _appearance(item[key]):
            errors.append(f"itemReviewed.{key}: a URL or a CreativeWork with a url")


def problems(review: dict) -> tuple[list[str], list[str]]:
    """(errors, warnings) for one ClaimReview node (compact JSON-LD, schema.org terms)."""
    errors: list[str] = []
    warnings: list[str] = []
    if review.get("@type") != "ClaimReview":
        return [f"@type: ClaimReview, not {review.get('@type')!r}"], []
    if not _text(review, "claimReviewed"):
        errors.append("claimReviewed: required")
    if not _is_url(review.get("url")):
        errors.append("url: required, absolute")
    if "reviewRating" not in review:
        errors.append("reviewRating: required")
    else:
        _rating(review["reviewRating"], errors, warnings)
    if "author" in review:
        _party(review["author"], "author", errors, warnings, url=True)
    else:
        warnings.append("author")
    if "itemReviewed" in review:
        _claim(review["itemReviewed"], errors, warnings)
    else:
        warnings.append("itemReviewed")
    if "datePublished" not in review:
        warnings.append("datePublished")
    elif not _is_date(review["datePublished"]):
        errors.append("datePublished: ISO 8601")
    if "dateModified" in review and not _is_date(review["dateModified"]):
        errors.append("dateModified: ISO 8601")
    return errors, warnings
