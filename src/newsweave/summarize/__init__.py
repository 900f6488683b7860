"""Summaries in which every sentence cites its sources: extractive (``Summarizer``), with an
optional rewording by a language model (``llm``), and the corpus stage that fills
``story.summary`` (``Summarize``)."""

from __future__ import annotations

from ..model import Problem, replace
from ..stage import StoryStage
from .extractive import Settings, Summarizer
from .llm import LLMRewriter, LLMSettings

__all__ = ["LLMRewriter", "LLMSettings", "Settings", "Summarize", "Summarizer"]


class Summarize(StoryStage):
    """Fill each story's ``summary`` from its articles, facts, source groups and conflicts.

    It is the last of ``pipeline.default_stages``; on its own:

    >>> corpus = Summarize(words=100).process(corpus)  # doctest: +SKIP
    >>> corpus.stories[0].summary[0].citations          # doctest: +SKIP
    """

    name = "summarize"
    needs = frozenset({"stories", "sentences", "source_groups", "facts", "conflicts"})
    adds = frozenset({"summary"})

    def __init__(self, summarizer: Summarizer | None = None, words: int = 100,
                 llm: LLMSettings | None = None):
        self.summarizer = summarizer or Summarizer()
        self.words = words
        self.llm = llm

    @classmethod
    def from_config(cls, config, embedder=None) -> Summarize:
        """Built from the ``summarize`` section of a Config (``words``, ``llm``), if it has one;
        ``embedder`` (an ``nlp.embed.Embedder``) encodes the sentences (default: MiniLM)."""
        section = (getattr(config, "data", None) or {}).get("summarize") or {}
        return cls(Summarizer(embedder), words=int(section.get("words", 100)),
                   llm=LLMSettings.from_config(section.get("llm")))

    def warm_up(self) -> None:
        self.summarizer.warm_up()

    def process_story(self, story, arts):
        # a failure here is the story's problem (``StoryStage.guarded``), never the run's
        summary = self.summarizer.summarize(arts, story.facts, story.source_groups,
                                            story.conflicts, words=self.words)
        problems = story.problems
        if self.llm is not None and summary:
            summary, error = LLMRewriter(self.llm).try_rewrite(summary)
            if error:
                problems += (Problem(story.id, "warning", f"story {story.id}: {error}"),)
        return replace(story, summary=tuple(summary), problems=problems)
