"""Ingest into the store: new articles are processed and stored, then grouped into the stored
stories incrementally (store/grouping.py): nothing is re-clustered, stored story ids never
change, and only the stories that got new articles have their briefs recomputed."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..model import Problem, replace
from ..pipeline import Corpus, Pipeline
from .db import Store
from .grouping import CHUNK, group_pending


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


def split_corpus_stages(pipeline: Pipeline):
    """(stages before grouping, the grouping stage, stages after it)."""
    stages = pipeline.corpus_stages
    k = next((i for i, st in enumerate(stages) if "stories" in st.adds), None)
    if k is None:
        return stages, None, []
    return stages[:k], stages[k], stages[k + 1:]


def ingest(store: Store, paths: Iterable[str], pipeline: Pipeline | None = None,
           stdin=None, progress=None, chunk: int | None = None,
           input_name: Callable[[str], str] | None = None) -> IngestResult:
    """Store the articles under ``paths`` and place them into the stored stories.

    Articles stored by an earlier run that stopped before grouping them are grouped too.
    ``input_name`` rewrites each article's and problem's ``input`` before it is stored or
    returned (the web app names uploads, not its temporary folder).
    """
    pipeline = pipeline or Pipeline()
    if chunk is None:
        chunk = pipeline.config.get("store.group_chunk") if "store" in pipeline.config.data \
            else CHUNK
    secs: dict[str, float] = {}
    t0 = time.perf_counter()
    articles, problems, inputs = pipeline.articles(paths, stdin=stdin, progress=progress)
    if input_name is not None:
        articles = [replace(a, input=input_name(a.input)) for a in articles]
        problems = [replace(p, input=input_name(p.input)) for p in problems]
    t1 = time.perf_counter()
    before, grouping, after = split_corpus_stages(pipeline)
    corpus = Corpus(tuple(articles))
    for st in before:  # publication dates read from the texts of this run's articles
        corpus = st.process(corpus)
    outcome = store.add_articles(corpus.articles)
    t2 = time.perf_counter()
    secs.update(articles=t1 - t0, store=t2 - t1)
    grouped = 0
    if grouping is not None:
        added = set(outcome["added"])
        known = {a.id: a for a in corpus.articles if a.id in added}
        grouped = group_pending(store, grouping, after, chunk=chunk, progress=progress,
                                timings=secs, known=known, executor=pipeline.executor,
                                story_block=pipeline.config.get("run.story_block"))
    return IngestResult(inputs, tuple(outcome["added"]), tuple(outcome["unchanged"]),
                        tuple(outcome["versions"]), tuple(problems), store.count("stories"),
                        grouped, secs)
