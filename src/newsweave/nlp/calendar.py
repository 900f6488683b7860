"""Month and weekday names, lower-case, one table for every module that reads dates."""

from __future__ import annotations

# full names and the abbreviations news uses ("Sept." and "Sep."), in calendar order
MONTH_NUM: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}
WEEKDAY_NUM: dict[str, int] = {d: i for i, d in enumerate(
    "monday tuesday wednesday thursday friday saturday sunday".split())}  # date.weekday() numbers

# regex alternations (use with re.I), longest names first
MONTHS_RE = "|".join(sorted(MONTH_NUM, key=lambda w: (-len(w), w)))
WEEKDAYS_RE = "|".join(WEEKDAY_NUM)
