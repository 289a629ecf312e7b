"""The rating scale, edited by the admins: a label's name, meaning, order, colour and numeric
place (or none: off the scale), new labels, and deleting a label no verdict uses.

A label's slug is fixed when it is added: verdicts and published claims name it, so renaming a
label relabels every verdict that carries it and changes no row but the label's. Each change
is recorded on the system history chain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factcheck import limits
from factcheck.models import Claim, Rating, User, Verdict
from factcheck.vocabulary import HistoryAction

from .cleaning import refuse_control
from .errors import PermissionDenied, ValidationFailed, flush_unique
from .events import rating_added_details, rating_changed_details, rating_deleted_details
from .history import changes, record
from .permissions import is_administrator

_TAKEN = ValidationFailed("Another rating has this label.", field="label")
_COLOUR = re.compile(rf"^#[0-9a-fA-F]{{{limits.RATING_COLOUR - 1}}}$")


@dataclass
class RatingInput:
    label: str
    meaning: str
    colour: str
    position: int
    scale_value: int | None = None  # None: off the numeric scale


def _require_admin(actor: User | None) -> None:
    if actor is not None and not is_administrator(actor):
        raise PermissionDenied("Only admins edit the rating scale.")


def _validate(data: RatingInput) -> dict:
    label = refuse_control((data.label or "").strip(), "label")
    if not label:
        raise ValidationFailed("This field is required.", field="label")
    if len(label) > limits.RATING_LABEL:
        raise ValidationFailed(f"At most {limits.RATING_LABEL} characters.", field="label")
    meaning = refuse_control((data.meaning or "").strip().replace("\r\n", "\n"), "meaning")
    if not meaning:
        raise ValidationFailed("Say what the label means.", field="meaning")
    if len(meaning) > limits.RATING_MEANING:
        raise ValidationFailed(f"At most {limits.RATING_MEANING} characters.", field="meaning")
    colour = (data.colour or "").strip()
    if not _COLOUR.match(colour):
        raise ValidationFailed("A colour as #rrggbb, e.g. #2e7d32.", field="colour")
    if not isinstance(data.position, int) or not 1 <= data.position <= 1000:
        raise ValidationFailed("A position from 1 to 1000.", field="position")
    value = data.scale_value
    if value is not None and (
        not isinstance(value, int) or not 1 <= value <= limits.RATING_SCALE_MAX
    ):
        raise ValidationFailed(
            f"A place from 1 (false) to {limits.RATING_SCALE_MAX}, or empty for off the scale.",
            field="scale_value",
        )
    return {
        "label": label,
        "meaning": meaning,
        "colour": colour.lower(),
        "position": data.position,
        "scale_value": value,
    }


def _unique_label(session: Session, label: str, rating_id: int | None) -> None:
    twin = session.scalar(
        select(Rating.id).where(
            func.lower(Rating.label) == label.lower(), Rating.id != (rating_id or 0)
        )
    )
    if twin is not None:
        raise ValidationFailed("Another rating has this label.", field="label")


def slug_for(label: str) -> str:
    """A new label's slug: its words in lowercase ASCII joined by underscores."""
    words = re.findall(r"[a-z0-9]+", label.lower())
    slug = "_".join(words)[: limits.RATING_SLUG].strip("_")
    if slug and not slug[0].isalpha():
        slug = f"r_{slug}"[: limits.RATING_SLUG]
    return slug


def add_rating(session: Session, actor: User | None, data: RatingInput) -> Rating:
    _require_admin(actor)
    fields = _validate(data)
    _unique_label(session, fields["label"], None)
    slug = slug_for(fields["label"])
    if not re.match(limits.RATING_SLUG_PATTERN, slug):
        raise ValidationFailed("Start the label with a letter (a-z).", field="label")
    if session.scalar(select(Rating.id).where(Rating.slug == slug)) is not None:
        raise ValidationFailed(
            f"A rating with the key '{slug}' exists already: choose another label.",
            field="label",
        )
    rating = Rating(slug=slug, **fields)
    session.add(rating)
    flush_unique(session, _TAKEN, table="ratings", column="label")
    record(
        session,
        actor=actor,
        action=HistoryAction.RATING_ADDED,
        details=rating_added_details(slug, fields),
    )
    return rating


def update_rating(session: Session, actor: User | None, rating: Rating, data: RatingInput) -> None:
    _require_admin(actor)
    fields = _validate(data)
    _unique_label(session, fields["label"], rating.id)
    before = {key: getattr(rating, key) for key in fields}
    changed = changes(before, fields)
    if not changed:
        return
    for key, value in fields.items():
        setattr(rating, key, value)
    flush_unique(session, _TAKEN, table="ratings", column="label")
    record(
        session,
        actor=actor,
        action=HistoryAction.RATING_CHANGED,
        details=rating_changed_details(rating.slug, changed),
    )


def known_rating(session: Session, slug: str | None) -> str:
    """`slug` when it names a label of the scale, else a refusal at the rating field."""
    if not slug or session.scalar(select(Rating.id).where(Rating.slug == slug)) is None:
        raise ValidationFailed("Unknown rating.", field="rating")
    return slug


def rating_in_use(session: Session, slug: str) -> bool:
    return (
        session.scalar(select(Verdict.id).where(Verdict.rating == slug).limit(1)) is not None
        or session.scalar(select(Claim.id).where(Claim.published_rating == slug).limit(1))
        is not None
    )


def delete_rating(session: Session, actor: User | None, rating: Rating) -> None:
    """Only a label no verdict (draft, returned or superseded ones too) has ever carried."""
    _require_admin(actor)
    if rating_in_use(session, rating.slug):
        raise ValidationFailed(
            f"'{rating.label}' is used by verdicts: rename it or move it instead of deleting it."
        )
    if session.scalar(select(func.count()).select_from(Rating)) <= 1:
        raise ValidationFailed("The scale needs at least one label.")
    record(
        session,
        actor=actor,
        action=HistoryAction.RATING_DELETED,
        details=rating_deleted_details(rating.slug, rating.label),
    )
    session.delete(rating)
    session.flush()
