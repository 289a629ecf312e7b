"""Template helpers written in Python: the badges run on every row of long lists, where a Jinja
macro call costs several times as much as a function."""

from __future__ import annotations

from typing import Any

from flask import Flask
from markupsafe import Markup, escape

from factcheck.vocabulary import (
    ArchiveStatus,
    ClaimStatus,
    ClaimType,
    SourceKind,
    Stance,
    VerdictState,
)

from .forms import error_summary
from .ratings import current_scale

# A field (as history names it) whose values are slugs of an enumeration: shown by its label
# (a rating by the admins' label, `RATING_FIELDS`).
LABELLED_FIELDS = {
    "status": ClaimStatus,
    "claim_type": ClaimType,
    "stance": Stance,
    "kind": SourceKind,
    "state": VerdictState,
}
RATING_FIELDS = {"rating", "published_rating"}


def status_badge(status: str) -> Markup:
    value = escape(status)
    return Markup(f'<span class="badge status-{value}">{value.replace("_", " ")}</span>')  # noqa: S704 -- escaped above


def rating_badge(rating: str | None) -> Markup:
    """Nothing for a claim without a published rating. The label is the admins' (the
    colour comes from /ratings.css, one rule per label)."""
    if not rating:
        return Markup("")
    value, label = escape(rating), escape(current_scale().label_of(rating))
    return Markup(f'<span class="badge rating rating-{value}">{label}</span>')  # noqa: S704 -- escaped above


def describe_change(value: Any) -> str:
    """A field's value in a list of changes; a dash when it is empty."""
    return "—" if value in (None, "") else str(value)


def describe_field(value: Any, name: str) -> str:
    """A value in the history, as a person reads it: an enumeration's label ("Mostly true",
    "In review") for a field that holds one, else as `describe_change`."""
    if name in RATING_FIELDS and isinstance(value, str):
        return current_scale().label_of(value)
    enum = LABELLED_FIELDS.get(name)
    if enum is not None and isinstance(value, str):
        try:
            return enum(value).label
        except ValueError:
            pass
    return describe_change(value)


def field_label(name: str) -> str:
    """A history field's name in words: `claim_type` is "claim type", `assignee_id` "assignee"."""
    return name.removesuffix("_id").replace("_", " ")


def init_app(app: Flask) -> None:
    app.add_template_global(status_badge)
    app.add_template_global(rating_badge)
    app.add_template_global(ArchiveStatus, "ArchiveStatus")
    app.add_template_filter(describe_change)
    app.add_template_filter(describe_field)
    app.add_template_global(error_summary)
    app.add_template_filter(field_label)
