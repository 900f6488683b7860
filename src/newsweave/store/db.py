"""The corpus store: one SQLite file (WAL mode) with articles, versions, stories, facts, copy links
and full-text search (FTS5).

Ingest is idempotent by content hash: the same article twice changes nothing, and an article whose
id (or URL) was seen with other text is stored as a new version linked to the earlier one. Every
write of a batch happens in one transaction, so a crash leaves the file as it was before the batch.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..errors import StoreError
from ..model import Article, Story, from_dict, replace, to_dict

SCHEMA_VERSION = 3  # 2: grouper state (story_state, member_state, grouper_meta, minhashes)
# 3: what `newsweave watch` has fetched (watch_feeds, watch_pages)

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    input TEXT NOT NULL,
    source TEXT, url TEXT, title TEXT,
    published TEXT, published_from TEXT, dateline TEXT, language TEXT,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    data TEXT NOT NULL,                 -- the article's report JSON (removed, sentences...)
    state TEXT,                         -- the whole Article, extraction included (JSON)
    version_of TEXT REFERENCES articles(id),
    version INTEGER NOT NULL DEFAULT 1,
    ingested_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_url ON articles(url);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE INDEX IF NOT EXISTS articles_version_of ON articles(version_of);
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    first_published TEXT, last_published TEXT,
    n_articles INTEGER NOT NULL, n_sources INTEGER NOT NULL,
    data TEXT NOT NULL,                 -- the story's report JSON (summary, facts, conflicts...)
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS story_articles (
    story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles(id),
    PRIMARY KEY (story_id, article_id)
);
CREATE INDEX IF NOT EXISTS story_articles_article ON story_articles(article_id);
CREATE TABLE IF NOT EXISTS facts (
    story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    statement TEXT NOT NULL, status TEXT NOT NULL, independent_sources INTEGER NOT NULL,
    support TEXT NOT NULL,
    PRIMARY KEY (story_id, n)
);
CREATE TABLE IF NOT EXISTS copy_links (
    story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    a TEXT NOT NULL, b TEXT NOT NULL, kind TEXT NOT NULL, share REAL NOT NULL,
    PRIMARY KEY (story_id, a, b)
);
CREATE TABLE IF NOT EXISTS story_events (
    at REAL NOT NULL, kind TEXT NOT NULL, story_id TEXT NOT NULL, other TEXT, article_id TEXT
);
-- Grouper state (schema 2): what an incremental ingest needs to place new articles without
-- re-clustering the corpus. One row per story (its centroid: the sum of its members' vectors),
-- per-member features where the grouper needs them (mode events), counters in grouper_meta.
CREATE TABLE IF NOT EXISTS grouper_meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS story_state (
    story_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, alive INTEGER NOT NULL, n INTEGER NOT NULL,
    first TEXT, last TEXT, merged_into TEXT, centroid BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS story_state_window ON story_state(alive, last);
CREATE TABLE IF NOT EXISTS member_state (
    article_id TEXT PRIMARY KEY, story_id TEXT NOT NULL, features BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS minhashes (article_id TEXT PRIMARY KEY, sig BLOB NOT NULL);
-- newsweave watch (schema 3): per feed, its validators (a 304 costs nothing) and last poll; per
-- page, the article it became, so an item seen before is never fetched again unless its feed
-- says it was updated. Written after the articles they name, in one transaction per feed.
CREATE TABLE IF NOT EXISTS watch_feeds (
    url TEXT PRIMARY KEY, title TEXT, etag TEXT, last_modified TEXT, polled_at REAL,
    status TEXT
);
CREATE TABLE IF NOT EXISTS watch_pages (
    url TEXT PRIMARY KEY, final_url TEXT, article_id TEXT, feed TEXT, updated TEXT, etag TEXT,
    last_modified TEXT, fetched_at REAL NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(title, text, content='articles',
    content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS facts_fts USING fts5(statement, story_id UNINDEXED,
    tokenize='unicode61 remove_diacritics 2');
"""


class Store:
    """``Store(path)`` opens (and creates) the corpus file.

    >>> with Store(":memory:") as st:  # doctest: +SKIP
    ...     st.add_articles(report.articles)
    """

    def __init__(self, path: str | Path):
        self.path = str(path)
        try:
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {self.path!r}: {exc}") from exc
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA foreign_keys = ON")
        if self.path != ":memory:":
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
        self._migrate()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"store {self.path!r} has schema {version}, newer than this newsweave "
                             f"({SCHEMA_VERSION}): upgrade newsweave")
        if version < SCHEMA_VERSION:
            with self.transaction():
                for stmt in SCHEMA.split(";\n"):
                    if stmt.strip():
                        self.db.execute(stmt)
                self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def transaction(self):
        return _Transaction(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- articles ----------------------------------------------------------------------------

    def add_articles(self, articles: Iterable[Article]) -> dict[str, list[str]]:
        """Store new articles; return ids by outcome: ``added``, ``unchanged``, ``versions``.

        An article whose content hash is stored already is ``unchanged`` (whatever its id). One
        whose id or URL is stored with other text becomes ``<id>@v<n>``, linked by ``version_of``.
        """
        out: dict[str, list[str]] = {"added": [], "unchanged": [], "versions": []}
        now = time.time()
        with self.transaction():
            for a in articles:
                if self.db.execute("SELECT 1 FROM articles WHERE content_hash = ?",
                                   (a.content_hash,)).fetchone():
                    out["unchanged"].append(a.id)
                    continue
                # Three indexed look-ups, not one OR (which SQLite answers with a full scan).
                prev = max((r for r in (
                    self.db.execute("SELECT id, version FROM articles WHERE id = ?",
                                    (a.id,)).fetchone(),
                    self.db.execute("SELECT id, version FROM articles WHERE url = ? ORDER BY "
                                    "version DESC LIMIT 1", (a.url,)).fetchone() if a.url else None,
                    self.db.execute("SELECT id, version FROM articles WHERE version_of = ? ORDER BY "
                                    "version DESC LIMIT 1", (a.id,)).fetchone()) if r is not None),
                           key=lambda r: r["version"], default=None)
                aid, version, version_of = a.id, 1, None
                if prev is not None:
                    version = prev["version"] + 1
                    root = self.db.execute("SELECT COALESCE(version_of, id) FROM articles WHERE id = ?",
                                           (prev["id"],)).fetchone()[0]
                    version_of, aid = root, f"{root}@v{version}"
                    out["versions"].append(aid)
                else:
                    out["added"].append(aid)
                data = to_dict(a)
                data["id"] = aid
                cur = self.db.execute(
                    "INSERT INTO articles (id, input, source, url, title, published, published_from, "
                    "dateline, language, text, content_hash, data, state, version_of, version, "
                    "ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (aid, a.input, a.source, a.url, a.title, a.published, a.published_from,
                     a.dateline, a.language, a.text, a.content_hash, json.dumps(data),
                     json.dumps(to_dict(replace(a, id=aid), private=True)), version_of, version, now))
                self.db.execute("INSERT INTO articles_fts (rowid, title, text) VALUES (?,?,?)",
                                (cur.lastrowid, a.title or "", a.text))
        return out

    def load_articles(self, ids: Sequence[str] | None = None) -> list[Article]:
        """The stored Article objects (all, or those with ``ids``), in id order."""
        if ids is None:
            rows = self.db.execute("SELECT state FROM articles WHERE state IS NOT NULL ORDER BY id")
            return [from_dict(Article, json.loads(r[0])) for r in rows]
        out = []
        for chunk in _chunks(sorted(set(ids)), 500):
            rows = self.db.execute(
                f"SELECT state FROM articles WHERE id IN ({','.join('?' * len(chunk))}) "
                "AND state IS NOT NULL ORDER BY id", chunk)
            out += [from_dict(Article, json.loads(r[0])) for r in rows]
        return out

    def article(self, article_id: str) -> dict | None:
        row = self.db.execute("SELECT data, version_of, version FROM articles WHERE id = ?",
                              (article_id,)).fetchone()
        if row is None:
            return None
        data = json.loads(row["data"])
        data.update(version_of=row["version_of"], version=row["version"])
        return data

    def count(self, table: str) -> int:
        if table not in {"articles", "stories", "facts", "copy_links", "story_articles",
                         "story_events", "story_state", "member_state", "minhashes"}:
            raise StoreError(f"no table {table!r}")
        return self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    # --- stories -----------------------------------------------------------------------------

    def put_stories(self, stories: Sequence[Story], events: Sequence[tuple] = ()) -> None:
        """Write (or rewrite) stories with their facts and copy links, in one transaction."""
        with self.transaction():
            self._write_stories(stories, events)

    def _write_stories(self, stories: Sequence[Story], events: Sequence[tuple] = ()) -> None:
        now = time.time()
        for s in stories:
            dates = [r[0] for r in self.db.execute(
                f"SELECT published FROM articles WHERE id IN ({','.join('?' * len(s.articles))}) "
                "AND published IS NOT NULL ORDER BY published", s.articles)]
            self._delete_story(s.id)
            self.db.execute(
                "INSERT INTO stories (id, title, first_published, last_published, n_articles, "
                "n_sources, data, updated_at) VALUES (?,?,?,?,?,?,?,?)",
                (s.id, s.title, dates[0] if dates else None, dates[-1] if dates else None,
                 len(s.articles), len(s.source_groups) or len(s.articles),
                 json.dumps(to_dict(s)), now))
            self.db.executemany("INSERT INTO story_articles VALUES (?, ?)",
                                [(s.id, a) for a in s.articles])
            self.db.executemany(
                "INSERT INTO facts VALUES (?,?,?,?,?,?)",
                [(s.id, n, f.statement, f.status, f.independent_sources,
                  json.dumps(to_dict(f.support))) for n, f in enumerate(s.facts)])
            self.db.executemany("INSERT INTO facts_fts (statement, story_id) VALUES (?, ?)",
                                [(f.statement, s.id) for f in s.facts])
            self.db.executemany(
                "INSERT OR REPLACE INTO copy_links VALUES (?,?,?,?,?)",
                [(s.id, r.articles[0], r.articles[1], r.kind, r.share) for r in s.reuse])
        self.db.executemany("INSERT INTO story_events VALUES (?,?,?,?,?)",
                            [(now, *e) for e in events])

    def _delete_story(self, story_id: str) -> None:
        """A story and what hangs on it (articles links, facts, copy links: ON DELETE CASCADE)."""
        self.db.execute("DELETE FROM facts_fts WHERE story_id = ?", (story_id,))
        self.db.execute("DELETE FROM stories WHERE id = ?", (story_id,))

    def commit_grouping(self, stories: Sequence[Story], retired: Sequence[str] = (),
                        events: Sequence[tuple] = (), state: Sequence[tuple] = (),
                        members: Sequence[tuple] = (), meta: dict[str, bytes] | None = None,
                        minhashes: dict | None = None) -> None:
        """One incremental grouping step, all in one transaction: the stories it touched (rewritten),
        the stories merged away (removed), the grouper's state rows and counters, the events."""
        with self.transaction():
            for sid in retired:
                self._delete_story(sid)
            self._write_stories(stories, events)
            self.db.executemany("INSERT OR REPLACE INTO story_state VALUES (?,?,?,?,?,?,?,?)",
                                state)
            self.db.executemany("INSERT OR REPLACE INTO member_state VALUES (?,?,?)", members)
            self.db.executemany("INSERT OR REPLACE INTO grouper_meta VALUES (?,?)",
                                list((meta or {}).items()))
            self.db.executemany("INSERT OR REPLACE INTO minhashes VALUES (?,?)",
                                [(k, v.tobytes()) for k, v in (minhashes or {}).items()])

    # --- grouper state -----------------------------------------------------------------------

    def pending_ids(self) -> list[str]:
        """Stored articles no story holds yet (a batch stored but not grouped, e.g. after a crash),
        in (published, id) order, the order the groupers take them in."""
        rows = self.db.execute(
            "SELECT a.id FROM articles a LEFT JOIN story_articles sa ON sa.article_id = a.id "
            "WHERE sa.article_id IS NULL AND a.state IS NOT NULL "
            "ORDER BY COALESCE(a.published, '9999'), a.id")
        return [r[0] for r in rows]

    def grouper_meta(self) -> dict[str, bytes]:
        return {r[0]: bytes(r[1]) for r in self.db.execute("SELECT key, value FROM grouper_meta")}

    def story_state(self, since: str | None = None, everything: bool = False) -> list[tuple]:
        """State rows of live stories whose last date is ``since`` or later (or undated), and of
        every merged-away story (so ids are never reused); all rows with ``everything``."""
        if everything or since is None:
            rows = self.db.execute("SELECT * FROM story_state")
        else:
            rows = self.db.execute(
                "SELECT * FROM story_state WHERE (alive = 1 AND (last IS NULL OR last >= ?)) "
                "OR merged_into IS NOT NULL", (since,))
        return [tuple(r) for r in rows]

    def member_state(self, story_ids: Sequence[str] | None = None) -> list[tuple]:
        if story_ids is None:
            return [tuple(r) for r in self.db.execute("SELECT * FROM member_state")]
        out = []
        for chunk in _chunks(list(story_ids), 500):
            out += [tuple(r) for r in self.db.execute(
                f"SELECT * FROM member_state WHERE story_id IN ({','.join('?' * len(chunk))})",
                chunk)]
        return out

    def story_members(self, story_ids: Sequence[str]) -> dict[str, list[str]]:
        """Story id -> its article ids as stored."""
        out: dict[str, list[str]] = {}
        for chunk in _chunks(list(story_ids), 500):
            for sid, aid in self.db.execute(
                    "SELECT story_id, article_id FROM story_articles WHERE story_id IN "
                    f"({','.join('?' * len(chunk))}) ORDER BY rowid", chunk):
                out.setdefault(sid, []).append(aid)
        return out

    def minhashes(self, ids: Sequence[str]) -> dict:
        import numpy as np

        out = {}
        for chunk in _chunks(list(ids), 500):
            for aid, sig in self.db.execute(
                    f"SELECT article_id, sig FROM minhashes WHERE article_id IN "
                    f"({','.join('?' * len(chunk))})", chunk):
                out[aid] = np.frombuffer(sig, dtype=np.uint32)
        return out

    def load_thin(self, ids: Sequence[str], chars: int = 1500) -> list[Article]:
        """Articles without their extraction (id, title, dates, source, the text's first
        ``chars`` characters): what the light path needs of the old members of a story."""
        out = []
        for chunk in _chunks(list(ids), 500):
            for r in self.db.execute(
                    "SELECT id, input, source, url, title, published, substr(text, 1, ?), "
                    f"content_hash FROM articles WHERE id IN ({','.join('?' * len(chunk))})",
                    [chars, *chunk]):
                out.append(Article(id=r[0], input=r[1], source=r[2], url=r[3], title=r[4],
                                   published=r[5], text=r[6], content_hash=r[7]))
        return out

    def replace_stories(self, stories: Sequence[Story], events: Sequence[tuple] = ()) -> None:
        """Make ``stories`` the store's whole set of stories (others are removed)."""
        keep = {s.id for s in stories}
        with self.transaction():
            for (sid,) in self.db.execute("SELECT id FROM stories").fetchall():
                if sid not in keep:
                    self._delete_story(sid)
            self._write_stories(stories, events)

    def stories(self, order: str = "newest", limit: int = 50) -> list[dict]:
        """Stories, newest first (``newest``) or with the most independent sources (``sources``)."""
        key = {"newest": "last_published DESC, updated_at DESC",
               "sources": "n_sources DESC, last_published DESC"}.get(order)
        if key is None:
            raise StoreError(f"unknown order {order!r}: use 'newest' or 'sources'")
        rows = self.db.execute(
            f"SELECT id, title, first_published, last_published, n_articles, n_sources FROM stories "
            f"ORDER BY {key} LIMIT ?", (limit,))
        return [dict(r) for r in rows]

    def story(self, story_id: str) -> dict | None:
        row = self.db.execute("SELECT data FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            row = self.db.execute("SELECT data FROM stories WHERE id LIKE ? LIMIT 2",
                                  (story_id + "%",)).fetchall()
            row = row[0] if len(row) == 1 else None
        return json.loads(row["data"]) if row else None

    def watch_row(self, table: str, url: str) -> dict | None:
        """The ``watch_feeds`` or ``watch_pages`` row of ``url`` (newsweave watch), as a dict."""
        if table not in ("watch_feeds", "watch_pages"):
            raise ValueError(table)
        row = self.db.execute(f"SELECT * FROM {table} WHERE url = ?", (url,)).fetchone()
        return dict(row) if row is not None else None

    def put_watch_rows(self, feeds: Sequence[dict], pages: Sequence[dict]) -> None:
        """Record fetched feeds and pages (one transaction)."""
        with self.transaction():
            for f in feeds:
                self.db.execute(
                    "INSERT OR REPLACE INTO watch_feeds (url, title, etag, last_modified, "
                    "polled_at, status) VALUES (:url, :title, :etag, :last_modified, :polled_at, "
                    ":status)", f)
            for p in pages:
                self.db.execute(
                    "INSERT OR REPLACE INTO watch_pages (url, final_url, article_id, feed, "
                    "updated, etag, last_modified, fetched_at) VALUES (:url, :final_url, "
                    ":article_id, :feed, :updated, :etag, :last_modified, :fetched_at)", p)

    def search(self, query: str, limit: int = 20) -> list[dict]:
        """Full-text search over articles and facts; FTS5 syntax, plain words work as AND."""
        q = _fts_query(query)
        out = []
        for r in self.db.execute(
                "SELECT a.id, a.title, a.published, snippet(articles_fts, 1, '[', ']', '…', 12) AS snip "
                "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
                "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?", (q, limit)):
            out.append({"kind": "article", "id": r["id"], "title": r["title"],
                        "published": r["published"], "snippet": r["snip"]})
        for r in self.db.execute(
                "SELECT story_id, statement FROM facts_fts WHERE facts_fts MATCH ? ORDER BY rank "
                "LIMIT ?", (q, limit)):
            out.append({"kind": "fact", "id": r["story_id"], "snippet": r["statement"]})
        return out


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _fts_query(query: str) -> str:
    """Quote each word so user text never breaks FTS5 syntax ('Al-Kadhimi', 'U.N.'); NUL bytes
    (which end an SQLite string) and lone surrogates (no UTF-8 for them) are dropped."""
    query = "".join(ch for ch in query if ch != "\x00" and not "\ud800" <= ch <= "\udfff")
    words = [w.replace('"', '""') for w in query.split() if w.strip()]
    return " ".join(f'"{w}"' for w in words) or '""'


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, exc, tb):
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
        return False
