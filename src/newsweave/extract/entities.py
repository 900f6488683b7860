"""Named entities: spaCy mentions per article, merged per story into entities with their aliases.

Merging is by name structure, never by string similarity alone, so that different people are not
fused: a surname or a first name alone joins a full name only when exactly one full name in the
story fits it ("Kadhimi" -> "Mustafa al-Kadhimi", but "Salih" stays apart from "Kadhimi"); an
acronym joins the name it abbreviates ("UNAMI" = "United Nations Assistance Mission for Iraq",
defined in the text or spelled by initials), and "UN" stays the United Nations, not UNAMI.
Arabic articles ("al-", "Al-"), hyphens, accents, possessives and leading "the" are folded.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from ..model import Article, Entity, Mention, replace

LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
# When a cluster's mentions disagree on the label, the majority wins; ties go to the earlier one.
LABEL_PRIORITY = ["PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"]

PARTICLES = {"al", "el", "ad", "ash", "as", "at", "ibn", "bin", "de", "da", "di", "van", "von", "der",
             "du", "le"}
STOP = {"of", "for", "in", "the", "and", "on", "to", "at", "&"}
KNOWN_ACRONYMS = {
    "un": "united nations", "us": "united states", "usa": "united states of america",
    "uk": "united kingdom", "eu": "european union", "pm": "prime minister",
    "uae": "united arab emirates", "nato": "north atlantic treaty organization",
}
TITLES = re.compile(
    r"^(?:(?:U\.?N\.?|US|U\.S\.|Iraqi|Iraq's|former|acting|deputy|vice|then)\s+)*"
    r"(?:secretary[- ]general|prime\s+minister|pm|president|mayor|minister|chief|dr\.?|mr\.?|mrs\.?"
    r"|ms\.?|gen\.?|general|sen\.?|senator|rep\.?|representative|king|queen|prince|princess|pope"
    r"|sheikh|ayatollah|imam|judge|justice|governor|gov\.?|commander|col\.?|colonel|lt\.?|capt\.?"
    r"|captain|sgt\.?|sergeant|lord|lady|sir|prof\.?|professor|rev\.?|bishop|cardinal|archbishop"
    r"|ambassador|chancellor|premier|speaker|chairman|chairwoman|chair|ceo|director|fire\s+chief"
    r"|police\s+chief|spokesperson|spokesman|spokeswoman|leader)\s+",
    re.I,
)
# A mention that is a role, not a name ("the UN Spokesperson", "officials"): a nominal mention.
ROLE_TAIL = re.compile(
    r"\b(?:spokesperson|spokesman|spokeswoman|spokespeople|official|officials|chief|source|sources"
    r"|aide|aides|staff|correspondent|reporter)s?$",
    re.I,
)
GENERIC_TAIL = re.compile(r"\s+(?:militia|militias|group|movement|party|organisation|organization)$", re.I)
DEFINITION = re.compile(
    r"\b((?:[A-Z][\w'’.-]*|of|for|the|in|and|on|de|al-\w+)(?:\s+(?:[A-Z][\w'’.-]*|[a-z][\w-]*)){1,9})"
    r"\s+\(([A-Z][A-Za-z.&]{1,9})\)"
)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


def fold(text: str) -> str:
    """Casefold and strip accents: 'António' -> 'antonio'."""
    nfkd = unicodedata.normalize("NFKD", text)
    return "".join(c for c in nfkd if not unicodedata.combining(c)).casefold()


def surface(text: str) -> str:
    """The alias as it should be listed: no leading 'the', no possessive, no stray punctuation."""
    t = " ".join(text.split()).strip(" ,;:-–—\"'“”‘’()[]")
    t = re.sub(r"^(?:the|The|THE)\s+", "", t)
    t = _POSSESSIVE.sub("", t)
    t = re.sub(r"\s+(?:al|Al|el|El)-?$", "", t)  # "Mustafa al-" (a garbled split)
    t = re.sub(r"\s+(?:in|of|for|and|the|on)$", "", t)
    return t.strip(" ,;:-–—")


def name_tokens(name: str, expand: dict[str, str] | None = None) -> list[str]:
    """Comparable tokens of a name: folded, split at spaces and hyphens, particles and stop words
    dropped, known acronyms inside longer names expanded ('UN Assistance Mission')."""
    raw = [t for t in re.split(r"[\s\-‐–]+", fold(name)) if t]
    raw = [t.strip(".'’,") for t in raw]
    out: list[str] = []
    for i, t in enumerate(raw):
        if not t or t in STOP or t in PARTICLES:
            continue
        if expand and t in expand and (len(raw) > 1 or t.isalpha() and len(t) <= 6):
            out.extend(expand[t].split())
        else:
            out.append(t)
    return out


def initials(name: str, lower_words: bool = False) -> str:
    """'United Nations Assistance Mission for Iraq' -> 'UNAMI'; 'UN Assistance Mission in Iraq' too.
    With ``lower_words``, lower-case words count as well ('Intelligence service (INIS)')."""
    letters = []
    for tok in re.split(r"[\s\-]+", name):
        tok = tok.strip(".,'’")
        if not tok or tok.lower() in STOP:
            continue
        if tok.isupper() and len(tok) <= 5:
            letters.append(tok)
        elif tok[0].isupper() or lower_words:
            letters.append(tok[0])
    return "".join(letters).upper()


# "the French Bureau of Accident Investigation, or BEA,"; "France's Accident and Inquiry Office,
# the BEA,": a name set in apposition with an all-capitals short form names it, whatever the
# short form's initials (a French acronym of an English rendering).
APPOSITION = re.compile(
    r"((?:[A-Z][\w’'&.-]*)(?:\s+(?:(?:of|and|for|de|du|des|la|le|on|the)\s+)?[A-Z][\w’'&.-]*)+)"
    r",\s+(?:or|the)\s+([A-Z]{2,6})(?=[,;:)]|\.(?:\s|$))")


def find_definitions(text: str) -> list[tuple[str, str, int, int]]:
    """'Long Name (ACR)' definitions, and long names set in apposition with an all-capitals
    short form ('X, or ACR,'): (long, acronym, start of long, end of the definition)."""
    out = []
    for m in APPOSITION.finditer(text):
        long, start = m.group(1), m.start(1)
        cut = max(long.rfind("'s "), long.rfind("’s "))
        if cut >= 0:  # "France's Accident and Inquiry Office": the name after the possessive
            start += cut + 3
            long = long[cut + 3:]
        if len(long.split()) >= 2 and long.split()[0][0].isupper():
            out.append((long, m.group(2), start, m.end(2)))
    for m in DEFINITION.finditer(text):
        long, acr = surface(m.group(1)), m.group(2).replace(".", "")
        if not acr.isupper() and not acr[:-1].isupper():
            continue
        # Keep only the words of the long form whose initials spell the acronym (trim a lead-in).
        words = long.split()
        for k in range(len(words)):
            if words[k].lower() in STOP or not words[k][0].isupper():
                continue
            cand = " ".join(words[k:])
            if acr.upper() in (initials(cand), initials(cand, lower_words=True)):
                # surface() folded the spacing: find the words as written ("Free\nParty")
                at = re.search(r"\s+".join(map(re.escape, words[k:])), m.group(1))
                if at is None:
                    break
                start = m.start(1) + at.start()
                out.append((text[start:m.start(1) + at.end()], acr, start, m.end()))
                break
    return out


_COMMON_SUFFIX = ("ly", "ness", "ment", "ing", "ed", "ful", "less", "ous", "ive", "ity", "out")


def mentions_from_doc(doc, article_id: str) -> list[Mention]:
    """Named mentions of a spaCy Doc, cleaned; role words and sentence-initial common words dropped.

    Acronym definitions in the text ("Iraqi National Intelligence service (INIS)") add the long
    form and every later use of the acronym as ORG mentions, replacing NER's partial spans there.
    """
    text = doc.text
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    acronyms: dict[str, str] = {}
    for long, acr, start, end in find_definitions(text):
        out.append(Mention(article_id, start, start + len(long), long, "ORG"))
        # The acronym as written between the brackets: "I.F.P." is defined as "IFP".
        a_start = text.rfind("(", start, end) + 1
        out.append(Mention(article_id, a_start, end - 1, text[a_start:end - 1], "ORG"))
        taken.append((start, end))
        acronyms[acr] = long
    for acr in acronyms:
        for m in re.finditer(rf"\b{re.escape(acr)}\b", text):
            if not any(s <= m.start() < e for s, e in taken):
                out.append(Mention(article_id, m.start(), m.end(), acr, "ORG"))
                taken.append((m.start(), m.end()))
    for ent in doc.ents:
        if any(s < ent.end_char and ent.start_char < e for s, e in taken):
            continue
        if ent.label_ not in LABELS:
            continue
        name = surface(ent.text)
        if not name or not any(c.isupper() for c in name):
            continue
        if ROLE_TAIL.search(name) and ent.label_ != "PERSON":
            continue
        if len(ent) == 1 and (ent[0].is_sent_start or ent[0].i > 0 and ent[0].nbor(-1).is_quote):
            if ent[0].pos_ != "PROPN" or fold(ent.text).endswith(_COMMON_SUFFIX):
                continue  # "Turnout", "Cowardly": sentence-initial common words mis-tagged
        stripped = TITLES.sub("", name) if ent.label_ == "PERSON" else name
        stripped = GENERIC_TAIL.sub("", stripped) if ent.label_ == "ORG" else stripped
        if not stripped:
            continue
        start = ent.start_char + ent.text.find(stripped) if stripped in ent.text else ent.start_char
        end = start + len(stripped) if stripped in ent.text else ent.end_char
        out.append(Mention(article_id, start, end, text[start:end] if stripped in ent.text
                           else ent.text, ent.label_))
    return out


class EntityResolver:
    """Merge a story's mentions into entities.

    >>> r = EntityResolver()
    >>> ents, _ = r.resolve([Mention("a", 0, 18, "Mustafa al-Kadhimi", "PERSON"),
    ...                      Mention("a", 30, 40, "Al-Kadhimi", "PERSON")], {})
    >>> [e.aliases for e in ents]
    [('Mustafa al-Kadhimi', 'Al-Kadhimi')]
    """

    name = "entities"

    def resolve(self, mentions: Sequence[Mention], texts: dict[str, str],
                ) -> tuple[tuple[Entity, ...], dict[tuple[str, int, int], str]]:
        """Return the entities and a map (article, start, end) -> entity id."""
        defs = {}
        for aid, text in texts.items():
            for long, acr, _s, _e in find_definitions(text):
                defs.setdefault(fold(acr), long)
        expand = dict(KNOWN_ACRONYMS)
        for acr, long in defs.items():
            expand[acr] = " ".join(name_tokens(long))

        # 1. Group mentions by their folded name key.
        by_key: dict[str, list[Mention]] = defaultdict(list)
        for m in mentions:
            toks = name_tokens(m.text, expand)
            if not toks:
                continue
            key = "".join(toks)
            if m.label == "NORP" and key.endswith("s") and len(key) > 4:
                key = key[:-1]  # "Iraqis" and "Iraqi" are one group
            by_key[key].append(m)
        parent = {k: k for k in by_key}

        def find(k):
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        def union(a, b):
            ra, rb = find(a), find(b)
            if ra != rb:
                # keep the root with more tokens (the fuller name)
                if len(ra) < len(rb):
                    ra, rb = rb, ra
                parent[rb] = ra

        label_of = {k: Counter(m.label for m in ms).most_common(1)[0][0] for k, ms in by_key.items()}
        toks_of = {k: name_tokens(by_key[k][0].text, expand) for k in by_key}
        texts_of = {k: {m.text for m in ms} for k, ms in by_key.items()}

        # 2. Acronyms: a short all-caps key joins the key it abbreviates (defined or by initials).
        for k, ms in by_key.items():
            for t in texts_of[k]:
                if t.isupper() and 2 <= len(t) <= 6 and fold(t) in defs:
                    target = "".join(name_tokens(defs[fold(t)], expand))
                    if target in by_key and label_of[target] == "PERSON":
                        break  # "Tony Blair, the PM.": a title, not a definition
                    if target in by_key:
                        union(target, k)
                        break
                    # the long form was tagged with a trailing/leading difference: find by prefix
                    for k2 in by_key:
                        if k2 != k and len(toks_of[k2]) >= 2 and "".join(toks_of[k2]) == target:
                            union(k2, k)
        for k in by_key:
            if len(toks_of[k]) < 2:
                continue
            for t in texts_of[k]:
                acr = fold(initials(t))
                if len(acr) >= 3 and acr in by_key and acr != k and label_of[acr] != "PERSON":
                    union(k, acr)

        # 3. Organisations and places: a name of >= 3 tokens that starts another joins it
        #    ("UN Assistance Mission" + "United Nations Assistance Mission for Iraq").
        multi = [k for k in by_key if len(toks_of[k]) >= 3 and label_of[k] != "PERSON"]
        for a in multi:
            for b in by_key:
                if a != b and label_of[b] != "PERSON" and len(toks_of[b]) >= 3 and \
                        toks_of[b][:len(toks_of[a])] == toks_of[a]:
                    union(b, a)

        # 4. People: full names by (first, last) token; short forms join a unique full name.
        full = [k for k in by_key if len(toks_of[k]) >= 2 and label_of[k] == "PERSON"]
        by_first_last: dict[tuple[str, str], list[str]] = defaultdict(list)
        for k in full:
            by_first_last[(toks_of[k][0], toks_of[k][-1])].append(k)
        for ks in by_first_last.values():
            for k in ks[1:]:
                union(ks[0], k)
        for k in by_key:
            if len(toks_of[k]) != 1:
                continue
            tok = toks_of[k][0]
            if label_of[k] not in {"PERSON", "ORG", "GPE", "NORP"}:
                continue
            by_last = {find(f) for f in full if toks_of[f][-1] == tok}
            if len(by_last) == 1:
                union(by_last.pop(), k)
                continue
            if by_last:
                continue  # two people share the surname: leave it apart
            by_first = {find(f) for f in full if toks_of[f][0] == tok}
            if len(by_first) == 1 and label_of[k] == "PERSON":
                union(by_first.pop(), k)

        # 5. Short and plural forms of one name: a single word that starts exactly one longer
        #    name of capitalised words ("Continental" = "Continental Airlines", "Caldera" =
        #    "Caldera Chemicals") and a plural of a product or organisation ("Concordes").
        #    spaCy's small model types these unevenly, so the long form's type is not asked;
        #    the short form must not be a person, a place or a group of people.
        starts: dict[str, set[str]] = defaultdict(set)
        for k in by_key:
            if len(toks_of[k]) >= 2 and label_of[k] != "NORP" and \
                    all(w[:1].isalpha() for w in toks_of[k]):
                starts[toks_of[k][0]].add(k)
        for k in by_key:
            if len(toks_of[k]) != 1 or label_of[k] not in {"ORG", "PRODUCT", "FAC"}:
                continue
            tok = toks_of[k][0]
            longer = {find(b) for b in starts.get(tok, ())}
            if len(longer) == 1:
                union(longer.pop(), k)
            elif tok.endswith("s") and len(tok) > 4 and tok[:-1] in by_key \
                    and label_of[tok[:-1]] in {"ORG", "PRODUCT", "FAC"}:
                union(tok[:-1], k)

        # 6. Build entities.
        clusters: dict[str, list[Mention]] = defaultdict(list)
        for k, ms in by_key.items():
            clusters[find(k)].extend(ms)
        entities: list[Entity] = []
        index: dict[tuple[str, int, int], str] = {}
        used_ids: set[str] = set()
        ordered = sorted(clusters.values(), key=lambda ms: (-len(ms), ms[0].text))
        for ms in ordered:
            labels = Counter(m.label for m in ms)
            top = max(labels.values())
            label = next(lb for lb in LABEL_PRIORITY if labels.get(lb) == top)
            forms = Counter(surface(m.text) for m in ms)
            name = _canonical(forms, label)
            aliases = tuple(sorted(forms, key=lambda f: (f != name, -forms[f], f)))
            eid = _unique_id(name, used_ids)
            arts = tuple(sorted({m.article for m in ms}))
            entities.append(Entity(eid, name, label, aliases, arts, len(ms)))
            for m in ms:
                index[(m.article, m.start, m.end)] = eid
        return tuple(entities), index


def bare_surnames(mentions: Sequence[Mention], texts: dict[str, str]) -> list[Mention]:
    """Mentions of a person by surname alone that the tagger missed ("Tillon said" after "Fabien
    Tillon"): each capitalised occurrence, outside every other mention, of the last word of a
    full name that only one person in the story has."""
    full: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        words = m.text.split()
        if m.label == "PERSON" and len(words) >= 2:
            last = _POSSESSIVE.sub("", words[-1]).strip(".,;:")
            if len(last) >= 3 and last[0].isupper() and last[1:].islower() and last.isalpha():
                full[last].add(fold(" ".join(words[:-1])))
    taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for m in mentions:
        taken[m.article].append((m.start, m.end))
    out = []
    for last, firsts in full.items():
        if len(firsts) != 1 or fold(last) in STOP:
            continue
        pattern = re.compile(rf"\b{re.escape(last)}\b")
        for aid, text in texts.items():
            for hit in pattern.finditer(text):
                s, e = hit.span()
                if not any(a < e and s < b for a, b in taken[aid]):
                    out.append(Mention(aid, s, e, last, "PERSON"))
    return out


def datelined_places(entities: Sequence[Entity], articles: Sequence[Article]) -> tuple[Entity, ...]:
    """Entities named as a dateline's place ("PORT ALDANE -", "GONESSE, France _") are places
    (GPE), whatever type the tagger gave a mention ("Port Aldane" as a facility)."""
    places = set()
    for a in articles:
        if a.dateline:
            for part in a.dateline.split(","):
                if part.strip():
                    places.add(" ".join(name_tokens(part)))
    out = []
    for e in entities:
        if e.type in ("FAC", "ORG", "PERSON", "LOC") and any(
                " ".join(name_tokens(x)) in places for x in (e.name, *e.aliases)):
            e = replace(e, type="GPE")
        out.append(e)
    return tuple(out)


def _canonical(forms: Counter, label: str) -> str:
    """The most used full form (several words), preferring accented spellings on ties."""
    def score(f):
        n = len(f.split())
        multi = n >= 2 if label == "PERSON" else True
        accents = sum(1 for c in f if ord(c) > 127)
        # Acronyms are poor names when the expansion is known.
        is_acr = f.isupper() and len(f) <= 6
        return (multi, not is_acr, forms[f], n, accents, -len(f))
    return max(forms, key=score)


def _unique_id(name: str, used: set[str]) -> str:
    base = "e-" + (re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-") or "x")[:40]
    eid, n = base, 2
    while eid in used:
        eid, n = f"{base}-{n}", n + 1
    used.add(eid)
    return eid


def entity_lookup(entities: Iterable[Entity]) -> dict[str, str]:
    """Map every folded alias token-key of every entity to its id (for speakers, actors...)."""
    out: dict[str, str] = {}
    for e in entities:
        for a in e.aliases:
            out.setdefault("".join(name_tokens(a, KNOWN_ACRONYMS)), e.id)
    return out


def match_entity(name: str | None, entities: tuple[Entity, ...]) -> Entity | None:
    """The story entity a speaker name refers to: by alias, else by a unique surname."""
    if not name:
        return None
    exact, by_surname, by_upper = _entity_index(entities)
    hit = exact.get("".join(name_tokens(name, KNOWN_ACRONYMS)))
    if hit is not None:
        return hit
    toks = name_tokens(name)
    if not toks:
        return None
    hits = by_surname.get(toks[-1], [])
    if len(hits) == 1:
        return hits[0]
    # an organisation named by its acronym or expansion
    hits = by_upper.get(fold(name).upper().replace(".", ""), [])
    return hits[0] if len(hits) == 1 else None


# The index of the last entity tuple asked about: a story's stages ask about the same entities
# thousands of times (every claim, quote and figure), and folding every alias each time made
# conflicts quadratic in a large story.
_LAST_INDEX: tuple = (None, None)


def _entity_index(entities: tuple[Entity, ...]):
    """(alias key -> first entity, surname -> people, folded upper alias -> others), in order."""
    global _LAST_INDEX
    seen, index = _LAST_INDEX
    if seen is entities:
        return index
    exact: dict[str, Entity] = {}
    by_surname: dict[str, list[Entity]] = {}
    by_upper: dict[str, list[Entity]] = {}
    for e in entities:
        for a in e.aliases:
            exact.setdefault("".join(name_tokens(a, KNOWN_ACRONYMS)), e)
            if e.type == "PERSON":
                last = name_tokens(a)[-1:]
                if last and e not in by_surname.setdefault(last[0], []):
                    by_surname[last[0]].append(e)
            else:
                key = fold(a).upper()
                if e not in by_upper.setdefault(key, []):
                    by_upper[key].append(e)
    index = (exact, by_surname, by_upper)
    _LAST_INDEX = (entities, index)
    return index


def article_mentions(doc, article: Article) -> tuple[Mention, ...]:
    return tuple(mentions_from_doc(doc, article.id))
