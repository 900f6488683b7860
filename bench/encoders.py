"""Sentence encoders against the fp32 MiniLM: speed and fidelity on DUC 2004 sentences.

    python bench/encoders.py                  # 600 sentences, 2 rounds
    python bench/encoders.py --sentences 2000 --rounds 3

Each encoder (``nlp.embed.Embedder`` backends "minilm" and "minilm-int8") encodes the same
sentences of the DUC 2004 clusters, in turns, ``--rounds`` times (the machine is shared: compare
only figures of one run). Printed per encoder: seconds per round; each sentence's cosine with its
fp32 vector (mean, minimum); the correlation and mean absolute difference of 5,000 random pair
cosines against the fp32 ones. The int8 model file is built first if the cache lacks it (not
timed).
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from duc import SHARED, load_duc2004  # bench/ is on the path when run as a script

from newsweave.nlp import onnx_minilm
from newsweave.nlp.embed import Embedder


def sentences(n: int) -> list[str]:
    out = []
    for cluster in load_duc2004(None, SHARED):
        out += [t for a in cluster.articles for t in a.sentence_texts() if len(t.split()) > 3]
        if len(out) >= n:
            break
    return out[:n]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=600)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)
    texts = sentences(args.sentences)
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
          "mean abs diff |\n|---|---|---|---|")
    for name, v in vecs.items():
        self_cos = (ref * v).sum(axis=1)
        other = (v[i] * v[j]).sum(axis=1)
        print(f"| {name} | {', '.join(f'{s:.1f}' for s in seconds[name])} | "
              f"{self_cos.mean():.3f} / {self_cos.min():.3f} | "
              f"{np.corrcoef(pairs, other)[0, 1]:.3f}, {np.abs(pairs - other).mean():.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
