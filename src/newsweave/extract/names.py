"""The names of one article, clustered: who and what a quote's speaker can be resolved to.

``ArticleNames`` takes the named mentions of a parsed article and clusters them by name structure: a
lone surname ("Guterres") joins the full name it belongs to, organisation forms join through
acronyms and containment ("UNAMI", "the UN Assistance Mission for Iraq (UNAMI)"), and the titles
written beside people's names ("Prime Minister Mustafa al-Kadhimi") are kept so that a
description ("the prime minister") can be resolved to a person. ``speakers.py`` uses it to name
the speaker of every quote.

Re-run ``bench/polnear.py`` after changing the word lists (figures in ``bench/RESULTS.md``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass

from spacy.symbols import PROPN as _PROPN


def word_set(s: str) -> frozenset[str]:
    """The whitespace-separated words of a word list, as a set."""
    return frozenset(s.split())


TITLE_WORDS = word_set("""
president vice prime minister pm secretary general secretary-general spokesperson spokesman spokeswoman
chief leader chairman chairwoman chair director governor senator sen. rep. representative mayor
ambassador envoy king queen prince princess commander gen. lt. colonel col. chancellor premier foreign
defence defense interior finance justice attorney ceo head deputy speaker judge candidate nominee
manager official adviser advisor aide press coordinator special mr. mrs. ms. dr. mr mrs ms dr first
lady founder executive sheikh ayatollah pope cardinal bishop minister-designate president-elect former
acting rev. rev reverend reps. reps sen gov. gov pilot co-pilot copilot co captain navigator
engineer controller prosecutor lawyer inspector detective sergeant officer professor coach
doctor surgeon commissioner""")
SYNONYMS = {"pm": "prime minister", "spokesman": "spokesperson", "spokeswoman": "spokesperson",
            "un": "united nations", "u.n.": "united nations"}
NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC"}
_STOP = {"of", "for", "in", "the", "and", "on", "al", "el", "&"}


# --- names in the document -----------------------------------------------------------------------


def fold(text: str) -> str:
    """Casefold and strip accents: 'António' -> 'antonio'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


@functools.lru_cache(maxsize=4096)
def clean_name(text: str) -> str:
    """A name as written, tidied: no surrounding punctuation, leading "the", possessive, trailing
    "(ACRONYM)" or dangling "of"/"in": 'the Mission in' -> 'Mission'."""
    t = " ".join(text.split()).strip(" ,;:-–—―\"'“”‘’()[]\xa0")
    t = re.sub(r"^(?:the|The|THE)\s+", "", t)
    t = re.sub(r"(?:'s|’s|'|’)$", "", t)
    t = re.sub(r"\s*\([A-Z][A-Za-z.&]{1,9}\)$", "", t)
    t = re.sub(r"\s+(?:in|of|for|and|the|on|at)$", "", t)  # a name cut short: "the Mission in"
    return t.strip(" ,;:-–—")


@functools.lru_cache(maxsize=4096)
def _name_words(text: str) -> tuple[str, ...]:
    """Comparable words of a name: folded, "al-" dropped, "UN" and "PM" spelled out."""
    out: list[str] = []
    for w in fold(clean_name(text)).split():
        w = re.sub(r"^(?:al|el|ad)-", "", w.strip(".'’,"))
        out.extend(SYNONYMS.get(w, w).split())
    return tuple(w for w in out if w and w not in _STOP)


def untitled(text: str) -> str:
    """A person's name without the title the tagger took in: 'Mayor Ana Ruiz' -> 'Ana Ruiz'."""
    words = [w for w in clean_name(text).split() if any(c.isalnum() for c in w)]
    while len(words) > 1 and fold(words[0]) in TITLE_WORDS:
        words.pop(0)
    return " ".join(words)


def _initials(text: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", clean_name(text)) if w and w.lower() not in _STOP]
    return "".join(w.replace(".", "") if w.replace(".", "").isupper() else w[0] for w in words).upper()


def _org_alias(a: str, b: str, acronyms: dict[str, str]) -> bool:
    """Two organisation forms name one body: one inside the other ("PM Office" in "Iraqi PM
    Office"), or an acronym spelled by initials or defined in the text ("Long Name (ACR)")."""
    wa, wb = _name_words(a), _name_words(b)
    if not wa or not wb:
        return False
    small, big = sorted((wa, wb), key=len)
    if len(small) >= 2 and set(small) <= set(big) and (small[-1] == big[-1] or len(small) >= 3):
        return True
    for x, y in ((a, b), (b, a)):
        acr = x.replace(".", "")
        if acr.isupper() and 2 <= len(acr) <= 8 and " " not in acr and (_initials(y) == acr or acronyms.get(x) == y):
            return True
    return False


@dataclass
class _Name:
    key: int  # cluster id
    kind: str  # PERSON, ORG, GPE, NORP
    start: int
    end: int
    text: str
    quoted: bool = False


class ArticleNames:
    """The named mentions of one document, clustered by name structure, with the titles written
    beside people's names so that descriptions can be resolved to them."""

    def __init__(self, doc, text: str, ents, quoted: list[tuple[int, int]]):
        self.mentions: list[_Name] = []
        self.forms: dict[int, Counter] = {}
        self.kind: dict[int, str] = {}
        acronyms = {m.group(2): clean_name(m.group(1)) for m in re.finditer(
            r"((?:[A-Z][\w'’.-]*\s+)(?:(?:of|for|in|the|and|on|[A-Z][\w'’.-]*)\s+){0,7}[A-Z][\w'’.-]*)"
            r"\s+\(([A-Z][A-Za-z.&]{1,9})\)", text)}
        # "The UN Spokesperson" tagged ORG is a role, resolved like any title, not a name.
        ents = [e for e in ents if e.label_ in NAME_LABELS and _name_words(e.text)
                and fold(clean_name(e.text)).split()[-1] not in TITLE_WORDS]
        persons: dict[tuple[str, str], int] = {}
        surnames: dict[str, list[int]] = {}
        firsts: dict[str, list[int]] = {}
        # Runs of proper nouns, for names the tagger missed or cut ("Mayor Ana Ruiz" -> "Ana Ruiz").
        self.runs: dict[str, list[tuple[int, str]]] = {}
        person = doc.vocab.strings["PERSON"]
        tags = doc.to_array(["POS", "ENT_TYPE"]) if len(doc) else []
        proper = [i for i, (pos, ent) in enumerate(tags) if pos == _PROPN and ent in (0, person)]
        run: list = []
        for i in proper + [-2]:
            if run and i == run[-1] + 1:
                run.append(i)
                continue
            tokens = [doc[k] for k in run if not any(a <= doc[k].idx < b for a, b in quoted)]
            full = untitled(" ".join(t.text for t in tokens)) if len(tokens) == len(run) else ""
            if 2 <= len(full.split()) <= 3:
                self.runs.setdefault(fold(tokens[-1].text), []).append((tokens[0].idx, full))
            run = [i]
        # Full personal names first, so that a lone "Kadhimi" or "Guterres" (even tagged ORG) joins one.
        for e in ents:
            w = _name_words(untitled(e.text) if e.label_ == "PERSON" else e.text)
            if e.label_ == "PERSON" and len(w) >= 2 and (w[0], w[-1]) not in persons:
                persons[(w[0], w[-1])] = k = len(persons)
                self.kind[k] = "PERSON"
                surnames.setdefault(w[-1], []).append(k)
                firsts.setdefault(w[0], []).append(k)
        orgs: list[tuple[int, int, str, str]] = []
        for e in ents:
            form = untitled(e.text) if e.label_ == "PERSON" else e.text
            w = _name_words(form)
            if e.label_ == "PERSON" and len(w) >= 2:
                key = persons[(w[0], w[-1])]
            elif len(w) == 1 and (w[0] in surnames or (w[0] in firsts and e.label_ == "PERSON")):
                key = self._nearest(surnames.get(w[0]) or firsts[w[0]], e.start_char)
            elif e.label_ == "PERSON":
                longer = self.fullest_run(form.split()[-1], e.start_char, form) if len(w) == 1 else form
                w = _name_words(longer) or _name_words(form)
                if not w:  # a PERSON span of punctuation or titles only: nothing to name
                    continue
                key = persons.setdefault((w[0], w[-1]), len(self.kind))
                self.kind[key] = "PERSON"
                if longer != form:
                    self.forms.setdefault(key, Counter())[longer] += 1
            else:
                orgs.append((e.start_char, e.end_char, clean_name(e.text), e.label_))
                continue
            self._add(key, e.start_char, e.end_char, form, quoted)
        # Organisations: one cluster per connected group of aliases.
        forms = list(dict.fromkeys([o[2] for o in orgs] + list(acronyms.values())))
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
        base = len(self.kind)
        index = {f: i for i, f in enumerate(forms)}
        for s, t, form, label in orgs:
            key = cluster.setdefault(root(index[form]), base + len(cluster))
            self.kind.setdefault(key, "ORG" if label in ("ORG", "FAC") else label)
            self._add(key, s, t, form, quoted)
        for acr, long in acronyms.items():
            key = cluster.get(root(index[acr])) if acr in index else None
            if key in self.forms:
                self.forms[key][long] += 1  # the defined expansion names it best
        self.mentions.sort(key=lambda m: m.start)
        self.starts = [m.start for m in self.mentions]
        self.titles = self._titles(text)

    def fullest_run(self, word: str, pos: int, default: str) -> str:
        """The run of proper nouns ending in ``word`` nearest before ``pos`` (else the first after)."""
        runs = self.runs.get(fold(word), [])
        before = [r for at, r in runs if at <= pos]
        return before[-1] if before else runs[0][1] if runs else default

    def _add(self, key: int, s: int, t: int, text: str, quoted) -> None:
        self.mentions.append(_Name(key, self.kind[key], s, t, clean_name(text),
                                   any(a <= s < b for a, b in quoted)))
        self.forms.setdefault(key, Counter())[clean_name(text)] += 1

    def _nearest(self, options: list[int], pos: int) -> int:
        """Of several people with this surname, the one named last before ``pos`` (else first after)."""
        best, dist = options[0], None
        for m in self.mentions:
            if m.key in options:
                d = pos - m.start if m.start <= pos else 10**6 + m.start - pos
                if dist is None or d < dist:
                    best, dist = m.key, d
        return best if dist is not None else Counter(options).most_common(1)[0][0]

    def _titles(self, text: str) -> list[tuple[str, frozenset, int, int]]:
        """(title, modifiers, position, cluster) for each person named with a title before the
        name ("UN Secretary-General Antonio Guterres") or after it (", leader of the militia,")."""
        out = []
        for m in self.mentions:
            if m.kind != "PERSON":
                continue
            line_start = text.rfind("\n", 0, m.start) + 1
            before = re.split(r"[,;:.(\"“”]\s", text[max(line_start, m.start - 80):m.start])[-1]
            title: list[str] = []
            mods: list[str] = []
            for w in reversed(before.split()):
                lw = re.sub(r"(?:'s|’s)$", "", fold(w).strip(",."))
                if lw in TITLE_WORDS or all(p in TITLE_WORDS for p in lw.split("-")):
                    if mods:
                        break
                    title.insert(0, lw)
                elif w[:1].isupper() and title:
                    mods.append(lw)
                else:
                    break
            if not title:  # "the co-pilot, Jean Marcot": a title set off before the name
                prior = re.search(r"(?:^|[,;:(]\s|\b(?:the|a|an)\s)([\w'’.\- ]{2,40}),\s*$",
                                  text[max(line_start, m.start - 60):m.start], re.I)
                if prior:
                    pw = [re.sub(r"(?:'s|’s)$", "", fold(x)) for x in prior.group(1).split()]
                    if pw and len(pw) <= 4 and (pw[-1] in TITLE_WORDS or all(
                            p in TITLE_WORDS for p in pw[-1].split("-"))):
                        title = [pw[-1]]
                        mods.extend(x for x in pw[:-1] if x not in TITLE_WORDS)
            after = re.match(r",\s+(?!and\b|or\b|but\b|while\b)(?:the|a|an)?\s*([^,.;\n]{2,60})",
                             text[m.end:])
            if after:
                aw = [fold(x) for x in after.group(1).split()]
                i = next((i for i, x in enumerate(aw[:4]) if x in TITLE_WORDS), None)
                if i is not None:
                    title = title or [aw[i]]
                    mods.extend(aw[:i])
            if title:
                key = " ".join(SYNONYMS.get(t, t) for t in title).replace("secretary general", "secretary-general")
                out.append((key, frozenset(SYNONYMS.get(x, x) for x in mods), m.start, m.key))
        return out

    def canonical(self, key: int) -> str:
        """The fullest form: for people the most frequent multi-word form, for the rest the longest."""
        forms = self.forms[key]
        person = self.kind[key] == "PERSON"
        folded = Counter()
        for f, n in forms.items():
            folded[fold(f)] += n
        order = list(forms)
        return max(forms, key=lambda f: (len(f.split()) >= 2 or not person, folded[fold(f)] if person else 0,
                                         len(f), -order.index(f)))

    def lookup(self, word: str) -> int | None:
        """The person whose surname (else first name) is ``word``, if exactly one fits."""
        for part in (-1, 0):
            keys = {m.key for m in self.mentions
                    if m.kind == "PERSON" and _name_words(m.text) and _name_words(m.text)[part] == word}
            if len(keys) == 1:
                return keys.pop()
        return None

    def at(self, start: int, end: int) -> _Name | None:
        """The longest mention overlapping [start, end)."""
        i = bisect_left(self.starts, start - 200)
        found = [m for m in self.mentions[i:bisect_left(self.starts, end)] if m.start < end and start < m.end]
        return max(found, key=lambda m: m.end - m.start) if found else None

    def resolve_title(self, words: list[str], pos: int, prefer: set[int] = frozenset()) -> int | None:
        """'the prime minister', 'The UN Spokesperson', 'Iraq PM' -> a person: one the frame
        names first ('Brandt's spokesperson'), then one sharing modifiers ('UN'), then the
        nearest before, then the nearest after."""
        norm = [x for w in words for x in SYNONYMS.get(w, w).split()]
        phrase = " ".join(norm).replace("secretary general", "secretary-general")
        cands = [t for t in self.titles if phrase == t[0] or phrase.endswith(" " + t[0])
                 or (t[0].endswith(" " + phrase) and norm[-1] == t[0].split()[-1])]
        if not cands:
            return None
        mods = set(norm) - set(" ".join(c[0] for c in cands).split())
        return max(cands, key=lambda t: (t[3] in prefer, len(mods & t[1]), t[2] <= pos, -abs(pos - t[2])))[3]

    def resolve_org(self, head: str, pos: int) -> int | None:
        """'the mission' -> the organisation named with 'Mission', the latest before ``pos``."""
        best = None
        for m in self.mentions:
            if m.kind != "PERSON" and head in fold(m.text).split() and (m.start <= pos or best is None):
                best = m
        return best.key if best else None

    def latest(self, pos: int, kinds: set[str], floor: int = 0) -> _Name | None:
        """The last mention of one of ``kinds`` (or "ANY") outside quotes in [floor, pos)."""
        for m in reversed(self.mentions[bisect_left(self.starts, floor):bisect_left(self.starts, pos)]):
            if not m.quoted and (m.kind in kinds or "ANY" in kinds):
                return m
        return None
