"""Train the claim matcher on ECB+ train topics; choose its features and threshold on dev.

    python bench/train_matcher.py              # writes src/newsweave/resources/claim_matcher.json
    python bench/train_matcher.py --search     # the dev comparison of feature sets (writes nothing)
    python bench/train_matcher.py --cache DIR  # keep parsed, embedded mentions in DIR between runs

Training pairs: every pair of event mentions (validated sentences, see bench/coref.py) within
one ECB+ train topic that passes the matcher's block (same lemma, or trigger cosine at
``BLOCK_COS`` or above): the pairs it will score at run time. Label: same
gold chain. Both halves of a topic are in one pool, so the model sees the hard negatives (same
kind of event, other instance) that a merged story brings. Model: standardised features,
scikit-learn ``LogisticRegression`` (lbfgs, balanced class weights, no random state involved), so
the weights are the same on every run over the same data and libraries.

Dev (topics 2, 5, 12, 18, 21, 23, 34, 35) chooses the feature set, C and the clustering
threshold, by CoNLL F1 with documents grouped by newsweave's ``StoryGrouping``, exactly as
bench/coref.py scores. Test topics are never read here.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import coref  # noqa: E402  (bench/coref.py: data, stories, scores)

from newsweave.crosscheck.matcher import (  # noqa: E402
    ClaimMatcher,
    average_link,
    pair_features,
)

OUT = coref.ROOT / "src" / "newsweave" / "resources" / "claim_matcher.json"
# The block: a pair is scored when its lemmas agree or its trigger words' MiniLM cosine is at
# BLOCK_COS or above. Chosen on dev (pairs scored / CoNLL F1, one model trained on the wider block
# below): 0.4: 14,414 / 76.7; 0.5: 7,022 / 76.6; 0.6: 5,488 / 76.3. A shared name, number or time
# as a further key scored 42,335 pairs (71% of all in the stories) for 76.5, so it is off;
# trained and tuned on the block as shipped, the matcher gets 76.3.
BLOCK_COS = 0.5
BLOCK_ARGUMENTS = False
THRESHOLDS = tuple(round(x, 3) for x in np.arange(0.10, 0.951, 0.025))
CS = (0.1, 1.0)  # C = 0.1 and 1 gave the same dev figures for every set

BASE = ("same_lemma", "lemma_prefix", "trigger_cos", "window_cos", "sentence_cos",
        "entity_jaccard", "entity_both", "number_jaccard", "number_both", "time_jaccard",
        "time_both", "negation_agree", "same_article", "same_sentence")
# Candidate feature sets compared on dev (--search); CHOSEN is the simplest of the best there
# (dev CoNLL F1 over predicted stories, either C: brief 74.7, base 76.3, base+products 76.4,
# base+context 75.9, base+arguments 76.3).
CANDIDATES = {
    "brief": ("same_lemma", "trigger_cos", "sentence_cos", "entity_jaccard", "number_jaccard",
              "time_jaccard", "negation_agree", "same_article"),
    "base": BASE,
    "base+products": BASE + ("trigger_cos*sentence_cos", "same_lemma*sentence_cos",
                             "same_lemma*window_cos", "trigger_cos*window_cos",
                             "same_lemma*same_article", "sentence_cos*same_article",
                             "same_lemma*entity_jaccard", "same_lemma*time_jaccard"),
    "base+context": BASE + ("context_cos",),
    "base+arguments": BASE + ("argument_jaccard", "argument_both"),
}
CHOSEN = "base"
CHOSEN_C = 1.0


def blank_spec(features=BASE) -> dict:
    """A matcher spec with no trained weights (for encoding and blocking only)."""
    return {"features": list(features), "coefficients": [0.0] * len(features), "intercept": 0.0,
            "threshold": 0.5,
            "block": {"trigger_cos": BLOCK_COS, "shared_argument": BLOCK_ARGUMENTS}}


def prepare(split: str, matcher: ClaimMatcher, cache: Path | None) -> dict:
    """Mentions, items with vectors, gold chains, topics and predicted stories of ``split``."""
    path = cache / f"ecb_{split}.pkl" if cache else None
    if path is not None and path.exists():
        with path.open("rb") as fh:
            return pickle.load(fh)
    docs, mentions = coref.load("ecb", split)
    data = {"mentions": mentions,
            "items": coref.build_items(docs, mentions, matcher),
            "gold": [m.chain for m in mentions],
            "topic": {d.id: int(d.id.split("_")[0]) for d in docs},
            "subtopic": {d.id: d.subtopic for d in docs},
            "stories": coref.predicted_stories(docs) if split != "train" else {}}
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            pickle.dump(data, fh)
    return data


def training_pairs(data: dict, matcher: ClaimMatcher, names) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of the blocked pairs within each train topic."""
    by_topic = defaultdict(list)
    for i, m in enumerate(data["mentions"]):
        by_topic[data["topic"][m.doc]].append(i)
    X, y = [], []
    items, gold = data["items"], data["gold"]
    for t in sorted(by_topic):
        idx = by_topic[t]
        for a, b in matcher.candidate_pairs([items[i] for i in idx]):
            i, j = idx[a], idx[b]
            X.append(pair_features(names, items[i], items[j]))
            y.append(gold[i] == gold[j])
    return np.array(X), np.array(y, dtype=int)


def fit(X: np.ndarray, y: np.ndarray, C: float) -> dict:
    from sklearn.linear_model import LogisticRegression

    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
    lr.fit((X - mean) / scale, y)
    return {"coefficients": lr.coef_[0].tolist(), "intercept": float(lr.intercept_[0]),
            "mean": mean.tolist(), "scale": scale.tolist()}


def dev_curve(data: dict, matcher: ClaimMatcher, grouping: dict[str, str],
              thresholds=THRESHOLDS) -> dict[float, dict]:
    """Dev figures at each threshold (pairs scored once, clustering redone per threshold)."""
    items, gold = data["items"], data["gold"]
    groups = coref.blocks(data["mentions"], grouping)
    scored = []
    for g, idx in groups.items():
        sub = [items[i] for i in idx]
        pairs = matcher.candidate_pairs(sub)
        probs = matcher.probability_of(np.stack([matcher.features(sub[a], sub[b])
                                                 for a, b in pairs])) if pairs else []
        scored.append((g, idx, pairs, probs))
    out = {}
    for th in thresholds:
        labels = [""] * len(items)
        for g, idx, pairs, probs in scored:
            for i, lab in zip(idx, average_link(len(idx), pairs, probs, th)):
                labels[i] = f"{g}/{lab}"
        out[th] = coref.score(gold, labels)
    out["pairs"] = sum(len(p) for _, _, p, _ in scored)
    return out


def best(curve: dict) -> tuple[float, dict]:
    th = max((k for k in curve if k != "pairs"), key=lambda k: curve[k]["conll"])
    return th, curve[th]


def train(names, C: float, train_data: dict, blank: ClaimMatcher) -> tuple[dict, int, int]:
    X, y = training_pairs(train_data, blank, names)
    spec = blank_spec(names)
    spec.update(fit(X, y, C))
    return spec, len(y), int(y.sum())


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--search", action="store_true", help="compare feature sets and C on dev")
    ap.add_argument("--cache", type=Path, default=None, help="folder for parsed mentions")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    blank = ClaimMatcher(blank_spec())
    tr, dev = prepare("train", blank, args.cache), prepare("dev", blank, args.cache)
    print(f"train: {len(tr['items'])} mentions, dev: {len(dev['items'])} mentions "
          f"({time.perf_counter() - t0:.0f} s to prepare)")
    lemma = coref.score(dev["gold"], coref.lemma_clusters(
        dev["items"], coref.blocks(dev["mentions"], dev["stories"])))
    print(coref._row("dev lemma baseline, predicted", lemma))
    runs = [(n, c) for n in CANDIDATES for c in CS] if args.search else [(CHOSEN, CHOSEN_C)]
    results = []
    for name, C in runs:
        spec, npairs, npos = train(CANDIDATES[name], C, tr, blank)
        m = ClaimMatcher(spec)
        th, s = best(curve := dev_curve(dev, m, dev["stories"]))
        results.append((s["conll"], name, C, th, spec, npairs, npos, s, curve["pairs"]))
        print(coref._row(f"dev {name} C={C} th={th}", s) + f"  ({npairs} train pairs, {npos} "
              f"coreferent; {curve['pairs']} dev pairs scored)")
    if args.search:
        return
    _, name, C, th, spec, npairs, npos, s, dev_pairs = results[0]
    gold_sub = best(dev_curve(dev, ClaimMatcher(spec), dev["subtopic"], (th,)))[1]
    print(coref._row("dev matcher, gold subtopics (ref.)", gold_sub))
    spec["threshold"] = th
    spec["coefficients"] = [round(x, 6) for x in spec["coefficients"]]
    spec["intercept"] = round(spec["intercept"], 6)
    spec["mean"] = [round(x, 6) for x in spec["mean"]]
    spec["scale"] = [round(x, 6) for x in spec["scale"]]
    spec["training"] = {
        "data": "ECB+ (Cybulska & Vossen 2014), event mentions (ACTION_*, NEG_ACTION_*) in the "
                "validated sentences (ECBplus_coreference_sentences.csv)",
        "train_topics": sorted(coref.TRAIN_TOPICS), "dev_topics": sorted(coref.DEV_TOPICS),
        "pairs": f"blocked pairs within each train topic: {npairs} ({npos} coreferent)",
        "model": f"sklearn LogisticRegression(C={C}, class_weight='balanced') on standardised "
                 f"features ({name!r} set, chosen on dev)",
        "threshold": "average-link cut maximising dev CoNLL F1 over predicted stories",
        "dev": {"muc_f1": round(s["muc"][2], 4), "b3_f1": round(s["b3"][2], 4),
                "ceafe_f1": round(s["ceafe"][2], 4), "conll_f1": round(s["conll"], 4),
                "lemma_conll_f1": round(lemma["conll"], 4), "pairs_scored": dev_pairs},
        "script": "bench/train_matcher.py",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes) in "
          f"{time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
