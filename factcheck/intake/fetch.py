"""Fetching a web page or feed for the desk, safely: no Flask, no database.

Every hop (the address given and each redirect) is checked before a byte is sent: only http(s),
only default-looking ports, and the host must resolve to public addresses only (no loopback,
private, link-local, cloud metadata, multicast, reserved or unspecified address, IPv4 or IPv6,
IPv4-mapped included). The connection then goes to the address that was checked, not to a name
resolved again (a DNS-rebinding server cannot swap in 127.0.0.1 between the check and the
connection). Hosts listed in `Policy.allowed_hosts` skip the address check (tests, intranets).
Responses are read up to a size cap, with timeouts, and their content type must be one expected.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/feed+json",
    }
)
# Cloud metadata endpoints that are not covered by the ranges below (AWS/GCP/Azure's
# 169.254.169.254 is link-local already; these are the odd ones out).
_METADATA = frozenset(
    {
        ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
        ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
    }
)
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: not the public internet
USER_AGENT = "factcheck-intake/1.0 (+newsroom claim desk)"


class FetchError(Exception):
    """The address cannot be fetched; the message says why in words a person can act on."""


class TransientFetchError(FetchError):
    """A failure that may pass (a timeout, a refused connection, a 5xx or 429): worth a retry."""


@dataclass(frozen=True)
class Policy:
    allowed_hosts: frozenset[str] = frozenset()
    timeout: float = 10.0
    max_bytes: int = 5 * 2**20
    max_redirects: int = 5


@dataclass
class Response:
    url: str  # the final address, after redirects
    content_type: str
    charset: str | None
    body: bytes
    redirects: list[str] = field(default_factory=list)

    def text(self) -> str:
        for encoding in (self.charset, "utf-8"):
            if encoding:
                try:
                    return self.body.decode(encoding)
                except (LookupError, UnicodeDecodeError):
                    continue
        return self.body.decode("utf-8", errors="replace")


Resolver = Callable[[str, int], Iterable[str]]


def _system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


def refused_reason(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why this address must not be fetched from, or None when it is a public one."""
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return refused_reason(mapped)
        if address.teredo:
            return "a tunnelled address"
    if address in _METADATA:
        return "a cloud metadata address"
    checks = (
        (address.is_loopback, "a loopback address"),
        (address.is_unspecified, "an unspecified address"),
        (address.is_link_local, "a link-local address (cloud metadata lives there)"),
        (address.is_private, "a private network address"),
        (address.is_multicast, "a multicast address"),
        (address.is_reserved, "a reserved address"),
        (isinstance(address, ipaddress.IPv4Address) and address in _SHARED, "a shared address"),
        (not address.is_global, "not a public address"),
    )
    return next((reason for hit, reason in checks if hit), None)


@dataclass(frozen=True)
class Target:
    url: str  # as given (for the Host header and TLS)
    host: str
    port: int
    address: str  # the checked address the connection goes to


def check_url(url: str, policy: Policy, resolver: Resolver = _system_resolver) -> Target:
    """Refuse what must not be fetched; the address to connect to when allowed."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError("Only http:// and https:// addresses can be fetched.")
    if parts.username or parts.password:
        raise FetchError("Addresses with a user name or password are not fetched.")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise FetchError("The address has no host name.")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise FetchError("The address has an invalid port.") from None
    allowed = host in policy.allowed_hosts
    try:
        literal = ipaddress.ip_address(host)
        addresses = [str(literal)]
    except ValueError:
        try:
            addresses = list(dict.fromkeys(resolver(host, port)))
        except (OSError, UnicodeError):
            raise FetchError(f"The host {host} could not be found.") from None
    if not addresses:
        raise FetchError(f"The host {host} could not be found.")
    if not allowed:
        for text in addresses:
            reason = refused_reason(ipaddress.ip_address(text.split("%", 1)[0]))
            if reason:
                raise FetchError(
                    f"The address {host} points to {reason} ({text}); "
                    "only public web addresses can be fetched."
                )
        if port not in (80, 443, 8080, 8443):
            raise FetchError(f"Port {port} is not fetched; use a standard web port.")
    return Target(url=url, host=host, port=port, address=addresses[0].split("%", 1)[0])


def _pinned_request(
    client: httpx.Client,
    target: Target,
    method: str = "GET",
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Request:
    """A request to the checked address, carrying the real host name in Host and TLS (SNI and
    the certificate check)."""
    parts = urlsplit(target.url)
    ip_host = f"[{target.address}]" if ":" in target.address else target.address
    pinned = urlunsplit(
        (parts.scheme, f"{ip_host}:{target.port}", parts.path or "/", parts.query, "")
    )
    default_port = 443 if parts.scheme.lower() == "https" else 80
    shown = f"[{target.host}]" if ":" in target.host else target.host
    host_header = shown if target.port == default_port else f"{shown}:{target.port}"
    return client.build_request(
        method,
        pinned,
        content=content,
        headers={**(headers or {}), "Host": host_header},
        extensions={"sni_hostname": target.host},
    )


def fetch(
    url: str,
    policy: Policy,
    accept: frozenset[str],
    *,
    resolver: Resolver = _system_resolver,
) -> Response:
    """GET `url` under `policy`, following at most `policy.max_redirects` redirects, each hop
    checked again. Raises FetchError with a message for the person who gave the address."""
    headers = {"User-Agent": USER_AGENT, "Accept": ", ".join(sorted(accept)) + ", */*;q=0.1"}
    timeout = httpx.Timeout(policy.timeout)  # for each connect and read
    # ... and for the whole fetch, redirects included: a server that drips a byte just inside
    # each read's timeout must not hold a worker for minutes.
    deadline = time.monotonic() + policy.timeout
    redirects: list[str] = []
    current = url
    with httpx.Client(headers=headers, timeout=timeout, follow_redirects=False) as client:
        for _hop in range(policy.max_redirects + 1):
            target = check_url(current, policy, resolver)
            request = _pinned_request(client, target)
            with _transient_errors(policy, "The page could not be fetched"):
                response = client.send(request, stream=True)
                try:
                    if not response.is_redirect:
                        return _read(response, current, policy, accept, redirects, deadline)
                    location = response.headers.get("location", "")
                finally:
                    response.close()
            if not location:
                raise FetchError("The server redirected without saying where.")
            current = urljoin(current, location)
            redirects.append(current)
    raise FetchError(f"Too many redirects (more than {policy.max_redirects}).")


@contextlib.contextmanager
def _transient_errors(policy: Policy, failed: str) -> Iterator[None]:
    """httpx's errors as TransientFetchError (worth trying again), with a message for a person:
    a timeout names the limit, anything else `failed` and the error's kind."""
    try:
        yield
    except httpx.TimeoutException:
        raise TransientFetchError(
            f"The server did not answer within {policy.timeout:g} seconds."
        ) from None
    except httpx.HTTPError as exc:
        raise TransientFetchError(f"{failed} ({type(exc).__name__}).") from None


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    policy: Policy,
    *,
    resolver: Resolver = _system_resolver,
) -> tuple[int, str]:
    """POST `body` to `url` under `policy` (the address checked as for `fetch`; redirects are
    not followed) and return the answer's status code and reason; the answer's body is not
    read. Raises FetchError when the address is refused, TransientFetchError when the server
    cannot be reached or does not answer in time."""
    target = check_url(url, policy, resolver)
    with httpx.Client(timeout=httpx.Timeout(policy.timeout), follow_redirects=False) as client:
        request = _pinned_request(client, target, "POST", body, headers)
        with _transient_errors(policy, "The server could not be reached"):
            response = client.send(request, stream=True)
            response.close()
    return response.status_code, response.reason_phrase


def _read(
    response: httpx.Response,
    url: str,
    policy: Policy,
    accept: frozenset[str],
    redirects: list[str],
    deadline: float,
) -> Response:
    if response.status_code >= 500 or response.status_code == 429:
        raise TransientFetchError(
            f"The server answered {response.status_code} {response.reason_phrase}."
        )
    if response.status_code >= 400:
        raise FetchError(f"The server answered {response.status_code} {response.reason_phrase}.")
    if response.status_code != 200:
        raise FetchError(f"The server answered {response.status_code}; expected a page.")
    raw_type = response.headers.get("content-type", "")
    content_type = raw_type.split(";", 1)[0].strip().lower()
    if content_type not in accept:
        shown = content_type or "no content type"
        raise FetchError(f"The address serves {shown}, not a web page or feed that can be read.")
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchError(f"The page is larger than {policy.max_bytes // 1024} KiB.")
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > policy.max_bytes:
            raise FetchError(f"The page is larger than {policy.max_bytes // 1024} KiB.")
        if time.monotonic() > deadline:
            raise TransientFetchError(
                f"The server did not send the page within {policy.timeout:g} seconds."
            )
    return Response(
        url=url,
        content_type=content_type,
        charset=response.charset_encoding,
        body=bytes(body),
        redirects=redirects,
    )


def policy_from(config) -> Policy:
    """The fetch policy from the app's settings (a mapping, such as Flask's config)."""
    hosts = config.get("FETCH_ALLOWED_HOSTS") or ()
    if isinstance(hosts, str):
        hosts = hosts.split(",")
    return Policy(
        allowed_hosts=frozenset(h.strip().lower() for h in hosts if h.strip()),
        timeout=float(config.get("FETCH_TIMEOUT_SECONDS", 10.0)),
        max_bytes=int(config.get("FETCH_MAX_BYTES", 5 * 2**20)),
        max_redirects=int(config.get("FETCH_MAX_REDIRECTS", 5)),
    )
