"""The structured event record: what happened, when, where, to whom, by whom, with what toll.

Read from the story's own results: the event type from trigger words in the most corroborated
facts, the date from the timeline entry with the most citations, the place from the most named
city, the toll from casualty counts in sentences about the main event, and the claim of
responsibility only where a sentence says someone claimed it (not "no group claimed").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ..extract.entities import match_entity
from ..model import Article, Entity, Event, Fact, NumberMention, TimelineItem

EVENT_TYPES = [
    ("assassination attempt", r"assassination\s+attempt|attempt(?:ed)?\s+(?:on\s+\w+\s+life|assassination)|murder\s+attempt"),
    ("drone attack", r"drone\s+(?:attack|strike)s?|armed\s+drones?|drones?\s+(?:laden|targeted|targetted)"),
    ("bombing", r"bomb(?:ing|ed|s)?\b|suicide\s+attack|car\s+bomb"),
    ("shooting", r"shooting|gunm(?:a|e)n\s+opened\s+fire|shot\s+dead"),
    ("explosion", r"explosions?|blast|exploded"),
    ("fire", r"\bfire\b|blaze|wildfire"),
    ("earthquake", r"earthquake|quake|tremor"),
    ("flood", r"flood(?:s|ing)?"),
    ("storm", r"hurricane|typhoon|cyclone|storm"),
    ("protest", r"protests?|demonstrat\w+|rall(?:y|ies)"),
    ("election", r"elections?|vote|ballot"),
    ("arrest", r"arrest(?:ed)?|detain(?:ed)?"),
    ("attack", r"attack(?:s|ed)?|strike"),
    ("accident", r"crash(?:ed)?|collision|derail\w*"),
]
TARGET = re.compile(
    r"(?:attack|attempt|strike|assassination\s+attempt|attempt\s+on\s+the\s+life)\s+(?:on|against)\s+"
    r"(?:the\s+)?(?:(?:residence|home|house|office|convoy)\s+of\s+)?(?P<t>[^,.;]{3,80})",
    re.I,
)
CLAIMED = re.compile(r"(?P<who>[A-Z][\w'’ -]{1,60}?)\s+(?:has\s+|have\s+|had\s+)?claimed\s+responsibility", re.I)
NEGATED = re.compile(r"\b(?:no|nobody|none|not|no\s+one|yet\s+to|neither)\b", re.I)


def _event_type(facts: Sequence[Fact]) -> tuple[str, re.Pattern]:
    """The first (most specific) event type the top facts name, and a pattern for every type
    they name: the attack, the drone strike and the blast are one incident."""
    text = " ".join(f.statement for f in facts[:8])
    found = [(name, pat) for name, pat in EVENT_TYPES if re.search(pat, text, re.I)]
    if not found:
        return "event", re.compile(r"$^")
    return found[0][0], re.compile("|".join(f"(?:{p})" for _, p in found), re.I)


def build_event(articles: Sequence[Article], facts: Sequence[Fact], entities: Sequence[Entity],
                numbers: Sequence[NumberMention], timeline: Sequence[TimelineItem],
                dateline: str | None = None) -> Event | None:
    if not facts:
        return None
    etype, trig = _event_type(facts)
    # Date: the day-precise timeline entry about the event with the most citations.
    dated = [t for t in timeline if len(t.date) == 10]
    about = [t for t in dated if trig.search(t.text)] or dated
    date = max(about, key=lambda t: (len(t.citations), t.date)).date if about else None
    # Place: the city-level place named most in sentences about the event.
    places = Counter()
    text_of = {a.id: a.text for a in articles}
    event_sents = [(a.id, a.text[s.start:s.end]) for a in articles for s in a.sentences
                   if trig.search(a.text[s.start:s.end])]
    gpes = [e for e in entities if e.type in {"GPE", "LOC", "FAC"}]
    for _aid, sent in event_sents:
        for e in gpes:
            if any(re.search(rf"\b{re.escape(al)}\b", sent) for al in e.aliases):
                places[e.name] += 1
    location = None
    if places:
        # Prefer a place that occurs inside another place's sentences as "in X" (a city).
        ranked = places.most_common()
        cities = [p for p, _ in ranked if any(re.search(rf"\bin\s+(?:the\s+capital,\s+)?{re.escape(p)}\b", s)
                                               for _, s in event_sents)]
        location = cities[0] if cities else ranked[0][0]
    location = location or dateline
    # Targets: who the attack was on.
    targets = Counter()
    for _aid, sent in event_sents:
        for m in TARGET.finditer(sent):
            ent = _first_entity(m.group("t"), entities)
            if ent is not None:
                targets[ent.name] += 1
    # Toll: casualty counts in sentences about the event; the most stated figure wins.
    killed, injured = _toll(numbers, text_of, trig)
    claimed = None
    for _aid, sent in event_sents + [(a.id, a.text[s.start:s.end]) for a in articles for s in a.sentences]:
        m = CLAIMED.search(sent)
        if m and not NEGATED.search(sent[: m.end()]):
            ent = _first_entity(m.group("who"), entities)
            claimed = ent.name if ent else m.group("who").strip()
            break
    persons = Counter()
    for e in entities:
        if e.type in {"PERSON", "ORG"}:
            persons[e.name] = e.mentions
    actors = [n for n, _ in persons.most_common(6) if n not in targets]
    return Event(type=etype, date=date, location=location, actors=tuple(actors[:5]),
                 targets=tuple(n for n, _ in targets.most_common(3)), killed=killed,
                 injured=injured, claimed_by=claimed)


def _first_entity(phrase: str, entities: Sequence[Entity]) -> Entity | None:
    """The first person, organisation or building named in ``phrase`` (places are locations,
    not targets or claimants)."""
    best = None
    for e in entities:
        if e.type not in {"PERSON", "ORG", "FAC"}:
            continue
        for al in e.aliases:
            m = re.search(rf"\b{re.escape(al)}\b", phrase)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), e)
    if best is None:
        ent = match_entity(phrase, tuple(entities))
        return ent if ent is not None and ent.type in {"PERSON", "ORG", "FAC"} else None
    return best[1]


def _toll(numbers, text_of, trig) -> tuple[int | None, int | None]:
    out = {}
    for role in ("killed", "injured"):
        vals = Counter()
        for n in numbers:
            if n.role != role:
                continue
            text = text_of.get(n.article, "")
            s = text.rfind(".", 0, n.start) + 1
            e = text.find(".", n.end)
            sent = text[s:e if e > 0 else len(text)]
            if trig.search(sent):
                vals[int(n.value)] += 1
        out[role] = vals.most_common(1)[0][0] if vals else None
    return out["killed"], out["injured"]
