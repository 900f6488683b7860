"""Candidate pairs for copy detection from a winnowed k-gram index, never from all pairs.

Each article keeps the winnowing fingerprints of its token k-grams (Schleimer, Wilkerson and Aiken,
"Winnowing: local algorithms for document fingerprinting", SIGMOD 2003): the smallest hash in every
window of ``window`` consecutive k-gram hashes. Any run of at least ``k + window - 1`` shared tokens
is then guaranteed to give both articles one shared fingerprint, while an article keeps only about
``2 / (window + 1)`` of its k-grams.

Fingerprints go into an inverted index (a sort of (hash, article) pairs). A fingerprint held by at
most ``max_df`` articles pairs every two of them. One held by more is either boilerplate or a text
syndicated to many outlets; pairing all of them would be quadratic, so each of its articles is
paired with the posting's first article only (a star), and such a star pair is kept only when it
recurs for ``star_min_shared`` fingerprints: a syndicated block repeats the same star for every
fingerprint, a common phrase ("said in a statement on") does not. Copy groups stay connected
through the star; the number of pairs stays linear in the posting size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .reuse_text import PreparedArticle


@dataclass(frozen=True)
class IndexStats:
    articles: int
    fingerprints: int  # (article, fingerprint) postings in the index
    distinct: int  # distinct fingerprints
    capped: int  # fingerprints held by more than max_df articles (paired as stars)
    pair_postings: int  # pairs generated from postings, before de-duplication
    candidates: int  # distinct article pairs handed to the aligner


def fingerprints(article: PreparedArticle, k: int, window: int) -> np.ndarray:
    """The article's winnowing fingerprints: sorted, unique uint64 hashes."""
    h = article.grams(k)
    if len(h) > window:
        h = sliding_window_view(h, window).min(axis=1)
    return np.unique(h)


def _all_pairs(docs: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> list[np.ndarray]:
    """Every pair (lower, higher) inside each posting list, grouped by list size (vectorised)."""
    out: list[np.ndarray] = []
    for m in np.unique(sizes):
        m = int(m)
        rows = docs[starts[sizes == m][:, None] + np.arange(m)[None, :]]  # (lists, m)
        p, q = np.triu_indices(m, 1)
        a, b = rows[:, p].ravel(), rows[:, q].ravel()
        out.append(np.minimum(a, b).astype(np.int64) << 32 | np.maximum(a, b).astype(np.int64))
    return out


def candidate_pairs(
    prepared: Sequence[PreparedArticle],
    k: int,
    window: int,
    max_df: int,
    min_shared: int,
    star_min_shared: int,
) -> tuple[np.ndarray, np.ndarray, IndexStats]:
    """Article index pairs (i < j) that share fingerprints, and how many they share.

    Returns ``(pairs, shared, stats)``: ``pairs`` is an (n, 2) int array sorted by (i, j).
    """
    fps = [fingerprints(a, k, window) for a in prepared]
    sizes = np.fromiter((len(f) for f in fps), dtype=np.int64, count=len(fps))
    empty = np.empty((0, 2), dtype=np.int64), np.empty(0, dtype=np.int64)
    if sizes.sum() == 0:
        return (*empty, IndexStats(len(prepared), 0, 0, 0, 0, 0))
    hashes = np.concatenate(fps)
    docs = np.repeat(np.arange(len(fps), dtype=np.int64), sizes)
    order = np.lexsort((docs, hashes))  # by hash, then by article: stable stars, sorted pairs
    hashes, docs = hashes[order], docs[order]
    bounds = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1], True])
    starts, df = bounds[:-1], np.diff(bounds)

    small = (df >= 2) & (df <= max_df)
    keys = _all_pairs(docs, starts[small], df[small])
    pair_postings = int(sum(len(x) for x in keys))
    chunks: list[tuple[np.ndarray, np.ndarray]] = []
    if keys:
        u, c = np.unique(np.concatenate(keys), return_counts=True)
        chunks.append((u, c))

    big = df > max_df
    if big.any():
        # star: every article of a long posting list paired with the list's first article
        members = np.concatenate([docs[s + 1 : s + n] for s, n in zip(starts[big], df[big])])
        centre = np.repeat(docs[starts[big]], df[big] - 1)
        pair_postings += len(members)
        keys = centre.astype(np.int64) << 32 | members.astype(np.int64)
        u, c = np.unique(keys, return_counts=True)
        keep = c >= star_min_shared
        chunks.append((u[keep], c[keep]))

    if not chunks:
        return (*empty, IndexStats(len(prepared), len(hashes), len(starts), int(big.sum()),
                                   pair_postings, 0))
    u = np.concatenate([x[0] for x in chunks])
    c = np.concatenate([x[1] for x in chunks])
    u, inv = np.unique(u, return_inverse=True)
    shared = np.bincount(inv, weights=c).astype(np.int64)
    keep = shared >= min_shared
    u, shared = u[keep], shared[keep]
    pairs = np.stack([u >> 32, u & 0xFFFFFFFF], axis=1)
    stats = IndexStats(len(prepared), len(hashes), len(starts), int(big.sum()), pair_postings,
                       len(pairs))
    return pairs, shared, stats
