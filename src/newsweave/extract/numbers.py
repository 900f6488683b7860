"""Numbers with what they count and what happened to it: "seven of his guards were injured" ->
7 guards, role injured; "three drones, two of which were shot down" -> 3 drones and 2 drones shot
down; "only 41 percent voting" -> 41 percent; "one protester was killed" -> 1 protester killed.

Counts come from the dependency parse: the number's head noun (directly, through "of", or
through "which"/"whom" back to its antecedent), and the role from the verb that governs that
noun phrase. Dates, years, clock times and ordinals are time expressions, not counts.
"""

from __future__ import annotations

import re

from ..model import NumberMention
from ..nlp.calendar import MONTH_NUM

WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "dozen": 12, "single": 1, "both": 2, "couple": 2,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "m": 1_000_000, "bn": 1_000_000_000, "k": 1_000}
FRACTIONS = {"half": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25, "quarters": 0.25,
             "fifth": 0.2, "fifths": 0.2}
# Verbs and adjectives that say what happened to the counted things.
ROLES = {
    "killed": "killed", "kill": "killed", "die": "killed", "died": "killed", "dead": "killed",
    "death": "killed", "deaths": "killed", "slain": "killed", "slay": "killed",
    "injure": "injured", "injured": "injured", "wound": "injured", "wounded": "injured",
    "hurt": "injured", "injury": "injured", "injuries": "injured", "hospitalise": "injured",
    "hospitalize": "injured",
    "shoot": "shot_down", "intercept": "shot_down", "down": "shot_down",
    "arrest": "arrested", "detain": "arrested", "miss": "missing", "missing": "missing",
    "evacuate": "evacuated", "displace": "displaced", "kidnap": "abducted", "abduct": "abducted",
}
CASUALTY_WORDS = {"injured": "injured", "wounded": "injured", "hurt": "injured", "dead": "killed",
                  "killed": "killed"}
APPROX = {"about", "around", "nearly", "almost", "roughly", "approximately", "some", "over",
          "more", "least", "up", "than", "only", "estimated", "dozens", "several"}
TIME_UNITS = {"day", "days", "week", "weeks", "month", "months", "year", "years", "hour",
              "hours", "minute", "minutes", "second", "seconds", "decade", "decades"}
_NUM = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_MONTHS = frozenset(MONTH_NUM)


def parse_number(text: str) -> float | None:
    """'seven' -> 7, '1,200' -> 1200, '41' -> 41, 'two-thirds' -> 0.667, '490m' -> 490e6."""
    t = text.lower().strip().replace("–", "-")
    if t.endswith("-") and t[:-1].isdigit():
        t = t[:-1]  # "12- to 19-year-old": a suspended hyphen
    if _NUM.match(t):
        return float(t.replace(",", ""))
    m = re.match(r"^(\d+(?:\.\d+)?)(m|bn|k)$", t)
    if m:
        return float(m.group(1)) * SCALES[m.group(2)]
    if "-" in t:
        a, _, b = t.partition("-")
        if a in WORDS and b in FRACTIONS:
            return WORDS[a] * FRACTIONS[b]
        if a in WORDS and b in WORDS and WORDS[a] >= 20:
            return WORDS[a] + WORDS[b]
    return float(WORDS[t]) if t in WORDS else None


def _clean(v: float) -> float | int:
    return int(v) if float(v).is_integer() else round(v, 4)


def _is_date_number(tok) -> bool:
    if tok.ent_type_ in {"DATE", "TIME"} and tok.like_num and tok.text.isdigit():
        # "7 November", "2021", "12:27": day numbers and years are not counts ("two days" is)
        nb = [t.lower_ for t in (tok.nbor(-1) if tok.i > 0 else None, tok.nbor(1) if
                                 tok.i + 1 < len(tok.doc) else None) if t is not None]
        if any(n in _MONTHS for n in nb) or (len(tok.text) == 4 and 1800 <= int(tok.text) <= 2100):
            return True
    if tok.text.isdigit() and len(tok.text) == 4 and 1800 <= int(tok.text) <= 2100:
        return True
    return tok.i + 1 < len(tok.doc) and tok.nbor(1).text in {":", "."} and \
        tok.i + 2 < len(tok.doc) and tok.nbor(2).text.isdigit() and tok.nbor(1).text == ":"


# Words that make a count a part of a larger whole: "the other seven", "its remaining five".
SUBSET = frozenset({"other", "remaining", "another", "additional", "further", "extra", "surviving",
                    "rest"})
# "failed twice", "up to twice the speed": how many times
MULTIPLES = {"twice": 2, "thrice": 3}
# Places counted by their people: "a town of 20,000", "a city of 2 million"
_POPULATED = frozenset({"town", "city", "village", "community", "population", "suburb", "nation",
                        "country", "island", "state", "province", "region", "district"})
# What follows an unnumbered time unit that makes it a length: "a day after", "an hour before",
# "a minute later", "a year ago", "a day's pause"; or what comes before: "for a week",
# "within a month", "could take a year".
_SPAN_AFTER = frozenset({"after", "before", "later", "earlier", "ago", "'s", "’s"})
_SPAN_BEFORE = frozenset({"for", "within", "take", "takes", "took", "taking", "taken", "last",
                          "lasted", "lasts", "spent", "spend"})


def _is_identifier(tok) -> bool:
    """A number that names rather than counts: after its noun ("Flight 4590", "Engine 2",
    "Concorde 001"), after "No."/"number"/"#", or written with a leading zero ("001")."""
    if len(tok.text) > 1 and tok.text[0] == "0" and tok.text.isdigit():
        return True
    if tok.i == 0:
        return False
    if tok.dep_ == "conj" and tok.head.i < tok.i and tok.head.like_num and _is_identifier(tok.head):
        return True  # "engines No. 1 and 2"
    doc = tok.doc
    prev = doc[tok.i - 1]
    if prev.lower_ in {"no.", "no", "number", "#", "nos.", "nr."} and prev.whitespace_:
        return True
    if prev.text == "." and tok.i >= 2 and doc[tok.i - 2].lower_ in {"no", "nos", "nr"}:
        return True  # "No." split by the tokenizer
    if prev.lower_ in {"and", "or", ",", "to"} and tok.i >= 2 and doc[tok.i - 2].like_num and \
            doc[tok.i - 2].i < tok.i and _is_identifier(doc[tok.i - 2]):
        return True  # "engines No. 1 and 2"
    # English counts come before their noun; a number right after a singular noun is its label
    return prev.pos_ in {"NOUN", "PROPN"} and prev.tag_ in {"NN", "NNP"} and bool(prev.whitespace_) \
        and prev.lower_ not in TIME_UNITS and tok.text[:1].isdigit()


def _range_partner(tok):
    """The other end of "one or two tires", "12- to 19-year-old", "three or four of them"."""
    doc = tok.doc
    if tok.dep_ == "conj" and (tok.head.like_num or tok.head.lower_ in WORDS) and tok.head.i < tok.i:
        return tok.head
    j = tok.i + 1
    if j + 1 < len(doc) and doc[j].lower_ in {"or", "to"} and (
            doc[j + 1].like_num or doc[j + 1].lower_ in WORDS):
        return doc[j + 1]
    return None


TENS = {w: v for w, v in WORDS.items() if v in (20, 30, 40, 50, 60, 70, 80, 90)}
CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
CURRENCY_WORDS = {"dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR",
                  "pounds": "GBP", "francs": "FRF", "yen": "JPY"}
CURRENCY_NAMES = {"USD": "dollars", "EUR": "euros", "GBP": "pounds", "FRF": "francs",
                  "JPY": "yen"}
# Where the people a number counts were: "four on the ground", "all 109 people on board". The
# span keeps the phrase, and cross-checking compares only counts of the same place.
PLACED = _PLACED = ("on board", "aboard", "on the ground", "on the plane", "on the flight",
           "on the bus", "on the train", "on the ship")
# What a toll is a count of: "the death toll rose to 257", "the toll stood at 113"
_TOLL_NOUNS = frozenset({"toll", "tally", "count"})
_TOLL_VERBS = frozenset({"rise", "climb", "reach", "stand", "hit", "jump", "increase", "grow",
                         "mount", "be", "put", "top", "surpass", "exceed"})


def _currency(tok) -> str | None:
    """The currency a figure is in: "$20,000", "20,000 dollars"."""
    if tok.i > 0 and tok.doc[tok.i - 1].text in CURRENCY:
        return CURRENCY[tok.doc[tok.i - 1].text]
    j = tok.i + 1
    while j < len(tok.doc) and tok.doc[j].lower_ in SCALES:
        j += 1
    if j < len(tok.doc) and tok.doc[j].lower_ in CURRENCY_WORDS:
        return CURRENCY_WORDS[tok.doc[j].lower_]
    return None


def _placed_end(tok) -> int:
    """The end of "on the ground" / "on board" after a bare number, else the number's end."""
    doc = tok.doc
    for n in (3, 2, 1):
        if tok.i + n < len(doc) and doc[tok.i + 1:tok.i + 1 + n].text.lower() in _PLACED:
            last = doc[tok.i + n]
            return last.idx + len(last.text)
    return tok.idx + len(tok.text)


def _understood_people(tok) -> tuple[str | None, str | None]:
    """(subject, role) of a number that counts people without naming them: "four on the
    ground", "killing four", "All 109 on board were killed", "the death toll rose to 257";
    (None, None) when nothing says it counts people."""
    doc = tok.doc
    after = doc[tok.i + 1:tok.i + 4].text.lower()
    role = _role(tok, None)
    if tok.dep_ == "conj" and tok.head.pos_ == "NOUN":
        # "all 109 people on board and four on the ground": the conjunct's noun
        return tok.head.lemma_.lower(), role or _role(tok.head, tok.head)
    if after.startswith(_PLACED):
        return "people", role or _role(tok.head, None)
    if role in ("killed", "injured", "missing", "arrested", "abducted", "evacuated") and \
            tok.dep_ in ("dobj", "nsubjpass", "nsubj"):
        return "people", role
    # "the death toll rose to 257": the number hangs on the verb whose subject is the toll
    head = tok.head
    if tok.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    if head.pos_ in ("VERB", "AUX") and head.lemma_.lower() in _TOLL_VERBS:
        subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and subj.lemma_.lower() in _TOLL_NOUNS:
            words = {t.lower_ for t in subj.subtree}
            hurt = any(w.startswith(("injur", "wound", "hurt")) for w in words)
            return "people", "injured" if hurt else "killed"
    return None, None


def _subject_noun(tok):
    """The noun a number counts: 'three drones' (nummod), 'seven of his guards' (of-pobj)."""
    if tok.dep_ in {"nummod", "quantmod", "amod"} and tok.head.pos_ in {"NOUN", "PROPN"}:
        return tok.head
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for g in child.children:
                if g.dep_ == "pobj":
                    if g.lower_ in {"which", "whom", "them", "those", "these"}:
                        return _antecedent(tok)
                    return g
    if tok.head.pos_ in {"NOUN", "PROPN"} and tok.head.i > tok.i and tok.head.i - tok.i <= 3:
        return tok.head
    return None


def _antecedent(tok):
    """For 'two of which', the noun 'which' refers to: the nearest plural noun before the clause."""
    for j in range(tok.i - 1, max(-1, tok.i - 12), -1):
        t = tok.doc[j]
        if t.pos_ in {"NOUN", "PROPN"} and t.tag_ in {"NNS", "NNPS"}:
            return t
    return None


def _role(tok, noun):
    """What happened to the counted thing, from the verb or adjective around it."""
    anchor = noun if noun is not None else tok
    if anchor.dep_ == "pobj" and anchor.head.dep_ == "agent":
        return None  # "injured by two drones": the drones did it, nothing happened to them
    cands = [anchor, anchor.head]
    if anchor.dep_ in {"nsubjpass", "nsubj", "dobj", "pobj", "appos"}:
        cands.append(anchor.head)
        if anchor.head.dep_ in {"prep", "agent"}:
            cands.append(anchor.head.head)
    # "seven of his guards were injured": the number itself is the subject
    if tok.dep_ in {"nsubjpass", "nsubj"}:
        cands.append(tok.head)
    for c in cands:
        for t in [c, *(x for x in c.children if x.dep_ not in {"relcl", "acl", "conj", "appos"})]:
            if t.lemma_.lower() in ROLES and (t.pos_ in {"VERB", "ADJ", "ADP", "ADV", "NOUN"}):
                if t.lemma_.lower() == "down" and not any(x.lemma_ in {"shoot"}
                                                          for x in [c, *c.children]):
                    continue
                if t.lemma_.lower() in {"down"}:
                    return "shot_down"
                return ROLES[t.lemma_.lower()]
            if t.lower_ in ROLES and t.pos_ in {"VERB", "ADJ"}:
                return ROLES[t.lower_]
    return None


def _phrase_span(tok, noun, sent) -> tuple[int, int]:
    """The characters to cite: from the first modifier of the number to the end of the noun
    phrase, extended to a role verb in the same clause ('were injured', 'were shot down')."""
    start = tok
    for t in tok.lefts:
        if t.dep_ in {"advmod", "quantmod"} or t.lower_ in APPROX:
            start = min(start, t, key=lambda x: x.i)
    if tok.i > 0 and tok.nbor(-1).lower_ in {"least", "than"} and tok.i > 1:
        start = tok.doc[tok.i - 2]
    end = tok
    if noun is not None:
        end = max(end, noun, key=lambda x: x.i)
        head = noun.head if noun.dep_ in {"nsubjpass", "nsubj"} else (
            tok.head if tok.dep_ in {"nsubjpass", "nsubj"} else None)
        if head is not None and head.pos_ in {"VERB", "AUX", "ADJ"} and head.i > end.i and \
                head.i - end.i <= 5:
            end = head
            for c in head.children:
                if c.dep_ in {"prt", "acomp", "xcomp", "oprd"} and c.i == end.i + 1:
                    end = c
    return start.idx, end.idx + len(end.text)


class NumberExtractor:
    """Counts in an article's spaCy Doc.

    >>> # doctest: +SKIP
    >>> NumberExtractor().extract(nlp("Seven guards were injured."), "a")[0].role
    'injured'
    """

    name = "numbers"

    def extract(self, doc, article_id: str) -> list[NumberMention]:
        text = doc.text  # spaCy rebuilds Doc.text on every access: take it once
        out: list[NumberMention] = []
        used: set[int] = set()
        for tok in doc:
            if tok.i in used:
                continue
            if tok.lower_ in MULTIPLES:
                out.append(NumberMention(MULTIPLES[tok.lower_], "times", tok.text, article_id,
                                         tok.idx, tok.idx + len(tok.text), None, "times"))
                continue
            if not (tok.like_num or tok.lower_ in WORDS or re.match(r"^\d+-$", tok.text) or re.match(r"^\w+-(?:thirds?|quarters?|half|fifths?)$", tok.lower_)):
                continue
            if tok.lower_ in {"one"} and tok.dep_ in {"nsubj", "dobj", "pobj"} and not any(
                    c.dep_ == "prep" for c in tok.children):
                continue  # "one of the few", "no one": pronoun uses
            if tok.ent_type_ in {"ORDINAL"} or _is_date_number(tok) or _is_identifier(tok):
                continue
            if tok.i + 1 < len(doc) and doc[tok.i + 1].lower_.replace(".", "") in {"am", "pm", "o'clock"}:
                continue  # clock times: "8 am"
            value = parse_number(tok.text)
            if value is None:
                continue
            first = tok  # where the figure starts: "Forty" of "Forty-four"
            if (value < 10 and tok.i >= 2 and doc[tok.i - 1].text == "-"
                    and doc[tok.i - 2].lower_ in TENS):
                # "Forty-four", split by the tokenizer into Forty / - / four
                first = doc[tok.i - 2]
                value += WORDS[first.lower_]
            # "two-thirds" split as two / - / thirds
            if tok.i + 2 < len(doc) and doc[tok.i + 1].text == "-" and \
                    doc[tok.i + 2].lower_ in FRACTIONS:
                value *= FRACTIONS[doc[tok.i + 2].lower_]
                used.update({tok.i + 1, tok.i + 2})
                frac = doc[tok.i + 2]
                of = [c for c in frac.children if c.dep_ == "prep" and c.lower_ == "of"]
                noun = next((g for c in of for g in c.children if g.dep_ == "pobj"), None)
                subject = self._subject(noun, None) if noun is not None else "share"
                s_, e_ = tok.idx, (noun.idx + len(noun.text)) if noun is not None else frac.idx + len(frac)
                out.append(NumberMention(_clean(value), subject, text[s_:e_], article_id,
                                         s_, e_, None, "fraction"))
                continue
            # "1,200" as two tokens, "490 million": join scale words
            j = tok.i + 1
            while j < len(doc) and doc[j].lower_ in SCALES and doc[j].lower_ not in {"m", "k"}:
                value *= SCALES[doc[j].lower_]
                used.add(j)
                j += 1
            # "three and one-half hours", "two and a half years"
            k = tok.i + 1
            if k + 1 < len(doc) and doc[k].lower_ == "and" and (
                    doc[k + 1].lower_ in {"a", "one"} and k + 2 < len(doc) and (
                        doc[k + 2].lower_ == "half" or (doc[k + 2].text == "-" and k + 3 < len(doc)
                                                        and doc[k + 3].lower_ == "half"))):
                value += 0.5
                used.update(range(k, k + 4 if doc[k + 2].text == "-" else k + 3))
            noun = _subject_noun(tok)
            partner = _range_partner(tok) if noun is None else None
            if partner is not None:  # "one or two of the tires": the other end's noun
                noun = _subject_noun(partner)
            place = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "of" else None
            if place is not None and place.lower_ in _POPULATED:
                # "a working-class town of 20,000": its people
                s0, e0 = place.idx, tok.idx + len(tok.text)
                out.append(NumberMention(_clean(value), "people", text[s0:e0], article_id, s0, e0))
                continue
            unit = None
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if noun is None and nxt is not None and nxt.lower_ in CASUALTY_WORDS:
                # "at least 17 injured", "two dead": the people are understood
                s0 = tok.idx
                for t in doc[max(tok.sent.start, tok.i - 2):tok.i]:
                    if t.lower_ in APPROX or (t.lower_ == "at" and t.nbor(1).lower_ == "least"):
                        s0 = min(s0, t.idx)
                e0 = nxt.idx + len(nxt.text)
                out.append(NumberMention(_clean(value), "people", text[s0:e0], article_id, s0, e0,
                                         CASUALTY_WORDS[nxt.lower_], None,
                                         approximate=s0 < tok.idx))
                continue
            if tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in {"percent", "%", "per"}:
                unit, noun = "percent", doc[tok.i + 1]
            currency = _currency(tok)
            if noun is None and currency:
                unit = currency
            subject = self._subject(noun, unit)
            role = _role(tok, noun) if noun is not None or unit else None
            understood = False
            if not subject:
                subject, role = _understood_people(tok)
                understood = True
            if not subject:
                continue
            sent = tok.sent
            s, e = _phrase_span(tok, noun, sent)
            s = min(s, first.idx)
            if tok.i >= 1 and doc[tok.i - 1].lower_ in SUBSET and doc[tok.i - 1].i >= sent.start:
                s = min(s, doc[tok.i - 1].idx)  # "its remaining five Concordes": a part, said so
            e = max(e, _placed_end(noun if noun is not None else tok))
            if understood:
                if tok.i > 0 and doc[tok.i - 1].lower_ == "all":
                    s = min(s, doc[tok.i - 1].idx)
            if currency and tok.i > 0 and doc[tok.i - 1].text in CURRENCY:
                s = min(s, doc[tok.i - 1].idx)
            approx = any(t.lower_ in APPROX for t in doc[max(sent.start, tok.i - 2):tok.i])
            out.append(NumberMention(
                value=_clean(value), subject=subject, text=text[s:e], article=article_id,
                start=s, end=e, role=role, unit=unit or (
                    "time" if noun is not None and noun.lower_ in TIME_UNITS else None),
                approximate=approx,
            ))
        out += self._indefinite_time_spans(doc, article_id, {(m.start, m.end) for m in out})
        return out

    @staticmethod
    def _subject(noun, unit) -> str | None:
        if unit == "percent":
            return "percent"
        if unit in CURRENCY_NAMES:
            return CURRENCY_NAMES[unit]
        if noun is None:
            return None
        words = [c.text for c in noun.lefts if c.dep_ in {"compound", "amod"} and c.pos_ != "NUM"
                 and c.lower_ not in {"other", "more", "least"}]
        return " ".join([*words, noun.lemma_.lower() if noun.pos_ == "NOUN" else noun.text])

    @staticmethod
    def _indefinite_time_spans(doc, article_id, taken) -> list[NumberMention]:
        """Lengths of time stated with 'a'/'an': 'for about a month', 'a day after the crash',
        'an hour before', 'could take a year', 'a half-minute' (0.5)."""
        text = doc.text
        out = []
        for tok in doc:
            if tok.lower_ not in {"a", "an"} or tok.i + 1 >= len(doc):
                continue
            k, value = tok.i + 1, 1.0
            if doc[k].lower_ == "half" and k + 2 < len(doc) and doc[k + 1].text == "-":
                k, value = k + 2, 0.5  # "a half-minute"
            elif doc[k].lower_ == "half" and k + 1 < len(doc) and doc[k + 1].lower_ in TIME_UNITS:
                k, value = k + 1, 0.5  # "a half hour"
            unit = doc[k]
            if unit.lower_ not in TIME_UNITS or unit.tag_ != "NN":
                continue
            prev = doc[tok.i - 1] if tok.i > 0 else None
            nxt = doc[k + 1] if k + 1 < len(doc) else None
            approx = prev is not None and prev.lower_ in APPROX
            if not (approx or value == 0.5 or (nxt is not None and nxt.lower_ in _SPAN_AFTER)
                    or (prev is not None and prev.lower_ in _SPAN_BEFORE)):
                continue  # "a day of mourning", "a year of turmoil": not a length of time
            s = prev.idx if approx else tok.idx
            e = unit.idx + len(unit.text)
            if (s, e) not in taken:
                out.append(NumberMention(_clean(value), unit.lemma_.lower(), text[s:e],
                                         article_id, s, e, None, "time", approximate=approx))
        return out


def implicit_candidates(doc, article_id: str) -> list[NumberMention]:
    """'an armed drone targeted his home' -> 1 drone, marked ``implicit``.

    The story keeps only those whose noun some article counts explicitly (``keep_implicit``),
    so that the singular can be compared with "three drones" without counting every "a".
    """
    text = doc.text
    out = []
    for tok in doc:
        if tok.lower_ not in {"a", "an"} or tok.dep_ != "det":
            continue
        noun = tok.head
        if noun.pos_ != "NOUN" or noun.tag_ != "NN":
            continue
        if any(c.dep_ == "compound" for c in noun.children) and noun.i + 1 < len(doc) and \
                doc[noun.i + 1].pos_ == "NOUN":
            continue
        # "a drone strike": the noun is a modifier of another noun, not the thing counted
        if noun.dep_ == "compound":
            continue
        s, e = tok.idx, noun.idx + len(noun.text)
        out.append(NumberMention(1, noun.lemma_.lower(), text[s:e], article_id, s, e,
                                 None, None, implicit=True))
    return out
