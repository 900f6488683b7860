"""Corpus evidence for boilerplate: a short line that one outlet repeats across its articles is that
outlet's furniture (slogans, footers, newsletter pitches) unless another outlet prints it as story
text, in which case it is syndicated copy and stays."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ..model import RawDocument


def norm_line(line: str) -> str:
    return " ".join(line.casefold().split())


def learn_outlet_boilerplate(
    docs: Iterable[RawDocument], *, min_articles: int = 2, max_words: int = 25
) -> dict[str, frozenset[str]]:
    """Map each outlet (``source``) to the normalised lines that are its boilerplate."""
    seen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for doc in docs:
        if not doc.source:
            continue
        for line in doc.text.splitlines():
            n = norm_line(line)
            if n and len(n.split()) <= max_words:
                seen[n][doc.source].add(doc.id)
    out: dict[str, set[str]] = defaultdict(set)
    for line, by_outlet in seen.items():
        if len(by_outlet) != 1:
            continue  # printed by two outlets: story text (or shared wire copy), not furniture
        (outlet, ids), = by_outlet.items()
        if len(ids) >= min_articles:
            out[outlet].add(line)
    return {k: frozenset(v) for k, v in out.items()}
