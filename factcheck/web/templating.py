"""Template helpers written in Python: the badges run on every row of long lists, where a Jinja
macro call costs several times as much as a function."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app
from markupsafe import Markup, escape

from factcheck.queries.claim_page import HistoryNames
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


def claim_rows(claims: list[Any], claim_url: str) -> Markup:
    """The claims list's table rows (`queries.claims.list_claims(rows=True)`), built here: 50
    rows of eight cells cost a Jinja loop about twice what these f-strings do. `claim_url` is
    the claim page's address without its id (one `url_for` per page)."""
    url = escape(claim_url)
    out = []
    for c in claims:
        article = (
            f'<div class="muted small">{escape(c.article_title[:80])}</div>'
            if c.article_title
            else ""
        )
        out.append(
            f'<tr>\n      <td>{c.id}</td>\n      <td><a href="{url}{c.id}">{escape(c.text)}</a>'
            f"\n        {article}</td>\n      <td>{escape(c.claim_type.replace('_', ' '))}</td>"
            f"\n      <td>{escape(c.claimant or '')}</td>"
            f"\n      <td>{status_badge(c.status)} {rating_badge(c.published_rating)}</td>"
            f"\n      <td>{escape(c.assignee_name or '—')}</td>\n      <td>{c.priority}</td>"
            f"\n      <td>{c.due_date or ''}</td>\n    </tr>\n"
        )
    return Markup("".join(out))  # noqa: S704 -- every value escaped above


def describe_change(value: Any) -> str:
    """A field's value in a list of changes; a dash when it is empty."""
    return "—" if value in (None, "") else str(value)


def describe_field(value: Any, name: str, names: HistoryNames | None = None) -> str:
    """A value in the history, as a person reads it: an enumeration's label ("Mostly true",
    "In review") for a field that holds one, a time as the pages show times, an assignee's
    display name and a claimant record's name (`names`), else as `describe_change`."""
    if name in RATING_FIELDS and isinstance(value, str):
        return current_scale().label_of(value)
    if name.endswith("_at") and isinstance(value, str):
        return _time(value)
    if names is not None and name == "assignee" and isinstance(value, str):
        return names.people.get(value, value)
    if names is not None and name == "claimant_id" and isinstance(value, int):
        return names.claimants.get(value, f"record #{value}")
    enum = LABELLED_FIELDS.get(name)
    if enum is not None and isinstance(value, str):
        try:
            return enum(value).label
        except ValueError:
            pass
    return describe_change(value)


def _time(value: str) -> str:
    """A stored ISO time as the `when` macro shows one ("2026-11-30 15:28 UTC")."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def field_label(name: str) -> str:
    """A history field's name in words: `claim_type` is "claim type", `assignee_id` "assignee"."""
    return name.removesuffix("_id").replace("_", " ")


def render_fragment(name: str, **context: Any) -> str:
    """A part of a page (a cached body, a section) rendered without the context processors:
    the page around it runs them once (the top bar's user, unread count and sign-out form),
    so a fragment must not read `current_user`, `request` or the layout's values."""
    return current_app.jinja_env.get_template(name).render(context)


def init_app(app: Flask) -> None:
    app.add_template_global(status_badge)
    app.add_template_global(rating_badge)
    app.add_template_global(claim_rows)
    app.add_template_global(ArchiveStatus, "ArchiveStatus")
    app.add_template_filter(describe_change)
    app.add_template_filter(describe_field)
    app.add_template_global(error_summary)
    app.add_template_filter(field_label)
