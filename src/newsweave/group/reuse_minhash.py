"""Light copy detection for large streams: MinHash (datasketch) over word 5-gram shingles.

The full ``ReuseDetector`` aligns passages word by word; at 100,000 articles the light path only
asks which articles of a story are copies of each other (and so one source). Each article gets a
64-permutation MinHash of its lower-cased word 5-grams; two articles of a story whose estimated
Jaccard similarity reaches ``threshold`` are linked as ``copy`` with that estimate as ``share``
(no passages: the light path does not align). Small stories compare every pair of signatures;
stories over ``lsh_from`` members go through datasketch's ``MinHashLSH`` first.

Signatures depend only on the text, so they are kept (``signatures``, a dict the store fills and
saves) and an article is hashed once however often its story is revisited.

>>> linker = MinHashReuseLinker()
>>> corpus = linker.process(corpus)          # doctest: +SKIP
"""

from __future__ import annotations

import functools
import re
import zlib
from collections.abc import MutableMapping, Sequence

import numpy as np

from ..errors import ConfigError
from ..model import Article, Reuse, replace
from ..stage import Corpus, CorpusStage
from .reuse import source_groups

NUM_PERM = 64
SHINGLE = 5
# A syndicated copy with a changed headline or a cut ending keeps most of its 5-grams; two
# independent reports of one event share few (DUC 2004: same-cluster pairs that the full
# detector calls independent sit below 0.1). Checked on DUC 2004 in bench/scale.py --calibrate.
COPY_JACCARD = 0.3
LSH_FROM = 300

_WORD = re.compile(r"\w+", re.UNICODE)


def signature(text: str, num_perm: int = NUM_PERM, k: int = SHINGLE) -> np.ndarray:
    """The MinHash of ``text``'s lower-cased word ``k``-grams, as ``num_perm`` uint32 values.

    Each word is hashed once (crc32) and a k-gram's hash is a polynomial of its words' hashes,
    computed for all k-grams at once; the ``num_perm`` hash functions are multiply-shift
    (``(a * x + b) >> 32`` with random odd 64-bit ``a``, seeded), which needs no modulo and is
    about twice as fast as datasketch's own update. The values go into datasketch's
    ``LeanMinHash``/``MinHashLSH`` for large stories.
    """
    words = _WORD.findall(text.lower())
    if not words:
        return np.full(num_perm, _MAX_HASH, dtype=np.uint32)
    wh = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64,
                     count=len(words))
    k = min(k, len(wh))
    grams = np.zeros(len(wh) - k + 1, dtype=np.uint64)
    for j in range(k):  # uint64 arithmetic wraps; the low 32 bits are the k-gram's hash
        grams = grams * np.uint64(1_000_003) + wh[j:len(wh) - k + 1 + j]
    grams &= np.uint64(_MAX_HASH)
    a, b = _permutations(num_perm)
    return ((grams[:, None] * a + b) >> np.uint64(32)).min(axis=0).astype(np.uint32)


_MAX_HASH = (1 << 32) - 1


@functools.lru_cache(maxsize=4)
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    a = rng.integers(1, 1 << 63, size=num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 1 << 63, size=num_perm, dtype=np.uint64)
    return a, b


class MinHashReuseLinker(CorpusStage):
    """Copy links and source groups per story from MinHash signatures (the light path)."""

    name = "reuse"
    needs = frozenset({"stories"})
    adds = frozenset({"reuse", "source_groups"})

    def __init__(self, threshold: float = COPY_JACCARD, num_perm: int = NUM_PERM,
                 lsh_from: int = LSH_FROM,
                 signatures: MutableMapping[str, np.ndarray] | None = None):
        if not 0.0 < threshold <= 1.0:
            raise ConfigError(f"copy threshold {threshold!r} must lie in (0, 1], e.g. 0.3")
        self.threshold = threshold
        self.num_perm = num_perm
        self.lsh_from = lsh_from
        self.signatures: MutableMapping[str, np.ndarray] = {} if signatures is None else signatures
        self.new: dict[str, np.ndarray] = {}  # signatures computed since the last ``take_new``

    def signature_of(self, a: Article) -> np.ndarray:
        sig = self.signatures.get(a.id)
        if sig is None:
            sig = signature(a.text, self.num_perm)
            self.signatures[a.id] = sig
            self.new[a.id] = sig
        return sig

    def take_new(self) -> dict[str, np.ndarray]:
        out, self.new = self.new, {}
        return out

    def restore(self, stored, article_ids: Sequence[str]) -> None:
        """The stored signatures of the stored articles an incremental ingest revisits."""
        self.signatures = stored.minhashes(article_ids)

    def take_state(self) -> dict:
        """The signatures computed since the last call, for the store to keep."""
        return {"minhashes": self.take_new()}

    def links(self, arts: Sequence[Article]) -> list[Reuse]:
        arts = sorted(arts, key=lambda a: a.id)
        if len(arts) < 2:
            return []
        sigs = np.stack([self.signature_of(a) for a in arts])
        pairs = self._pairs(arts, sigs)
        out = []
        for i, j in pairs:
            share = float(np.mean(sigs[i] == sigs[j]))
            if share >= self.threshold:
                out.append(Reuse((arts[i].id, arts[j].id), "copy", round(share, 4), ()))
        return out

    def _pairs(self, arts, sigs) -> list[tuple[int, int]]:
        n = len(arts)
        if n <= self.lsh_from:
            out = []
            for i in range(n - 1):
                same = (sigs[i + 1:] == sigs[i]).mean(axis=1)
                out += [(i, i + 1 + int(j)) for j in np.nonzero(same >= self.threshold)[0]]
            return out
        from datasketch import LeanMinHash, MinHashLSH

        lsh = MinHashLSH(threshold=self.threshold, num_perm=self.num_perm)
        found = set()
        for i, a in enumerate(arts):
            m = LeanMinHash(seed=1, hashvalues=sigs[i].astype(np.uint64), scheme="legacy")
            for key in lsh.query(m):
                found.add((key, i))
            lsh.insert(i, m)
        return sorted(found)

    def process(self, corpus: Corpus) -> Corpus:
        by_id = {a.id: a for a in corpus.articles}
        stories = []
        for story in corpus.stories:
            arts = [by_id[i] for i in story.articles]
            links = self.links(arts)
            stories.append(replace(story, reuse=tuple(links),
                                   source_groups=source_groups(story.articles, links)))
        return replace(corpus, stories=tuple(stories))
