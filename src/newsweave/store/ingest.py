"""Ingest into the store: new articles are processed and stored, then the stories are recomputed
over the stored corpus (grouping keeps story ids stable: an id comes from a story's first article)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Problem
from ..pipeline import Pipeline
from .db import Store


@dataclass(frozen=True)
class IngestResult:
    inputs: int
    added: tuple[str, ...]
    unchanged: tuple[str, ...]
    versions: tuple[str, ...]
    problems: tuple[Problem, ...]
    stories: int


def ingest(store: Store, paths: Iterable[str], pipeline: Pipeline | None = None,
           stdin=None, progress=None) -> IngestResult:
    """Store the articles under ``paths`` and refresh the stories they join."""
    pipeline = pipeline or Pipeline()
    articles, problems, inputs = pipeline.articles(paths, stdin=stdin, progress=progress)
    outcome = store.add_articles(articles)
    corpus = pipeline.run_corpus(store.load_articles())
    store.replace_stories(corpus.stories)
    return IngestResult(inputs, tuple(outcome["added"]), tuple(outcome["unchanged"]),
                        tuple(outcome["versions"]), tuple(problems), len(corpus.stories))
