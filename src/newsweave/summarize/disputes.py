"""Conflicts in a summary: a sentence that touches a disputed claim is followed by what each
side says, with its articles, instead of being smoothed into one version.

"Reports differ on the number of drones: “an armed drone” [002, 003] / “three drones” [001]."
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Article, Conflict, Span, SummarySentence

# Claims are quoted in their articles' own words when each is short and there are few wordings;
# otherwise each side is named by its value ("Barham Salih [000, 004]").
MAX_QUOTED_WORDS = 8
MAX_QUOTES = 4
MAX_SIDES = 4
LOPSIDED = 3


_LABELS = re.compile(r"\s*\[[^\[\]\n]{1,120}\]")


def dispute_words(sentence: SummarySentence) -> int:
    """A dispute sentence's length in the word budget: its words less the bracketed outlet labels
    ("[Harbor Times, Coastline Post]"), which are citations, as the numbered ones are elsewhere;
    outlets with long names must not crowd the dispute out of the summary."""
    return len(_LABELS.sub("", sentence.text).split())


def label(article: Article) -> str:
    """A short name for an article in running text: its outlet, else the head of its id."""
    if article.source:
        return article.source
    return article.id.split("_")[0]


def claim_extent(claim, article: Article | None) -> tuple[int, int]:
    """The claim's span, cut at the end of the sentence it starts in: a claim's text can run on
    into the next paragraph, and only its own sentence states it."""
    if article is not None:
        for s in article.sentences:
            if s.start <= claim.start < s.end:
                return claim.start, min(claim.end, s.end)
    return claim.start, claim.end


def contested_claims(conflict: Conflict, group_of: dict[str, object] | None = None) -> list:
    """The claims whose statement brings the dispute. When one side has at least ``LOPSIDED``
    times the independent sources of all others together, stating the majority's value is not
    disputed (a lone source calling Barham Salih "Iraqi PM" does not make every "Iraqi PM
    Mustafa al-Kadhimi" a dispute); stating a minority value still is."""
    group_of = group_of or {}
    sides: dict[str, set] = {}
    for cl in conflict.claims:
        sides.setdefault(str(cl.value), set()).add(group_of.get(cl.article, cl.article))
    if len(sides) < 2:
        return list(conflict.claims)
    top = max(sides, key=lambda v: len(sides[v]))
    others = set().union(*(g for v, g in sides.items() if v != top))
    if len(sides[top]) >= LOPSIDED * len(others):
        return [cl for cl in conflict.claims if str(cl.value) != top]
    return list(conflict.claims)


def dispute_index(conflicts: Sequence[Conflict], articles: dict[str, Article] | None = None,
                  group_of: dict[str, object] | None = None) -> dict[str, list[tuple[int, int, int]]]:
    """Per article, (start, end, conflict number) of every contested claim's extent: built once
    per story, so each candidate sentence finds the disputes it touches (``touched``) without a
    pass over every conflict."""
    out: dict[str, list[tuple[int, int, int]]] = {}
    for k, conflict in enumerate(conflicts):
        for cl in contested_claims(conflict, group_of):
            start, end = claim_extent(cl, (articles or {}).get(cl.article))
            out.setdefault(cl.article, []).append((start, end, k))
    return out


def touched(index: dict[str, list[tuple[int, int, int]]], spans: Sequence[Span]) -> list[int]:
    """The conflicts (by number, in order) one of whose contested claims one of ``spans``
    overlaps; ``index`` from ``dispute_index``."""
    return sorted({k for sp in spans for start, end, k in index.get(sp.article, ())
                   if sp.start < end and start < sp.end})


def _exact(article: Article, start: int, end: int) -> Span:
    """The claim's span with surrounding whitespace left out, still slicing the article exactly."""
    seg = article.text[start:end]
    lead = len(seg) - len(seg.lstrip())
    tail = len(seg) - len(seg.rstrip())
    return article.span(start + lead, end - tail)


def conflict_sentence(conflict: Conflict, articles: Sequence[Article]) -> SummarySentence | None:
    """The summary sentence stating the conflict, citing every claim (None if none is in reach)."""
    by_id = {a.id: a for a in articles}
    order = {a.id: i for i, a in enumerate(articles)}
    claims = [cl for cl in conflict.claims if cl.article in by_id
              and 0 <= cl.start < cl.end <= len(by_id[cl.article].text)]
    if not claims:
        return None
    sides: dict[str, list] = {}
    for cl in sorted(claims, key=lambda c: (order[c.article], c.start)):
        sides.setdefault(str(cl.value), []).append(cl)
    if len(sides) < 2:
        return None
    kept = sorted(sides.items(), key=lambda kv: -len({c.article for c in kv[1]}))[:MAX_SIDES]
    # each article's own words for each side, once per article
    firsts = []
    for _value, cls in kept:
        first: dict[str, str] = {}
        for c in cls:
            first.setdefault(c.article, " ".join(c.text.split()).rstrip(".,;:"))
        firsts.append(first)
    distinct = sum(len(set(f.values())) for f in firsts)
    quoted = distinct <= MAX_QUOTES and all(len(t.split()) <= MAX_QUOTED_WORDS
                                            for f in firsts for t in f.values())
    parts = []
    for (value, _cls), first in zip(kept, firsts):
        if quoted:  # “an armed drone” [002, 003], “three drones” [001]
            by_text: dict[str, list[str]] = {}
            for aid, t in first.items():
                by_text.setdefault(t, []).append(label(by_id[aid]))
            parts.append(", ".join(f"“{t}” [{', '.join(names)}]" for t, names in by_text.items()))
        else:  # too many wordings to quote: the value each side gives
            parts.append(f"{value} [{', '.join(label(by_id[aid]) for aid in first)}]")
    topic = conflict.topic.strip()
    if topic.lower().startswith("number"):
        topic = "the " + topic
    text = f"Reports differ on {topic}: " + " / ".join(parts) + "."
    spans: dict[tuple[str, int, int], Span] = {}
    for _value, cls in kept:
        for c in cls:
            sp = _exact(by_id[c.article], *claim_extent(c, by_id[c.article]))
            if sp.text:
                spans.setdefault((sp.article, sp.start, sp.end), sp)
    return SummarySentence(text, tuple(spans.values()))
