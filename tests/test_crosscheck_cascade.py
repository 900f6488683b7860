"""The facts aligner on approximate vectors (``run.encoder: minilm-cascade``): the decisions their
error could turn are taken again on the exact vectors, and only those."""

import numpy as np
import pytest

from newsweave.crosscheck import facts as F
from newsweave.model import Article
from newsweave.nlp import split_sentences

TEXTS = [
    "Fire broke out at the Harwick ferry terminal late on Saturday night.",
    "Flames swept through a ferry terminal in Harwick over the weekend.",
    "The Harwick terminal caught fire on Saturday, the port authority said.",
    "Shares in the ferry operator fell sharply in London trading today.",
]


def _vectors(gram: np.ndarray) -> np.ndarray:
    """Unit vectors whose pairwise cosines are ``gram``."""
    values, basis = np.linalg.eigh(gram)
    assert values.min() > 0
    return (basis * np.sqrt(values)).astype(np.float64)


# Exact cosines: 0 and 1 at 0.61, over the threshold (0.6) and under CONFIDENT (0.62); 3 far off.
EXACT = np.array([[1.0, 0.61, 0.9, 0.1],
                  [0.61, 1.0, 0.3, 0.1],
                  [0.9, 0.3, 1.0, 0.1],
                  [0.1, 0.1, 0.1, 1.0]])
# The approximate ones put 0 and 1 under the threshold: alone they would lose that support.
APPROX = EXACT.copy()
APPROX[0, 1] = APPROX[1, 0] = 0.57


class FakeCascade:
    """``encode``: the approximate vectors; ``exact``: the exact ones, each text it is asked for
    recorded."""

    def __init__(self, tolerance: float):
        self.tolerance = tolerance
        self.asked: list[str] = []
        self.approx = dict(zip(TEXTS, _vectors(APPROX)))
        self.fine = dict(zip(TEXTS, _vectors(EXACT)))

    def encode(self, texts):
        return np.stack([self.approx[t] for t in texts])

    def exact(self, texts):
        self.asked += texts
        return np.stack([self.fine[t] for t in texts])


class Exact(FakeCascade):
    def encode(self, texts):
        return np.stack([self.fine[t] for t in texts])


@pytest.fixture
def articles(monkeypatch):
    # closeness is the cosine alone, so the cosines above are the aligner's scores
    monkeypatch.setattr(F.FactAligner, "closeness", lambda self, units: lambda cos: cos.copy())
    monkeypatch.setattr(F.FactAligner, "slope", lambda self: 1.0)
    arts = [Article(id=f"a{i}", input=f"a{i}", text=t, sentences=split_sentences(t))
            for i, t in enumerate(TEXTS)]
    return arts, {a.id: i for i, a in enumerate(arts)}


def _supports(facts):
    return sorted((f.statement, tuple(sp.article for sp in f.support)) for f in facts)


def test_near_threshold_pairs_are_rescored_with_the_exact_vectors(articles):
    arts, groups = articles
    want = F.FactAligner(Exact(0.0)).align(arts, groups)
    assert ("a0", "a1", "a2") in {tuple(sp.article for sp in f.support) for f in want}
    alone = F.FactAligner(FakeCascade(0.0)).align(arts, groups)  # approximate, never re-scored
    assert _supports(alone) != _supports(want)
    cascade = FakeCascade(0.05)
    assert F.FactAligner(cascade).align(arts, groups) == want
    assert {TEXTS[0], TEXTS[1]} <= set(cascade.asked)
    assert TEXTS[3] not in cascade.asked  # far from every decision: its approximate vector stands


def test_pairs_far_from_every_decision_are_not_rescored(articles):
    arts, groups = articles
    cascade = FakeCascade(0.005)  # 0.57 is further than this from 0.6: decided as it stands
    got = F.FactAligner(cascade).align(arts, groups)
    assert _supports(got) == _supports(F.FactAligner(FakeCascade(0.0)).align(arts, groups))
    # 1's only pair near a decision is at 0.57; 0 and 2 state each other at 0.9 both ways, a
    # tie whatever their vectors (the first stands as the statement): nothing is re-scored
    assert cascade.asked == []


def test_figure_conflicts_rescore_a_cosine_near_their_cut():
    from newsweave.crosscheck.stage import RELATED_COSINE, CrossChecker
    from newsweave.model import NumberMention

    texts = ["Seven guards were hurt in the attack on Sunday.",
             "Three guards were wounded when the drones struck."]
    arts = [Article(id=f"a{i}", input=f"a{i}", text=t, sentences=split_sentences(t))
            for i, t in enumerate(texts)]
    numbers = [NumberMention(7, "guard", "Seven guards", "a0", 0, 12),
               NumberMention(3, "guard", "Three guards", "a1", 0, 12)]

    def pair(cos):
        return dict(zip(texts, _vectors(np.array([[1.0, cos], [cos, 1.0]]))))

    class Fake(FakeCascade):
        def __init__(self, tolerance):
            self.tolerance, self.asked = tolerance, []
            self.approx, self.fine = pair(RELATED_COSINE - 0.02), pair(RELATED_COSINE + 0.02)

    for tolerance, want in ((0.0, False), (0.05, True)):
        related, _ = CrossChecker(Fake(tolerance))._related(arts)
        assert related(*numbers) is want
