"""Alignment of one candidate pair: shared token runs, near-verbatim blocks and sentences.

1. Seeds: every k-gram (``align_k`` normalised tokens) the two articles share. Seeds on one
   diagonal (same offset between the articles) at consecutive positions form a maximal exact run.
2. Tiling: runs are taken longest first, each token used at most once on either side (greedy
   string tiling, Wise 1993), so a repeated phrase is not counted twice.
3. Blocks: runs that follow each other in both articles with gaps of at most ``max_gap`` tokens
   on each side merge into one block: a near-verbatim passage that survives a changed name or a
   swapped word ("their homes" / "their houses").
4. Sentences: sentence pairs that share a run are scored with rapidfuzz's partial ratio over
   token ids (word-level Indel similarity of the shorter sentence and its best window in the
   longer one); a high score means a near-verbatim sentence pair.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from .reuse_text import PreparedArticle


@dataclass(frozen=True)
class Run:
    """An exact run of normalised tokens: a[i:i+n] == b[j:j+n]."""

    i: int
    j: int
    n: int
    quoted: int  # tokens of the run inside quotation marks in either article


@dataclass(frozen=True)
class Block:
    """Runs in the same order in both articles, separated by small gaps."""

    runs: tuple[Run, ...]

    @property
    def i0(self) -> int:
        return self.runs[0].i

    @property
    def i1(self) -> int:
        return self.runs[-1].i + self.runs[-1].n

    @property
    def j0(self) -> int:
        return self.runs[0].j

    @property
    def j1(self) -> int:
        return self.runs[-1].j + self.runs[-1].n

    @property
    def matched(self) -> int:
        return sum(r.n for r in self.runs)

    @property
    def quoted(self) -> int:
        return sum(r.quoted for r in self.runs)


@dataclass(frozen=True)
class SentencePair:
    """A near-verbatim sentence: the shorter sentence against its best window in the other."""

    a: int  # sentence index in article a
    b: int
    score: float  # rapidfuzz partial ratio over token ids, 0..100
    quoted: float  # share of the matched tokens inside quotation marks (the higher side)
    words: int  # tokens in the shorter of the two sentences
    a_tokens: tuple[int, int]  # token range in article a (the whole sentence, or the window)
    b_tokens: tuple[int, int]


def seed_runs(
    a: PreparedArticle, b: PreparedArticle, k: int, max_repeat: int
) -> list[tuple[int, int, int]]:
    """Maximal exact runs (>= k tokens) of shared k-grams, before tiling: (i, j, n) tuples.

    A run never crosses a sentence break that only one article has: copied text keeps its
    sentence breaks, and a run that crosses one on one side only has picked up a chance word
    ("...the harbour. The" / "...the harbour," the"). Runs that stay in order across such a cut are
    merged back into one block later, so real copies lose nothing.
    """
    va, pa, _ = a.sorted_grams(k)
    vb, pb, cb = b.sorted_grams(k)
    if not len(va) or not len(vb):
        return []
    lo = np.searchsorted(va, vb, "left")
    hit = va[np.minimum(lo, len(va) - 1)] == vb
    if not hit.any():
        return []
    lo, vb, pb, cb = lo[hit], vb[hit], pb[hit], cb[hit]
    cnt = np.searchsorted(va, vb, "right") - lo
    # a k-gram repeated in either article pairs every occurrence, unless it is too common there
    sel = (cnt <= max_repeat) & (cb <= max_repeat)
    lo, cnt, j = lo[sel], cnt[sel], pb[sel]
    if (cnt == 1).all():
        i = pa[lo]
    else:
        offsets = np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        i = pa[np.repeat(lo, cnt) + offsets]
        j = np.repeat(j, cnt)
    if len(i) < _SMALL:
        return _runs_small(a, b, i.tolist(), j.tolist(), k)
    crosses = np.zeros(len(i), dtype=bool)
    for t in range(1, k):
        crosses |= a.brk[i + t] != b.brk[j + t]
    i, j = i[~crosses], j[~crosses]
    if not len(i):
        return []
    d = j - i
    order = np.lexsort((i, d))
    i, d = i[order], d[order]
    new_run = np.ones(len(i), dtype=bool)
    new_run[1:] = (d[1:] != d[:-1]) | (i[1:] != i[:-1] + 1)
    starts = np.flatnonzero(new_run)
    ends = np.empty_like(starts)
    ends[:-1], ends[-1] = starts[1:], len(i)
    n = ends - starts + k - 1
    return list(zip(i[starts].tolist(), (i[starts] + d[starts]).tolist(), n.tolist()))


# Below this many seeds a plain loop beats numpy's per-call overhead (most candidate pairs).
_SMALL = 48


def _runs_small(a: PreparedArticle, b: PreparedArticle, il: list[int], jl: list[int],
                k: int) -> list[tuple[int, int, int]]:
    """``seed_runs`` after the lookup, for a handful of seeds."""
    ba, bb = a.brk_bytes, b.brk_bytes
    seeds = sorted((j - i, i) for i, j in zip(il, jl)
                   if all(ba[i + t] == bb[j + t] for t in range(1, k)))
    runs: list[tuple[int, int, int]] = []
    prev_d = prev_i = None
    for d, i in seeds:
        if d == prev_d and i == prev_i + 1:
            si, sj, n = runs[-1]
            runs[-1] = (si, sj, n + 1)
        else:
            runs.append((i, i + d, k))
        prev_d, prev_i = d, i
    return runs


def _disjoint(spans: list[tuple[int, int]]) -> bool:
    """True when no two (start, length) spans overlap."""
    spans = sorted(spans)
    return all(s1 >= s0 + n0 for (s0, n0), (s1, _) in zip(spans, spans[1:]))


def tile(
    a: PreparedArticle, b: PreparedArticle, runs: list[tuple[int, int, int]], k: int
) -> list[Run]:
    """Greedy string tiling: longest runs first, no token used twice; returns runs sorted by i."""
    if len(runs) <= 1 or (_disjoint([(i, n) for i, _, n in runs])
                          and _disjoint([(j, n) for _, j, n in runs])):
        kept = runs
    else:
        free_a = np.ones(len(a), dtype=bool)
        free_b = np.ones(len(b), dtype=bool)
        kept = []
        for i, j, n in sorted(runs, key=lambda r: (-r[2], r[0], r[1])):
            ok = free_a[i : i + n] & free_b[j : j + n]
            if not ok.all():
                # keep the longest stretch that is still free on both sides
                s, n = _longest_true(ok.tolist())
                if n < k:
                    continue
                i, j = i + s, j + s
            free_a[i : i + n] = False
            free_b[j : j + n] = False
            kept.append((i, j, n))
    out = [Run(i, j, n, _quoted(a, b, i, j, n)) for i, j, n in kept]
    out.sort(key=lambda r: (r.i, r.j))
    return out


def _longest_true(flags: list[bool]) -> tuple[int, int]:
    """(start, length) of the longest run of True values."""
    best = (0, 0)
    start = None
    for x, flag in enumerate(flags + [False]):
        if flag and start is None:
            start = x
        elif not flag and start is not None:
            if x - start > best[1]:
                best = (start, x - start)
            start = None
    return best


def _quoted(a: PreparedArticle, b: PreparedArticle, i: int, j: int, n: int) -> int:
    """Tokens of a run inside quotation marks in either article."""
    qa, qb = int(a.qcum[i + n] - a.qcum[i]), int(b.qcum[j + n] - b.qcum[j])
    if qa == 0 or qa == n:
        return qb if qa == 0 else n
    if qb == 0 or qb == n:
        return qa if qb == 0 else n
    return int(np.count_nonzero(a.quoted[i : i + n] | b.quoted[j : j + n]))


def blocks(runs: list[Run], max_gap: int) -> list[Block]:
    """Merge runs (sorted by i) that follow each other in both articles with small gaps."""
    out: list[list[Run]] = []
    for r in runs:
        if out:
            last = out[-1][-1]
            gi, gj = r.i - (last.i + last.n), r.j - (last.j + last.n)
            if 0 <= gi <= max_gap and 0 <= gj <= max_gap:
                out[-1].append(r)
                continue
        out.append([r])
    return [Block(tuple(rs)) for rs in out]


def sentence_pairs(
    a: PreparedArticle, b: PreparedArticle, runs: list[Run], min_ratio: float, min_tokens: int
) -> list[SentencePair]:
    """Near-verbatim sentence pairs among those the runs touch, one-to-one, best first."""
    touched: set[tuple[int, int]] = set()
    for r in runs:
        first = int(a.sent[r.i])
        touched.add((first, int(b.sent[r.j])))
        if first != a.sent[r.i + r.n - 1]:
            # runs keep sentence breaks in step (seed_runs), so sentences pair up in order
            sa = a.sent[r.i : r.i + r.n]
            sb = b.sent[r.j : r.j + r.n]
            at = np.flatnonzero(sa[1:] != sa[:-1]) + 1
            touched.update(zip(sa[at].tolist(), sb[at].tolist()))
    scored: list[SentencePair] = []
    for x, y in touched:
        a0, a1 = a.sent_lo[x], a.sent_hi[x]
        b0, b1 = b.sent_lo[y], b.sent_hi[y]
        if min(a1 - a0, b1 - b0) < min_tokens:
            continue
        # the shorter sentence against its best window in the longer one, so a sentence the
        # splitter ran together with the next one (it does not break before ``) still lines up
        a_short = a1 - a0 <= b1 - b0
        ids_a, ids_b = a.ids[a0:a1].tolist(), b.ids[b0:b1].tolist()
        if a_short:
            al = fuzz.partial_ratio_alignment(ids_a, ids_b, score_cutoff=min_ratio)
        else:
            al = fuzz.partial_ratio_alignment(ids_b, ids_a, score_cutoff=min_ratio)
        if al is None:
            continue
        if a_short:
            ta, tb = (a0, a1), (b0 + al.dest_start, b0 + al.dest_end)
        else:
            ta, tb = (a0 + al.dest_start, a0 + al.dest_end), (b0, b1)
        q = max(a.quoted_share(*ta), b.quoted_share(*tb))
        scored.append(SentencePair(x, y, al.score, q, min(a1 - a0, b1 - b0), ta, tb))
    scored.sort(key=lambda p: (-p.score, p.a, p.b))
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for p in scored:
        if p.a in used_a or p.b in used_b:
            continue
        used_a.add(p.a)
        used_b.add(p.b)
        out.append(p)
    out.sort(key=lambda p: (p.a, p.b))
    return out
