"""Newest-first lists paged by id: `?before=<id>` starts an older page (a keyset, so a deep page
costs what the first does)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import request

from factcheck import limits

PAGE_SIZE = 50
T = TypeVar("T")


def before_arg() -> int | None:
    """`?before=<id>`: where an older page starts; anything else means the newest page."""
    before = request.args.get("before", type=int)
    return before if before is not None and 0 < before <= limits.MAX_ID else None


def split_page(rows: list[T], size: int, id_of: Callable[[T], int]) -> tuple[list[T], int | None]:
    """`rows` fetched with a limit of `size` + 1: this page's rows, and the `before` of the
    next older page (None on the last page)."""
    if len(rows) > size:
        return rows[:size], id_of(rows[size]) + 1
    return rows, None
