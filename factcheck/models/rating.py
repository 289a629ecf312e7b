"""The rating scale: the labels a verdict may carry, defined by the admins.

A verdict (and a published claim) names its rating by `slug`, which never changes once a label
exists, so the admins may rename, reorder, recolour or move a label off the numeric scale
without touching a verdict. `scale_value` is the label's place on ClaimReview's numeric scale
(`ratingValue`); NULL puts it off the scale ("Unproven": no number is sent for it).
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from factcheck import limits

from .base import Base, length_check


class Rating(Base):
    __tablename__ = "ratings"
    __table_args__ = (
        length_check("label", limits.RATING_LABEL),
        length_check("meaning", limits.RATING_MEANING),
        CheckConstraint(f"length(slug) BETWEEN 1 AND {limits.RATING_SLUG}", name="slug_length"),
        CheckConstraint(
            f"length(colour) = {limits.RATING_COLOUR} AND substr(colour, 1, 1) = '#'",
            name="colour_is_hex",
        ),
        CheckConstraint(
            f"scale_value IS NULL OR scale_value BETWEEN 1 AND {limits.RATING_SCALE_MAX}",
            name="scale_value_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(limits.RATING_SLUG), unique=True)
    label: Mapped[str] = mapped_column(String(limits.RATING_LABEL), unique=True)
    meaning: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    colour: Mapped[str] = mapped_column(String(limits.RATING_COLOUR))
    scale_value: Mapped[int | None] = mapped_column(Integer)

    def __repr__(self) -> str:
        return f"<Rating {self.slug}>"
