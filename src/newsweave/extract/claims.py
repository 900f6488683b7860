"""Typed claims that cross-checking compares between articles, read from the parse:

- ``state``: whether a person was harmed ("escaped unscathed" / "was not hurt" against "taken to
  hospital with slight injuries", "a small cut"), with the person as written and its polarity;
- ``role``: a title given to a named person ("Iraqi PM Barham Salih", "Prime Minister X").

A state claim needs its subject: the person named in the clause, a pronoun (the last person named
before it) or a title ("the Prime Minister"), resolved later against the story's entities.
"""

from __future__ import annotations

import re

from ..model import Claim

UNHARMED = re.compile(
    r"\b(?:unharmed|unscathed|unhurt|uninjured|not\s+(?:been\s+)?(?:hurt|injured|harmed|wounded)|"
    r"(?:was|is|am)\s+(?:fine|alright|all\s+right|safe\s+and\s+well|safe)|escaped\s+(?:unharmed|unhurt|"
    r"without\s+injur\w*)|no\s+injur\w+)\b",
    re.I,
)
HARMED = re.compile(
    r"\b(?:(?:slight|minor|light|serious|severe)\s+(?:injur\w+|wounds|burns)|(?:was|were|been)\s+"
    r"(?:slightly\s+|lightly\s+|seriously\s+|critically\s+)?(?:injured|wounded|hurt|hospitali[sz]ed)|"
    r"(?:taken|rushed|admitted|flown)\s+to\s+(?:the\s+)?hospital|(?:small|minor)\s+cut|bandage\w*|"
    r"suffered\s+\w*\s*(?:injur\w+|burns|wounds|cuts)|treated\s+for)\b",
    re.I,
)
# Titles worth checking for contradictions, normalised: "PM" = "Prime Minister".
ROLE_TITLES = {
    "prime minister": "prime minister", "pm": "prime minister", "premier": "prime minister",
    "president": "president", "mayor": "mayor", "secretary-general": "secretary-general",
    "secretary general": "secretary-general", "foreign minister": "foreign minister",
    "defence minister": "defence minister", "defense minister": "defence minister",
    "interior minister": "interior minister", "governor": "governor", "king": "king",
    "chancellor": "chancellor", "fire chief": "fire chief", "police chief": "police chief",
}
ROLE_BEFORE_NAME = re.compile(
    r"(?P<title>(?:(?:[A-Z][a-z]+(?:’s|'s)?|U\.?N\.?|US|UN)\s+)?(?i:"
    + "|".join(sorted((re.escape(t) for t in ROLE_TITLES), key=len, reverse=True))
    + r"))\s+(?P<name>[A-Z][\w'’.-]+(?:\s+(?:al-|Al-|el-|bin\s+|de\s+)?[A-Z][\w'’.-]+){0,3})"
)
NOT_NAMES = {"office", "ministry", "cabinet", "government", "council", "administration", "press",
             "spokesperson", "spokesman", "aide", "aides", "office's"}
PRONOUNS = {"he", "she", "him", "her", "his"}
SUBJECT_NOUNS = re.compile(r"\b(?:guards?|people|protesters?|demonstrators?|workers?|officers?|"
                           r"soldiers?|civilians?|residents?|personnel|staff|others|children)\b", re.I)


def role_claims(text: str, article_id: str) -> list[Claim]:
    """'Iraqi PM Barham Salih' -> role claim: Barham Salih is (Iraqi) prime minister."""
    out = []
    for m in ROLE_BEFORE_NAME.finditer(text):
        title = m.group("title")
        words = title.split()
        base = None
        for k in range(len(words)):
            cand = " ".join(words[k:]).lower()
            if cand in ROLE_TITLES:
                base = ROLE_TITLES[cand]
                qualifier = " ".join(words[:k])
                break
        if base is None or m.group("name").split()[0].lower() in NOT_NAMES:
            continue
        # "Prime Minister's call": a title followed by a possessive is not naming anyone
        name = re.split(r"\.\s", m.group("name"))[0].rstrip(".")
        name = re.sub(r"(?:'s|’s)$", "", name)
        end = m.start("name") + len(name)
        out.append(Claim(kind="role", article=article_id, start=m.start(), end=end,
                         text=text[m.start():end], subject=name, value=base,
                         qualifier=qualifier or None))
    return out


def state_claims(doc, article_id: str) -> list[Claim]:
    """Harmed / unharmed statements about people, with the clause's subject as written."""
    out = []
    text = doc.text
    last_person: str | None = None
    for sent in doc.sents:
        s = sent.text
        persons = [e for e in sent.ents if e.label_ == "PERSON"]
        for pattern, value in ((UNHARMED, "unharmed"), (HARMED, "harmed")):
            for m in pattern.finditer(s):
                start = sent.start_char + m.start()
                subject = _subject_for(sent, start, persons, last_person, s[:m.start()])
                if subject is None:
                    continue
                # the sentence, but never past a line break: spaCy's sentences can run on into
                # the next paragraph, and only the trigger's own line states the claim
                lo = max(sent.start_char, text.rfind("\n", 0, start) + 1)
                nl = text.find("\n", start)
                hi = min(sent.end_char, nl if nl >= 0 else len(text))
                while hi > lo and text[hi - 1].isspace():
                    hi -= 1
                while lo < hi and text[lo].isspace():
                    lo += 1
                out.append(Claim(kind="state", article=article_id, start=lo, end=hi,
                                 text=text[lo:hi], subject=subject, value=value,
                                 qualifier=m.group(0)))
        if persons:
            last_person = persons[-1].text
    return _dedupe(out)


def _subject_for(sent, trigger_at: int, persons, last_person, before: str) -> str | None:
    """Who the harm word is about: another group ('seven guards were injured') is nobody we track."""
    tok = next((t for t in sent if t.idx >= trigger_at), None)
    if tok is not None:
        for anc in [tok, *tok.ancestors]:
            subj = [c for c in anc.children if c.dep_ in {"nsubj", "nsubjpass"}]
            if subj:
                head = subj[0]
                phrase = " ".join(t.text for t in head.subtree)
                if head.lower_ in PRONOUNS:
                    return last_person or "he"
                if head.like_num or SUBJECT_NOUNS.search(phrase):
                    return None
                if head.ent_type_ == "PERSON":
                    ents = [e for e in persons if e.start <= head.i < e.end]
                    return ents[0].text if ents else phrase
                if SUBJECT_NOUNS.search(head.text):
                    return None
                if re.search(r"\b(?:prime\s+minister|pm|president|mayor|minister|chief)\b",
                             phrase, re.I):
                    return _title_phrase(phrase)
                if any(t.lower_ in {"his", "her"} and t.dep_ == "poss" for t in head.children):
                    return last_person  # "His left hand ... a bandage"
                if head.lower_ in {"it", "that", "which"}:
                    continue
                break
    # no clean subject: a person named just before the trigger in the same sentence
    near = [e for e in persons if e.end_char <= trigger_at]
    if near and not SUBJECT_NOUNS.search(before[-40:]):
        return near[-1].text
    return None


def _title_phrase(phrase: str) -> str:
    return re.sub(r"^(?:the|The)\s+", "", phrase).strip()


def _dedupe(claims: list[Claim]) -> list[Claim]:
    seen = set()
    out = []
    for c in claims:
        key = (c.start, c.value)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out
