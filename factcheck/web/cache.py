"""A small per-process cache with a time limit, for figures that may be a few seconds old
(the claims list's status tabs) so that a page view does not count the whole table each time.
Any commit made by this process empties it, so people see their own changes at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any


class TimedCache:
    def __init__(self, max_entries: int = 256) -> None:
        self._entries: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()
        self._max_entries = max_entries

    def get(self, key: Hashable, seconds: float, compute: Callable[[], Any]) -> Any:
        """The cached value if younger than `seconds`, else `compute()` (cached)."""
        if seconds <= 0:
            return compute()
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(key)
        if hit is not None and now - hit[0] < seconds:
            return hit[1]
        value = compute()
        with self._lock:
            if len(self._entries) >= self._max_entries:
                self._entries.clear()
            self._entries[key] = (now, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


status_counts_cache = TimedCache()
