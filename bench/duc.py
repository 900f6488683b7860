"""Summary benchmark: DUC 2004 Task 2, DUC 2006 (query-focused) and the seed story.

    python bench/duc.py                       # all three
    python bench/duc.py --duc2004 --limit 5   # a slice
    python bench/duc.py --duc2004 --facts     # also with cross-checked facts (FactAligner)
    python bench/duc.py --seeds

DUC tables: one row per system with ROUGE-1 and ROUGE-2 recall (``rouge_score``, Porter stems,
summaries cut to 100 words for DUC 2004 and 250 for DUC 2006, as DUC cut them) and the seconds the
system took for all clusters. ``mean`` is each cluster's recall averaged over its four references,
then over clusters: the closest ``rouge_score`` gets to ROUGE-1.5.5's jackknifed multi-reference
score, which the published figures use. ``max`` takes each cluster's best reference instead (an
upper view, not comparable with published figures). Baselines run in the same process: sumy's
LexRank and TextRank over the same sentences, and a lead baseline (the first sentences of the
most recent article; DUC 2004 has no dates, so the first article as given).

``run_duc2004()``, ``run_duc2006()`` and ``run_seeds()`` return the figures as dicts for the CI
gate (tests/test_summarize.py). Data is read from ../shared (beside the project root) or
--shared PATH; nothing from it is copied into the project.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from newsweave.model import Article, RawDocument  # noqa: E402
from newsweave.nlp import split_sentences  # noqa: E402
from newsweave.summarize.concepts import content_tokens, truncate_words  # noqa: E402

SHARED = Path(os.environ.get("NEWSWEAVE_SHARED", ROOT.parent / "shared"))


@dataclass(frozen=True)
class Cluster:
    id: str
    articles: tuple[Article, ...]
    references: tuple[str, ...]
    query: str | None = None


# -- data ---------------------------------------------------------------------------------------


def _typewriter_quotes(text: str) -> str:
    """DUC's ``typewriter'' quotes as curly ones, so sentences split before an opening quote."""
    return text.replace("``", "“").replace("''", "”")


def _articles(raws: Sequence[RawDocument]) -> tuple[Article, ...]:
    """The project's own cleaner and sentence splitter over one cluster's documents."""
    from newsweave.model import Problem
    from newsweave.nlp import Sentencizer
    from newsweave.pipeline import Pipeline

    pipe = Pipeline(stages=[Sentencizer()])
    cleaner = pipe.cleaner_for(raws)
    out = []
    for raw in raws:
        art = pipe.clean_raw(raw, cleaner)
        if isinstance(art, Problem):
            continue
        out.append(Sentencizer().process(art))
    return tuple(out)


def _jsonl(path: Path):
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def load_duc2004(limit: int | None = None, shared: Path = SHARED) -> list[Cluster]:
    out = []
    for rec in _jsonl(shared / "data" / "duc2004_task2" / "clusters.jsonl"):
        if limit is not None and len(out) >= limit:
            break
        raws = [RawDocument(id=d["doc_id"], input=d["doc_id"], text=_typewriter_quotes(d["text"]))
                for d in rec["documents"]]
        out.append(Cluster(rec["cluster_id"], _articles(raws), tuple(rec["references"])))
    return out


def load_duc2006(limit: int | None = None, shared: Path = SHARED) -> list[Cluster]:
    out = []
    for rec in _jsonl(shared / "data" / "duc2006" / "topics.jsonl"):
        if limit is not None and len(out) >= limit:
            break
        raws = [RawDocument(id=d["doc_id"], input=d["doc_id"], text=_typewriter_quotes(d["text"]),
                            title=d.get("headline") or None,
                            published=(d.get("date") or "")[:10] or None)
                for d in rec["documents"]]
        refs = tuple(r["text"] if isinstance(r, dict) else r for r in rec["references"])
        query = f"{rec.get('title', '')}. {rec.get('narrative', '')}".strip(". ")
        out.append(Cluster(rec["topic_id"], _articles(raws), refs, query))
    return out


# -- scoring ------------------------------------------------------------------------------------


def _scorer():
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)


def rouge_recall(summary: str, references: Sequence[str], scorer=None) -> dict:
    """ROUGE-1/2 recall of ``summary`` (already cut) against each reference: mean and max."""
    scorer = scorer or _scorer()
    r1, r2 = [], []
    for ref in references:
        s = scorer.score(ref, summary)
        r1.append(s["rouge1"].recall)
        r2.append(s["rouge2"].recall)
    return {"r1": sum(r1) / len(r1), "r2": sum(r2) / len(r2), "r1_max": max(r1), "r2_max": max(r2)}


# -- systems ------------------------------------------------------------------------------------


class SumyTokenizer:
    """sumy's tokenizer interface without NLTK data: the project's sentence splitter and a regex."""

    _WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(paragraph[s.start:s.end] for s in split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(self._WORD.findall(sentence))


def sumy_system(kind: str) -> Callable[[Cluster, int], str]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    tok = SumyTokenizer()
    summarizer = (LexRankSummarizer if kind == "lexrank" else TextRankSummarizer)(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")

    def run(cluster: Cluster, words: int) -> str:
        doc = ObjectDocumentModel([
            Paragraph([Sentence(t, tok) for t in a.sentence_texts()]) for a in cluster.articles])
        count = max(3, words // 12)  # more sentences than the budget holds; the cut trims them
        return truncate_words([str(s) for s in summarizer(doc, count)], words)

    return run


def lead_system(cluster: Cluster, words: int) -> str:
    arts = sorted(cluster.articles, key=lambda a: a.published or "", reverse=True) \
        if any(a.published for a in cluster.articles) else list(cluster.articles)
    return truncate_words([t for a in arts for t in a.sentence_texts()], words)


def ours_system(summarizer, facts: bool = False, aligner=None) -> Callable[[Cluster, int], str]:
    def run(cluster: Cluster, words: int) -> str:
        found = ()
        if facts:
            found = aligner.align(cluster.articles, {a.id: i for i, a in enumerate(cluster.articles)})
        sents = summarizer.summarize(cluster.articles, found, words=words, query=cluster.query)
        return truncate_words([s.text for s in sents], words)

    return run


def oracle_system(cluster: Cluster, words: int) -> str:
    """Greedy oracle: adds the sentence that most raises mean ROUGE-1 recall against the cluster's
    own references. It reads the answers, so it is an upper bound for extraction, not a system."""
    from collections import Counter

    from rouge_score import tokenize
    from nltk.stem import porter

    stemmer = porter.PorterStemmer()

    def toks(text: str) -> Counter:
        return Counter(stemmer.stem(w) if len(w) > 3 else w for w in tokenize.tokenize(text, None))

    refs = [toks(r) for r in cluster.references]
    pool = list(dict.fromkeys(t for a in cluster.articles for t in a.sentence_texts()
                              if 5 <= len(t.split()) <= 60))

    def score(texts: list[str]) -> float:
        got = toks(truncate_words(texts, words))
        return sum(sum(min(got[w], n) for w, n in r.items()) / max(sum(r.values()), 1)
                   for r in refs) / len(refs)

    chosen: list[str] = []
    best = 0.0
    while len(" ".join(chosen).split()) < words:
        top = max(((score(chosen + [t]), t) for t in pool if t not in chosen), default=None)
        if top is None or top[0] <= best:
            break
        best = top[0]
        chosen.append(top[1])
    return truncate_words(chosen, words)


def evaluate(clusters: Sequence[Cluster], systems: dict[str, Callable[[Cluster, int], str]],
             words: int) -> dict:
    scorer = _scorer()
    rows = {}
    for name, system in systems.items():
        t0, c0 = time.perf_counter(), time.process_time()
        outputs = [system(c, words) for c in clusters]
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        scores = [rouge_recall(o, c.references, scorer) for o, c in zip(outputs, clusters)]
        row = {k: 100 * sum(s[k] for s in scores) / len(scores) for k in scores[0]}
        row["seconds"] = seconds
        row["cpu_seconds"] = cpu
        row["words"] = sum(len(o.split()) for o in outputs) / len(outputs)
        row["per_cluster_r2"] = [round(100 * s["r2"], 2) for s in scores]
        rows[name] = row
    return rows


def _systems(summarizer=None, facts: bool = False, baselines: bool = True,
             oracle: bool = False, corroboration: float = 0.25) -> dict:
    from newsweave.summarize import Settings, Summarizer

    systems = {}
    summ = summarizer or Summarizer()
    t0 = time.perf_counter()
    summ.warm_up()
    systems["newsweave"] = ours_system(summ)
    if facts:
        import dataclasses

        from newsweave.crosscheck.facts import FactAligner

        with_facts = Summarizer(summ.embedder, dataclasses.replace(
            summ.settings or Settings(), corroboration_bonus=corroboration))
        systems[f"newsweave + facts (corroboration bonus {corroboration})"] = ours_system(
            with_facts, True, FactAligner(summ.embedder))
    if baselines:
        systems["sumy LexRank"] = sumy_system("lexrank")
        systems["sumy TextRank"] = sumy_system("textrank")
        systems["lead"] = lead_system
    if oracle:
        systems["oracle (reads the references)"] = oracle_system
    return systems, time.perf_counter() - t0


def run_duc2004(limit: int | None = None, shared: Path = SHARED, summarizer=None,
                facts: bool = False, baselines: bool = True, oracle: bool = False,
                corroboration: float = 0.25) -> dict:
    """DUC 2004 Task 2 at 100 words: {"rows": {system: {r1, r2, r1_max, r2_max, seconds}}, ...}."""
    t0 = time.perf_counter()
    clusters = load_duc2004(limit, shared)
    load = time.perf_counter() - t0
    systems, warm = _systems(summarizer, facts, baselines, oracle, corroboration)
    return {"clusters": len(clusters), "words": 100, "load_seconds": load, "warm_up_seconds": warm,
            "rows": evaluate(clusters, systems, 100)}


def run_duc2006(limit: int | None = None, shared: Path = SHARED, summarizer=None,
                facts: bool = False, baselines: bool = True, oracle: bool = False,
                corroboration: float = 0.25) -> dict:
    """DUC 2006 at 250 words, the topic's title and narrative as the query."""
    t0 = time.perf_counter()
    clusters = load_duc2006(limit, shared)
    load = time.perf_counter() - t0
    systems, warm = _systems(summarizer, facts, baselines, oracle, corroboration)
    return {"clusters": len(clusters), "words": 250, "load_seconds": load, "warm_up_seconds": warm,
            "rows": evaluate(clusters, systems, 250)}


# -- seeds --------------------------------------------------------------------------------------


def _fold(t: str) -> str:
    t = t.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(t.casefold().split())


def support_overlap(sentence: str, span: str) -> float:
    """Share of the summary sentence's content words that the citation span holds."""
    mine = set(content_tokens(sentence))
    return len(mine & set(content_tokens(span))) / len(mine) if mine else 0.0


def support_either(sentence: str, span: str) -> float:
    """Token overlap read both ways: the larger of the two shares (a short span that states part
    of the sentence in its own words passes; so does a long span that states all of it)."""
    return max(support_overlap(sentence, span), support_overlap(span, sentence))


def run_seeds(shared: Path = SHARED, words: int = 100, summarizer=None, report=None) -> dict:
    """The whole pipeline on the seeds, then a summary of the story, checked against the gold."""
    from newsweave import Pipeline
    from newsweave.summarize import Summarizer

    gold = json.loads((shared / "gold" / "seeds.json").read_text("utf-8"))
    if report is None:
        report = Pipeline().run([str(shared / "seeds")])
    story = report.stories[0]
    arts = {a.id: a for a in report.articles}
    story_arts = [arts[i] for i in story.articles]
    summ = summarizer or Summarizer()
    summ.warm_up()
    t0 = time.perf_counter()
    summary = summ.summarize(story_arts, story.facts, story.source_groups, story.conflicts,
                             words=words)
    seconds = time.perf_counter() - t0
    group_of = {aid: k for k, g in enumerate(story.source_groups) for aid in g}

    exact = all(arts[c.article].text[c.start:c.end] == c.text for s in summary for c in s.citations)
    checks, either, lines = [], [], []
    multi_total = multi_ok = 0
    for s in summary:
        disputed = s.text.startswith("Reports differ")
        ov = [support_overlap(s.text, c.text) for c in s.citations]
        if not disputed:
            checks += [o >= 0.5 for o in ov]
            either += [support_either(s.text, c.text) >= 0.5 for c in s.citations]
        lines.append((s.text, [(c.article.split("_")[0], c.start, c.end, round(o, 2), c.text)
                               for c, o in zip(s.citations, ov)]))
        # about a multi-source gold fact: the chosen sentence (the first citation) holds that
        # fact's evidence for its article
        own = s.citations[0] if s.citations else None
        about = [f for f in gold["consensus_facts"] if own and f.get("independent_sources", 1) >= 2
                 and any(_fold(ev) in _fold(arts[own.article].text[own.start:own.end])
                         for name, ev in f["evidence"].items()
                         if name.rsplit(".", 1)[0] == own.article)]
        if about and not disputed:
            multi_total += 1
            multi_ok += len({group_of.get(c.article, c.article) for c in s.citations}) >= 2
    rouge = rouge_recall(" ".join(s.text for s in summary), [gold["reference_summary"]])
    return {
        "sentences": len(summary),
        "words": sum(len(s.text.split()) for s in summary),
        "seconds": seconds,
        "spans_exact": exact,
        "citations": len(checks),
        "citations_supported": sum(checks) / len(checks) if checks else 1.0,
        "citations_supported_either": sum(either) / len(either) if either else 1.0,
        "multi_source_sentences": multi_total,
        "multi_source_cited_twice": multi_ok / multi_total if multi_total else 1.0,
        "disputes": sum(s.text.startswith("Reports differ") for s in summary),
        "r1": 100 * rouge["r1"], "r2": 100 * rouge["r2"],
        "lines": lines,
    }


# -- printing -----------------------------------------------------------------------------------


def _print_table(title: str, result: dict) -> None:
    print(f"\n## {title}: {result['clusters']} clusters, {result['words']} words "
          f"(articles loaded and cleaned in {result['load_seconds']:.1f} s; "
          f"models loaded in {result['warm_up_seconds']:.1f} s)\n")
    print("| system | R-1 recall (mean) | R-2 recall (mean) | R-1 (max) | R-2 (max) | words "
          "| seconds | CPU seconds |")
    print("|---|---|---|---|---|---|---|---|")
    for name, r in result["rows"].items():
        print(f"| {name} | {r['r1']:.2f} | {r['r2']:.2f} | {r['r1_max']:.2f} | {r['r2_max']:.2f} "
              f"| {r['words']:.1f} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} |")
    ours = result["rows"].get("newsweave")
    if ours and len(ours["per_cluster_r2"]) > 1:
        half = len(ours["per_cluster_r2"]) // 2
        first, second = ours["per_cluster_r2"][:half], ours["per_cluster_r2"][half:]
        print(f"\nnewsweave R-2 (mean over refs) by half: clusters 1-{half} "
              f"{sum(first) / len(first):.2f}, clusters {half + 1}-{half + len(second)} "
              f"{sum(second) / len(second):.2f}")


def _print_seeds(r: dict) -> None:
    print(f"\n## Seeds: {r['sentences']} sentences, {r['words']} words, {r['seconds']:.2f} s\n")
    for text, cites in r["lines"]:
        print(f"- {text}")
        for art, start, end, ov, ctext in cites:
            print(f"    [{art} {start}:{end} overlap {ov:.2f}] {' '.join(ctext.split())}")
    print()
    for k in ("spans_exact", "citations", "citations_supported", "citations_supported_either",
              "multi_source_sentences",
              "multi_source_cited_twice", "disputes", "r1", "r2"):
        v = r[k]
        print(f"{k}: {v:.3f}" if isinstance(v, float) else f"{k}: {v}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duc2004", action="store_true")
    ap.add_argument("--duc2006", action="store_true")
    ap.add_argument("--seeds", action="store_true")
    ap.add_argument("--limit", type=int, default=None, help="only the first N clusters")
    ap.add_argument("--facts", action="store_true",
                    help="also run with FactAligner facts, sentences weighted by corroboration")
    ap.add_argument("--corroboration", type=float, default=0.25,
                    help="the corroboration bonus of the --facts row (default 0.25)")
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--oracle", action="store_true",
                    help="add the greedy oracle row (an upper bound that reads the references)")
    ap.add_argument("--torch-threads", type=int, default=1,
                    help="torch intra-op threads for MiniLM (default 1: on a shared 2-core "
                         "machine a second thread spins more than it helps; 0 = torch's default)")
    ap.add_argument("--encoder", choices=("minilm", "minilm-int8"), default="minilm",
                    help="the summarizer's (and the --facts aligner's) sentence encoder, as "
                         "run.encoder picks it")
    ap.add_argument("--shared", type=Path, default=SHARED)
    args = ap.parse_args(argv)
    if args.torch_threads:
        try:
            import torch

            torch.set_num_threads(args.torch_threads)
        except ImportError:
            pass
    from newsweave.nlp.embed import Embedder
    from newsweave.summarize import Summarizer

    summ = Summarizer(Embedder(args.encoder))
    every = not (args.duc2004 or args.duc2006 or args.seeds)
    if args.duc2004 or every:
        _print_table("DUC 2004 Task 2", run_duc2004(args.limit, args.shared, summ, facts=args.facts,
                                                    baselines=not args.no_baselines,
                                                    oracle=args.oracle,
                                                    corroboration=args.corroboration))
    if args.duc2006 or every:
        _print_table("DUC 2006", run_duc2006(args.limit, args.shared, summ, facts=args.facts,
                                             baselines=not args.no_baselines, oracle=args.oracle,
                                             corroboration=args.corroboration))
    if args.seeds or every:
        _print_seeds(run_seeds(args.shared, summarizer=summ))
    return 0


if __name__ == "__main__":
    sys.exit(main())
