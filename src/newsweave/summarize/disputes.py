"""Conflicts in a summary: a sentence that touches a disputed claim is followed by what each
side says, with its articles, instead of being smoothed into one version.

"Reports differ on the number of drones: “an armed drone” [002, 003] / “three drones” [001]."
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Article, Conflict, Span, SummarySentence

# A claim longer than this is named by its value, not quoted.
MAX_QUOTED_WORDS = 8
MAX_SIDES = 4


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


def touches(conflict: Conflict, spans: Sequence[Span],
            articles: dict[str, Article] | None = None) -> bool:
    """True when one of ``spans`` overlaps one of the conflict's claims."""
    for cl in conflict.claims:
        start, end = claim_extent(cl, (articles or {}).get(cl.article))
        if any(sp.article == cl.article and sp.start < end and start < sp.end for sp in spans):
            return True
    return False


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
    parts = []
    for value, cls in kept:
        if all(len(c.text.split()) <= MAX_QUOTED_WORDS for c in cls):
            # each article's own words, once per article: “an armed drone” [002, 003]
            first: dict[str, str] = {}
            for c in cls:
                first.setdefault(c.article, " ".join(c.text.split()).rstrip(".,;:"))
            by_text: dict[str, list[str]] = {}
            for aid, t in first.items():
                by_text.setdefault(t, []).append(label(by_id[aid]))
            parts.append(", ".join(f"“{t}” [{', '.join(names)}]" for t, names in by_text.items()))
        else:
            names = list(dict.fromkeys(label(by_id[c.article]) for c in cls))
            parts.append(f"{value} [{', '.join(names)}]")
    topic = conflict.topic.strip()
    if topic.lower().startswith("number"):
        topic = "the " + topic
    text = f"Reports differ on {topic}: " + " / ".join(parts) + "."
    spans: dict[tuple[str, int, int], Span] = {}
    for _value, cls in kept:
        for c in cls:
            sp = _exact(by_id[c.article], c.start, c.end)
            if sp.text:
                spans.setdefault((sp.article, sp.start, sp.end), sp)
    return SummarySentence(text, tuple(spans.values()))
