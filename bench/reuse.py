"""Copy detection benchmark: the seed gold, DUC 2004 as one corpus, and a 10,000-article sample.

    python bench/reuse.py                  # all three
    python bench/reuse.py --seeds --duc    # only those
    python bench/reuse.py --scale 10000 --seed 0

Prints the figures; ``--duc`` also writes bench/out/duc2004_copies.tsv (one row per copy pair).
``run_seeds()``, ``run_duc()`` and ``run_scale()`` return the figures as dicts, so tests can pin
minimums on fast slices. Data is read from ../shared (beside the project root) or --shared PATH;
nothing from it is copied into the project.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import sys
import time
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsweave.group.reuse import ReuseDetector  # noqa: E402
from newsweave.model import Article  # noqa: E402
from newsweave.nlp import split_sentences  # noqa: E402

SHARED = Path(os.environ.get("NEWSWEAVE_SHARED", ROOT.parent / "shared"))
OUT = ROOT / "bench" / "out"

# DUC 2004 copy pairs checked by reading both texts (table and notes in bench/RESULTS.md), drawn
# at random from the copy pairs of the run recorded there: 10 with share >= 0.3, 10 below.
# "copy": one text re-edits or reuses the other's story text; "background": same newsroom, same
# story, but all they share is one or a few background sentences; "not": not a copy.
DUC_CHECKED: dict[tuple[str, str], str] = {
    ("10/D5.txt", "10/D7.txt"): "copy",
    ("1031/D10.txt", "1031/D8.txt"): "copy",
    ("1038/D6.txt", "5/D5.txt"): "copy",
    ("1050/D1.txt", "22/D1.txt"): "copy",
    ("1050/D5.txt", "1050/D6.txt"): "copy",
    ("24/D4.txt", "24/D5.txt"): "copy",
    ("31/D5.txt", "31/D6.txt"): "copy",
    ("38/D4.txt", "38/D5.txt"): "copy",
    ("51/D3.txt", "51/D4.txt"): "copy",
    ("51/D4.txt", "51/D5.txt"): "copy",
    ("1038/D2.txt", "5/D1.txt"): "background",
    ("1043/D10.txt", "1043/D7.txt"): "background",
    ("15/D5.txt", "15/D7.txt"): "copy",
    ("29/D10.txt", "29/D5.txt"): "background",
    ("29/D4.txt", "29/D9.txt"): "copy",
    ("29/D7.txt", "29/D9.txt"): "copy",
    ("36/D3.txt", "36/D7.txt"): "not",
    ("42/D5.txt", "42/D7.txt"): "copy",
    ("47/D3.txt", "47/D4.txt"): "background",
    ("56/D7.txt", "56/D8.txt"): "copy",
}


def article(doc_id: str, text: str, input_name: str | None = None) -> Article:
    return Article(id=doc_id, input=input_name or doc_id, text=text,
                   sentences=split_sentences(text))


# -- seeds ------------------------------------------------------------------------------------


def seed_articles(shared: Path = SHARED) -> list[Article]:
    """The seed articles as the real cleaner turns them out (reading + cleaning + sentences)."""
    from newsweave import Pipeline
    from newsweave.nlp import Sentencizer

    report = Pipeline(stages=[Sentencizer()]).run([str(shared / "seeds")])
    return list(report.articles)


def _coverage(text: str, gold: str, spans: list[tuple[int, int]]) -> float:
    at = text.find(gold)
    if at < 0:
        return 0.0
    lo, hi = at, at + len(gold)
    covered = [False] * (hi - lo)
    for s, e in spans:
        for x in range(max(s, lo), min(e, hi)):
            covered[x - lo] = True
    return sum(covered) / len(gold)


def run_seeds(shared: Path = SHARED, detector: ReuseDetector | None = None) -> dict:
    """Links on the seed set against the gold ``reuse`` entries.

    Returns ``pairs`` ({"000-004": {kind, share, passages}}), ``gold_coverage`` (per gold passage
    of a gold copy pair: the share of its characters our passages cover, the lower of the two
    articles), ``copy_pairs``, ``groups`` and ``ok`` (the acceptance checks).
    """
    det = detector or ReuseDetector()
    arts = seed_articles(shared)
    gold = json.loads((shared / "gold" / "seeds.json").read_text("utf-8"))
    by_id = {a.id: a for a in arts}
    t0 = time.perf_counter()
    links = det.detect(arts)
    groups = det.source_groups(arts, links)
    seconds = time.perf_counter() - t0

    def short(aid: str) -> str:
        return aid.split("_", 1)[0]

    pairs = {f"{short(r.articles[0])}-{short(r.articles[1])}": {
        "kind": r.kind, "share": r.share, "passages": len(r.passages)} for r in links}
    gold_copies = set()
    coverage: dict[str, list[float]] = {}
    for entry in gold["reuse"]:
        if entry.get("kind") != "syndication":
            continue
        ids = [d.rsplit(".", 1)[0] for d in entry["docs"]]
        key = "-".join(short(i) for i in sorted(ids))
        gold_copies.add(key)
        link = next((r for r in links if set(r.articles) == set(ids)), None)
        covs = []
        for passage in entry["passages"]:
            per_article = []
            for side, aid in enumerate(sorted(ids)):
                spans = ([(p.spans[side].start, p.spans[side].end) for p in link.passages]
                         if link else [])
                per_article.append(_coverage(by_id[aid].text, passage, spans))
            covs.append(round(min(per_article), 4))
        coverage[key] = covs
    copy_pairs = sorted(k for k, v in pairs.items() if v["kind"] == "copy")
    short_groups = [[short(i) for i in g] for g in groups]
    expected_groups = sorted([sorted(short(i) for i in ids) for ids in
                              _groups_from_pairs(by_id, gold_copies, short)])
    ok = {
        "gold_copies_found": all(pairs.get(k, {}).get("kind") == "copy" for k in gold_copies),
        "gold_passages_covered": all(c >= 0.8 for covs in coverage.values() for c in covs),
        "no_other_copy": set(copy_pairs) <= gold_copies,
        "groups": short_groups == expected_groups,
    }
    return {"pairs": pairs, "gold_coverage": coverage, "copy_pairs": copy_pairs,
            "groups": short_groups, "seconds": round(seconds, 3), "ok": ok}


def _groups_from_pairs(by_id: dict, keys: set[str], short) -> list[list[str]]:
    parent = {short(i): short(i) for i in by_id}

    def root(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for k in keys:
        a, b = k.split("-")
        parent[max(root(a), root(b))] = min(root(a), root(b))
    out: dict[str, list[str]] = {}
    for x in parent:
        out.setdefault(root(x), []).append(x)
    return list(out.values())


# -- DUC 2004 ---------------------------------------------------------------------------------


def duc_articles(limit_clusters: int | None = None, shared: Path = SHARED) -> list[Article]:
    path = shared / "data" / "duc2004_task2" / "clusters.jsonl"
    arts = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit_clusters is not None and n >= limit_clusters:
                break
            for doc in json.loads(line)["documents"]:
                arts.append(article(doc["doc_id"], doc["text"]))
    return arts


def run_duc(limit_clusters: int | None = None, shared: Path = SHARED,
            detector: ReuseDetector | None = None) -> dict:
    """All DUC 2004 articles (or the first ``limit_clusters`` clusters) as one corpus.

    Returns timings, work figures, links per kind, the copy pairs (with share, passage count,
    longest passage in words) and, per verdict in ``DUC_CHECKED``, how many of the checked pairs
    in the run (``checked``) are still reported as copies (``checked_found``).
    """
    det = detector or ReuseDetector()
    t0 = time.perf_counter()
    arts = duc_articles(limit_clusters, shared)
    t1 = time.perf_counter()
    links, stats = det.detect_with_stats(arts)
    groups = det.source_groups(arts, links)
    t2 = time.perf_counter()
    copies = [{
        "a": r.articles[0], "b": r.articles[1], "share": r.share, "passages": len(r.passages),
        "longest_words": max(len(p.text.split()) for p in r.passages),
        "same_cluster": r.articles[0].split("/")[0] == r.articles[1].split("/")[0],
    } for r in links if r.kind == "copy"]
    found = {(c["a"], c["b"]) for c in copies}
    ids = {a.id for a in arts}
    checked = {k: v for k, v in DUC_CHECKED.items() if k[0] in ids and k[1] in ids}
    verdicts = {v: [k for k, w in checked.items() if w == v] for v in ("copy", "background", "not")}
    return {
        "articles": len(arts),
        "load_seconds": round(t1 - t0, 3),
        "detect_seconds": round(stats.seconds["total"], 3),
        "detect_cpu_seconds": round(stats.seconds["cpu"], 3),
        "seconds": round(t2 - t1, 3),
        "all_pairs": stats.all_pairs,
        "candidates": stats.candidates,
        "links": stats.kinds,
        "groups": len(groups),
        "copies": copies,
        "checked": {v: len(pairs) for v, pairs in verdicts.items()},
        "checked_found": {v: sum(1 for k in pairs if k in found) for v, pairs in verdicts.items()},
        "stats": stats,
        "links_full": links,
    }


def write_duc_tsv(result: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("a\tb\tshare\tpassages\tlongest_words\tsame_cluster\tfirst_passage\n")
        by_pair = {r.articles: r for r in result["links_full"]}
        for c in result["copies"]:
            r = by_pair[(c["a"], c["b"])]
            first = max(r.passages, key=lambda p: len(p.text)).text[:160].replace("\t", " ")
            fh.write(f"{c['a']}\t{c['b']}\t{c['share']:.3f}\t{c['passages']}\t"
                     f"{c['longest_words']}\t{int(c['same_cluster'])}\t{first}\n")


# -- the 10,000-article sample ----------------------------------------------------------------


def _jsonl(path: Path):
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def corpus_texts(shared: Path = SHARED) -> list[tuple[str, str]]:
    """(id, text) for every article of every corpus in ../shared/data, exact duplicates dropped.

    ClaimDiff is left out: it holds pairs of single claims, not articles.
    """
    data = shared / "data"
    out: list[tuple[str, str]] = []
    for rec in _jsonl(data / "duc2004_task2" / "clusters.jsonl"):
        out += [(f"duc04/{d['doc_id']}", d["text"]) for d in rec["documents"]]
    for rec in _jsonl(data / "duc2006" / "topics.jsonl"):
        out += [(f"duc06/{rec['topic_id']}/{d['doc_id']}", d["text"]) for d in rec["documents"]]
    for name, folder in (("ecb", "ecbplus"), ("wcl", "newswcl50"), ("mt", "meantime_en"),
                         ("tb", "timebank_aquaint_tbaq")):
        out += [(f"{name}/{r['doc_id']}", r["text"])
                for r in _jsonl(data / folder / "documents.jsonl")]
    for split in ("train", "dev", "test"):
        out += [(f"pn/{r['doc_id']}", r["text"])
                for r in _jsonl(data / "polnear" / f"{split}.jsonl")]
    for split in ("testa", "testb"):
        for r in _jsonl(data / "conll2003_en" / f"{split}.jsonl"):
            text = "\n".join(" ".join(s["tokens"]) for s in r["sentences"])
            out.append((f"conll/{r['doc_id']}", text))
    seen: set[str] = set()
    unique = []
    for doc_id, text in out:
        h = hashlib.sha1(text.strip().encode("utf-8")).hexdigest()
        if text.strip() and h not in seen:
            seen.add(h)
            unique.append((doc_id, text))
    return unique


def _perturb(text: str, rng: random.Random, vocab: list[str]) -> str:
    """A re-edited copy: paragraphs (or sentences) dropped, two swapped, a few words changed."""
    units = [u for u in text.split("\n") if u.strip()]
    if len(units) < 4:
        units = [text[s.start:s.end] for s in split_sentences(text)]
    sep = "\n\n" if "\n" in text else " "
    kept = [u for u in units if rng.random() > 0.2] or units[:1]
    if len(kept) > 2 and rng.random() < 0.7:
        i = rng.randrange(len(kept) - 1)
        kept[i], kept[i + 1] = kept[i + 1], kept[i]
    out = []
    for unit in kept:
        words = unit.split(" ")
        for w in range(len(words)):
            if rng.random() < 0.03:
                words[w] = rng.choice(vocab)
        out.append(" ".join(words))
    return sep.join(out)


def build_sample(n: int = 10000, seed: int = 0, shared: Path = SHARED,
                 variant_share: float = 0.0) -> tuple[list[Article], list[tuple[str, str]]]:
    """``n`` articles: every unique corpus article (or a seeded sample of them, if more than n),
    topped up with re-edited variants of random ones (seeded); at least ``variant_share`` of
    the ``n`` are variants.

    Returns ``(articles, planted)``: ``planted`` lists (variant id, original id) pairs, the copies
    the sample is known to hold (corpora may hold more: DUC 2004 repeats some articles).
    """
    rng = random.Random(seed)
    texts = corpus_texts(shared)
    keep = n - int(n * variant_share)
    if len(texts) > keep:
        texts = sorted(rng.sample(texts, keep))
    vocab = sorted({w for _, t in texts[:200] for w in t.split() if w.isalpha() and len(w) > 3})
    arts = [article(i, t) for i, t in texts]
    planted: list[tuple[str, str]] = []
    bases = [(i, t) for i, t in texts if len(t.split()) >= 60]
    v = 0
    while len(arts) < n:
        base_id, base_text = rng.choice(bases)
        vid = f"variant/{v:05d}"
        arts.append(article(vid, _perturb(base_text, rng, vocab)))
        planted.append((vid, base_id))
        v += 1
    return arts, planted


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_scale(n: int = 10000, seed: int = 0, shared: Path = SHARED,
              detector: ReuseDetector | None = None) -> dict:
    """Copy detection over ``build_sample(n, seed)``: time, work, memory, planted copies found."""
    det = detector or ReuseDetector()
    t0 = time.perf_counter()
    arts, planted = build_sample(n, seed, shared)
    t1 = time.perf_counter()
    rss_before = _peak_rss_mib()
    links, stats = det.detect_with_stats(arts)
    groups = det.source_groups(arts, links)
    t2 = time.perf_counter()
    rss_after = _peak_rss_mib()
    group_of = {aid: gi for gi, g in enumerate(groups) for aid in g}
    copy_links = {r.articles for r in links if r.kind == "copy"}
    planted_pairs = {tuple(sorted(p)) for p in planted}
    # variants of one original are copies of each other too
    by_base: dict[str, list[str]] = {}
    for vid, base in planted:
        by_base.setdefault(base, []).append(vid)
    for vids in by_base.values():
        planted_pairs.update(tuple(sorted(p)) for p in combinations(vids, 2))
    return {
        "articles": len(arts),
        "planted_variants": len(planted),
        "build_seconds": round(t1 - t0, 2),
        "detect_seconds": round(t2 - t1, 2),
        "seconds": {k: round(v, 2) for k, v in stats.seconds.items()},
        "all_pairs": stats.all_pairs,
        "candidates": stats.candidates,
        "index": stats.index,
        "links": stats.kinds,
        "groups": len(groups),
        "planted_pairs": len(planted_pairs),
        "planted_found_as_copy": sum(1 for p in planted_pairs if p in copy_links),
        "planted_same_group": sum(1 for a, b in planted_pairs if group_of[a] == group_of[b]),
        "variants_grouped_with_original": sum(1 for v, b in planted
                                              if group_of[v] == group_of[b]),
        "other_copy_links": len(copy_links - planted_pairs),
        "peak_rss_mib_before": round(rss_before, 1),
        "peak_rss_mib_after": round(rss_after, 1),
        "links_full": links,
    }


# -- command line -----------------------------------------------------------------------------


def _print(title: str, result: dict) -> None:
    print(f"== {title}")
    for k, v in result.items():
        if k in ("links_full", "copies", "stats"):
            continue
        print(f"  {k}: {v}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", action="store_true")
    ap.add_argument("--duc", action="store_true")
    ap.add_argument("--duc-clusters", type=int, default=None)
    ap.add_argument("--scale", type=int, default=None, metavar="N")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--shared", type=Path, default=SHARED)
    args = ap.parse_args(argv)
    every = not (args.seeds or args.duc or args.scale)
    if args.seeds or every:
        _print("seeds", run_seeds(args.shared))
    if args.duc or every:
        res = run_duc(args.duc_clusters, args.shared)
        write_duc_tsv(res, OUT / "duc2004_copies.tsv")
        _print("DUC 2004", res)
        print(f"  copy pairs: {len(res['copies'])}, of them across clusters: "
              f"{sum(1 for c in res['copies'] if not c['same_cluster'])}; "
              f"written to {OUT / 'duc2004_copies.tsv'}")
    if args.scale or every:
        n = args.scale or 10000
        _print(f"sample of {n}", run_scale(n, args.seed, args.shared))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
