"""What every story grouper shares: its decisions (``StoryEvent``), the order it takes articles
in, and the protocol the store drives for incremental ingest (``IncrementalGrouper``).

A grouping stage (``stage.GroupingStage``) groups one run's corpus in ``process``; for the store
it hands out an incremental grouper (``GroupingStage.incremental()``). The store never asks which
grouper it holds: for each chunk of new articles it calls ``load`` (the grouper reads what it
needs of the stored state), ``add``, then reads ``history``, ``members_of`` and ``resolve`` to
rewrite the stories that changed, titles them with ``title``, and persists ``save()``. A new
grouping mode is a new stage with its own incremental grouper; store/ does not change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol, TypedDict

from ..model import Article
from ..stage import StoredState

StoryEventKind = Literal["new", "join", "merge", "split"]


@dataclass(frozen=True)
class StoryEvent:
    """One grouping decision: ``new`` (article opened a story), ``join`` (article joined it),
    ``merge`` (``stories[1]`` was folded into ``stories[0]``), ``split`` (``stories[1]`` was
    split off ``stories[0]``, which keeps its id and its first article)."""

    kind: StoryEventKind
    stories: tuple[str, ...]
    article: str | None = None


def publication_day(published: str | None) -> date | None:
    """The day of an ISO date or datetime string, or None when there is none or it is malformed."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def publication_order(a: Article) -> tuple[str, str]:
    """The order groupers take articles in: published (undated last), then id."""
    return (a.published or "9999", a.id)


class GrouperState(TypedDict, total=False):
    """What ``IncrementalGrouper.save`` gives the store to keep (``Store.commit_grouping``'s
    ``meta``, ``state`` and ``members``)."""

    meta: dict[str, bytes]
    state: Sequence[tuple]
    members: Sequence[tuple]


class IncrementalGrouper(Protocol):
    """A grouper the store keeps going across ingests, chunk by chunk.

    Attributes:
        history: every decision so far, in order (the store reads the ones a chunk added).
        thin_members: True when the stories it touches can be briefed from thin stored articles
            (title and lead: the light path); False to load them whole.
    """

    history: list[StoryEvent]
    thin_members: bool

    def load(self, stored: StoredState, articles: Sequence[Article]) -> None:
        """Read what the grouper needs of the stored state before ``articles`` are added."""

    def add(self, articles: Sequence[Article]) -> None:
        """Place ``articles`` into stories (new ones, joins, merges and splits go to history)."""

    def members_of(self, story_id: str) -> list[str]:
        """The article ids of a live story."""

    def resolve(self, story_id: str) -> str:
        """The live story a story id now belongs to (itself, or what it was merged into)."""

    def title(self, articles: Sequence[Article]) -> str:
        """A story's title from its articles in publication order."""

    def save(self) -> GrouperState:
        """What the store keeps for the next ingest."""
