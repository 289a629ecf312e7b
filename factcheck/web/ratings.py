"""The admins' rating scale as the pages read it: once per request, from the page cache
between changes (a badge on every row of a list costs no statement)."""

from __future__ import annotations

from flask import g

from factcheck.queries.ratings import rating_scale
from factcheck.rating_scale import RatingScale

from .cache import RATINGS, cached
from .database import db


def current_scale() -> RatingScale:
    if "rating_scale" not in g:
        session = db()
        g.rating_scale = cached(session, RATINGS, (), lambda: rating_scale(session))
    return g.rating_scale


def rating_choices(prompt: str | None = None) -> list[tuple[str, str]]:
    """A select's choices: the labels in the admins' order, after an empty `prompt`."""
    choices = [(label.slug, label.label) for label in current_scale()]
    return [("", prompt), *choices] if prompt is not None else choices
