"""Whether one sentence can stand for another's claim, by what both state: the figures that
count something and the polarity. No model: these are the checks that keep a citation or a fact's
support from resting on a sentence that says something else ("more than a dozen" for "14", "was
not hurt" for "was hurt"), whatever the similarity of the two sentences.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse

# "one" left out: "one of the", "no one" are not counts often enough to make a figure
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12,
                 "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
                 "eighteen": 18, "nineteen": 19, "twenty": 20}


def _numbers(text: str) -> set[str]:
    found = {m.replace(",", "") for m in re.findall(r"\b\d+(?:,\d{3})*(?:\.\d+)?\b", text)}
    found |= {str(_NUMBER_WORDS[w]) for w in re.findall(r"[a-z]+", text.lower())
              if w in _NUMBER_WORDS}
    return found


_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
# Figures that name a moment, not a count: dates ("July 25", "25 July"), years, clock times.
_NOT_A_COUNT = re.compile(rf"\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}"
                          r"|\b(?:1[5-9]|20)\d\d\b|\b\d{1,2}:\d\d(?::\d\d)?\b")
_NEGATION = re.compile(r"\b(?:not|no|never|none|nobody|neither|nor|denied|denies|deny|"
                       r"without)\b|n[’']t\b", re.I)


def count_figures(text: str) -> set[str]:
    """The figures of ``text`` that count something ("113 people", "seven guards"), as strings:
    digits and number words, leaving out dates, years and clock times."""
    return _numbers(_NOT_A_COUNT.sub(" ", text))


def negated(text: str) -> bool:
    """Whether ``text`` holds a negation ("not", "no", "never", "denied", "-n't")."""
    return _NEGATION.search(text) is not None


# Quoted words in the conventions wires use: curly, straight, ``...'' (NYT), ''...'' (AP).
_QUOTED = re.compile(r"“([^”]{8,})”|\"([^\"]{8,})\"|``(.{8,}?)''|''(.{8,}?)''|‘([^’]{8,})’(?!\w)")
MIN_QUOTED_WORDS = 3


def quoted_words(text: str) -> set[str]:
    """The content words ``text`` puts in quotation marks (someone's own words)."""
    out: set[str] = set()
    for m in _QUOTED.finditer(text):
        out |= content_words(next(g for g in m.groups() if g))
    return out


def states(statement: str, other: str) -> bool:
    """Whether ``other`` can support ``statement``: it gives each figure the statement counts
    with (a unit that gives other figures, or none, states another claim or disputes this one),
    it is negated exactly when the statement is, and where the statement quotes someone it
    holds at least half of the quoted words (another quote of the same person is not this one)."""
    if not (count_figures(statement) <= count_figures(other)
            and negated(statement) == negated(other)):
        return False
    quoted = quoted_words(statement)
    if len(quoted) >= MIN_QUOTED_WORDS:
        return len(quoted & content_words(other)) * 2 >= len(quoted)
    return True


# --- how closely one sentence restates another ---------------------------------------------

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+|\d+")
_STOP = frozenset(
    "a an the and or but of in on at to for from by with as is are was were be been being has have "
    "had that this these those it its he she they his her their them which who whom what when where "
    "said says say also after before over into about than then there not no so such while would will "
    "can could may might one two three".split()
)
PAIR_FEATURES = ("cosine", "covers_statement", "covers_other", "figures_shared",
                 "figures_clash", "figures_missing", "polarity_differs")


def content_words(text: str) -> set[str]:
    """Lower-cased words of ``text`` less function words (the words that carry its claim)."""
    return {w.lower() for w in _WORD.findall(text)} - _STOP


def pair_features(statement: str, other: str, cosine: float) -> list[float]:
    """The features of ``PAIR_FEATURES`` for "does ``other`` restate ``statement``", given the two
    sentences' embedding cosine: how much of each one's content words the other holds, whether
    their counted figures agree, clash or are missing from ``other``, and whether one is negated
    and the other not."""
    ws, wo = content_words(statement), content_words(other)
    both = len(ws & wo)
    fs, fo = count_figures(statement), count_figures(other)
    return [
        cosine,
        both / len(ws) if ws else 0.0,
        both / len(wo) if wo else 0.0,
        float(bool(fs & fo)),
        float(bool(fs) and bool(fo) and not fs & fo),
        float(bool(fs - fo)),
        float(negated(statement) != negated(other)),
    ]


@functools.lru_cache(maxsize=1)
def _weights() -> dict:
    path = Path(__file__).resolve().parents[1] / "resources" / "statement_pairs.json"
    data = json.loads(path.read_text("utf-8"))
    if data["features"] != list(PAIR_FEATURES):
        raise ValueError(f"{path.name} was trained on other features ({data['features']}); "
                         "re-run bench/train_statements.py")
    return data


def restatement_threshold() -> float:
    """The probability from which ``restatement_probabilities`` says "restates" (chosen on ECB+
    dev, see bench/train_statements.py)."""
    return float(_weights()["threshold"])


def restatement_probabilities(texts: Sequence[str], cosine: np.ndarray) -> np.ndarray:
    """``P[i, j]``: the probability that ``texts[j]`` restates the claim of ``texts[i]``, from the
    pair model trained on ECB+ (``pair_features`` for every pair at once), given the texts'
    embedding cosines."""
    n = len(texts)
    words = [content_words(t) for t in texts]
    figs = [count_figures(t) for t in texts]
    neg = np.array([negated(t) for t in texts], dtype=bool)
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, ws in enumerate(words):
        for w in ws:
            rows.append(i)
            cols.append(vocab.setdefault(w, len(vocab)))
    fvocab: dict[str, int] = {}
    frows, fcols = [], []
    for i, fs in enumerate(figs):
        for f in fs:
            frows.append(i)
            fcols.append(fvocab.setdefault(f, len(fvocab)))
    W = sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(n, len(vocab)))
    F = sparse.csr_matrix((np.ones(len(frows), np.float32), (frows, fcols)),
                          shape=(n, len(fvocab)))
    inter = (W @ W.T).toarray()
    size = np.asarray(W.sum(axis=1)).ravel()
    fshared = (F @ F.T).toarray()
    fsize = np.asarray(F.sum(axis=1)).ravel()
    has = fsize > 0
    feats = [
        cosine,
        inter / np.maximum(size[:, None], 1.0),
        inter / np.maximum(size[None, :], 1.0),
        (fshared > 0).astype(np.float32),
        (np.outer(has, has) & (fshared == 0)).astype(np.float32),
        (fsize[:, None] - fshared > 0).astype(np.float32),
        (neg[:, None] != neg[None, :]).astype(np.float32),
    ]
    w = _weights()
    z = w["intercept"] + sum(c * f for c, f in zip(w["coef"], feats))
    return 1.0 / (1.0 + np.exp(-z))
