"""Rendered pages kept per store generation: a story page is built once per version of the
store and then served from memory (bench/load.py measures the difference)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class PageCache:
    """An LRU of rendered bodies keyed by (store generation, key). A new generation empties it."""

    def __init__(self, max_entries: int = 512):
        self.max_entries = max_entries
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()
        self._generation = -1
        self._lock = threading.Lock()

    def peek(self, generation: int, key: Hashable) -> bytes | None:
        """The cached body, or None; never builds (for the event loop's fast path)."""
        with self._lock:
            if generation != self._generation:
                return None
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def get(self, generation: int, key: Hashable, build: Callable[[], bytes | None]) -> bytes | None:
        """The cached body for ``key``, else ``build()`` (not cached when it returns None)."""
        with self._lock:
            if generation != self._generation:
                if generation < self._generation:
                    return build()  # a request that started before the store changed
                self._items.clear()
                self._generation = generation
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
                return hit
        body = build()
        if body is None:
            return None
        with self._lock:
            if generation == self._generation:
                self._items[key] = body
                if len(self._items) > self.max_entries:
                    self._items.popitem(last=False)
        return body
