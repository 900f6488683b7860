"""What time expressions look like: the rule table the tagger runs.

A rule (``Rule``) is a regular expression, the words a match can begin with (``starts``), an
optional check against false alarms ("May" the verb, "a 6-year-old", "$1 billion a year"), what
the merge pass may join it with (``kind``), and a resolver that turns a match into a TIMEX3 type
and value. Overlapping matches are settled in ``times.py``: the longest wins, and between equal
lengths the rule listed first, so the order of ``RULES`` matters.

The resolvers of expressions that name their own date or length ("March 12", "Sunday", "the
1990s", "the third quarter", "2:30 p.m.", "Christmas", "three weeks", "every month") are here: they
read the match and leave any arithmetic to the context. Those of expressions counted from a
reference ("yesterday", "last week", "two days ago", "the same day"), the context itself and the
calendar arithmetic are in ``time_resolve.py``.

Speed: each rule is tried only where a word it can start with begins (``starts``), so a text is
scanned once by a word regex instead of once per rule; tests/test_times.py checks the lists.

Re-run ``python bench/timebank.py`` and ``--seeds`` after changing a rule (figures in
``bench/RESULTS.md``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..nlp.calendar import MONTH_NUM, WEEKDAY_NUM
from .time_resolve import (
    CLOCK_UNITS, DECADE_WORD, NUMBER_WORD, ORDINAL, PART_OF_DAY, SEASON, UNIT_CODE, Match, Resolved, TimeContext,
    group_lower, group_text, holiday_date, iso_day, iso_week, month_of, parse_count, quarter_of,
    quarter_value, r_anaphoric, r_deictic, r_offset, r_part_of_day, r_quarter_rel, r_ref_day, r_the_year,
    r_unit_rel, r_weekday_ref, r_year_ago, r_year_end, safe_date, unit_name, vague_duration,
)


# --- regex pieces ----------------------------------------------------------------------------

_MON_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MON_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_MON = rf"(?P<mon>{_MON_FULL}|{_MON_ABBR})"
_DAY = r"(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)"
_YEAR = r"(?P<year>(?:1[6-9]|20)\d\d)(?!\d)"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_POS = r"(?:'s|’s)?"  # matched so the possessive can be trimmed off the span
_MOD = (r"(?:(?P<mod>(?i:early|late|mid|the\s+(?:end|beginning|start|middle|first\s+half|"
        r"second\s+half|last\s+half)\s+of))(?:-|\s+))?")
_REL = r"(?P<rel>(?i:this\s+past|this\s+coming|last|next|this|past|coming))"
_NUM_WORD = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(?:one|two|three|four|"
             r"five|six|seven|eight|nine)|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
             r"twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|"
             r"forty|fifty|sixty|seventy|eighty|ninety|hundred)")
_NUM = (rf"(?P<num>(?i:\d+(?:\.\d+)?|{_NUM_WORD}|a\s+couple\s+of|a\s+dozen|a\s+few|several|some|"
        r"few|many|a\s+number\s+of|dozens\s+of|an|a))")
_APPROX = (r"(?:(?P<approx>(?i:about|around|nearly|almost|roughly|approximately|some|more\s+than|"
           r"less\s+than|over|under|at\s+least|up\s+to))\s+)?")
_UNITS = (r"(?P<unit>(?i:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|century|centuries|"
          r"quarters?))(?![\w-])")
_TZ = r"(?:\s+(?:EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|CET|CEST|local\s+time|\(\d{4}\s+GMT\)))?"
_TENS = ("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty "
         "thirty forty fifty sixty seventy eighty ninety").split()


# --- resolvers of named dates, times and lengths ---------------------------------------------

def _r_iso(m: Match, ctx: TimeContext) -> Resolved:
    d = safe_date(int(m["year"]), int(m["m"]), int(m["day"]))
    if d is None:
        return None
    return ("TIME", f"{d.isoformat()}T{m['hh']}:{m['mi']}") if m["hh"] else ("DATE", d.isoformat())


def _r_slash(m: Match, ctx: TimeContext) -> Resolved:
    y = int(m["year"])
    y += 0 if y >= 100 else 1900 if y >= 30 else 2000
    d = safe_date(y, int(m["m"]), int(m["day"]))
    return ("DATE", d.isoformat()) if d else None


def _r_month_day(m: Match, ctx: TimeContext) -> Resolved:
    mon, day = month_of(m), int(m["day"])
    if m["year"]:
        d = safe_date(int(m["year"]), mon, day)
        value = d.isoformat() if d else None
    else:
        value = ctx.day_month(mon, day, m.start())
    if value and group_text(m, "weekof"):  # "the week of March 6"
        value = iso_week(safe_date(int(value[:4]), mon, day) if value[0].isdigit() else None)
    return ("DATE", value) if value else None


def _r_month_year(m: Match, ctx: TimeContext) -> Resolved:
    return "DATE", f"{int(m['year']):04d}-{month_of(m):02d}"


def _r_month(m: Match, ctx: TimeContext) -> Resolved:
    if yrel := group_lower(m, "yrel"):  # "July last year"
        y = ctx.year_of(yrel.split()[0], m.start())
        return "DATE", f"{y:04d}-{month_of(m):02d}" if y else f"XXXX-{month_of(m):02d}"
    return "DATE", ctx.month(month_of(m), m.start(), group_lower(m, "rel"))


def _r_weekday(m: Match, ctx: TimeContext) -> Resolved:
    return "DATE", ctx.weekday(WEEKDAY_NUM[group_text(m, "wd").lower()], m.start(), group_lower(m, "rel"))


def _r_decade(m: Match, ctx: TimeContext) -> Resolved:
    if m["dec"]:
        return "DATE", m["dec"][:3]
    if m["dec2"]:  # "the '80s": this century's decade unless it has not come yet
        d, a = int(m["dec2"][0]), ctx.anchor
        return "DATE", f"{19 if a is None or d * 10 > a.year % 100 else a.year // 100}{d}"
    return "DATE", f"19{DECADE_WORD[m['decw'].lower()]}"


def _r_century(m: Match, ctx: TimeContext) -> Resolved:
    if m["cnum"]:
        return "DATE", f"{int(m['cnum']) - 1:02d}"
    if ctx.anchor is None:
        return "DATE", "XX"
    rel = group_lower(m, "rel") or group_lower(m, "det")
    return "DATE", f"{ctx.anchor.year // 100 - (rel in ('last', 'past', 'previous')):02d}"


def _r_season(m: Match, ctx: TimeContext) -> Resolved:
    code = SEASON[group_text(m, "season").lower()]
    y = int(m["year"]) if m["year"] else ctx.year_of(group_lower(m, "rel"), m.start(), code)
    return "DATE", f"{y:04d}-{code}" if y is not None else f"XXXX-{code}"


def _r_quarter(m: Match, ctx: TimeContext) -> Resolved:
    """'the third quarter (of 1989)', 'third-quarter', 'this year's second quarter'."""
    q, a = ORDINAL[group_text(m, "ord").lower()], ctx.anchor
    if m["year"] or m["year2"]:
        y = int(m["year"] or m["year2"])
    elif group_text(m, "yrel"):
        y = ctx.year_of(group_lower(m, "yrel").split()[0], m.start())
    elif a is None:
        y = None
    else:  # a quarter not yet begun is last year's, unless the clause looks ahead
        y = a.year - (q > quarter_of(a)[1] and not ctx.future(m.start()))
    if group_text(m, "ago") and y is not None:
        y -= 1
        ctx.comparison = True
    return "DATE", quarter_value(y, q)


def _r_half(m: Match, ctx: TimeContext) -> Resolved:
    h = 1 if group_lower(m, "half") == "first" else 2
    y = int(m["year"]) if m["year"] else ctx.year_of((group_lower(m, "yrel").split() or [""])[0], m.start())
    return "DATE", f"{y:04d}-H{h}" if y is not None else f"XXXX-H{h}"


def _r_unquantified(m: Match, ctx: TimeContext) -> Resolved:
    """'weeks after', 'years ago', 'for days': a vague offset or duration."""
    if group_lower(m, "dir") == "ago":
        return "DATE", "PAST_REF"
    return "DURATION", vague_duration(unit_name(m))


def _r_duration(m: Match, ctx: TimeContext) -> Resolved:
    n, unit = parse_count(group_text(m, "num")), unit_name(m)
    if n == "X":
        return "DURATION", vague_duration(unit)
    count = str(n) if isinstance(n, int) else f"{n:g}"
    return "DURATION", f"P{'T' if unit in CLOCK_UNITS else ''}{count}{UNIT_CODE[unit]}"


def _r_set(m: Match, ctx: TimeContext) -> Resolved:
    unit = group_lower(m, "unit") or group_lower(m, "unit2")
    if unit in WEEKDAY_NUM:
        return "SET", f"XXXX-WXX-{WEEKDAY_NUM[unit] + 1}"
    if unit in PART_OF_DAY:
        return "SET", f"XXXX-XX-XXT{PART_OF_DAY[unit]}"
    return "SET", {"day": "P1D", "week": "P1W", "month": "P1M"}.get(unit, "P1Y")


def _ref(value: str) -> Callable[[Match, TimeContext], Resolved]:
    return lambda m, ctx: ("DATE", value)


def _r_clock(m: Match, ctx: TimeContext) -> Resolved:
    h, mi = int(m["h"]), int(m["mi"] or 0)
    ap, pod = group_lower(m, "ap").replace(".", ""), group_lower(m, "pod")
    if pod in ("afternoon", "evening") or (pod == "night" and h >= 6):
        ap = "pm"
    h = h + 12 if ap == "pm" and h < 12 else 0 if ap == "am" and h == 12 else h
    return "TIME", f"{iso_day(ctx.ref_day)}T{h:02d}:{mi:02d}"


def _r_named_time(m: Match, ctx: TimeContext) -> Resolved:
    tail = {"noon": "12:00", "midday": "12:00", "midnight": "24:00", "midafternoon": "AF",
            "midmorning": "MO", "dawn": "MO", "daybreak": "MO", "dusk": "EV"}
    word = group_lower(m, "nt").replace("-", "").replace(" ", "")
    return "TIME", f"{iso_day(ctx.ref_day)}T{tail[word]}"


def _r_holiday(m: Match, ctx: TimeContext) -> Resolved:
    name, a, rel = group_text(m, "hol"), ctx.anchor, group_lower(m, "rel")
    if m["year"] or a is None:
        d = holiday_date(name, int(m["year"])) if m["year"] else None
        return "DATE", d.isoformat() if d else "XXXX-XX-XX"
    cands = [d for y in (a.year - 1, a.year, a.year + 1) if (d := holiday_date(name, y))]
    if rel in ("next", "this coming", "coming"):
        return "DATE", next((d for d in cands if d > a), cands[-1]).isoformat()
    if rel in ("last", "this past", "past"):
        return "DATE", [d for d in cands if d < a][-1].isoformat()
    if rel == "this":
        return "DATE", cands[1].isoformat()
    return "DATE", cands[ctx.choose([(d - a).days for d in cands], m.start())].isoformat()


def _r_spelled_year(m: Match, ctx: TimeContext) -> Resolved:
    """Years read out in broadcast transcripts: 'nineteen ninety-six', 'the year two thousand'."""
    if not m["cen"]:
        return "DATE", "2000"
    ones = NUMBER_WORD[m["ones"].lower()] if m["ones"] else 0
    return "DATE", f"{1900 + NUMBER_WORD[m['tens'].lower()] + ones:04d}"


# --- checks: (match, text) -> keep? ----------------------------------------------------------

_A_RATE = re.compile(  # "twice a day", "$1 billion a year", "four flights a week"
    r"(?:\d|\b(?:once|twice|times|one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred|"
    r"thousand|million|billion))\S*(?:\s+\S+)?\s*$", re.I)


def _month_ok(m: Match, text: str) -> bool:
    """"May" and "March" are words too: alone they need a time-ish word before them."""
    if (group_text(m, "mon") not in ("May", "March") or group_text(m, "mod") or group_text(m, "rel")
            or group_text(m, "yrel")):
        return True
    return bool(re.search(r"\b(?:in|since|by|until|of|from|during|through|before|after|early|late|"
                          r"last|next|this|and|or|to|between)\s+$", text[max(0, m.start() - 12):m.start()],
                          re.I))


def _year_ok(m: Match, text: str) -> bool:
    """A bare four-digit number is a year unless it reads as a quantity."""
    if group_text(m, "fy") or group_text(m, "mod"):
        return True
    return not re.match(r"\s*(?:%|percent|per\s|-\d|[,.]\d)|\s+(?:people|troops|shares|tons|workers|"
                        r"jobs|units|members|soldiers|employees|votes|acres|miles)\b", text[m.end():m.end() + 12])


def _season_ok(m: Match, text: str) -> bool:
    """"fall" and "spring" are words too: alone they need "in", "this", a year..."""
    if group_text(m, "rel") or group_text(m, "year") or group_text(m, "mod"):
        return True
    before = text[max(0, m.start() - 10):m.start()].lower()
    return (bool(re.search(r"\b(?:in|into|during|over|this|by|until|since|through)\s+$", before))
            and not text.startswith(" of", m.end()))


def _duration_ok(m: Match, text: str) -> bool:
    """Not an age ("a 6-year-old"); "a month" only after "about", "for"..."""
    if re.match(r"[-\s]old\b", text[m.end():m.end() + 5], re.I):
        return False
    return group_lower(m, "num") not in ("a", "an") or bool(group_text(m, "approx") or group_text(m, "prep"))


def _offset_ok(m: Match, text: str) -> bool:
    """"for nearly a month after ..." is a duration, not an offset."""
    return not re.search(r"\b(?:for|within|over|in|during)\s+$", text[max(0, m.start() - 8):m.start()], re.I)


def _set_ok(m: Match, text: str) -> bool:
    """"a week" is a rate only after a count: "twice a week", "$1 billion a year"."""
    return not m.group(0).lower().startswith("a ") or bool(_A_RATE.search(text[max(0, m.start() - 30):m.start()]))


# --- rules -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """One rule of the table: a pattern, the words it can start with, and how a match resolves."""

    name: str
    pattern: re.Pattern[str]
    resolve: Callable[[Match, TimeContext], Resolved]
    starts: frozenset[str]  # words a match can begin with ("#d": digits, "#'": an apostrophe)
    kind: str = "other"  # weekday | date | dayref | time: what the merge pass may join
    check: Callable[[Match, str], bool] | None = None


def _rule(name, pattern, resolve, starts, kind="other", check=None) -> Rule:
    return Rule(name, re.compile(pattern), resolve, frozenset(starts.split()), kind, check)


_REL_W = "this last next past coming "
_MOD_W = "early late mid the "
_MONTH_W = " ".join(MONTH_NUM) + " "
_NUM_W = ("a an one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
          "eighty ninety hundred several some few many dozens #d ")
_APPROX_W = "about around nearly almost roughly approximately some more less over under at up "

# On overlaps the longest candidate wins; between equal lengths, the earlier rule.
RULES: tuple[Rule, ...] = (
    _rule("iso", r"\b(?P<year>\d{4})-(?P<m>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])"
          r"(?:[T ](?P<hh>[01]\d|2[0-3]):(?P<mi>[0-5]\d)(?::\d\d)?)?(?![\d-])", _r_iso, "#d", "date"),
    _rule("slash", r"(?<![\d/])(?P<m>1[0-2]|0?[1-9])/(?P<day>3[01]|[12]\d|0?[1-9])/(?P<year>\d{4}|\d\d)(?![\d/])",
          _r_slash, "#d", "date"),
    _rule("month_day", rf"(?P<weekof>(?i:the\s+week\s+of)\s+)?{_MOD}\b{_MON}\s+{_DAY}(?:[-–]\d{{1,2}}(?!\d))?"
          rf"(?:(?:,\s*|\s+){_YEAR})?{_POS}",
          _r_month_day, _MOD_W + _MONTH_W, "date"),
    _rule("day_month", rf"(?:(?i:the)\s+)?\b{_DAY}\s+(?:(?i:of)\s+)?{_MON}(?![a-z])(?:,?\s+{_YEAR})?{_POS}",
          _r_month_day, "the #d", "date"),
    _rule("month_year", rf"{_MOD}\b{_MON}(?![a-z]),?\s+(?:(?i:of)\s+)?{_YEAR}{_POS}", _r_month_year,
          _MOD_W + _MONTH_W),
    _rule("month", rf"(?:{_REL}\s+)?{_MOD}\b(?P<mon>{_MON_FULL})\b(?:\s+(?P<yrel>(?i:this|last|next)\s+year))?{_POS}",
          _r_month, _REL_W + _MOD_W + _MONTH_W, check=_month_ok),
    _rule("half", rf"(?:(?i:the)\s+)?(?P<half>(?i:first|second|last))\s+(?i:half)\s+(?i:of)\s+"
          rf"(?:{_YEAR}|(?P<yrel>(?i:this|last|next)\s+year)|(?i:the\s+year))", _r_half, "the first second last"),
    _rule("weekday", rf"(?:{_REL}\s+)?(?:(?i:early|late|earlier|later)\s+(?:(?i:on)\s+)?)?\b(?P<wd>{_WD})\b{_POS}"
          rf"(?:\s+(?i:morning|afternoon|evening|night))?", _r_weekday,
          _REL_W + "early late earlier later " + " ".join(WEEKDAY_NUM), "weekday"),
    _rule("weekday_ref", rf"\b(?i:the)\s+(?P<arel>(?i:previous|preceding|following|next))\s+(?P<wd>{_WD})\b",
          r_weekday_ref, "the", "weekday"),
    _rule("year", rf"(?<![\d$£€#.,/])(?<!\d-){_MOD}(?:(?P<fy>(?i:fiscal(?:\s+year)?|the\s+year|FY))\s*)?"
          rf"\b{_YEAR}(?!\d|,\d){_POS}", lambda m, ctx: ("DATE", m["year"]), _MOD_W + "fiscal fy #d", check=_year_ok),
    _rule("decade", rf"(?:(?i:the)\s+)?{_MOD}(?:(?P<dec>(?:1[6-9]|20)\d0)'?s|'(?P<dec2>\d0)s|"
          rf"(?P<decw>(?i:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)))\b",
          _r_decade, _MOD_W + "#d #' " + " ".join(DECADE_WORD),
          check=lambda m, t: bool(m["dec"] or m["dec2"] or m.group(0).lower().startswith("the"))),
    _rule("century", r"\b(?:(?P<det>(?i:the|this|last|past|previous))\s+)?(?:(?P<cnum>[1-9]|1\d|2[01])"
          r"(?:st|nd|rd|th)[-\s]+|(?P<rel>(?i:last|past|previous))\s+)?(?i:century)\b",
          _r_century, "the this last past previous #d",
          check=lambda m, t: bool(m["cnum"] or m["rel"] or (m["det"] or "the").lower() != "the")),
    _rule("season", rf"\b(?:{_REL}\s+|(?i:the)\s+)?{_MOD}(?P<season>(?i:spring|summer|fall|autumn|winter))\b"
          rf"(?:\s+(?:(?i:of)\s+)?{_YEAR})?{_POS}", _r_season, _REL_W + _MOD_W + " ".join(SEASON),
          check=_season_ok),
    _rule("quarter", rf"(?:(?i:the|this)\s+(?!(?i:first|second|third|fourth)-))?(?:{_YEAR}{_POS}\s+|"
          rf"(?P<yrel>(?i:this|last|next)\s+year's)\s+|(?P<ago>(?i:year-ago|year-earlier|comparable\s+year-ago))\s+)?"
          rf"(?:(?i:fiscal)[-\s]+)?(?P<ord>(?i:first|second|third|fourth|1st|2nd|3rd|4th))[-\s]+(?:(?i:fiscal)[-\s]+)?"
          rf"(?i:quarter)\b(?!-)(?:\s+(?:(?i:of)\s+)?(?:(?i:fiscal)\s+)?(?P<year2>(?:1[6-9]|20)\d\d)(?!\d))?{_POS}",
          _r_quarter, "the this last next year comparable fiscal first second third fourth #d"),
    _rule("quarter_rel", rf"\b(?:(?P<det>(?i:the|this|its|that))\s+|(?P<yrel>(?i:this|last|next)\s+year(?:'s|’s))\s+)"
          rf"(?:(?P<qrel>(?i:latest|current|past|last|previous|same|next|corresponding|comparable(?:\s+year-ago)?|"
          rf"year-ago|year-earlier|most\s+recent|just-ended|fiscal|recent))\s+|{_YEAR}\s+)?(?i:quarter|period)\b(?!-)"
          rf"(?P<ago>\s+(?i:a\s+year\s+(?:ago|earlier)|(?:of\s+)?last\s+year))?{_POS}",
          r_quarter_rel, "the this its that last next",
          check=lambda m, t: "quarter" in m.group(0).lower() or bool(m["qrel"] or m["year"] or m["yrel"])),
    _rule("deictic", r"(?:(?i:earlier|later|late|early)\s+)?\b(?P<w>(?i:the\s+day\s+before\s+yesterday|"
          r"the\s+day\s+after\s+tomorrow|today|tonight|yesterday|tomorrow|last\s+night))\b(?:'s|’s)?"
          r"(?:\s+(?i:morning|afternoon|evening|night))?", r_deictic,
          "earlier later late early the today tonight yesterday tomorrow last", "dayref"),
    _rule("part_of_day", r"(?:(?i:early|late|earlier|later)\s+)?\b(?i:this)\s+(?P<pod>(?i:morning|afternoon|evening))\b",
          r_part_of_day, "early late earlier later this"),
    _rule("unit_rel", rf"(?:(?i:earlier|later|early|late)\s+(?:(?i:in)\s+)?)?(?:(?i:the)\s+)?\b{_REL}\s+"
          rf"(?P<unit>(?i:week|weekend|month|year|decade|fiscal\s+year))\b{_POS}", r_unit_rel,
          _REL_W + "earlier later early late the",
          check=lambda m, t: not group_text(m, "unit")[:1].isupper()),  # "This Week" is a TV show
    _rule("weekend", r"\b(?i:the)\s+(?P<unit>(?i:weekend))\b", r_unit_rel, "the"),
    _rule("anaphoric", r"(?:(?i:earlier|later)\s+)?\b(?:(?i:that|the\s+same|that\s+same|the\s+very\s+same)|"
          r"(?i:the)\s+(?P<arel>(?i:next|following|previous|preceding)))\s+"
          r"(?P<unit>(?i:day|morning|afternoon|evening|night|week|month|year))\b", r_anaphoric,
          "earlier later that the"),
    _rule("day_before", r"(?<!in )\b(?i:the)\s+(?P<unit>(?i:day))\s+(?P<arel>(?i:before|after))\b"
          r"(?!\s+(?i:yesterday|tomorrow))", r_anaphoric, "the"),
    _rule("the_day", r"(?:(?<=[Dd]uring )|(?<=[Ll]ater in )|(?<=[Ee]arlier in )|(?<=for much of ))(?i:the)\s+(?i:day)\b",
          r_ref_day, "the"),
    _rule("throughout", r"\b(?i:throughout)\s+(?i:the)\s+(?i:day)\b", r_ref_day, "throughout"),
    _rule("offset", rf"\b{_APPROX}{_NUM}(?:[-\s]+|\s+(?i:or\s+so)\s+){_UNITS}(?:\s+(?i:or\s+so))?\s+"
          rf"(?P<dir>(?i:ago|earlier|later|after|before|from\s+now|hence|back))\b", r_offset,
          _APPROX_W + _NUM_W, check=_offset_ok),
    _rule("unquantified", r"\b(?P<unit>(?i:days|weeks|months|years|decades))\s+(?P<dir>(?i:ago|earlier|later|after|before))\b",
          _r_unquantified, "days weeks months years decades"),
    _rule("year_ago", r"\b(?i:year-ago|year-earlier)\b", r_year_ago, "year"),
    _rule("duration", rf"\b(?:(?P<prep>(?i:for|within|in|over|after|under))\s+)?{_APPROX}\b{_NUM}[-\s]+{_UNITS}",
          _r_duration, "for within in over after under " + _APPROX_W + _NUM_W, check=_duration_ok),
    _rule("bare_duration", r"(?:(?<=[Ff]or )|(?<=[Ww]ithin ))(?P<unit>(?i:days|weeks|months|years|decades))\b"
          r"(?!\s+(?i:ago|earlier|later|after|before))", _r_unquantified, "days weeks months years decades"),
    _rule("set", r"\b(?i:every|each|per|a)\s+(?P<unit>(?i:day|week|month|year|morning|night|evening|afternoon|"
          r"monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b|\b(?P<unit2>(?i:annually|yearly))\b",
          _r_set, "every each per a annually yearly", check=_set_ok),
    _rule("present_ref", r"\b(?i:right\s+now|now|currently|at\s+present|presently|nowadays|these\s+days|"
          r"at\s+the\s+moment)\b", _ref("PRESENT_REF"), "right now currently at presently nowadays these"),
    _rule("past_ref", r"\b(?i:recently|recent\s+(?:days|weeks|months|years|times)|lately|the\s+past|past\s+years|"
          r"the\s+(?:last|past)\s+(?:few|several|couple\s+of)\s+(?:days|weeks|months|years))\b|(?:(?<=[Aa]t )the\s+time\b)",
          _ref("PAST_REF"), "recently recent lately the past"),
    _rule("future_ref", r"\b(?:(?i:the\s+)(?i:near\s+)?(?i:future)|(?<=[Ii]n )(?i:future)|"
          r"(?i:the)\s+(?i:days|weeks|months|years)\s+(?i:to\s+come|ahead)|"
          r"(?i:(?:the\s+)?coming)\s+(?i:days|weeks|months|years|quarters)|(?i:a\s+later\s+date)|"
          r"(?i:as\s+soon\s+as\s+possible)|(?i:the)\s+(?i:near|short|long)\s+(?i:term))\b",
          _ref("FUTURE_REF"), "the future coming a as"),
    _rule("clock", rf"(?<![\d:.$])(?P<h>1[0-2]|0?[1-9])(?::(?P<mi>[0-5]\d))?\s*(?:(?P<ap>(?i:a\.m\.|p\.m\.|a\.m|p\.m|am|pm))"
          rf"(?![a-z]){_TZ}|(?:o'clock\s+)?(?i:in\s+the)\s+(?P<pod>(?i:morning|afternoon|evening|night))\b)",
          _r_clock, "#d", "time"),
    _rule("clock24", rf"(?<![\d:.$])(?P<h>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)(?![\d:])"
          rf"(?:\s*(?i:GMT|UTC|hours|hrs|local\s+time)\b|{_TZ})", _r_clock, "#d", "time",
          check=lambda m, t: ":" in m.group(0) or bool(re.search(r"(?i)gmt|utc|hours|hrs|local", m.group(0)))),
    _rule("named_time", r"\b(?P<nt>(?i:noon|midday|midnight|mid[-\s]?afternoon|mid[-\s]?morning|dawn|daybreak|dusk))\b",
          _r_named_time, "noon midday midnight mid midafternoon midmorning dawn daybreak dusk", "time"),
    _rule("year_end", r"\b(?:(?i:the\s+end\s+of\s+(?:the|this)\s+)(?P<unit>(?i:year|month))|"
          r"(?i:year[-\s]end|year(?:'s|’s)\s+end))\b", r_year_end, "the year"),
    _rule("the_year", r"(?:(?i:earlier|later)\s+(?i:in)\s+)?\b(?i:the)\s+(?:(?P<yq>(?i:current|full|latest))\s+)?"
          r"(?P<fisc>(?i:fiscal)\s+)?(?i:year)\b(?!\s+(?i:ended|ending|earlier|ago|before|after|to\s+date))",
          r_the_year, "earlier later the",
          check=lambda m, t: bool(m["yq"] or m["fisc"] or re.match(r"(?i)earlier|later", m.group(0)))),
    _rule("spelled_year", rf"\b(?:(?i:the\s+year)\s+)?(?P<cen>(?i:nineteen))\s+(?P<tens>(?i:{'|'.join(_TENS)}))"
          r"(?:[-\s](?P<ones>(?i:one|two|three|four|five|six|seven|eight|nine))\b)?(?!-)|"
          r"\b(?i:the\s+year\s+two\s+thousand)\b", _r_spelled_year, "the nineteen"),
    _rule("holiday", rf"(?:{_REL}\s+)?\b(?P<hol>Christmas(?:\s+(?:Day|Eve))?|New\s+Year(?:'s|’s)\s+(?:Day|Eve)|"
          rf"Thanksgiving(?:\s+Day)?|Easter(?:\s+Sunday)?|Good\s+Friday|Independence\s+Day|Fourth\s+of\s+July|"
          rf"Halloween|Valentine(?:'s|’s)\s+Day|Labor\s+Day|Memorial\s+Day|Election\s+Day|Veterans\s+Day|"
          rf"Boxing\s+Day)\b(?:,?\s+{_YEAR})?", _r_holiday,
          _REL_W + "christmas new thanksgiving easter good independence fourth halloween valentine labor "
          "memorial election veterans boxing", "date"),
)
RULE_INDEX: dict[str, tuple[tuple[int, Rule], ...]] = {}
for _order, _r in enumerate(RULES):
    for _word in _r.starts:
        RULE_INDEX[_word] = RULE_INDEX.get(_word, ()) + ((_order, _r),)
WORD_TOKEN = re.compile(r"[A-Za-z]+|\d+|['’](?=\d)")
