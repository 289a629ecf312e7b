"""The rating scale the admins define (`ratings`), for every page, form, report and export."""

from __future__ import annotations

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from factcheck.models import Claim, Rating, Verdict
from factcheck.rating_scale import RatingLabel, RatingScale


def rating_scale(session: Session) -> RatingScale:
    """The labels in the admins' order."""
    rows = session.scalars(select(Rating).order_by(Rating.position, Rating.id)).all()
    return RatingScale(
        tuple(RatingLabel(r.slug, r.label, r.meaning, r.colour, r.scale_value) for r in rows)
    )


def all_ratings(session: Session) -> list[Rating]:
    return list(session.scalars(select(Rating).order_by(Rating.position, Rating.id)))


def rating_row(session: Session, rating_id: int) -> Rating | None:
    return session.get(Rating, rating_id)


def ratings_in_use(session: Session) -> set[str]:
    """The slugs some verdict (of any state) or published claim carries."""
    used = select(Rating.slug).where(
        or_(
            exists().where(Verdict.rating == Rating.slug),
            exists().where(Claim.published_rating == Rating.slug),
        )
    )
    return set(session.scalars(used))
