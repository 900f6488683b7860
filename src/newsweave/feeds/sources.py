"""What ``newsweave watch`` follows: RSS/Atom feeds (read with feedparser), OPML lists of feeds,
sites, whose feeds are found in their home page (trafilatura's feed finder) or else in their
sitemaps. Pages, feeds and sitemaps are all fetched by the watcher's polite client, so robots.txt
and the host delay hold for discovery too (trafilatura's own discovery fetches by itself)."""

from __future__ import annotations

import re
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
from defusedxml import ElementTree as ET  # no entity expansion, no external entities

from .fetch import absolute

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json",
              "application/rdf+xml", "application/xml", "text/xml")


@dataclass(frozen=True)
class Item:
    """One feed entry: the page to fetch and what the feed says of it."""

    url: str
    title: str | None = None
    published: str | None = None  # ISO date or datetime, from the entry (updated, else published)
    source: str | None = None  # RSS <source>, Atom author, else the feed's title
    updated: str | None = None


class FeedError(ValueError):
    """The body is not a feed newsweave can read."""


def _iso(struct) -> str | None:
    if not struct:
        return None
    try:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", struct)
    except (TypeError, ValueError):
        return None


def parse_feed(body: bytes, base_url: str) -> tuple[str | None, list[Item], str | None]:
    """(the feed's title, its entries with a link, each URL once, and what was wrong with it if
    feedparser had to recover from malformed XML). Raises ``FeedError`` for a body that is no
    feed (HTML, malformed XML with no entries)."""
    with warnings.catch_warnings():  # feedparser's notice about its updated/published fallback
        warnings.simplefilter("ignore", DeprecationWarning)
        return _read(feedparser.parse(body), base_url)


def _read(parsed, base_url: str) -> tuple[str | None, list[Item], str | None]:
    if parsed.bozo and not parsed.entries:
        why = getattr(parsed, "bozo_exception", None)
        raise FeedError(f"not a readable feed: {type(why).__name__ if why else 'no entries'}"
                        + (f": {why}" if why else ""))
    if not parsed.entries and not parsed.feed.get("title"):
        raise FeedError("not a feed: no title and no entries")
    feed_title = parsed.feed.get("title") or None
    items: list[Item] = []
    seen: set[str] = set()
    for e in parsed.entries:
        link = e.get("link") or next((x.get("href") for x in e.get("links", []) if x.get("href")), None)
        if not link:
            continue
        url = absolute(base_url, link)
        if url in seen:
            continue  # a feed that lists an item twice
        seen.add(url)
        src = e.get("source", {}).get("title") if isinstance(e.get("source"), dict) else None
        src = src or e.get("author") or feed_title
        items.append(Item(url, e.get("title") or None,
                          _iso(e.get("published_parsed")) or _iso(e.get("updated_parsed")),
                          src, _iso(e.get("updated_parsed"))))
    flaw = None
    if parsed.bozo:
        why = getattr(parsed, "bozo_exception", None)
        flaw = f"malformed feed ({type(why).__name__ if why else 'bozo'}: {why}); " \
               f"{len(items)} entries with a link read anyway"
    return feed_title, items, flaw


def read_opml(path: str | Path) -> list[str]:
    """The feed URLs (``xmlUrl``) of an OPML file, in order, each once."""
    try:
        root = ET.parse(str(path)).getroot()
    except ET.ParseError as exc:
        raise FeedError(f"{path}: not OPML: {exc}") from exc
    urls = [o.get("xmlUrl") for o in root.iter("outline") if o.get("xmlUrl")]
    return list(dict.fromkeys(u.strip() for u in urls if u and u.strip()))


def is_sitemap(body: bytes) -> bool:
    head = body[:2000].lower()
    return b"<urlset" in head or b"<sitemapindex" in head


def parse_sitemap(body: bytes, base_url: str) -> tuple[list[Item], list[str]]:
    """(the pages of a sitemap, with <lastmod> or a news sitemap's publication date as their
    date; the sitemaps a sitemap index lists)."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise FeedError(f"not a readable sitemap: {exc}") from exc

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]
    pages, nested = [], []
    for el in root:
        kids = {local(k.tag): (k.text or "").strip() for k in el.iter()}
        if not kids.get("loc"):
            continue
        url = absolute(base_url, kids["loc"])
        if local(el.tag) == "sitemap":
            nested.append(url)
        else:
            date = kids.get("publication_date") or kids.get("lastmod") or None
            pages.append(Item(url, kids.get("title") or None, date, None, date))
    return list({i.url: i for i in pages}.values()), list(dict.fromkeys(nested))


def discover_feeds(html: str, base_url: str) -> list[str]:
    """Feed URLs a page announces (``<link rel="alternate" type="application/rss+xml">``, else
    links that look like feeds): trafilatura's feed finder, which parses and does not fetch."""
    from trafilatura.feeds import FeedParameters, determine_feed

    host = urlsplit(base_url).netloc
    return list(dict.fromkeys(determine_feed(html, FeedParameters(base_url, host, base_url))))


def seen_key(url: str) -> str:
    """The form of a URL that says whether it was seen: courlan's normalisation (lower-case host,
    no fragment, no tracking parameters such as utm_*), so one article under two links is
    fetched once."""
    from courlan import normalize_url

    try:
        return normalize_url(url, strict=True)
    except (ValueError, AttributeError):
        return url


def looks_like_feed(content_type: str, body: bytes) -> bool:
    """Whether a response is a feed rather than a page (by type, else by its first tag)."""
    ct = content_type.split(";")[0].strip().lower()
    if ct in FEED_TYPES[:4] or ct.endswith(("+xml", "/xml")):
        return True
    head = body[:500].lstrip().lower()
    return head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<rdf"))
