"""Concepts: the stemmed word bigrams a summary should cover, weighted by how many articles use them.

This is the concept model of the ICSI summarizer (Gillick and Favre, 2009): a bigram that many
articles of a story repeat names something the story is about, and a summary that covers more of
those bigrams (each counted once) says more of the story in its word budget. Tokens follow ROUGE's
own preparation (lower case, letters and digits, Porter stems), so a covered concept is a matched
ROUGE-2 bigram whenever a reference says the same thing.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence

_TOKEN = re.compile(r"[a-z0-9]+")
# A bigram never spans a clause break: punctuation that ends a phrase cuts the token stream.
_CLAUSE = re.compile(r"[,;:.!?()\[\]{}“”\"—–]|\s[-_]\s|'s\b|’s\b")

# Function words: a bigram made only of them ("of the", "it was") is not a concept.
STOPWORDS = frozenset(
    "a about above after again against all also am an and any are as at be because been before "
    "being below between both but by can could did do does doing down during each few for from "
    "further had has have having he her here hers herself him himself his how i if in into is it "
    "its itself just me more most my myself no nor not now of off on once only or other our ours "
    "ourselves out over own same she should so some such than that the their theirs them "
    "themselves then there these they this those through to too under until up very was we were "
    "what when where which while who whom why will with would you your yours yourself yourselves "
    "said says say told mr mrs ms would could may might must shall one two".split()
)


@functools.lru_cache(maxsize=1)
def _porter():
    try:
        from nltk.stem.porter import PorterStemmer
    except ImportError:  # nltk comes with the pinned set; without it a crude suffix rule stands in
        return None
    return PorterStemmer()


@functools.lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """Porter stem, as ROUGE applies it (only to tokens longer than three characters)."""
    if len(token) <= 3:
        return token
    porter = _porter()
    if porter is None:
        return re.sub(r"(?:ing|ed|es|s)$", "", token) or token
    return porter.stem(token)


def tokens(text: str) -> list[str]:
    """ROUGE-style tokens: lower-cased runs of letters and digits, stemmed."""
    return [stem(t) for t in _TOKEN.findall(text.lower())]


def content_tokens(text: str) -> list[str]:
    return [t for t in tokens(text) if t not in STOPWORDS]


def bigrams(text: str) -> set[tuple[str, str]]:
    """Stemmed bigrams within clauses, leaving out those made only of function words."""
    out = set()
    for clause in _CLAUSE.split(text.lower()):
        toks = [stem(t) for t in _TOKEN.findall(clause)]
        for a, b in zip(toks, toks[1:]):
            if a in STOPWORDS and b in STOPWORDS:
                continue
            out.add((a, b))
    return out


def document_frequency(docs: Iterable[Iterable[tuple[str, str]]]) -> Counter:
    """How many documents hold each concept (each document given as its set of concepts)."""
    df: Counter = Counter()
    for concepts in docs:
        df.update(set(concepts))
    return df


def overlap(a: str, b: str) -> float:
    """Share of ``a``'s content tokens that ``b`` also holds (0 when ``a`` has none)."""
    ta = set(content_tokens(a))
    if not ta:
        return 0.0
    return len(ta & set(content_tokens(b))) / len(ta)


def word_count(text: str) -> int:
    """Words as DUC counts them for its length limit: whitespace-separated tokens."""
    return len(text.split())


def truncate_words(texts: Sequence[str], limit: int) -> str:
    """Join ``texts`` and keep the first ``limit`` words (how DUC cut summaries before ROUGE)."""
    return " ".join(" ".join(texts).split()[:limit])
