"""``newsweave watch``: poll feeds, fetch the pages they list, and ingest them into the store.

One poll: each source (a feed URL, a site whose home page announces its feeds, or an OPML file)
is fetched with a conditional GET (several hosts at once, one request per host at a time) (an unchanged feed answers 304 and costs nothing more); each
entry whose URL was never fetched is fetched, and an entry seen before is fetched again only when
the feed dates it later than the last fetch (conditionally again: a 304 is "unchanged"). The
pages of the poll go through one ``ingest`` as files do (extraction with trafilatura, cleaning,
processing, incremental grouping; the same URL with new text becomes a new version), then the
feeds' and pages' fetch state is written. A crash loses no committed article: pages whose state
was not yet written are fetched again next poll, and ingest is idempotent by content hash.

Every bad feed or page (HTTP error, timeout, too large, redirect loop, not a feed, not HTML,
disallowed by robots.txt) is a ``Problem`` naming the URL and the reason; the poll goes on.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..model import Problem
from ..pipeline import Pipeline
from ..store.db import Store
from ..store.ingest import ingest
from .fetch import Fetched, Fetcher
from .sources import (
    FeedError,
    Item,
    discover_feeds,
    is_sitemap,
    looks_like_feed,
    parse_feed,
    parse_sitemap,
    read_opml,
    seen_key,
)

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_SITEMAPS = 20  # of a sitemap index, per poll


@dataclass
class PollResult:
    """What one poll did."""

    feeds: int = 0
    not_modified: int = 0  # feeds that answered 304
    failed_feeds: int = 0  # feeds that could not be read (each is also a problem)
    new: list[str] = field(default_factory=list)  # article ids stored for the first time
    updated: list[str] = field(default_factory=list)  # new versions of stored articles
    unchanged: int = 0  # entries seen before and not changed (not fetched, or 304, or same text)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        return (f"{self.feeds} feeds ({self.not_modified} not modified): {len(self.new)} new, "
                f"{len(self.updated)} updated, {self.unchanged} unchanged, "
                f"{len(self.problems)} problems in {self.seconds:.1f} s")


def article_id(url: str) -> str:
    """A stable, readable id for the page at ``url``: host and path, with a short hash."""
    parts = urlsplit(url)
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", (parts.netloc + parts.path).strip("/"))[:80]
    return f"{slug}-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:8]}"


def _problem(url: str, why: str, kind: str | None = None) -> Problem:
    if kind is None:
        kind = ("too_large" if why.startswith("too large") else "timeout" if "timed out" in why
                else "missing" if why in ("HTTP 404", "HTTP 410") else "unreadable")
    return Problem(url, kind, why)


def _decode(got: Fetched) -> str:
    m = re.search(r"charset=([\w-]+)", got.content_type, re.I)
    try:
        return got.body.decode(m.group(1) if m else "utf-8", "replace")
    except LookupError:
        return got.body.decode("utf-8", "replace")


@dataclass
class _Plan:
    """One feed read this poll: its response and the entries to fetch (with their stored row)."""

    url: str
    title: str | None
    got: Fetched
    todo: list[tuple[Item, dict | None]] = field(default_factory=list)


class Watcher:
    """Polls sources into a store. ``fetcher`` carries the politeness settings."""

    def __init__(self, store: Store, pipeline: Pipeline, fetcher: Fetcher, progress=None):
        """``progress``: the CLI's progress display, handed to ``ingest`` (long polls show a
        bar while their pages are processed)."""
        self.store, self.pipeline, self.fetcher, self.progress = store, pipeline, fetcher, progress
        self._discovered: dict[str, list[str]] = {}  # site -> its feeds (per Watcher)

    def feeds_of(self, sources: Iterable[str], problems: list[Problem]) -> list[str]:
        """Feed URLs for the sources: OPML files read, sites' feeds discovered (once)."""
        out: list[str] = []
        for src in sources:
            if not re.match(r"https?://", src):
                try:
                    out += read_opml(src)
                except (OSError, FeedError) as exc:
                    problems.append(Problem(src, "parse", f"not an OPML file or feed URL: {exc}"))
                continue
            if src in self._discovered:
                out += self._discovered[src]
                continue
            out.append(src)  # a feed, or a site: told apart when it is fetched
        return list(dict.fromkeys(out))

    def poll(self, sources: Iterable[str]) -> PollResult:
        """Fetch every feed (hosts in parallel), plan which entries to fetch, fetch those pages
        (hosts in parallel again), then ingest and record each feed's pages in turn."""
        t0 = time.perf_counter()
        res = PollResult()
        feeds = self.feeds_of(sources, res.problems)
        res.feeds = len(feeds)
        plans: list[_Plan] = []
        self._plan(feeds, res, plans, depth=0)
        wanted = [(item.url, seen) for plan in plans for item, seen in plan.todo]
        pages = self._fetch_all([(u, *((seen["etag"], seen["last_modified"]) if seen else (None, None)))
                                 for u, seen in wanted])
        self._store(plans, pages, res)
        res.seconds = time.perf_counter() - t0
        return res

    def _fetch_all(self, requests: list[tuple[str, str | None, str | None]]) -> dict[str, Fetched]:
        """url -> response for each (url, etag, last_modified), several hosts at once (one
        request per host at a time: ``Fetcher`` holds a lock per host)."""
        workers = max(1, min(self.fetcher.p.concurrency, len(requests)))
        if workers == 1:
            return {u: self.fetcher.get(u, e, m) for u, e, m in requests}
        with ThreadPoolExecutor(workers, thread_name_prefix="watch") as pool:
            got = pool.map(lambda r: self.fetcher.get(*r), requests)
            return {r[0]: g for r, g in zip(requests, got)}

    def _plan(self, feeds: list[str], res: PollResult, plans: list, depth: int) -> None:
        states = {u: self.store.watch_row("watch_feeds", u) or {} for u in feeds}
        fetched = self._fetch_all([(u, states[u].get("etag"), states[u].get("last_modified"))
                                   for u in feeds])
        for url in feeds:
            got = fetched[url]
            if got.status == 304:
                res.not_modified += 1
                continue
            if not got.ok:
                res.problems.append(_problem(url, got.problem or f"HTTP {got.status}"))
                res.failed_feeds += depth == 0
                continue
            if is_sitemap(got.body):
                try:
                    items, nested = parse_sitemap(got.body, got.final_url or url)
                except FeedError as exc:
                    res.problems.append(Problem(url, "parse", str(exc)))
                    res.failed_feeds += depth == 0
                    continue
                if nested and depth < 2:
                    self._plan(nested[:MAX_SITEMAPS], res, plans, depth + 1)
                self._plan_items(_Plan(url, None, got), items, res, plans)
                continue
            if not looks_like_feed(got.content_type, got.body):
                found = discover_feeds(_decode(got), got.final_url or url) if depth == 0 else []
                if not found and depth == 0:  # no feed announced: the site's sitemaps
                    found = self._sitemaps(got.final_url or url)
                if not found:
                    res.problems.append(Problem(url, "parse", "not a feed, and the page "
                                                "announces none"))
                    res.failed_feeds += 1
                    continue
                self._discovered[url] = found
                self._plan(found, res, plans, depth + 1)
                continue
            try:
                title, items, flaw = parse_feed(got.body, got.final_url or url)
            except FeedError as exc:
                res.problems.append(Problem(url, "parse", str(exc)))
                res.failed_feeds += depth == 0
                continue
            if flaw:
                res.problems.append(Problem(url, "parse", flaw))
                res.failed_feeds += depth == 0 and not items
            self._plan_items(_Plan(url, title, got), items, res, plans)

    def _plan_items(self, plan: _Plan, items: list[Item], res: PollResult, plans: list) -> None:
        planned = {seen_key(item.url) for p in plans for item, _ in p.todo}
        for item in items:
            key = seen_key(item.url)
            seen = self.store.watch_row("watch_pages", key)
            if seen is not None and not (item.updated and (seen["updated"] or "") < item.updated):
                res.unchanged += 1  # seen, and the feed does not say it changed: not fetched
            elif key not in planned:
                plan.todo.append((item, seen))
                planned.add(key)
        plans.append(plan)

    def _sitemaps(self, site_url: str) -> list[str]:
        """The sitemaps robots.txt names, else /sitemap.xml."""
        parts = urlsplit(site_url)
        listed = self.fetcher.sitemaps(site_url)
        return listed or [f"{parts.scheme}://{parts.netloc}/sitemap.xml"]

    def _store(self, plans: list[_Plan], pages: dict[str, Fetched], res: PollResult) -> None:
        """Ingest every page the poll fetched in one run (one grouping pass, each changed story's
        brief recomputed once), then record the feeds and pages: state is written only for what
        is stored, so a crash before it means the next poll fetches those pages again."""
        records: list[dict] = []
        rows: list[dict] = []
        for plan in plans:
            for item, seen in plan.todo:
                self._page(item, seen, plan.url, pages[item.url], records, rows, res)
        if records:
            self._ingest(records, res)
        self.store.put_watch_rows([{"url": p.url, "title": p.title, "etag": p.got.etag,
                                    "last_modified": p.got.last_modified,
                                    "polled_at": time.time(), "status": "ok"} for p in plans], rows)

    def _page(self, item: Item, seen: dict | None, feed: str, got: Fetched, records: list,
              rows: list, res: PollResult) -> None:
        if got.status == 304:
            res.unchanged += 1
            rows.append({**seen, "updated": item.updated, "fetched_at": time.time()})
            return
        if not got.ok:
            res.problems.append(_problem(item.url, got.problem or f"HTTP {got.status}"))
            return
        ctype = got.content_type.split(";")[0].strip().lower()
        if ctype and ctype not in HTML_TYPES and not ctype.startswith("text/"):
            res.problems.append(Problem(item.url, "binary", f"not an HTML page ({ctype})"))
            return
        aid = seen["article_id"] if seen else article_id(seen_key(item.url))
        rec = {"id": aid, "url": got.final_url or item.url, "html": _decode(got)}
        for key in ("title", "source"):
            if getattr(item, key):
                rec[key] = getattr(item, key)
        if item.published:
            rec["published"] = item.published[:10]
        records.append(rec)
        rows.append({"url": seen_key(item.url), "final_url": got.final_url, "article_id": aid, "feed": feed,
                     "updated": item.updated, "etag": got.etag, "last_modified": got.last_modified,
                     "fetched_at": time.time()})

    def _ingest(self, records: list[dict], res: PollResult) -> None:
        with tempfile.TemporaryDirectory(prefix="newsweave-watch-") as tmp:
            path = Path(tmp) / "poll.jsonl"
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                            encoding="utf-8")
            by_url = {r["id"]: r["url"] for r in records}
            out = ingest(self.store, [str(path)], self.pipeline, progress=self.progress,
                         input_name=lambda name: name if not name.startswith(tmp) else "watch")
        res.new += list(out.added)
        res.updated += list(out.versions)
        res.unchanged += len(out.unchanged)
        res.problems += [Problem(by_url.get(p.input, p.input), p.kind, p.message)
                         for p in out.problems if p.kind != "warning"]
