"""What a time expression means: calendar arithmetic and the resolution context.

``TimeTagger`` (``times.py``) resolves expressions in reading order through one ``TimeContext`` per
text: the anchor (the publication date), the last day, month, quarter and year the text named, and
the tense of the clause before an expression. This module holds that context and the arithmetic it
does (whole weeks, months and quarters from a date; the weekday, month or day-and-month an undated
mention means; Easter and the holidays that move), the word tables it reads values from, and the
resolvers of the expressions that only mean something counted from a reference: "yesterday",
"this morning", "last week", "the previous Friday", "the same day", "two days ago", "the year-ago
quarter", "year-end". The rules that find expressions, and the resolvers of expressions that name
their own date or length, are in ``time_rules.py``.

Conventions, calibrated on TimeBank/AQUAINT (TempEval-3) and the seed gold; re-run
``python bench/timebank.py`` and ``--seeds`` after changing a rule (figures in bench/RESULTS.md):

- A bare weekday or month is the latest one on or before the anchor: news reports the past. It
  is the next one when its clause looks ahead ("will", "plans to", "is scheduled", "as soon as").
  A month that ends a period ("through September", "until May") is this year's.
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
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..nlp.calendar import MONTH_NUM, WEEKDAY_NUM

# --- lexicon: words and their values ---------------------------------------------------------

NUMBER_WORD = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
NUMBER_WORD.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                "ninety": 90, "hundred": 100, "a": 1, "an": 1, "a couple of": 2, "a dozen": 12})
ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
DECADE_WORD = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                "seventies": 7, "eighties": 8, "nineties": 9}
SEASON = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
PART_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
CLOCK_UNITS = ("second", "minute", "hour")  # written after "T" in a duration (PT4S, PT2H)
UNIT_CODE = {"second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "month": "M", "year": "Y",
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

# --- the tense of a clause -------------------------------------------------------------------

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


# --- calendar helpers ------------------------------------------------------------------------

def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    n = y * 12 + (m - 1) + k
    return n // 12, n % 12 + 1


def safe_date(y: int, m: int, d: int) -> date | None:
    """The date, or None when the day does not exist (30 February)."""
    try:
        return date(y, m, d)
    except ValueError:
        return None


def iso_day(d: date | None) -> str:
    """A date as a TIMEX3 day value; ``XXXX-XX-XX`` for None."""
    return d.isoformat() if d else "XXXX-XX-XX"


def iso_week(d: date | None) -> str:
    """The ISO week of a date as a TIMEX3 value (``2021-W44``); ``XXXX-WXX`` for None."""
    if d is None:
        return "XXXX-WXX"
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def quarter_of(d: date) -> tuple[int, int]:
    """(year, quarter) of a date."""
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


def holiday_date(name: str, y: int) -> date | None:
    """The date of a named holiday ("Christmas", "Easter", "Labor Day") in year ``y``; None if unknown."""
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


def parse_count(word: str) -> float | str:
    """A count from digits or words; vague quantities ("several", "a few") give ``"X"``."""
    w = " ".join(word.lower().split())
    if w[:1].isdigit():
        f = float(w)
        return int(f) if f.is_integer() else f
    if "-" in w:
        tens, ones = w.split("-", 1)
        return NUMBER_WORD.get(tens, 0) + NUMBER_WORD.get(ones, 0)
    return NUMBER_WORD.get(w, "X")


_UNTIL = re.compile(r"\b(?:through|thru|until|till|til)\s+$", re.I)


# --- the resolution context ------------------------------------------------------------------

class TimeContext:
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
            self.ref_day = safe_date(y, int(m.group(2)), int(m.group(3))) or self.ref_day
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
        elif _UNTIL.search(self.text, max(0, start - 12), start):
            # "suspended flights through September" (said in August): an end point, so this
            # year's, or next year's when the clause looks ahead past this month
            y = a.year + (mon < a.month and self.future(start))
        elif self.future(start):  # "elections will be held in December": the next one
            y = a.year + (mon < a.month)
        else:  # "in October": the latest October up to this month
            y = a.year - (mon > a.month)
        return f"{y:04d}-{mon:02d}"

    def day_month(self, mon: int, day: int, start: int, weekday: int | None = None) -> str | None:
        a = self.anchor
        if a is None:
            return f"XXXX-{mon:02d}-{day:02d}" if safe_date(2000, mon, day) else None
        cands = [d for y in (a.year - 1, a.year, a.year + 1) if (d := safe_date(y, mon, day))]
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


def group_text(m: Match, name: str) -> str:
    """A group's text, stripped; "" when the group did not take part or does not exist."""
    try:
        return (m.group(name) or "").strip()
    except IndexError:
        return ""


def group_lower(m: Match, name: str) -> str:
    """A group's text, lowercased with its whitespace collapsed; "" as ``group_text``."""
    return " ".join(group_text(m, name).lower().split())


def month_of(m: Match) -> int:
    """The month number (1-12) named by the match's ``mon`` group."""
    return MONTH_NUM[group_text(m, "mon").lower().rstrip(".")]


def quarter_value(y: int | None, q: int | str) -> str:
    """A quarter as a TIMEX3 value (``1989-Q3``); ``XXXX-Qq`` without a year."""
    return f"{y:04d}-Q{q}" if y is not None else f"XXXX-Q{q}"


# --- resolvers of expressions counted from the anchor or the text ----------------------------

def r_weekday_ref(m: Match, ctx: TimeContext) -> Resolved:
    """'the previous Friday', 'the following Monday': counted from the last day the text named."""
    wd, ref = WEEKDAY_NUM[group_text(m, "wd").lower()], ctx.ref_day
    if ref is None:
        return "DATE", f"XXXX-WXX-{wd + 1}"
    if _STEP[group_lower(m, "arel")] < 0:
        return "DATE", (ref - timedelta(days=(ref.weekday() - wd) % 7 or 7)).isoformat()
    return "DATE", (ref + timedelta(days=(wd - ref.weekday()) % 7 or 7)).isoformat()


def r_quarter_rel(m: Match, ctx: TimeContext) -> Resolved:
    """'the quarter', 'the latest period', 'the year-ago quarter', 'the 1988 period'."""
    rel = group_lower(m, "qrel") or group_lower(m, "det")
    if ctx.anchor is None and not m["year"]:
        return "DATE", "XXXX-QX"
    current = quarter_of(ctx.anchor) if ctx.anchor else (int(m["year"]), 1)
    if rel == "current":
        yq = current
    elif rel == "this":  # in an earnings report, the quarter being reported
        yq = ctx.ref_quarter or current
    else:
        yq = _shift_quarter(current, 1 if rel == "next" else -1)
    if m["year"]:
        yq = (int(m["year"]), yq[1])
    if "ago" in rel or "earlier" in rel or group_text(m, "ago") or group_lower(m, "yrel").startswith("last"):
        yq = (yq[0] - 1, yq[1])
        ctx.comparison = True
    return "DATE", quarter_value(*yq)


def r_deictic(m: Match, ctx: TimeContext) -> Resolved:
    """'today', 'yesterday', 'tomorrow', 'last night': counted from the anchor."""
    offset = _DEICTIC_DAYS.get(group_lower(m, "w"), 0)  # today and tonight: 0
    return "DATE", iso_day(ctx.anchor + timedelta(days=offset) if ctx.anchor else None)


def r_part_of_day(m: Match, ctx: TimeContext) -> Resolved:
    """'this morning', 'this evening': the anchor day's part of day."""
    return "TIME", f"{iso_day(ctx.anchor)}T{PART_OF_DAY[group_lower(m, 'pod')]}"


def r_unit_rel(m: Match, ctx: TimeContext) -> Resolved:
    """this/last/next/past week, weekend, month, year, decade; "the weekend"."""
    rel, unit, a = group_lower(m, "rel"), group_lower(m, "unit"), ctx.anchor
    step = _STEP.get(rel, 0)
    if unit == "weekend":
        if a is None:
            return "DATE", "XXXX-WXX-WE"
        if rel == "" and a.weekday() < 5 and not ctx.future(m.start()):
            step = -1  # "over the weekend": the one just gone
        return "DATE", iso_week(a + timedelta(days=7 * step)) + "-WE"
    if unit == "week":
        return "DATE", iso_week(a + timedelta(days=7 * step) if a else None)
    if a is None:
        return "DATE", {"month": "XXXX-XX", "decade": "XXX"}.get(unit, "XXXX")
    if unit == "month":
        return "DATE", "%04d-%02d" % _add_months(a.year, a.month, step)
    if unit == "decade":
        return "DATE", f"{a.year // 10 + step:03d}"
    return "DATE", f"{a.year + step:04d}"  # year, fiscal year


def r_anaphoric(m: Match, ctx: TimeContext) -> Resolved:
    """the same day, that day, the next day, the day before, the following month, that year."""
    step, unit = _STEP.get(group_lower(m, "arel"), 0), group_lower(m, "unit")
    if unit == "week":
        return "DATE", iso_week(ctx.ref_day + timedelta(days=7 * step) if ctx.ref_day else None)
    if unit == "month":
        return "DATE", "%04d-%02d" % _add_months(*ctx.ref_month, step) if ctx.ref_month else "XXXX-XX"
    if unit == "year":
        return "DATE", f"{ctx.ref_year + step:04d}" if ctx.ref_year else "XXXX"
    return "DATE", iso_day(ctx.ref_day + timedelta(days=step) if ctx.ref_day else None)  # day, night...


def r_ref_day(m: Match, ctx: TimeContext) -> Resolved:
    """'during the day', 'throughout the day': the last day the text named."""
    return "DATE", iso_day(ctx.ref_day)


def unit_name(m: Match) -> str:
    """The match's ``unit`` group as a singular unit name ("weeks" -> "week", "centuries" -> "century")."""
    u = group_lower(m, "unit")
    return "century" if u.startswith("centur") else u.rstrip("s")


def vague_duration(unit: str) -> str:
    """A duration of unknown length in ``unit`` (``PXW``, ``PTXH``)."""
    return f"P{'T' if unit in CLOCK_UNITS else ''}X{UNIT_CODE[unit]}"


def r_offset(m: Match, ctx: TimeContext) -> Resolved:
    """N units ago / from now (from the anchor); earlier / later / after / before (from the text)."""
    n, unit, direction = parse_count(group_text(m, "num")), unit_name(m), group_lower(m, "dir")
    deictic = direction in ("ago", "back", "from now", "hence")
    if n == "X":
        return {"ago": ("DATE", "PAST_REF"), "back": ("DATE", "PAST_REF"),
                "from now": ("DATE", "FUTURE_REF"), "hence": ("DATE", "FUTURE_REF")}.get(
            direction, ("DURATION", vague_duration(unit)))
    # "It comes two days after the clashes": the clashes were two days before the reference day.
    sign = -1 if direction in ("ago", "back", "earlier", "after") else 1
    ctx.comparison = not deictic or unit == "year"
    if unit == "year" and n == 1 and direction in ("ago", "earlier") and ctx.ref_quarter:
        return "DATE", quarter_value(ctx.ref_quarter[0] - 1, ctx.ref_quarter[1])
    if not deictic and unit in ("second", "minute"):
        # "four seconds later", "a minute after": how long after (an hour or more can move the
        # calendar day, and reads as the date)
        count = abs(n) if isinstance(n, int) else f"{abs(n):g}"
        return "DURATION", f"PT{count}{UNIT_CODE[unit]}"
    base = ctx.anchor if deictic else ctx.ref_day
    if base is None:
        return "DATE", {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX"}.get(unit, "XXXX")
    n = sign * n
    if unit in ("minute", "hour", "day"):
        return "DATE", (base + timedelta(days=round(n) if unit == "day" else 0)).isoformat()
    if unit == "week":
        return "DATE", iso_week(base + timedelta(days=round(7 * n)))
    if unit == "month":
        return "DATE", "%04d-%02d" % _add_months(base.year, base.month, round(n))
    if unit == "quarter":
        return "DATE", quarter_value(*_shift_quarter(quarter_of(base), round(n)))
    return "DATE", f"{base.year + round(n * {'decade': 10, 'century': 100}.get(unit, 1)):04d}"


def r_year_ago(m: Match, ctx: TimeContext) -> Resolved:
    """'year-ago'/'year-earlier' as adjectives: the year before the period under discussion."""
    ctx.comparison = True
    if ctx.ref_quarter:
        return "DATE", quarter_value(ctx.ref_quarter[0] - 1, ctx.ref_quarter[1])
    return "DATE", f"{ctx.anchor.year - 1:04d}" if ctx.anchor else "XXXX"


def r_year_end(m: Match, ctx: TimeContext) -> Resolved:
    """'year-end', 'the end of the year', 'the end of the month': the year (or month) meant."""
    a = ctx.anchor
    if a is None:
        return "DATE", "XXXX"
    if group_lower(m, "unit") == "month":
        return "DATE", f"{a.year:04d}-{a.month:02d}"
    return "DATE", f"{a.year - (ctx.tense(m.start()) == 'past'):04d}"  # "since year-end"


def r_the_year(m: Match, ctx: TimeContext) -> Resolved:
    """'the current fiscal year', 'the full year', 'earlier in the year', 'the latest fiscal year'."""
    if ctx.anchor is None:
        return "DATE", "XXXX"
    return "DATE", f"{ctx.anchor.year - (group_lower(m, 'yq') == 'latest'):04d}"
