"""The story's timeline: dated sentences in date order, one entry per fact and date, each cited."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Article, Fact, Span, TimelineItem, TimeMention

_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def build_timeline(articles: Sequence[Article], times: Sequence[TimeMention],
                   facts: Sequence[Fact]) -> tuple[TimelineItem, ...]:
    by_id = {a.id: a for a in articles}
    # Which fact each sentence belongs to (the largest one), to merge the same event told twice.
    fact_of: dict[tuple[str, int], int] = {}
    for k, f in enumerate(facts):
        for sp in f.support:
            fact_of.setdefault((sp.article, sp.start), k)
    entries: dict[tuple[str, object], dict] = {}
    for t in times:
        value = t.value[:10]
        if not _DATE.match(value) or t.type not in ("DATE", "TIME"):
            continue
        art = by_id.get(t.article)
        if art is None:
            continue
        sent = next((s for s in art.sentences if s.start <= t.start < s.end), None)
        if sent is None:
            continue
        span = Span(art.id, sent.start, sent.end, art.text[sent.start:sent.end])
        fk = fact_of.get((art.id, sent.start))
        key = (value, fk if fk is not None else (art.id, sent.start))
        entry = entries.setdefault(key, {"date": value, "text": span.text, "cites": []})
        if all((c.article, c.start) != (span.article, span.start) for c in entry["cites"]):
            entry["cites"].append(span)
    items = [TimelineItem(e["date"], e["text"], tuple(e["cites"])) for e in entries.values()]
    items.sort(key=lambda it: (it.date, -len(it.citations), it.text))
    return tuple(items)
