"""Store: the growing corpus in one SQLite file (WAL, FTS5)."""

from .db import Store

__all__ = ["Store"]
