"""Who said each quote: the speaker of every quote, resolved to the fullest name the article gives.

The second pass of ``QuoteFinder`` (``quotes.py`` finds the quote marks and runs both passes);
the article's names, clustered, come from ``names.py`` (``ArticleNames``).

- **Speakers** (``SpeakerContext``). The reporting verb is looked for beside the quote (``"...," she
  said``, ``He said: "..."``, ``"..." ― Ana Ruiz``), then up the dependency tree (``called for
  "calm"``), ``according to X``, then a regular expression. Its subject is resolved to the fullest
  name the article gives: pronouns to the latest fitting speaker or name, titles (``the prime
  minister``) through the titles written beside names, descriptions (``the mission``) to the
  organisation named with that word, documents (``the statement read``) to whoever issued them.
  A quote that opens with a third party making a statement (``Dujarric said, "The
  Secretary-General condemns..."``) is that party's, relayed by the clause's subject; so is ``X
  said that Y called for "calm"``. A quote with no reporting clause takes the speaker of the
  quote just before it, else the organisation named in the sentence before.

Re-run ``bench/polnear.py`` after changing the word lists or ``MAX_CUE_DISTANCE`` (figures in
``bench/RESULTS.md``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import (
    NAME_LABELS,
    TITLE_WORDS,
    ArticleNames,
    clean_name,
    fold,
    untitled,
    word_set,
)

# --- word lists ----------------------------------------------------------------------------------


SPEECH_VERBS = word_set("""
say tell add write tweet state continue conclude urge declare explain note insist ask warn claim argue
announce read reply respond remark comment post recall acknowledge admit affirm allege assert boast
complain concede confirm contend deny describe emphasize emphasise estimate joke lament maintain observe
predict promise quip recount reiterate report reveal stress suggest testify vow wonder shout yell cry
scream whisper mutter chant pledge demand proclaim thank praise criticize criticise blast slam charge
counter retort interject repeat mention underline underscore accuse caution speculate tout hammer
characterize characterise dub label inform assure text email instruct advise plead beg threaten muse
gush rail lash scoff concur agree disagree question summarize summarise begin believe think hope fear
worry call echo denounce exclaim sigh implore fume blurt chime snap quote""")
# Reporting words trusted even when the tagger calls them nouns ("The caption read, ...").
REPORTING_FORMS = word_set("""
said says told tells added adds wrote writes read reads reading tweeted stated continued concluded
urged noted explained asked warned insisted declared posted""")
# An official statement relayed by a spokesperson opens with its author doing one of these, in the
# present tense: "The Secretary-General condemns...", "The Prime Minister is deeply saddened...".
STATEMENT_VERBS = word_set("""
condemn call express urge welcome reiterate extend offer send applaud commend deplore regret
congratulate stress reaffirm affirm salute mourn denounce reject appeal encourage thank""")
STATEMENT_STATES = word_set("""
saddened shocked concerned alarmed grieved appalled pleased encouraged dismayed horrified outraged
troubled heartbroken relieved deeply gravely""")
DOC_NOUNS = word_set("""
statement caption tweet post release communique communiqué letter message announcement notice readout
memo email editorial report filing transcript sign placard banner headline note""")
ORG_NOUNS = word_set("""
mission office ministry government agency organization organisation council committee department party
campaign company group union commission court army military police embassy newspaper paper daily
network foundation institute bank board firm administration team militia movement coalition alliance
parliament assembly senate presidency cabinet secretariat body service station channel""")
# The medium a speaker told ("told the Saarbruecker Zeitung paper", "told Poland's private Radio
# Zet", "told a Polish television station"): it relayed the words.
MEDIA_NOUNS = word_set("""
newspaper paper daily weekly magazine radio television tv station channel network broadcaster
agency website site outlet programme program show tabloid journal gazette""")
SPEECH_NOUNS = word_set("""
word words reply response answer warning remark comment plea cry message""")
INDEFINITE = frozenset({"someone", "somebody", "anyone", "anybody", "everyone"})
# Nouns that are never who speaks: times ("Seconds later came ..."), and function words a bad
# parse can hand over as a subject ("The").
_NOT_SPEAKERS = word_set("""
second seconds minute minutes moment moments hour hours day days week weeks later time""")


def _can_speak(h) -> bool:
    """Whether a subject token can be a speaker at all: not a time word ("Seconds later came
    ...") nor a bare article a bad parse made the subject."""
    if h.lower_ in ("the", "a", "an"):
        return False  # (other determiners speak: "Some said ...", "Those who ...")
    return h.lower_ not in _NOT_SPEAKERS  # (not the DATE label: "the daily wrote" has it)


def _named(h) -> bool:
    """A name, or a noun with a name in apposition ("the owner's brother, Tomas"): someone who
    can speak, unlike "a book written with ..." where a verb also hangs on a noun."""
    return h.ent_type_ in ("PERSON", "ORG") or any(
        c.dep_ == "appos" and c.ent_type_ in ("PERSON", "ORG") for c in h.children)


PRONOUNS = {"he": "PERSON", "she": "PERSON", "him": "PERSON", "her": "PERSON", "it": "ORG",
            "they": "ANY", "i": None, "we": None, "you": None}
# Tokens between a quote and its reporting verb; further away it was mostly another clause's verb
# (PolNeAR dev). Re-run bench/polnear.py after changing it.
MAX_CUE_DISTANCE = 12
# A quote signed off at the end of its paragraph: '"..." ― Carla Sanchez'.
_SIGNED = re.compile(r"[\s\xa0]*[―—–]\s*([A-Z][\w.'’-]*(?:[ \xa0][A-Z][\w.'’-]*){0,4})\.?[ \xa0]*(?:\n|$)")


# --- speakers ----------------------------------------------------------------------------------


@dataclass
class QuotePiece:
    """A quoted stretch: marks at [open_at, inner_start) and [inner_end, close_end).

    ``quotes.py`` finds them (``scan_quotes``); they are defined here because the speaker search
    reads them too."""

    open_at: int
    inner_start: int
    inner_end: int
    close_end: int
    chain: int = -1  # the pieces of one quote over several paragraphs share a chain id


@dataclass
class Attribution:
    """Who said a quote: the speaker and the span it was resolved from, its cluster key and kind,
    the reporting word (``cue``) and whoever relayed the words (``reported_by``)."""

    speaker: str | None = None
    start: int | None = None
    end: int | None = None
    key: int | None = None
    kind: str | None = None
    cue: str | None = None
    reported_by: str | None = None


class SpeakerContext:
    """Attribution for the quotes of one document."""

    def __init__(self, doc, text: str, pieces: list[QuotePiece], spans, inq: list[bool], names: ArticleNames,
                 ents, lines: list[tuple[int, int]], partial: list[bool]):
        """``lines``: the paragraphs' (start, end); ``partial``: per piece, quoted words inside a sentence."""
        self.doc, self.text, self.pieces, self.spans, self.inq, self.names = doc, text, pieces, spans, inq, names
        self.lines, self.partial = lines, partial
        self._heads: dict[tuple[int, int], set[int]] = {}
        self.ent_of: dict[int, tuple[int, int]] = {}
        for e in ents:
            for i in range(e.start, e.end):
                self.ent_of[i] = (e.start_char, e.end_char)

    def _line_of(self, pos: int) -> tuple[int, int]:
        return next(((a, b) for a, b in self.lines if a <= pos <= b), (0, len(self.text)))

    # -- where the reporting clause can be

    def _window(self, n: int) -> tuple[list, list]:
        """Tokens outside quotes before the quote (back to the sentence start, the last quote or
        the paragraph start; or the clause ending in a colon that closes the paragraph before)
        and after it (to the sentence end, the next quote or the paragraph end)."""
        doc, inq = self.doc, self.inq
        ts, te = self.spans[n]
        a, b = self._line_of(self.pieces[n].open_at)
        before, i = [], ts - 1
        while i >= 0 and not inq[i] and doc[i].idx >= a:
            before.append(doc[i])
            if doc[i].is_sent_start and i < ts - 1 and not self._soft_start(i):
                break
            i -= 1
        if not before:  # 'Dane Lisser wrote:' ending the last paragraph
            while i >= 0 and doc[i].is_space:
                i -= 1
            if i >= 0 and not inq[i] and doc[i].text == ":":
                a = self._line_of(doc[i].idx)[0]
                while i >= 0 and not inq[i] and doc[i].idx >= a and len(before) < 40:
                    before.append(doc[i])
                    if doc[i].is_sent_start:
                        break
                    i -= 1
        after, i = [], te
        while i < len(doc) and not inq[i] and doc[i].idx < b:
            if doc[i].is_sent_start and i > te and not self._soft_start(i):
                break
            after.append(doc[i])
            if doc[i].text in ".!?" and i > te:
                break
            i += 1
        return before[::-1], after

    def _soft_start(self, i: int) -> bool:
        """A sentence start the parser put right after a quote, a comma or before a lowercase word."""
        j = i - 1
        while j > 0 and self.doc[j].is_space:
            j -= 1
        return (j >= 0 and (self.inq[j] or self.doc[j].text in ",:")) or self.doc[i].text[:1].islower()

    # -- the reporting verb

    def _is_cue(self, t, linked: bool = False) -> bool:
        if self.inq[t.i]:
            return False
        nxt = self.doc[t.i + 1] if t.i + 1 < len(self.doc) else None
        if t.lower_ == "according" and nxt is not None and nxt.lower_ == "to":
            return True
        if t.lower_ in REPORTING_FORMS:  # trusted at a clause edge even when tagged a noun
            prev = self.doc[t.i - 1] if t.i > 0 else None
            if nxt is None or nxt.is_punct or self.inq[nxt.i] or nxt.lower_ in ("in", "on", "that") \
                    or (prev is not None and (prev.is_punct or self.inq[prev.i])):
                return True
        lemma = t.lemma_.lower()
        if t.pos_ not in ("VERB", "AUX") or lemma not in SPEECH_VERBS:
            return False
        if lemma == "call":  # called for "calm"; called Ohio "one of the most..."
            return linked or any(c.lower_ in ("for", "on") or c.dep_ in ("oprd", "xcomp", "ccomp") for c in t.children)
        if lemma == "begin":
            return any(c.dep_ == "xcomp" and c.lemma_ in SPEECH_VERBS for c in t.children)
        return True

    def _linked(self, t, ts: int, te: int) -> bool:
        """The verb heads a quoted token, a quoted token heads it, or it governs the quote."""
        if (ts, te) not in self._heads:
            self._heads[(ts, te)] = {q.head.i for q in self.doc[ts:te]}
        if t.i in self._heads[(ts, te)] or ts <= t.head.i < te:
            return True
        for anc in self.doc[ts].ancestors:
            if anc.i == t.i:
                return True
            if not ts <= anc.i < te and self._is_cue(anc):
                return False
        return False

    def _gap(self, window, i: int, j: int) -> int:
        return sum(1 for x in window[i:j] if not x.is_punct)

    def _pick_cue(self, n: int):
        """(reporting verb, its subject) for quote ``n``; either may be None."""
        ts, te = self.spans[n]
        p = self.pieces[n]
        before, after = self._window(n)
        inner_end = self.text[p.inner_start:p.inner_end].rstrip()
        ends_sentence = inner_end[-1:] == "." and not inner_end.endswith("..")
        # Quoted words inside a sentence belong to a verb that governs them or stands beside them;
        # otherwise they are scare quotes, whoever speaks elsewhere in the sentence.
        partial = self.partial[n]
        best, best_score = None, None
        verbs = [k for k, t in enumerate(before) if t.pos_ == "VERB"]
        # Any verb introduces the quote after a colon ("swiped at Ryan in tweets:") or right before
        # its comma ("blurted out,", "The email began,"; in a long sentence only when it governs
        # the quote: "..., and the pilot ordered, ``Engine fire procedure.''").
        colon = bool(before) and (before[-1].text == ":" or (
            before[-1].text == "," and bool(verbs) and self._gap(before, verbs[-1] + 1, len(before)) <= 1
            and (len(before) <= 12 or self._linked(before[verbs[-1]], ts, te))))
        for k, t in enumerate(before):
            linked = self._linked(t, ts, te)
            if self._is_cue(t, linked):
                score = self._gap(before, k + 1, len(before)) + (0 if linked else 2)
                if before[-1].text not in (",", ":") and not linked:
                    score += MAX_CUE_DISTANCE if partial else 4
            elif colon and verbs and k == verbs[-1]:
                score = self._gap(before, k + 1, len(before)) + 3
            else:
                continue
            if best_score is None or score < best_score:
                best, best_score = t, score
        first = next((x for x in after if not (x.is_punct or x.is_space)), None)
        for k, t in enumerate(after):
            if self._is_cue(t):
                linked = self._linked(t, ts, te)
                score = self._gap(after, 0, k) + (0 if linked else 1)
                subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
                if subj is None and t.dep_ == "acl" and t.head.i < t.i and _named(t.head):
                    subj = t.head  # '"...," the owner's brother, Tomas, recalled' (a modifier)
                if subj is not None and first is not None and subj.left_edge.i == first.i and (
                        linked or partial):
                    # the subject opens the clause, however long its apposition: '"...,"
                    # Brooking's sister, Natalie, recalled' (a partial quote's verb is seldom
                    # its parse head)
                    score = 1
                elif partial and t.lower_ == "according":
                    score = min(score, MAX_CUE_DISTANCE)  # "according to X" covers its sentence
                if partial and not linked and score > 3 and t.lower_ != "according":
                    continue
            elif not ends_sentence and self._bare_verb(after, k):
                score = self._gap(after, 0, k) + 2  # '"Go register," Trump implored.'
            else:
                continue
            score += 3 if ends_sentence else 0
            if best_score is None or score < best_score or (score == best_score and not ends_sentence):
                best, best_score = t, score
        signed = _SIGNED.match(self.text, p.close_end) if best is None else None
        if signed:  # '"...” ― Carla Sanchez' closing the paragraph
            span = self.doc.char_span(*signed.span(1), alignment_mode="expand")
            name = [t for t in span if t.is_alpha] if span is not None else []
            if name:
                return None, name[-1]
        root = self.doc[ts:te].root
        if best is None or (best_score > MAX_CUE_DISTANCE and root.pos_ in ("VERB", "AUX")
                             and root.dep_ not in ("amod", "compound", "nmod")
                             and not (te < len(self.doc) and self.doc[te].pos_ == "NOUN")):
            # a partial quote deep in a clause: climb to the nearest reporting verb (past a far
            # cue only for a quoted clause, "led him to the conclusion that ``it was wrong''",
            # not a quoted noun phrase or modifier, '"rent a white face" businesses', which is
            # more often a scare quote)
            a, b = self._line_of(p.open_at)
            anc = next((x for x in root.ancestors if not self.inq[x.i] and self._is_cue(x)), None)
            if anc is not None and a <= anc.idx < b:
                best, best_score = anc, 0
        if best is not None and best_score <= MAX_CUE_DISTANCE:
            subj = self._subject(best)
            if (subj is None or not _can_speak(subj)) and before and before[-1].text == ":" and len(before) > 1 and \
                    before[-2].ent_type_ == "PERSON":
                # "The last recorded words were from the co-pilot, Jean Marcot: ``...''"
                subj = before[-2]
            return best, subj
        if colon:  # "Meghan McCain, Twitter: "...""
            name = next((t for t in before if t.ent_type_ in ("PERSON", "ORG")), None)
            if name is not None:
                return None, name
        return None, None

    def _bare_verb(self, after, k: int) -> bool:
        """Any verb right after a quote with its subject beside it: 'Trump implored', 'fumed Mr. Burton'."""
        t = after[k]
        if t.pos_ != "VERB" or t.tag_ not in ("VBD", "VBZ", "VBP", "VBN"):
            return False
        words = [x for x in after[:k] if not (x.is_punct or x.is_space) or x.text in ".'’"]
        if not words:
            return k + 1 < len(after) and after[k + 1].pos_ in ("PROPN", "PRON", "DET")
        return len(words) <= 5 and all(x.pos_ in ("PROPN", "PRON", "DET", "NOUN", "ADJ", "NUM", "PART", "PUNCT")
                                       or x.is_title for x in words)

    def _subject(self, v, depth: int = 0):
        """The token naming who speaks through the reporting word ``v``."""
        doc, inq = self.doc, self.inq
        if v.lower_ == "according":  # the name after "to", else its object
            tail = [t for t in v.subtree if t.i > v.i + 1 and not inq[t.i]]
            named = [t for t in tail if t.ent_type_ in NAME_LABELS]
            pobj = next((t for t in tail if t.dep_ == "pobj"), None)
            return (named[0] if named else pobj) or (doc[v.i + 2] if v.i + 2 < len(doc) else None)
        for c in v.children:
            if c.dep_ in ("nsubj", "nsubjpass") and not inq[c.i] and _can_speak(c):
                return c
        agent = next((c for c in v.children if c.dep_ == "agent"), None)
        if agent is not None:  # '"Hillblazers" by the campaign'
            return next((x for x in agent.children if x.dep_ == "pobj"), None)
        if v.dep_ == "acl" and _named(v.head) and v.head.i < v.i and \
                not inq[v.head.i] and _can_speak(v.head) and self._after_quote(v.head.left_edge.i):
            return v.head  # '"...," the owner's elder brother, Tomas, recalled' parsed as a modifier
        k = v.i - 1
        while k > 0 and doc[k].is_space:
            k -= 1
        prev = doc[k] if k >= 0 else None
        if prev is not None and not inq[prev.i] and (
                prev.pos_ in ("PROPN", "PRON") or prev.ent_type_ in ("PERSON", "ORG")
                or (prev.is_title and prev.i > 0 and inq[prev.i - 1])
                or (v.pos_ not in ("VERB", "AUX") and prev.pos_ == "NOUN")):
            return prev  # "Podesta saying"; "The caption read" with read tagged a noun
        if depth < 3 and v.dep_ in ("conj", "xcomp", "advcl", "pcomp") and v.head.i != v.i:
            h = v.head.head if v.head.dep_ == "prep" and v.head.head.i != v.head.i else v.head
            if not inq[h.i]:
                return self._subject(h, depth + 1)  # "... said in a tweet and called for calm"
        # A subject the parse missed: a name just before ("Trump, 70, told CNN"), or after an
        # inverted verb ("said Ruiz"), but not after "told"/"asked", whose object is the listener.
        for t in reversed(doc[max(0, v.i - 6):v.i]):
            if inq[t.i] or t.pos_ == "VERB":
                break
            if t.ent_type_ in ("PERSON", "ORG") or t.lower_ in ("he", "she") or (
                    t.is_title and t.i > 0 and (inq[t.i - 1] or doc[t.i - 1].is_space)):
                return t
        if v.lemma_ not in ("tell", "ask", "inform", "assure"):
            for t in doc[v.i + 1:v.i + 4]:
                if inq[t.i] or (t.is_punct and t.text != "-"):
                    break
                if t.ent_type_ in NAME_LABELS or t.lower_ in PRONOUNS or t.pos_ == "PROPN":
                    return t
        return None

    def _after_quote(self, i: int) -> bool:
        """Whether token ``i`` comes right after a closing quote (punctuation between)."""
        j = i - 1
        while j >= 0 and not self.inq[j] and (self.doc[j].is_punct or self.doc[j].is_space):
            j -= 1
        return j >= 0 and self.inq[j]

    def _np(self, h) -> tuple[int, int]:
        """Character span of the subject's noun phrase up to its head, or of the name it is in."""
        if h.i in self.ent_of:
            return self.ent_of[h.i]
        start = h.i
        for t in sorted((t for t in h.subtree if t.i < h.i), key=lambda x: x.i, reverse=True):
            if (t.tag_ != "HYPH" and (t.is_punct or not any(c.isalnum() for c in t.text))) \
                    or self.inq[t.i] != self.inq[h.i] or t.i != start - 1:
                break
            start = t.i
        return self.doc[start].idx, h.idx + len(h.text)

    # -- who the subject is

    def _name(self, h, attrs, n: int, prefer: set[int] = frozenset()) -> Attribution:
        """Resolve the subject token ``h`` to a named speaker (span: the mention itself)."""
        names, doc = self.names, self.doc
        s, e = self._np(h)
        if h.i + 2 < len(doc) and doc[h.i + 1].text == "-" and doc[h.i + 2].is_alpha \
                and doc[h.i + 1].idx == h.idx + len(h.text):
            e = max(e, doc[h.i + 2].idx + len(doc[h.i + 2].text))  # "co" of "co-pilot"
            h_words = fold(self.text[h.idx:e])
        else:
            h_words = None

        def named(key: int, span=(s, e)) -> Attribution:
            return Attribution(names.canonical(key), span[0], span[1], key, names.kind[key])

        def same_span(a: Attribution) -> Attribution:
            return Attribution(a.speaker, s, e, a.key, a.kind) if a.speaker else Attribution()
        # A title with the name beside it: "spokesperson Ines Moreau", "Dujarric, a UN spokesman".
        for c in h.children:
            if c.dep_ in ("appos", "compound") and c.ent_type_ == "PERSON" and self.inq[c.i] == self.inq[h.i]:
                m = names.at(c.idx, c.idx + len(c.text))
                if m:
                    return named(m.key, (m.start, m.end))
        m = names.at(h.idx, h.idx + len(h.text))
        if m is not None:
            return named(m.key)
        low = h.lower_
        if low in ("who", "that", "which") and h.head.dep_ == "relcl" and h.head.head.i != h.i:
            return same_span(self._name(h.head.head, attrs, n, prefer))  # "a sign that read"
        if low == "it":  # "Her campaign released ads it described as": the organisation just named
            for t in reversed(doc[max(0, h.i - 40):h.i]):
                if t.dep_ == "nsubj" and not self.inq[t.i] and (t.lower_ in ORG_NOUNS or t.ent_type_ == "ORG"):
                    return same_span(self._name(t, attrs, n))
        if low in PRONOUNS:
            found = self._resolve_pronoun(PRONOUNS[low], h.idx, attrs, n) if PRONOUNS[low] else None
            return same_span(found) if found else Attribution()
        if low in DOC_NOUNS:
            owner = self._owner(h, attrs, n)
            if owner:
                return same_span(owner)
        if low in SPEECH_NOUNS:  # "came Marty's chilling word:", "the words were from X:"
            owner = self._speech_owner(h)
            if owner is not None:
                return same_span(self._name(owner, attrs, n))
        span = doc.char_span(s, e, alignment_mode="expand")
        words = [re.sub(r"(?:'s|’s)$", "", fold(t.text)) for t in (span if span is not None else [h])
                 if t.pos_ != "DET" and not t.is_punct and t.text not in ("'s", "’s", "-")]
        if h_words:  # "co-pilot" as one word
            words = [w for w in words if w not in h_words.split("-")] + [h_words]
        titled = any(w in TITLE_WORDS or all(x in TITLE_WORDS for x in w.split("-")) for w in words)
        key = None
        if low in ORG_NOUNS and not (titled and fold(h.text) in TITLE_WORDS):
            key = names.resolve_org(low, h.idx)
        if key is None and titled:
            key = names.resolve_title(words, h.idx, prefer)
        if key is None and h.is_title:
            key = names.lookup(fold(h.text))  # a name the tagger missed ("Trump, 70, told")
        if key is not None:
            return named(key)
        if h.pos_ == "PROPN":  # a name the tagger missed: its fullest form in the text
            return Attribution(self._propn_name(h, s), s, e)
        if not _can_speak(h):
            return Attribution()  # "Seconds later came ...", a stray "The": nobody
        if low in INDEFINITE:  # "said someone in the control tower": who, as the text says it
            where = next((c for c in h.children if c.dep_ == "prep" and not self.inq[c.i]), None)
            if where is not None:
                e = where.right_edge.idx + len(where.right_edge.text)
        return Attribution(clean_name(self.text[s:e]) or None, s, e)

    def _propn_name(self, h, s: int) -> str:
        """'Mayor Ana Ruiz' -> 'Ana Ruiz'; a lone 'Ruiz' -> the longest proper-noun run ending in it."""
        own = untitled(self.text[s:h.idx + len(h.text)])
        return own if " " in own else self.names.fullest_run(h.text, h.idx, own)

    def _previous(self, attrs, n: int) -> Attribution | None:
        return next((a for a in reversed(attrs[:n]) if a is not None and a.speaker), None)

    def _resolve_pronoun(self, want: str, pos: int, attrs, n: int) -> Attribution | None:
        """'he'/'she' -> a person, 'it' -> an organisation or place, 'they' -> either: the previous
        quote's speaker unless another fitting name came after it, else the latest such name."""
        prev = self._previous(attrs, n)
        kinds = {"PERSON"} if want == "PERSON" else {"ORG", "GPE"} if want == "ORG" else {"ANY"}
        latest = self.names.latest(pos, kinds, floor=max(0, pos - 1500))
        if prev is not None and prev.key is not None and (prev.kind in kinds or "ANY" in kinds):
            prev_at = self.pieces[attrs.index(prev)].open_at
            if latest is None or latest.key == prev.key or latest.start < prev_at or \
                    (prev.start is not None and latest.start <= prev.start):
                return prev
        if latest is not None:
            return Attribution(self.names.canonical(latest.key), latest.start, latest.end, latest.key, latest.kind)
        return prev

    def _speech_owner(self, h):
        """Whose words a speech noun names: its possessor ("Marty's word"), or the object of
        "from" on its verb ("the last words were from the co-pilot")."""
        poss = next((c for c in h.children if c.dep_ == "poss" and not self.inq[c.i]), None)
        if poss is not None:
            return poss
        if h.dep_ in ("nsubj", "nsubjpass") and h.head.lemma_ in ("be", "come"):
            frm = next((c for c in h.head.children if c.dep_ == "prep" and c.lower_ == "from"), None)
            if frm is not None:
                return next((c for c in frm.children if c.dep_ == "pobj"), None)
        return None

    def _owner(self, h, attrs, n: int) -> Attribution | None:
        """Who issued 'the statement': its 'by' agent or possessor, the subject of the verb it is
        the object of, the subject of the latest clause mentioning a statement, the last speaker."""
        for t in h.subtree:
            if t.i != h.i and (t.dep_ == "poss" or (t.dep_ == "pobj" and t.head.lower_ == "by")):
                return self._name(t, attrs, n)
        # "The 75-page report by France's Accident and Inquiry Office ... the report said": an
        # earlier mention of the same document that names who issued it
        for t in self.doc[:h.i]:
            if t.lemma_ != h.lemma_ or self.inq[t.i]:
                continue
            issuers = [g for c in t.children if c.dep_ == "prep" and c.lower_ == "by"
                       for g in c.children if g.dep_ == "pobj"]
            issuers += [c for c in t.children if c.dep_ == "poss"]
            for c in issuers:
                if c.ent_type_ in ("ORG", "PERSON", "GPE", "NORP"):
                    found = self._name(c, attrs, n)
                    if found.speaker:
                        return found
        verbs = [h.head] if h.dep_ == "dobj" else []  # "Kukura placed a sign ... that read"
        for t in reversed(self.doc[max(0, h.i - 150):h.i]):
            if t.lower_ in DOC_NOUNS and not self.inq[t.i]:
                verbs.append(next((x for x in t.ancestors if x.pos_ in ("VERB", "AUX")), None))
        for verb in verbs:
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and not self.inq[c.i]),
                        None) if verb is not None else None
            if subj is not None and subj.lower_ not in DOC_NOUNS and subj.i != h.i:
                return self._name(subj, attrs, n)
        prev = self._previous(attrs, n)
        if prev is not None:
            return prev
        m = self.names.latest(h.idx, {"ORG", "PERSON"})
        return Attribution(self.names.canonical(m.key), m.start, m.end, m.key, m.kind) if m else None

    # -- one quote

    def attribute(self, n: int, attrs) -> Attribution | None:
        ts, te = self.spans[n]
        if te <= ts:
            return None
        v, h = self._pick_cue(n)
        if v is None and h is None:
            return self._regex_fallback(n, attrs)
        if h is None:
            return Attribution(cue="according to" if v.lower_ == "according" else v.text)
        poss = {m.key for c in h.children if c.dep_ == "poss" for m in [self.names.at(c.idx, c.idx + len(c.text))] if m}
        a = self._name(h, attrs, n, poss)
        if v is None:
            return a
        a.cue = "according to" if v.lower_ == "according" else v.text
        # "X said that Y has called on Iraqis to 'reject all violence'": Y speaks, X relays it.
        if v.dep_ in ("ccomp", "xcomp") and a.speaker:
            outer = v.head
            while outer.dep_ == "conj" and outer.head.i != outer.i:
                outer = outer.head
            if outer.dep_ == "ccomp" and not self.inq[outer.head.i] and self._is_cue(outer.head):
                outer = outer.head
            oh = self._subject(outer) if outer.dep_ != "conj" and self._is_cue(outer) else None
            if oh is not None and oh.i != h.i:
                o = self._name(oh, attrs, n)
                if o.speaker and o.speaker != a.speaker:
                    a.reported_by = o.speaker
        inner = self._inner_speaker(n, a, attrs, poss)
        if inner is not None:
            return inner
        cited = self._cited(v) or self._medium(v)
        if cited and cited != a.speaker:
            a.reported_by = a.reported_by or cited
        return a

    def _medium(self, v) -> str | None:
        """'..., X told the BBC' / 'told the French newspaper Liberation': the outlet the speaker
        told, which relayed the words; a person or "reporters" told relays nothing."""
        if v.lemma_.lower() != "tell":
            return None
        objs = [c for c in v.children if c.dep_ in ("dative", "dobj") and not self.inq[c.i]]
        if not objs:
            return None  # ("the French newspaper Liberation" parses as two objects)
        toks = []
        for obj in objs:  # each object's own phrase, not a clause hanging on it
            mine = [t for t in obj.subtree if not self.inq[t.i]]
            ids = {t.i for t in mine}
            toks += [t for t in mine if t.i == obj.i or (t.head.i in ids and t.dep_ not in (
                "relcl", "acl", "advcl", "prep"))]
        toks.sort(key=lambda t: t.i)
        obj = objs[0]
        media = any(t.lower_ in MEDIA_NOUNS for t in toks)
        names = [t for t in toks if t.pos_ == "PROPN" and t.ent_type_ not in ("NORP", "GPE", "PERSON")
                 and not (t.i + 1 < len(self.doc) and self.doc[t.i + 1].lower_ in ("'s", "’s"))]
        if names and (media or any(t.ent_type_ in ("ORG", "PRODUCT", "WORK_OF_ART") for t in names)):
            first, last = names[0], names[-1]
            return clean_name(self.text[first.idx:last.idx + len(last.text)])
        if media and obj.lower_ in MEDIA_NOUNS:  # "a Polish television station"
            words = [t for t in toks if t.dep_ not in ("det", "poss", "case") and not t.is_punct]
            if words:
                return self.text[words[0].idx:words[-1].idx + len(words[-1].text)]
        return None

    def _inner_speaker(self, n: int, frame: Attribution, attrs, poss) -> Attribution | None:
        """'The Secretary-General condemns...' opening a spokesperson's quote: that party speaks."""
        ts, te = self.spans[n]
        t = next((t for t in self.doc[ts:min(te, ts + 12)] if t.dep_ in ("nsubj", "nsubjpass")
                  and t.lower_ not in PRONOUNS), None)
        if t is None or not ts <= t.head.i < te:
            return None
        v = t.head
        states = v.lower_ in STATEMENT_STATES or any(c.lower_ in STATEMENT_STATES for c in v.children)
        if not ((v.tag_ == "VBZ" and v.lemma_.lower() in STATEMENT_VERBS) or (v.lemma_ == "be" and states)
                or (v.tag_ == "VBN" and v.lower_ in STATEMENT_STATES)):
            return None
        if t.ent_type_ not in ("PERSON", "ORG") and not (t.lower_ in TITLE_WORDS or t.lower_ in ORG_NOUNS
                                                          or "-" in t.text):
            return None
        a = self._name(t, attrs, n, poss | ({frame.key} if frame.key is not None else set()))
        if a.key is None or a.key == frame.key:
            return None
        a.reported_by = frame.speaker if frame.kind == "PERSON" else None
        a.cue = frame.cue
        return a

    def _cited(self, v) -> str | None:
        """'UNAMI said in a statement, citing UN News': the outlet that relayed it."""
        for t in v.subtree:
            if t.lower_ in ("citing", "quoting") and not self.inq[t.i]:
                for c in t.subtree:
                    if c.ent_type_ in ("PERSON", "ORG"):
                        m = self.names.at(c.idx, c.idx + len(c.text))
                        return self.names.canonical(m.key) if m else clean_name(self.text[slice(*self.ent_of[c.i])])
        return None

    _VERBS = r"(?:said|says|added|adds|told|tweeted|wrote|writes|stated|continued|concluded|urged|noted|asked|warned)"
    _SUBJ = r"((?:[A-Z][\w'’.-]+\s+){0,3}[A-Z][\w'’.-]+|he|she|it|they|the\s+[\w-]+(?:\s+[\w-]+)?)"

    def _regex_fallback(self, n: int, attrs) -> Attribution | None:
        """No reporting verb in the parse: 'X said' / 'said X' written right beside the quote."""
        p = self.pieces[n]
        a, b = self._line_of(p.open_at)
        v, s_ = self._VERBS, self._SUBJ
        m = re.compile(r"\s*,?\s*(?:" + s_ + r"\s+" + v + r"\b|" + v + r"\s+" + s_.replace("(", "(?P<inv>", 1) + ")")
        found = m.match(self.text, p.close_end, b)
        if found:
            start, subj = (found.start(1), found.group(1)) if found.group(1) else (found.start("inv"), found.group("inv"))
        else:
            found = re.compile(s_ + r"\s+" + v + r"\s*[,:]?\s*$").search(self.text, a, p.open_at)
            if not found:
                return None
            start, subj = found.start(1), found.group(1)
        span = self.doc.char_span(start, start + len(subj), alignment_mode="expand")
        if span is None:
            return None
        out = self._name(span.root, attrs, n)
        out.cue = re.search(v, found.group(0)).group(0)
        return out

    def inherit(self, n: int, attrs) -> Attribution | None:
        """A quote with no reporting clause: the speaker of the quote just before it (same or
        previous paragraph), else the organisation or person named last in the previous one."""
        p = self.pieces[n]
        a, _ = self._line_of(p.open_at)
        prev_line = max((x for x in self.lines if x[1] < a), default=(a, a))
        for k in range(n - 1, -1, -1):
            if self.pieces[k].open_at < prev_line[0]:
                break
            q = attrs[k]
            if q is not None and q.speaker:
                return Attribution(q.speaker, q.start, q.end, q.key, q.kind, None, q.reported_by)
        before = self.text[a:p.open_at].rstrip()
        if before and before[-1] in ".!?":
            # '..., the report said, followed by problems. ''The plane can neither ...'' ': a quote
            # opening a sentence after one whose reporting verb has a subject
            said = self._sentence_cue(n, attrs)
            if said is not None:
                return said
        if before:
            return None  # quoted words inside a sentence without a reporting verb: no guess
        m = self.names.latest(p.open_at, {"ORG"}, prev_line[0]) or self.names.latest(p.open_at, {"PERSON"}, prev_line[0])
        return Attribution(self.names.canonical(m.key), m.start, m.end, m.key, m.kind) if m else None

    def _sentence_cue(self, n: int, attrs) -> Attribution | None:
        """The speaker of the reporting verb of the sentence just before quote ``n`` (in its
        paragraph, outside quotes), if that verb has a subject."""
        ts = self.spans[n][0]
        a, _ = self._line_of(self.pieces[n].open_at)
        j = ts - 1
        while j >= 0 and (self.doc[j].is_space or self.doc[j].is_punct) and not self.inq[j]:
            j -= 1
        if j < 0 or self.inq[j] or self.doc[j].idx < a:
            return None
        sent = self.doc[j].sent
        for t in sent:
            if t.idx < a or self.inq[t.i] or not self._is_cue(t):
                continue
            subj = next((c for c in t.children if c.dep_ == "nsubj" and not self.inq[c.i]), None)
            if subj is not None:
                found = self._name(subj, attrs, n)
                if found.speaker:
                    found.cue = t.text
                    return found
        return None
