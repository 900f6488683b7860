"""Train the sentence-pair model that decides whether one sentence restates another's claim
(``nlp/statements.py``, weights in ``src/newsweave/resources/statement_pairs.json``).

    python bench/train_statements.py            # train on ECB+ train topics, report dev, write weights
    python bench/train_statements.py --no-write # report only

Labelled data: ECB+ (../shared/data/ecbplus), the validated sentences of
``ECBplus_coreference_sentences.csv`` (sentence = 0-based line of a document's text). Two
sentences of different documents of one subtopic restate one claim (label 1) when they hold
mentions of one cross-document event chain (ACTION_* or NEG_ACTION_*, reporting events left out:
"said" joins sentences that say different things) and of one participant, place or time chain;
they are apart (label 0) when they share no event chain. Other pairs are left out. Standard
split (Cybulska & Vossen 2015, as in Barhom et al. 2019): dev topics 2 5 12 18 21 23 34 35, test
topics 36-45, train the rest; test topics are never read here. The decision threshold is the
one that maximises F0.5 (precision weighted twice recall: a fact shown as corroborated by a
source that does not say it is worse than a fact left out) on dev.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from newsweave.nlp.embed import Embedder  # noqa: E402
from newsweave.nlp.statements import PAIR_FEATURES, pair_features  # noqa: E402

SHARED = Path(os.environ.get("NEWSWEAVE_SHARED", ROOT.parent / "shared"))
OUT = ROOT / "src" / "newsweave" / "resources" / "statement_pairs.json"
DEV = {2, 5, 12, 18, 21, 23, 34, 35}
TEST = set(range(36, 46))
SEED = 7
MAX_NEG_PER_POS = 3


def load_sentences(shared: Path = SHARED, topics: set[int] | None = None):
    """(subtopic, doc_id, text, event chains, participant chains) per validated sentence."""
    data = shared / "data" / "ecbplus"
    valid = set()
    with (data / "ECBplus_coreference_sentences.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            valid.add((int(row["Topic"]), row["File"], int(row["Sentence Number"])))
    out = []
    with (data / "documents.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if topics is not None and d["topic"] not in topics:
                continue
            file = d["doc_id"].split("_", 1)[1]
            lines = d["text"].split("\n")
            starts = np.cumsum([0] + [len(x) + 1 for x in lines])
            for k, text in enumerate(lines):
                if (d["topic"], file, k) not in valid:
                    continue
                events, others = set(), set()
                for m in d["mentions"]:
                    if not (starts[k] <= m["start"] < starts[k + 1]):
                        continue
                    if m["chain_kind"] != "CROSS_DOC_COREF":
                        continue
                    kind = m["type"]
                    if "ACTION" in kind:
                        if "REPORTING" not in kind:
                            events.add(m["chain_id"])
                    else:
                        others.add(m["chain_id"])
                out.append((d["subtopic"], d["doc_id"], text, events, others))
    return out


def pairs(sentences, rng):
    """(i, j, label) over sentence indices, negatives sampled to at most MAX_NEG_PER_POS each."""
    by_sub = defaultdict(list)
    for i, s in enumerate(sentences):
        by_sub[s[0]].append(i)
    pos, neg = [], []
    for idx in by_sub.values():
        for i, j in combinations(idx, 2):
            a, b = sentences[i], sentences[j]
            if a[1] == b[1]:
                continue
            if a[3] & b[3]:
                if a[4] & b[4]:
                    pos.append((i, j, 1))
            elif a[3] and b[3]:
                neg.append((i, j, 0))
    rng.shuffle(neg)
    return pos + neg[:MAX_NEG_PER_POS * len(pos)]


def features(sentences, pair_list, embedder):
    texts = [s[2] for s in sentences]
    vecs = embedder.encode(texts)
    X, y = [], []
    for i, j, label in pair_list:
        cos = float(vecs[i] @ vecs[j])
        # both directions: the model is asked "does other restate statement" either way round
        X.append(pair_features(texts[i], texts[j], cos))
        y.append(label)
        X.append(pair_features(texts[j], texts[i], cos))
        y.append(label)
    return np.asarray(X), np.asarray(y)


def main() -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import precision_recall_fscore_support

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--shared", type=Path, default=SHARED)
    args = ap.parse_args()
    rng = np.random.default_rng(SEED)
    every = set(range(1, 46))
    train_s = load_sentences(args.shared, every - DEV - TEST)
    dev_s = load_sentences(args.shared, DEV)
    emb = Embedder()
    Xtr, ytr = features(train_s, pairs(train_s, rng), emb)
    Xdv, ydv = features(dev_s, pairs(dev_s, rng), emb)
    model = LogisticRegression(C=1.0, max_iter=1000, class_weight="balanced")
    model.fit(Xtr, ytr)
    pdv = model.predict_proba(Xdv)[:, 1]
    best = None
    for t in np.arange(0.3, 0.96, 0.01):
        p, r, f, _ = precision_recall_fscore_support(ydv, pdv >= t, beta=0.5, average="binary",
                                                     zero_division=0)
        if best is None or f > best[3]:
            best = (round(float(t), 2), p, r, f)
    t, p, r, f = best
    print(f"train pairs {len(ytr) // 2} ({int(ytr.sum()) // 2} positive), "
          f"dev pairs {len(ydv) // 2} ({int(ydv.sum()) // 2} positive)")
    print(f"dev at threshold {t}: precision {p:.3f} recall {r:.3f} F0.5 {f:.3f}")
    for name, w in zip(PAIR_FEATURES, model.coef_[0]):
        print(f"  {name:18s} {w:+.3f}")
    if not args.no_write:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps({
            "features": list(PAIR_FEATURES),
            "coef": [round(float(w), 6) for w in model.coef_[0]],
            "intercept": round(float(model.intercept_[0]), 6),
            "threshold": t,
            "trained_on": "ECB+ train topics (all but dev 2 5 12 18 21 23 34 35 and test 36-45), "
                          "validated sentences; threshold: best F0.5 on dev",
            "dev": {"precision": round(p, 3), "recall": round(r, 3), "f0.5": round(f, 3)},
            "script": "bench/train_statements.py",
        }, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
