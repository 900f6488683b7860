"""Optional NLI plug-in: a natural-language-inference model that judges pairs of statements.

No NLI model can be downloaded in newsweave's default setting, so the default path finds conflicts
from numbers, entities and lexicons (conflicts.py). Users who have a model on disk (any Hugging
Face sequence-classification checkpoint with entailment/neutral/contradiction labels, e.g. an
MNLI-tuned DeBERTa) set ``crosscheck.nli_model`` in their config to its folder; newsweave then asks
it about every pair of sentences a fact aligns, and a confident contradiction becomes a conflict.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Protocol

from ..errors import ConfigError, missing_dependency
from ..model import Conflict, ConflictClaim, Fact


class NLIJudge(Protocol):
    def judge(self, pairs: Sequence[tuple[str, str]]) -> list[dict[str, float]]:
        """For each (premise, hypothesis): probabilities of entailment, neutral, contradiction."""


class TransformersNLI:
    """An NLI judge over a local transformers checkpoint (loaded once, offline)."""

    def __init__(self, path: str, batch_size: int = 16):
        self.path = path
        self.batch_size = batch_size

    @functools.cached_property
    def _model(self):
        try:
            import torch  # noqa: F401
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError as exc:
            raise missing_dependency("transformers", "embeddings") from exc
        try:
            tok = AutoTokenizer.from_pretrained(self.path, local_files_only=True)
            model = AutoModelForSequenceClassification.from_pretrained(self.path, local_files_only=True)
        except OSError as exc:
            raise ConfigError(f"crosscheck.nli_model: no NLI model at {self.path!r} ({exc}); "
                              "point it at a local checkpoint folder or set it to null") from exc
        labels = {v.lower(): k for k, v in model.config.id2label.items()}
        if not {"entailment", "contradiction"} <= set(labels):
            raise ConfigError(f"crosscheck.nli_model: {self.path!r} has labels {list(labels)}, "
                              "not entailment/neutral/contradiction")
        return tok, model.eval(), labels

    def judge(self, pairs):
        import torch

        tok, model, labels = self._model
        out = []
        for i in range(0, len(pairs), self.batch_size):
            chunk = pairs[i:i + self.batch_size]
            enc = tok([p for p, _ in chunk], [h for _, h in chunk], return_tensors="pt",
                      truncation=True, padding=True)
            with torch.no_grad():
                probs = model(**enc).logits.softmax(-1)
            for row in probs:
                out.append({name: float(row[idx]) for name, idx in labels.items()})
        return out


def nli_conflicts(facts: Sequence[Fact], judge: NLIJudge, threshold: float = 0.8) -> list[Conflict]:
    """Ask ``judge`` about each fact's centre against its other supports; confident
    contradictions become conflicts."""
    pairs, where = [], []
    for f in facts:
        if len(f.support) < 2:
            continue
        centre = next((s for s in f.support if s.text == f.statement), f.support[0])
        for s in f.support:
            if s is not centre and s.article != centre.article:
                pairs.append((centre.text, s.text))
                where.append((f, centre, s))
    if not pairs:
        return []
    out = []
    for (f, a, b), probs in zip(where, judge.judge(pairs)):
        if probs.get("contradiction", 0.0) >= threshold:
            out.append(Conflict(
                topic="statements contradict",
                claims=(ConflictClaim(a.text, a.text, a.article, a.start, a.end),
                        ConflictClaim(b.text, b.text, b.article, b.start, b.end)),
                note=f"NLI contradiction p={probs['contradiction']:.2f}"))
    return out
