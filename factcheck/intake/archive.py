"""Asking an archive service for a snapshot of a source's page.

The service has the shape of the Internet Archive's Save Page Now: `GET {base}/save/{url}`
answers with the snapshot's address in `Content-Location` (a path on the service), or in a
`Link` header's `memento`, or by redirecting to it. The `savepagenow` package speaks only to
web.archive.org, so this asks through httpx, which lets the base (a self-hosted service, or the
tests' local fake) be configured. The base is the operator's setting, not user input, so it is
not put through the public-address guard of `fetch.py`; the source's URL is only passed on.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

DEFAULT_USER_AGENT = "factcheck source archiver"


class ArchiveError(Exception):
    """The service refused or answered without a snapshot: asking again will not help."""


class TransientArchiveError(ArchiveError):
    """Busy, away or slow (429, 5xx, a network error): worth asking again later."""


@dataclass(frozen=True)
class ArchiveService:
    base: str
    timeout: float = 60.0
    user_agent: str = DEFAULT_USER_AGENT


def _snapshot_address(service: ArchiveService, response: httpx.Response) -> str | None:
    location = response.headers.get("Content-Location")
    if location:
        return str(httpx.URL(service.base).join(location))
    memento = response.links.get("memento")
    if memento and memento.get("url"):
        return memento["url"]
    if response.is_redirect and response.headers.get("Location"):
        return str(response.url.join(response.headers["Location"]))
    return None


def snapshot(service: ArchiveService, url: str) -> str:
    """The address of a snapshot of `url` the service has just taken (or has recently)."""
    request_url = service.base.rstrip("/") + "/save/" + url
    try:
        with httpx.Client(
            timeout=service.timeout,
            follow_redirects=False,
            headers={"User-Agent": service.user_agent},
        ) as client:
            response = client.get(request_url)
    except httpx.HTTPError as exc:
        raise TransientArchiveError(f"archive service unreachable: {exc}") from exc
    if response.status_code == 429 or response.status_code >= 500:
        raise TransientArchiveError(f"archive service answered {response.status_code}")
    error = response.headers.get("X-Archive-Wayback-Runtime-Error")
    if error:
        raise ArchiveError(f"archive service refused: {error}")
    if response.status_code >= 400:
        raise ArchiveError(f"archive service answered {response.status_code}")
    address = _snapshot_address(service, response)
    if address is None or not address.startswith(("http://", "https://")):
        raise ArchiveError("archive service answered without a snapshot address")
    return address
