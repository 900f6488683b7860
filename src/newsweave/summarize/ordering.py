"""The order a summary reads in: a lead sentence first, then by date and place in the article.

The chosen sentence that sits highest in its article (an article's own lead, when one was chosen;
among leads, the one most independent sources state) opens the summary; the others follow in the
order of their articles' publication dates, and within a date, of their position, so background paragraphs come after the news they explain.
Undated articles sort with the earliest.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Article
from .candidates import Candidate


def reading_order(chosen: Sequence[Candidate], articles: Sequence[Article],
                  scores: Sequence[tuple[float, ...]] | None = None) -> list[int]:
    """Indexes into ``chosen`` in reading order. ``scores`` (higher first; e.g. sources citing
    it, then value) break ties between candidates for the opening sentence."""
    if not chosen:
        return []
    dates = {a.id: a.published or "" for a in articles}
    place = {a.id: i for i, a in enumerate(articles)}
    scores = list(scores) if scores is not None else [(0.0,)] * len(chosen)
    # An article's first two sentences are both lead material (the first is often a dateline
    # or a reaction); among them the best-attested opens.
    lead = min(range(len(chosen)), key=lambda i: (max(chosen[i].index - 1, 0),
                                                  tuple(-x for x in scores[i]),
                                                  place[chosen[i].article]))
    rest = sorted((i for i in range(len(chosen)) if i != lead),
                  key=lambda i: (dates[chosen[i].article], chosen[i].index, place[chosen[i].article]))
    return [lead, *rest]
