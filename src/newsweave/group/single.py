"""One story for the whole run (the first grouping; stream clustering replaces it)."""

from __future__ import annotations

import hashlib

from collections.abc import Sequence

from ..model import Article, Story, replace
from ..stage import Corpus, GroupingStage
from .protocol import GrouperState, StoryEvent, publication_order
from .titles import central_title


def story_id(first_article_hash: str) -> str:
    """A story's id comes from its first article's content, so articles that join it later never
    rename it (the same rule as group/stories.py)."""
    return f"s-{first_article_hash[:12]}"


class SingleStoryGrouper(GroupingStage):
    name = "single_story"
    needs = frozenset({"sentences"})
    adds = frozenset({"stories", "title"})

    def process(self, corpus: Corpus) -> Corpus:
        arts = corpus.articles
        if not arts:
            return corpus
        ordered = sorted(arts, key=publication_order)
        story = Story(
            id=story_id(ordered[0].content_hash or hashlib.sha1(ordered[0].id.encode()).hexdigest()),
            title=central_title(ordered),
            articles=tuple(a.id for a in ordered),
        )
        return replace(corpus, stories=(story,))

    def incremental(self) -> SingleIncremental:
        return SingleIncremental()


class SingleIncremental:
    """group.mode single for the store (``group.protocol.IncrementalGrouper``): every article
    joins the store's one story, whose id never changes."""

    thin_members = False

    def __init__(self):
        self.story: str | None = None
        self.members: list[str] = []
        self.history: list[StoryEvent] = []

    def load(self, stored, articles: Sequence[Article]) -> None:
        self.story = (stored.grouper_meta().get("single.story") or b"").decode() or None
        self.members = stored.story_members([self.story]).get(self.story, []) if self.story else []

    def add(self, articles: Sequence[Article]) -> None:
        for a in sorted(articles, key=publication_order):
            if self.story is None:
                self.story = story_id(a.content_hash
                                      or hashlib.sha1(a.text.encode("utf-8")).hexdigest())
                self.history.append(StoryEvent("new", (self.story,), a.id))
            else:
                self.history.append(StoryEvent("join", (self.story,), a.id))
            self.members.append(a.id)

    def members_of(self, story_id: str) -> list[str]:
        return list(self.members)

    def resolve(self, story_id: str) -> str:
        return story_id

    def title(self, articles: Sequence[Article]) -> str:
        return central_title(articles)

    def save(self) -> GrouperState:
        return {"meta": {"single.story": (self.story or "").encode()}}
