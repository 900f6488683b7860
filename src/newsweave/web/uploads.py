"""Ingest through the web app: uploads are written to a temporary folder under safe names and
handed to ``newsweave.store.ingest`` (one ingest at a time; the pipeline is built on first use)."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from ..config import Config
from ..model import to_dict
from ..store import Store, ingest

SUFFIXES = {".txt", ".html", ".htm", ".jsonl", ".json"}


def safe_name(filename: str | None, taken: set[str]) -> str:
    """A plain file name for an upload: no folders, no leading dots, only [A-Za-z0-9._-]; the
    stem becomes the article id, so it stays as close to the given name as that allows."""
    base = re.split(r"[\\/]", filename or "")[-1]
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).lstrip(".") or "upload.txt"
    stem, dot, suffix = base.rpartition(".")
    if not dot or f".{suffix.lower()}" not in SUFFIXES:
        stem, suffix = base, "txt"
    name, n = f"{stem[:100]}.{suffix.lower()}", 1
    while name.lower() in taken:
        n += 1
        name = f"{stem[:100]}-{n}.{suffix.lower()}"
    taken.add(name.lower())
    return name


class Ingester:
    def __init__(self, store_path: str | Path, config: Config):
        self.store_path = str(store_path)
        self.config = config
        self._pipeline = None
        self._lock = threading.Lock()

    def __call__(self, folder: Path) -> dict:
        """Ingest every file in ``folder``; the result names inputs by their upload names."""
        with self._lock:
            if self._pipeline is None:
                from ..pipeline import Pipeline

                self._pipeline = Pipeline(config=self.config)
            prefix = str(folder) + "/"
            with Store(self.store_path) as store:
                res = ingest(store, [str(folder)], self._pipeline,
                             input_name=lambda path: "upload:" + path.replace(prefix, ""))
        return {"inputs": res.inputs, "added": list(res.added), "unchanged": list(res.unchanged),
                "versions": list(res.versions), "stories": res.stories,
                "problems": [to_dict(p) for p in res.problems]}
