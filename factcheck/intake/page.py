"""A fetched web page reduced to the article's readable text and its metadata (trafilatura), and
a fetched feed reduced to its entries (feedparser). Pure functions: no Flask, no database."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin, urlsplit

import feedparser
import trafilatura

from factcheck import limits

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class PageData:
    text: str  # paragraphs separated by blank lines, as pasted articles are
    title: str | None
    publisher: str | None
    author: str | None
    published_on: date | None
    canonical_url: str


@dataclass(frozen=True)
class FeedEntry:
    link: str
    title: str | None


@dataclass(frozen=True)
class FeedData:
    title: str | None
    entries: list[FeedEntry]


def _clip(value: str | None, limit: int) -> str | None:
    value = _SPACES.sub(" ", value or "").strip()
    if not value:
        return None
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10]) if value else None
    except ValueError:
        return None


def _canonical(found: str | None, fetched_url: str) -> str:
    """The page's canonical address when it names a web address, else where it was fetched."""
    if found:
        absolute = urljoin(fetched_url, found.strip())
        parts = urlsplit(absolute)
        if parts.scheme in ("http", "https") and parts.netloc and len(absolute) <= 2000:
            return absolute
    return fetched_url.split("#", 1)[0]


def read_page(html: str, url: str) -> PageData:
    """The article in `html` (fetched from `url`). Raises ValueError when there is no text."""
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    if doc is None or not (doc.text or "").strip():
        raise ValueError("No article text was found on the page.")
    title = _clip(doc.title, limits.TITLE)
    lines = [line.strip() for line in doc.text.splitlines() if line.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]  # the headline is the title, not a paragraph of the text
    if not lines:
        raise ValueError("No article text was found on the page.")
    return PageData(
        text="\n\n".join(lines),
        title=title,
        publisher=_clip(doc.sitename, limits.PUBLISHER),
        author=_clip(doc.author, limits.AUTHOR),
        published_on=_date(doc.date),
        canonical_url=_canonical(doc.url, url),
    )


def read_feed(body: bytes, url: str, *, limit: int) -> FeedData:
    """The newest `limit` entries with a web link. Raises ValueError for what is not a feed."""
    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries and parsed.get("bozo"):
        raise ValueError(f"Not a readable RSS or Atom feed ({parsed.get('bozo_exception')}).")
    entries = []
    for entry in parsed.entries:
        link = urljoin(url, (entry.get("link") or "").strip())
        if urlsplit(link).scheme in ("http", "https") and len(link) <= limits.URL:
            entries.append(FeedEntry(link=link, title=_clip(entry.get("title"), limits.TITLE)))
        if len(entries) >= limit:
            break
    return FeedData(title=_clip(parsed.feed.get("title"), limits.TITLE), entries=entries)


def content_hash(text: str) -> str:
    """The same article text, however spaced or cased, hashes the same."""
    return hashlib.sha256(_SPACES.sub(" ", text).strip().lower().encode()).hexdigest()


def url_hash(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()
