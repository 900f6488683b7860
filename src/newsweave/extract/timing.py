"""TimeNormalizer: time expressions of every article, resolved against its publication date.

A corpus stage because an article's date may only be known once ``PublicationDater`` has read it
from the text; articles with no date fall back on the run's median date as context.
"""

from __future__ import annotations

from ..model import TimeMention, replace
from ..stage import Corpus, CorpusStage


class TimeNormalizer(CorpusStage):
    name = "times"
    needs = frozenset({"published", "sentences"})
    adds = frozenset({"times"})

    def __init__(self):
        from .times import TimeTagger

        self.tagger = TimeTagger()

    def process(self, corpus: Corpus) -> Corpus:
        dates = sorted(a.published[:10] for a in corpus.articles if a.published and len(a.published) >= 10)
        context = dates[len(dates) // 2] if dates else None
        out = []
        for a in corpus.articles:
            if a.language not in (None, "en"):
                out.append(a)
                continue
            anchor = a.published[:10] if a.published and len(a.published) >= 10 else None
            exprs = self.tagger.tag(a.text, anchor, context=context)
            times = tuple(TimeMention(text=e.text, value=e.value, article=a.id, start=e.start,
                                      end=e.end, type=e.type, precision=e.precision)
                          for e in exprs)
            out.append(replace(a, times=times))
        return replace(corpus, articles=tuple(out))
