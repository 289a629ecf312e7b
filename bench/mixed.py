"""Issue 16's figures: a desk's mixed workload under gunicorn, and each page kind's scaling.

The server runs as README's production command does (`PRODUCTION_WORKERS` sync workers); the
client's own CPU per request is printed beside each rate, to show it is not what bounds it.

`mixed_workload`: N signed-in users (editors and reviewers, one thread each, over loopback)
loop for a fixed time, each request a page kind drawn by weight (lists with random filters and
sorts, text searches, deep pages, claim pages, the queue, article pages, public pages) or, at
`write_rate`, a write (a comment, a source, an assignment). It reports requests/s, p50/p95 per
kind, and the ratio to `/healthz` fetched by the same client for the same time.

`scaling_table`: each page kind's in-process cost (median ms, page cache off) on the large
database over the small one, with the same choice of URL on both (same filters, the same
relative depth, the same search words).
"""

from __future__ import annotations

import http.client
import random
import re
import secrets
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine

from factcheck.demo import DEMO_PASSWORD
from factcheck.devsupport.live_server import serve
from factcheck.models import Article, Claim, User
from factcheck.queries.claims import _encode_cursor
from factcheck.vocabulary import OPEN_STATUSES, ClaimStatus, ClaimType, Rating

SORTS = ("priority", "due", "activity")
# Page kinds and how often a user opens each (weights, summed to 1 with the writes apart).
WEIGHTS = {
    "list": 0.14,
    "list filtered": 0.16,
    "list search": 0.10,
    "list deep": 0.06,
    "claim page": 0.24,
    "queue": 0.08,
    "article page": 0.06,
    "public list": 0.06,
    "public page": 0.06,
    "reports": 0.04,
}
# gunicorn as README's production command runs it (sync workers): a slow page holds one worker,
# so with two the rest of the desk queued behind every report or article page.
PRODUCTION_WORKERS = 4
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
_VERSION = re.compile(r'claims/(\d+)/assign".*?name="version" type="hidden" value="(\d+)"', re.S)
_WORD = re.compile(r"[^\W\d_]{4,}")


@dataclass
class Sample:
    """What the URLs are drawn from, read once from the database."""

    claims: list[int]
    open: list[int]  # open claims: an editor may add sources and assign
    published: list[int]
    public: bool  # whether any claim is published (a tiny database may have none)
    articles: list[int]
    staff: list[int]
    common_word: str  # in many claims: a broad search
    rare_words: list[str]  # in few claims: narrow searches
    deep: dict[str, str] = field(default_factory=dict)  # "status|sort" -> cursor 80% in


def sample(engine: Engine, seed: int = 1) -> Sample:
    rng = random.Random(seed)
    with engine.connect() as conn:
        top = conn.scalar(select(func.max(Claim.id))) or 0
        claims = sorted(rng.sample(range(1, top + 1), min(top, 2000)))
        published = list(
            conn.scalars(
                select(Claim.id)
                .where(Claim.status == ClaimStatus.PUBLISHED.value)
                .order_by(Claim.id.desc())
                .limit(500)
            )
        )
        open_claims = list(
            conn.scalars(
                select(Claim.id)
                .where(Claim.status.in_([x.value for x in OPEN_STATUSES]))
                .order_by(Claim.id.desc())
                .limit(1000)
            )
        )
        articles = list(conn.scalars(select(Article.id).order_by(Article.id.desc()).limit(500)))
        staff = list(
            conn.scalars(select(User.id).where(User.username.like("demo-%")).order_by(User.id))
        )
        texts = conn.scalars(select(Claim.text).where(Claim.id.in_(claims[:400]))).all()
        deep = {}
        for status in (ClaimStatus.RESEARCHING.value, ClaimStatus.UNREVIEWED.value):
            total = conn.scalar(select(func.count()).where(Claim.status == status)) or 0
            for sort in SORTS:
                key = {
                    "priority": [Claim.priority, Claim.id],
                    "due": [func.coalesce(Claim.due_date, text("'9999-12-31'")), Claim.id],
                    "activity": [Claim.last_activity_at, Claim.id],
                }[sort]
                order = [k.desc() for k in key] if sort == "activity" else key
                row = conn.execute(
                    select(*key)
                    .where(Claim.status == status)
                    .order_by(*order)
                    .offset(int(total * 0.8))
                    .limit(1)
                ).first()
                if row is not None:
                    deep[f"{status}|{sort}"] = _encode_cursor([row[0], row[1]])
    words = Counter(w.lower() for t in texts for w in _WORD.findall(t))
    ranked = [w for w, _ in words.most_common()]
    return Sample(
        claims=claims,
        open=open_claims or claims,
        published=published or claims[:1],
        public=bool(published),
        articles=articles,
        staff=staff,
        common_word=ranked[0],
        rare_words=[w for w, n in words.items() if n == 1][:200] or ranked[-10:],
        deep=deep,
    )


def random_url(kind: str, s: Sample, rng: random.Random) -> str:
    """A URL of `kind` with random filters, sorts and ids."""
    if kind == "list":
        return "/?" + urlencode({"sort": rng.choice(SORTS)})
    if kind == "list filtered":
        args: dict[str, Any] = {"sort": rng.choice(SORTS)}
        for name, values in (
            ("status", [x.value for x in ClaimStatus]),
            ("claim_type", [x.value for x in ClaimType]),
            ("assignee_id", [0, *s.staff]),
            ("rating", [x.value for x in Rating]),
        ):
            if rng.random() < 0.4:
                args[name] = rng.choice(values)
        return "/?" + urlencode(args)
    if kind == "list search":
        q = s.common_word if rng.random() < 0.3 else rng.choice(s.rare_words)
        args = {"q": q, "sort": rng.choice(SORTS)}
        if rng.random() < 0.3:
            args["status"] = rng.choice([x.value for x in ClaimStatus])
        return "/?" + urlencode(args)
    if kind == "list deep":
        if not s.deep:
            return "/?sort=activity"
        key = rng.choice(sorted(s.deep))
        status, sort = key.split("|")
        return "/?" + urlencode({"status": status, "sort": sort, "after": s.deep[key]})
    if kind == "claim page":
        return f"/claims/{rng.choice(s.claims)}"
    if kind == "queue":
        return "/queue"
    if kind == "article page":
        return f"/articles/{rng.choice(s.articles)}"
    if kind == "public list":
        if rng.random() < 0.5:
            return "/fact-checks"
        return f"/fact-checks?before={rng.choice(s.published)}"
    if kind == "public page":
        return f"/fact-checks/{rng.choice(s.published)}" if s.public else "/fact-checks"
    if kind == "reports":
        return "/reports"
    raise ValueError(kind)


# ------------------------------------------------------------------ the HTTP client


class Browser:
    """One user's cookies over plain http.client (gunicorn's sync workers close each
    connection, so every request opens one: the same for /healthz)."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            page = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for cookie in response.msg.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";")[0].partition("=")
            self.cookies[name] = value
        return response.status, page

    def sign_in(self, username: str) -> None:
        _, page = self.request("GET", "/login")
        token = _CSRF.search(page).group(1)
        status, _ = self.request(
            "POST", "/login", {"username": username, "password": DEMO_PASSWORD, "csrf_token": token}
        )
        assert status == 302, f"{username} could not sign in: {status}"
        _, page = self.request("GET", "/claims/new")  # any form: the session's CSRF token
        found = _CSRF.search(page)
        self.csrf = found.group(1) if found else token


def _write(b: Browser, s: Sample, rng: random.Random, editor: bool) -> tuple[str, int]:
    """A comment (anyone, any claim); an editor's source or assignment on an open claim."""
    claim = rng.choice(s.open)
    roll = rng.random()
    if roll < 0.5 or not editor:
        claim = rng.choice(s.claims)
        body = {
            "csrf_token": b.csrf,
            "form_token": secrets.token_urlsafe(16),
            "body": f"Bench comment {rng.random():.6f}",
        }
        return "write comment", b.request("POST", f"/claims/{claim}/comments", body)[0]
    if roll < 0.8:
        body = {
            "csrf_token": b.csrf,
            "form_token": secrets.token_urlsafe(16),
            "url": f"https://example.org/bench/{rng.randrange(10**9)}",
            "title": "Bench source",
            "kind": "news_report",
            "stance": "context",
            "reliability": "3",
        }
        return "write source", b.request("POST", f"/claims/{claim}/sources", body)[0]
    _, page = b.request("GET", f"/claims/{claim}")
    found = _VERSION.search(page)
    if not found:
        return "write assign", 0  # not assignable in its status: counted, not timed
    body = {"csrf_token": b.csrf, "version": found.group(2), "assignee": str(rng.choice(s.staff))}
    return "write assign", b.request("POST", f"/claims/{claim}/assign", body)[0]


@dataclass
class Tally:
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    client_cpu_ms: float = 0.0

    def add(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            if status >= 500 or status in (0, 400, 403, 404):
                self.errors[f"{kind} {status}"] += 1
            if status:
                self.times.setdefault(kind, []).append(seconds)


def _run_users(
    base: str,
    users: list[str],
    s: Sample,
    seconds: float,
    write_rate: float,
    only: str | None = None,
) -> tuple[float, Tally]:
    """Each user in a thread until the time is up; `only` a fixed path (the healthz baseline)."""
    tally = Tally()
    browsers = []
    for username in users:
        b = Browser(base)
        if only is None:
            b.sign_in(username)
        browsers.append((b, "editor" in username))
    kinds, weights = zip(*WEIGHTS.items(), strict=True)
    stop = time.monotonic() + seconds

    def loop(index: int, b: Browser, editor: bool) -> None:
        rng = random.Random(index)
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                if only is not None:
                    kind, status = "healthz", b.request("GET", only)[0]
                elif rng.random() < write_rate:
                    kind, status = _write(b, s, rng, editor)
                else:
                    kind = rng.choices(kinds, weights)[0]
                    if kind == "reports" and not editor:
                        kind = "list"  # the report is the editors' page
                    status = b.request("GET", random_url(kind, s, rng))[0]
            except (OSError, http.client.HTTPException):
                kind, status = "connection", 0
            tally.add(kind, time.perf_counter() - started, status)

    started, cpu = time.monotonic(), time.process_time()
    threads = [
        threading.Thread(target=loop, args=(i, b, editor)) for i, (b, editor) in enumerate(browsers)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    done = sum(len(v) for v in tally.times.values())
    # The client's own CPU per request (this process: every user's thread): when it nears the
    # server's, the client, not the app, bounds the figure.
    tally.client_cpu_ms = (time.process_time() - cpu) * 1000 / max(done, 1)
    return done / elapsed, tally


def _percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return {"n": len(ordered), "p50_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000}


def demo_users(engine: Engine, count: int) -> list[str]:
    """`count` demo accounts, editors and reviewers alternating."""
    with engine.connect() as conn:
        names = list(
            conn.scalars(
                select(User.username)
                .where(User.username.like("demo-editor-%") | User.username.like("demo-reviewer-%"))
                .order_by(User.username)
            )
        )
    editors = [n for n in names if "editor" in n]
    reviewers = [n for n in names if "reviewer" in n]
    mixed = [n for pair in zip(editors, reviewers, strict=False) for n in pair]
    mixed += [n for n in names if n not in mixed]
    return [mixed[i % len(mixed)] for i in range(count)]


def mixed_workload(
    url: str,
    engine: Engine,
    folder: Path,
    *,
    users: int,
    seconds: float,
    write_rate: float,
    port: int | None = None,
) -> dict[str, Any]:
    """Requests/s, per-kind latency and the ratio to /healthz, cache on and off (the server on
    `port`, else a free one)."""
    s = sample(engine)
    names = demo_users(engine, users)
    figures: dict[str, Any] = {"users": users, "seconds": seconds, "write_rate": write_rate}
    for suffix, entries in (("", "128"), ("_uncached", "0")):
        env = {"FACTCHECK_PAGE_CACHE_ENTRIES": entries}
        with serve(url, folder, workers=PRODUCTION_WORKERS, env=env, port=port) as base:
            _run_users(base, names, s, min(3.0, seconds), write_rate)  # warm the workers
            rps, tally = _run_users(base, names, s, seconds, write_rate)
            bare, bare_tally = _run_users(base, names, s, seconds, 0, only="/healthz")
        figures[f"mixed_rps{suffix}"] = rps
        figures[f"mixed_bare_rps{suffix}"] = bare
        figures[f"mixed_ratio{suffix}"] = rps / bare
        figures[f"mixed_kinds{suffix}"] = {
            kind: _percentiles(times) for kind, times in sorted(tally.times.items())
        }
        figures[f"mixed_errors{suffix}"] = dict(tally.errors)
        figures[f"mixed_client_cpu_ms{suffix}"] = tally.client_cpu_ms
        figures[f"mixed_bare_client_cpu_ms{suffix}"] = bare_tally.client_cpu_ms
    return figures


# ------------------------------------------------------------------ per-page scaling


def scaling_urls(s: Sample) -> dict[str, str]:
    """One URL per page kind, chosen alike on every database."""
    researching = ClaimStatus.RESEARCHING.value
    return {
        "list": "/",
        "list status": f"/?status={researching}&sort=activity",
        "list type": f"/?claim_type={ClaimType.DENIAL.value}",
        "list assignee": f"/?assignee_id={s.staff[0]}",
        "list rating": f"/?rating={Rating.FALSE.value}",
        "list search narrow": "/?" + urlencode({"q": s.rare_words[0]}),
        "list search broad": "/?" + urlencode({"q": s.common_word}),
        "list search broad sorted": "/?" + urlencode({"q": s.common_word, "sort": "activity"}),
        "list deep": "/?"
        + urlencode(
            {
                "status": researching,
                "sort": "activity",
                "after": s.deep.get(f"{researching}|activity", ""),
            }
        ),
        "claim page": f"/claims/{s.claims[len(s.claims) // 2]}",
        "desk search claims": "/search?" + urlencode({"q": s.common_word}),
        "desk search articles": "/search?" + urlencode({"q": s.common_word, "kind": "articles"}),
        "desk search sources": "/search?" + urlencode({"q": s.common_word, "kind": "sources"}),
        "queue": "/queue",
        "article page": f"/articles/{s.articles[0]}",
        "reports": "/reports",
        "public list": "/fact-checks",
        "public page": f"/fact-checks/{s.published[0]}" if s.public else "/fact-checks",
        "corrections": "/fact-checks/corrections",
        "healthz": "/healthz",
    }


def page_costs(app, median_ms) -> dict[str, float]:
    """Median in-process ms of each scaling URL on one `bench.run.InProcess` app."""
    s = sample(app.engine)
    return {
        kind: median_ms(lambda p=path: app.get(p), 15) for kind, path in scaling_urls(s).items()
    }


def scaling_table(small: dict[str, float], large: dict[str, float]) -> dict[str, dict]:
    return {
        kind: {"small_ms": small[kind], "large_ms": large[kind], "ratio": large[kind] / small[kind]}
        for kind in small
    }
