"""The extraction stage: one spaCy pass per article feeds entities, quotes and numbers.

Time expressions need the publication date, which may only be known after the corpus stage that
reads it from the text, so they are tagged later, by ``TimeNormalizer`` (a corpus stage).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Article, NumberMention, Quote, replace
from ..nlp.models import SPACY_MODEL, extraction_model
from ..stage import ArticleStage
from .claims import role_claims, state_claims
from .entities import mentions_from_doc
from .frames import article_frames
from .numbers import NumberExtractor, implicit_candidates
from .quotes import QuoteFinder


class Extractor(ArticleStage):
    """Entities, quotes and numbers of each article, from one batched spaCy pass.

    >>> # doctest: +SKIP
    >>> Extractor().process_batch([article])[0].quotes
    """

    name = "extract"
    needs = frozenset({"text", "sentences"})
    adds = frozenset({"mentions", "quotes", "numbers", "claims", "frames"})

    def __init__(self, model: str = SPACY_MODEL, batch_size: int = 32, memoised: bool = True):
        self.model = model
        self.batch_size = batch_size
        self.memoised = memoised  # spaCy's attribute ruler and lemmatizer, memoised (same output)
        self._nlp = None
        self.numbers = NumberExtractor()
        self.quotes = QuoteFinder()

    def warm_up(self) -> None:
        if self._nlp is None:
            self._nlp = extraction_model(self.model, self.memoised)

    def __getstate__(self):  # ship the stage to Dask workers without the model
        state = dict(self.__dict__)
        state["_nlp"] = None
        return state

    def process(self, article: Article) -> Article:
        return self.process_batch([article])[0]

    def process_batch(self, articles: Sequence[Article]) -> list[Article]:
        self.warm_up()
        out = []
        # Non-English text gets no English NER: better nothing than noise.
        english = [a for a in articles if a.language in (None, "en")]
        docs = dict(zip((a.id for a in english),
                        self._nlp.pipe((a.text for a in english), batch_size=self.batch_size)))
        for a in articles:
            doc = docs.get(a.id)
            if doc is None:
                out.append(a)
                continue
            out.append(self.extract_doc(a, doc))
        return out

    def extract_doc(self, article: Article, doc) -> Article:
        """Run each extractor on the parsed article; one failing extractor costs only its own
        results (with a warning), never the others'."""
        warnings: list[str] = []

        def attempt(what, fn):
            try:
                return tuple(fn())
            except Exception as exc:  # an extractor bug on odd text must not lose the article
                warnings.append(f"{what} extraction failed: {type(exc).__name__}: {exc}")
                return ()

        mentions = attempt("entity", lambda: mentions_from_doc(doc, article.id))
        numbers = attempt("number", lambda: self.numbers.extract(doc, article.id)
                          + implicit_candidates(doc, article.id))
        quotes = attempt("quote", lambda: (
            Quote(text=q.text, speaker=q.speaker, speaker_entity=None, reported_by=q.reported_by,
                  article=article.id, start=q.start, end=q.end, cue=q.cue,
                  speaker_start=q.speaker_start, speaker_end=q.speaker_end, partial=q.partial)
            for q in self.quotes.find(doc)))
        claims = attempt("claim", lambda: state_claims(doc, article.id)
                         + role_claims(article.text, article.id))
        frames = attempt("frame", lambda: article_frames(doc, article.sentences, article.id))
        return replace(article, mentions=mentions, numbers=numbers, quotes=quotes, claims=claims,
                       frames=frames, warnings=article.warnings + tuple(warnings))


def keep_implicit(numbers: Sequence[NumberMention], counted: set[str]) -> list[NumberMention]:
    """Drop implicit singular counts ('a drone') of nouns no article counts explicitly."""
    return [n for n in numbers if not n.implicit or n.subject in counted]
