"""Template helpers written in Python: the badges run on every row of long lists, where a Jinja
macro call costs several times as much as a function."""

from __future__ import annotations

from typing import Any

from flask import Flask
from markupsafe import Markup, escape

from factcheck.vocabulary import ClaimStatus, ClaimType, Rating, SourceKind, Stance, VerdictState

from .forms import error_summary

# A field (as history names it) whose values are slugs of an enumeration: shown by its label.
LABELLED_FIELDS = {
    "status": ClaimStatus,
    "rating": Rating,
    "published_rating": Rating,
    "claim_type": ClaimType,
    "stance": Stance,
    "kind": SourceKind,
    "state": VerdictState,
}


def status_badge(status: str) -> Markup:
    value = escape(status)
    return Markup(f'<span class="badge status-{value}">{value.replace("_", " ")}</span>')  # noqa: S704 -- escaped above


def rating_badge(rating: str | None) -> Markup:
    """Nothing for a claim without a published rating."""
    if not rating:
        return Markup("")
    value = escape(rating)
    return Markup(f'<span class="badge rating rating-{value}">{value.replace("_", " ")}</span>')  # noqa: S704 -- escaped above


def describe_change(value: Any) -> str:
    """A field's value in a list of changes; a dash when it is empty."""
    return "—" if value in (None, "") else str(value)


def describe_field(value: Any, name: str) -> str:
    """A value in the history, as a person reads it: an enumeration's label ("Mostly true",
    "In review") for a field that holds one, else as `describe_change`."""
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
    app.add_template_filter(describe_change)
    app.add_template_filter(describe_field)
    app.add_template_global(error_summary)
    app.add_template_filter(field_label)
