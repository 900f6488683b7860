"""One story for the whole run (the first grouping; stream clustering replaces it)."""

from __future__ import annotations

import hashlib

from ..model import Story, replace
from ..pipeline import Corpus, CorpusStage
from .titles import central_title


def story_id(first_article_hash: str) -> str:
    """A story's id comes from its first article's content, so articles that join it later never
    rename it (the same rule as group/stories.py)."""
    return f"s-{first_article_hash[:12]}"


class SingleStoryGrouper(CorpusStage):
    name = "single_story"
    needs = frozenset({"sentences"})
    adds = frozenset({"stories", "title"})

    def process(self, corpus: Corpus) -> Corpus:
        arts = corpus.articles
        if not arts:
            return corpus
        ordered = sorted(arts, key=lambda a: (a.published or "9999", a.id))
        story = Story(
            id=story_id(ordered[0].content_hash or hashlib.sha1(ordered[0].id.encode()).hexdigest()),
            title=central_title(ordered),
            articles=tuple(a.id for a in ordered),
        )
        return replace(corpus, stories=(story,))
