"""What every stage is: the base classes the concrete stages build on, and the ``Corpus`` that
corpus stages pass along.

This module sits low (it imports only the data model), so a stage never imports the pipeline that
runs it: ``pipeline.py`` imports the stages and decides their order, warm-up and the split before
and after grouping.

Each stage declares what it ``needs`` and what it ``adds``; the pipeline checks the order when it
is built, the way spaCy checks ``requires``/``assigns``. Article stages take one ``Article`` and
return a new one (so Dask can map them); corpus stages take the whole ``Corpus`` and return a new
one; story stages work on one story and its articles at a time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from .model import Article, Problem, Story, replace

StageKind = Literal["article", "corpus"]


@dataclass(frozen=True)
class Corpus:
    """What corpus stages pass along: the run's articles and the stories found so far."""

    articles: tuple[Article, ...]
    stories: tuple[Story, ...] = ()
    extras: dict = field(default_factory=dict)  # stage-private results (mentions, claims...)


class Stage:
    name = "stage"
    kind: StageKind = "article"
    needs: frozenset[str] = frozenset()
    adds: frozenset[str] = frozenset()

    def warm_up(self) -> None:
        """Load models. Called once per process before the first item, never in __init__."""


class ArticleStage(Stage):
    kind: StageKind = "article"

    def process(self, article: Article) -> Article:
        raise NotImplementedError

    def process_batch(self, articles: Sequence[Article]) -> list[Article]:
        """Many articles at once (stages with models override this to batch them)."""
        return [self.process(a) for a in articles]


class StoredState(Protocol):
    """What a store offers the stages that keep state between incremental ingests (it is
    ``store.Store``; stages see only this much of it)."""

    def grouper_meta(self) -> dict[str, bytes]: ...

    def story_state(self, since: str | None = None, everything: bool = False) -> list: ...

    def story_members(self, story_ids: Sequence[str]) -> dict[str, list[str]]: ...

    def member_state(self) -> list: ...

    def minhashes(self, article_ids: Sequence[str]) -> dict: ...


class CorpusStage(Stage):
    kind: StageKind = "corpus"

    def process(self, corpus: Corpus) -> Corpus:
        raise NotImplementedError

    def restore(self, stored: StoredState, article_ids: Sequence[str]) -> None:
        """Before an incremental ingest runs this stage on stories that hold stored articles
        (``article_ids``), load what the stage keeps of them in the store. Most keep nothing."""

    def take_state(self) -> Mapping[str, object]:
        """What this stage wants kept in the store after a chunk of an incremental ingest
        (keyword arguments of ``Store.commit_grouping``); most stages keep nothing."""
        return {}


class StoryStage(CorpusStage):
    """A corpus stage that works on each story alone, from the story's own articles.

    Stories are the blocks a run can spread over workers once they are grouped: a run with an
    executor maps the story stages over stories (``pipeline.run_corpus_stages``), and the result
    equals the one-process loop of ``process``.
    """

    def process_story(self, story: Story, articles: Sequence[Article]) -> Story:
        raise NotImplementedError

    def guarded(self, story: Story, articles: Sequence[Article]) -> Story:
        """``process_story``, but a failure on one story costs only this stage's fields of that
        story, never the run; the failure is kept on the story (``Story.problems``) and goes into
        the report's ``problems`` with the story's id."""
        try:
            return self.process_story(story, articles)
        except Exception as exc:
            what = ", ".join(sorted(self.adds)) or "its output"
            return replace(story, problems=story.problems + (Problem(
                story.id, "error",
                f"stage {self.name} failed on story {story.id} ({type(exc).__name__}: {exc}); "
                f"the story lacks {what}"),))

    def process(self, corpus: Corpus) -> Corpus:
        by_id = {a.id: a for a in corpus.articles}
        return replace(corpus, stories=tuple(
            self.guarded(s, [by_id[i] for i in s.articles if i in by_id])
            for s in corpus.stories))


class GroupingStage(CorpusStage):
    """The corpus stage that groups articles into stories (adds ``stories``).

    Besides grouping one run's corpus (``process``), a grouping stage gives an incremental grouper
    for the store (``incremental``): see ``group.protocol.IncrementalGrouper``.
    """

    adds = frozenset({"stories"})

    def incremental(self):
        """A fresh ``group.protocol.IncrementalGrouper`` with this stage's settings."""
        raise NotImplementedError(f"stage {self.name!r} has no incremental grouper")
