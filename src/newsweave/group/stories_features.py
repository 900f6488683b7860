"""What story grouping compares: per article, the words, the names and numbers, and the lead.

Three channels, each a bag the grouper compares by cosine:

- ``terms``: content words (lower-cased, stop words out), weighted by sublinear TF times an IDF
  the grouper keeps up to date as articles arrive;
- ``keys``: capitalised names ("Tara Reid", "Promises Treatment Center"), numbers and years,
  the things that tell two similar events apart (two earthquakes differ in place and magnitude,
  two rehab stories in the celebrity's name);
- the lead: headline plus the first sentences, embedded by MiniLM (``nlp.embed.Embedder``).

No spaCy: a name is a run of capitalised words, with a sentence-initial single word kept only when
the article never writes it in lower case (so "The", "Police" at a sentence start drop out).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..model import Article

WORD = re.compile(r"[^\W\d_][\w'’-]*", re.U)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])")
# A name: capitalised words, allowing a few lower-case joiners inside ("Bank of England").
_NAME = re.compile(
    r"(?<![\w'’])(?:[A-Z][\w'’.-]*|[A-Z]{2,})(?:\s+(?:of|de|del|da|la|le|van|von|al|bin|the)?\s*"
    r"(?:[A-Z][\w'’.-]*))*", re.U)
_SENT_START = re.compile(r"(?:^|[.!?\n]\s*|``\s*|[\"“]\s*)$")
_STOP = frozenset(ENGLISH_STOP_WORDS) | {
    "said", "says", "say", "told", "according", "also", "would", "could", "new", "one", "two",
    "year", "years", "time", "people", "just", "like", "mr", "mrs", "ms", "reuters", "ap",
}
# Capitalised words that are not names however they are written (days, months, titles).
_NOT_NAMES = frozenset("""monday tuesday wednesday thursday friday saturday sunday
mr mrs ms dr the a an in on at for but and or he she it they we i you his her their this that
these those there here when while after before as if by with from to of said update updated
breaking photo video read more""".split())


def lead_text(article: Article, sentences: int = 3, limit: int = 700) -> str:
    """Headline plus the first ``sentences`` sentences, cut at ``limit`` characters."""
    parts = [article.title.strip()] if article.title and article.title.strip() else []
    if article.sentences:
        parts += [article.text[s.start:s.end] for s in article.sentences[:sentences]]
    else:
        parts.append(article.text[:limit])
    return " ".join(" ".join(parts).split())[:limit]


def content_terms(text: str, words: list[str] | None = None) -> Counter:
    """Lower-cased content words and their counts (``words``: ``WORD.findall(text)``, if the
    caller has it already)."""
    out: Counter = Counter()
    for w, c in Counter(WORD.findall(text) if words is None else words).items():  # each once
        w = w.lower().strip("'’-")
        if len(w) > 2 and w not in _STOP:
            out[w] += c
    return out


def key_terms(text: str, words: list[str] | None = None) -> Counter:
    """Names (lower-cased, joined by "_") and numbers, with counts."""
    out: Counter = Counter()
    lower_words = {w for w in (WORD.findall(text) if words is None else words)
                   if w[0].islower()}
    for m in _NAME.finditer(text):
        words = m.group().split()
        while words and words[0].lower() in _NOT_NAMES:
            words = words[1:]
        if not words:
            continue
        if len(words) == 1:
            w = words[0].rstrip(".")
            if w.lower() in _NOT_NAMES or len(w) < 2:
                continue
            at_start = _at_sentence_start(text, m.start())
            if at_start and w.lower() in lower_words:
                continue
        key = "_".join(w.rstrip(".").lower() for w in words)
        out["n:" + key] += 1
        if len(words) > 1:  # "Tara Reid" also counts as "Reid", as later mentions write her
            out["n:" + words[-1].rstrip(".").lower()] += 1
    for m in _NUMBER.finditer(text):
        out["d:" + m.group().replace(",", "")] += 1
    return out


def _at_sentence_start(text: str, start: int) -> bool:
    """Whether ``start`` opens a sentence (as ``_SENT_START`` on ``text[:start]``, but looking
    only at the last 40 characters, so long texts stay linear)."""
    if start <= 40:
        return _SENT_START.search(text[:start]) is not None
    before = text[start - 40:start]
    stripped = before.rstrip()
    if not stripped:
        return True
    return (stripped.endswith((".", "!", "?", "``", '"', "“")) or "\n" in before[len(stripped):])


def weighted(counts: Mapping[str, int], idf: Mapping[str, float], default_idf: float) -> dict:
    """Sublinear TF x IDF, L2-normalised, as a dict."""
    vec = {t: (1.0 + math.log(c)) * idf.get(t, default_idf) for t, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items()}


def norm(vec: Mapping[str, float]) -> float:
    return math.sqrt(sum(v * v for v in vec.values()))


class DocumentFrequencies:
    """Document frequencies that grow as articles arrive; ``idf`` is sklearn's smoothed IDF."""

    def __init__(self) -> None:
        self.n = 0
        self.df: Counter = Counter()

    def update(self, terms: Iterable[str]) -> None:
        self.n += 1
        self.df.update(set(terms))

    def idf(self, term: str) -> float:
        return math.log((1 + self.n) / (1 + self.df.get(term, 0))) + 1.0

    def table(self) -> tuple[dict, float]:
        """Every term's IDF, and the IDF of an unseen term."""
        base = math.log(1 + self.n)
        return {t: base - math.log(1 + d) + 1.0 for t, d in self.df.items()}, base + 1.0
