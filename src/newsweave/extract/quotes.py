"""Direct quotes and who said them.

Two passes over a parsed article (a spaCy ``Doc`` of the cleaned text):

1. **Marks** (this module). Quote marks are paired per paragraph by their context, not their
   glyph, so straight ``"``, curly ``“ ”``, mixed (``"...”``), ``` ``...'' ``` and single
   ``‘...’`` / ``'...'`` quotes are found, and apostrophes (``Iraq's``, ``Workers' Union``,
   ``don't``, ``'90s``) are not. A paragraph that ends inside a quote and a next one that reopens
   it make a chain: one quote per paragraph, one speaker for all. Titles of works (``on "Meet the
   Press"``) and scare quotes that no reporting verb governs (``a powerful "super PAC"``) are
   left out.
2. **Speakers** (``speakers.py``). The reporting verb beside or above each quote, its subject,
   and that subject resolved to the fullest name the article gives (``names.py`` clusters the
   article's names; pronouns, titles, descriptions and documents included); a quote with no
   reporting clause inherits a speaker.

``QuoteFinder`` runs both. Figures (seed gold and PolNeAR) and the commands that reproduce them:
``bench/RESULTS.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import ArticleNames
from .speakers import Attribution, QuotePiece, SpeakerContext

__all__ = ["FoundQuote", "QuoteFinder"]


@dataclass(frozen=True)
class FoundQuote:
    """One quote in one paragraph: ``doc.text[start:end] == text`` (the words between the marks).

    ``speaker_start``/``speaker_end`` span the mention the speaker was resolved from ("he", "the
    prime minister", "Ana Ruiz"); ``reported_by`` names whoever relayed the words, if anyone."""

    start: int
    end: int
    text: str
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    reported_by: str | None = None
    cue: str | None = None
    partial: bool = False


# --- pass 1: quote marks -------------------------------------------------------------------------

_DOUBLE = re.compile(r"``|''|[\"“”„«»]")
_SINGLE = re.compile(r"[‘’']")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")  # markup left in the text: <tweet id="...">
_ELISION = re.compile(r"(?:em|n|til|tis|twas|cause|bout|round|s)\b|\d\d(?:s|th)?\b", re.I)
_QUOTE_CHARS = "\"“”„«»‘’'`"
_LEFT_OPENERS = "([{—–-/:" + _QUOTE_CHARS
_RIGHT_CLOSERS = ",.;:!?)]}—–-…" + _QUOTE_CHARS


def _role(text: str, i: int, glyph: str) -> str:
    """'open', 'close' or 'either', from the characters beside the mark, then from its glyph."""
    prev = text[i - 1] if i > 0 else "\n"
    nxt = text[i + len(glyph)] if i + len(glyph) < len(text) else "\n"
    left = prev.isspace() or prev in _LEFT_OPENERS
    right = nxt.isspace() or nxt in _RIGHT_CLOSERS
    if left != right:
        return "open" if left else "close"
    return "open" if glyph in "“„«``‘" else "close" if glyph in ("”", "»", "''", "’") else "either"


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _in_any(pos: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in ranges)


def _pair_line(text: str, a: int, b: int, nest: bool) -> tuple[list[QuotePiece], bool]:
    """Double-quoted pieces of one paragraph, and whether nesting left it balanced."""
    pieces: list[QuotePiece] = []
    stack: list[tuple[int, str]] = []
    nested = False
    tags = [m.span() for m in _TAG.finditer(text, a, b)]
    for m in _DOUBLE.finditer(text, a, b):
        pos, glyph = m.start(), m.group()
        if _in_any(pos, tags):
            continue
        role = _role(text, pos, glyph)
        if not stack:
            if role != "close":
                stack.append((pos, glyph))
        elif role == "open":
            # Straight marks cannot be told from a missing closing mark, so only curly ones nest.
            if nest and stack[0][1] in "“„«" and glyph in "“„«\"":
                stack.append((pos, glyph))
                nested = True
        elif len(stack) > 1:
            stack.pop()
        else:
            (start, opener), stack = stack[0], []
            pieces.append(QuotePiece(start, start + len(opener), pos, pos + len(glyph)))
    if stack:  # runs to the paragraph's end: a chain, or a missing closing mark
        pieces.append(QuotePiece(stack[0][0], stack[0][0] + len(stack[0][1]), b, b))
    return pieces, not (nested and stack)


def _single_pieces(text: str, a: int, b: int, taken: list[tuple[int, int]]) -> list[QuotePiece]:
    """Single-quoted pieces of one paragraph outside double quotes. An opener starts a word and a
    closer ends one; "s' Word" (a plural possessive) closes only when nothing better follows."""
    skip = taken + [m.span() for m in _TAG.finditer(text, a, b)]
    marks = [m.start() for m in _SINGLE.finditer(text, a, b) if not _in_any(m.start(), skip)]
    pieces, used = [], -1
    for k, i in enumerate(marks):
        prev = text[i - 1] if i > a else " "
        nxt = text[i + 1] if i + 1 < b else " "
        if i <= used or prev.isalnum() or not (nxt.isalnum() or nxt in "“\"") or text[i] == "’":
            continue
        closers = [j for j in marks[k + 1:] if j - i <= 400 and text[j] != "‘" and not text[j - 1].isspace()
                   and not (j + 1 < b and text[j + 1].isalnum())]
        if not closers or (_ELISION.match(text, i + 1) and closers[0] > i + 40):
            continue  # no closer, or an elision ('90s, 'em) with none close by
        best = next((j for j in closers if not (text[j - 1] in "sS" and re.match(r"\s+[A-Za-z]", text[j + 1:j + 3]))),
                    closers[0])
        if best - i >= 3:  # not 'n'
            pieces.append(QuotePiece(i, i + 1, best, best + 1))
            used = best
    return pieces


def scan_quotes(text: str) -> list[QuotePiece]:
    """Every quoted stretch of ``text`` in order: double quotes, then single ones outside them."""
    pieces: list[QuotePiece] = []
    lines = _lines(text)
    for a, b in lines:
        # Curly marks can nest ('“... what he calls “hell” than ...”'); when nesting leaves the
        # paragraph unbalanced, the writer forgot an inner closing mark, so it is paired flat.
        found, balanced = _pair_line(text, a, b, nest=True)
        pieces.extend(found if balanced else _pair_line(text, a, b, nest=False)[0])
    chain = 0
    for prev, cur in zip(pieces, pieces[1:]):
        # A quote over paragraphs: each ends inside the quote and the next one reopens it at once.
        if prev.close_end == prev.inner_end and not text[prev.inner_end:cur.open_at].strip():
            if prev.chain < 0:
                chain += 1
                prev.chain = chain
            cur.chain = prev.chain
    doubles = [(p.open_at, p.close_end) for p in pieces]
    for a, b in lines:
        pieces.extend(_single_pieces(text, a, b, doubles))
    return sorted(pieces, key=lambda p: p.open_at)


def _inner(text: str, p: QuotePiece) -> tuple[int, int]:
    s, e = p.inner_start, p.inner_end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s + 1 and text[e - 1] == "," and text[e - 2] != ",":
        e -= 1  # the comma belongs to the reporting clause: "...Thank God," the prime minister said
    return s, e


def _is_partial(text: str, p: QuotePiece, s: int) -> bool:
    """Quoted words inside a sentence: a word right before the mark, or a lowercase start."""
    before = text[text.rfind("\n", 0, p.open_at) + 1:p.open_at].rstrip()
    return bool(before and before[-1].isalnum()) or text[s:s + 1].islower()


def _is_title(doc, text: str, span: tuple[int, int], s: int, e: int) -> bool:
    """A title of a work or show: every longer word capitalised, inside a noun phrase ('on "Meet
    the Press"', 'a "Make America Great Again" cap'). After a verb it is said ('declared "What a
    Super Tuesday!"')."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text[s:e])
    if not 2 <= len(words) <= 12 or any(w[0].islower() for w in words if len(w) > 3) \
            or sum(len(w) > 3 for w in words) < 2:
        return False
    prev = doc[span[0] - 1] if span[0] > 0 else None
    nxt = doc[span[1]] if span[1] < len(doc) else None
    if prev is not None and (prev.pos_ in ("ADP", "DET", "NOUN") or prev.tag_ == "POS"):
        return True
    return nxt is not None and nxt.pos_ == "NOUN" and nxt.text[:1].islower()


# --- both passes ---------------------------------------------------------------------------------


class QuoteFinder:
    """Finds the direct quotes of a parsed article and their speakers.

    Light to build; holds no model. ``find`` needs a spaCy ``Doc`` with a dependency parse and named
    entities (``en_core_web_sm`` in full).

    >>> finder = QuoteFinder()
    >>> [(q.text, q.speaker) for q in finder.find(nlp('"We will rebuild," Mayor Ana Ruiz said.'))]
    [('We will rebuild', 'Ana Ruiz')]
    """

    def find(self, doc) -> list[FoundQuote]:
        """All quotes of ``doc`` in text order, each with its speaker when one can be found.

        Args: doc: a spaCy ``Doc`` of the article's cleaned text.
        Returns: ``FoundQuote`` objects whose offsets index ``doc.text``."""
        text = doc.text
        pieces = [p for p in scan_quotes(text) if _inner(text, p)[1] > _inner(text, p)[0]]
        if not pieces:
            return []
        inq = [False] * len(doc)
        spans = []
        for p in pieces:
            span = doc.char_span(p.open_at, p.close_end, alignment_mode="expand")
            spans.append((span.start, span.end) if span is not None else (0, 0))
            for i in range(*spans[-1]):
                inq[i] = True
        ents = list(doc.ents)
        names = ArticleNames(doc, text, ents, [(p.open_at, p.close_end) for p in pieces])
        partial = [_is_partial(text, p, _inner(text, p)[0]) for p in pieces]
        ctx = SpeakerContext(doc, text, pieces, spans, inq, names, ents, _lines(text), partial)
        attrs: list[Attribution | None] = []
        for n in range(len(pieces)):
            attrs.append(ctx.attribute(n, attrs))
        chains: dict[int, Attribution] = {}  # one speaker per multi-paragraph quote
        for p, a in zip(pieces, attrs):
            if p.chain > 0 and a is not None and a.speaker:
                chains.setdefault(p.chain, a)
        found: list[FoundQuote] = []
        for n, p in enumerate(pieces):
            a = attrs[n]
            s, e = _inner(text, p)
            if p.chain in chains and (a is None or a.cue is None):
                a = chains[p.chain]
            elif partial[n] and (a is None or a.speaker is None) or _is_title(doc, text, spans[n], s, e):
                continue  # scare quotes ('a powerful "super PAC"') and titles ("Meet the Press")
            if a is None or a.speaker is None:
                a = attrs[n] = ctx.inherit(n, attrs) or a or Attribution()
            found.append(FoundQuote(s, e, text[s:e], a.speaker, a.start, a.end, a.reported_by, a.cue, partial[n]))
        return found
