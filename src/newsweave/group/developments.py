"""A story's developments: its articles split where publication pauses, each part titled from its
own headlines ("Concorde crashes near Paris" on 25-27 July; "Report details the last minutes" on
1 September).

Articles are taken in date order; a new development starts when an article comes more than
``gap_days`` after the previous one. The gap is a reading choice, not a fitted threshold: news
of one development (first reports, reactions, corrections) arrives within a day or two of each
other, and a pause of several days means the story moved on (an investigation's findings, a
trial, an anniversary). Undated articles join the development of the dated article before them
in the story's order; a story with no dates is one development.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..model import Article, Story, SubEvent, replace
from ..stage import StoryStage
from .protocol import publication_day
from .titles import central_title

GAP_DAYS = 2


class DevelopmentSplitter(StoryStage):
    """Fill each story's ``events``: its developments, in date order."""

    name = "developments"
    needs = frozenset({"stories", "published"})
    adds = frozenset({"story_events"})

    def __init__(self, gap_days: int = GAP_DAYS):
        self.gap_days = gap_days

    def process_story(self, story: Story, articles: Sequence[Article]) -> Story:
        return replace(story, events=tuple(split_developments(articles, self.gap_days)))


def split_developments(articles: Sequence[Article], gap_days: int = GAP_DAYS) -> list[SubEvent]:
    """The developments of a story's ``articles`` (see the module docstring)."""
    if not articles:
        return []
    days = {a.id: publication_day(a.published) for a in articles}
    ordered = sorted(articles, key=lambda a: (days[a.id] or date.max, a.id))
    parts: list[list[Article]] = [[]]
    last: date | None = None
    for a in ordered:
        d = days[a.id]
        if parts[-1] and d is not None and last is not None and (d - last).days > gap_days:
            parts.append([])
        parts[-1].append(a)
        last = d if d is not None else last
    out = []
    for part in parts:
        dated = sorted(d.isoformat() for a in part if (d := days[a.id]) is not None)
        out.append(SubEvent(central_title(part), tuple(a.id for a in part),
                            dated[0] if dated else None, dated[-1] if dated else None))
    return out
