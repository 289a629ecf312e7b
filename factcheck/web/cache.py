"""A per-process cache of values built from the database (the claims list, status counts, reports),
kept only while the database's change counter (`factcheck.data_version`) stays the same.

Any commit, by any worker or by the CLI, moves the counter, so the next request rebuilds: people
always see current data, and repeated views of an unchanged list cost one primary-key lookup (the
counter; the signed-in user is cached too) instead of the list's queries and rendering."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app


class VersionedCache:
    def __init__(self, max_entries: int = 128) -> None:
        self._entries: dict[Hashable, Any] = {}
        self._version: int | None = None
        self._lock = threading.Lock()
        self._max_entries = max_entries

    def get(self, version: int, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The value cached for `key` at `version`, else `compute()` (cached).

        A version other than the cache's, newer or older, empties it: the counter only goes
        back when the database does (a backup restored), and then nothing cached may stand.
        A slow request that read the counter just before a commit costs a rebuild, no more."""
        if self._max_entries <= 0:
            return compute()
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._version = version
            elif key in self._entries:
                return self._entries[key]
        value = compute()
        with self._lock:
            if version == self._version:
                if len(self._entries) >= self._max_entries:
                    del self._entries[next(iter(self._entries))]  # the oldest entry
                self._entries[key] = value
        return value


def init_app(app) -> None:
    app.extensions["factcheck_page_cache"] = VersionedCache(app.config["PAGE_CACHE_ENTRIES"])


def page_cache() -> VersionedCache:
    return current_app.extensions["factcheck_page_cache"]
