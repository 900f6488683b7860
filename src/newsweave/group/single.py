"""One story for the whole run (the first grouping; stream clustering replaces it)."""

from __future__ import annotations

import hashlib

from ..model import Story, replace
from ..pipeline import Corpus, CorpusStage
from .titles import central_title


def story_id(article_hashes) -> str:
    """A story id that depends only on its first members' content, never on run order."""
    h = hashlib.sha1("\n".join(sorted(article_hashes)).encode()).hexdigest()
    return f"s-{h[:12]}"


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
            id=story_id(a.content_hash for a in arts),
            title=central_title(ordered),
            articles=tuple(a.id for a in ordered),
        )
        return replace(corpus, stories=(story,))
