"""Claim matching learned from ECB+ cross-document event coreference.

Two mentions of an event (or two claims) are compared by a logistic regression over a few
features: do their trigger words share a lemma, how close are the trigger words, the words around
them and the whole sentences (MiniLM cosines), how much do their arguments overlap (names,
numbers, times: Jaccard), do they agree on negation, and do they come from the same article or
sentence. The weights live in ``resources/claim_matcher.json`` (plain JSON, written by
``bench/train_matcher.py``, which says what they were trained on); ``ClaimMatcher`` reads them.

``ClaimMatcher.cluster`` groups the items of one story: it scores only the pairs that pass a
cheap block (same lemma or near trigger words; a shared argument too, if the weights say so),
then links them by average-link agglomeration on the pair probability, pairs never scored
counting as 0.

>>> m = ClaimMatcher()                                                  # doctest: +SKIP
>>> a = item_from_doc(nlp("Quake kills 14 in Peru ."), 6, 11, "a1")     # doctest: +SKIP
>>> b = item_from_doc(nlp("An earthquake killed 14 in Peru ."), 14, 20, "a2")  # doctest: +SKIP
>>> m.probability(a, b) > m.threshold                                   # doctest: +SKIP
True
"""

from __future__ import annotations

import heapq
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import ConfigError

WEIGHTS_FILE = "claim_matcher.json"
WINDOW_WORDS = 3  # words either side of the trigger in its local context
_NEGATION = frozenset({"not", "no", "never", "n't", "without", "nobody", "nothing", "neither",
                       "nor", "none"})
_WORD = re.compile(r"\S+")
_ARTICLES = frozenset({"the", "a", "an", "'s", "of", "and"})
# spaCy entity labels, by which argument slot they fill
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT",
                         "WORK_OF_ART", "LAW"})
NUMBER_LABELS = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT"})
TIME_LABELS = frozenset({"DATE", "TIME"})


@dataclass(frozen=True)
class MatchItem:
    """One event mention or claim, as the matcher sees it.

    ``trigger`` is a (start, end) span of ``text`` (the sentence), or None when the claim has no
    single trigger (then the sentence stands for it). Vectors are filled by
    ``ClaimMatcher.encode``; ``features`` encodes on the fly when they are missing.
    """

    text: str
    trigger: tuple[int, int] | None
    lemma: str
    entities: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    times: tuple[str, ...] = ()
    negated: bool = False
    article: str = ""
    sentence: int | None = None  # index of the sentence in its article, when known
    context: str = ""  # what stands for the whole article (its headline and lead), if given
    arguments: tuple[str, ...] = ()  # content lemmas of the trigger's syntactic arguments
    sentence_vec: np.ndarray | None = field(default=None, compare=False, repr=False)
    trigger_vec: np.ndarray | None = field(default=None, compare=False, repr=False)
    window_vec: np.ndarray | None = field(default=None, compare=False, repr=False)
    context_vec: np.ndarray | None = field(default=None, compare=False, repr=False)

    @property
    def trigger_text(self) -> str:
        if self.trigger is None:
            return self.text
        return self.text[self.trigger[0]:self.trigger[1]]

    @property
    def window(self) -> str:
        """The trigger with ``WINDOW_WORDS`` words either side (the whole text without one)."""
        if self.trigger is None:
            return self.text
        s, e = self.trigger
        before = _WORD.findall(self.text[:s])[-WINDOW_WORDS:]
        after = _WORD.findall(self.text[e:])[:WINDOW_WORDS]
        return " ".join([*before, self.text[s:e], *after])


def item_from_doc(doc, start: int | None, end: int | None, article: str = "",
                  negated: bool = False, sentence: int | None = None,
                  context: str = "") -> MatchItem:
    """A ``MatchItem`` from a parsed sentence (a spaCy ``Doc`` with NER, tagger and parser).

    Args:
        doc: the sentence, parsed (``newsweave.nlp.models.spacy_model()``).
        start, end: character offsets of the trigger in ``doc.text``; None for no trigger (the
            sentence's root verb gives the lemma).
        article: the article id; negated: known negation (e.g. from annotation), or-ed with a
            negation word on the trigger; sentence: its index in the article; context: the
            article's headline and lead.
    Returns:
        The item, without vectors.
    """
    if start is None or end is None:
        roots = [t for t in doc if t.dep_ == "ROOT"] or list(doc[:1])
        head, toks = (roots[0] if roots else None), []
    else:
        toks = [t for t in doc if t.idx < end and t.idx + len(t) > start]
        head = _head(toks)
    lemma = head.lemma_.lower() if head is not None else ""
    if head is not None:
        near = list(toks) + list(head.children)
        negated = negated or any(t.dep_ == "neg" or t.lower_ in _NEGATION for t in near)
    trig = None if start is None or end is None else (start, end)
    inside = set() if trig is None else {t.i for t in toks}
    names, nums, times = [], [], []
    for ent in doc.ents:
        if any(t.i in inside for t in ent):
            continue
        slot = names if ent.label_ in NAME_LABELS else nums if ent.label_ in NUMBER_LABELS \
            else times if ent.label_ in TIME_LABELS else None
        if slot is not None:
            slot.append(ent.text)
    return MatchItem(doc.text, trig, lemma, tuple(names), tuple(nums), tuple(times), negated,
                     article, sentence, context, arguments_of(head, inside))


# Dependents that fill an argument slot of a verb or an event noun (who, whom, where, when).
_ARG_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "obj", "iobj", "dative", "attr", "agent",
                       "poss", "compound", "npadvmod", "oprd", "acomp"})
_ARG_POS = frozenset({"PROPN", "NOUN", "NUM"})
MAX_ARGUMENT_TOKENS = 8


def arguments_of(head, inside: set[int] = frozenset()) -> tuple[str, ...]:
    """Content lemmas (names, nouns, numbers) of the arguments of ``head``: its subjects,
    objects, possessors, compounds and the objects of its prepositions, each a subtree of at
    most ``MAX_ARGUMENT_TOKENS`` tokens (its head alone when longer)."""
    if head is None:
        return ()
    fillers = []
    for c in head.children:
        if c.i in inside:
            continue
        if c.dep_ in _ARG_DEPS:
            fillers.append(c)
        elif c.dep_ == "prep" or c.dep_ == "agent":
            fillers.extend(g for g in c.children if g.dep_ in ("pobj", "pcomp"))
    out = []
    for f in fillers:
        sub = list(f.subtree)
        toks = sub if len(sub) <= MAX_ARGUMENT_TOKENS else [f]
        out.extend(t.lemma_.lower() for t in toks if t.pos_ in _ARG_POS and t.i not in inside)
    return tuple(dict.fromkeys(out))


def _head(toks):
    """The syntactic head of a span: the token whose head lies outside it, verbs first."""
    if not toks:
        return None
    ids = {t.i for t in toks}
    roots = [t for t in toks if t.head.i not in ids or t.head.i == t.i] or toks
    for pos in ("VERB", "NOUN", "AUX", "ADJ"):
        for t in roots:
            if t.pos_ == pos:
                return t
    return roots[0]


# -- features ---------------------------------------------------------------------------------


def _words(strings: Sequence[str]) -> set[str]:
    return {w for s in strings for w in s.lower().split() if w not in _ARTICLES}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _cos(u: np.ndarray | None, v: np.ndarray | None) -> float:
    if u is None or v is None:
        return 0.0
    return float(np.dot(u, v))


def _prefix(a: str, b: str) -> float:
    """Share of the longer lemma its common prefix covers ("announce", "announcement": 0.67)."""
    if not a or not b:
        return 0.0
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n / max(len(a), len(b))


def _same_sentence(a: MatchItem, b: MatchItem) -> float:
    if a.article != b.article:
        return 0.0
    if a.sentence is not None and b.sentence is not None:
        return float(a.sentence == b.sentence)
    return float(a.text == b.text)


FEATURES: dict[str, Callable[[MatchItem, MatchItem], float]] = {
    "same_lemma": lambda a, b: float(bool(a.lemma) and a.lemma == b.lemma),
    "lemma_prefix": lambda a, b: _prefix(a.lemma, b.lemma),
    "trigger_cos": lambda a, b: _cos(a.trigger_vec, b.trigger_vec),
    "window_cos": lambda a, b: _cos(a.window_vec, b.window_vec),
    "sentence_cos": lambda a, b: _cos(a.sentence_vec, b.sentence_vec),
    "context_cos": lambda a, b: _cos(a.context_vec, b.context_vec),
    "entity_jaccard": lambda a, b: _jaccard(_words(a.entities), _words(b.entities)),
    "entity_both": lambda a, b: float(bool(a.entities) and bool(b.entities)),
    "number_jaccard": lambda a, b: _jaccard(_words(a.numbers), _words(b.numbers)),
    "number_both": lambda a, b: float(bool(a.numbers) and bool(b.numbers)),
    "time_jaccard": lambda a, b: _jaccard(_words(a.times), _words(b.times)),
    "time_both": lambda a, b: float(bool(a.times) and bool(b.times)),
    "argument_jaccard": lambda a, b: _jaccard(set(a.arguments), set(b.arguments)),
    "argument_both": lambda a, b: float(bool(a.arguments) and bool(b.arguments)),
    "negation_agree": lambda a, b: float(a.negated == b.negated),
    "same_article": lambda a, b: float(a.article == b.article),
    "same_sentence": _same_sentence,
}
# Products of two base features (name "x*y"), so a linear model can weigh one by the other.
INTERACTION = "*"


def feature_value(name: str, a: MatchItem, b: MatchItem, base: dict[str, float]) -> float:
    if INTERACTION in name:
        x, y = name.split(INTERACTION, 1)
        return feature_value(x, a, b, base) * feature_value(y, a, b, base)
    if name not in base:
        base[name] = FEATURES[name](a, b)
    return base[name]


def pair_features(names: Sequence[str], a: MatchItem, b: MatchItem) -> np.ndarray:
    """The named features of a pair, in order (vectors must already be on the items)."""
    base: dict[str, float] = {}
    return np.array([feature_value(n, a, b, base) for n in names], dtype=np.float64)


def check_feature_names(names: Sequence[str]) -> None:
    for n in names:
        for part in n.split(INTERACTION):
            if part not in FEATURES:
                raise ConfigError(f"claim matcher feature {part!r} is unknown; known: "
                                  f"{', '.join(sorted(FEATURES))}")


# -- the matcher ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatchClusters:
    """What ``ClaimMatcher.cluster`` found: a cluster number per item, and its cost."""

    labels: tuple[int, ...]
    pairs_scored: int
    pairs_total: int


class ClaimMatcher:
    """Pair probabilities and clusters of ``MatchItem``s, from the shipped weights.

    Args:
        weights: a path to a weights JSON, or its content as a dict (default: the packaged
            ``claim_matcher.json``).
        embedder: anything with ``encode(texts) -> unit vectors`` (default: the MiniLM
            ``newsweave.nlp.embed.Embedder``), created on ``warm_up``.
        threshold: overrides the weights file's clustering threshold.
    """

    def __init__(self, weights: str | Path | dict | None = None, embedder=None,
                 threshold: float | None = None):
        spec = load_weights(weights)
        self.spec = spec
        self.names: tuple[str, ...] = tuple(spec["features"])
        self.coef = np.asarray(spec["coefficients"], dtype=np.float64)
        self.intercept = float(spec["intercept"])
        self.mean = np.asarray(spec.get("mean", [0.0] * len(self.names)), dtype=np.float64)
        self.scale = np.asarray(spec.get("scale", [1.0] * len(self.names)), dtype=np.float64)
        self.threshold = float(spec["threshold"] if threshold is None else threshold)
        block = spec.get("block", {})
        self.block_cos = float(block.get("trigger_cos", 0.5))
        self.block_arguments = bool(block.get("shared_argument", False))
        self._embedder = embedder

    def warm_up(self) -> None:
        if self._embedder is None:
            from ..nlp.embed import Embedder

            self._embedder = Embedder()
        if hasattr(self._embedder, "warm_up"):
            self._embedder.warm_up()

    def encode(self, items: Sequence[MatchItem]) -> list[MatchItem]:
        """The items with their sentence, trigger, window and context vectors (each text encoded
        once; no context vector without a context)."""
        self.warm_up()
        texts = list(dict.fromkeys(t for it in items
                                   for t in (it.text, it.trigger_text, it.window, it.context)
                                   if t))
        vecs = dict(zip(texts, self._embedder.encode(texts))) if texts else {}
        return [replace(it, sentence_vec=vecs[it.text], trigger_vec=vecs[it.trigger_text],
                        window_vec=vecs[it.window], context_vec=vecs.get(it.context))
                for it in items]

    def _ready(self, a: MatchItem, b: MatchItem) -> tuple[MatchItem, MatchItem]:
        if a.sentence_vec is None or b.sentence_vec is None:
            a, b = self.encode([a, b])
        return a, b

    def features(self, a: MatchItem, b: MatchItem) -> np.ndarray:
        """The pair's features, in the order of ``self.names`` (unscaled)."""
        a, b = self._ready(a, b)
        return pair_features(self.names, a, b)

    def probability_of(self, x: np.ndarray) -> np.ndarray:
        """Probabilities for rows of features (as ``features`` gives them)."""
        z = ((np.atleast_2d(x) - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def probability(self, a: MatchItem, b: MatchItem) -> float:
        """How likely ``a`` and ``b`` state the same event (0..1)."""
        return float(self.probability_of(self.features(a, b))[0])

    def candidate_pairs(self, items: Sequence[MatchItem]) -> list[tuple[int, int]]:
        """The pairs worth scoring: same lemma, trigger cosine at ``block_cos`` or above, or
        (when ``block_arguments``) a shared name, number or time. Items need vectors."""
        n = len(items)
        if n < 2:
            return []
        tv = np.stack([it.trigger_vec for it in items])
        near = np.triu(tv @ tv.T >= self.block_cos, 1)
        keys: dict[str, list[int]] = {}
        for i, it in enumerate(items):
            ks = {"l:" + it.lemma} if it.lemma else set()
            if self.block_arguments:
                ks |= {"a:" + w for w in _words(it.entities + it.numbers + it.times)}
            for k in ks:
                keys.setdefault(k, []).append(i)
        pairs = {(int(i), int(j)) for i, j in zip(*np.nonzero(near))}
        for members in keys.values():
            for x, i in enumerate(members):
                for j in members[x + 1:]:
                    pairs.add((i, j))
        return sorted(pairs)

    def cluster(self, items: Sequence[MatchItem],
                threshold: float | None = None) -> MatchClusters:
        """Average-link clusters of ``items`` (one story's): two clusters merge while the mean
        probability over all their cross pairs, unscored pairs counting 0, is at ``threshold``
        (default: the dev-tuned one) or above."""
        th = self.threshold if threshold is None else threshold
        if items and items[0].sentence_vec is None:
            items = self.encode(items)
        pairs = self.candidate_pairs(items)
        probs = self.probability_of(np.stack([pair_features(self.names, items[i], items[j])
                                              for i, j in pairs])) if pairs else []
        labels = average_link(len(items), pairs, probs, th)
        n = len(items)
        return MatchClusters(tuple(labels), len(pairs), n * (n - 1) // 2)


def average_link(n: int, pairs: Sequence[tuple[int, int]], probs: Sequence[float],
                 threshold: float) -> list[int]:
    """Average-link agglomeration over a sparse similarity graph (absent pairs count 0).

    Returns a cluster number per item, numbered by first appearance.
    """
    size = {i: 1 for i in range(n)}
    sums: dict[int, dict[int, float]] = {i: {} for i in range(n)}
    for (i, j), p in zip(pairs, probs):
        sums[i][j] = sums[i].get(j, 0.0) + float(p)
        sums[j][i] = sums[j].get(i, 0.0) + float(p)
    heap = [(-s / 1.0, i, j) for i in range(n) for j, s in sums[i].items() if i < j]
    heapq.heapify(heap)
    parent = list(range(n))
    while heap:
        neg, i, j = heapq.heappop(heap)
        if i not in size or j not in size or j not in sums[i]:
            continue
        avg = sums[i][j] / (size[i] * size[j])
        if abs(avg + neg) > 1e-12:
            continue  # stale entry: the clusters changed since it was pushed
        if avg < threshold:
            break
        # merge j into i
        for k, s in sums.pop(j).items():
            if k == i:
                continue
            sums[k].pop(j, None)
            sums[i][k] = sums[i].get(k, 0.0) + s
            sums[k][i] = sums[i][k]
        sums[i].pop(j, None)
        size[i] += size.pop(j)
        parent[j] = i
        for k, s in sums[i].items():
            heapq.heappush(heap, (-s / (size[i] * size[k]), min(i, k), max(i, k)))
    root = []
    for i in range(n):
        r = i
        while parent[r] != r:
            r = parent[r]
        root.append(r)
    first: dict[int, int] = {}
    return [first.setdefault(r, len(first)) for r in root]


def load_weights(weights: str | Path | dict | None = None) -> dict:
    """The matcher's weights, checked: a path to a JSON file, its content as a dict, or None for
    the packaged ``resources/claim_matcher.json``."""
    if isinstance(weights, dict):
        spec, where = weights, "(given as a dict)"
    elif weights is None:
        where = f"newsweave/resources/{WEIGHTS_FILE}"
        spec = json.loads(resources.files("newsweave").joinpath("resources", WEIGHTS_FILE)
                          .read_text("utf-8"))
    else:
        where = str(weights)
        spec = json.loads(Path(weights).read_text("utf-8"))
    for key in ("features", "coefficients", "intercept", "threshold"):
        if key not in spec:
            raise ConfigError(f"claim matcher weights {where} lack {key!r}; "
                              "re-run bench/train_matcher.py to write them")
    if len(spec["features"]) != len(spec["coefficients"]):
        raise ConfigError(f"claim matcher weights {where}: {len(spec['features'])} features but "
                          f"{len(spec['coefficients'])} coefficients")
    check_feature_names(spec["features"])
    return spec
