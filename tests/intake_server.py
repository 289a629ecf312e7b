"""A small HTTP server on 127.0.0.1 serving fixture pages and feeds for the intake tests.

Routes are a dict path -> handler(request) returning (status, headers, body); tests add their
own. Every request is recorded (path and Host header), so a test can tell what was fetched."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "data" / "intake"
HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}

Route = Callable[["Handler"], tuple[int, dict[str, str], bytes]]

STORY = """<!doctype html><html><head><meta charset="utf-8">
<title>{title} | Coast Courier</title>
<link rel="canonical" href="{base}/story/{n}">
<meta property="og:site_name" content="Coast Courier">
<meta name="author" content="Reporter {n}">
<meta property="article:published_time" content="2026-04-0{n}T08:00:00Z">
</head><body><article><h1>{title}</h1>
<p>The council said {n}00 homes were flooded on Friday night after the river rose by two
metres, according to a statement from the mayor's office.</p>
<p>Residents of district {n} told the newspaper that warnings came too late, a claim the
council denied on Saturday in a briefing for reporters.</p>
</article></body></html>"""


def story(base: str, n: int) -> bytes:
    return STORY.format(base=base, n=n, title=f"Flooding in district {n}").encode()


def rss(base: str, numbers: list[int]) -> bytes:
    items = "".join(
        f"<item><title>Flooding in district {n}</title><link>{base}/story/{n}</link>"
        f"<guid>{base}/story/{n}</guid></item>"
        for n in numbers
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Coast Courier: floods</title><link>{base}/</link>{items}</channel></rss>"
    ).encode()


def _drip(seconds: float, every: float):
    """A page that never finishes in time: a byte every `every` seconds, each read in time."""
    yield b"<p>"
    for _ in range(int(seconds / every)):
        time.sleep(every)
        yield b"x"


class Handler(BaseHTTPRequestHandler):
    server: IntakeServer

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.server.hits.append((self.path, self.headers.get("Host", "")))
        route = self.server.routes.get(self.path)
        status, headers, body = route(self) if route else (404, HTML, b"not found")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if isinstance(body, bytes):
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.end_headers()  # a body sent bit by bit, until the client hangs up
        try:
            for chunk in body:
                self.wfile.write(chunk)
                self.wfile.flush()
        except OSError:
            pass

    def log_message(self, *args) -> None:
        pass


class IntakeServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: list[tuple[str, str]] = []
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        base = self.base
        article = (FIXTURES / "article.html").read_bytes()
        self.routes: dict[str, Route] = {
            "/news/ministry": lambda h: (200, HTML, article),
            "/feed.xml": lambda h: (200, RSS, rss(base, [1, 2, 3])),
            "/broken.xml": lambda h: (500, HTML, b"server error"),
            "/redirect-private": lambda h: (302, {"Location": "http://10.0.0.7/secret"}, b""),
            "/redirect-loop": lambda h: (302, {"Location": "/redirect-loop"}, b""),
            "/redirect-article": lambda h: (301, {"Location": "/news/ministry"}, b""),
            "/image": lambda h: (200, {"Content-Type": "image/png"}, b"\x89PNG...."),
            "/huge": lambda h: (200, HTML, b"<p>" + b"x" * (2 * 2**20) + b"</p>"),
            "/drip": lambda h: (200, HTML, _drip(seconds=30, every=0.2)),
        }
        for n in (1, 2, 3, 4):
            self.routes[f"/story/{n}"] = lambda h, n=n: (200, HTML, story(base, n))
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    def paths(self) -> list[str]:
        return [path for path, _host in self.hits]

    def __enter__(self) -> IntakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()
