"""Read-only access to the store for the web app.

GET requests never write: each worker thread gets its own read-only SQLite connection (SQLite
connections are not to be shared between threads), reusing ``Store``'s queries. A separate
connection watches ``PRAGMA data_version``, which changes whenever another connection commits
(an ingest through the API, or ``newsweave ingest`` in another process), so cached pages are
dropped as soon as the store changes.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from ..errors import StoreError
from ..store import Store


class ReadOnlyStore(Store):
    """``Store``'s read queries over a read-only connection (no migration, no writes)."""

    def __init__(self, path: str | Path):  # not Store.__init__, which migrates (writes)
        self.path = str(path)
        try:
            self.db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True,
                                      timeout=30)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {self.path!r} read-only: {exc}") from exc
        self.db.row_factory = sqlite3.Row

    def stories_of(self, article_id: str) -> list[dict]:
        """The stories an article belongs to (id, title)."""
        rows = self.db.execute(
            "SELECT s.id, s.title FROM story_articles sa JOIN stories s ON s.id = sa.story_id "
            "WHERE sa.article_id = ? ORDER BY s.last_published DESC", (article_id,))
        return [dict(r) for r in rows]

    def counts(self) -> dict[str, int]:
        return {t: self.count(t) for t in ("stories", "articles")}


class Reader:
    """Hands each thread its own ``ReadOnlyStore``; ``generation()`` goes up when the store
    changed since it was last asked."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.exists():
            raise StoreError(f"no store at {str(path)!r}; create one with: newsweave ingest PATH "
                             f"--db {path}")
        self._local = threading.local()
        self._lock = threading.Lock()
        self._watch = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                      check_same_thread=False)  # used under self._lock only
        self._version = self._data_version()
        self._generation = 0

    def _data_version(self) -> int:
        return self._watch.execute("PRAGMA data_version").fetchone()[0]

    def store(self) -> ReadOnlyStore:
        st = getattr(self._local, "store", None)
        if st is None:
            st = self._local.store = ReadOnlyStore(self.path)
        return st

    def generation(self) -> int:
        with self._lock:
            version = self._data_version()
            if version != self._version:
                self._version, self._generation = version, self._generation + 1
            return self._generation
