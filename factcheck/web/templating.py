"""Template helpers written in Python: the badges run on every row of long lists, where a Jinja
macro call costs several times as much as a function."""

from __future__ import annotations

from typing import Any

from flask import Flask
from markupsafe import Markup, escape

from factcheck.vocabulary import ArchiveStatus

from .ratings import current_scale


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


def init_app(app: Flask) -> None:
    app.add_template_global(status_badge)
    app.add_template_global(rating_badge)
    app.add_template_global(ArchiveStatus, "ArchiveStatus")
    app.add_template_filter(describe_change)
