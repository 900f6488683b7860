"""Articles prepared for copy detection: word tokens, normalised token ids, quotation marks.

Normalisation makes two copies of one text compare equal when an editor changed only its surface:
- curly and straight quotes and apostrophes, backticks and dashes count as one another (tokens
  and quote marks are matched on the original text, so every offset is an ``Article.text``
  offset);
- case and whitespace are ignored (tokens are compared, not characters);
- hyphenation is ignored ("stand-off" == "standoff"), and a capitalised name keeps its identity
  without an "al-"/"el-" article prefix ("Al-Haddad" == "al-Haddad" == "Haddad").

Small word substitutions are not normalised here; the aligner bridges them (reuse_align.py).

Token ids are 64-bit BLAKE2 hashes of the normalised form, so they do not depend on the order in
which articles arrive or on ``PYTHONHASHSEED``: a run gives the same links for any input order.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..model import Article, Sentence
from ..nlp import split_sentences

_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u00ad": "-",
})
# A word: letters/digits, with apostrophes or hyphens inside it ("Iraq's", "Iraq’s", "stand-off").
# Dashes (– —) separate words, so "militias—who" and "militias — who" read alike. The pattern
# takes the unfolded characters so that the text never has to be copied through str.translate.
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019\-\u2010\u2011\u00ad][^\W_]+)*")
_SPLIT = re.compile(f"({_TOKEN.pattern})")
_HYPHENS = str.maketrans("", "", "-\u2010\u2011\u00ad")
# An Arabic article prefix on a capitalised name: "al-Haddad", "Al-Rashid", "el-Amin".
_NAME_PREFIX = re.compile(r"^(?:[aA]l|[eE]l)[-\u2010\u2011](?=[A-Z\u00C0-\u024F])")

# Double quotation marks: straight, curly, low, guillemets, and the typewriter `` and ''.
_DOUBLE = re.compile(r"``|''|[\"\u201c\u201d\u201e\u201f\u00ab\u00bb]")
_OPENERS = frozenset(("``", "\u201c", "\u201e", "\u201f", "\u00ab"))
# Single-quoted phrases ('calm and restraint'): an opening mark after a space or bracket, a closing
# mark not followed by a letter (so apostrophes in "don't" or "Iraq's" never close one).
_SINGLE = re.compile(r"['\u2018`](?<![^\s(\[]['\u2018`])(?=[^\W_])"
                     r"([^'\u2018\u2019`\n]{1,200}?[^\s'\u2018\u2019`])['\u2019](?![^\W_])")
# A quote left open at the end of a line runs to the end of that line, but in a text that is one
# very long line (DUC, some JSONL feeds) only to the end of the sentence it opens in.
_LONG_LINE = 1000


def fold(text: str) -> str:
    """Fold quotes, apostrophes and dashes to ASCII; every character keeps its offset."""
    return text.translate(_FOLD)


def normalise_token(surface: str) -> str:
    """The form two tokens must share to count as the same word."""
    if "\u2019" in surface:
        surface = surface.replace("\u2019", "'")
    if not surface.isalnum():
        surface = _NAME_PREFIX.sub("", surface).translate(_HYPHENS)
    return surface.lower()


def token_id(norm: str) -> int:
    return int.from_bytes(hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest(), "little")


class Vocabulary(dict):
    """Surface form -> token id, filled on first sight (a news corpus has few distinct forms)."""

    def __missing__(self, surface: str) -> int:
        tid = self[surface] = token_id(normalise_token(surface))
        return tid


@dataclass
class PreparedArticle:
    """One article as the detector sees it. Arrays are indexed by token position."""

    id: str
    text: str
    ids: np.ndarray  # uint64 token ids
    starts: np.ndarray  # int32 character offset where each token starts
    ends: np.ndarray  # int32 character offset where each token ends (exclusive)
    quoted: np.ndarray  # bool: the token lies inside quotation marks
    sent: np.ndarray  # int32 sentence index of each token
    sentences: tuple[Sentence, ...]
    _sorted: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict,
                                                                          repr=False)

    def __post_init__(self) -> None:
        n = len(self.ids)
        # brk[t]: token t opens a new sentence (one slot of padding so t + k - 1 never overflows);
        # kept as bytes too, which plain Python indexes much faster than a numpy array
        self.brk = np.zeros(n + 1, dtype=bool)
        if n > 1:
            self.brk[1:n] = self.sent[1:] != self.sent[:-1]
        self.brk_bytes = self.brk.tobytes()
        # quoted tokens before each position, so any range's quoted share is one subtraction
        self.qcum = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(self.quoted, out=self.qcum[1:])
        count = len(self.sentences)
        self.sent_lo = np.searchsorted(self.sent, np.arange(count), "left").tolist()
        self.sent_hi = np.searchsorted(self.sent, np.arange(count), "right").tolist()

    def quoted_share(self, lo: int, hi: int) -> float:
        """Share of the tokens lo..hi (exclusive) inside quotation marks."""
        return float(self.qcum[hi] - self.qcum[lo]) / (hi - lo) if hi > lo else 0.0

    def __len__(self) -> int:
        return len(self.ids)

    def grams(self, k: int) -> np.ndarray:
        """Hashes of every k-token window."""
        return kgram_hashes(self.ids, k)

    def sorted_grams(self, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(k-gram hashes sorted, their token positions, how often each occurs in the article);
        cached per k, since the aligner looks an article up once per candidate pair."""
        got = self._sorted.get(k)
        if got is None:
            h = self.grams(k)
            order = np.argsort(h, kind="stable").astype(np.int32)
            values = h[order]
            counts = (np.searchsorted(values, values, "right")
                      - np.searchsorted(values, values, "left")).astype(np.int32)
            got = self._sorted[k] = (values, order, counts)
        return got


_P = np.uint64(1099511628211)  # the 64-bit FNV prime: an odd multiplier that mixes well


def kgram_hashes(ids: np.ndarray, k: int) -> np.ndarray:
    """Polynomial hash of each window of ``k`` token ids (uint64 arithmetic wraps on purpose)."""
    n = len(ids) - k + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    h = ids[:n].copy()
    for t in range(1, k):
        h = h * _P + ids[t : t + n]
    return h


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """Character ranges that lie inside quotation marks (marks excluded), in text order.

    Double quotes pair up within a line: “...”, "...", ``...''. An opening mark met while a quote
    is open starts a new one (a quote running over several paragraphs reopens each one). Single
    quotes are taken only around short phrases, so apostrophes never open a quote.
    """
    regions: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        base = pos
        pos += len(line) + 1
        open_at: int | None = None
        for m in _DOUBLE.finditer(line):
            mark_start, mark_end = m.start(), m.end()
            if open_at is None:
                open_at = mark_end
                continue
            prev = line[mark_start - 1] if mark_start else " "
            nxt = line[mark_end] if mark_end < len(line) else " "
            opening = m.group() in _OPENERS or (m.group() == '"' and prev.isspace()
                                                 and not nxt.isspace())
            if opening and mark_start > open_at:
                # an opening mark while one is open: the previous quote ran on unclosed
                regions.append((base + open_at, base + mark_start))
                open_at = mark_end
                continue
            if mark_start > open_at:
                regions.append((base + open_at, base + mark_start))
            open_at = None
        if open_at is not None:
            end = len(line)
            if len(line) > _LONG_LINE:
                stop = re.search(r"[.!?](?=\s|$)", line[open_at:])
                end = open_at + stop.end() if stop else end
            if end > open_at:
                regions.append((base + open_at, base + end))
        for m in _SINGLE.finditer(line):
            regions.append((base + m.start(1), base + m.end(1)))
    regions.sort()
    return regions


def prepare(article: Article, vocab: Vocabulary) -> PreparedArticle:
    """Tokenise, normalise and mark the quotes of one article."""
    text = article.text
    # split() with a capturing group alternates gap, word, gap, ... in C; the running sum of the
    # pieces' lengths gives every word's offsets without a Python loop over the words
    parts = _SPLIT.split(text)
    lengths = np.fromiter(map(len, parts), dtype=np.int32, count=len(parts))
    edges = np.zeros(len(parts) + 1, dtype=np.int32)
    np.cumsum(lengths, out=edges[1:])
    starts, ends = edges[1:-1:2].copy(), edges[2::2].copy()
    words = parts[1::2]
    ids = np.fromiter(map(vocab.__getitem__, words), dtype=np.uint64, count=len(words))
    quoted = np.zeros(len(ids), dtype=bool)
    regions = quoted_regions(text)
    if regions and len(ids):
        r = np.asarray(regions, dtype=np.int64)
        k = np.searchsorted(r[:, 0], starts, "right") - 1
        ok = k >= 0
        quoted[ok] = starts[ok] < np.maximum.accumulate(r[:, 1])[k[ok]]
    sentences = article.sentences or split_sentences(text) or (Sentence(0, len(text)),)
    sent_starts = np.fromiter((s.start for s in sentences), dtype=np.int64, count=len(sentences))
    sent = np.maximum(np.searchsorted(sent_starts, starts, "right") - 1, 0).astype(np.int32)
    return PreparedArticle(article.id, text, ids, starts, ends, quoted, sent, tuple(sentences))


def prepare_all(articles: Sequence[Article]) -> list[PreparedArticle]:
    vocab = Vocabulary()
    return [prepare(a, vocab) for a in articles]
