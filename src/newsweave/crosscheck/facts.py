"""Facts: sentences aligned across articles, each group counted over independent sources.

Every whole sentence proposes a fact: itself (the statement a reader sees, never a clause cut out
of it) plus, in each other article, the one sentence or clause that states the most nearly the same
thing, when that unit is close enough AND states it: it gives every figure the statement gives
(other figures are another claim, or a conflict, never support) and has the same polarity. A
sentence can so support several facts (news sentences pack several claims), and proposals whose
support is contained in an accepted one are dropped. Closeness mixes the MiniLM cosine with
content-word overlap, and a disagreement on numbers lowers it, so "seven guards" and "three drones"
never align by topic alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..model import Article, Fact, Span
from ..nlp.embed import Embedder
from ..nlp.statements import (
    content_words,
    restatement_probabilities,
    restatement_threshold,
    states,
)

# Weights: MiniLM cosines of paraphrases in news sit around 0.6-0.9, unrelated sentences on the
# same story around 0.3-0.5; the content-word term separates "same event, different claim" from
# "same claim" (chosen by reasoning). THRESHOLD: 0.48 until 2026-12-07, when support became
# precision first; 0.6 is the best F0.5 (precision weighted twice recall) of multi-source facts
# against the seed gold among 0.48-0.7 (bench/RESULTS.md "Claims"); concorde.json, never used to
# choose it, went from precision 0.42 to 0.65 there. An ECB+-trained pair model (learned=True,
# bench/train_statements.py) was measured and is not the default: worse on both gold clusters.
COS_WEIGHT = 0.75
LEX_WEIGHT = 0.25
THRESHOLD = 0.6
CONFIDENT = 0.62
MIN_WORDS = 5
# With the learned pair model (nlp/statements.py): a match this far above its threshold needs no
# mutual-best check.
LEARNED_MARGIN = 0.3
# Claims are taken from the first sentences of each article: news puts its facts first, and the
# cap keeps alignment within memory for stories of book-length texts (n^2 similarities).
MAX_SENTENCES_PER_ARTICLE = 80
# Above this many units a story is aligned through each unit's nearest neighbours, not a dense
# matrix (4,000 units: 64 MB a matrix; the first article stages' stories stay far below it).
BLOCK_FROM = 4000
NEIGHBOURS = 64


@dataclass(frozen=True)
class Unit:
    """One sentence of one article, or a clause of a long one, as a claim to align."""

    article: str
    start: int
    end: int
    text: str
    sentence: bool = True  # a whole sentence (a clause never stands as a fact's statement)
    # how firmly the sentence states its claim (extract/frames.py); None for a clause, whose
    # modality its sentence's parse does not give
    modality: str | None = None
    # for each further claim the sentence coordinates ("... and had spent the afternoon ..."),
    # the word stems only that claim has: a support must share one with each
    parts: tuple[frozenset[str], ...] = ()


def _stems(words) -> set[str]:
    """Crude stems (the first four letters) so that "called"/"calling" or "injured"/"injuries"
    meet."""
    return {w[:4] for w in words}


def parts_of(text: str, conjuncts) -> tuple[frozenset[str], ...]:
    """The stems each conjoined clause of ``text`` has and the rest of the sentence lacks."""
    out = []
    for c in conjuncts:
        rest = text.replace(c, " ")
        own = _stems(content_words(c)) - _stems(content_words(rest))
        if own:
            out.append(frozenset(own))
    return tuple(out)


def compatible(a: Unit, b: Unit) -> bool:
    """Whether ``b`` may support statement ``a`` beyond its wording: the same modality ("may have
    found" never supports "found", a denial never supports the claim it denies), and something
    of each claim ``a`` coordinates ("X was unharmed and had spent the afternoon helping" is not
    stated by "X escaped unharmed")."""
    if a.modality is not None and b.modality is not None and a.modality != b.modality:
        return False
    if a.parts:
        theirs = _stems(content_words(b.text))
        return all(p & theirs for p in a.parts)
    return True


_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12, "twenty": 20}


def _numbers(text: str) -> set[str]:
    found = set(re.findall(r"\b\d+(?:\.\d+)?\b", text))
    found |= {str(_NUMBER_WORDS[w]) for w in re.findall(r"[a-z]+", text.lower()) if w in _NUMBER_WORDS}
    return found


# Long sentences carry several claims: their clauses are aligned too, so "After X escaped
# unharmed ..., helicopters circled ..." can support both "X escaped unharmed" and the helicopters.
_CLAUSE_BREAK = re.compile(
    r"\s*;\s+|\s+[—–]\s+|,\s+(?=(?:while|but|after|as|amid|however|which|who|where|leading|adding|"
    r"although|though|before|since|because|whereas|with|and\s+(?:the|a|an|his|her|their|it|he|she|they)\b)\b)",
    re.I,
)
_LEAD_SUB = re.compile(r"^(?:After|Following|As|While|Although|Though|When|Since|Because|Despite|Before)\b[^,]{8,}?,\s+")
LONG_SENTENCE_WORDS = 16


def _clauses(text: str, base: int) -> list[tuple[int, int]]:
    """Clause spans (absolute offsets) of one sentence, each of MIN_WORDS words or more."""
    cuts = [0]
    m = _LEAD_SUB.match(text)
    if m:
        cuts.append(m.end())
    cuts += [m.end() for m in _CLAUSE_BREAK.finditer(text)]
    cuts = sorted(set(cuts)) + [len(text)]
    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = text[a:b].rstrip(" ,;:—–")
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        if len(piece.split()) >= MIN_WORDS:
            out.append((base + a + lead, base + a + lead + len(piece)))
    return out if len(out) > 1 else []


_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*\s*$")


def _balanced(t: str) -> bool:
    """Quotation marks that open and close inside ``t``, in the conventions wires use: curly
    “...”, NYT ``...'', AP ''...'' and straight "..." (a ’ is also an apostrophe: only an opening
    ‘ must find one)."""
    if t.count("“") != t.count("”") or t.count('"') % 2 or t.count("‘") > t.count("’"):
        return False
    if "``" in t:
        return t.count("``") == t.count("''")
    return t.count("''") % 2 == 0


def standalone(article: Article, start: int, end: int) -> bool:
    """Whether the sentence at ``start:end`` reads on its own as a statement: it ends as a
    sentence does (a subheading does not), its quotation marks open and close inside it, and it
    is not the inside of a longer quote whose speaker it does not name (a reader would take the
    speaker's words for a finding)."""
    t = article.text[start:end]
    if not _ENDS_SENTENCE.search(t):
        return False
    if not _balanced(t):
        return False
    for q in article.quotes:
        if q.start <= start and end <= q.end + 2:
            if q.speaker_start is None or not (start <= q.speaker_start < end):
                return False
    return True


def claim_units(articles: Sequence[Article]) -> list[Unit]:
    """Sentences of at least MIN_WORDS words, plus the clauses of long sentences; only sentences
    that read on their own (``standalone``) may stand as a fact's statement."""
    out = []
    for a in articles:
        frames = {(f.start, f.end): f for f in a.frames}
        for s in a.sentences[:MAX_SENTENCES_PER_ARTICLE]:
            t = a.text[s.start:s.end]
            n = len(t.split())
            if n < MIN_WORDS:
                continue
            f = frames.get((s.start, s.end))
            out.append(Unit(a.id, s.start, s.end, t, sentence=standalone(a, s.start, s.end),
                            modality=f.modality if f else "asserted",
                            parts=parts_of(t, f.conjuncts) if f else ()))
            if n >= LONG_SENTENCE_WORDS:
                for cs, ce in _clauses(t, s.start):
                    out.append(Unit(a.id, cs, ce, a.text[cs:ce], sentence=False))
    return out


class _Accepted:
    """The supports accepted so far, indexed by unit, so that asking whether one already holds a
    proposal costs the few accepted facts that share a unit with it, not all of them (a story of
    1,000 articles accepts tens of thousands)."""

    def __init__(self, units: Sequence[Unit]):
        self.units = units
        self.sets: list[frozenset[int]] = []
        self.holders: dict[int, list[int]] = {}
        # each unit's overlapping units in its article (itself, its sentence, its clauses)
        self.overlaps: dict[int, list[int]] = {}
        by_article: dict[str, list[int]] = {}
        for i, u in enumerate(units):
            by_article.setdefault(u.article, []).append(i)
        for idx in by_article.values():
            for i in idx:
                u = units[i]
                self.overlaps[i] = [j for j in idx
                                    if units[j].start < u.end and u.start < units[j].end]

    def covers(self, support: frozenset[int]) -> bool:
        """True when an accepted fact already holds, in every article of ``support``, a unit that
        overlaps this one's (a clause and its sentence state the same thing)."""
        first = min(support)
        seen: set[int] = set()
        for j in self.overlaps[first]:
            for a in self.holders.get(j, ()):
                if a in seen:
                    continue
                seen.add(a)
                acc = self.sets[a]
                if all(any(j2 in acc for j2 in self.overlaps[k]) for k in support):
                    return True
        return False

    def add(self, support: frozenset[int]) -> None:
        for j in support:
            self.holders.setdefault(j, []).append(len(self.sets))
        self.sets.append(support)


class FactAligner:
    """Align a story's sentences into facts.

    ``source_group`` maps an article id to its independent-source group (copies share one).
    """

    name = "facts"

    def __init__(self, embedder: Embedder | None = None, threshold: float | None = None,
                 confident: float | None = None, learned: bool = False):
        self.embedder = embedder or Embedder()
        self.learned = learned
        if learned:
            base = restatement_threshold()
            self.threshold = base if threshold is None else threshold
            self.confident = min(0.99, base + LEARNED_MARGIN) if confident is None else confident
        else:
            self.threshold = THRESHOLD if threshold is None else threshold
            self.confident = CONFIDENT if confident is None else confident

    def similarity(self, units: Sequence[Unit]) -> np.ndarray:
        """Pairwise closeness of the units (same-article pairs are not used)."""
        if self.learned:
            vecs = self.embedder.encode([u.text for u in units])
            return restatement_probabilities([u.text for u in units], vecs @ vecs.T)
        from sklearn.feature_extraction.text import CountVectorizer

        vecs = self.embedder.encode([u.text for u in units])
        cos = vecs @ vecs.T
        n = len(units)
        words = CountVectorizer(binary=True, analyzer=lambda t: sorted(content_words(t)))
        try:
            W = words.fit_transform([u.text for u in units])
            inter = (W @ W.T).toarray().astype(np.float32)
            sizes = np.asarray(W.sum(axis=1)).ravel().astype(np.float32)
            lex = inter / np.maximum(np.minimum.outer(sizes, sizes), 1.0)
        except ValueError:  # no content words at all
            lex = np.zeros((n, n), dtype=np.float32)
        nums = CountVectorizer(binary=True, analyzer=lambda t: sorted(_numbers(t)))
        try:
            N = nums.fit_transform([u.text for u in units])
            shared = (N @ N.T).toarray()
            has = np.asarray(N.sum(axis=1)).ravel() > 0
            # both state numbers and share none: "seven guards" vs "three drones"
            lex -= 0.3 * ((shared == 0) & np.outer(has, has))
        except ValueError:
            pass
        return COS_WEIGHT * cos + LEX_WEIGHT * lex

    def _propose(self, units, by_article, sim) -> list[tuple[frozenset[int], float, int]]:
        """Each statement's proposal (support, score, centre) from the dense similarity matrix."""
        proposals = []
        for i, u in enumerate(units):
            if not u.sentence:
                continue  # a clause supports facts; it never stands as one
            support = {i}
            score = 0.0
            for aid, idx in by_article.items():
                if aid == u.article:
                    continue
                j = max(idx, key=lambda k: sim[i, k])
                if (sim[i, j] < self.threshold or not compatible(u, units[j])
                        or not states(u.text, units[j].text)):
                    continue
                # Near the threshold, ask that the match be mutual: i is also j's closest unit in
                # i's article. Loose topical neighbours are rarely each other's best match.
                back = max(by_article[u.article], key=lambda k: sim[j, k])
                if sim[i, j] >= self.confident or sim[j, back] - sim[j, i] < 0.02:
                    support.add(j)
                    score += sim[i, j]
            proposals.append((frozenset(support), score, i))
        return proposals

    def _propose_blocked(self, units) -> list[tuple[frozenset[int], float, int]]:
        """``_propose`` for stories too large for a dense matrix: each unit is compared only with
        its ``NEIGHBOURS`` nearest units by MiniLM cosine (the only ones that can clear the
        threshold in practice: the score is 0.75 cosine plus at most 0.25 word overlap), so the
        cost grows with units x neighbours, not units squared."""
        vecs = self.embedder.encode([u.text for u in units])
        n = len(units)
        k = min(NEIGHBOURS, n - 1)
        cand = np.empty((n, k), dtype=np.int64)
        for lo in range(0, n, 1024):  # rows in chunks: memory stays at 1024 x n
            block = vecs[lo:lo + 1024] @ vecs.T
            for r in range(block.shape[0]):
                block[r, lo + r] = -np.inf
            cand[lo:lo + 1024] = np.argpartition(-block, k - 1, axis=1)[:, :k]
        words = [content_words(u.text) for u in units]
        figures = [_numbers(u.text) for u in units]
        memo: dict[tuple[int, int], float] = {}

        def sim(i: int, j: int) -> float:
            key = (i, j) if i < j else (j, i)
            if key not in memo:
                wi, wj = words[i], words[j]
                lex = len(wi & wj) / max(min(len(wi), len(wj)), 1)
                if figures[i] and figures[j] and not figures[i] & figures[j]:
                    lex -= 0.3
                memo[key] = COS_WEIGHT * float(vecs[i] @ vecs[j]) + LEX_WEIGHT * lex
            return memo[key]

        def best(i: int, article: str, extra: int | None = None) -> dict[str, int]:
            out: dict[str, int] = {}
            for j in [*cand[i].tolist(), *([extra] if extra is not None else [])]:
                a = units[j].article
                if a == units[i].article or (article and a != article):
                    continue
                if a not in out or sim(i, j) > sim(i, out[a]):
                    out[a] = j
            return out

        proposals = []
        for i, u in enumerate(units):
            if not u.sentence:
                continue
            support = {i}
            score = 0.0
            for j in best(i, "").values():
                if (sim(i, j) < self.threshold or not compatible(u, units[j])
                        or not states(u.text, units[j].text)):
                    continue
                back = best(j, u.article, extra=i)[u.article]
                if sim(i, j) >= self.confident or sim(j, back) - sim(j, i) < 0.02:
                    support.add(j)
                    score += sim(i, j)
            proposals.append((frozenset(support), score, i))
        return proposals

    def align(self, articles: Sequence[Article], source_group: dict[str, int]) -> list[Fact]:
        units = claim_units(articles)
        if not units:
            return []
        if len({u.article for u in units}) == 1:
            # one article: nothing to align, every claim is single-source
            return [Fact(u.text, "single", 1, (Span(u.article, u.start, u.end, u.text),))
                    for u in units if u.sentence]
        by_article: dict[str, list[int]] = {}
        for i, u in enumerate(units):
            by_article.setdefault(u.article, []).append(i)
        if len(units) > BLOCK_FROM and not self.learned:
            proposals = self._propose_blocked(units)
        else:
            proposals = self._propose(units, by_article, self.similarity(units))
        # Larger, tighter groups first; a proposal inside an accepted one adds nothing.
        proposals.sort(key=lambda p: (-len({units[k].article for k in p[0]}), -p[1], p[2]))
        accepted = _Accepted(units)
        facts = []
        for support, _score, centre in proposals:
            if accepted.covers(support):
                continue
            accepted.add(support)
            members = sorted(support, key=lambda k: (units[k].article, units[k].start))
            groups = {source_group.get(units[k].article, units[k].article) for k in members}
            spans = tuple(Span(units[k].article, units[k].start, units[k].end, units[k].text)
                          for k in members)
            indep = len(groups)
            facts.append(Fact(statement=units[centre].text,
                              status="consensus" if indep >= 2 else "single",
                              independent_sources=indep, support=spans))
        # a total order (support spans last), so float noise in scores never reorders facts
        facts.sort(key=lambda f: (-f.independent_sources, -len(f.support),
                                  [(sp.article, sp.start) for sp in f.support]))
        return facts
