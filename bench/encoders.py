"""Sentence encoders against the fp32 MiniLM: speed and fidelity on DUC 2004 sentences.

    python bench/encoders.py                  # 600 sentences, 2 rounds
    python bench/encoders.py --sentences 2000 --rounds 3

Each encoder (``nlp.embed.Embedder`` backends "minilm" and "minilm-int8") encodes the same
sentences of the DUC 2004 clusters, in turns, ``--rounds`` times (the machine is shared: compare
only figures of one run). Printed per encoder: seconds per round; each sentence's cosine with its
fp32 vector (mean, minimum); the correlation and mean absolute difference of 5,000 random pair
cosines against the fp32 ones; and over every pair of sentences of one cluster (same-story pairs,
where the story stages' thresholds decide), the absolute difference from the fp32 cosine at the
99th and 99.9th percentiles and its maximum, for all such pairs and for those whose fp32 cosine is
0.5 or more (the range of the facts and citation thresholds); then, over every sentence and two
others of its cluster with fp32 cosines of 0.4 or more to it, the same for the difference of the
two cosines (which the facts aligner compares). Those maxima were the margins of the fp32
re-check cascade measured in bench/RESULTS.md (#23; removed: it was slower than fp32). The int8
model file is built first if the cache lacks it (not timed).
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from duc import SHARED, load_duc2004  # bench/ is on the path when run as a script

from newsweave.nlp import onnx_minilm
from newsweave.nlp.embed import Embedder


def sentences(n: int) -> tuple[list[str], np.ndarray]:
    """The first ``n`` sentences (over three words) of the DUC 2004 clusters, and each one's
    cluster number."""
    out: list[str] = []
    cluster_of: list[int] = []
    for k, cluster in enumerate(load_duc2004(None, SHARED)):
        found = [t for a in cluster.articles for t in a.sentence_texts() if len(t.split()) > 3]
        out += found
        cluster_of += [k] * len(found)
        if len(out) >= n:
            break
    return out[:n], np.array(cluster_of[:n])


def same_story_drift(ref: np.ndarray, vecs: np.ndarray, cluster_of: np.ndarray) -> str:
    """Absolute pair-cosine differences over the pairs of sentences of one cluster: p99, p99.9
    and max for all of them, then for those with an fp32 cosine of 0.5 or more, and the counts."""
    rows = []
    for k in np.unique(cluster_of):
        idx = np.flatnonzero(cluster_of == k)
        a, b = np.triu_indices(len(idx), 1)
        r = (ref[idx] @ ref[idx].T)[a, b]
        rows.append((r, np.abs(r - (vecs[idx] @ vecs[idx].T)[a, b])))
    ref_cos = np.concatenate([r for r, _ in rows])
    diff = np.concatenate([d for _, d in rows])
    close = diff[ref_cos >= 0.5]
    cells = []
    for d in (diff, close):
        cells.append(" / ".join(f"{x:.4f}" for x in (*np.quantile(d, [0.99, 0.999]), d.max()))
                     if len(d) else "-")
    return f"{cells[0]} ({len(diff):,}) | {cells[1]} ({len(close):,})"


def difference_drift(ref: np.ndarray, vecs: np.ndarray, cluster_of: np.ndarray,
                     floor: float = 0.4) -> str:
    """For each sentence s and two others a, b of its cluster with fp32 cosines of ``floor`` or
    more to s: |(cos(s, a) - cos(s, b)) - the same in fp32|, p99 / p99.9 / max (triples)."""
    diffs = []
    for k in np.unique(cluster_of):
        idx = np.flatnonzero(cluster_of == k)
        r, q = ref[idx] @ ref[idx].T, vecs[idx] @ vecs[idx].T
        for s in range(len(idx)):
            near = np.flatnonzero((r[s] >= floor) & (np.arange(len(idx)) != s))
            a, b = np.triu_indices(len(near), 1)
            a, b = near[a], near[b]
            diffs.append(np.abs((q[s, a] - q[s, b]) - (r[s, a] - r[s, b])))
    d = np.concatenate(diffs)
    return (" / ".join(f"{x:.4f}" for x in (*np.quantile(d, [0.99, 0.999]), d.max()))
            + f" ({len(d):,})") if len(d) else "-"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=600)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)
    texts, cluster_of = sentences(args.sentences)
    path = onnx_minilm.model_file()
    if not path.exists():
        t0 = time.perf_counter()
        onnx_minilm.build(path)
        print(f"built {path} in {time.perf_counter() - t0:.1f} s")
    encoders = {name: Embedder(name) for name in ("minilm", "minilm-int8")}
    for e in encoders.values():
        e.warm_up()
    seconds: dict[str, list[float]] = {name: [] for name in encoders}
    vecs = {}
    for _ in range(args.rounds):
        for name, e in encoders.items():
            t0 = time.perf_counter()
            vecs[name] = e.encode(texts)
            seconds[name].append(time.perf_counter() - t0)
    ref = vecs["minilm"]
    rng = np.random.default_rng(0)
    i, j = rng.integers(0, len(texts), 5000), rng.integers(0, len(texts), 5000)
    pairs = (ref[i] * ref[j]).sum(axis=1)
    print(f"{len(texts)} sentences, {args.rounds} rounds in turns")
    print("| encoder | seconds per round | self-cosine mean / min | pair-cosine correlation, "
          "mean abs diff | same-story pairs: abs diff p99 / p99.9 / max (pairs) | the same, fp32 "
          "cosine >= 0.5 |\n|---|---|---|---|---|---|")
    for name, v in vecs.items():
        self_cos = (ref * v).sum(axis=1)
        other = (v[i] * v[j]).sum(axis=1)
        print(f"| {name} | {', '.join(f'{s:.1f}' for s in seconds[name])} | "
              f"{self_cos.mean():.3f} / {self_cos.min():.3f} | "
              f"{np.corrcoef(pairs, other)[0, 1]:.3f}, {np.abs(pairs - other).mean():.3f} | "
              f"{same_story_drift(ref, v, cluster_of)} |")
    for name, v in vecs.items():
        print(f"{name}: difference of two same-story cosines sharing a sentence (fp32 >= 0.4), "
              f"abs diff p99 / p99.9 / max: {difference_drift(ref, v, cluster_of)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
