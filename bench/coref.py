"""Cross-document event coreference: ECB+ (and MEANTIME), gold mentions, predicted stories.

    python bench/coref.py --split test --out out/coref_test.jsonl
    python bench/coref.py --split dev --out out/coref_dev.jsonl
    python bench/coref.py --corpus meantime --out out/coref_meantime.jsonl
    python bench/coref.py --split dev --topics 2,5   # the CI gate's slice (tests/test_matcher.py)

Mentions (ECB+): the ACTION_* and NEG_ACTION_* mentions of the split's topics whose sentence is in
``ECBplus_coreference_sentences.csv`` (the validated sentences; "Sentence Number" is the 0-based
line of the document text). Gold clusters are the chain ids (cross-document within a topic;
singletons kept). Split (Cybulska & Vossen 2015, Barhom et al. 2019): train topics 1-35 less the
dev topics 2, 5, 12, 18, 21, 23, 34, 35; test topics 36-45. MEANTIME: every event mention
(chains of class OTHER, SPEECH_COGNITIVE, GRAMMATICAL) of the 120 English Wikinews articles; the
matcher never saw it.

Documents are grouped by newsweave's own ``StoryGrouping`` over all the split's documents at once
(no gold topics); mentions are only clustered within one predicted story. The same run also
clusters within gold subtopics, as an upper reference for the grouping.

Two systems from one run: (a) same head lemma in one story = one cluster; (b) the learned
``ClaimMatcher`` (weights: src/newsweave/resources/claim_matcher.json, from
bench/train_matcher.py), average-link over blocked pairs. Scores: MUC, B-cubed, CEAF-e and their
mean, CoNLL F1, computed here (``muc``, ``b_cubed``, ``ceaf_e``) and checked against the scorer
``scorch`` when it is installed (requirements-bench.txt). ``--out`` gets one JSON line per mention,
``{"doc_id", "m_id", "cluster"}``, with the matcher's clusters.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import re
import sys
import time
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402

from newsweave.crosscheck.matcher import ClaimMatcher, MatchItem, item_from_doc  # noqa: E402
from newsweave.model import Article  # noqa: E402
from newsweave.nlp import Sentencizer  # noqa: E402

SHARED = Path(os.environ.get("NEWSWEAVE_SHARED", ROOT.parent / "shared"))
DATA = SHARED / "data"
ECB = DATA / "ecbplus"
MEANTIME = DATA / "meantime_en"

DEV_TOPICS = frozenset({2, 5, 12, 18, 21, 23, 34, 35})
TEST_TOPICS = frozenset(range(36, 46))
TRAIN_TOPICS = frozenset(range(1, 36)) - DEV_TOPICS
SPLITS = {"train": TRAIN_TOPICS, "dev": DEV_TOPICS, "test": TEST_TOPICS}
_MEANTIME_EVENT = re.compile(r"^(?:cross_intra_|cross_|intra_)?(OTH|SPE|GRA)")


@dataclass(frozen=True)
class Doc:
    id: str
    text: str
    subtopic: str


@dataclass(frozen=True)
class GoldMention:
    doc: str
    m_id: str
    start: int  # character offsets into the document text
    end: int
    line: int  # 0-based line (= sentence) of the document
    chain: str
    negated: bool  # annotated NEG_ACTION_*


# -- data -------------------------------------------------------------------------------------


def _jsonl(path: Path) -> Iterable[dict]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def validated_sentences(path: Path = ECB / "ECBplus_coreference_sentences.csv") -> dict[str, set]:
    """doc id -> the 0-based line numbers of its validated sentences."""
    out: dict[str, set] = defaultdict(set)
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[f"{row['Topic']}_{row['File']}"].add(int(row["Sentence Number"]))
    return out


def load_ecb(topics: Iterable[int]) -> tuple[list[Doc], list[GoldMention]]:
    """ECB+ documents of ``topics`` and their event mentions in validated sentences."""
    topics = set(topics)
    keep = validated_sentences()
    docs, mentions = [], []
    for r in _jsonl(ECB / "documents.jsonl"):
        if int(r["topic"]) not in topics:
            continue
        docs.append(Doc(r["doc_id"], r["text"], r["subtopic"]))
        starts = _line_starts(r["text"])
        for m in r["mentions"]:
            if not (m["type"].startswith("ACTION_") or m["type"].startswith("NEG_ACTION_")):
                continue
            line = bisect_right(starts, m["start"]) - 1
            if line in keep.get(r["doc_id"], ()):
                mentions.append(GoldMention(r["doc_id"], m["m_id"], m["start"], m["end"], line,
                                            m["chain_id"], m["type"].startswith("NEG_")))
    return docs, mentions


def load_meantime() -> tuple[list[Doc], list[GoldMention]]:
    """MEANTIME English: all 120 articles (for grouping) and their event mentions."""
    docs, mentions = [], []
    for r in _jsonl(MEANTIME / "documents.jsonl"):
        docs.append(Doc(r["doc_id"], r["text"], r["corpus"]))
        starts = _line_starts(r["text"])
        for k, m in enumerate(r["mentions"]):
            if _MEANTIME_EVENT.match(m["chain_id"]):
                line = bisect_right(starts, m["start"]) - 1
                mentions.append(GoldMention(r["doc_id"], f"m{k}", m["start"], m["end"], line,
                                            m["chain_id"], False))
    return docs, mentions


def predicted_stories(docs: Sequence[Doc]) -> dict[str, str]:
    """doc id -> story id, from newsweave's ``StoryGrouping`` over all ``docs`` at once."""
    from newsweave.group.stories import StoryGrouping
    from newsweave.stage import Corpus

    sent = Sentencizer()
    arts = [sent.process(Article(id=d.id, input=d.id, text=d.text,
                                 content_hash=hashlib.sha1(d.text.encode("utf-8")).hexdigest()))
            for d in docs]
    corpus = StoryGrouping().process(Corpus(tuple(arts)))
    return {a: s.id for s in corpus.stories for a in s.articles}


def lead(text: str, lines: int = 4, limit: int = 700) -> str:
    """A document's first ``lines`` lines (its headline and lead), URL lines left out (ECB+
    documents from the web start with their address)."""
    keep = [ln for ln in text.split("\n") if ln.strip() and not ln.startswith("http")]
    return " ".join(keep[:lines])[:limit]


def build_items(docs: Sequence[Doc], mentions: Sequence[GoldMention],
                matcher: ClaimMatcher | None = None) -> list[MatchItem]:
    """One ``MatchItem`` per mention (its line parsed by spaCy), with vectors when ``matcher``."""
    from newsweave.nlp.models import spacy_model

    text = {d.id: d.text for d in docs}
    leads = {d.id: lead(d.text) for d in docs}
    starts = {d.id: _line_starts(d.text) for d in docs}

    def line_of(m: GoldMention) -> tuple[str, int]:
        s = starts[m.doc]
        a = s[m.line]
        b = s[m.line + 1] - 1 if m.line + 1 < len(s) else len(text[m.doc])
        return text[m.doc][a:b], a

    lines = list(dict.fromkeys(line_of(m)[0] for m in mentions))
    nlp = spacy_model()
    parsed = dict(zip(lines, nlp.pipe(lines, batch_size=64)))
    items = []
    for m in mentions:
        line, base = line_of(m)
        items.append(item_from_doc(parsed[line], m.start - base, m.end - base, m.doc,
                                   negated=m.negated, sentence=m.line,
                                   context=leads[m.doc]))
    return matcher.encode(items) if matcher is not None else items


# -- clustering -------------------------------------------------------------------------------


def blocks(mentions: Sequence[GoldMention], group: dict[str, str]) -> dict[str, list[int]]:
    """Mention indices by the document group (story) of their document."""
    out: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        out[group[m.doc]].append(i)
    return out


def lemma_clusters(items: Sequence[MatchItem], groups: dict[str, list[int]]) -> list[str]:
    """Baseline: mentions of one story with the same head lemma form one cluster."""
    out = [""] * len(items)
    for g, idx in groups.items():
        for i in idx:
            out[i] = f"{g}/{items[i].lemma or items[i].trigger_text.lower()}"
    return out


def matcher_clusters(items: Sequence[MatchItem], groups: dict[str, list[int]],
                     matcher: ClaimMatcher, threshold: float | None = None
                     ) -> tuple[list[str], int, int]:
    """The matcher's clusters within each story; also the pairs scored and the pairs possible."""
    out = [""] * len(items)
    scored = total = 0
    for g, idx in groups.items():
        res = matcher.cluster([items[i] for i in idx], threshold)
        scored += res.pairs_scored
        total += res.pairs_total
        for i, lab in zip(idx, res.labels):
            out[i] = f"{g}/{lab}"
    return out, scored, total


# -- scores -----------------------------------------------------------------------------------


def clusters_of(labels: Sequence[str]) -> list[set[int]]:
    by: dict[str, set[int]] = defaultdict(set)
    for i, lab in enumerate(labels):
        by[lab].add(i)
    return list(by.values())


def _f(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def muc(key: Sequence[set], response: Sequence[set]) -> tuple[float, float, float]:
    """MUC (Vilain et al. 1995) recall, precision, F1; 0 when either side is all singletons
    (as the reference scorer and scorch do)."""
    if all(len(k) == 1 for k in key) or all(len(r) == 1 for r in response):
        return 0.0, 0.0, 0.0

    def side(a: Sequence[set], b: Sequence[set]) -> float:
        where = {m: j for j, c in enumerate(b) for m in c}
        num = sum(len(c) - len({where.get(m, ("alone", m)) for m in c}) for c in a)
        den = sum(len(c) - 1 for c in a)
        return num / den if den else 0.0

    r, p = side(key, response), side(response, key)
    return r, p, _f(p, r)


def b_cubed(key: Sequence[set], response: Sequence[set]) -> tuple[float, float, float]:
    """B-cubed (Bagga & Baldwin 1998) recall, precision, F1 over mentions."""

    def side(a: Sequence[set], b: Sequence[set]) -> float:
        where = {m: c for c in b for m in c}
        n = sum(len(c) for c in a)
        return sum(len(c & where.get(m, {m})) / len(c) for c in a for m in c) / n if n else 0.0

    r, p = side(key, response), side(response, key)
    return r, p, _f(p, r)


def ceaf_e(key: Sequence[set], response: Sequence[set]) -> tuple[float, float, float]:
    """Entity-based CEAF (Luo 2005): the best one-to-one alignment of clusters under
    phi4 = 2|K & R| / (|K| + |R|)."""
    from scipy.optimize import linear_sum_assignment

    if not key or not response:
        return 0.0, 0.0, 0.0
    where = {m: j for j, c in enumerate(response) for m in c}
    sim = np.zeros((len(key), len(response)))
    for i, k in enumerate(key):
        for m in k:
            j = where.get(m)
            if j is not None:
                sim[i, j] += 1
    for i, k in enumerate(key):
        nz = np.nonzero(sim[i])[0]
        sim[i, nz] = 2 * sim[i, nz] / (len(k) + np.array([len(response[j]) for j in nz]))
    rows, cols = linear_sum_assignment(-sim)
    total = sim[rows, cols].sum()
    r, p = total / len(key), total / len(response)
    return r, p, _f(p, r)


def score(gold: Sequence[str], pred: Sequence[str]) -> dict:
    """MUC, B3, CEAF-e (each R, P, F1) and CoNLL F1 of ``pred`` labels against ``gold`` labels."""
    key, resp = clusters_of(gold), clusters_of(pred)
    out = {"muc": muc(key, resp), "b3": b_cubed(key, resp), "ceafe": ceaf_e(key, resp)}
    out["conll"] = (out["muc"][2] + out["b3"][2] + out["ceafe"][2]) / 3
    return out


def scorch_check(gold: Sequence[str], pred: Sequence[str]) -> float | None:
    """The largest difference between our figures and scorch's, or None without scorch."""
    try:
        from scorch import scores as sc
    except ImportError:
        return None
    key, resp = clusters_of(gold), clusters_of(pred)
    ours = score(gold, pred)
    theirs = {"muc": sc.muc(key, resp), "b3": sc.b_cubed(key, resp),
              "ceafe": sc.ceaf_e(key, resp)}
    return max(abs(a - b) for k in theirs for a, b in zip(ours[k], theirs[k]))


# -- runs -------------------------------------------------------------------------------------


def load(corpus: str, split: str = "test",
         topics: Iterable[int] | None = None) -> tuple[list[Doc], list[GoldMention]]:
    if corpus == "meantime":
        return load_meantime()
    chosen = set(SPLITS[split])
    if topics is not None:
        extra = set(topics) - chosen
        if extra:
            raise SystemExit(f"topics {sorted(extra)} are not in the {split} split")
        chosen = set(topics)
    return load_ecb(chosen)


def run(corpus: str = "ecb", split: str = "test", topics: Iterable[int] | None = None,
        matcher: ClaimMatcher | None = None, gold_groups: bool = True) -> dict:
    """Both systems on one corpus/split; figures, labels and counts as a dict."""
    t0 = time.perf_counter()
    docs, mentions = load(corpus, split, topics)
    matcher = matcher or ClaimMatcher()
    stories = predicted_stories(docs)
    items = build_items(docs, mentions, matcher)
    gold = [m.chain for m in mentions]
    out: dict = {"corpus": corpus, "split": split if corpus == "ecb" else "all",
                 "documents": len(docs), "mentions": len(mentions),
                 "documents_with_mentions": len({m.doc for m in mentions}),
                 "gold_clusters": len(set(gold)),
                 "gold_singletons": sum(1 for c in clusters_of(gold) if len(c) == 1),
                 "stories": len(set(stories.values())),
                 "threshold": matcher.threshold}
    groupings = {"predicted": stories}
    if gold_groups and corpus == "ecb":
        groupings["gold_subtopic"] = {d.id: d.subtopic for d in docs}
    for name, grouping in groupings.items():
        g = blocks(mentions, grouping)
        lem = lemma_clusters(items, g)
        mat, scored, total = matcher_clusters(items, g, matcher)
        out[name] = {"lemma": score(gold, lem), "matcher": score(gold, mat),
                     "pairs_scored": scored, "pairs_in_stories": total,
                     "stories_with_mentions": len(g)}
        if name == "predicted":
            out["labels"] = {"lemma": lem, "matcher": mat}
            diffs = [scorch_check(gold, lab) for lab in (lem, mat)]
            out["scorch_max_diff"] = None if None in diffs else max(diffs)
    out["mention_ids"] = [(m.doc, m.m_id) for m in mentions]
    out["seconds"] = time.perf_counter() - t0
    return out


def _row(name: str, s: dict) -> str:
    return (f"{name:34s} {s['muc'][2] * 100:6.1f} {s['b3'][2] * 100:6.1f} "
            f"{s['ceafe'][2] * 100:6.1f} {s['conll'] * 100:7.1f}")


def report(res: dict) -> str:
    what = "MEANTIME (never trained on)" if res["corpus"] == "meantime" else \
        f"ECB+ {res['split']}"
    lines = [f"{what}: {res['documents']} documents ({res['documents_with_mentions']} with "
             f"mentions), {res['mentions']} event mentions, {res['gold_clusters']} gold clusters "
             f"({res['gold_singletons']} singletons); {res['stories']} predicted stories; "
             f"matcher threshold {res['threshold']:.3f}",
             f"{'system (F1, %)':34s} {'MUC':>6s} {'B3':>6s} {'CEAF-e':>6s} {'CoNLL':>7s}"]
    for grouping, label in (("predicted", "predicted stories"),
                            ("gold_subtopic", "gold subtopics, upper reference")):
        if grouping not in res:
            continue
        r = res[grouping]
        lines.append(_row(f"lemma, {label}", r["lemma"]))
        lines.append(_row(f"matcher, {label}", r["matcher"]))
        lines.append(f"  ({label}: {r['pairs_scored']} pairs scored of {r['pairs_in_stories']} "
                     f"within {r['stories_with_mentions']} stories)")
    d = res.get("scorch_max_diff")
    lines.append("scorch: not installed (pip install -r requirements-bench.txt)" if d is None
                 else f"scorch check: largest difference from scorch's figures {d:.2e}")
    lines.append(f"{res['seconds']:.1f} s")
    return "\n".join(lines)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", choices=("ecb", "meantime"), default="ecb")
    ap.add_argument("--split", choices=("dev", "test"), default="test")
    ap.add_argument("--topics", default=None, help="comma-separated topics of the split only")
    ap.add_argument("--out", default=None, help="JSON lines: doc_id, m_id, cluster (matcher)")
    ap.add_argument("--weights", default=None, help="matcher weights (default: the packaged)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    topics = [int(t) for t in args.topics.split(",")] if args.topics else None
    res = run(args.corpus, args.split, topics, ClaimMatcher(args.weights))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as fh:
            for (doc, mid), lab in zip(res["mention_ids"], res["labels"]["matcher"]):
                fh.write(json.dumps({"doc_id": doc, "m_id": mid, "cluster": lab}) + "\n")
    if args.json:
        print(json.dumps({k: v for k, v in res.items() if k not in ("labels", "mention_ids")},
                         indent=1))
    else:
        print(report(res))


if __name__ == "__main__":
    main()
