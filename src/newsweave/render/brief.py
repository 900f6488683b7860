"""What every rendering of a brief shares: citation numbers per story, the sides of a conflict,
and quotes grouped by speaker with repeats folded together (Markdown and HTML read these, so
the numbers and groups a reader sees are the same in both)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..model import Conflict, ConflictClaim, Quote, Span, Story


def numbering(story: Story) -> dict[str, int]:
    """Article id -> its citation number in ``story`` (1, 2, ... in the story's article order)."""
    return {aid: n for n, aid in enumerate(story.articles, 1)}


@dataclass(frozen=True)
class Side:
    """One side of a conflict: a value and every claim that states it."""

    value: str | float | int
    claims: tuple[ConflictClaim, ...]

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.article for c in self.claims))


def conflict_sides(conflict: Conflict) -> list[Side]:
    """The conflict's claims grouped by value, one ``Side`` per value, in first-stated order:
    "113 killed" [1][2] against "114 killed" [3] reads as two rows, not three."""
    by: dict[str, list[ConflictClaim]] = {}
    for c in conflict.claims:
        by.setdefault(str(c.value), []).append(c)
    return [Side(cs[0].value, tuple(cs)) for cs in by.values()]


@dataclass
class QuoteGroup:
    """One quotation as the story holds it: its words (the longest version), the speaker, whoever
    relayed it, and every place it appears (one span per article)."""

    text: str
    speaker: str | None
    reported_by: tuple[str, ...] = ()
    spans: list[Span] = field(default_factory=list)

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.article for s in self.spans))


def _fold(text: str) -> str:
    t = unicodedata.normalize("NFKD", text).casefold()
    return re.sub(r"[\W_]+", " ", t).strip()


def grouped_quotes(quotes: tuple[Quote, ...] | list[Quote]) -> list[tuple[str | None, list[QuoteGroup]]]:
    """Quotes by speaker (most quoted first, unattributed last), each quotation once with all
    the articles that carry it: the same words, or words one version holds whole inside another
    ("We will rebuild" inside "We will rebuild, and faster"), by the same speaker."""
    by_speaker: dict[str | None, list[QuoteGroup]] = {}
    for q in quotes:
        groups = by_speaker.setdefault(q.speaker, [])
        key = _fold(q.text)
        span = Span(q.article, q.start, q.end, q.text)
        for g in groups:
            gk = _fold(g.text)
            if key and (key == gk or (len(key) >= 20 and key in gk) or (len(gk) >= 20 and gk in key)):
                if len(key) > len(gk):
                    g.text = q.text
                if q.article not in g.articles:
                    g.spans.append(span)
                if q.reported_by and q.reported_by not in g.reported_by:
                    g.reported_by += (q.reported_by,)
                break
        else:
            groups.append(QuoteGroup(q.text, q.speaker, (q.reported_by,) if q.reported_by else (),
                                     [span]))
    return sorted(by_speaker.items(),
                  key=lambda kv: (kv[0] is None, -sum(len(g.articles) for g in kv[1]), kv[0] or ""))
