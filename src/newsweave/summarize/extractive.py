"""Extractive multi-document summaries in which every sentence cites its sources.

``Summarizer.summarize`` picks whole sentences (openers trimmed) from a story's articles under a
word budget, by maximum coverage of the story's weighted concepts (see ``concepts`` and
``select``), with bonuses for sentences that lead their articles, that several independent sources
state (``facts``) and that answer a ``query``. The chosen sentences are put in reading order, each
cites every article that states it (``cite``), and a sentence that touches a disputed claim is
followed by the dispute (``disputes``).

>>> s = Summarizer()
>>> s.warm_up()                                               # doctest: +SKIP
>>> for sent in s.summarize(story_articles, story.facts, story.source_groups,
...                         story.conflicts, words=100):    # doctest: +SKIP
...     print(sent.text, [c.article for c in sent.citations])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..model import Article, Conflict, Fact, Span, SummarySentence
from ..nlp.embed import Embedder
from .candidates import Candidate, all_candidates
from .cite import Citer
from .concepts import STOPWORDS, bigrams, content_tokens, document_frequency, word_count
from .disputes import conflict_sentence, touches
from .ordering import reading_order
from .select import greedy, ilp


@dataclass(frozen=True)
class Settings:
    """The summarizer's knobs. Defaults were chosen on DUC 2006 (see bench/RESULTS.md), never on
    DUC 2004, which is the benchmark reported."""

    method: str = "ilp"  # ilp | greedy | centroid
    # A concept must occur in this many articles (ICSI's 3 for 10-article clusters); fewer
    # articles lower it (see ``min_df``).
    min_df: int = 3
    lead_sentences: int = 3  # a concept in an article's first sentences weighs more...
    lead_weight: float = 1.0  # ...by this much per such article
    position_bonus: float = 0.5  # bonus for an article's first sentence, in mean concept weights
    position_decay: float = 0.0  # ...and for later ones, position_bonus / (1 + index) ** decay ... 0 = first only
    unigram_weight: float = 0.3  # content words as concepts too, at this share of a bigram's weight
    corroboration_bonus: float = 0.0  # per extra independent source stating the sentence
    query_weight: float = 2.0  # concept weight multiplier for query words
    min_words: int = 8
    max_index: int = 0  # only the first N sentences of each article are candidates (0: all)
    max_words: int = 55
    greedy_exponent: float = 1.0
    duplicate_overlap: float = 0.8  # candidates sharing this much are never both chosen
    mmr_lambda: float = 0.7  # centroid method only
    centrality_bonus: float = 3.0  # TF-IDF closeness to the story's centroid, in mean weights
    function_bigram_weight: float = 1.0  # weight share of bigrams holding a function word
    dispute_weight: float = 2.0  # a dispute all articles join is worth two typical sentences


def min_df(n_docs: int, base: int) -> int:
    """ICSI's minimum document frequency for 10 articles, scaled down for small stories."""
    if n_docs <= 2:
        return 1
    return max(2, min(base, round(0.3 * n_docs)))


class Summarizer:
    """Cited extractive summaries. Light constructor; ``warm_up()`` loads the embedder."""

    name = "summarizer"

    def __init__(self, embedder: Embedder | None = None, settings: Settings | None = None,
                 cite: bool = True):
        self.embedder = embedder or Embedder()
        self.settings = settings or Settings()
        self.citations = cite

    def warm_up(self) -> None:
        self.embedder.warm_up()

    # -- the steps -------------------------------------------------------------------------------

    def candidates(self, articles: Sequence[Article]) -> list[Candidate]:
        st = self.settings
        cands = all_candidates(articles, min_words=st.min_words, max_words=st.max_words)
        if len(cands) < 3:  # short stories: accept shorter sentences rather than say nothing
            cands = all_candidates(articles, min_words=4, max_words=st.max_words * 2)
        if st.max_index:
            cands = [c for c in cands if c.index < st.max_index] or cands
        seen: set[str] = set()
        out = []
        for c in cands:  # exact repeats (copies) compete as one
            key = " ".join(c.text.split()).lower()
            if key not in seen:
                seen.add(key)
                out.append(c)
        return out

    def _units(self, text: str) -> set[tuple[str, ...]]:
        """The concepts a text holds: bigrams, and content words when they count."""
        out: set[tuple[str, ...]] = set(bigrams(text))
        if self.settings.unigram_weight:
            out |= {(t,) for t in content_tokens(text)}
        return out

    def concept_weights(self, articles: Sequence[Article], cands: Sequence[Candidate],
                        query: str | None) -> tuple[list[frozenset[int]], np.ndarray]:
        """Each candidate's concept ids and the concepts' weights."""
        st = self.settings
        per_doc, lead_doc = [], []
        units = self._units
        for a in articles:
            sents = a.sentence_texts()
            per_doc.append(set().union(*(units(t) for t in sents)) if sents else set())
            lead = sents[:st.lead_sentences]
            lead_doc.append(set().union(*(units(t) for t in lead)) if lead else set())
        df = document_frequency(per_doc)
        lead_df = document_frequency(lead_doc)
        floor = min_df(len(articles), st.min_df)
        if len(articles) <= 2:  # one or two articles: count sentences, not articles
            df = document_frequency(units(t) for a in articles for t in a.sentence_texts())
            floor = 2 if any(v >= 2 for v in df.values()) else 1
        qwords = set(content_tokens(query)) if query else set()
        ids: dict[tuple[str, str], int] = {}
        weights: list[float] = []
        sets = []
        for c in cands:
            mine = set()
            for b in units(c.text):
                if df[b] < floor:
                    continue
                if b not in ids:
                    ids[b] = len(weights)
                    w = df[b] + st.lead_weight * lead_df[b]
                    if len(b) == 1:
                        w *= st.unigram_weight
                    elif b[0] in STOPWORDS or b[1] in STOPWORDS:
                        w *= st.function_bigram_weight
                    if qwords and any(t in qwords for t in b):
                        w *= 1.0 + st.query_weight
                    weights.append(w)
                mine.add(ids[b])
            sets.append(frozenset(mine))
        return sets, np.asarray(weights, dtype=float)

    def bonuses(self, cands: Sequence[Candidate], sets, weights: np.ndarray,
                facts: Sequence[Fact], query: str | None) -> np.ndarray:
        st = self.settings
        n = len(cands)
        values = np.array([weights[list(s)].sum() if s else 0.0 for s in sets])
        unit = float(values.mean()) if n and values.mean() > 0 else 1.0
        bonus = np.zeros(n)
        if st.position_bonus:
            if st.position_decay:
                prior = np.array([1.0 / (1 + c.index) ** st.position_decay for c in cands])
            else:
                prior = np.array([1.0 if c.index == 0 else 0.0 for c in cands])
            bonus += st.position_bonus * unit * prior
        if st.centrality_bonus and n > 1:
            from sklearn.feature_extraction.text import TfidfVectorizer

            try:
                M = TfidfVectorizer(analyzer=content_tokens, sublinear_tf=True).fit_transform(
                    [c.text for c in cands])
                centroid = np.asarray(M.mean(axis=0)).ravel()
                centroid /= max(np.linalg.norm(centroid), 1e-9)
                bonus += st.centrality_bonus * unit * (M @ centroid)
            except ValueError:
                pass
        if st.corroboration_bonus and facts:
            for j, c in enumerate(cands):
                k = max((f.independent_sources for f in facts
                         if any(sp.article == c.article and sp.start < c.end and c.start < sp.end
                                for sp in f.support)), default=1)
                bonus[j] += st.corroboration_bonus * unit * (k - 1)
        return bonus

    def duplicates(self, cands: Sequence[Candidate]) -> list[frozenset[int]]:
        """For each candidate, the others that say nearly the same words."""
        from sklearn.feature_extraction.text import CountVectorizer

        n = len(cands)
        try:
            M = CountVectorizer(binary=True, analyzer=lambda t: sorted(set(content_tokens(t)))) \
                .fit_transform([c.text for c in cands])
        except ValueError:
            return [frozenset() for _ in range(n)]
        inter = (M @ M.T).toarray()
        size = np.asarray(M.sum(axis=1)).ravel()
        share = inter / np.maximum(np.minimum.outer(size, size), 1)
        np.fill_diagonal(share, 0)
        return [frozenset(np.nonzero(share[j] >= self.settings.duplicate_overlap)[0].tolist())
                for j in range(n)]

    def choose(self, cands: Sequence[Candidate], sets, weights, bonus, lengths, budget,
               extras=(), extra_lengths=(), extra_values=()) -> list[int]:
        st = self.settings
        excluded = self.duplicates(cands)
        if st.method == "centroid":
            return self._centroid(cands, lengths, budget, excluded, bonus)
        if st.method == "ilp":
            got = ilp(sets, weights, bonus, lengths, budget, excluded, extras, extra_lengths,
                      extra_values)
            if got is not None:
                return got
        return greedy(sets, weights, bonus, lengths, budget, st.greedy_exponent, excluded,
                      extras, extra_lengths, extra_values)

    def _centroid(self, cands, lengths, budget, excluded, bonus) -> list[int]:
        """MiniLM centrality plus position, chosen by MMR (the comparison method)."""
        vecs = self.embedder.encode([c.text for c in cands])
        centroid = vecs.mean(axis=0)
        centroid /= max(np.linalg.norm(centroid), 1e-9)
        rel = vecs @ centroid + 0.1 * np.array([1.0 / (1 + c.index) for c in cands])
        rel = rel + bonus / max(bonus.max(), 1e-9) * 0.1 if bonus.any() else rel
        chosen: list[int] = []
        used = 0
        lam = self.settings.mmr_lambda
        while True:
            best, best_score = -1, -np.inf
            for j in range(len(cands)):
                if j in chosen or used + lengths[j] > budget or any(j in excluded[k] for k in chosen):
                    continue
                red = max((float(vecs[j] @ vecs[k]) for k in chosen), default=0.0)
                score = lam * rel[j] - (1 - lam) * red
                if score > best_score:
                    best, best_score = j, score
            if best < 0:
                return chosen
            chosen.append(best)
            used += lengths[best]

    # -- the whole ---------------------------------------------------------------------------------

    def summarize(self, articles: Sequence[Article], facts: Sequence[Fact] = (),
                  source_groups: Sequence[Sequence[str]] = (), conflicts: Sequence[Conflict] = (),
                  *, words: int = 100, query: str | None = None) -> tuple[SummarySentence, ...]:
        """A summary of at most ``words`` words (whitespace-separated), every sentence cited.

        Args:
            articles: the story's articles (cleaned, with sentences).
            facts: cross-checked facts; sentences several independent sources state weigh more and
                cite the facts' support.
            source_groups: article ids that count as one source (copies); used to count sources.
            conflicts: disputed claims; a chosen sentence touching one is followed by the dispute.
            words: the budget, counted as DUC counts it (whitespace-separated tokens).
            query: what the reader wants to know (DUC 2006's topic narrative), or None.

        Returns:
            Summary sentences in reading order, each with its citations: the chosen span first,
            then every other article's sentence that states the same.
        """
        arts = [a for a in articles if a.sentences]
        cands = self.candidates(arts)
        if not cands or words <= 0:
            return ()
        sets, weights = self.concept_weights(arts, cands, query)
        bonus = self.bonuses(cands, sets, weights, facts, query)
        if query and self.settings.method != "centroid":
            bonus = bonus + self._query_bonus(cands, sets, weights, query)
        # The disputes a sentence will bring (those its own sentence or its facts' support touch)
        # take room in the budget once; citations found later can add more (checked below).
        rendered: dict[int, SummarySentence | None] = {k: conflict_sentence(c, arts)
                                                       for k, c in enumerate(conflicts)}
        by_id = {a.id: a for a in arts}
        extras = [frozenset(k for k in self._dispute_ids(conflicts, self._reach(c, facts), by_id)
                            if rendered[k] is not None) for c in cands]
        extra_lengths = [word_count(r.text) if r else 0 for r in rendered.values()]
        extra_values = self._dispute_values(conflicts, arts, sets, weights)
        chosen_idx = self.choose(cands, sets, weights, bonus, [c.words for c in cands], words,
                                 extras, extra_lengths, extra_values)
        values = {j: float(weights[list(sets[j])].sum()) + bonus[j] for j in chosen_idx}
        citer = Citer(self.embedder.encode if self.citations else None)
        cites = dict(zip(chosen_idx, citer.cite([cands[j] for j in chosen_idx], arts, facts)))
        group_of = {aid: k for k, g in enumerate(source_groups) for aid in g}
        sources = {j: len({group_of.get(sp.article, sp.article) for sp in cites[j]})
                   for j in chosen_idx}
        chosen_idx = [chosen_idx[i] for i in reading_order(
            [cands[j] for j in chosen_idx], arts, [(sources[j], values[j]) for j in chosen_idx])]
        while True:
            out = self._assemble(chosen_idx, cands, cites, conflicts, rendered, arts)
            if sum(word_count(s.text) for s in out) <= words or len(chosen_idx) <= 1:
                return out
            # a dispute found through a citation overran the budget: drop the least valuable
            chosen_idx.remove(min(chosen_idx, key=lambda j: values[j]))

    @staticmethod
    def _reach(c: Candidate, facts: Sequence[Fact]) -> list[Span]:
        """The candidate's own sentence and the support of the facts it belongs to."""
        spans = [Span(c.article, c.sentence_start, c.sentence_end, "")]
        for f in facts:
            if any(sp.article == c.article and sp.start < c.end and c.start < sp.end
                   for sp in f.support):
                spans += f.support
        return spans

    def _dispute_values(self, conflicts, arts, sets, weights) -> list[float]:
        """What stating a dispute is worth: a typical sentence's value times the share of the
        story's articles that take a side (a dispute most sources join is part of the story)."""
        values = np.array([weights[list(s)].sum() if s else 0.0 for s in sets])
        unit = float(values.mean()) if values.size and values.mean() > 0 else 1.0
        ids = {a.id for a in arts}
        return [self.settings.dispute_weight * unit *
                len({cl.article for cl in c.claims} & ids) / max(len(ids), 1) for c in conflicts]

    @staticmethod
    def _dispute_ids(conflicts: Sequence[Conflict], spans: Sequence[Span],
                     by_id: dict[str, Article]) -> list[int]:
        return [k for k, conflict in enumerate(conflicts) if touches(conflict, spans, by_id)]

    def _assemble(self, chosen_idx, cands, cites, conflicts, rendered, arts):
        """The summary sentences, each dispute right after the first sentence that touches it."""
        out: list[SummarySentence] = []
        said: set[int] = set()
        by_id = {a.id: a for a in arts}
        for j in chosen_idx:
            out.append(SummarySentence(cands[j].text, cites[j]))
            for k in self._dispute_ids(conflicts, cites[j], by_id):
                if k not in rendered:
                    rendered[k] = conflict_sentence(conflicts[k], arts)
                if k not in said and rendered[k] is not None:
                    said.add(k)
                    out.append(rendered[k])
        return tuple(out)

    def _query_bonus(self, cands, sets, weights, query) -> np.ndarray:
        """Sentences sharing words with the query get a bonus in proportion."""
        q = set(content_tokens(query))
        if not q:
            return np.zeros(len(cands))
        values = np.array([weights[list(s)].sum() if s else 0.0 for s in sets])
        unit = float(values.mean()) if values.size and values.mean() > 0 else 1.0
        share = np.array([len(q & set(content_tokens(c.text))) / len(q) for c in cands])
        return self.settings.query_weight * unit * share
