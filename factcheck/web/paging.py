"""Lists paged by id, newest first unless `?order=oldest`: `?before=<id>` reads the ids below
it, `?after=<id>` those above it (a keyset either way, so a deep page costs what the first
does). A page links to the next and the previous one in the order shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from flask import request

from factcheck import limits

PAGE_SIZE = 50
OLDEST = "oldest"
T = TypeVar("T")
# fetch(before, after, ascending, limit): rows with an id below `before` / above `after`,
# read by id in that direction, at most `limit`.
Fetch = Callable[[int | None, int | None, bool, int], list[T]]


def _id_arg(name: str) -> int | None:
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= limits.MAX_ID else None


def before_arg() -> int | None:
    """`?before=<id>`: where an older page starts; anything else means the newest page."""
    return _id_arg("before")


@dataclass
class IdPage(Generic[T]):
    rows: list[T]
    oldest_first: bool
    next_args: dict[str, int | str] | None = None  # the query string of the next page
    previous_args: dict[str, int | str] | None = None
    order_args: dict[str, str] = field(default_factory=dict)  # this order, on the first page


def id_page(fetch: Fetch, id_of: Callable[[T], int], size: int = PAGE_SIZE) -> IdPage[T]:
    """This request's page: read toward the order shown, or (a previous page) against it and
    turned round; one row more than `size` tells whether the list goes on."""
    after = _id_arg("after")
    before = None if after is not None else before_arg()
    oldest_first = request.args.get("order") == OLDEST
    ascending = after is not None or (before is None and oldest_first)
    rows = fetch(before, after, ascending, size + 1)
    more = len(rows) > size
    rows = rows[:size]
    forward = ascending == oldest_first
    if not forward:
        rows.reverse()
    order = {"order": OLDEST} if oldest_first else {}
    page = IdPage(rows, oldest_first, order_args=order)
    if rows and (more if forward else True):
        page.next_args = {("after" if oldest_first else "before"): id_of(rows[-1]), **order}
    if rows and (before is not None or after is not None if forward else more):
        page.previous_args = {("before" if oldest_first else "after"): id_of(rows[0]), **order}
    return page


def split_page(rows: list[T], size: int, id_of: Callable[[T], int]) -> tuple[list[T], int | None]:
    """`rows` fetched with a limit of `size` + 1: this page's rows, and the `before` of the
    next older page (None on the last page)."""
    if len(rows) > size:
        return rows[:size], id_of(rows[size]) + 1
    return rows, None
