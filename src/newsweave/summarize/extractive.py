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

import copy
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..model import Article, Conflict, Fact, Span, SummarySentence
from ..nlp.embed import Embedder
from .candidates import Candidate, all_candidates
from ..nlp.statements import states
from .cite import Citer, Sides
from .concepts import bigrams, content_tokens, document_frequency, word_count
from .disputes import conflict_sentence, dispute_index, dispute_words, touched
from .ordering import reading_order
from .select import greedy, ilp

# Candidates compared at a time for near-duplicates: a 1,024 x n block of word overlaps.
_BLOCK = 1024


@dataclass(frozen=True)
class Settings:
    """The summarizer's knobs.

    Where the numbers come from (bench/RESULTS.md, "Summaries", has the runs): ``min_df`` and
    the 8-55 word sentence limits are ICSI's published choices; ``lead_weight``,
    ``position_bonus``, ``unigram_weight`` and ``centrality_bonus`` were set on DUC 2004 clusters
    1-25 (file order) and checked on clusters 26-50, which they were never tuned on;
    ``query_weight`` was set on DUC 2006. ``corroboration_bonus`` is off: on DUC 2004 clusters
    1-25 a bonus of 0.25 lowered ROUGE-2 from 10.39 to 8.99 (repeated background sentences are
    what many articles agree on), so facts serve citations and disputes, not selection.
    """

    method: str = "ilp"  # ilp (exact, greedy when HiGHS times out) | greedy | centroid (MiniLM MMR)
    # A concept must occur in this many articles (ICSI's 3 for 10-article clusters); fewer
    # articles lower it (see ``min_df``).
    min_df: int = 3
    lead_sentences: int = 3  # a concept in an article's first sentences weighs more...
    lead_weight: float = 1.0  # ...by this much per such article
    position_bonus: float = 0.5  # bonus for an article's first sentence, in mean sentence values
    unigram_weight: float = 0.3  # content words as concepts too, at this share of a bigram's weight
    centrality_bonus: float = 3.0  # TF-IDF cosine to the candidates' centroid, in mean values
    # With a query, the query is the focus: on DUC 2006 centrality and word concepts lowered
    # ROUGE-2 (10.41 without either, 9.65 with both), so these replace the two above.
    query_centrality_bonus: float = 0.0
    query_unigram_weight: float = 0.0
    corroboration_bonus: float = 0.0  # per extra independent source stating it, in mean values
    query_weight: float = 2.0  # concepts holding a query word weigh 1 + this; sentences get a bonus
    min_words: int = 8
    max_words: int = 55
    greedy_exponent: float = 1.0
    duplicate_overlap: float = 0.8  # candidates sharing this much are never both chosen
    mmr_lambda: float = 0.7  # centroid method only
    # A dispute every article takes a side in is worth two typical sentences: stating where
    # sources disagree is part of the story, and below that weight the seed story's summary left
    # out the attack itself rather than pay for the disputes it brings.
    dispute_weight: float = 2.0
    # At most one dispute per this many words of budget (two in 100 words), so that disputes
    # never crowd out the story; a sentence whose disputes would pass the cap is not chosen,
    # since a disputed claim is never stated without its dispute.
    words_per_dispute: int = 50


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
            for b in sorted(units(c.text)):  # sorted: concept ids (ILP order) never hang on str hashing
                if df[b] < floor:
                    continue
                if b not in ids:
                    ids[b] = len(weights)
                    w = df[b] + st.lead_weight * lead_df[b]
                    if len(b) == 1:
                        w *= st.unigram_weight
                    if qwords and any(t in qwords for t in b):
                        w *= 1.0 + st.query_weight
                    weights.append(w)
                mine.add(ids[b])
            sets.append(frozenset(mine))
        return sets, np.asarray(weights, dtype=float)

    @staticmethod
    def _unit(sets, weights: np.ndarray) -> float:
        """A typical candidate's concept value: the scale every bonus is given in."""
        values = np.array([weights[list(s)].sum() if s else 0.0 for s in sets])
        return float(values.mean()) if values.size and values.mean() > 0 else 1.0

    def bonuses(self, cands: Sequence[Candidate], sets, weights: np.ndarray,
                facts: Sequence[Fact], query: str | None) -> np.ndarray:
        """Per-candidate additions to the objective: lead position, centrality, corroboration,
        query relevance."""
        st = self.settings
        n = len(cands)
        unit = self._unit(sets, weights)
        bonus = np.zeros(n)
        if st.position_bonus:
            bonus += st.position_bonus * unit * np.array([c.index == 0 for c in cands], dtype=float)
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
            support = support_index(facts)
            for j, c in enumerate(cands):
                k = max((f.independent_sources for start, end, _k, f in support.get(c.article, ())
                         if start < c.end and c.start < end), default=1)
                bonus[j] += st.corroboration_bonus * unit * (k - 1)
        if query and st.query_weight:
            q = set(content_tokens(query))
            if q:
                bonus += st.query_weight * unit * np.array(
                    [len(q & set(content_tokens(c.text))) / len(q) for c in cands])
        return bonus

    def duplicates(self, cands: Sequence[Candidate], facts: Sequence[Fact] = ()
                   ) -> list[frozenset[int]]:
        """For each candidate, the others that say the same: nearly the same words, or other
        articles' support of a fact it supports (cross-checking found they state one claim)."""
        from sklearn.feature_extraction.text import CountVectorizer

        n = len(cands)
        try:
            M = CountVectorizer(binary=True, analyzer=lambda t: sorted(set(content_tokens(t)))) \
                .fit_transform([c.text for c in cands])
        except ValueError:
            return [frozenset() for _ in range(n)]
        size = np.asarray(M.sum(axis=1)).ravel()
        MT = M.T.tocsc()
        same: list[set[int]] = []
        for lo in range(0, n, _BLOCK):  # a block of rows at a time: no n x n matrix in memory
            share = (M[lo:lo + _BLOCK] @ MT).toarray() / np.maximum(
                np.minimum.outer(size[lo:lo + _BLOCK], size), 1)
            share[np.arange(share.shape[0]), np.arange(lo, lo + share.shape[0])] = 0
            same += [set(np.nonzero(row >= self.settings.duplicate_overlap)[0].tolist())
                     for row in share]
        where: dict[str, list[int]] = {}
        for j, c in enumerate(cands):
            where.setdefault(c.article, []).append(j)
        for f in facts:
            members = {j for sp in f.support for j in where.get(sp.article, ())
                       if sp.start < cands[j].end and cands[j].start < sp.end}
            for j in members:
                same[j] |= {k for k in members if cands[k].article != cands[j].article}
        return [frozenset(x) for x in same]

    def choose(self, cands: Sequence[Candidate], sets, weights, bonus, lengths, budget,
               extras=(), extra_lengths=(), extra_values=(), facts=(),
               max_extras: int | None = None) -> list[int]:
        st = self.settings
        excluded = self.duplicates(cands, facts)
        if st.method == "centroid":
            return self._centroid(cands, lengths, budget, excluded, bonus)
        if st.method == "ilp":
            got = ilp(sets, weights, bonus, lengths, budget, excluded, extras, extra_lengths,
                      extra_values, max_extras)
            if got is not None:
                return got
        return greedy(sets, weights, bonus, lengths, budget, st.greedy_exponent, excluded,
                      extras, extra_lengths, extra_values, max_extras)

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
        st = self.settings
        if query and (st.centrality_bonus, st.unigram_weight) != (st.query_centrality_bonus,
                                                                   st.query_unigram_weight):
            focused = copy.copy(self)
            focused.settings = dataclasses.replace(st, centrality_bonus=st.query_centrality_bonus,
                                                   unigram_weight=st.query_unigram_weight)
            return focused.summarize(articles, facts, source_groups, conflicts, words=words,
                                     query=query)
        arts = [a for a in articles if a.sentences]
        group_of = {aid: k for k, g in enumerate(source_groups) for aid in g}
        cands = self.candidates(arts)
        if not cands or words <= 0:
            return ()
        sets, weights = self.concept_weights(arts, cands, query)
        bonus = self.bonuses(cands, sets, weights, facts, query)
        # The disputes a sentence will bring (those its own sentence or its facts' support touch)
        # take room in the budget once; citations found later can add more (checked below).
        rendered: dict[int, SummarySentence | None] = {k: conflict_sentence(c, arts)
                                                       for k, c in enumerate(conflicts)}
        by_id = {a.id: a for a in arts}
        sides = Sides(conflicts, by_id)
        support = support_index(facts)
        disputed = dispute_index(conflicts, by_id, group_of)
        extras = [frozenset(k for k in touched(disputed, self._reach(c, support, sides))
                            if rendered[k] is not None) for c in cands]
        extra_lengths = [dispute_words(r) if r else 0 for r in rendered.values()]
        extra_values = self._dispute_values(conflicts, arts, sets, weights, bonus)
        chosen_idx = self.choose(cands, sets, weights, bonus, [c.words for c in cands], words,
                                 extras, extra_lengths, extra_values, facts,
                                 max(1, words // self.settings.words_per_dispute))
        values = {j: float(weights[list(sets[j])].sum()) + bonus[j] for j in chosen_idx}
        citer = Citer(self.embedder.encode if self.citations else None)
        cites = dict(zip(chosen_idx, citer.cite([cands[j] for j in chosen_idx], arts, facts, conflicts)))
        sources = {j: len({group_of.get(sp.article, sp.article) for sp in cites[j]})
                   for j in chosen_idx}
        chosen_idx = [chosen_idx[i] for i in reading_order(
            [cands[j] for j in chosen_idx], arts, [(sources[j], values[j]) for j in chosen_idx])]
        while True:
            out = self._assemble(chosen_idx, cands, cites, conflicts, rendered, arts, disputed)
            disputes = {id(r) for r in rendered.values() if r is not None}
            if sum(dispute_words(s) if id(s) in disputes else word_count(s.text)
                   for s in out) <= words or len(chosen_idx) <= 1:
                return out
            # a dispute found through a citation overran the budget: drop the least valuable
            chosen_idx.remove(min(chosen_idx, key=lambda j: values[j]))

    @staticmethod
    def _reach(c: Candidate, support: dict[str, list[tuple[int, int, int, Fact]]],
               sides: Sides | None = None) -> list[Span]:
        """The candidate's own sentence and what it will likely cite: the support of the facts it
        belongs to (found through ``support_index``), less sentences whose figures differ from
        its own or that take another side of a conflict (never cited, see cite)."""
        spans = [Span(c.article, c.sentence_start, c.sentence_end, "")]
        mine = sides.of(c.article, c.start, c.end) if sides else {}
        mine_facts = {k: f for start, end, k, f in support.get(c.article, ())
                      if start < c.end and c.start < end}
        for _k, f in sorted(mine_facts.items()):
            spans += [sp for sp in f.support
                      if states(c.text, sp.text)
                      and not (sides and sides.opposed(mine, sides.of(sp.article, sp.start, sp.end)))]
        return spans

    def _dispute_values(self, conflicts, arts, sets, weights, bonus) -> list[float]:
        """What stating a dispute is worth: a typical sentence's value (concepts and bonuses)
        times the share of the story's articles that take a side (a dispute most sources join is
        part of the story)."""
        unit = self._unit(sets, weights) + (float(np.mean(bonus)) if len(bonus) else 0.0)
        ids = {a.id for a in arts}
        return [self.settings.dispute_weight * unit *
                len({cl.article for cl in c.claims} & ids) / max(len(ids), 1) for c in conflicts]

    def _assemble(self, chosen_idx, cands, cites, conflicts, rendered, arts, disputed):
        """The summary sentences, each dispute right after the first sentence that touches it."""
        out: list[SummarySentence] = []
        said: set[int] = set()
        for j in chosen_idx:
            out.append(SummarySentence(cands[j].text, cites[j]))
            for k in touched(disputed, cites[j]):
                if k not in rendered:
                    rendered[k] = conflict_sentence(conflicts[k], arts)
                if k not in said and rendered[k] is not None:
                    said.add(k)
                    out.append(rendered[k])
        return tuple(out)


def support_index(facts: Sequence[Fact]) -> dict[str, list[tuple[int, int, int, Fact]]]:
    """Per article, (start, end, fact number, fact) for every span that supports a fact, so a
    sentence finds its facts without a pass over all of them (that pass made summaries of large
    stories quadratic)."""
    out: dict[str, list[tuple[int, int, int, Fact]]] = {}
    for k, f in enumerate(facts):
        for sp in f.support:
            out.setdefault(sp.article, []).append((sp.start, sp.end, k, f))
    return out
