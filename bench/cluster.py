"""Story grouping benchmark: ECB+ (events vs topics), NewsWCL50, incremental vs batch.

    python bench/cluster.py                 # ECB+ (batch, incremental) and NewsWCL50
    python bench/cluster.py --ecb --limit 6 # the first 6 ECB+ topics (both halves of each)
    python bench/cluster.py --wcl
    python bench/cluster.py --tune          # threshold sweep on DUC 2004 Task 2 (the dev set)
    python bench/cluster.py --fast          # the CI gate slice
    python bench/cluster.py --developing    # developing stories (#21): each DUC 2004 cluster
                                            # alone, and the Concorde gold cluster, as one story?
    python bench/cluster.py --stream        # developing stories (#21): all of DUC 2006 and DUC
                                            # 2004 (1,750 articles) as one stream in date order

Scores: BCubed precision / recall / F1 (per article, averaged) and adjusted Rand index, against
ECB+ ``subtopic`` (86 events; each topic's two halves are two similar but different events) and
``topic`` (43). Peer baseline in the same run: TF-IDF (sklearn, sublinear, English stop words)
with average-link agglomerative clustering on cosine distance, its cut tuned on ECB+ subtopics
itself (an upper bound for that baseline), and the same baseline cut where DUC 2004 puts it.

Our settings (``StoryGrouper`` defaults) were calibrated on DUC 2004 Task 2 (``--tune``), never on
ECB+ or NewsWCL50. ``run_ecb``, ``run_wcl`` and ``run_fast`` return the figures as dicts for the
gate in tests/test_stories.py. Data is read from ../shared (beside the project root); nothing
from it is copied into the project.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402

from newsweave.group.stories import StoryGrouper  # noqa: E402
from newsweave.model import Article  # noqa: E402
from newsweave.nlp import split_sentences  # noqa: E402

SHARED = Path(os.environ.get("NEWSWEAVE_SHARED", ROOT.parent / "shared"))
DATA = SHARED / "data"
FAST_TOPICS = 8  # the CI slice: ECB+ topics 1-8, both halves (16 events)


# -- data ---------------------------------------------------------------------------------------


def _article(doc_id: str, text: str) -> Article:
    return Article(id=doc_id, input=doc_id, text=text, sentences=split_sentences(text),
                   content_hash=hashlib.sha1(text.encode("utf-8")).hexdigest())


def _jsonl(path: Path):
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def load_ecb(limit: int | None = None) -> tuple[list[Article], dict, dict]:
    """ECB+ articles (topics up to ``limit`` when given), gold subtopic and topic per id."""
    arts, sub, top = [], {}, {}
    for r in _jsonl(DATA / "ecbplus" / "documents.jsonl"):
        if limit is not None and int(r["topic"]) > limit:
            continue
        arts.append(_article(r["doc_id"], r["text"]))
        sub[r["doc_id"]], top[r["doc_id"]] = r["subtopic"], str(r["topic"])
    return arts, sub, top


def load_wcl() -> tuple[list[Article], dict]:
    arts, gold = [], {}
    for r in _jsonl(DATA / "newswcl50" / "documents.jsonl"):
        arts.append(_article(r["doc_id"], r["text"]))
        gold[r["doc_id"]] = str(r["event_id"])
    return arts, gold


def load_duc() -> tuple[list[Article], dict]:
    arts, gold = [], {}
    for c in _jsonl(DATA / "duc2004_task2" / "clusters.jsonl"):
        for d in c["documents"]:
            text = d["text"].replace("``", "“").replace("''", "”")
            arts.append(_article(d["doc_id"], text))
            gold[d["doc_id"]] = str(c["cluster_id"])
    return arts, gold


# -- scores -------------------------------------------------------------------------------------


def bcubed(pred: dict, gold: dict) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 over the articles in ``gold``."""
    pc, gc = defaultdict(set), defaultdict(set)
    for a in gold:
        pc[pred[a]].add(a)
        gc[gold[a]].add(a)
    p = r = 0.0
    for a in gold:
        both = len(pc[pred[a]] & gc[gold[a]])
        p += both / len(pc[pred[a]])
        r += both / len(gc[gold[a]])
    p, r = p / len(gold), r / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def scores(pred: dict, gold: dict) -> dict:
    from sklearn.metrics import adjusted_rand_score

    ids = sorted(gold)
    p, r, f = bcubed(pred, gold)
    ari = adjusted_rand_score([gold[i] for i in ids], [pred[i] for i in ids])
    return {"p": p, "r": r, "f1": f, "ari": ari, "clusters": len({pred[i] for i in ids})}


# -- systems ------------------------------------------------------------------------------------


class CachedEmbedder:
    """The MiniLM embedder, remembering texts it has encoded (so sweeps embed once)."""

    def __init__(self):
        from newsweave.nlp.embed import Embedder

        self.inner = Embedder()
        self.cache: dict[str, np.ndarray] = {}
        self.seconds = 0.0

    def warm_up(self):
        self.inner.warm_up()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if todo:
            t0 = time.perf_counter()
            for t, v in zip(todo, self.inner.encode(todo)):
                self.cache[t] = v
            self.seconds += time.perf_counter() - t0
        return np.stack([self.cache[t] for t in texts])


_EMB: CachedEmbedder | None = None


def embedder() -> CachedEmbedder:
    global _EMB
    if _EMB is None:
        _EMB = CachedEmbedder()
    return _EMB


def ours(arts: Sequence[Article], incremental: bool = False, **kw) -> dict:
    """Our grouper: ``add`` all at once, or one article at a time in id order."""
    g = StoryGrouper(embedder=None if kw.get("backend") == "none" else embedder(), **kw)
    if incremental:
        for a in sorted(arts, key=lambda a: a.id):
            g.add([a])
        return dict(g.assign([]))
    return g.assign(arts)


def tfidf_agglomerative(arts: Sequence[Article], cuts: Sequence[float]) -> dict[float, dict]:
    """The peer baseline at each cosine-distance cut: {cut: article id -> cluster}."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    X = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
        [a.text for a in arts]).toarray()
    out = {}
    for cut in cuts:
        labels = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                         distance_threshold=cut).fit_predict(X)
        out[cut] = {a.id: int(lab) for a, lab in zip(arts, labels)}
    return out


BASELINE_CUTS = tuple(round(x, 2) for x in np.arange(0.50, 0.99, 0.02))


def _best_cut(arts, gold) -> tuple[float, dict]:
    runs = tfidf_agglomerative(arts, BASELINE_CUTS)
    cut = max(runs, key=lambda c: bcubed(runs[c], gold)[2])
    return cut, runs


# -- runs ---------------------------------------------------------------------------------------


def load_meantime() -> tuple[list[Article], dict]:
    """MEANTIME: 4 companies x 30 Wikinews articles, taken as 120 different events (hard
    negatives: same company, different event; a few articles may in fact share one)."""
    arts = [_article(r["doc_id"], r["text"])
            for r in _jsonl(DATA / "meantime_en" / "documents.jsonl")]
    return arts, {a.id: a.id for a in arts}


def tune(thresholds=(0.20, 0.24, 0.28, 0.32, 0.36)) -> dict:
    """Sweep our threshold on the dev sets: DUC 2004 Task 2 and MEANTIME (mean BCubed F1)."""
    duc, dg = load_duc()
    mt, mg = load_meantime()
    res = {}
    for th in thresholds:
        t0 = time.perf_counter()
        d, m = scores(ours(duc, threshold=th), dg), scores(ours(mt, threshold=th), mg)
        res[th] = {"duc": d, "meantime": m, "mean_f1": (d["f1"] + m["f1"]) / 2,
                   "s": time.perf_counter() - t0}
    cut, runs = _best_cut(duc, dg)
    return {"ours": res, "baseline_cut": cut, "baseline": scores(runs[cut], dg)}


def run_ecb(limit: int | None = None, incremental: bool = False, duc_cut: float | None = None,
            **kw) -> dict:
    """ECB+ (topics <= ``limit``): ours batch (and incremental), baseline tuned on ECB+."""
    arts, sub, top = load_ecb(limit)
    out: dict = {"articles": len(arts), "events": len(set(sub.values())),
                 "topics": len(set(top.values()))}
    t0 = time.perf_counter()
    pred = ours(arts, **kw)
    out["ours_s"] = time.perf_counter() - t0
    out["ours"] = {"subtopic": scores(pred, sub), "topic": scores(pred, top)}
    if incremental:
        t0 = time.perf_counter()
        inc = ours(arts, incremental=True, **kw)
        out["incremental_s"] = time.perf_counter() - t0
        out["incremental"] = {"subtopic": scores(inc, sub), "topic": scores(inc, top)}
    t0 = time.perf_counter()
    cut, runs = _best_cut(arts, sub)
    out["baseline_s"] = time.perf_counter() - t0
    out["baseline_cut"] = cut
    out["baseline"] = {"subtopic": scores(runs[cut], sub), "topic": scores(runs[cut], top)}
    if duc_cut is not None:
        dr = tfidf_agglomerative(arts, [duc_cut])[duc_cut]
        out["baseline_duc_cut"] = duc_cut
        out["baseline_duc"] = {"subtopic": scores(dr, sub), "topic": scores(dr, top)}
    return out


def run_wcl(duc_cut: float | None = None, **kw) -> dict:
    arts, gold = load_wcl()
    t0 = time.perf_counter()
    out = {"articles": len(arts), "ours": scores(ours(arts, **kw), gold)}
    out["ours_s"] = time.perf_counter() - t0
    cut, runs = _best_cut(arts, gold)
    out["baseline_cut"], out["baseline"] = cut, scores(runs[cut], gold)
    if duc_cut is not None:
        out["baseline_duc_cut"] = duc_cut
        out["baseline_duc"] = scores(tfidf_agglomerative(arts, [duc_cut])[duc_cut], gold)
    return out


def run_fast() -> dict:
    """The CI slice: NewsWCL50 and ECB+ topics 1-8, batch and incremental."""
    return {"wcl": run_wcl(), "ecb": run_ecb(FAST_TOPICS, incremental=True)}


def load_concorde() -> list[Article]:
    """The 10 articles of ../shared/gold/concorde.json (one developing story, 25 July to 27
    September 2000), built as its ``input`` says (``bench/claims.py``'s ``build_input``), with
    their titles and publication dates."""
    import tempfile

    sys.path.insert(0, str(ROOT / "bench"))
    from claims import build_input

    gold_path = SHARED / "gold" / "concorde.json"
    gold = json.loads(gold_path.read_text("utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        (path,) = build_input(gold_path, gold, Path(tmp))
        records = list(_jsonl(path))
    return [dataclasses.replace(_article(r["id"], r["text"]), title=r.get("title"),
                                published=r.get("published")) for r in records]


def run_developing(threshold: float | None = None, **kw) -> dict:
    """Developing stories (#21): each DUC 2004 Task 2 cluster (10 articles on one event, no
    dates in the data) grouped alone, as a user analyzing that folder would, and the Concorde
    gold cluster (dated, over nine weeks). Ours is the grouper called directly with its defaults
    (not through ``analyze``); the peer is TF-IDF + average-link at the cut DUC 2004 tunes."""
    if threshold is not None:
        kw["threshold"] = threshold
    duc, dg = load_duc()
    by: dict[str, list[Article]] = defaultdict(list)
    for a in duc:
        by[dg[a.id]].append(a)
    t0 = time.perf_counter()
    counts = [len(set(ours(arts, **kw).values())) for arts in by.values()]
    secs = time.perf_counter() - t0
    cut, _ = _best_cut(duc, dg)
    peer = [len(set(tfidf_agglomerative(arts, [cut])[cut].values())) for arts in by.values()]
    conc = load_concorde()
    return {"clusters": len(counts), "ours_one": sum(c == 1 for c in counts),
            "ours_mean": sum(counts) / len(counts), "ours_s": secs,
            "peer_cut": cut, "peer_one": sum(c == 1 for c in peer),
            "peer_mean": sum(peer) / len(peer),
            "concorde_ours": len(set(ours(conc, **kw).values())),
            "concorde_peer": len(set(tfidf_agglomerative(conc, [cut])[cut].values()))}


def load_stream() -> tuple[list[Article], dict]:
    """DUC 2006 (50 topics of 25 dated articles, headlines as titles) then DUC 2004 Task 2 (500
    undated articles), with the topic or cluster of each: 1,750 articles."""
    arts, gold = [], {}
    for t in _jsonl(DATA / "duc2006" / "topics.jsonl"):
        for d in t["documents"]:
            a = dataclasses.replace(_article(d["doc_id"], d["text"]), title=d.get("headline"),
                                    published=(d.get("date") or "")[:10] or None)
            arts.append(a)
            gold[a.id] = t["topic_id"]
    duc, dg = load_duc()
    arts += duc
    gold.update({k: f"duc2004-{v}" for k, v in dg.items()})
    return arts, gold


def run_stream(**kw) -> dict:
    """The #21 stream: every DUC 2006 and DUC 2004 article grouped at once (the grouper orders
    them by date). Are the 10 Concorde gold articles (of DUC 2006 topic D0631D) one story, and
    how much of that story is D0631D? Topic BCubed F1 is shown for reference only: DUC 2006
    topics are themes (25 articles on e.g. one country's politics), not single events."""
    arts, gold = load_stream()
    conc = [a.id for a in load_concorde()]
    t0 = time.perf_counter()
    pred = ours(arts, **kw)
    secs = time.perf_counter() - t0
    cut, _ = _best_cut(*load_duc())
    peer = tfidf_agglomerative(arts, [cut])[cut]
    out = {"articles": len(arts), "s": secs, "peer_cut": cut}
    for name, p in (("ours", pred), ("peer", peer)):
        stories = {p[i] for i in conc}
        main = max(stories, key=lambda s: sum(p[i] == s for i in conc))
        members = [i for i in p if p[i] == main]
        out[name] = {"concorde_stories": len(stories), "main_size": len(members),
                     "main_d0631d": sum(gold[i] == "D0631D" for i in members) / len(members),
                     "d0631d_in_main": sum(gold[i] == "D0631D" for i in members)
                     / sum(g == "D0631D" for g in gold.values()),
                     "topic_f1": bcubed(p, gold)[2]}
    return out


# -- printing -----------------------------------------------------------------------------------


def _row(name: str, s: dict, secs: float | None = None) -> str:
    t = f"{secs:8.1f}" if secs is not None else " " * 8
    return (f"{name:34s} {s['p']:6.3f} {s['r']:6.3f} {s['f1']:6.3f} {s['ari']:6.3f} "
            f"{s['clusters']:5d} {t}")


HEAD = f"{'system':34s} {'B3-P':>6s} {'B3-R':>6s} {'B3-F1':>6s} {'ARI':>6s} {'clus':>5s} {'sec':>8s}"


def print_ecb(res: dict) -> None:
    print(f"ECB+: {res['articles']} articles, {res['events']} events (subtopics), "
          f"{res['topics']} topics")
    for level in ("subtopic", "topic"):
        print(f"\nagainst {level}s\n{HEAD}")
        print(_row("ours (batch)", res["ours"][level], res["ours_s"]))
        if "incremental" in res:
            print(_row("ours (incremental, id order)", res["incremental"][level],
                       res["incremental_s"]))
        if "baseline_duc" in res:
            print(_row(f"tfidf+agglo cut {res['baseline_duc_cut']} (DUC)", res["baseline_duc"][level]))
        print(_row(f"tfidf+agglo cut {res['baseline_cut']} (ECB+ tuned)", res["baseline"][level],
                   res["baseline_s"]))
    if "incremental" in res:
        d = res["incremental"]["subtopic"]["f1"] - res["ours"]["subtopic"]["f1"]
        print(f"\nincremental - batch, subtopic BCubed F1: {d:+.3f}")


def print_wcl(res: dict) -> None:
    print(f"NewsWCL50: {res['articles']} articles, 10 events\n{HEAD}")
    print(_row("ours (batch)", res["ours"], res["ours_s"]))
    if "baseline_duc" in res:
        print(_row(f"tfidf+agglo cut {res['baseline_duc_cut']} (DUC)", res["baseline_duc"]))
    print(_row(f"tfidf+agglo cut {res['baseline_cut']} (WCL tuned)", res["baseline"]))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ecb", action="store_true")
    ap.add_argument("--wcl", action="store_true")
    ap.add_argument("--tune", action="store_true")
    ap.add_argument("--fast", action="store_true")
    ap.add_argument("--limit", type=int, default=None, help="ECB+ topics 1..LIMIT only")
    ap.add_argument("--no-incremental", action="store_true")
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--backend", default="minilm", help="minilm, or none (no embeddings)")
    ap.add_argument("--developing", action="store_true",
                    help="each DUC 2004 cluster alone, and the Concorde gold cluster: one story?")
    ap.add_argument("--stream", action="store_true",
                    help="DUC 2006 + DUC 2004 as one dated stream: the Concorde story whole?")
    args = ap.parse_args(argv)
    kw = {"backend": args.backend}
    if args.stream:
        if args.threshold is not None:
            kw["threshold"] = args.threshold
        r = run_stream(**kw)
        print(f"DUC 2006 + DUC 2004 Task 2 as one stream ({r['articles']} articles, dated ones in "
              f"date order); the 10 Concorde gold articles (topic D0631D):")
        for name, label in (("ours", "ours (grouper, defaults)"),
                            ("peer", f"tfidf+agglo cut {r['peer_cut']} (DUC tuned)")):
            x = r[name]
            print(f"  {label}: Concorde in {x['concorde_stories']} stories; the main one holds "
                  f"{x['main_size']} articles, {x['main_d0631d']:.2f} of them D0631D, "
                  f"{x['d0631d_in_main']:.2f} of D0631D; topic B3 F1 {x['topic_f1']:.3f}")
        print(f"  ({r['s']:.1f} s for ours)")
        return
    if args.developing:
        r = run_developing(args.threshold, **kw)
        print(f"Each DUC 2004 Task 2 cluster grouped alone ({r['clusters']} clusters of 10 "
              f"articles), and the 10 Concorde gold articles:")
        print(f"  ours (grouper, defaults{'' if args.threshold is None else f', threshold {args.threshold}'}): "
              f"one story for {r['ours_one']}/{r['clusters']}, {r['ours_mean']:.2f} stories a "
              f"cluster; Concorde: {r['concorde_ours']} stories ({r['ours_s']:.1f} s)")
        print(f"  tfidf+agglo cut {r['peer_cut']} (DUC tuned): one story for "
              f"{r['peer_one']}/{r['clusters']}, {r['peer_mean']:.2f} stories a cluster; "
              f"Concorde: {r['concorde_peer']} stories")
        return
    if args.threshold is not None:
        kw["threshold"] = args.threshold
    duc_cut = None
    if args.tune or not (args.ecb or args.wcl or args.fast):
        t = tune()
        print(f"dev: DUC 2004 Task 2 (500 articles, 50 clusters), MEANTIME (120 articles)\n{HEAD}")
        for th, s in t["ours"].items():
            print(_row(f"ours {th} DUC", s["duc"], s["s"]))
            print(_row(f"ours {th} MEANTIME (mean F1 {s['mean_f1']:.3f})", s["meantime"]))
        print(_row(f"tfidf+agglo cut {t['baseline_cut']} (DUC tuned)", t["baseline"]))
        duc_cut = t["baseline_cut"]
        print()
        if args.tune:
            return
    if args.fast:
        r = run_fast()
        print_wcl(r["wcl"])
        print()
        print_ecb(r["ecb"])
        return
    if args.ecb or not args.wcl:
        print_ecb(run_ecb(args.limit, incremental=not args.no_incremental, duc_cut=duc_cut, **kw))
        print()
    if args.wcl or not args.ecb:
        print_wcl(run_wcl(duc_cut=duc_cut, **kw))
    if _EMB is not None:
        print(f"\n(MiniLM encoding: {_EMB.seconds:.1f} s of the times above)")


if __name__ == "__main__":
    main()
