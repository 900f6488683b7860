"""Candidate sentences for a summary: the sentences that can stand on their own.

A sentence is left out when a reader could not follow it outside its article: a subheading (no
closing punctuation), a quotation torn from its context (it starts or ends inside a quote that the
sentence does not close, or it is mostly quoted words with no speaker), a question, or a sentence
that leans on the one before it (it opens with a pronoun or a demonstrative). Openers that only link
to the sentence before ("However,", "Meanwhile,", "But") and agency datelines
("MUNICH, Germany (AP) _") are trimmed; the candidate's span then starts after them, so it still
slices its article exactly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Article

# Openers that tie a sentence to the one before it and can go without changing what it states.
_OPENER = re.compile(
    r"^(?:(?:but|and|yet|so|also|still|meanwhile|however|moreover|furthermore|besides|"
    r"in addition|additionally|instead|nevertheless|nonetheless|in the meantime|at the same time|"
    r"in turn|indeed|in fact|separately|elsewhere|earlier|later|on the other hand)\b,?\s+)+",
    re.I)
# An agency dateline the cleaner left at the start of a text: "NAIROBI, Kenya (AP) _ ".
_DATELINE = re.compile(
    r"^[A-Z][A-Z.' -]+(?:,\s+[A-Z][A-Za-z. ]+)?\s*"  # NAIROBI, Kenya
    r"(?:\([A-Za-z-]+(?:[/-][A-Za-z]+)?\))?\s*[_—–-]{1,2}\s+")  # (AP) _
# Words that make a sentence lean on the one before it when it opens with them.
_LEANING = frozenset(
    "he she it they this these those his her its their him them such that here another both "
    "neither".split()) | {"the latter", "the former"}
_LEANING_RE = re.compile(r"^(?:the latter|the former|[a-z]+)\b(?!\s+(?:week|year|month|morning|"
                         r"afternoon|evening|weekend|spring|summer|fall|autumn|winter|season)\b)",
                         re.I)
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|told|tells|added|adds|according|stated|states|wrote|writes|declared|"
    r"announced|explained|insisted|warned|asked|noted|argued|claimed|quoted|tweeted|replied)\b",
    re.I)
_END = re.compile(r"[.!”\"'’)\]]$")
_QUOTE_OPEN = "“"
_QUOTE_CLOSE = "”"

MIN_WORDS = 8
MAX_WORDS = 55


@dataclass(frozen=True)
class Candidate:
    """One usable sentence: where it is, and the text a summary would show."""

    article: str
    index: int  # sentence number in its article
    start: int  # span of the shown text (after any trimmed opener)
    end: int
    text: str  # the shown text: the span, re-capitalised when an opener was trimmed
    sentence_start: int  # the whole sentence, for citing it
    sentence_end: int
    words: int


def _quote_trouble(text: str, before: str) -> bool:
    """True when the sentence starts or ends inside a quotation, or is a quotation without speaker."""
    opens, closes = text.count(_QUOTE_OPEN), text.count(_QUOTE_CLOSE)
    if opens != closes:
        return True
    straight = text.count('"')
    if straight % 2:
        return True
    # an open quotation from earlier in the paragraph still running into this sentence
    if before.count(_QUOTE_OPEN) > before.count(_QUOTE_CLOSE) or before.count('"') % 2:
        return True
    quoted = sum(len(m) for m in re.findall(r"“[^”]*”|\"[^\"]*\"", text))
    if quoted > 0.5 * len(text):
        outside = re.sub(r"“[^”]*”|\"[^\"]*\"", " ", text)
        if not _ATTRIBUTION.search(outside):
            return True
    return False


def trim_opener(text: str) -> int:
    """How many leading characters of ``text`` are a dateline or a linking opener to drop."""
    cut = 0
    m = _DATELINE.match(text)
    if m and m.end() < len(text):
        cut = m.end()
    m = _OPENER.match(text[cut:])
    if m and m.end() < len(text) - cut:
        rest = text[cut + m.end():]
        # "But for the rain, ..." or "So far" read wrongly without the opener: keep those whole.
        if not re.match(r"(?:for|far|much|many|long|that|than)\b", rest, re.I):
            cut += m.end()
    return cut


def _paragraph_start(article: Article, start: int) -> int:
    para = article.text.rfind("\n", 0, start)
    return para + 1


def candidates(article: Article, *, min_words: int = MIN_WORDS,
               max_words: int = MAX_WORDS) -> list[Candidate]:
    """The article's sentences that can stand alone in a summary, openers trimmed."""
    out = []
    text = article.text
    for i, s in enumerate(article.sentences):
        raw = text[s.start:s.end]
        n = len(raw.split())
        if n < min_words or n > max_words or not _END.search(raw):
            continue
        if raw.rstrip("”\"'’").endswith("?"):
            continue
        before = text[_paragraph_start(article, s.start):s.start]
        if _quote_trouble(raw, before):
            continue
        cut = trim_opener(raw)
        start = s.start + cut
        shown = text[start:s.end]
        first = _LEANING_RE.match(shown)
        if first and first.group(0).lower() in _LEANING:
            continue
        if cut:
            shown = shown[:1].upper() + shown[1:]
        if not shown[:1].isupper() and not shown[:1].isdigit() and shown[:1] not in "“\"":
            continue  # a fragment the splitter cut mid-sentence
        out.append(Candidate(article.id, i, start, s.end, shown, s.start, s.end, len(shown.split())))
    return out


def all_candidates(articles: Sequence[Article], **kw) -> list[Candidate]:
    return [c for a in articles for c in candidates(a, **kw)]
