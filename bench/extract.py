"""Extraction benchmark: a report's quotes (speakers, ``reported_by``), numbers, times, multi-alias
entities, copy links, boilerplate and story titles scored against any gold file of the shape of
../shared/gold/seeds.json or concorde.json (issue #20).

    python bench/extract.py --gold ../shared/gold/concorde.json [--gold ...] \
        [--report FILE.json] [--mode default|single] [--json] [--errors]

Without --report the input is built and the real CLI run as bench/claims.py does (its
``build_input`` and ``analyze``). All stories of the report are scored together.

Figures (``score()``; ``run()`` adds the run's seconds):
- ``quote_recall``: gold quotes other than ``kind: scare_quote`` that a report quote covers. Gold
  quotes are located in the article by their text (quote marks, case and whitespace folded; the
  k-th entry with the same text takes the k-th occurrence). A report quote covers one when it
  overlaps at least 60% of the gold span and gold quotes fill at least 60% of it, so a report
  that joins a quote split by its reporting clause covers both parts, while a run-on quote that
  swallows text outside any quote covers nothing. ``scare_quotes_as_quotes``: gold scare quotes
  the report lists as quotes (apart: they are not speech).
- ``speaker_accuracy``: of the quotes found, the share whose speaker is right (see
  ``speaker_matches``); ``reported_by``: of the found quotes gold gives a relaying outlet, those
  whose ``reported_by`` matches by the same rule.
- ``number_recall``: gold numeric claims such that a report number in the article has the same
  value and overlaps an occurrence of the gold text; ``number_recall_numerals`` leaves out
  gold's ``implicit`` ones ("an hour", "a day after").
- ``time_recall`` / ``time_value_accuracy``: gold time expressions are placed by their offsets
  (raw input) mapped through the report's segments into the cleaned text; those in text gold
  calls non-body (publication metadata, caption, boilerplate, inline datelines) are left out.
  Recall: a report time overlaps it; accuracy: of those, one has gold's value (``normalized``, or
  ``normalized_datetime``, or that datetime at coarser precision, "…T16:44" for "…T16:44:22";
  values equal up to TIMEX3 notation as bench/timebank.py compares them: "199X" = "199");
  ``time_value_recall`` is both at once.
- ``aliases_grouped``: gold entities with two or more aliases (case folded) grouped in every
  story where two or more of their aliases are present (word-bounded in the story's text, in the
  entity's gold docs, not only inside a longer alias of it): the present aliases the report
  recognises, two or more, all sit in one report entity of that story (bench/seeds.py's rule,
  made per story and limited to aliases the cleaned text holds, so that "PARIS" in a removed
  dateline is not asked for); ``aliases_grouped_all_found`` also needs every present alias
  recognised (the literal "all aliases land in one entity"); ``aliases_grouped_named`` leaves
  out ``generic`` and EVENT entities, as bench/seeds.py does; ``entities_mixing_two_gold``:
  report entities holding aliases of two gold entities (an alias two gold entities share,
  "French", says nothing).
- ``copies_found``: gold reuse pairs that count as one source everywhere (``counts_as_one_source``
  without a ``scope``) linked as ``copy``; ``false_copy_links``: ``copy`` links between articles
  no gold reuse entry counts as one source (a scoped pair is not false, only not required).
- ``boilerplate_removed``: gold boilerplate lines absent from the cleaned text and removed whole.
- ``titles_headline``: stories whose title is a headline: it equals (or, shortened with "…",
  starts) a gold document headline or the report title of one of its articles, or the first
  sentence of one of its articles, and it is neither markup residue ("&HT;": an ``&name;``
  entity, a tag, or no letters), a dateline ("PARIS (AP) --", "LONDON _", a gold dateline) nor a
  byline ("By ...").
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import claims  # noqa: E402  (bench/claims.py: build_input, analyze, locate)
from timebank import same_value  # noqa: E402  (TIMEX3 notation: 199X = 199, W7 = W07)

MODES = claims.MODES

# ---------------------------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------------------------

_MARKS = str.maketrans({"‘": "'", "’": "'", "`": "'", "“": '"', "”": '"', "„": '"'})
# Words that say nothing about who spoke: articles, pronouns, particles of names.
_PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "us", "one",
             "someone", "somebody", "who", "this", "that", "these", "those"}
_STOP = {"a", "an", "the", "of", "for", "at", "in", "on", "to", "and", "his", "her", "its",
         "their", "s", "al", "el"}
# A gold name that is no gold entity is taken for a person (surname match) unless it ends so.
_ORG_WORDS = {"authority", "office", "bureau", "agency", "ministry", "police", "airlines",
              "airways", "company", "co", "corp", "inc", "ltd", "plc", "association", "council",
              "committee", "court", "university", "news", "press", "times", "service", "mission",
              "government", "department", "board", "commission", "union", "party", "group"}


def fold(text: str) -> str:
    """Case, accents, curly quotes and whitespace runs folded: how names are compared."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_MARKS)
    return " ".join(text.casefold().split())


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^\w]+", fold(text)) if w]


def _stem(key: str) -> str:
    # Gold keys are file names ("APW20000725.0129.txt"); report ids drop the extension.
    return key.rsplit(".", 1)[0]


def _ratio(k: int, n: int) -> float | None:
    return round(k / n, 3) if n else None


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


# ---------------------------------------------------------------------------------------------
# Speakers
# ---------------------------------------------------------------------------------------------


class GoldNames:
    """The gold entities by every name they go by, to compare a report name with a gold one."""

    def __init__(self, entities: list[dict]):
        self.by_name: dict[str, dict] = {}
        for e in entities:
            for name in [e["canonical"], *e.get("aliases", [])]:
                self.by_name.setdefault(fold(name), e)

    def entity(self, name: str) -> dict | None:
        return self.by_name.get(fold(name))


def _same_name(a: str, b: str, person: bool) -> bool:
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return True
    ta = [t for t in re.split(r"[\s\-]+", fa) if t not in _STOP]
    tb = [t for t in re.split(r"[\s\-]+", fb) if t not in _STOP]
    # Surnames only for people: "Civil Aviation Authority" is not "Palestinian Authority".
    if person and ta and tb and ta[-1] == tb[-1]:
        return True
    # An acronym inside the other's expansion ("BEA" / "Bureau of Accident Investigation (BEA)").
    ua, ub = a.replace(".", ""), b.replace(".", "")
    return (len(ua) > 1 and ua.isupper() and re.search(rf"\b{re.escape(ua)}\b", b) is not None) or \
        (len(ub) > 1 and ub.isupper() and re.search(rf"\b{re.escape(ub)}\b", a) is not None)


def _describes(ours: str, descriptions: list[str]) -> bool:
    """Whether ``ours`` is a non-pronoun noun phrase whose head (last content word) is one of the
    descriptions' words ("the chief navigator" for "the Concorde's navigator")."""
    words = [w for w in _words(ours) if w not in _STOP]
    if not words or all(w in _PRONOUNS for w in words) or len(words[-1]) < 3:
        return False
    pool = {w for d in descriptions for w in _words(re.sub(r"\([^()]*\)", " ", d))} - _STOP
    return words[-1] in pool


def speaker_matches(ours: str | None, gold: str | None, names: GoldNames, doc: str) -> bool:
    """Whether the report's speaker (or relaying outlet) ``ours`` is gold's ``gold`` in ``doc``.

    The rule:
    - a gold name that is a gold entity with aliases: ``ours`` matches its canonical name or an
      alias loosely (case and accents folded; for people the surname alone; an acronym inside
      the other's expansion). Where the entity is not named in ``doc`` (gold lists the document
      under ``nominal_only_docs``, as for the copilot Jean Marcot in AP's transcript story), a
      noun phrase whose head is a word of one of its ``nominal_mentions`` is right too;
    - an entity with no aliases (the control tower, the unnamed flight engineer) or a descriptive
      string not naming an entity (lower case or opening with an article: "a priest (at the
      Madeleine Church service)"): ``ours`` is a noun phrase, not a pronoun, whose last content
      word is a word of the description or of the entity's ``nominal_mentions`` (parenthesised
      asides left out);
    - any other gold string is a name and is compared loosely as above (by surname unless its
      last word is an organisation's: "Authority", "Office", "Airlines" ...).
    """
    if not ours or not gold:
        return False
    ent = names.entity(gold)
    if ent is not None and ent.get("aliases"):
        person = ent.get("type") == "PERSON"
        if any(_same_name(ours, n, person) for n in [ent["canonical"], *ent["aliases"]]):
            return True
        unnamed_here = doc in ent.get("nominal_only_docs", [])
        return unnamed_here and _describes(ours, ent.get("nominal_mentions", []))
    if ent is not None:
        return _describes(ours, [ent["canonical"], *ent.get("nominal_mentions", [])])
    first = gold.split()[0]
    if gold[0].islower() or first.casefold() in {"a", "an", "the", "one"}:
        return _describes(ours, [gold])
    return _same_name(ours, gold, person=_words(gold)[-1] not in _ORG_WORDS)


# ---------------------------------------------------------------------------------------------
# Scoring, one figure family at a time
# ---------------------------------------------------------------------------------------------


class _Doc:
    """One report article: cleaned text, and the map from raw-input offsets into it."""

    def __init__(self, art: dict):
        self.text: str = art.get("text", "")
        self.title: str | None = art.get("title")
        self.sentences = [(s["start"], s["end"]) for s in art.get("sentences", [])]
        self.segments = art.get("segments") or []
        self.removed = [r.get("text", "").strip() for r in art.get("removed", [])]

    def from_raw(self, start: int, end: int, phrase: str) -> tuple[int, int] | None:
        """The cleaned-text range of raw ``start:end``; without segments, the occurrence of
        ``phrase`` nearest ``start``. None when cleaning took it out."""
        if self.segments:
            for sg in self.segments:
                if sg["raw_start"] <= start and end <= sg["raw_start"] + sg["length"]:
                    s = sg["start"] + start - sg["raw_start"]
                    return s, s + end - start
            return None
        found = claims.locate(self.text, phrase)
        return min(found, key=lambda r: abs(r[0] - start)) if found else None


def _by_article(stories: list[dict], key: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for s in stories:
        for item in s.get(key, []):
            out[item["article"]].append(item)
    return out


def _score_quotes(docs, stories, gold, names) -> dict:
    quotes = _by_article(stories, "quotes")
    # Gold quotes per article with their located ranges (k-th same text -> k-th occurrence).
    seen: dict[tuple[str, str], int] = defaultdict(int)
    placed = []
    for g in gold.get("quotes", []):
        aid = _stem(g["doc"])
        ranges = claims.locate(docs[aid].text, g["text"]) if aid in docs else []
        k = seen[(aid, fold(g["text"]))]
        seen[(aid, fold(g["text"]))] += 1
        placed.append((g, aid, ranges[min(k, len(ranges) - 1)] if ranges else None))
    gold_spans = defaultdict(list)
    for _, aid, rng in placed:
        if rng:
            gold_spans[aid].append(rng)

    # 0.6: bench/seeds.py's length ratio for a quote that matches by containment.
    def cover(aid, rng):
        best, best_ov = None, 0
        for q in quotes.get(aid, []):
            qr = (q["start"], q["end"])
            ov = _overlap(qr, rng)
            filled = sum(_overlap(qr, r) for r in gold_spans[aid])
            if ov >= 0.6 * (rng[1] - rng[0]) and filled >= 0.6 * (qr[1] - qr[0]) and ov > best_ov:
                best, best_ov = q, ov
        return best

    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    found = spk = rep = rep_n = spurious_rep = 0
    missed, wrong_spk, wrong_rep, scare = [], [], [], []
    for g, aid, rng in placed:
        q = cover(aid, rng) if rng else None
        where = f"{aid}: {g['text'][:70]!r}"
        if g.get("kind") == "scare_quote":
            scare.append({"quote": where, "as_quote": q is not None,
                          "speaker": q.get("speaker") if q else None})
            continue
        kinds[g.get("kind", "full")][1] += 1
        if q is None:
            missed.append(where + ("" if rng else " (text not in the report article)"))
            continue
        found += 1
        kinds[g.get("kind", "full")][0] += 1
        if speaker_matches(q.get("speaker"), g["speaker"], names, g["doc"]):
            spk += 1
        else:
            wrong_spk.append(f"{where}: report {q.get('speaker')!r}, gold {g['speaker']!r}")
        if g.get("reported_by"):
            rep_n += 1
            if speaker_matches(q.get("reported_by"), g["reported_by"], names, g["doc"]):
                rep += 1
            else:
                wrong_rep.append(f"{where}: report {q.get('reported_by')!r}, "
                                 f"gold {g['reported_by']!r}")
        elif q.get("reported_by"):
            spurious_rep += 1
    n = sum(v[1] for v in kinds.values())
    as_quote = sum(s["as_quote"] for s in scare)
    return {
        "quote_recall": _ratio(found, n), "speaker_accuracy": _ratio(spk, found),
        "reported_by": _ratio(rep, rep_n), "reported_by_spurious": spurious_rep,
        "scare_quotes_as_quotes": f"{as_quote}/{len(scare)}",
        "counts": {"quote_recall": f"{found}/{n}", "speaker_accuracy": f"{spk}/{found}",
                   "reported_by": f"{rep}/{rep_n}",
                   **{f"quote_recall_{k}": f"{v[0]}/{v[1]}" for k, v in sorted(kinds.items())}},
        "errors": {"quotes_missed": missed, "speakers_wrong": wrong_spk,
                   "reported_by_wrong": wrong_rep,
                   "scare_quotes": [f"{s['quote']}: listed as a quote, speaker {s['speaker']!r}"
                                    for s in scare if s["as_quote"]]},
    }


def _same_value(a, b) -> bool:
    try:
        return abs(float(a) - float(b)) <= 1e-3 * max(1.0, abs(float(b)))
    except (TypeError, ValueError):
        return False


def _score_numbers(docs, stories, gold) -> dict:
    numbers = _by_article(stories, "numbers")
    hit = hit_strict = n_strict = 0
    misses = []
    claims_ = gold.get("numeric_claims", [])
    for g in claims_:
        ok, near, located = False, set(), False
        for d in g["docs"]:
            aid = _stem(d)
            ranges = claims.locate(docs[aid].text, g["text"]) if aid in docs else []
            located = located or bool(ranges)
            for m in numbers.get(aid, []):
                if any(_overlap((m["start"], m["end"]), r) for r in ranges):
                    near.add(m.get("value"))
                    ok = ok or _same_value(m.get("value"), g["value"])
        hit += ok
        if not g.get("implicit"):
            n_strict += 1
            hit_strict += ok
        if not ok:
            why = ("text not in the report article" if not located else
                   f"report values there {sorted(near, key=str)}" if near else "no report number there")
            misses.append(f"{g['docs'][0] if len(g['docs']) == 1 else g['docs']}: "
                          f"{g['text']!r} = {g['value']}{' (implicit)' if g.get('implicit') else ''}"
                          f" - {why}")
    return {"number_recall": _ratio(hit, len(claims_)),
            "number_recall_numerals": _ratio(hit_strict, n_strict),
            "counts": {"number_recall": f"{hit}/{len(claims_)}",
                       "number_recall_numerals": f"{hit_strict}/{n_strict}"},
            "errors": {"numbers_missed": misses}}


def _non_body(doc_gold: dict) -> list[str]:
    # Lines gold says are not body text: a time inside them is not the extractor's to find.
    return [x for k in ("metadata_lines", "caption_lines", "boilerplate_lines", "inline_non_content")
            for x in doc_gold.get(k, []) if x]


def _time_value_ok(value: str | None, g: dict) -> bool:
    if not value:
        return False
    dt = g.get("normalized_datetime") or ""
    return (same_value(value, g["normalized"]) or value == dt
            or ("T" in value and dt.startswith(value)))


def _score_times(docs, stories, gold) -> dict:
    times = _by_article(stories, "times")
    documents = gold.get("documents", {})
    located = matched = correct = 0
    outside, missed, wrong = [], [], []
    for g in gold.get("time_expressions", []):
        aid = _stem(g["doc"])
        where = f"{aid}: {g['text']!r} ({g['normalized']})"
        rng = docs[aid].from_raw(g["start"], g["end"], g["text"]) if aid in docs else None
        if rng is None and (g.get("role") == "publication_metadata" or
                            any(g["text"] in line for line in _non_body(documents.get(g["doc"], {})))):
            outside.append(where)
            continue
        located += 1
        if rng is None:
            missed.append(where + " - text lost in cleaning")
            continue
        cands = [t for t in times.get(aid, []) if _overlap((t["start"], t["end"]), rng)]
        if not cands:
            missed.append(where)
            continue
        matched += 1
        if any(_time_value_ok(t.get("value"), g) for t in cands):
            correct += 1
        else:
            wrong.append(f"{where}: report {[(t['text'], t.get('value')) for t in cands]}")
    return {"time_recall": _ratio(matched, located), "time_value_accuracy": _ratio(correct, matched),
            "time_value_recall": _ratio(correct, located),
            "counts": {"time_recall": f"{matched}/{located}",
                       "time_value_accuracy": f"{correct}/{matched}",
                       "time_value_recall": f"{correct}/{located}"},
            "errors": {"times_missed": missed, "times_wrong_value": wrong,
                       "times_outside_body": outside}}


def _present(text: str, aliases: list[str]) -> set[str]:
    """Folded aliases occurring word-bounded in ``text`` outside a longer alias's occurrence."""
    spans = {a: [m.span() for m in re.finditer(rf"(?<!\w){re.escape(a)}(?!\w)", text)]
             for a in aliases}
    out = set()
    for a, occ in spans.items():
        longer = [s for b, o in spans.items() if len(b) > len(a) for s in o]
        if any(not any(ls <= s and e <= le for ls, le in longer) for s, e in occ):
            out.add(fold(a))
    return out


def _score_entities(docs, stories, gold) -> dict:
    gold_ents = gold.get("entities", [])
    owners: dict[str, set[int]] = defaultdict(set)
    for i, g in enumerate(gold_ents):
        for a in g.get("aliases", []):
            owners[fold(a)].add(i)
    multi = [i for i, g in enumerate(gold_ents) if len({fold(a) for a in g.get("aliases", [])}) >= 2]
    tested, split, unrecognised = set(), defaultdict(list), defaultdict(list)
    for s in stories:
        rep_ents = [(e.get("name"), {fold(x) for x in [e.get("name", ""), *e.get("aliases", [])]})
                    for e in s.get("entities", [])]
        for i in multi:
            g = gold_ents[i]
            gdocs = {_stem(d) for d in g.get("docs", [])}
            here = set()
            for aid in s.get("articles", []):
                if aid in gdocs and aid in docs:
                    here |= _present(docs[aid].text, g["aliases"])
            if len(here) < 2:
                continue
            tested.add(i)
            holders = {k for k, (_, al) in enumerate(rep_ents) if here & al}
            known = {a for a in here if any(a in al for _, al in rep_ents)}
            where = f"{s.get('id')}: " + "; ".join(
                f"{a!r} in {[n for n, al in rep_ents if a in al] or 'none'}" for a in sorted(here))
            # bench/seeds.py's rule: the aliases the report recognised (two or more) sit in one
            # entity; a present alias no entity holds is a recognition miss, kept apart.
            if len(holders) != 1 or len(known) < 2:
                split[i].append(where)
            elif known != here:
                unrecognised[i].append(where)
    grouped = tested - set(split)
    strict = grouped - set(unrecognised)
    named = {i for i in tested if not gold_ents[i].get("generic") and gold_ents[i]["type"] != "EVENT"}
    mixing = []
    for s in stories:
        for e in s.get("entities", []):
            als = {fold(x) for x in [e.get("name", ""), *e.get("aliases", [])]}
            gs = {next(iter(owners[a])) for a in als if len(owners.get(a, ())) == 1}
            if len(gs) >= 2:
                mixing.append(f"{s.get('id')}: {e.get('name')!r} holds "
                              f"{sorted(gold_ents[i]['canonical'] for i in gs)}")

    def listed(d):
        return [f"{gold_ents[i]['canonical']}: {w}" for i in sorted(d) for w in d[i]]
    return {"aliases_grouped": _ratio(len(grouped), len(tested)),
            "aliases_grouped_named": _ratio(len(grouped & named), len(named)),
            "aliases_grouped_all_found": _ratio(len(strict), len(tested)),
            "entities_mixing_two_gold": len(mixing),
            "counts": {"aliases_grouped": f"{len(grouped)}/{len(tested)}",
                       "aliases_grouped_named": f"{len(grouped & named)}/{len(named)}",
                       "aliases_grouped_all_found": f"{len(strict)}/{len(tested)}"},
            "errors": {"aliases_not_grouped": listed(split),
                       "aliases_unrecognised": listed({i: w for i, w in unrecognised.items()
                                                       if i not in split}),
                       "entities_mixing": mixing,
                       "aliases_untested": [gold_ents[i]["canonical"] for i in multi
                                            if i not in tested]}}


def _score_copies(stories, gold) -> dict:
    pair = lambda docs: frozenset(_stem(d) for d in docs)  # noqa: E731
    one_source = [r for r in gold.get("reuse", []) if r.get("counts_as_one_source")]
    required = {pair(r["docs"]) for r in one_source if not r.get("scope")}
    allowed = {pair(r["docs"]) for r in one_source}
    links = {frozenset(r["articles"]) for s in stories for r in s.get("reuse", [])
             if r.get("kind") == "copy"}
    false = sorted(sorted(p) for p in links - allowed)
    return {"copies_found": _ratio(len(required & links), len(required)),
            "false_copy_links": len(false),
            "counts": {"copies_found": f"{len(required & links)}/{len(required)}"},
            "errors": {"copies_missed": sorted(sorted(p) for p in required - links),
                       "false_copy_links": false}}


def _score_boilerplate(docs, gold) -> dict:
    ok, n, kept = 0, 0, []
    for key, d in gold.get("documents", {}).items():
        aid = _stem(key)
        for line in d.get("boilerplate_lines", []):
            n += 1
            if aid in docs and line not in docs[aid].text and line.strip() in docs[aid].removed:
                ok += 1
            else:
                kept.append(f"{aid}: {line!r}")
    return {"boilerplate_removed": _ratio(ok, n), "counts": {"boilerplate_removed": f"{ok}/{n}"},
            "errors": {"boilerplate_kept": kept}}


_RESIDUE = re.compile(r"&#?\w+;|<[^>]+>")
_DATELINE = re.compile(r"^[A-Z][A-Z .,'\-]+(,\s*[A-Z][\w .]+)?\s*(\([A-Za-z]+\)\s*)?(--|_|-|—)")
_BYLINE = re.compile(r"^by\s+\w", re.I)


def title_kind(title: str, headlines: list[str], leads: list[str], datelines: list[str]) -> str:
    """``headline``, ``lead`` (an article's first sentence), or why the title is not one:
    ``residue``, ``dateline``, ``byline``, ``other``."""
    t = " ".join(title.split())
    if not re.search(r"[^\W\d_]", _RESIDUE.sub("", t)) or _RESIDUE.fullmatch(t):
        return "residue"
    if _DATELINE.match(t) or any(d and fold(t).startswith(fold(d)) and
                                 len(fold(t)) <= len(fold(d)) + 3 for d in datelines):
        return "dateline"
    if _BYLINE.match(t):
        return "byline"

    def same(cand: str) -> bool:
        c = fold(cand)
        ft = fold(t)
        # fold() spells "…" (a shortened title's mark) as "...".
        return ft == c or (ft.endswith("...") and c.startswith(ft[:-3].rstrip()))
    if any(same(h) for h in headlines):
        return "headline"
    if any(same(s) for s in leads):
        return "lead"
    return "other"


def _score_titles(docs, stories, gold) -> dict:
    documents = {_stem(k): v for k, v in gold.get("documents", {}).items()}
    good, bad = 0, []
    for s in stories:
        arts = [a for a in s.get("articles", []) if a in docs]
        heads = [h for a in arts for h in (documents.get(a, {}).get("headline"), docs[a].title)
                 if h and not _RESIDUE.search(h)]
        leads = [docs[a].text[st:en] for a in arts for st, en in docs[a].sentences[:1]]
        datelines = [x for a in arts for x in (documents.get(a, {}).get("dateline"),
                                               *documents.get(a, {}).get("inline_non_content", []))
                     if x]
        kind = title_kind(s.get("title") or "", heads, leads, datelines)
        if kind in {"headline", "lead"}:
            good += 1
        else:
            bad.append(f"{s.get('id')} {arts}: {s.get('title')!r} ({kind})")
    return {"titles_headline": _ratio(good, len(stories)),
            "counts": {"titles_headline": f"{good}/{len(stories)}"},
            "errors": {"titles_not_headline": bad}}


def score(report: dict, gold: dict) -> dict:
    """Score a report's extraction against a gold file.

    Args:
        report: the JSON report (``newsweave analyze --format json``); all stories together.
        gold: a gold dict of the seeds/concorde shape (``quotes``, ``numeric_claims``,
            ``time_expressions``, ``entities``, ``reuse``, ``documents``).

    Returns:
        The figures named in the module docstring, ``counts`` behind each share and ``errors``
        (the misses a developer reads, by kind).
    """
    docs = {a["id"]: _Doc(a) for a in report.get("articles", [])}
    stories = report.get("stories", [])
    names = GoldNames(gold.get("entities", []))
    out: dict = {"stories": len(stories), "counts": {}, "errors": {}}
    for part in (_score_quotes(docs, stories, gold, names), _score_numbers(docs, stories, gold),
                 _score_times(docs, stories, gold), _score_entities(docs, stories, gold),
                 _score_copies(stories, gold), _score_boilerplate(docs, gold),
                 _score_titles(docs, stories, gold)):
        out["counts"].update(part.pop("counts"))
        out["errors"].update(part.pop("errors"))
        out.update(part)
    return out


def run(gold_path: Path | str, mode: str = "default") -> dict:
    """Analyze the gold file's input with the real CLI in ``mode`` (``claims.gold_report``) and
    score it: ``score()``'s figures plus ``seconds`` (the CLI's wall time)."""
    gold, report, seconds = claims.gold_report(gold_path, mode)
    return {**score(report, gold), "seconds": seconds}


# ---------------------------------------------------------------------------------------------
# Printing
# ---------------------------------------------------------------------------------------------

_ROWS = [("stories", None), ("quote_recall", "quote_recall"),
         ("  full", "quote_recall_full"), ("  partial", "quote_recall_partial"),
         ("scare_quotes_as_quotes", None), ("speaker_accuracy", "speaker_accuracy"),
         ("reported_by", "reported_by"), ("reported_by_spurious", None),
         ("number_recall", "number_recall"), ("number_recall_numerals", "number_recall_numerals"),
         ("time_recall", "time_recall"), ("time_value_accuracy", "time_value_accuracy"),
         ("time_value_recall", "time_value_recall"), ("aliases_grouped", "aliases_grouped"),
         ("aliases_grouped_named", "aliases_grouped_named"),
         ("aliases_grouped_all_found", "aliases_grouped_all_found"),
         ("entities_mixing_two_gold", None), ("copies_found", "copies_found"),
         ("false_copy_links", None), ("boilerplate_removed", "boilerplate_removed"),
         ("titles_headline", "titles_headline"), ("seconds", None)]


def _cell(res: dict, key: str, count: str | None) -> str:
    if key.startswith("  "):
        return res["counts"].get(count, "-")
    v = res.get(key)
    text = "-" if v is None else str(v)
    return f"{text} ({res['counts'][count]})" if count and count in res["counts"] else text


def print_table(results: dict[str, dict], errors: bool = False) -> None:
    """Print one column per "gold:mode"; with ``errors``, each column's misses after."""
    cols = list(results)
    width = max(22, *(len(c) + 2 for c in cols))
    print(f"{'figure':26s}" + "".join(f"{c:>{width}s}" for c in cols))
    for key, count in _ROWS:
        if key.startswith("  ") or any(key in r for r in results.values()):
            print(f"{key:26s}" + "".join(f"{_cell(results[c], key, count):>{width}s}" for c in cols))
    if not errors:
        return
    for col, res in results.items():
        print(f"\n== {col}")
        for kind, items in res["errors"].items():
            for item in items:
                print(f"  {kind}: {item}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, action="append", required=True,
                    help="gold file (repeat for several)")
    ap.add_argument("--report", type=Path, help="score this report instead of running the CLI")
    ap.add_argument("--mode", choices=MODES, default="default")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--errors", action="store_true", help="list the misses after the table")
    args = ap.parse_args()
    if args.report and len(args.gold) > 1:
        ap.error("--report scores one report: give one --gold")
    results: dict[str, dict] = {}
    for gold_path in args.gold:
        if args.report:
            gold = json.loads(gold_path.read_text("utf-8"))
            results[f"{gold_path.stem}:report"] = score(json.loads(args.report.read_text("utf-8")), gold)
        else:
            results[f"{gold_path.stem}:{args.mode}"] = run(gold_path, args.mode)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        print_table(results, args.errors)


if __name__ == "__main__":
    main()
