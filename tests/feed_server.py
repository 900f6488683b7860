"""A local HTTP server (127.0.0.1 only) that serves generated feeds and pages for the watch
tests, changing between polls, with the bad cases a real crawl meets."""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOPICS = ["harbour fire", "river flood", "rail strike", "city budget", "bridge closure",
          "school vote", "port expansion", "storm damage", "water shortage", "power cut"]


def page_html(feed: int, n: int, version: int = 1) -> str:
    """A news page with a headline, a byline, navigation noise and a few paragraphs."""
    topic = TOPICS[(feed * 7 + n) % len(TOPICS)]
    extra = "" if version == 1 else (
        f"<p>Update {version}: officials revised the count to {10 + version} people on "
        f"Thursday evening after a second inspection of the {topic} site.</p>")
    paras = "".join(
        f"<p>Paragraph {k} of report {feed}-{n} on the {topic}: residents of district {n} said "
        f"the {topic} had affected {3 + k + n} streets, and the council met on Monday to "
        f"discuss the response with {k + 2} agencies.</p>" for k in range(1, 5))
    return (f"<!DOCTYPE html><html><head><title>Report {feed}-{n}: {topic}</title>"
            f'<meta property="og:site_name" content="Outlet {feed}"></head><body>'
            f"<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav><article>"
            f"<h1>Report {feed}-{n}: the {topic} in district {n}</h1>"
            f"<p class='byline'>By Staff Writer {feed}</p>{paras}{extra}</article>"
            f"<footer>Copyright Outlet {feed}. All rights reserved.</footer></body></html>")


def rss(feed: int, items: list[tuple[str, str, str | None]]) -> str:
    """An RSS 2.0 feed of (url, title, updated RFC 822 date or None)."""
    entries = "".join(
        f"<item><title>{t}</title><link>{u}</link>"
        + (f"<pubDate>{d}</pubDate>" if d else "") + "</item>" for u, t, d in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Outlet {feed} news</title><link>http://example.invalid/</link>"
            f"<description>feed {feed}</description>{entries}</channel></rss>")


class FeedSite:
    """What the server answers: ``routes`` path -> (status, content type, body, headers).
    Tests change it between polls; ``hits`` counts requests per path; ETag is a body hash and a
    matching If-None-Match gets 304."""

    def __init__(self):
        self.routes: dict[str, tuple[int, str, bytes, dict]] = {}
        self.hits: dict[str, int] = {}
        self.not_modified: dict[str, int] = {}
        self.lock = threading.Lock()
        self.slow: set[str] = set()

    def set(self, path: str, body: str | bytes, ctype: str = "text/html; charset=utf-8",
            status: int = 200, headers: dict | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = (status, ctype, data, headers or {})


def _handler(site: FeedSite):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):  # quiet
            pass

        def do_GET(self):  # noqa: N802 - http.server's name
            path = self.path.split("?", 1)[0]
            with site.lock:
                site.hits[path] = site.hits.get(path, 0) + 1
            if path in site.slow:
                time.sleep(3)
            status, ctype, body, headers = site.routes.get(
                path, (404, "text/plain", b"not found", {}))
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if status == 200 and self.headers.get("If-None-Match") == etag:
                with site.lock:
                    site.not_modified[path] = site.not_modified.get(path, 0) + 1
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            for k, v in headers.items():
                self.send_header(k, v)
            if status == 200:
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", formatdate(usegmt=True))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


@contextlib.contextmanager
def serving(site: FeedSite):
    """Serve ``site`` on 127.0.0.1 (a free port); yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
