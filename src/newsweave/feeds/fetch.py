"""Polite HTTP for ``newsweave watch``: robots.txt honoured, one user agent, a minimum delay
between two requests to one host, conditional GET (ETag / Last-Modified, so an unchanged feed
costs a 304), timeouts, a size limit, bounded redirects and retries with backoff.

Every failure is a ``Fetched`` with ``problem`` set (the URL and the reason), never an exception,
so one bad feed or page never stops a poll.
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Politeness:
    """How ``Fetcher`` behaves (``watch.*`` in the config; defaults in defaults.yaml)."""

    user_agent: str = "newsweave-watch/0.1 (+https://github.com/newsweave)"
    host_delay_s: float = 1.0  # at least this long between two requests to one host
    timeout_s: float = 20.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    retries: int = 2  # after the first try, on timeouts, connection errors and 429/5xx
    backoff_s: float = 1.0  # first wait; doubled each retry (a Retry-After header wins, capped)
    robots: bool = True
    concurrency: int = 4  # hosts fetched at once (never two requests to one host at a time)


@dataclass(frozen=True)
class Fetched:
    """One request's outcome: ``status`` 200 with ``body``, 304 (not modified), or a
    ``problem`` (why nothing usable came back)."""

    url: str  # as asked
    final_url: str | None = None  # after redirects
    status: int | None = None
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None and self.status == 200


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last: float = 0.0
    robots: urllib.robotparser.RobotFileParser | None = None


class Fetcher:
    """``get(url, etag, last_modified) -> Fetched``, polite per host. Thread-safe: requests to
    different hosts may run in parallel threads; requests to one host wait their turn."""

    def __init__(self, politeness: Politeness | None = None, transport=None):
        self.p = politeness or Politeness()
        self._client = httpx.Client(
            headers={"User-Agent": self.p.user_agent}, timeout=self.p.timeout_s,
            follow_redirects=True, max_redirects=self.p.max_redirects, transport=transport)
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()
        self.requests = 0  # sent, robots.txt included

    def close(self) -> None:
        self._client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _host(self, url: str) -> _Host:
        key = urlsplit(url).netloc.lower()
        with self._lock:
            return self._hosts.setdefault(key, _Host())

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets our user agent fetch ``url`` (fetched once per host; a
        missing robots.txt allows everything, an unreachable one too, as browsers do)."""
        if not self.p.robots:
            return True
        host = self._host(url)
        if host.robots is None:
            rp = urllib.robotparser.RobotFileParser()
            parts = urlsplit(url)
            got = self._send(host, f"{parts.scheme}://{parts.netloc}/robots.txt", {})
            if got.status == 200:
                rp.parse(got.body.decode("utf-8", "replace").splitlines())
            else:
                rp.parse([])
            host.robots = rp
        return host.robots.can_fetch(self.p.user_agent, url)

    def sitemaps(self, url: str) -> list[str]:
        """The Sitemap: lines of the robots.txt of ``url``'s host."""
        self.allowed(url)
        rp = self._host(url).robots
        return list(rp.site_maps() or []) if rp is not None else []

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        if urlsplit(url).scheme not in ("http", "https"):
            return Fetched(url, problem="not an http(s) URL")
        if not self.allowed(url):
            return Fetched(url, problem="disallowed by robots.txt")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._send(self._host(url), url, headers)

    def _send(self, host: _Host, url: str, headers: dict) -> Fetched:
        wait = self.p.backoff_s
        for attempt in range(self.p.retries + 1):
            with host.lock:
                pause = host.last + self.p.host_delay_s - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                try:
                    got = self._once(url, headers)
                finally:
                    host.last = time.monotonic()
            retry = got.problem is not None and got.status is None and "too large" not in got.problem \
                and "redirect" not in got.problem
            if got.status in RETRY_STATUS:
                retry = True
            if not retry or attempt == self.p.retries:
                return got
            time.sleep(min(wait, 30.0))
            wait *= 2
        return got  # pragma: no cover - the loop always returns

    def _once(self, url: str, headers: dict) -> Fetched:
        self.requests += 1
        try:
            with self._client.stream("GET", url, headers=headers) as r:
                final = str(r.url)
                meta = dict(final_url=final, status=r.status_code,
                            content_type=r.headers.get("content-type", ""),
                            etag=r.headers.get("etag"), last_modified=r.headers.get("last-modified"))
                if r.status_code == 304:
                    return Fetched(url, **meta)
                if r.status_code != 200:
                    return Fetched(url, **meta, problem=f"HTTP {r.status_code}")
                declared = r.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.p.max_bytes:
                    return Fetched(url, **meta, problem=f"too large: {declared} bytes "
                                   f"(limit {self.p.max_bytes})")
                chunks, size = [], 0
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    if size > self.p.max_bytes:
                        return Fetched(url, **meta, problem=f"too large: over {self.p.max_bytes} bytes")
                    chunks.append(chunk)
                return Fetched(url, **meta, body=b"".join(chunks))
        except httpx.TooManyRedirects:
            return Fetched(url, problem=f"too many redirects (over {self.p.max_redirects})")
        except httpx.TimeoutException:
            return Fetched(url, problem=f"timed out after {self.p.timeout_s:g} s")
        except httpx.HTTPError as exc:
            return Fetched(url, problem=f"{type(exc).__name__}: {exc}")


def absolute(base: str, href: str) -> str:
    """``href`` resolved against ``base``, without its #fragment."""
    return urljoin(base, href).split("#", 1)[0]
