"""The page cache: values built from the database (claims-list bodies, status counts, reports,
article suggestions, signed-in users), kept per process only while the change counters
(`factcheck.data_version`) of the tables they are built from stay the same.

Any commit, by any worker or by the CLI, moves the counters of the tables it wrote, so the next
request rebuilds the regions reading them and no others: people always see current data, a
comment or a source leaves the cached users in place, and repeated views of an unchanged list
cost one read of the counters (the signed-in user is cached too) instead of the list's queries
and rendering.

The cache is split into named regions (`REGIONS`), each with its own size, so a burst of one
kind (many users signing in, many filtered lists) never pushes out another. Keys are built in one
place, `cache_key`; pages call `cached(session, region, parts, compute)`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, has_request_context, request
from sqlalchemy.orm import Session

from factcheck.data_version import versions_of


@dataclass(frozen=True)
class Region:
    name: str
    setting: str  # the config key holding its number of entries
    tables: tuple[str, ...]  # what its values are built from: a write to another keeps them
    per_mount: bool = False  # holds rendered URLs, so it is keyed by the app's mount point
    max_chars: int | None = None  # a longer text is served but not kept (memory per entry)


LIST = Region(
    "claims list", "PAGE_CACHE_ENTRIES", ("claims", "articles", "users", "ratings"), per_mount=True
)
COUNTS = Region("status counts", "PAGE_CACHE_ENTRIES", ("claims",))
REPORT = Region(
    "report",
    "PAGE_CACHE_ENTRIES",
    ("claims", "verdicts", "articles", "users", "claimants", "ratings"),
)
SUGGESTIONS = Region(
    "suggestions", "SUGGESTION_CACHE_ENTRIES", ("claims", "articles", "claimants", "verdicts")
)
USERS = Region("user", "USER_CACHE_ENTRIES", ("users",))
NOTIFICATIONS = Region("notifications", "USER_CACHE_ENTRIES", ("notifications",))
RATINGS = Region("rating scale", "PAGE_CACHE_ENTRIES", ("ratings",))
# A claim page's body: keyed by the claim's own state (`queries.claim_page.page_stamp`), so a
# write to another claim keeps it; these are the tables it shows beyond the claim's rows.
CLAIM_PAGE = Region(
    "claim page",
    "CLAIM_PAGE_CACHE_ENTRIES",
    ("users", "articles", "claimants", "ratings"),
    per_mount=True,
    # A claim quoting a 200 KB one-paragraph article shows all of it: such a page is rare,
    # and kept it would make the region's memory entries x 200 KB.
    max_chars=64_000,
)
REGIONS = {
    region.name: region
    for region in (LIST, COUNTS, REPORT, SUGGESTIONS, USERS, NOTIFICATIONS, RATINGS, CLAIM_PAGE)
}


class VersionedCache:
    """One region: at most `max_entries` values, all built at the same counter values (a
    tuple: its tables' counters, `data_version.versions_of`)."""

    def __init__(self, max_entries: int = 128, max_chars: int | None = None) -> None:
        self._entries: dict[Hashable, Any] = {}
        self._version: Hashable | None = None
        self._lock = threading.Lock()
        self._max_entries = max_entries
        self._max_chars = max_chars

    def get(self, version: Hashable, key: Hashable, compute: Callable[[], Any]) -> Any:
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
        if self._max_chars is not None and isinstance(value, str) and len(value) > self._max_chars:
            return value
        with self._lock:
            if version == self._version:
                if len(self._entries) >= self._max_entries:
                    del self._entries[next(iter(self._entries))]  # the oldest entry
                self._entries[key] = value
        return value

    def __len__(self) -> int:
        return len(self._entries)


class PageCache:
    """The regions of one process, each a `VersionedCache` of its own size."""

    def __init__(self, sizes: dict[str, int]) -> None:
        self.regions = {
            name: VersionedCache(sizes[name], region.max_chars) for name, region in REGIONS.items()
        }

    def get(self, version: Hashable, key: tuple, compute: Callable[[], Any]) -> Any:
        """`key` as built by `cache_key`: its first part names the region."""
        return self.regions[key[0]].get(version, key, compute)


def cache_key(region: Region | str, *parts: Hashable) -> tuple:
    """The one place keys are built: the region's name first, then the mount point for regions
    that hold rendered URLs, then what tells one entry from another."""
    region = REGIONS[region if isinstance(region, str) else region.name]
    if region.per_mount:
        parts = (request.script_root if has_request_context() else "", *parts)
    return (region.name, *parts)


def cached(session: Session, region: Region | str, parts: tuple, compute: Callable[[], Any]) -> Any:
    """The value for `parts` in `region` at the current versions of the region's tables, built
    by `compute` when missing. The versions are read first (once per transaction), so a value is
    never older than its key."""
    region = REGIONS[region if isinstance(region, str) else region.name]
    version = versions_of(session, region.tables)
    return page_cache().get(version, cache_key(region, *parts), compute)


def region_sizes(config: Any) -> dict[str, int]:
    """Each region's size from the config; PAGE_CACHE_ENTRIES = 0 turns the whole cache off."""
    if config["PAGE_CACHE_ENTRIES"] <= 0:
        return dict.fromkeys(REGIONS, 0)
    return {name: config[region.setting] for name, region in REGIONS.items()}


def init_app(app: Flask) -> None:
    app.extensions["factcheck_page_cache"] = PageCache(region_sizes(app.config))


def page_cache() -> PageCache:
    return current_app.extensions["factcheck_page_cache"]
