"""The rating scale as plain values: what pages, forms, reports, charts and ClaimReview read
of the `ratings` table (`queries.ratings.rating_scale` builds it). No Flask, no database.

A label on the numeric scale has a `value` (ClaimReview's ratingValue); `best` and `worst` are
the highest and lowest values in use. A label off the scale ("Unproven") has none, and its
ClaimReview carries no ratingValue, bestRating or worstRating.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RatingLabel:
    slug: str
    label: str
    meaning: str
    colour: str
    value: int | None  # None: off the numeric scale

    @property
    def on_scale(self) -> bool:
        return self.value is not None

    @property
    def text_colour(self) -> str:
        """Black or white, whichever reads better on the label's colour (WCAG luminance)."""
        channels = [int(self.colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
        return "#000000" if luminance > 0.179 else "#ffffff"


@dataclass(frozen=True)
class RatingScale:
    labels: tuple[RatingLabel, ...]  # in the admins' order, best first

    def __iter__(self):
        return iter(self.labels)

    def __len__(self) -> int:
        return len(self.labels)

    def __contains__(self, slug: object) -> bool:
        return any(label.slug == slug for label in self.labels)

    def get(self, slug: str | None) -> RatingLabel | None:
        return next((label for label in self.labels if label.slug == slug), None)

    def label_of(self, slug: str | None) -> str:
        """The label to show for `slug` (the slug itself for one the table does not know)."""
        found = self.get(slug)
        return found.label if found else (slug or "").replace("_", " ")

    @property
    def slugs(self) -> list[str]:
        return [label.slug for label in self.labels]

    @property
    def best(self) -> int | None:
        values = [label.value for label in self.labels if label.value is not None]
        return max(values) if values else None

    @property
    def worst(self) -> int | None:
        values = [label.value for label in self.labels if label.value is not None]
        return min(values) if values else None
