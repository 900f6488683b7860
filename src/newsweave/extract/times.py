"""Time expressions in news English, normalised to TIMEX3-style values.

``TimeTagger().tag(text, anchor)`` finds dates, times, durations and sets with regular
expressions and a small grammar, then resolves them in reading order. Deictic phrases
("yesterday", "on Sunday", "last month") count from ``anchor``, the article's publication date;
anaphoric ones ("the same day", "two days after", "a year earlier") count from what the text
itself named last. Values follow TIMEX3:

    2021-11-07   2021-10   2020   2021-W44   2021-W44-WE   1989-Q3   1989-H2   1998-FA
    199 (the 1990s)   19 (the 20th century)   2021-11-07T14:40   2021-11-07TMO
    P1M   PXW   PT2H   PRESENT_REF   PAST_REF   FUTURE_REF

and what cannot be resolved keeps ``X`` digits (``XXXX-11-07``, ``XXXX-WXX-7``). Spans follow
TimeML: no leading preposition, no possessive ("[last month]'s elections"); a weekday and the
date after it ("Sunday, 7 November"), or a date and its clock time, are one expression.

Conventions, calibrated on TimeBank/AQUAINT (TempEval-3) and the seed gold; re-run
``python bench/timebank.py`` and ``--seeds`` after changing a rule (figures in bench/RESULTS.md):

- A bare weekday or month is the latest one on or before the anchor: news reports the past. It
  is the next one when its clause looks ahead ("will", "plans to", "is scheduled", "as soon as").
- A day and month without a year: the next one after a future cue, the last one after a past
  verb ("was arrested on March 12"), else the nearer, counting the future 1.25 times as far
  ("the Jan. 14 deadline" said on 5 January is this January's).
- "last night" and "yesterday" are the day before the anchor, "tonight" the anchor day; "this
  morning" keeps its part of day (``TMO``), but "Sunday morning" is the day.
- "a year ago"/"a year earlier"/"year-ago" mean the year before the quarter under discussion
  when the text has named one (earnings reports compare quarters), else the year before.
- "the quarter"/"the latest period" are the last completed quarter.
- "N days after <event>" names the event's day: the last day the text named minus N ("the attack
  comes two days after clashes" -> the clashes' day); "N days later" adds N.
- Bare discourse adverbs ("later", "previously", "so far", "meanwhile") are not tagged.

Speed: each rule is tried only where a word it can start with begins (``starts``), so a text is
scanned once by a word regex instead of once per rule; tests/test_times.py checks the lists.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["TimeExpr", "TimeTagger"]


@dataclass(frozen=True)
class TimeExpr:
    """One time expression: ``text == input[start:end]``; ``value`` is TIMEX3-like."""

    start: int
    end: int
    text: str
    value: str
    type: str  # DATE | TIME | DURATION | SET
    precision: str  # day | month | year | week | weekend | quarter | half | season | decade | ...


# --- lexicon ---------------------------------------------------------------------------------

_MONTH_NUM = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}
_WEEKDAY_NUM = {d: i for i, d in enumerate(
    "monday tuesday wednesday thursday friday saturday sunday".split())}
_NUMBER = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_NUMBER.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                "ninety": 90, "hundred": 100, "a": 1, "an": 1, "a couple of": 2, "a dozen": 12})
_ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_DECADE_WORD = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                "seventies": 7, "eighties": 8, "nineties": 9}
_SEASON = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_PART_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_UNIT = {"minute": "M", "hour": "H", "day": "D", "week": "W", "month": "M", "year": "Y",
         "decade": "DE", "century": "CE", "quarter": "Q"}
_STEP = {"last": -1, "past": -1, "this past": -1, "previous": -1, "preceding": -1, "before": -1,
         "next": 1, "coming": 1, "this coming": 1, "following": 1, "after": 1}
_DEICTIC_DAYS = {"yesterday": -1, "last night": -1, "tomorrow": 1, "the day before yesterday": -2,
                 "the day after tomorrow": 2}
_FIXED_HOLIDAYS = {
    "new year's day": (1, 1), "new year's eve": (12, 31), "valentine's day": (2, 14),
    "independence day": (7, 4), "fourth of july": (7, 4), "halloween": (10, 31),
    "christmas eve": (12, 24), "christmas": (12, 25), "christmas day": (12, 25),
    "boxing day": (12, 26), "veterans day": (11, 11),
}
_TENS = ("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty "
         "thirty forty fifty sixty seventy eighty ninety").split()

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
_UNITS = (r"(?P<unit>(?i:minutes?|hours?|days?|weeks?|months?|years?|decades?|century|centuries|"
          r"quarters?))(?![\w-])")
_TZ = r"(?:\s+(?:EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|CET|CEST|local\s+time|\(\d{4}\s+GMT\)))?"

# Tense cues, looked for in the clause before an expression that could point either way.
_FUTURE_CUE = re.compile(
    r"\b(?:will|won't|shall|going\s+to|plans?\s+to|planned|planning|scheduled|set\s+to|slated|"
    r"(?:is|are)\s+to|expected|expects?\s+to|due|intends?\s+to|to\s+be\s+[a-z]+ed|until|deadline|"
    r"as\s+soon\s+as|as\s+early\s+as|next|upcoming|ahead\s+of|would\s+be)\b|'ll\b",
    re.I,
)
# A past-tense verb right before the expression settles it ("announced Wednesday", "bought it in
# March"), unless it is a passive future ("will be held in December").
_PAST_VERB = re.compile(
    r"(?<!\bbe\s)(?<!\bbeen\s)\b(?:said|told|met|went|came|took|gave|made|held|left|began|saw|sent|"
    r"spoke|wrote|was|were|(?!(?:schedul|expect|plann|slat|postpon|delay)ed\b)[a-z]+ed)\s+"
    r"(?:(?:on|in|since|late|early)\s+)?$",
    re.I,
)
_PAST_PERFECT = re.compile(r"\bhad\b", re.I)
# Clause starts: a sentence end (not after an initial or "a.m."), a line break, ; or a comma.
_CLAUSE_BREAK = re.compile(r"(?<!\b[A-Za-z])[.!?][\"'”’)]*\s+(?=[\"'“‘(`]?[A-Z])|\n|;|,\s")
_A_RATE = re.compile(  # "twice a day", "$1 billion a year", "four flights a week"
    r"(?:\d|\b(?:once|twice|times|one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred|"
    r"thousand|million|billion))\S*(?:\s+\S+)?\s*$", re.I)


# --- calendar helpers ------------------------------------------------------------------------

def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    n = y * 12 + (m - 1) + k
    return n // 12, n % 12 + 1


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _day(d: date | None) -> str:
    return d.isoformat() if d else "XXXX-XX-XX"


def _week(d: date | None) -> str:
    if d is None:
        return "XXXX-WXX"
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def _quarter_of(d: date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def _shift_quarter(yq: tuple[int, int], k: int) -> tuple[int, int]:
    n = yq[0] * 4 + yq[1] - 1 + k
    return n // 4, n % 4 + 1


def _nth_weekday(y: int, month: int, weekday: int, n: int) -> date:
    """The n-th (1-based; -1 = last) given weekday of a month."""
    if n > 0:
        first = date(y, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(y + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _holiday(name: str, y: int) -> date | None:
    key = " ".join(name.lower().replace("’", "'").split())
    if key in _FIXED_HOLIDAYS:
        return date(y, *_FIXED_HOLIDAYS[key])
    if key.startswith("easter") or key == "good friday":  # Gregorian Easter, anonymous algorithm
        a, b, c = y % 19, y // 100, y % 100
        h = (19 * a + b - b // 4 - (8 * b + 13) // 25 + 15) % 30
        k = (32 + 2 * (b % 4) + 2 * (c // 4) - h - c % 4) % 7
        m = (a + 11 * h + 22 * k) // 451
        month, day = divmod(h + k - 7 * m + 114, 31)
        return date(y, month, day + 1) - timedelta(days=2 * (key == "good friday"))
    return {"thanksgiving": lambda: _nth_weekday(y, 11, 3, 4),
            "thanksgiving day": lambda: _nth_weekday(y, 11, 3, 4),
            "labor day": lambda: _nth_weekday(y, 9, 0, 1),
            "memorial day": lambda: _nth_weekday(y, 5, 0, -1),
            "election day": lambda: _nth_weekday(y, 11, 0, 1) + timedelta(days=1)}.get(key, lambda: None)()


def _number(word: str) -> float | str:
    """A count from digits or words; vague quantities ("several", "a few") give ``"X"``."""
    w = " ".join(word.lower().split())
    if w[:1].isdigit():
        f = float(w)
        return int(f) if f.is_integer() else f
    if "-" in w:
        tens, ones = w.split("-", 1)
        return _NUMBER.get(tens, 0) + _NUMBER.get(ones, 0)
    return _NUMBER.get(w, "X")


def _precision(value: str, type_: str) -> str:
    if type_ in ("DURATION", "SET") and value.startswith("P"):
        unit = value[-2:] if value[-2:] in ("DE", "CE") else value[-1]
        if value.startswith("PT"):
            return {"H": "hour", "M": "minute", "S": "second"}.get(unit, "time")
        return {"D": "day", "W": "week", "M": "month", "Y": "year", "Q": "quarter",
                "DE": "decade", "CE": "century"}.get(unit, "unknown")
    if value.endswith("_REF"):
        return "ref"
    if "T" in value:
        tail = value.split("T", 1)[1]
        return "minute" if ":" in tail else "hour" if tail.isdigit() else "part_of_day"
    if "-W" in value:
        return "weekend" if value.endswith("-WE") else "day" if value.count("-") == 2 else "week"
    for mark, name in (("-Q", "quarter"), ("-H", "half")):
        if mark in value:
            return name
    if value[-2:] in ("SP", "SU", "FA", "WI"):
        return "season"
    return {10: "day", 7: "month", 4: "year", 3: "decade", 2: "century"}.get(len(value), "unknown")


# --- the resolution context ------------------------------------------------------------------

class _Context:
    """Per-call state: the anchor, and the last day/month/quarter/year the text named."""

    def __init__(self, text: str, anchor: date | None):
        self.text = text
        self.anchor = anchor
        self.ref_day: date | None = anchor
        self.ref_month: tuple[int, int] | None = (anchor.year, anchor.month) if anchor else None
        self.ref_quarter: tuple[int, int] | None = None
        self.ref_year: int | None = anchor.year if anchor else None
        self.comparison = False  # set by a rule whose value must not become the reference

    def tense(self, start: int) -> str:
        """"future", "past" or "" for the clause that ends at ``start``, from cue words."""
        window = self.text[max(0, start - 120):start]
        if _PAST_VERB.search(window):
            return "past"
        breaks = list(_CLAUSE_BREAK.finditer(window))
        if breaks:
            window = window[breaks[-1].end():]
        if _PAST_PERFECT.search(window):
            return "past"
        return "future" if _FUTURE_CUE.search(window) else ""

    def future(self, start: int) -> bool:
        return self.tense(start) == "future"

    def note(self, value: str) -> None:
        """Remember a resolved value as the reference for later anaphora."""
        m = re.match(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?|-Q(\d))?", value)
        if not m:
            return
        y = self.ref_year = int(m.group(1))
        if m.group(2):
            self.ref_month = (y, int(m.group(2)))
        if m.group(3):
            self.ref_day = _safe_date(y, int(m.group(2)), int(m.group(3))) or self.ref_day
        elif m.group(4):
            self.ref_quarter = (y, int(m.group(4)))

    def choose(self, deltas: list[int], start: int) -> int:
        """Which candidate (offsets from the anchor, ascending) an undated mention means."""
        tense = self.tense(start)
        if tense == "future":
            return next((i for i, d in enumerate(deltas) if d >= 0), len(deltas) - 1)
        if tense == "past":
            return max((i for i, d in enumerate(deltas) if d <= 0), default=0)
        # News mostly reports what has happened: the future counts 1.25 times as far.
        return min(range(len(deltas)), key=lambda i: -deltas[i] if deltas[i] <= 0 else 1.25 * deltas[i])

    def weekday(self, wd: int, start: int, rel: str = "") -> str:
        a = self.anchor
        if a is None:
            return f"XXXX-WXX-{wd + 1}"
        if rel in ("next", "this coming", "coming", "this") or (rel == "" and self.future(start)):
            delta = (wd - a.weekday()) % 7 or (7 if rel == "next" else 0)
            return (a + timedelta(days=delta)).isoformat()
        delta = (a.weekday() - wd) % 7 or (7 if rel else 0)  # "last Friday" said on a Friday
        return (a - timedelta(days=delta)).isoformat()

    def month(self, mon: int, start: int, rel: str = "") -> str:
        a = self.anchor
        if a is None:
            return f"XXXX-{mon:02d}"
        if rel in ("next", "this coming", "coming"):
            y = a.year + (mon <= a.month)
        elif rel in ("last", "this past", "past"):
            y = a.year - (mon >= a.month)
        elif rel == "this":
            y = a.year
        elif self.future(start):  # "elections will be held in December": the next one
            y = a.year + (mon < a.month)
        else:  # "in October": the latest October up to this month
            y = a.year - (mon > a.month)
        return f"{y:04d}-{mon:02d}"

    def day_month(self, mon: int, day: int, start: int, weekday: int | None = None) -> str | None:
        a = self.anchor
        if a is None:
            return f"XXXX-{mon:02d}-{day:02d}" if _safe_date(2000, mon, day) else None
        cands = [d for y in (a.year - 1, a.year, a.year + 1) if (d := _safe_date(y, mon, day))]
        if not cands:
            return None
        fits = [d for d in cands if d.weekday() == weekday]
        if len(fits) == 1:  # "Sunday, 7 November": the weekday fixes the year
            return fits[0].isoformat()
        return cands[self.choose([(d - a).days for d in cands], start)].isoformat()

    def year_of(self, rel: str, start: int, season: str | None = None) -> int | None:
        a = self.anchor
        if a is None:
            return None
        if season is None:
            return a.year + _STEP.get(rel, 0)
        begin = _SEASON_START[season]
        if rel in ("next", "this coming", "coming"):
            return a.year + (begin <= a.month)
        if rel in ("last", "this past", "past"):
            return a.year - (begin + 2 >= a.month if season != "WI" else 1)
        if rel == "this":
            return a.year
        if self.future(start):
            return a.year + (begin + 2 < a.month)
        return a.year - (begin > a.month)


# --- resolvers: (match, context) -> (type, value) or None --------------------------------------

Resolved = tuple[str, str] | None
Match = re.Match[str]


def _g(m: Match, name: str) -> str:
    """A group's text, stripped; "" when the group did not take part or does not exist."""
    try:
        return (m.group(name) or "").strip()
    except IndexError:
        return ""


def _low(m: Match, name: str) -> str:
    return " ".join(_g(m, name).lower().split())


def _mon(m: Match) -> int:
    return _MONTH_NUM[_g(m, "mon").lower().rstrip(".")]


def _yq(y: int | None, q: int | str) -> str:
    return f"{y:04d}-Q{q}" if y is not None else f"XXXX-Q{q}"


def _r_iso(m: Match, ctx: _Context) -> Resolved:
    d = _safe_date(int(m["year"]), int(m["m"]), int(m["day"]))
    if d is None:
        return None
    return ("TIME", f"{d.isoformat()}T{m['hh']}:{m['mi']}") if m["hh"] else ("DATE", d.isoformat())


def _r_slash(m: Match, ctx: _Context) -> Resolved:
    y = int(m["year"])
    y += 0 if y >= 100 else 1900 if y >= 30 else 2000
    d = _safe_date(y, int(m["m"]), int(m["day"]))
    return ("DATE", d.isoformat()) if d else None


def _r_month_day(m: Match, ctx: _Context) -> Resolved:
    mon, day = _mon(m), int(m["day"])
    if m["year"]:
        d = _safe_date(int(m["year"]), mon, day)
        value = d.isoformat() if d else None
    else:
        value = ctx.day_month(mon, day, m.start())
    if value and _g(m, "weekof"):  # "the week of March 6"
        value = _week(_safe_date(int(value[:4]), mon, day) if value[0].isdigit() else None)
    return ("DATE", value) if value else None


def _r_month_year(m: Match, ctx: _Context) -> Resolved:
    return "DATE", f"{int(m['year']):04d}-{_mon(m):02d}"


def _r_month(m: Match, ctx: _Context) -> Resolved:
    if yrel := _low(m, "yrel"):  # "July last year"
        y = ctx.year_of(yrel.split()[0], m.start())
        return "DATE", f"{y:04d}-{_mon(m):02d}" if y else f"XXXX-{_mon(m):02d}"
    return "DATE", ctx.month(_mon(m), m.start(), _low(m, "rel"))


def _r_weekday(m: Match, ctx: _Context) -> Resolved:
    return "DATE", ctx.weekday(_WEEKDAY_NUM[_g(m, "wd").lower()], m.start(), _low(m, "rel"))


def _r_weekday_ref(m: Match, ctx: _Context) -> Resolved:
    """'the previous Friday', 'the following Monday': counted from the last day the text named."""
    wd, ref = _WEEKDAY_NUM[_g(m, "wd").lower()], ctx.ref_day
    if ref is None:
        return "DATE", f"XXXX-WXX-{wd + 1}"
    if _STEP[_low(m, "arel")] < 0:
        return "DATE", (ref - timedelta(days=(ref.weekday() - wd) % 7 or 7)).isoformat()
    return "DATE", (ref + timedelta(days=(wd - ref.weekday()) % 7 or 7)).isoformat()


def _r_decade(m: Match, ctx: _Context) -> Resolved:
    if m["dec"]:
        return "DATE", m["dec"][:3]
    if m["dec2"]:  # "the '80s": this century's decade unless it has not come yet
        d, a = int(m["dec2"][0]), ctx.anchor
        return "DATE", f"{19 if a is None or d * 10 > a.year % 100 else a.year // 100}{d}"
    return "DATE", f"19{_DECADE_WORD[m['decw'].lower()]}"


def _r_century(m: Match, ctx: _Context) -> Resolved:
    if m["cnum"]:
        return "DATE", f"{int(m['cnum']) - 1:02d}"
    if ctx.anchor is None:
        return "DATE", "XX"
    rel = _low(m, "rel") or _low(m, "det")
    return "DATE", f"{ctx.anchor.year // 100 - (rel in ('last', 'past', 'previous')):02d}"


def _r_season(m: Match, ctx: _Context) -> Resolved:
    code = _SEASON[_g(m, "season").lower()]
    y = int(m["year"]) if m["year"] else ctx.year_of(_low(m, "rel"), m.start(), code)
    return "DATE", f"{y:04d}-{code}" if y is not None else f"XXXX-{code}"


def _r_quarter(m: Match, ctx: _Context) -> Resolved:
    """'the third quarter (of 1989)', 'third-quarter', 'this year's second quarter'."""
    q, a = _ORDINAL[_g(m, "ord").lower()], ctx.anchor
    if m["year"] or m["year2"]:
        y = int(m["year"] or m["year2"])
    elif _g(m, "yrel"):
        y = ctx.year_of(_low(m, "yrel").split()[0], m.start())
    elif a is None:
        y = None
    else:  # a quarter not yet begun is last year's, unless the clause looks ahead
        y = a.year - (q > _quarter_of(a)[1] and not ctx.future(m.start()))
    if _g(m, "ago") and y is not None:
        y -= 1
        ctx.comparison = True
    return "DATE", _yq(y, q)


def _r_quarter_rel(m: Match, ctx: _Context) -> Resolved:
    """'the quarter', 'the latest period', 'the year-ago quarter', 'the 1988 period'."""
    rel = _low(m, "qrel") or _low(m, "det")
    if ctx.anchor is None and not m["year"]:
        return "DATE", "XXXX-QX"
    current = _quarter_of(ctx.anchor) if ctx.anchor else (int(m["year"]), 1)
    if rel == "current":
        yq = current
    elif rel == "this":  # in an earnings report, the quarter being reported
        yq = ctx.ref_quarter or current
    else:
        yq = _shift_quarter(current, 1 if rel == "next" else -1)
    if m["year"]:
        yq = (int(m["year"]), yq[1])
    if "ago" in rel or "earlier" in rel or _g(m, "ago") or _low(m, "yrel").startswith("last"):
        yq = (yq[0] - 1, yq[1])
        ctx.comparison = True
    return "DATE", _yq(*yq)


def _r_half(m: Match, ctx: _Context) -> Resolved:
    h = 1 if _low(m, "half") == "first" else 2
    y = int(m["year"]) if m["year"] else ctx.year_of((_low(m, "yrel").split() or [""])[0], m.start())
    return "DATE", f"{y:04d}-H{h}" if y is not None else f"XXXX-H{h}"


def _r_deictic(m: Match, ctx: _Context) -> Resolved:
    offset = _DEICTIC_DAYS.get(_low(m, "w"), 0)  # today and tonight: 0
    return "DATE", _day(ctx.anchor + timedelta(days=offset) if ctx.anchor else None)


def _r_part_of_day(m: Match, ctx: _Context) -> Resolved:
    return "TIME", f"{_day(ctx.anchor)}T{_PART_OF_DAY[_low(m, 'pod')]}"


def _r_unit_rel(m: Match, ctx: _Context) -> Resolved:
    """this/last/next/past week, weekend, month, year, decade; "the weekend"."""
    rel, unit, a = _low(m, "rel"), _low(m, "unit"), ctx.anchor
    step = _STEP.get(rel, 0)
    if unit == "weekend":
        if a is None:
            return "DATE", "XXXX-WXX-WE"
        if rel == "" and a.weekday() < 5 and not ctx.future(m.start()):
            step = -1  # "over the weekend": the one just gone
        return "DATE", _week(a + timedelta(days=7 * step)) + "-WE"
    if unit == "week":
        return "DATE", _week(a + timedelta(days=7 * step) if a else None)
    if a is None:
        return "DATE", {"month": "XXXX-XX", "decade": "XXX"}.get(unit, "XXXX")
    if unit == "month":
        return "DATE", "%04d-%02d" % _add_months(a.year, a.month, step)
    if unit == "decade":
        return "DATE", f"{a.year // 10 + step:03d}"
    return "DATE", f"{a.year + step:04d}"  # year, fiscal year


def _r_anaphoric(m: Match, ctx: _Context) -> Resolved:
    """the same day, that day, the next day, the day before, the following month, that year."""
    step, unit = _STEP.get(_low(m, "arel"), 0), _low(m, "unit")
    if unit == "week":
        return "DATE", _week(ctx.ref_day + timedelta(days=7 * step) if ctx.ref_day else None)
    if unit == "month":
        return "DATE", "%04d-%02d" % _add_months(*ctx.ref_month, step) if ctx.ref_month else "XXXX-XX"
    if unit == "year":
        return "DATE", f"{ctx.ref_year + step:04d}" if ctx.ref_year else "XXXX"
    return "DATE", _day(ctx.ref_day + timedelta(days=step) if ctx.ref_day else None)  # day, night...


def _r_ref_day(m: Match, ctx: _Context) -> Resolved:
    return "DATE", _day(ctx.ref_day)


def _unit_name(m: Match) -> str:
    u = _low(m, "unit")
    return "century" if u.startswith("centur") else u.rstrip("s")


def _vague(unit: str) -> str:
    return f"P{'T' if unit in ('hour', 'minute') else ''}X{_UNIT[unit]}"


def _r_offset(m: Match, ctx: _Context) -> Resolved:
    """N units ago / from now (from the anchor); earlier / later / after / before (from the text)."""
    n, unit, direction = _number(_g(m, "num")), _unit_name(m), _low(m, "dir")
    deictic = direction in ("ago", "back", "from now", "hence")
    if n == "X":
        return {"ago": ("DATE", "PAST_REF"), "back": ("DATE", "PAST_REF"),
                "from now": ("DATE", "FUTURE_REF"), "hence": ("DATE", "FUTURE_REF")}.get(
            direction, ("DURATION", _vague(unit)))
    # "It comes two days after the clashes": the clashes were two days before the reference day.
    sign = -1 if direction in ("ago", "back", "earlier", "after") else 1
    ctx.comparison = not deictic or unit == "year"
    if unit == "year" and n == 1 and direction in ("ago", "earlier") and ctx.ref_quarter:
        return "DATE", _yq(ctx.ref_quarter[0] - 1, ctx.ref_quarter[1])
    base = ctx.anchor if deictic else ctx.ref_day
    if base is None:
        return "DATE", {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX"}.get(unit, "XXXX")
    n = sign * n
    if unit in ("minute", "hour", "day"):
        return "DATE", (base + timedelta(days=round(n) if unit == "day" else 0)).isoformat()
    if unit == "week":
        return "DATE", _week(base + timedelta(days=round(7 * n)))
    if unit == "month":
        return "DATE", "%04d-%02d" % _add_months(base.year, base.month, round(n))
    if unit == "quarter":
        return "DATE", _yq(*_shift_quarter(_quarter_of(base), round(n)))
    return "DATE", f"{base.year + round(n * {'decade': 10, 'century': 100}.get(unit, 1)):04d}"


def _r_year_ago(m: Match, ctx: _Context) -> Resolved:
    """'year-ago'/'year-earlier' as adjectives: the year before the period under discussion."""
    ctx.comparison = True
    if ctx.ref_quarter:
        return "DATE", _yq(ctx.ref_quarter[0] - 1, ctx.ref_quarter[1])
    return "DATE", f"{ctx.anchor.year - 1:04d}" if ctx.anchor else "XXXX"


def _r_unquantified(m: Match, ctx: _Context) -> Resolved:
    """'weeks after', 'years ago', 'for days': a vague offset or duration."""
    if _low(m, "dir") == "ago":
        return "DATE", "PAST_REF"
    return "DURATION", _vague(_unit_name(m))


def _r_duration(m: Match, ctx: _Context) -> Resolved:
    n, unit = _number(_g(m, "num")), _unit_name(m)
    if n == "X":
        return "DURATION", _vague(unit)
    count = str(n) if isinstance(n, int) else f"{n:g}"
    return "DURATION", f"P{'T' if unit in ('hour', 'minute') else ''}{count}{_UNIT[unit]}"


def _r_set(m: Match, ctx: _Context) -> Resolved:
    unit = _low(m, "unit") or _low(m, "unit2")
    if unit in _WEEKDAY_NUM:
        return "SET", f"XXXX-WXX-{_WEEKDAY_NUM[unit] + 1}"
    if unit in _PART_OF_DAY:
        return "SET", f"XXXX-XX-XXT{_PART_OF_DAY[unit]}"
    return "SET", {"day": "P1D", "week": "P1W", "month": "P1M"}.get(unit, "P1Y")


def _ref(value: str) -> Callable[[Match, _Context], Resolved]:
    return lambda m, ctx: ("DATE", value)


def _r_clock(m: Match, ctx: _Context) -> Resolved:
    h, mi = int(m["h"]), int(m["mi"] or 0)
    ap, pod = _low(m, "ap").replace(".", ""), _low(m, "pod")
    if pod in ("afternoon", "evening") or (pod == "night" and h >= 6):
        ap = "pm"
    h = h + 12 if ap == "pm" and h < 12 else 0 if ap == "am" and h == 12 else h
    return "TIME", f"{_day(ctx.ref_day)}T{h:02d}:{mi:02d}"


def _r_named_time(m: Match, ctx: _Context) -> Resolved:
    tail = {"noon": "12:00", "midday": "12:00", "midnight": "24:00", "midafternoon": "AF",
            "midmorning": "MO", "dawn": "MO", "daybreak": "MO", "dusk": "EV"}
    word = _low(m, "nt").replace("-", "").replace(" ", "")
    return "TIME", f"{_day(ctx.ref_day)}T{tail[word]}"


def _r_holiday(m: Match, ctx: _Context) -> Resolved:
    name, a, rel = _g(m, "hol"), ctx.anchor, _low(m, "rel")
    if m["year"] or a is None:
        d = _holiday(name, int(m["year"])) if m["year"] else None
        return "DATE", d.isoformat() if d else "XXXX-XX-XX"
    cands = [d for y in (a.year - 1, a.year, a.year + 1) if (d := _holiday(name, y))]
    if rel in ("next", "this coming", "coming"):
        return "DATE", next((d for d in cands if d > a), cands[-1]).isoformat()
    if rel in ("last", "this past", "past"):
        return "DATE", [d for d in cands if d < a][-1].isoformat()
    if rel == "this":
        return "DATE", cands[1].isoformat()
    return "DATE", cands[ctx.choose([(d - a).days for d in cands], m.start())].isoformat()


def _r_year_end(m: Match, ctx: _Context) -> Resolved:
    """'year-end', 'the end of the year', 'the end of the month': the year (or month) meant."""
    a = ctx.anchor
    if a is None:
        return "DATE", "XXXX"
    if _low(m, "unit") == "month":
        return "DATE", f"{a.year:04d}-{a.month:02d}"
    return "DATE", f"{a.year - (ctx.tense(m.start()) == 'past'):04d}"  # "since year-end"


def _r_the_year(m: Match, ctx: _Context) -> Resolved:
    """'the current fiscal year', 'the full year', 'earlier in the year', 'the latest fiscal year'."""
    if ctx.anchor is None:
        return "DATE", "XXXX"
    return "DATE", f"{ctx.anchor.year - (_low(m, 'yq') == 'latest'):04d}"


def _r_spelled_year(m: Match, ctx: _Context) -> Resolved:
    """Years read out in broadcast transcripts: 'nineteen ninety-six', 'the year two thousand'."""
    if not m["cen"]:
        return "DATE", "2000"
    ones = _NUMBER[m["ones"].lower()] if m["ones"] else 0
    return "DATE", f"{1900 + _NUMBER[m['tens'].lower()] + ones:04d}"


# --- checks: (match, text) -> keep? ----------------------------------------------------------

def _month_ok(m: Match, text: str) -> bool:
    """"May" and "March" are words too: alone they need a time-ish word before them."""
    if _g(m, "mon") not in ("May", "March") or _g(m, "mod") or _g(m, "rel") or _g(m, "yrel"):
        return True
    return bool(re.search(r"\b(?:in|since|by|until|of|from|during|through|before|after|early|late|"
                          r"last|next|this|and|or|to|between)\s+$", text[max(0, m.start() - 12):m.start()],
                          re.I))


def _year_ok(m: Match, text: str) -> bool:
    """A bare four-digit number is a year unless it reads as a quantity."""
    if _g(m, "fy") or _g(m, "mod"):
        return True
    return not re.match(r"\s*(?:%|percent|per\s|-\d|[,.]\d)|\s+(?:people|troops|shares|tons|workers|"
                        r"jobs|units|members|soldiers|employees|votes|acres|miles)\b", text[m.end():m.end() + 12])


def _season_ok(m: Match, text: str) -> bool:
    """"fall" and "spring" are words too: alone they need "in", "this", a year..."""
    if _g(m, "rel") or _g(m, "year") or _g(m, "mod"):
        return True
    before = text[max(0, m.start() - 10):m.start()].lower()
    return (bool(re.search(r"\b(?:in|into|during|over|this|by|until|since|through)\s+$", before))
            and not text.startswith(" of", m.end()))


def _duration_ok(m: Match, text: str) -> bool:
    """Not an age ("a 6-year-old"); "a month" only after "about", "for"..."""
    if re.match(r"[-\s]old\b", text[m.end():m.end() + 5], re.I):
        return False
    return _low(m, "num") not in ("a", "an") or bool(_g(m, "approx") or _g(m, "prep"))


def _offset_ok(m: Match, text: str) -> bool:
    """"for nearly a month after ..." is a duration, not an offset."""
    return not re.search(r"\b(?:for|within|over|in|during)\s+$", text[max(0, m.start() - 8):m.start()], re.I)


def _set_ok(m: Match, text: str) -> bool:
    """"a week" is a rate only after a count: "twice a week", "$1 billion a year"."""
    return not m.group(0).lower().startswith("a ") or bool(_A_RATE.search(text[max(0, m.start() - 30):m.start()]))


# --- rules -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    resolve: Callable[[Match, _Context], Resolved]
    starts: frozenset[str]  # words a match can begin with ("#d": digits, "#'": an apostrophe)
    kind: str = "other"  # weekday | date | dayref | time: what the merge pass may join
    check: Callable[[Match, str], bool] | None = None


def _rule(name, pattern, resolve, starts, kind="other", check=None) -> _Rule:
    return _Rule(name, re.compile(pattern), resolve, frozenset(starts.split()), kind, check)


_REL_W = "this last next past coming "
_MOD_W = "early late mid the "
_MONTH_W = " ".join(_MONTH_NUM) + " "
_NUM_W = ("a an one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
          "eighty ninety hundred several some few many dozens #d ")
_APPROX_W = "about around nearly almost roughly approximately some more less over under at up "

# On overlaps the longest candidate wins; between equal lengths, the earlier rule.
_RULES: tuple[_Rule, ...] = (
    _rule("iso", rf"\b(?P<year>\d{{4}})-(?P<m>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])"
          rf"(?:[T ](?P<hh>[01]\d|2[0-3]):(?P<mi>[0-5]\d)(?::\d\d)?)?(?![\d-])", _r_iso, "#d", "date"),
    _rule("slash", r"(?<![\d/])(?P<m>1[0-2]|0?[1-9])/(?P<day>3[01]|[12]\d|0?[1-9])/(?P<year>\d{4}|\d\d)(?![\d/])",
          _r_slash, "#d", "date"),
    _rule("month_day", rf"(?P<weekof>(?i:the\s+week\s+of)\s+)?{_MOD}\b{_MON}\s+{_DAY}(?:(?:,\s*|\s+){_YEAR})?{_POS}",
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
          _REL_W + "early late earlier later " + " ".join(_WEEKDAY_NUM), "weekday"),
    _rule("weekday_ref", rf"\b(?i:the)\s+(?P<arel>(?i:previous|preceding|following|next))\s+(?P<wd>{_WD})\b",
          _r_weekday_ref, "the", "weekday"),
    _rule("year", rf"(?<![\d$£€#.,/])(?<!\d-){_MOD}(?:(?P<fy>(?i:fiscal(?:\s+year)?|the\s+year|FY))\s*)?"
          rf"\b{_YEAR}(?!\d|,\d){_POS}", lambda m, ctx: ("DATE", m["year"]), _MOD_W + "fiscal fy #d", check=_year_ok),
    _rule("decade", rf"(?:(?i:the)\s+)?{_MOD}(?:(?P<dec>(?:1[6-9]|20)\d0)'?s|'(?P<dec2>\d0)s|"
          rf"(?P<decw>(?i:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)))\b",
          _r_decade, _MOD_W + "#d #' " + " ".join(_DECADE_WORD),
          check=lambda m, t: bool(m["dec"] or m["dec2"] or m.group(0).lower().startswith("the"))),
    _rule("century", r"\b(?:(?P<det>(?i:the|this|last|past|previous))\s+)?(?:(?P<cnum>[1-9]|1\d|2[01])"
          r"(?:st|nd|rd|th)[-\s]+|(?P<rel>(?i:last|past|previous))\s+)?(?i:century)\b",
          _r_century, "the this last past previous #d",
          check=lambda m, t: bool(m["cnum"] or m["rel"] or (m["det"] or "the").lower() != "the")),
    _rule("season", rf"\b(?:{_REL}\s+|(?i:the)\s+)?{_MOD}(?P<season>(?i:spring|summer|fall|autumn|winter))\b"
          rf"(?:\s+(?:(?i:of)\s+)?{_YEAR})?{_POS}", _r_season, _REL_W + _MOD_W + " ".join(_SEASON),
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
          _r_quarter_rel, "the this its that last next",
          check=lambda m, t: "quarter" in m.group(0).lower() or bool(m["qrel"] or m["year"] or m["yrel"])),
    _rule("deictic", r"(?:(?i:earlier|later|late|early)\s+)?\b(?P<w>(?i:the\s+day\s+before\s+yesterday|"
          r"the\s+day\s+after\s+tomorrow|today|tonight|yesterday|tomorrow|last\s+night))\b(?:'s|’s)?"
          r"(?:\s+(?i:morning|afternoon|evening|night))?", _r_deictic,
          "earlier later late early the today tonight yesterday tomorrow last", "dayref"),
    _rule("part_of_day", r"(?:(?i:early|late|earlier|later)\s+)?\b(?i:this)\s+(?P<pod>(?i:morning|afternoon|evening))\b",
          _r_part_of_day, "early late earlier later this"),
    _rule("unit_rel", rf"(?:(?i:earlier|later|early|late)\s+(?:(?i:in)\s+)?)?(?:(?i:the)\s+)?\b{_REL}\s+"
          rf"(?P<unit>(?i:week|weekend|month|year|decade|fiscal\s+year))\b{_POS}", _r_unit_rel,
          _REL_W + "earlier later early late the",
          check=lambda m, t: not _g(m, "unit")[:1].isupper()),  # "This Week" is a TV show
    _rule("weekend", r"\b(?i:the)\s+(?P<unit>(?i:weekend))\b", _r_unit_rel, "the"),
    _rule("anaphoric", r"(?:(?i:earlier|later)\s+)?\b(?:(?i:that|the\s+same|that\s+same|the\s+very\s+same)|"
          r"(?i:the)\s+(?P<arel>(?i:next|following|previous|preceding)))\s+"
          r"(?P<unit>(?i:day|morning|afternoon|evening|night|week|month|year))\b", _r_anaphoric,
          "earlier later that the"),
    _rule("day_before", r"(?<!in )\b(?i:the)\s+(?P<unit>(?i:day))\s+(?P<arel>(?i:before|after))\b"
          r"(?!\s+(?i:yesterday|tomorrow))", _r_anaphoric, "the"),
    _rule("the_day", r"(?:(?<=[Dd]uring )|(?<=[Ll]ater in )|(?<=[Ee]arlier in )|(?<=for much of ))(?i:the)\s+(?i:day)\b",
          _r_ref_day, "the"),
    _rule("throughout", r"\b(?i:throughout)\s+(?i:the)\s+(?i:day)\b", _r_ref_day, "throughout"),
    _rule("offset", rf"\b{_APPROX}{_NUM}(?:[-\s]+|\s+(?i:or\s+so)\s+){_UNITS}(?:\s+(?i:or\s+so))?\s+"
          rf"(?P<dir>(?i:ago|earlier|later|after|before|from\s+now|hence|back))\b", _r_offset,
          _APPROX_W + _NUM_W, check=_offset_ok),
    _rule("unquantified", r"\b(?P<unit>(?i:days|weeks|months|years|decades))\s+(?P<dir>(?i:ago|earlier|later|after|before))\b",
          _r_unquantified, "days weeks months years decades"),
    _rule("year_ago", r"\b(?i:year-ago|year-earlier)\b", _r_year_ago, "year"),
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
          r"(?i:year[-\s]end|year(?:'s|’s)\s+end))\b", _r_year_end, "the year"),
    _rule("the_year", r"(?:(?i:earlier|later)\s+(?i:in)\s+)?\b(?i:the)\s+(?:(?P<yq>(?i:current|full|latest))\s+)?"
          r"(?P<fisc>(?i:fiscal)\s+)?(?i:year)\b(?!\s+(?i:ended|ending|earlier|ago|before|after|to\s+date))",
          _r_the_year, "earlier later the",
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
_INDEX: dict[str, tuple[tuple[int, _Rule], ...]] = {}
for _order, _r in enumerate(_RULES):
    for _word in _r.starts:
        _INDEX[_word] = _INDEX.get(_word, ()) + ((_order, _r),)
_TOKEN = re.compile(r"[A-Za-z]+|\d+|['’](?=\d)")


# --- candidates and merging ------------------------------------------------------------------

@dataclass
class _Cand:
    start: int
    end: int
    rule: _Rule
    match: Match
    parts: tuple[_Cand, ...] = ()  # a merged candidate's two pieces

    @property
    def kind(self) -> str:
        if not self.parts:
            return self.rule.kind
        return self.parts[1].kind if self.parts[0].kind == "weekday" else "time"


_GAP_WD_DATE = re.compile(r",?\s+(?:the\s+)?")
_GAP_DATE_TIME = re.compile(r",?\s+(?:at\s+|around\s+|about\s+)?")
_GAP_TIME_DATE = re.compile(r",?\s+(?:on\s+)?")


def _merge(cands: list[_Cand], text: str) -> list[_Cand]:
    """Join a weekday to the date after it, and a date or day word to a clock time."""
    out: list[_Cand] = []
    for c in cands:
        if out:
            p = out[-1]
            gap, pk, ck = text[p.end:c.start], p.kind, c.kind
            if ((pk == "weekday" and ck == "date" and _GAP_WD_DATE.fullmatch(gap))
                    or (pk in ("date", "weekday", "dayref") and ck == "time" and _GAP_DATE_TIME.fullmatch(gap))
                    or (pk == "time" and not p.parts and ck in ("date", "weekday", "dayref")
                        and _GAP_TIME_DATE.fullmatch(gap))):
                out[-1] = _Cand(p.start, c.end, p.rule, p.match, (p, c))
                continue
        out.append(c)
    return out


def _parse_anchor(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an ISO date (YYYY-MM-DD), got {value!r}") from None


# --- the tagger ------------------------------------------------------------------------------

class TimeTagger:
    """Finds time expressions and normalises them to TIMEX3-like values.

    Stateless and light: the rules are compiled at import, so taggers pickle to workers.

    Example::

        >>> TimeTagger().tag("He spoke on Sunday, 7 November.", "2021-11-08")[0].value
        '2021-11-07'
    """

    def tag(self, text: str, anchor: str | None, *, context: str | None = None) -> list[TimeExpr]:
        """Tag ``text``.

        Args:
            text: the article text; offsets in the result index it.
            anchor: the publication date (ISO ``YYYY-MM-DD``; a longer ISO timestamp is cut to its
                date), or None.
            context: a fallback date (the story's date), used when ``anchor`` is None.

        Returns:
            The expressions in text order, non-overlapping, each with ``text[start:end]``.

        Raises:
            ValueError: ``anchor`` or ``context`` is not an ISO date.
        """
        ctx = _Context(text, _parse_anchor(anchor, "anchor") or _parse_anchor(context, "context"))
        out: list[TimeExpr] = []
        for c in _merge(self._candidates(text), text):
            res = self._resolve(c, ctx)
            if res is None:
                continue
            type_, value = res
            if type_ in ("DATE", "TIME") and not ctx.comparison:
                ctx.note(value)
            ctx.comparison = False
            out.append(TimeExpr(c.start, c.end, text[c.start:c.end], value, type_, _precision(value, type_)))
        return out

    @staticmethod
    def _matches(text: str, exhaustive: bool = False) -> Iterator[tuple[int, _Rule, Match]]:
        """(rule order, rule, match) for every rule matching where a word in its ``starts`` begins;
        ``exhaustive`` scans the whole text with every rule instead (slow: the tests' reference)."""
        if exhaustive:
            for order, rule in enumerate(_RULES):
                for m in rule.pattern.finditer(text):
                    yield order, rule, m
            return
        for tok in _TOKEN.finditer(text):
            w = tok.group()
            for order, rule in _INDEX.get("#d" if w[0].isdigit() else "#'" if w[0] in "'’" else w.lower(), ()):
                if m := rule.pattern.match(text, tok.start()):
                    yield order, rule, m

    @staticmethod
    def _candidates(text: str) -> list[_Cand]:
        found = []
        for order, rule, m in TimeTagger._matches(text):
            s, e = m.span()
            while e > s and text[e - 1].isspace():
                e -= 1
            if m.re.groupindex.get("prep") and m.group("prep"):
                s = m.end("prep") + 1  # TIMEX3 leaves the preposition out
            if text.endswith(("'s", "’s"), s, e) and e - s > 2:
                e -= 2  # and the possessive: "[last month]'s elections"
            if e > s and (rule.check is None or rule.check(m, text)):
                found.append((s, e, order, rule, m))
        # Longest first, then rule order; keep what does not overlap an earlier pick.
        found.sort(key=lambda f: (f[0] - f[1], f[2], f[0]))
        picked: list[_Cand] = []
        for s, e, _, rule, m in found:
            if not any(s < p.end and p.start < e for p in picked):
                picked.append(_Cand(s, e, rule, m))
        return sorted(picked, key=lambda c: c.start)

    def _resolve(self, c: _Cand, ctx: _Context) -> Resolved:
        if not c.parts:
            return c.rule.resolve(c.match, ctx)
        first, second = c.parts
        if first.kind == "weekday" and second.kind == "date":
            m = second.match
            if second.rule.name in ("month_day", "day_month") and not m["year"] and ctx.anchor:
                wd = _WEEKDAY_NUM[_g(first.match, "wd").lower()]
                value = ctx.day_month(_mon(m), int(m["day"]), m.start(), weekday=wd)
                return ("DATE", value) if value else None
            return self._resolve(second, ctx)
        day_part, time_part = (first, second) if second.kind == "time" else (second, first)
        day_res = self._resolve(day_part, ctx)
        if day_res is None:
            return self._resolve(time_part, ctx)
        saved = ctx.ref_day
        ctx.note(day_res[1])  # the clock time is on that day
        time_res = self._resolve(time_part, ctx)
        if time_res is None:
            ctx.ref_day = saved
            return day_res
        return "TIME", day_res[1][:10] + time_res[1][10:]
