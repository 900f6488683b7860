"""Store: the growing corpus in one SQLite file (WAL, FTS5)."""

from .db import Store
from .ingest import IngestResult, ingest

__all__ = ["IngestResult", "Store", "ingest"]
