"""Citations: every article that states a summary sentence's claim, each by its exact span.

Where cross-checking aligned the sentence into facts, the facts' support gives the other articles'
sentences; otherwise (or in addition) each other article's closest sentence is cited when it says
the same: a MiniLM cosine of at least ``COSINE`` or content-word overlap of at least ``OVERLAP``
(with a cosine of at least ``OVERLAP_COSINE`` so that shared names alone do not count). The same
test checks the fact-support spans, since a sentence that packs several claims can share a fact
with sentences that state a different part of it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..model import Article, Fact, Span
from .candidates import Candidate
from .concepts import content_tokens

# MiniLM cosines of paraphrases in news sit around 0.7-0.9 and same-story sentences that say
# different things around 0.3-0.7 (the same reading as crosscheck/facts.py). 0.75, not 0.7: on
# the seed story a sentence sharing only "assassination attempt on Al-Kadhimi" scored 0.72 against
# "Al-Kadhimi survived an assassination attempt after drones ... targetted his home", and true
# restatements scored 0.77-0.87 (read by hand; below 0.75 the overlap test below must agree).
# Token overlap 0.5 is the brief's automatic support test.
COSINE = 0.75
OVERLAP = 0.5
OVERLAP_COSINE = 0.5
# Other articles' sentences sharing less than this much are not worth embedding.
PREFILTER = 0.3


def _share(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a) if a else 0.0


def sentence_spans(article: Article) -> list[Span]:
    return [article.span(s.start, s.end) for s in article.sentences]


class Citer:
    """Find the supporting spans of chosen sentences. ``encode``: texts -> unit vectors."""

    def __init__(self, encode: Callable[[Sequence[str]], np.ndarray] | None):
        self.encode = encode

    def cite(self, chosen: Sequence[Candidate], articles: Sequence[Article],
             facts: Sequence[Fact] = ()) -> list[tuple[Span, ...]]:
        by_id = {a.id: a for a in articles}
        sentences = [(sp, set(content_tokens(sp.text))) for a in articles for sp in sentence_spans(a)]
        pools: list[list[Span]] = []
        for c in chosen:
            pool: dict[tuple[str, int, int], Span] = {}
            for f in facts:
                if any(sp.article == c.article and sp.start < c.end and c.start < sp.end
                       for sp in f.support):
                    for sp in f.support:
                        if sp.article != c.article and sp.article in by_id:
                            pool[(sp.article, sp.start, sp.end)] = sp
            words = set(content_tokens(c.text))
            for sp, other in sentences:
                if sp.article != c.article and (_share(words, other) >= PREFILTER
                                                or _share(other, words) >= 0.6):
                    pool[(sp.article, sp.start, sp.end)] = sp
            pools.append(list(pool.values()))
        texts = [c.text for c in chosen] + [sp.text for pool in pools for sp in pool]
        vecs = self.encode(texts) if self.encode and texts else None
        out = []
        k = len(chosen)
        for n, (c, pool) in enumerate(zip(chosen, pools)):
            own = Span(c.article, c.start, c.end, by_id[c.article].text[c.start:c.end])
            best: dict[str, tuple[float, Span]] = {}
            words = set(content_tokens(c.text))
            for sp in pool:
                cos = float(vecs[n] @ vecs[k]) if vecs is not None else 0.0
                k += 1
                lex = _share(words, set(content_tokens(sp.text)))
                if vecs is None:
                    ok = lex >= OVERLAP
                else:
                    ok = cos >= COSINE or (lex >= OVERLAP and cos >= OVERLAP_COSINE)
                if not ok:
                    continue
                score = max(cos, lex)
                if sp.article not in best or score > best[sp.article][0]:
                    best[sp.article] = (score, sp)
            order = {a.id: i for i, a in enumerate(articles)}
            others = sorted((sp for _, sp in best.values()), key=lambda s: (order[s.article], s.start))
            out.append((own, *others))
        return out
