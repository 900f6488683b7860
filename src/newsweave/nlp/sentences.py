"""Sentence spans: a rule splitter that keeps exact offsets and knows news abbreviations.

Paragraph and line breaks always end a sentence. Inside a line, a sentence ends at . ! ? (with any
closing quotes or brackets) followed by space and an upper-case letter, digit or opening quote,
unless the word before the stop is a known abbreviation or an initial.
"""

from __future__ import annotations

import re

from ..model import Article, Sentence, replace
from ..stage import ArticleStage

_ABBREV = frozenset(
    "mr mrs ms dr prof sr jr st mt ft gen lt col maj capt cpt sgt adm gov sen rep rev hon pres "
    "supt insp cmdr brig no nos vol pp fig approx est dept univ inc ltd corp co bros assn "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun "
    "u.s u.k u.n e.u d.c a.m p.m i.e e.g etc vs al ave blvd rd".split()
)
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9\u00C0-\u024F\u0600-\u06FF])|[؟۔]+(?=\s)")
_LINE = re.compile(r"[^\n]+")


def _is_abbrev(line: str, stop: int) -> bool:
    """True when the period at ``stop`` ends an abbreviation or an initial, not a sentence."""
    if line[stop] != ".":
        return False
    j = stop
    while j > 0 and not line[j - 1].isspace():
        j -= 1
    word = line[j:stop].lstrip("\"'“‘([").casefold()
    if not word:
        return False
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "George W. Bush"
    return word in _ABBREV or word.rstrip(".") in _ABBREV


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Return sentence spans over ``text`` (whitespace trimmed, never empty)."""
    out: list[Sentence] = []
    for line in _LINE.finditer(text):
        base = line.start()
        s = line.group(0)
        start = 0
        for m in _END.finditer(s):
            if _is_abbrev(s, m.start()):
                continue
            _add(out, s, base, start, m.end())
            start = m.end()
        _add(out, s, base, start, len(s))
    return tuple(out)


def _add(out: list[Sentence], s: str, base: int, a: int, b: int) -> None:
    seg = s[a:b]
    stripped = seg.strip()
    if not stripped:
        return
    lead = len(seg) - len(seg.lstrip())
    out.append(Sentence(base + a + lead, base + a + lead + len(stripped)))


class Sentencizer(ArticleStage):
    """Sentence spans over the cleaned text (``split_sentences``)."""

    name = "sentencizer"
    needs = frozenset({"text"})
    adds = frozenset({"sentences"})

    def process(self, article: Article) -> Article:
        return replace(article, sentences=split_sentences(article.text))
