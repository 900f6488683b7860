"""Direct quotes and who said them.

Two passes over a parsed article (a spaCy ``Doc`` of the cleaned text):

1. **Marks.** Quote marks are paired per paragraph by their context, not their glyph, so straight
   ``"``, curly ``“ ”``, mixed (``"...”``), ``` ``...'' ``` and single ``‘...’`` / ``'...'`` quotes
   are all found, and apostrophes (``Iraq's``, ``Workers' Union``, ``don't``, ``'90s``) are not.
   A paragraph that ends inside a quote and a next paragraph that reopens one make a chain: one
   quote per paragraph, one speaker for all.
2. **Speakers.** The reporting verb is looked for next to the quote (``"...," she said``,
   ``He said: "..."``), then up the dependency tree (``called for "calm"``), then ``according to
   X``. Its subject is resolved to the fullest name the article gives: pronouns to the latest
   fitting speaker or name, titles (``the prime minister``) through the titles written before
   names (``Prime Minister Mustafa al-Kadhimi``), descriptions (``the mission``) to the
   organisation named with that word, documents (``the statement read``) to whoever issued them.
   A quote that opens with a third party making a statement (``Dujarric said, "The
   Secretary-General condemns..."``) is that party's, relayed by the clause's subject.
   A quote with no reporting clause takes the speaker of the quote just before it.

Figures (seeds and PolNeAR) and the command that reproduces them: ``bench/RESULTS.md``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

__all__ = ["FoundQuote", "QuoteFinder"]


@dataclass(frozen=True)
class FoundQuote:
    """One quote in one paragraph: ``doc.text[start:end] == text`` (the words between the marks)."""

    start: int
    end: int
    text: str
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    reported_by: str | None = None
    cue: str | None = None
    partial: bool = False


# --- lexicons ------------------------------------------------------------------------------------

SPEECH_VERBS = frozenset("""
say tell add write tweet state continue conclude urge declare explain note insist ask warn claim
argue announce read reply respond remark comment post recall acknowledge admit affirm allege assert
boast complain concede confirm contend deny describe emphasize emphasise estimate joke lament
maintain observe predict promise quip recount reiterate report reveal stress suggest testify vow
wonder shout yell cry scream whisper mutter chant pledge demand proclaim thank praise criticize
criticise blast slam charge counter retort interject repeat mention underline underscore accuse
caution speculate tout hammer characterize characterise dub label inform assure text email tell
instruct advise plead beg threaten muse gush rail lash scoff concur agree disagree question
summarize summarise describe begin start finish believe think hope fear worry call echo denounce
exclaim sigh implore fume blurt chime snap quote
""".split())
# Unambiguous reporting words, trusted even when the tagger calls them nouns ("the caption read").
REPORTING_FORMS = frozenset("""
said says told tells added adds wrote writes read reads tweeted stated continued concluded urged
noted explained asked warned insisted declared posted reading
""".split())
# Verbs that open an official statement quoted through a spokesperson: "The Secretary-General
# condemns...", "The Prime Minister is deeply saddened..." (present tense only).
STATEMENT_VERBS = frozenset("""
condemn call express urge welcome reiterate extend offer send applaud commend deplore regret
congratulate stress reaffirm affirm salute mourn denounce reject appeal encourage thank
""".split())
STATEMENT_STATES = frozenset("""
saddened shocked concerned alarmed grieved appalled pleased encouraged dismayed horrified outraged
troubled heartbroken relieved deeply gravely
""".split())
DOC_NOUNS = frozenset("""
statement caption tweet post release communique communiqué letter message announcement notice readout
memo email editorial report filing transcript sign placard banner headline note
""".split())
ORG_NOUNS = frozenset("""
mission office ministry government agency organization organisation council committee department
party campaign company group union commission court army military police embassy newspaper paper
daily network foundation institute bank board firm administration team militia movement coalition
alliance parliament assembly senate presidency cabinet secretariat body service station channel
""".split())
TITLE_WORDS = frozenset("""
president vice prime minister pm secretary general secretary-general spokesperson spokesman
spokeswoman chief leader chairman chairwoman chair director governor senator sen. rep.
representative mayor ambassador envoy king queen prince princess commander gen. lt. colonel col.
chancellor premier foreign defence defense interior finance justice attorney ceo head deputy speaker
judge candidate nominee manager official adviser advisor aide press coordinator special mr. mrs. ms.
dr. mr mrs ms dr first lady founder executive sheikh ayatollah pope cardinal bishop minister-designate
president-elect former acting
""".split())
TITLE_SYNONYMS = {"pm": "prime minister", "spokesman": "spokesperson", "spokeswoman": "spokesperson",
                  "un": "united nations", "u.n.": "united nations"}
PRONOUNS = {"he": "PERSON", "she": "PERSON", "him": "PERSON", "her": "PERSON", "it": "ORG",
            "they": "ANY", "i": None, "we": None, "you": None}
# Tokens between a quote and its reporting verb; further away it is usually another clause's verb.
MAX_CUE_DISTANCE = 12
NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC"}
ELISIONS = re.compile(r"(?:em|n|til|tis|twas|cause|bout|round|s)\b|\d\d(?:s|th)?\b", re.I)

# --- pass 1: quote marks -------------------------------------------------------------------------

_DOUBLE = re.compile(r"``|''|[\"“”„«»]")
_SINGLE = re.compile(r"[‘’']")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_OPEN_GLYPHS = {"“", "„", "«", "``", "‘"}
_CLOSE_GLYPHS = {"”", "»", "''", "’"}
_QUOTE_CHARS = "\"“”„«»‘’'`"
_LEFT_OPENERS = "([{—–-/:" + _QUOTE_CHARS
_RIGHT_CLOSERS = ",.;:!?)]}—–-…" + _QUOTE_CHARS


@dataclass
class _Piece:
    """A quoted stretch: marks at [open_at, inner_start) and [inner_end, close_end)."""

    open_at: int
    inner_start: int
    inner_end: int
    close_end: int
    single: bool = False
    chain: int = -1  # pieces of one multi-paragraph quote share a chain id


def _role(text: str, i: int, glyph: str) -> str:
    prev = text[i - 1] if i > 0 else "\n"
    j = i + len(glyph)
    nxt = text[j] if j < len(text) else "\n"
    left = prev.isspace() or prev in _LEFT_OPENERS
    right = nxt.isspace() or nxt in _RIGHT_CLOSERS
    if left and not right:
        return "open"
    if right and not left:
        return "close"
    if glyph in _OPEN_GLYPHS:
        return "open"
    if glyph in _CLOSE_GLYPHS:
        return "close"
    return "either"


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _markup(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Tags left in the text (<tweet id="...">): their marks delimit attribute values, not quotes."""
    return [(m.start(), m.end()) for m in _TAG.finditer(text, a, b)]


def _double_pieces(text: str, lines: list[tuple[int, int]]) -> list[_Piece]:
    pieces: list[_Piece] = []
    for a, b in lines:
        # Curly marks can nest ('“... what he calls “hell” than ...”'); when nesting leaves the
        # paragraph unbalanced, a writer forgot an inner closing mark, so pair it flat instead.
        found, balanced = _pair_line(text, a, b, nest=True)
        if not balanced:
            found, _ = _pair_line(text, a, b, nest=False)
        pieces.extend(found)
    _chain(text, pieces)
    return pieces


def _pair_line(text: str, a: int, b: int, nest: bool) -> tuple[list[_Piece], bool]:
    pieces: list[_Piece] = []
    stack: list[tuple[int, str]] = []
    nested = False
    tags = _markup(text, a, b)
    for m in _DOUBLE.finditer(text, a, b):
        pos, glyph = m.start(), m.group()
        if any(x <= pos < y for x, y in tags):
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
            opened = stack.pop()
            pieces.append(_Piece(opened[0], opened[0] + len(opened[1]), pos, pos + len(glyph)))
    if stack:  # runs to the paragraph's end: a chain, or a missing closing mark
        pieces.append(_Piece(stack[0][0], stack[0][0] + len(stack[0][1]), b, b))
    return pieces, not (nested and stack)


def _chain(text: str, pieces: list[_Piece]) -> None:
    """Pieces of one quote over several paragraphs: each paragraph but the last ends inside the
    quote, and the next paragraph reopens it at its very start."""
    chain = 0
    for prev, cur in zip(pieces, pieces[1:]):
        if prev.close_end == prev.inner_end and not text[prev.inner_end:cur.open_at].strip():
            if prev.chain < 0:
                chain += 1
                prev.chain = chain
            cur.chain = prev.chain


def _single_pieces(text: str, lines: list[tuple[int, int]], taken: list[_Piece]) -> list[_Piece]:
    """Single-quoted stretches outside double quotes. An opener must start a word; a closer must
    end one; "s' Word" (a plural possessive) closes only when nothing better follows."""
    inside = [(p.open_at, p.close_end) for p in taken]
    pieces: list[_Piece] = []
    for a, b in lines:
        inside_line = inside + _markup(text, a, b)
        marks = [m.start() for m in _SINGLE.finditer(text, a, b)
                 if not any(s <= m.start() < e for s, e in inside_line)]
        used = -1
        for k, i in enumerate(marks):
            if i <= used:
                continue
            prev = text[i - 1] if i > a else " "
            nxt = text[i + 1] if i + 1 < b else " "
            if prev.isalnum() or not (nxt.isalnum() or nxt in "“\"") or text[i] == "’":
                continue  # not an opener ("’" opens only in texts that misuse it; too rare to try)
            if ELISIONS.match(text, i + 1) and not _has_closer(text, marks[k + 1:], b, i + 40):
                continue
            closers = []
            for j in marks[k + 1:]:
                if j - i > 400:
                    break
                before, after = text[j - 1], (text[j + 1] if j + 1 < b else " ")
                if before.isspace() or after.isalnum():
                    continue
                if text[j] == "‘":
                    continue
                closers.append(j)
            if not closers:
                continue
            best = closers[0]
            for j in closers:
                if not (text[j - 1] in "sS" and re.match(r"\s+[A-Za-z]", text[j + 1:j + 3] or "")):
                    best = j
                    break
            if best - i < 2:
                continue
            pieces.append(_Piece(i, i + 1, best, best + 1, single=True))
            used = best
    return pieces


def _has_closer(text: str, marks: list[int], end: int, limit: int) -> bool:
    for j in marks:
        if j > limit:
            return False
        after = text[j + 1] if j + 1 < end else " "
        if not text[j - 1].isspace() and not after.isalnum():
            return True
    return False


def scan_quotes(text: str) -> list[_Piece]:
    """Every quoted stretch of ``text``, in order (double quotes, then single ones outside them)."""
    lines = _lines(text)
    doubles = _double_pieces(text, lines)
    pieces = doubles + _single_pieces(text, lines, doubles)
    pieces.sort(key=lambda p: p.open_at)
    return pieces


def _inner(text: str, p: _Piece) -> tuple[int, int]:
    s, e = p.inner_start, p.inner_end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s and text[e - 1] == "," and not text[e - 2:e] == ",,":
        e -= 1  # the comma belongs to the reporting clause: "...Thank God," the prime minister said
    return s, e


# --- names in the document -----------------------------------------------------------------------


def fold(text: str) -> str:
    nfkd = unicodedata.normalize("NFKD", text)
    return "".join(c for c in nfkd if not unicodedata.combining(c)).casefold()


def _clean_name(text: str) -> str:
    t = " ".join(text.split()).strip(" ,;:-–—\"'“”‘’()[]")
    t = re.sub(r"^(?:the|The|THE)\s+", "", t)
    t = re.sub(r"(?:'s|’s|'|’)$", "", t)
    t = re.sub(r"\s*\([A-Z][A-Za-z.&]{1,9}\)$", "", t)
    t = re.sub(r"\s+(?:in|of|for|and|the|on|at)$", "", t)  # a name cut short: "the Mission in"
    return t.strip(" ,;:-–—")


def _name_words(text: str) -> list[str]:
    words = [w.strip(".'’,") for w in re.split(r"[\s]+", fold(_clean_name(text))) if w]
    out = []
    for w in words:
        w = re.sub(r"^(?:al|el|ad)-", "", w)
        out.extend(TITLE_SYNONYMS.get(w, w).split())
    return [w for w in out if w and w not in {"of", "for", "in", "the", "and", "on", "al", "el"}]


def _initials(text: str) -> str:
    out = ""
    for w in re.split(r"[\s\-]+", _clean_name(text)):
        if not w or w.lower() in {"of", "for", "in", "the", "and", "on", "&"}:
            continue
        out += w.replace(".", "") if w.replace(".", "").isupper() else w[0]
    return out.upper()


def _org_alias(a: str, b: str, acronyms: dict[str, str]) -> bool:
    """Two organisation forms name the same body."""
    wa, wb = _name_words(a), _name_words(b)
    if not wa or not wb:
        return False
    small, big = sorted((wa, wb), key=len)
    if len(small) >= 2 and set(small) <= set(big) and (small[-1] == big[-1] or len(small) >= 3):
        return True  # "PM Office" within "Iraqi PM Office"; "UN Assistance Mission" in its full name
    for x, y in ((a, b), (b, a)):
        acr = x.replace(".", "")
        if acr.isupper() and 2 <= len(acr) <= 8 and " " not in acr:
            if _initials(y) == acr or acronyms.get(x) == y:
                return True
    return False


@dataclass
class _Name:
    key: int  # cluster id
    kind: str  # PERSON | ORG
    start: int
    end: int
    text: str
    quoted: bool = False


class _Names:
    """The named mentions of one document, clustered by name structure, with titles and
    descriptions that can be resolved to them."""

    def __init__(self, doc, quoted: list[tuple[int, int]]):
        self.doc = doc
        text = doc.text
        self.mentions: list[_Name] = []
        self.forms: dict[int, Counter] = {}
        self.kind: dict[int, str] = {}
        persons: dict[tuple[str, str], int] = {}
        acronyms = {m.group(2): _clean_name(m.group(1)) for m in re.finditer(
            r"((?:[A-Z][\w'’.-]*\s+)(?:(?:of|for|in|the|and|on|[A-Z][\w'’.-]*)\s+){0,7}[A-Z][\w'’.-]*)"
            r"\s+\(([A-Z][A-Za-z.&]{1,9})\)", text)}
        # "The UN Spokesperson" tagged ORG is a role, resolved like any title, not a name.
        ents = [e for e in doc.ents if e.label_ in NAME_LABELS and _clean_name(e.text)
                and fold(_clean_name(e.text)).split()[-1] not in TITLE_WORDS]
        surnames: dict[str, list[int]] = {}
        firsts: dict[str, list[int]] = {}
        # Full personal names first, so that a lone "Kadhimi" or "Guterres" (even tagged ORG) joins them.
        for e in ents:
            words = _name_words(e.text)
            if e.label_ == "PERSON" and len(words) >= 2:
                k = persons.setdefault((words[0], words[-1]), len(persons))
                surnames.setdefault(words[-1], []).append(k)
                firsts.setdefault(words[0], []).append(k)
        nclusters = len(persons)
        for k in range(nclusters):
            self.kind[k] = "PERSON"
        org_mentions: list[tuple[int, int, str, str]] = []
        for e in ents:
            words = _name_words(e.text)
            if not words:
                continue
            s, t = e.start_char, e.end_char
            if e.label_ == "PERSON" and len(words) >= 2:
                key = persons[(words[0], words[-1])]
            elif len(words) == 1 and (words[0] in surnames or (words[0] in firsts and e.label_ == "PERSON")):
                key = self._nearest_person(surnames.get(words[0]) or firsts[words[0]], s)
            elif e.label_ == "PERSON":
                key = persons.setdefault((words[0], words[-1]), nclusters)
                if key == nclusters:
                    self.kind[key] = "PERSON"
                    nclusters += 1
            else:
                org_mentions.append((s, t, _clean_name(e.text), e.label_))
                continue
            self._add(key, s, t, e.text, quoted)
        # Organisations: one cluster per connected group of forms (same words, one inside the
        # other, or an acronym of the other, spelled by initials or defined as "Long Name (ACR)").
        forms = list(dict.fromkeys([m[2] for m in org_mentions] + list(acronyms.values())))
        parent = list(range(len(forms)))

        def root(i: int) -> int:
            while parent[i] != i:
                i = parent[i]
            return i
        for i, a in enumerate(forms):
            for j in range(i):
                if root(i) != root(j) and _org_alias(a, forms[j], acronyms):
                    parent[root(i)] = root(j)
        cluster: dict[int, int] = {}
        for i, f in enumerate(forms):
            r = root(i)
            if r not in cluster:
                cluster[r] = nclusters
                nclusters += 1
        for s, t, form, label in org_mentions:
            key = cluster[root(forms.index(form))]
            self.kind.setdefault(key, "ORG" if label in ("ORG", "FAC") else label)
            self._add(key, s, t, form, quoted)
        for acr, long in acronyms.items():
            if acr in forms and long in forms:
                key = cluster[root(forms.index(acr))]
                if key in self.forms:
                    self.forms[key][long] += 1  # the defined expansion names it best
        self.mentions.sort(key=lambda m: m.start)
        self.titles = self._titles(text)

    def _add(self, key: int, s: int, t: int, text: str, quoted) -> None:
        inside = any(a <= s < b for a, b in quoted)
        self.mentions.append(_Name(key, self.kind[key], s, t, _clean_name(text), inside))
        self.forms.setdefault(key, Counter())[_clean_name(text)] += 1

    def _nearest_person(self, options: list[int], pos: int) -> int:
        best, dist = options[0], None
        for m in self.mentions:
            if m.key in options:
                d = pos - m.start if m.start <= pos else 10**6 + m.start - pos
                if dist is None or d < dist:
                    best, dist = m.key, d
        if dist is None:
            best = Counter(options).most_common(1)[0][0]
        return best

    def _titles(self, text: str) -> list[tuple[str, frozenset, int, int]]:
        """(title, modifiers, position, cluster) for every person named with a title before the
        name ("UN Secretary-General Antonio Guterres") or after it (", leader of the militia,")."""
        out = []
        for m in self.mentions:
            if m.kind != "PERSON":
                continue
            line_start = text.rfind("\n", 0, m.start) + 1
            before = re.split(r"[,;:.(\"“”]\s", text[max(line_start, m.start - 80):m.start])[-1]
            words = before.split()
            title, mods = [], []
            for w in reversed(words):
                lw = fold(w).strip(",.")
                lw = re.sub(r"(?:'s|’s)$", "", lw)
                parts = lw.split("-")
                if lw in TITLE_WORDS or all(p in TITLE_WORDS for p in parts):
                    if mods:
                        break
                    title.insert(0, lw)
                elif w[:1].isupper() and title:
                    mods.append(lw)
                else:
                    break
            after = re.match(r",\s+(?:the|a|an)?\s*([^,.;\n]{2,60})", text[m.end:])
            if after:
                aw = [fold(x) for x in after.group(1).split()]
                for i, x in enumerate(aw):
                    if x in TITLE_WORDS and i < 4:
                        title = title or [x]
                        mods.extend(aw[:i])
                        break
            if title:
                key = " ".join(TITLE_SYNONYMS.get(t, t) for t in title)
                key = key.replace("secretary general", "secretary-general")
                out.append((key, frozenset(TITLE_SYNONYMS.get(x, x) for x in mods), m.start, m.key))
        return out

    # -- naming

    def canonical(self, key: int) -> str:
        """The fullest form: the most frequent multi-word form (case-folded), then the longest."""
        forms = self.forms[key]
        folded = Counter()
        for f, n in forms.items():
            folded[fold(f)] += n
        best = max(forms, key=lambda f: (len(f.split()) >= 2 or self.kind[key] != "PERSON",
                                         folded[fold(f)] if self.kind[key] == "PERSON" else 0,
                                         len(f), -list(forms).index(f)))
        return best

    def lookup(self, word: str) -> int | None:
        """The person whose surname (else first name) is ``word``, if exactly one fits."""
        for part in (-1, 0):
            keys = {m.key for m in self.mentions if m.kind == "PERSON"
                    and _name_words(m.text) and _name_words(m.text)[part] == word}
            if len(keys) == 1:
                return keys.pop()
        return None

    def at(self, start: int, end: int) -> _Name | None:
        """The mention overlapping [start, end), the longest if several."""
        found = [m for m in self.mentions if m.start < end and start < m.end]
        return max(found, key=lambda m: m.end - m.start) if found else None

    def resolve_title(self, words: list[str], pos: int, prefer: set[int] = frozenset()) -> int | None:
        """'the prime minister', 'The UN Spokesperson', 'Iraq PM' -> a person cluster."""
        norm = []
        for w in words:
            norm.extend(TITLE_SYNONYMS.get(w, w).split())
        phrase = " ".join(norm).replace("secretary general", "secretary-general")
        cands = [t for t in self.titles if phrase == t[0] or phrase.endswith(" " + t[0])
                 or t[0].endswith(" " + phrase) and len(norm) >= 1 and norm[-1] == t[0].split()[-1]]
        if not cands:
            return None
        mods = set(norm) - set(" ".join(c[0] for c in cands).split())

        def score(t):
            before = t[2] <= pos
            return (t[3] in prefer, len(mods & {re.sub(r"(?:'s|’s)$", "", x) for x in t[1]}),
                    before, -abs(pos - t[2]))
        return max(cands, key=score)[3]

    def resolve_org(self, head: str, pos: int) -> int | None:
        """'the mission' -> the organisation named with 'Mission', the latest before pos."""
        best = None
        for m in self.mentions:
            if m.kind == "PERSON" or head not in fold(m.text).split():
                continue
            if m.start <= pos or best is None:
                best = m
        if best is None:
            return None
        return best.key

    def latest(self, pos: int, kinds: set[str], floor: int = 0) -> _Name | None:
        found = None
        for m in self.mentions:
            if m.start >= pos:
                break
            if m.start >= floor and not m.quoted and (m.kind in kinds or "ANY" in kinds):
                found = m
        return found


# --- pass 2: speakers ----------------------------------------------------------------------------


@dataclass
class _Attribution:
    speaker: str | None = None
    start: int | None = None
    end: int | None = None
    key: int | None = None
    kind: str | None = None
    cue: str | None = None
    reported_by: str | None = None


class QuoteFinder:
    """Finds the direct quotes of a parsed article and their speakers.

    Light to build; holds no model. ``find(doc)`` needs a spaCy ``Doc`` with a dependency parse and
    named entities (``en_core_web_sm`` in full).

    >>> finder = QuoteFinder()
    >>> [(q.text, q.speaker) for q in finder.find(nlp('"We will rebuild," Mayor Ana Ruiz said.'))]
    [('We will rebuild', 'Ana Ruiz')]
    """

    def find(self, doc) -> list[FoundQuote]:
        """All quotes of ``doc`` in text order, each with its speaker when one can be found."""
        text = doc.text
        pieces = [p for p in scan_quotes(text) if _inner(text, p)[1] > _inner(text, p)[0]]
        if not pieces:
            return []
        inq = [False] * len(doc)
        spans = []
        for p in pieces:
            span = doc.char_span(p.open_at, p.close_end, alignment_mode="expand")
            if span is None:
                spans.append((0, 0))
                continue
            spans.append((span.start, span.end))
            for i in range(span.start, span.end):
                inq[i] = True
        names = _Names(doc, [(p.open_at, p.close_end) for p in pieces])
        ctx = _Context(doc, text, pieces, spans, inq, names)
        found: list[FoundQuote] = []
        attrs: list[_Attribution | None] = []
        for n, p in enumerate(pieces):
            attrs.append(ctx.attribute(n, attrs))
        # One speaker per multi-paragraph chain: the one any of its pieces found.
        chains: dict[int, _Attribution] = {}
        for p, a in zip(pieces, attrs):
            if p.chain > 0 and a is not None and a.speaker and p.chain not in chains:
                chains[p.chain] = a
        for n, p in enumerate(pieces):
            a = attrs[n]
            s, e = _inner(text, p)
            partial = _is_partial(text, p, s)
            if p.chain in chains and (a is None or a.cue is None):
                a = chains[p.chain]
            elif partial and (a is None or a.speaker is None) or _is_title(doc, text, spans[n], s, e):
                continue  # scare quotes ('a powerful "super PAC"') and titles ("Meet the Press")
            if a is None or a.speaker is None:
                a = ctx.inherit(n, attrs) or a or _Attribution()
                attrs[n] = a
            found.append(FoundQuote(s, e, text[s:e], a.speaker, a.start, a.end, a.reported_by, a.cue, partial))
        return found


def _is_title(doc, text: str, span: tuple[int, int], s: int, e: int) -> bool:
    """A title of a work or show: every longer word capitalised, and the quote sits inside a noun
    phrase ('on "Meet the Press"', 'the book "Failure to Adjust"', 'a "Make America Great Again"
    cap'). After a verb it is said, chanted or written instead ('declared "What a Super Tuesday!"')."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text[s:e])
    if not 2 <= len(words) <= 12 or any(w[0].islower() for w in words if len(w) > 3):
        return False
    if sum(len(w) > 3 for w in words) < 2:
        return False
    ts, te = span
    prev = doc[ts - 1] if ts > 0 else None
    nxt = doc[te] if te < len(doc) else None
    if prev is not None and (prev.pos_ in ("ADP", "DET") or prev.tag_ == "POS" or prev.pos_ == "NOUN"):
        return True
    return nxt is not None and nxt.pos_ == "NOUN" and nxt.text[:1].islower()


def _is_partial(text: str, p: _Piece, s: int) -> bool:
    before = text[text.rfind("\n", 0, p.open_at) + 1:p.open_at].rstrip()
    first = text[s:s + 1]
    return bool((before and before[-1].isalnum()) or (first.islower()))


class _Context:
    """What attribution needs about one document."""

    def __init__(self, doc, text, pieces, spans, inq, names: _Names):
        self.doc, self.text, self.pieces, self.spans, self.inq, self.names = doc, text, pieces, spans, inq, names
        self.lines = _lines(text)

    # -- windows

    def _line_of(self, pos: int) -> tuple[int, int]:
        for a, b in self.lines:
            if a <= pos <= b:
                return a, b
        return 0, len(self.text)

    def _window(self, n: int) -> tuple[list, list]:
        """Outside-quote tokens before the quote (back to the sentence start, the previous quote
        or the paragraph start) and after it (to the sentence end, the next quote or paragraph end)."""
        doc = self.doc
        ts, te = self.spans[n]
        a, b = self._line_of(self.pieces[n].open_at)
        before = []
        i = ts - 1
        while i >= 0 and not self.inq[i] and doc[i].idx >= a:
            before.append(doc[i])
            if doc[i].is_sent_start and doc[i].i < ts - 1 and not self._soft_start(i):
                break
            i -= 1
        if not before:
            before = self._colon_line(ts)
        before.reverse()
        after = []
        i = te
        while i < len(doc) and not self.inq[i] and doc[i].idx < b:
            if doc[i].is_sent_start and i > te and not self._soft_start(i):
                break
            after.append(doc[i])
            if doc[i].text in ".!?" and i > te:
                break
            i += 1
        return before, after

    def _colon_line(self, ts: int) -> list:
        """A quote that opens its paragraph after 'Dane Lisser wrote:' at the end of the last one."""
        doc, i = self.doc, ts - 1
        while i >= 0 and doc[i].is_space:
            i -= 1
        if i < 0 or self.inq[i] or doc[i].text != ":":
            return []
        a = self._line_of(doc[i].idx)[0]
        out = []
        while i >= 0 and not self.inq[i] and doc[i].idx >= a and len(out) < 40:
            out.append(doc[i])
            if doc[i].is_sent_start:
                break
            i -= 1
        return out

    def _soft_start(self, i: int) -> bool:
        """A sentence start the parser put right after a quote or before a lowercase word."""
        doc = self.doc
        j = i - 1
        while j > 0 and doc[j].is_space:
            j -= 1
        return (j >= 0 and (self.inq[j] or doc[j].text in ",:")) or doc[i].text[:1].islower()

    # -- cues

    def _is_cue(self, t, linked: bool = False) -> bool:
        if self.inq[t.i]:
            return False
        if t.lower_ == "according" and t.i + 1 < len(self.doc) and self.doc[t.i + 1].lower_ == "to":
            return True
        if t.lower_ in REPORTING_FORMS and self._clause_edge(t):
            return True  # "The caption read," parsed as a noun
        if t.pos_ not in ("VERB", "AUX") or t.lemma_.lower() not in SPEECH_VERBS:
            return False
        if t.lemma_.lower() == "call":  # called for "calm"; called Ohio "one of the most..."
            return linked or any(c.lower_ in ("for", "on") or c.dep_ in ("oprd", "xcomp", "ccomp")
                                 for c in t.children)
        if t.lemma_.lower() in ("begin", "start", "finish", "read") and t.lemma_.lower() != "read":
            return any(c.dep_ == "xcomp" and c.lemma_ in SPEECH_VERBS for c in t.children)
        return True

    def _clause_edge(self, t) -> bool:
        """The word ends its clause or sits next to a quote: '..." X said.' / 'X said, "...'."""
        nxt = self.doc[t.i + 1] if t.i + 1 < len(self.doc) else None
        prev = self.doc[t.i - 1] if t.i > 0 else None
        return (nxt is None or nxt.is_punct or self.inq[nxt.i] or nxt.lower_ in ("in", "on", "that")
                or (prev is not None and (prev.is_punct or self.inq[prev.i])))

    def _linked(self, t, ts: int, te: int) -> bool:
        """The verb heads a quoted token, or a quoted token heads it, or it is an ancestor of one."""
        for q in self.doc[ts:te]:
            if q.head.i == t.i or (t.head.i == q.i):
                return True
        for anc in self.doc[ts].ancestors:
            if anc.i == t.i:
                return True
            if not (ts <= anc.i < te) and anc.i != t.i and self._is_cue(anc):
                return False
        return False

    def _pick_cue(self, n: int):
        """(reporting verb, its subject) for quote ``n``; either may be None."""
        ts, te = self.spans[n]
        before, after = self._window(n)
        p = self.pieces[n]
        inner_end = self.text[p.inner_start:p.inner_end].rstrip()
        ends_sentence = inner_end[-1:] == "." and not inner_end.endswith("..")
        # A few quoted words inside a sentence belong to a verb that governs them, or one right
        # beside them; otherwise they are scare quotes, whoever speaks elsewhere in the sentence.
        partial = _is_partial(self.text, p, _inner(self.text, p)[0])
        best, best_score = None, None
        last_verb = max((t.i for t in before if t.pos_ == "VERB"), default=None)
        # Any verb introduces the quote after a colon ("swiped at Ryan in tweets:") or right
        # before its comma ("blurted out,", "The email began,").
        colon = bool(before) and (before[-1].text == ":" or before[-1].text == "," and last_verb is not None
                                  and self._gap(before, [t.i for t in before].index(last_verb) + 1,
                                                len(before)) <= 1 and len(before) <= 12)
        for k, t in enumerate(before):
            linked = self._linked(t, ts, te)
            if self._is_cue(t, linked):
                score = self._gap(before, k + 1, len(before)) + (0 if linked else 2)
                if before[-1].text not in (",", ":") and not linked:
                    score += 4 if not partial else MAX_CUE_DISTANCE
            elif colon and t.i == last_verb:
                score = self._gap(before, k + 1, len(before)) + 3  # "Trump swiped at Ryan: "
            else:
                continue
            if best_score is None or score < best_score:
                best, best_score = t, score
        for k, t in enumerate(after):
            if self._is_cue(t):
                linked = self._linked(t, ts, te)
                score = self._gap(after, 0, k) + (0 if linked else 1)
                first = next((x for x in after if not (x.is_punct or x.is_space)), None)
                subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
                if linked and subj is not None and first is not None and subj.left_edge.i == first.i:
                    score = 1  # the subject opens the clause, however long its apposition
                if partial and not linked and score > 3:
                    continue
            elif not ends_sentence and self._bare_verb(after, k):
                score = self._gap(after, 0, k) + 2  # '"Go register," Trump implored.'
            else:
                continue
            if ends_sentence:
                score += 3
            if best_score is None or score < best_score or (score == best_score and not ends_sentence):
                best, best_score = t, score
        signed = re.match(r"[\s\xa0]*[―—–]\s*([A-Z][\w.'’-]*(?:[ \xa0][A-Z][\w.'’-]*){0,4})\.?[ \xa0]*(?:\n|$)",
                          self.text[p.close_end:])
        if best is None and signed:  # '"...” ― Carla Sanchez' closing the paragraph
            span = self.doc.char_span(p.close_end + signed.start(1), p.close_end + signed.end(1),
                                      alignment_mode="expand")
            name = [t for t in span if t.is_alpha] if span is not None else []
            if name:
                return None, name[-1]
        if best is None:
            # A partial quote deep in a clause: climb the parse to the nearest reporting verb.
            a, b = self._line_of(p.open_at)
            for anc in self.doc[ts:te].root.ancestors:
                if not self.inq[anc.i] and self._is_cue(anc):
                    if a <= anc.idx < b:
                        best, best_score = anc, 0
                    break
        if best is not None and best_score <= MAX_CUE_DISTANCE:
            return best, self._subject(best)
        if colon:  # "Meghan McCain, Twitter: "...""
            name = next((t for t in before if t.ent_type_ in ("PERSON", "ORG") and not self.inq[t.i]), None)
            if name is not None:
                return None, name
        return self._previous_clause(n, before)

    def _gap(self, window, i: int, j: int) -> int:
        return sum(1 for x in window[i:j] if not x.is_punct)

    def _bare_verb(self, after, k: int) -> bool:
        """A verb right after a quote, its subject beside it: 'Trump implored', 'fumed Mr. Burton'."""
        t = after[k]
        if t.pos_ != "VERB" or t.tag_ not in ("VBD", "VBZ", "VBP", "VBN"):
            return False
        words = [x for x in after[:k] if not (x.is_punct or x.is_space) or x.text in ".'’"]
        if not words:
            nxt = after[k + 1] if k + 1 < len(after) else None
            return nxt is not None and (nxt.pos_ in ("PROPN", "PRON", "DET"))
        return len(words) <= 5 and all(x.pos_ in ("PROPN", "PRON", "DET", "NOUN", "ADJ", "NUM", "PART", "PUNCT")
                                       or x.is_title for x in words)

    def _previous_clause(self, n: int, before):
        """'Her friend chimed in. "I did not think..."': a short clause just before, ending in its verb."""
        if before:
            return None, None
        ts, _ = self.spans[n]
        k = ts - 1
        if k < 2 or self.doc[k].text != "." or self.inq[k - 1]:
            return None, None
        line_start = self._line_of(self.pieces[n].open_at)[0]
        v = self.doc[k - 1]
        if v.pos_ == "ADP" and v.dep_ == "prt":
            v = v.head
        if v.pos_ == "VERB" and v.idx >= line_start and (self._is_cue(v) or not any(
                c.dep_ in ("dobj", "ccomp", "xcomp") for c in v.children)):
            subj = self._subject(v)
            if subj is not None and (subj.ent_type_ == "PERSON" or subj.lower_ in PRONOUNS):
                return v, subj
        return None, None

    # -- subjects

    def _subject(self, v, depth: int = 0):
        doc, inq = self.doc, self.inq
        if v.lower_ == "according":
            for t in v.subtree:
                if t.dep_ == "pobj" and not inq[t.i]:
                    return t
            return doc[v.i + 2] if v.i + 2 < len(doc) else None
        for c in v.children:
            if c.dep_ in ("nsubj", "nsubjpass") and not inq[c.i]:
                return c
        for c in v.children:
            if c.dep_ == "agent":  # '"Hillblazers" by the campaign'
                return next((x for x in c.children if x.dep_ == "pobj"), None)
        k = v.i - 1
        while k > 0 and doc[k].is_space:
            k -= 1
        prev = doc[k] if k >= 0 else None
        if prev is not None and not inq[prev.i] and (
                prev.pos_ in ("PROPN", "PRON") or prev.ent_type_ in ("PERSON", "ORG")
                or (prev.is_title and prev.i > 0 and inq[prev.i - 1])
                or (v.pos_ not in ("VERB", "AUX") and prev.pos_ == "NOUN")):
            return prev  # "Podesta saying", "The caption read" (tagged a noun)
        if depth < 3 and v.dep_ in ("conj", "xcomp", "advcl", "pcomp") and v.head.i != v.i:
            h = v.head
            if h.dep_ == "prep" and h.head.i != h.i:
                h = h.head
            if not inq[h.i]:
                return self._subject(h, depth + 1)
        # A subject the parse missed: a name just before ("Trump, 70, told CNN"), or after an
        # inverted verb ("said Ruiz"); not after "told"/"asked", whose object is the listener.
        for t in reversed(doc[max(0, v.i - 6):v.i]):
            if inq[t.i] or t.pos_ == "VERB":
                break
            if t.ent_type_ in ("PERSON", "ORG") or t.lower_ in ("he", "she") or (
                    t.is_title and t.i > 0 and (inq[t.i - 1] or doc[t.i - 1].is_space)):
                return t
        if v.lemma_ not in ("tell", "ask", "inform", "assure"):
            for t in doc[v.i + 1:v.i + 4]:
                if inq[t.i] or t.is_punct and t.text != "-":
                    break
                if t.ent_type_ in NAME_LABELS or t.lower_ in PRONOUNS or t.pos_ == "PROPN":
                    return t
        return None

    def _np(self, h) -> tuple[int, int]:
        """Character span of the subject's noun phrase (up to its head; a name if it is in one)."""
        for e in self.doc.ents:
            if e.start <= h.i < e.end:
                return e.start_char, e.end_char
        start = h.i
        for t in sorted(h.subtree, key=lambda x: x.i, reverse=True):
            if t.i >= h.i:
                continue
            if (t.tag_ != "HYPH" and (t.is_punct or not any(c.isalnum() for c in t.text))) \
                    or self.inq[t.i] != self.inq[h.i] or t.i != start - 1:
                break
            start = t.i
        return self.doc[start].idx, h.idx + len(h.text)

    # -- naming

    def _name(self, h, pos: int, attrs, n: int, frame_poss: set[int] = frozenset()) -> _Attribution:
        """Resolve the subject head ``h`` to a named speaker."""
        names = self.names
        s, e = self._np(h)
        # A title with a name beside it ("spokesperson Ines Moreau", "Dujarric, a UN spokesman").
        for c in h.children:
            if c.dep_ in ("appos", "compound") and c.ent_type_ == "PERSON" and self.inq[c.i] == self.inq[h.i]:
                m = names.at(c.idx, c.idx + len(c.text))
                if m:
                    return _Attribution(names.canonical(m.key), m.start, m.end, m.key, m.kind)
        m = names.at(h.idx, h.idx + len(h.text))
        if m is not None and m.end > h.idx:
            return _Attribution(names.canonical(m.key), s, e, m.key, m.kind)
        low = h.lower_
        if low in ("who", "that", "which") and h.head.dep_ == "relcl" and h.head.head.i != h.i:
            a = self._name(h.head.head, pos, attrs, n, frame_poss)  # "a sign that read", "Clinton, who said"
            return _Attribution(a.speaker, s, e, a.key, a.kind)
        if low == "it":  # "Her campaign released ads it described as...": the organisation just named
            for t in reversed(self.doc[h.sent.start:h.i]):
                if t.dep_ == "nsubj" and not self.inq[t.i] and (t.lower_ in ORG_NOUNS or t.ent_type_ == "ORG"):
                    a = self._name(t, t.idx, attrs, n)
                    return _Attribution(a.speaker, s, e, a.key, a.kind)
        if low in PRONOUNS:
            want = PRONOUNS[low]
            if want is None:
                return _Attribution(None, None, None)
            found = self._resolve_pronoun(want, pos, attrs, n)
            if found:
                return _Attribution(found.speaker, s, e, found.key, found.kind)
            return _Attribution(None, None, None)
        words = [fold(t.text) for t in self.doc[self.doc.char_span(s, e, alignment_mode="expand").start:h.i + 1]
                 if t.pos_ != "DET" and not t.is_punct] if self.doc.char_span(s, e, alignment_mode="expand") else [low]
        words = [re.sub(r"(?:'s|’s)$", "", w) for w in words if w not in ("'s", "’s")]
        if low in DOC_NOUNS:
            owner = self._owner(h, attrs, n)
            if owner:
                return _Attribution(owner.speaker, s, e, owner.key, owner.kind)
        title_words = [w for w in words if w in TITLE_WORDS or all(x in TITLE_WORDS for x in w.split("-"))]
        if title_words and fold(h.text) in TITLE_WORDS | {"secretary-general"} or "-" in low and title_words:
            key = names.resolve_title(words, pos, frame_poss)
            if key is not None:
                return _Attribution(names.canonical(key), s, e, key, "PERSON")
        if low in ORG_NOUNS:
            key = names.resolve_org(low, pos)
            if key is not None:
                return _Attribution(names.canonical(key), s, e, key, names.kind[key])
        if title_words:
            key = names.resolve_title(words, pos, frame_poss)
            if key is not None:
                return _Attribution(names.canonical(key), s, e, key, "PERSON")
        key = names.lookup(fold(h.text)) if h.is_title else None
        if key is not None:  # a name the tagger missed ("Trump, 70, told")
            return _Attribution(names.canonical(key), s, e, key, names.kind[key])
        return _Attribution(_clean_name(self.text[s:e]) or None, s, e)

    def _resolve_pronoun(self, want: str, pos: int, attrs, n: int) -> _Attribution | None:
        names = self.names
        prev = next((a for a in reversed(attrs[:n]) if a is not None and a.speaker), None)
        kinds = {"PERSON"} if want == "PERSON" else ({"ORG", "GPE"} if want == "ORG" else {"ANY"})
        latest = names.latest(pos, kinds, floor=max(0, pos - 1500))
        # The previous quote's speaker wins when no other fitting name came after it.
        if prev is not None and prev.key is not None and (prev.kind in kinds or "ANY" in kinds):
            prev_at = self.pieces[attrs.index(prev)].open_at
            if latest is None or latest.key == prev.key or latest.start < prev_at or \
                    (prev.start is not None and latest.start <= prev.start):
                return prev
        if latest is not None:
            return _Attribution(names.canonical(latest.key), latest.start, latest.end, latest.key, latest.kind)
        return prev if prev is not None and prev.speaker else None

    def _owner(self, h, attrs, n: int) -> _Attribution | None:
        """Who issued 'the statement': its 'by' agent or possessor, else the subject of the latest
        sentence that mentions a statement, else the previous quote's speaker."""
        for t in h.subtree:
            if t.dep_ in ("pobj", "poss") and t.i != h.i and (t.head.lower_ == "by" or t.dep_ == "poss"):
                return self._name(t, t.idx, attrs, n)
        if h.dep_ == "dobj":  # "Kukura placed a sign ... that read"
            subj = next((c for c in h.head.children if c.dep_ == "nsubj" and not self.inq[c.i]), None)
            if subj is not None:
                return self._name(subj, subj.idx, attrs, n)
        for t in reversed(self.doc[max(0, h.i - 150):h.i]):
            if t.lower_ not in DOC_NOUNS or self.inq[t.i] or t.i == h.i:
                continue
            verb = next((x for x in t.ancestors if x.pos_ in ("VERB", "AUX")), None)
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")
                         and not self.inq[c.i]), None) if verb is not None else None
            if subj is not None and subj.lower_ not in DOC_NOUNS and subj.i != h.i:
                return self._name(subj, subj.idx, attrs, n)
        prev = next((a for a in reversed(attrs[:n]) if a is not None and a.speaker), None)
        if prev is not None:
            return prev
        m = self.names.latest(h.idx, {"ORG", "PERSON"})
        if m:
            return _Attribution(self.names.canonical(m.key), m.start, m.end, m.key, m.kind)
        return None

    # -- the whole attribution of one quote

    def attribute(self, n: int, attrs) -> _Attribution | None:
        p = self.pieces[n]
        ts, te = self.spans[n]
        if te <= ts:
            return None
        v, h = self._pick_cue(n)
        if v is None and h is None:
            return self._regex_fallback(n, attrs)
        if h is None:
            return _Attribution(cue=v.text if v.lower_ != "according" else "according to")
        if v is None:
            return self._name(h, h.idx, attrs, n)
        poss = {m.key for c in h.children if c.dep_ == "poss"
                for m in [self.names.at(c.idx, c.idx + len(c.text))] if m}
        a = self._name(h, h.idx, attrs, n, poss)
        a.cue = "according to" if v.lower_ == "according" else v.text
        # Relayed: "X said that Y called for 'calm'": Y is the speaker, X relays it.
        if v.dep_ in ("ccomp", "xcomp", "conj") and a.speaker:
            outer = v.head
            while outer.dep_ in ("conj",) and outer.head.i != outer.i:
                outer = outer.head
            if outer.dep_ == "ccomp" and not self.inq[outer.head.i] and self._is_cue(outer.head):
                outer = outer.head
            if outer.i != v.i and self._is_cue(outer) and not self.inq[outer.i] and outer.dep_ != "conj":
                oh = self._subject(outer)
                if oh is not None and oh.i != h.i and v.dep_ != "conj":
                    o = self._name(oh, oh.idx, attrs, n)
                    if o.speaker and o.speaker != a.speaker:
                        a.reported_by = o.speaker
        inner = self._inner_speaker(n, a, attrs, poss)
        if inner is not None:
            return inner
        cited = self._cited(v)
        if cited and cited != a.speaker:
            a.reported_by = a.reported_by or cited
        return a

    def _inner_speaker(self, n: int, frame: _Attribution, attrs, poss) -> _Attribution | None:
        """'The Secretary-General condemns...' inside a spokesperson's quote: that party speaks."""
        ts, te = self.spans[n]
        for t in self.doc[ts:min(te, ts + 12)]:
            if t.dep_ not in ("nsubj", "nsubjpass") or t.lower_ in PRONOUNS:
                continue
            v = t.head
            if not (ts <= v.i < te):
                return None
            lemma = v.lemma_.lower()
            states = any(c.lower_ in STATEMENT_STATES for c in v.children) or v.lower_ in STATEMENT_STATES
            if not ((v.tag_ == "VBZ" and lemma in STATEMENT_VERBS) or (lemma == "be" and states)
                    or (v.tag_ == "VBN" and v.lower_ in STATEMENT_STATES)):
                return None
            if t.ent_type_ not in ("PERSON", "ORG") and not (
                    t.lower_ in TITLE_WORDS or t.lower_ in ORG_NOUNS or "-" in t.text
                    or t.text in ("General",)):
                return None
            a = self._name(t, t.idx, attrs, n, poss | ({frame.key} if frame.key is not None else set()))
            if a.key is None or a.key == frame.key:
                return None
            if frame.kind == "PERSON" and frame.speaker:
                a.reported_by = frame.speaker
            a.cue = frame.cue
            return a
        return None

    def _cited(self, v) -> str | None:
        """'UNAMI said in a statement, citing UN News': the outlet that relayed it."""
        for t in v.subtree:
            if t.lower_ in ("citing", "quoting") and not self.inq[t.i]:
                for c in t.subtree:
                    if c.dep_ in ("dobj", "pobj") or c.ent_type_ in ("ORG", "PERSON"):
                        m = self.names.at(c.idx, c.idx + len(c.text))
                        ent = next((e for e in self.doc.ents if e.start <= c.i < e.end), None)
                        if m:
                            return self.names.canonical(m.key)
                        if ent is not None:
                            return _clean_name(ent.text)
        return None

    def _regex_fallback(self, n: int, attrs) -> _Attribution | None:
        """No verb found by the parse: 'X said' / 'said X' written right next to the quote."""
        p = self.pieces[n]
        a, b = self._line_of(p.open_at)
        after = self.text[p.close_end:b]
        before = self.text[a:p.open_at]
        verbs = r"(?:said|says|added|adds|told|tweeted|wrote|writes|stated|continued|concluded|urged|noted|explained|asked|warned|insisted)"
        subj = r"((?:[A-Z][\w'’.-]+\s+){0,3}[A-Z][\w'’.-]+|he|she|it|they|the\s+[\w-]+(?:\s+[\w-]+)?)"
        m = re.match(r"\s*,?\s*" + subj + r"\s+" + verbs + r"\b", after) or \
            re.match(r"\s*,?\s*" + verbs + r"\s+" + subj, after)
        if m:
            g = m.group(1)
            s = p.close_end + m.start(1)
        else:
            m = re.search(subj + r"\s+" + verbs + r"\s*[,:]?\s*$", before)
            if not m:
                return None
            s = a + m.start(1)
        span = self.doc.char_span(s, s + len(m.group(1)), alignment_mode="expand")
        if span is None:
            return None
        h = span.root
        out = self._name(h, h.idx, attrs, n)
        out.cue = re.search(verbs, m.group(0)).group(0)
        return out

    def inherit(self, n: int, attrs) -> _Attribution | None:
        """A quote with no reporting clause: the speaker of the quote just before it (same or
        previous paragraph), else the organisation or person named last in the previous sentence."""
        p = self.pieces[n]
        a, _ = self._line_of(p.open_at)
        prev_line = max((x for x in self.lines if x[1] < a), default=(a, a))
        for k in range(n - 1, -1, -1):
            q = self.pieces[k]
            if q.open_at < prev_line[0]:
                break
            if attrs[k] is not None and attrs[k].speaker:
                return _Attribution(attrs[k].speaker, attrs[k].start, attrs[k].end, attrs[k].key,
                                    attrs[k].kind, None, attrs[k].reported_by)
        if self.text[a:p.open_at].strip():
            return None  # a partial quote inside a sentence with no reporting verb: no guess
        m = self.names.latest(p.open_at, {"ORG"}, floor=prev_line[0]) or \
            self.names.latest(p.open_at, {"PERSON"}, floor=prev_line[0])
        if m is not None:
            return _Attribution(self.names.canonical(m.key), m.start, m.end, m.key, m.kind)
        return None
