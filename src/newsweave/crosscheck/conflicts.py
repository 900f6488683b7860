"""Conflicts between (and within) articles, found without an NLI model:

- numbers about the same thing that cannot all be true ("an armed drone" / "at least two armed
  drones" / "three drones"), with "at least N" read as a lower bound; where the later reports say
  the figure moved ("the death toll rose to 257") the figures are an update, not a conflict;
- harm states that contradict for one person ("escaped unscathed" / "taken to hospital with slight
  injuries");
- one title given to two different people ("Iraqi PM Barham Salih" in a story whose PM is Kadhimi);
- one quote given to different speakers.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from rapidfuzz import fuzz

from ..extract.entities import fold, match_entity
from ..extract.numbers import PLACED
from ..model import Claim, Conflict, ConflictClaim, Entity, NumberMention, Quote, Update, UpdatePoint

_LOWER_BOUND = re.compile(r"\b(?:at\s+least|more\s+than|over|upwards\s+of|no\s+fewer\s+than)\b", re.I)
_UPPER_BOUND = re.compile(r"\b(?:at\s+most|up\s+to|fewer\s+than|less\s+than|no\s+more\s+than)\b", re.I)
_APPROXIMATE = re.compile(r"\b(?:about|around|nearly|almost|roughly|approximately|some|"
                          r"an\s+estimated|close\s+to)\b", re.I)
# "a 16-inch gash", "a 9-pound tire part": a measure set before its object describes that object,
# and which object is not kept, so two such measures are never compared.
_MEASURE = re.compile(r"\d[\d.,]*-(?:inch|foot|feet|yard|mile|meter|metre|kilometer|km|pound|"
                      r"ton|tonne|gallon|litre|liter|acre|hectare|degree|story|storey)\b", re.I)
SKIP_UNITS = {"percent", "time", "fraction", "times"}
PEOPLE = {"people", "person", "injured", "wounded", "dead", "civilian", "resident", "victim",
          "individual", "casualty"}
_WORDLIKE = re.compile(r"^[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*$")
# "the other seven Concordes", "its five remaining Concordes": a part, not the total
_SUBSET = re.compile(r"\b(?:other|remaining|another|additional|further|extra|surviving|rest)\b", re.I)
_PARTITIVE = re.compile(r"^(?:\w+\s+){1,3}of\s+(?:the|his|her|their|its|whom|which|them)\b", re.I)


_NO_PLURAL = {"people", "police", "personnel", "staff", "injured", "dead", "wounded", "percent",
              "cattle", "crew", "militia"}


def _where(text: str) -> str | None:
    """The place a count is qualified by ("four on the ground", "109 on board"): counts of
    different places are different quantities, never a conflict."""
    low = " ".join(text.lower().split())
    return next((p for p in PLACED if f" {p}" in f" {low}"), None)


def _plural(noun: str) -> str:
    if noun in _NO_PLURAL or noun.endswith("ed"):
        return noun
    if noun.endswith("s") and not noun.endswith(("ss", "us", "is")):
        return noun  # already plural: "Concordes", "Americans" (a name's plural kept as written)
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def _bounds(n: NumberMention) -> tuple[float, float]:
    if _LOWER_BOUND.search(n.text):
        return n.value, float("inf")
    if _UPPER_BOUND.search(n.text):
        return 0, n.value
    if n.approximate or _APPROXIMATE.search(n.text):  # "about 200 mph" holds with "195 mph"
        return n.value * 0.9, n.value * 1.1
    return n.value, n.value


def _compatible(a: NumberMention, b: NumberMention) -> bool:
    lo = max(_bounds(a)[0], _bounds(b)[0])
    hi = min(_bounds(a)[1], _bounds(b)[1])
    return lo <= hi


def number_conflicts(numbers: Sequence[NumberMention],
                     related: Callable[[NumberMention, NumberMention], bool] | None = None,
                     ) -> list[Conflict]:
    """Figures for one thing that cannot all hold (``number_disagreements`` without the time
    dimension: every disagreement is a conflict)."""
    return number_disagreements(numbers, related)[0]


# A sentence that reports a figure as moved: the figure before it was true then, not wrong.
_CHANGE = re.compile(
    r"\b(?:rose|risen|rising|rises|climbed|climbing|climbs|increased|increasing|jumped|mounted|"
    r"soared|grew|grown|swelled|fell|fallen|dropped|declined|revised|corrected|updated|"
    r"up\s+from|down\s+from|now\s+(?:stands|stood|at|is|totals?|numbers?)|"
    r"(?:new|latest|updated|revised)\s+(?:death\s+)?(?:toll|figures?|count|tally|estimate))\b",
    re.I)


def number_disagreements(
        numbers: Sequence[NumberMention],
        related: Callable[[NumberMention, NumberMention], bool] | None = None,
        context: Callable[[NumberMention], str] | None = None,
        published: dict[str, str | None] | None = None,
) -> tuple[list[Conflict], list[Update]]:
    """Figures for one thing that disagree: conflicts (they cannot all hold) and updates (later
    reports say the figure moved).

    Two figures only count as about the same thing when they share noun and role, come from
    different articles (or one article contradicts itself and another), and ``related``
    (sentence similarity) says their sentences tell of the same happening: "240 people
    evacuated" is not a different count of "12 people hospitalised".

    A group is an update when ``context`` (a figure's sentence) and ``published`` (article id ->
    date) are given and: its articles are all dated, on at least two days; the figures of any
    one day agree; and each day that brings a new figure states it in a sentence that reports a
    change ("rose to", "revised", "now stands at", "new toll"). Otherwise the figures are a
    conflict: two reports that disagree without saying the figure moved cannot both be read as
    true at their times (a count of four dead on the ground, later five, with no word of a new
    death, is a conflict).
    """
    related = related or (lambda a, b: True)
    groups: dict[tuple[str, str | None, str | None], list[NumberMention]] = defaultdict(list)
    for n in numbers:
        if n.unit in SKIP_UNITS or _PARTITIVE.match(n.text) or _MEASURE.search(n.text) \
                or _SUBSET.search(n.text):
            continue  # "eleven of the injured": a part, not a rival total; "a 16-inch gash"
        words = n.subject.split()
        noun = words[-1] if words else ""
        if not _WORDLIKE.match(noun):
            continue  # an identifier ("No. 2", "engine . 1"), not a count
        # the counted thing with its noun modifiers ("crew member" is not "member"), without
        # capitalised qualifiers ("nine French crew members" counts crew members)
        noun = " ".join([w for w in words[:-1] if not w[:1].isupper()] + [noun])
        if n.role in {"killed", "injured"} and (noun in PEOPLE or words[-1] in PEOPLE):
            noun = "people"
        groups[(noun, n.role, _where(n.text))].append(n)
    conflicts: list[Conflict] = []
    updates: list[Update] = []
    for (noun, role, where), ns in groups.items():
        if len({n.value for n in ns}) < 2:
            continue
        clash = [(a, b) for i, a in enumerate(ns) for b in ns[i + 1:]
                 if a.article != b.article and not _compatible(a, b) and related(a, b)]
        if not clash:
            continue  # every figure fits one number ("at least two" and "three"), or unrelated
        members = list({id(x): x for pair in clash for x in pair}.values())
        keep = {id(x) for x in members}
        ns = [n for n in ns if id(n) in keep or any(related(n, x) for x in members)]
        topic = (f"number of {_plural(noun)}" + (f" {role.replace('_', ' ')}" if role else "")
                 + (f" {where}" if where else ""))
        if context is not None and published is not None and _is_update(ns, context, published):
            series = tuple(UpdatePoint(_fmt(n.value), n.text, n.article, n.start, n.end,
                                       published[n.article])
                           for n in sorted(ns, key=lambda n: (published[n.article], n.article,
                                                              n.start)))
            updates.append(Update(what=topic, series=series, note=" -> ".join(
                f"{p.value} ({p.published[:10]})" for p in _changes(series))))
            continue
        values = Counter(n.value for n in ns)
        note = "figures given: " + ", ".join(
            f"{_fmt(v)} ({c} mention{'s' if c > 1 else ''})" for v, c in values.most_common())
        claims = tuple(ConflictClaim(_fmt(n.value), n.text, n.article, n.start, n.end)
                       for n in sorted(ns, key=lambda n: (n.article, n.start)))
        conflicts.append(Conflict(topic=topic, claims=claims, note=note))
    return conflicts, updates


def _is_update(ns: Sequence[NumberMention], context: Callable[[NumberMention], str],
               published: dict[str, str | None]) -> bool:
    days: dict[str, list[NumberMention]] = defaultdict(list)
    for n in ns:
        day = (published.get(n.article) or "")[:10]
        if len(day) < 10:
            return False  # an undated report cannot be placed in a series
        days[day].append(n)
    if len(days) < 2:
        return False
    seen: list[NumberMention] = []
    for day in sorted(days):
        today = days[day]
        if any(not _compatible(a, b) for i, a in enumerate(today) for b in today[i + 1:]):
            return False  # the same day disagrees with itself: a conflict
        new = [n for n in today if seen and not any(_compatible(n, o) for o in seen)]
        if new and not any(_CHANGE.search(context(n)) for n in new):
            return False  # a new figure nobody says is a change
        seen = today
    return True


def _changes(series: Sequence[UpdatePoint]) -> list[UpdatePoint]:
    """The points where the value differs from the one before (the series as a reader reads it)."""
    out: list[UpdatePoint] = []
    for p in series:
        if not out or p.value != out[-1].value:
            out.append(p)
    return out


def _fmt(v):
    return int(v) if float(v).is_integer() else v


def title_holders(claims: Sequence[Claim], entities: Sequence[Entity]) -> dict[str, Counter]:
    """For each title, how often each entity is given it."""
    out: dict[str, Counter] = defaultdict(Counter)
    for c in claims:
        if c.kind == "role":
            ent = match_entity(c.subject, tuple(entities))
            if ent is not None:
                out[c.value][ent.id] += 1
    return out


def _resolve_subject(subject: str, entities, holders) -> Entity | None:
    ent = match_entity(subject, tuple(entities))
    if ent is not None:
        return ent
    low = fold(subject)
    for title, counter in holders.items():
        words = set(title.split())
        if title in low or (title == "prime minister" and re.search(r"\bpm\b", low)) or \
                words <= set(low.split()):
            eid = counter.most_common(1)[0][0]
            return next((e for e in entities if e.id == eid), None)
    return None


def state_conflicts(claims: Sequence[Claim], entities: Sequence[Entity]) -> list[Conflict]:
    holders = title_holders(claims, entities)
    by_entity: dict[str, list[Claim]] = defaultdict(list)
    names = {}
    for c in claims:
        if c.kind != "state":
            continue
        ent = _resolve_subject(c.subject, entities, holders)
        if ent is None:
            continue
        by_entity[ent.id].append(c)
        names[ent.id] = ent.name
    out = []
    for eid, cs in by_entity.items():
        values = {c.value for c in cs}
        if values != {"harmed", "unharmed"}:
            continue
        seen = set()
        items = []
        for c in sorted(cs, key=lambda c: (c.article, c.start)):
            if (c.article, c.start, c.value) in seen:
                continue
            seen.add((c.article, c.start, c.value))
            items.append(ConflictClaim(c.value, c.text, c.article, c.start, c.end))
        n_h = sum(1 for c in items if c.value == "harmed")
        out.append(Conflict(
            topic=f"whether {names[eid]} was hurt", claims=tuple(items),
            note=f"{len(items) - n_h} statements say unharmed, {n_h} say hurt or treated"))
    return out


def role_conflicts(claims: Sequence[Claim], entities: Sequence[Entity]) -> list[Conflict]:
    by_title: dict[str, list[tuple[Claim, Entity]]] = defaultdict(list)
    for c in claims:
        if c.kind != "role":
            continue
        ent = match_entity(c.subject, tuple(entities))
        if ent is not None and ent.type == "PERSON":
            by_title[c.value].append((c, ent))
    out = []
    for title, pairs in by_title.items():
        # Titles with different country words ("Iraqi" vs "US") are different offices.
        quals = {_qual(c.qualifier) for c, _ in pairs} - {None}
        if len(quals) > 1:
            continue
        holders = Counter(e.id for _, e in pairs)
        if len(holders) < 2:
            continue
        main_id = holders.most_common(1)[0][0]
        main = next(e for _, e in pairs if e.id == main_id)
        others = sorted({e.name for _, e in pairs if e.id != main_id})
        raw_quals = Counter(re.sub(r"(?:’s|'s)$", "", c.qualifier) for c, _ in pairs
                            if _qual(c.qualifier))
        qual = raw_quals.most_common(1)[0][0] if raw_quals else ""
        claims_out = tuple(ConflictClaim(e.name, c.text, c.article, c.start, c.end)
                           for c, e in sorted(pairs, key=lambda p: (p[0].article, p[0].start)))
        out.append(Conflict(
            topic=f"who is {(qual + ' ') if qual else ''}{title}".strip(), claims=claims_out,
            note=f"{main.name} is called {title} {holders[main_id]} times; "
                 f"{', '.join(others)} also called {title}"))
    return out


def _qual(q: str | None) -> str | None:
    if not q:
        return None
    q = re.sub(r"(?:’s|'s)$", "", q).strip()
    if not q[:1].isupper() or q.lower() in {"the", "former", "then"}:
        return None
    return q[:4].lower()


# Above this many quotes in a story, only quotes that share a three-word run are compared (two
# renderings of one quote at ratio 85 or more share one in practice); below it, every pair.
QUOTE_BLOCK_FROM = 400


def quote_conflicts(quotes: Sequence[Quote]) -> list[Conflict]:
    """The same words given to different speakers in different articles."""
    out = []
    qs = [q for q in quotes if q.speaker_entity and len(q.text.split()) >= 6]
    norm = [_norm(q.text) for q in qs]
    used = set()
    for i, j in _quote_pairs(norm):
        a, b = qs[i], qs[j]
        if a.article == b.article or a.speaker_entity == b.speaker_entity:
            continue
        key = tuple(sorted([(a.article, a.start), (b.article, b.start)]))
        if key in used:
            continue
        if fuzz.ratio(norm[i], norm[j], score_cutoff=85) or (
                min(len(a.text), len(b.text)) >= 40
                and fuzz.partial_ratio(norm[i], norm[j], score_cutoff=92)):
            used.add(key)
            short = " ".join(a.text.split()[:10]) + ("…" if len(a.text.split()) > 10 else "")
            out.append(Conflict(
                topic=f"who said “{short}”",
                claims=(ConflictClaim(a.speaker or "", a.text, a.article, a.start, a.end),
                        ConflictClaim(b.speaker or "", b.text, b.article, b.start, b.end)),
                note=f"attributed to {a.speaker} in {a.article} and to {b.speaker} in {b.article}"))
    return out


def _quote_pairs(norm: Sequence[str]):
    """(i, j), i < j, in order: every pair, or for many quotes those sharing a three-word run."""
    n = len(norm)
    if n <= QUOTE_BLOCK_FROM:
        return ((i, j) for i in range(n) for j in range(i + 1, n))
    runs: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, t in enumerate(norm):
        w = t.split()
        for run in {tuple(w[k:k + 3]) for k in range(len(w) - 2)}:
            runs[run].append(i)
    pairs = {(i, j) for idx in runs.values() if len(idx) < n // 4 or len(idx) < 50
             for x, i in enumerate(idx) for j in idx[x + 1:]}
    return sorted(pairs)


def _norm(t: str) -> str:
    return " ".join(fold(t).replace("’", "'").replace("‘", "'").split())
