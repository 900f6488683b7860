"""Publication dates for articles whose metadata has none, read from the text.

An article is written on or after the latest day it names ("on Sunday, 7 November", "UN News
November 8"). A date without a year takes it from the weekday when one is given (7 November is a
Sunday in 2021), else from the dated articles of the same run (those that share the most rare
names with it, when the run spans several years), else stays unknown.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date

from ..model import Article, replace
from ..stage import Corpus, CorpusStage
from ..nlp.calendar import MONTH_NUM, WEEKDAY_NUM
from .rules import MONTHS, WEEKDAYS

_MONTH_NUM = MONTH_NUM
_WEEKDAY_NUM = WEEKDAY_NUM

DATE_IN_TEXT = re.compile(
    rf"\b(?:(?P<wd>{WEEKDAYS}),?\s+(?:the\s+)?)?"
    rf"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{MONTHS})\.?|"
    rf"(?P<m2>{MONTHS})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)"
    rf"(?:,?\s+(?P<y>(?:19|20)\d\d))?",
    re.I,
)


def dates_in_text(text: str, context_year: int | None) -> list[tuple[date, bool]]:
    """Every day-precise date in ``text`` as ``(date, year_was_explicit)``."""
    out = []
    for m in DATE_IN_TEXT.finditer(text):
        month = _MONTH_NUM[(m.group("m1") or m.group("m2")).lower().rstrip(".")]
        day = int(m.group("d1") or m.group("d2"))
        wd = m.group("wd")
        if m.group("y"):
            years, explicit = [int(m.group("y"))], True
        elif wd:
            # The weekday fixes the year: the candidates nearest the context year first.
            base = context_year or date.today().year
            years = sorted(range(base - 6, base + 2), key=lambda y: (abs(y - base), -y))
            explicit = False
        elif context_year:
            years, explicit = [context_year], False
        else:
            continue
        for y in years:
            try:
                d = date(y, month, day)
            except ValueError:
                break
            if wd is None or d.weekday() == _WEEKDAY_NUM[wd.lower()]:
                out.append((d, explicit))
                break
    return out


def infer_publication_dates(articles: Sequence[Article]) -> list[Article]:
    """Fill ``published`` (``published_from="text"``) where metadata gave none."""
    known = sorted(date.fromisoformat(a.published[:10]) for a in articles
                   if a.published and len(a.published) >= 10)
    context_year = known[len(known) // 2].year if known else None
    latest_known = known[-1] if known else None
    nearest = _NearestYear(articles) if len({d.year for d in known}) > 1 else None
    today = date.today()
    out = []
    for art in articles:
        if art.published:
            out.append(art)
            continue
        year = (nearest.year(art) if nearest else None) or context_year
        found = [d for d, _ in dates_in_text(art.text, year) if d <= today]
        if latest_known:
            # A named date well after the rest of the story is a plan ("elections on 5 December"),
            # not the day of writing.
            found = [d for d in found if (d - latest_known).days <= 7] or found
        if found:
            art = replace(art, published=max(found).isoformat(), published_from="text")
        out.append(art)
    return out


_NAME = re.compile(r"\b[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*\b")


def _names(text: str) -> set[str]:
    """Capitalised words past each sentence's first: the names an article is about."""
    return {m.group(0) for m in _NAME.finditer(text)
            if m.start() > 1 and text[m.start() - 2] not in ".!?\n"}


class _NearestYear:
    """The year of the dated articles that share the most rare names with an undated one: in a
    run over several years, "November 8" in an article about Kadhimi is the year of the other
    Kadhimi articles, not the run's median year."""

    MAX_DF = 50  # names in more dated articles than this say nothing about which ones

    def __init__(self, articles: Sequence[Article]):
        self.index: dict[str, list[int]] = {}
        for a in articles:
            if a.published and len(a.published) >= 10:
                year = int(a.published[:4])
                for name in _names(a.text):
                    self.index.setdefault(name, []).append(year)

    def year(self, art: Article) -> int | None:
        votes: Counter = Counter()
        for name in _names(art.text):
            years = self.index.get(name, ())
            if 0 < len(years) <= self.MAX_DF:
                for y, k in Counter(years).items():
                    votes[y] += k / len(years)  # rarer names weigh more
        return votes.most_common(1)[0][0] if votes else None


class PublicationDater(CorpusStage):
    """Publication dates read from the text where metadata had none (``infer_publication_dates``)."""

    name = "published"
    needs = frozenset({"text"})
    adds = frozenset({"published"})

    def process(self, corpus: Corpus) -> Corpus:
        return replace(corpus, articles=tuple(infer_publication_dates(corpus.articles)))
