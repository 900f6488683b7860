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

Three modules: ``time_rules.py`` (what expressions look like: the rule table), ``time_resolve.py``
(what they mean: calendar arithmetic, the per-text context and the conventions it follows) and
this one, the tagger: it tries each rule where a word the rule can start with begins, keeps the
longest of overlapping matches, joins a weekday to its date and a date to its clock time, and
resolves what is left in reading order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from ..nlp.calendar import WEEKDAY_NUM
from .time_resolve import Match, Resolved, TimeContext, group_text, month_of
from .time_rules import RULE_INDEX, RULES, WORD_TOKEN, Rule

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


# --- candidates and merging ------------------------------------------------------------------

@dataclass
class _Cand:
    start: int
    end: int
    rule: Rule
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


_DURATION = re.compile(r"^P(?P<date>(?:\d+(?:\.\d+)?[YMWD])*)(?:T(?P<clock>(?:\d+(?:\.\d+)?[HMS])+))?$")
_DURATION_ORDER = ["Y", "MO", "W", "D", "H", "TM", "S"]
_JOINER = re.compile(r"^(?:,\s*(?:and\s+)?|\s+and\s+)$")


def _duration_parts(value: str) -> list[tuple[str, str]] | None:
    """'PT2H54M' -> [('H', '2'), ('TM', '54')] (minutes of the clock part are 'TM', months 'MO');
    None for a value that is not a definite duration ('PXM', a date)."""
    m = _DURATION.match(value)
    if not m or value == "P":
        return None
    parts = [("MO" if u == "M" else u, n) for n, u in re.findall(r"(\d+(?:\.\d+)?)([YMWD])", m["date"])]
    parts += [("TM" if u == "M" else u, n) for n, u in re.findall(r"(\d+(?:\.\d+)?)([HMS])",
                                                                   m["clock"] or "")]
    return parts or None


def _join_durations(found: list[TimeExpr], text: str) -> list[TimeExpr]:
    """'17 hours and three minutes', 'two hours, 54 minutes and 30 seconds': one duration
    (PT17H3M), not one per unit, when each part is a smaller unit than the one before."""
    out: list[TimeExpr] = []
    for t in found:
        prev = out[-1] if out else None
        if prev is not None and prev.type == "DURATION" and t.type == "DURATION" \
                and _JOINER.match(text[prev.end:t.start]):
            a, b = _duration_parts(prev.value), _duration_parts(t.value)
            if a and b and len(b) == 1 and \
                    _DURATION_ORDER.index(b[0][0]) > _DURATION_ORDER.index(a[-1][0]):
                parts = a + b
                date = "".join(f"{n}{u[0]}" for u, n in parts if u in ("Y", "MO", "W", "D"))
                clock = "".join(f"{n}{u[-1]}" for u, n in parts if u in ("H", "TM", "S"))
                value = f"P{date}" + (f"T{clock}" if clock else "")
                out[-1] = TimeExpr(prev.start, t.end, text[prev.start:t.end], value, "DURATION",
                                   t.precision)
                continue
        out.append(t)
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
        ctx = TimeContext(text, _parse_anchor(anchor, "anchor") or _parse_anchor(context, "context"))
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
        return _join_durations(out, text)

    @staticmethod
    def _matches(text: str, exhaustive: bool = False) -> Iterator[tuple[int, Rule, Match]]:
        """(rule order, rule, match) for every rule matching where a word in its ``starts`` begins;
        ``exhaustive`` scans the whole text with every rule instead (slow: the tests' reference)."""
        if exhaustive:
            for order, rule in enumerate(RULES):
                for m in rule.pattern.finditer(text):
                    yield order, rule, m
            return
        for tok in WORD_TOKEN.finditer(text):
            w = tok.group()
            for order, rule in RULE_INDEX.get("#d" if w[0].isdigit() else "#'" if w[0] in "'’" else w.lower(), ()):
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

    def _resolve(self, c: _Cand, ctx: TimeContext) -> Resolved:
        if not c.parts:
            return c.rule.resolve(c.match, ctx)
        first, second = c.parts
        if first.kind == "weekday" and second.kind == "date":
            m = second.match
            if second.rule.name in ("month_day", "day_month") and not m["year"] and ctx.anchor:
                wd = WEEKDAY_NUM[group_text(first.match, "wd").lower()]
                value = ctx.day_month(month_of(m), int(m["day"]), m.start(), weekday=wd)
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
