"""The claims list: filters, sorting and keyset pagination.

Keyset ("seek") pagination keeps deep pages as fast as the first: each page starts after the last
row of the previous one by its sort key, so the database never counts past thousands of rows.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from sqlalchemy import Select, false, func, literal, or_, select, tuple_, union_all
from sqlalchemy.orm import Session, joinedload, raiseload

from factcheck import limits
from factcheck.models import Article, Claim, ClaimStatusCount, User
from factcheck.vocabulary import ClaimStatus, ClaimType
from factcheck.workflow.search import is_broad, matching, search_terms

# Each sort's label says its direction.
SORTS = {
    "priority": "Priority, most urgent first",
    "due": "Due date, soonest first (undated last)",
    "activity": "Last activity, newest first",
}
# Each sort's own direction is the first; the other reverses it (`ClaimFilters.direction`).
DIRECTIONS = {"asc": "Ascending", "desc": "Descending"}
FAR_FUTURE = date(9999, 12, 31)


@dataclass(frozen=True)
class ClaimFilters:
    status: str | None = None
    claim_type: str | None = None
    article_id: int | None = None
    assignee_id: int | None = None  # 0 means "unassigned"
    rating: str | None = None
    q: str | None = None
    sort: str = "priority"
    direction: str | None = None  # "asc" or "desc"; None: the sort's own (SORTS says which)

    def without(self, **changes: Any) -> ClaimFilters:
        return replace(self, **changes)

    def as_args(self) -> dict[str, str]:
        """Query-string form, for links that keep the current view."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None and value != "" and not (f.name == "sort" and value == "priority"):
                out[f.name] = str(value)
        return out


def _clean_choice(value: str | None, allowed: set[str]) -> str | None:
    return value if value in allowed else None


def clean_id(value: str | None) -> int | None:
    """A query-string id as an int a database integer column holds, or None."""
    try:
        number = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return number if number is not None and 0 <= number <= limits.MAX_ID else None


def _clean_slug(value: str | None) -> str | None:
    """A rating's slug (the admins' scale: an unknown one just matches nothing)."""
    value = (value or "").strip()
    return value if re.match(limits.RATING_SLUG_PATTERN, value) else None


def parse_filters(args: Any) -> ClaimFilters:
    """Read filters from a query-string mapping; anything unknown or malformed is ignored."""
    q = (args.get("q") or "").strip()[: limits.SEARCH_QUERY] or None
    return ClaimFilters(
        status=_clean_choice(args.get("status"), {s.value for s in ClaimStatus}),
        claim_type=_clean_choice(args.get("claim_type"), {t.value for t in ClaimType}),
        article_id=clean_id(args.get("article_id")),
        assignee_id=clean_id(args.get("assignee_id")),
        rating=_clean_slug(args.get("rating")),
        q=q.replace("\x00", "") if q else None,
        sort=_clean_choice(args.get("sort"), set(SORTS)) or "priority",
        direction=_clean_choice(args.get("direction"), set(DIRECTIONS)),
    )


def filter_problems(args: Any, ratings: Iterable[str]) -> dict[str, str]:
    """What `parse_filters` would drop, by filter: a value given that is not one of the filter's
    choices (or not an id; `ratings` the scale's slugs), so the page can say so at the filter
    instead of ignoring it."""
    choices = {
        "status": {s.value for s in ClaimStatus},
        "claim_type": {t.value for t in ClaimType},
        "rating": set(ratings),
        "sort": set(SORTS),
        "direction": set(DIRECTIONS),
    }
    problems = {}
    for name, allowed in choices.items():
        value = args.get(name)
        if value and value not in allowed:
            shown = value[:40]
            problems[name] = f"Unknown {name.replace('_', ' ')} {shown!r}: choose one of the list."
    for name in ("article_id", "assignee_id"):
        value = args.get(name)
        if value and clean_id(value) is None:
            problems[name] = f"{name.removesuffix('_id').title()} must be chosen from the list."
    return problems


def apply_claim_filters(
    stmt: Select,
    filters: ClaimFilters,
    *,
    with_status: bool = True,
    scan_search: bool = False,
    first_matches: int | None = None,
) -> Select:
    """The one place the list's filters turn into SQL (list, counts and CSV export share it).
    `scan_search`: a sorted page of a search many claims match; `first_matches`: only the
    search's first matches, for capped counts (`search.matching`)."""
    if with_status and filters.status:
        stmt = stmt.where(Claim.status == filters.status)
    if filters.claim_type:
        stmt = stmt.where(Claim.claim_type == filters.claim_type)
    if filters.article_id is not None:
        stmt = stmt.where(Claim.article_id == filters.article_id)
    if filters.assignee_id is not None:
        stmt = stmt.where(
            Claim.assignee_id.is_(None)
            if filters.assignee_id == 0
            else Claim.assignee_id == filters.assignee_id
        )
    if filters.rating:
        stmt = stmt.where(Claim.published_rating == filters.rating)
    if filters.q:
        # Every word of the search, as a word prefix, through the full-text index.
        terms = search_terms(filters.q)
        found = matching(terms, scanned=scan_search, first=first_matches) if terms else false()
        stmt = stmt.where(found)
    return stmt


def _sort_columns(sort: str, direction: str | None = None):
    """The sort's columns and whether they run descending (the sort's own way, unless
    `direction` says otherwise)."""
    if sort == "due":
        columns, descending = [func.coalesce(Claim.due_date, FAR_FUTURE), Claim.id], False
    elif sort == "activity":
        columns, descending = [Claim.last_activity_at, Claim.id], True
    else:
        columns, descending = [Claim.priority, Claim.id], False
    return columns, descending if direction is None else direction == "desc"


def _encode_cursor(values: list[Any]) -> str:
    raw = json.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def is_cursor(cursor: str, sort: str) -> bool:
    """Whether `cursor` is one this list gives (for `sort`): the API refuses any other."""
    return _decode_cursor(cursor, sort) is not None


CURSOR_MAX = 200  # characters: a key (an ISO time at most) and an id, as base64 JSON


def _decode_cursor(cursor: str | None, sort: str) -> list[Any] | None:
    """The cursor's [key, id], or None for anything this list did not make (a crafted one
    means "from the start"). Cursors the list makes are short; nested JSON would recurse."""
    if not cursor or len(cursor) > CURSOR_MAX:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key, claim_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        claim_id = clean_id(str(claim_id))
        if sort == "due":
            key = date.fromisoformat(key)
        elif sort == "activity":
            from datetime import datetime

            key = datetime.fromisoformat(key)
        else:
            key = clean_id(str(key))  # a priority: any number a column holds will do
    except (ValueError, TypeError, RecursionError, json.JSONDecodeError, UnicodeDecodeError):
        return None
    if claim_id is None or key is None:
        return None
    return [key, claim_id]


@dataclass
class ClaimPage:
    claims: list[Claim]
    next_cursor: str | None
    previous_cursor: str | None = None  # None: the previous page is the first (or none)
    has_previous: bool = False


def list_claims(
    session: Session,
    filters: ClaimFilters,
    *,
    cursor: str | None = None,
    before: str | None = None,
    page_size: int = 50,
    rows: bool = False,
) -> ClaimPage:
    """One page of claims, with the article and assignee loaded (and nothing else lazily):
    the first, the one after `cursor`, or the one before `before` (the previous page).
    `rows`: plain rows of `_list_rows()` instead of claims (what the list page shows;
    a tenth of the ORM's cost of loading 50 claims with their article and assignee)."""
    columns, descending = _sort_columns(filters.sort, filters.direction)
    broad = bool(filters.q) and is_broad(session, search_terms(filters.q))
    if rows:
        stmt = apply_claim_filters(_list_rows(), filters, scan_search=broad)
    else:
        stmt = apply_claim_filters(select(Claim), filters, scan_search=broad).options(
            joinedload(Claim.article).load_only(Article.id, Article.title),
            joinedload(Claim.assignee).load_only(User.id, User.display_name, User.username),
            raiseload("*"),
        )
    after = _decode_cursor(cursor, filters.sort)
    upto = _decode_cursor(before, filters.sort) if after is None else None
    backwards = upto is not None
    position = tuple_(*columns)
    # A row-value comparison, which both databases turn into one index range scan (an OR of
    # two conditions made PostgreSQL filter its way through the index). The previous page is
    # read backwards from its end, then turned round.
    if after is not None:
        stmt = stmt.where(position < tuple_(*after) if descending else position > tuple_(*after))
    elif upto is not None:
        stmt = stmt.where(position > tuple_(*upto) if descending else position < tuple_(*upto))
    down = descending != backwards
    order = [c.desc() for c in columns] if down else columns
    stmt = stmt.order_by(*order).limit(page_size + 1)
    found = session.execute(stmt).all() if rows else session.scalars(stmt).unique().all()
    more = len(found) > page_size
    found = list(found[:page_size])
    if backwards:
        found.reverse()
    position_of = lambda row: _encode_cursor([_sort_key(row, filters.sort), row.id])  # noqa: E731
    if backwards:
        # Back from a later page: a next page exists; an earlier one when more were read.
        return ClaimPage(
            found,
            position_of(found[-1]) if found else None,
            position_of(found[0]) if more and found else None,
            has_previous=more,
        )
    return ClaimPage(
        found,
        position_of(found[-1]) if more else None,
        position_of(found[0]) if after is not None and found else None,
        has_previous=after is not None,
    )


def _list_rows() -> Select:
    """The list page's columns: the claim's, its article's title and its assignee's name."""
    return (
        select(
            Claim.id,
            Claim.text,
            Claim.claim_type,
            Claim.claimant,
            Claim.status,
            Claim.published_rating,
            Claim.priority,
            Claim.due_date,
            Claim.last_activity_at,
            Article.title.label("article_title"),
            User.display_name.label("assignee_name"),
        )
        .outerjoin(Article, Claim.article_id == Article.id)
        .outerjoin(User, Claim.assignee_id == User.id)
    )


def _sort_key(row: Claim, sort: str) -> Any:
    return {"due": row.due_date or FAR_FUTURE, "activity": row.last_activity_at}.get(
        sort, row.priority
    )


RECENT_ARTICLES = 50


def article_choices(session: Session, selected: int | None) -> list[Any]:
    """(id, title) of the newest articles, and of the selected one, for filter menus: a desk
    with thousands of articles must not ship them all in every page."""
    recent = select(Article.id).order_by(Article.id.desc()).limit(RECENT_ARTICLES)
    shown = Article.id.in_(recent.scalar_subquery())
    if selected is not None:
        shown = or_(shown, Article.id == selected)
    stmt = select(Article.id, Article.title).where(shown).order_by(Article.id.desc())
    return list(session.execute(stmt))


def count_claims(session: Session, filters: ClaimFilters) -> int:
    """How many claims the filters select (the CLI's export progress bar)."""
    return session.scalar(apply_claim_filters(select(func.count(Claim.id)), filters)) or 0


COUNT_CAP = 1000  # a filtered tab counts this many claims at most, then shows "1,000+"
SAMPLED = "sampled"  # in status_counts: the search's counts are lower bounds


def status_counts(session: Session, filters: ClaimFilters) -> dict[str, int]:
    """Claims per status under the other filters, for the tabs above the list. With no other
    filter (the usual view) they are the trigger-kept totals, not a count of every claim.

    Under filters each status is counted up to COUNT_CAP + 1 claims (a value over COUNT_CAP
    means "more", see `count_label`), so a broad search or filter costs the same on any number
    of claims: each count stops early, reading an index range that starts with the status.
    A text search counts its first COUNT_CAP + 1 matches once, by status: past the cap, every
    status's figure is a lower bound (marked `SAMPLED` in the result)."""
    if filters.without(status=None, sort="priority", direction=None) == ClaimFilters():
        stmt = select(ClaimStatusCount.status, ClaimStatusCount.claims)
    elif filters.q:
        first = apply_claim_filters(
            select(Claim.status), filters, with_status=False, first_matches=COUNT_CAP + 1
        )
        sub = first.limit(COUNT_CAP + 1).subquery()
        stmt = select(sub.c.status, func.count()).group_by(sub.c.status)
    else:
        stmt = union_all(*(_capped_count(filters, status.value) for status in ClaimStatus))
    counts = {status: n for status, n in session.execute(stmt)}
    result = {s.value: counts.get(s.value, 0) for s in ClaimStatus}
    if filters.q and (
        sum(result.values()) > COUNT_CAP or is_broad(session, search_terms(filters.q))
    ):
        result[SAMPLED] = 1  # some matches were not looked at
    return result


def _capped_count(filters: ClaimFilters, status: str) -> Select:
    matching = apply_claim_filters(
        select(literal(1).label("one")).where(Claim.status == status),
        filters,
        with_status=False,
    )
    sub = matching.limit(COUNT_CAP + 1).subquery()
    return select(literal(status).label("status"), func.count().label("n")).select_from(sub)


def count_labels(counts: dict[str, int]) -> dict[str, str]:
    """The tabs' figures: each status's count, and "all" (their sum), as text; a capped count
    (over COUNT_CAP) reads "1,000+", and so does the sum when any of them is capped."""
    counts = dict(counts)
    sampled = bool(counts.pop(SAMPLED, 0))
    capped = sampled or any(n > COUNT_CAP for n in counts.values())
    labels = {s: count_label(n, lower_bound=sampled) for s, n in counts.items()}
    labels["all"] = count_label(COUNT_CAP + 1) if capped else f"{sum(counts.values()):,}"
    return labels


def count_label(n: int, *, lower_bound: bool = False) -> str:
    """`n` as text; "1,000+" past the cap, "n+" when it is a lower bound."""
    if n > COUNT_CAP:
        return f"{COUNT_CAP:,}+"
    return f"{n:,}+" if lower_bound else f"{n:,}"
