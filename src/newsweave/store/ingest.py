"""Ingest into the store: new articles are processed and stored, then grouped into the stored
stories incrementally (store/grouping.py): nothing is re-clustered, stored story ids never
change, and only the stories that got new articles have their briefs recomputed."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..model import Problem, replace
from ..pipeline import Pipeline
from ..stage import Corpus
from .db import Store
from .grouping import CHUNK, group_pending

BATCH = 10_000  # inputs read, processed and stored per batch (store.ingest_batch)


@dataclass(frozen=True)
class IngestResult:
    inputs: int
    added: tuple[str, ...]
    unchanged: tuple[str, ...]
    versions: tuple[str, ...]
    problems: tuple[Problem, ...]
    stories: int
    grouped: int = 0  # stored articles placed into stories by this run (pending ones included)
    seconds: dict = field(default_factory=dict)  # wall clock per step


def ingest(store: Store, paths: Iterable[str], pipeline: Pipeline | None = None,
           stdin=None, progress=None, chunk: int | None = None,
           input_name: Callable[[str], str] | None = None,
           batch: int | None = None) -> IngestResult:
    """Store the articles under ``paths`` and place them into the stored stories.

    The inputs are read, cleaned, processed and stored ``batch`` documents at a time
    (``store.ingest_batch``), so an archive of any size is held one batch at a time (outlet
    boilerplate is learned within each batch); grouping then reads the stored articles back in
    chunks of ``chunk`` (``store.group_chunk``). Articles stored by an earlier run that stopped
    before grouping them are grouped too. ``input_name`` rewrites each article's and problem's
    ``input`` before it is stored or returned (the web app names uploads, not its temporary
    folder).
    """
    pipeline = pipeline or Pipeline()
    has_store = "store" in pipeline.config.data
    if chunk is None:
        chunk = pipeline.config.get("store.group_chunk") if has_store else CHUNK
    if batch is None:
        batch = pipeline.config.get("store.ingest_batch") if has_store else BATCH
    secs = {"articles": 0.0, "store": 0.0}
    before, grouping, after = pipeline.grouping_split()
    added: list[str] = []
    unchanged: list[str] = []
    versions: list[str] = []
    problems: list[Problem] = list(pipeline.problems)
    inputs = 0
    known: dict | None = {}  # this run's articles, while they are few enough to keep
    for raws, read_problems, n in pipeline.read_batches(paths, stdin=stdin, size=batch):
        t0 = time.perf_counter()
        inputs += n
        cleaned, empty = pipeline.clean(raws)
        articles = pipeline.process_articles(cleaned, progress)
        found = read_problems + empty
        if input_name is not None:
            articles = [replace(a, input=input_name(a.input)) for a in articles]
            found = [replace(p, input=input_name(p.input)) for p in found]
        problems += found
        t1 = time.perf_counter()
        corpus = Corpus(tuple(articles))
        for st in before:  # publication dates read from the texts of this batch's articles
            corpus = st.process(corpus)
        outcome = store.add_articles(corpus.articles)
        added += outcome["added"]
        unchanged += outcome["unchanged"]
        versions += outcome["versions"]
        if known is not None and len(known) + len(outcome["added"]) <= batch:
            new = set(outcome["added"])
            known.update((a.id, a) for a in corpus.articles if a.id in new)
        else:
            known = None  # more than one batch: grouping reads them back from the store
        secs["articles"] += t1 - t0
        secs["store"] += time.perf_counter() - t1
    grouped = 0
    if grouping is not None:
        grouped = group_pending(store, grouping, after, chunk=chunk, progress=progress,
                                timings=secs, known=known or {}, executor=pipeline.executor,
                                story_block=pipeline.config.get("run.story_block"),
                                problems=problems)
    return IngestResult(inputs, tuple(added), tuple(unchanged), tuple(versions),
                        tuple(problems), store.count("stories"), grouped, secs)
