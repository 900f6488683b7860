"""Whether one sentence can stand for another's claim, by what both state: the figures that
count something and the polarity. No model: these are the checks that keep a citation or a fact's
support from resting on a sentence that says something else ("more than a dozen" for "14", "was
not hurt" for "was hurt"), whatever the similarity of the two sentences.
"""

from __future__ import annotations

import re

# "one" left out: "one of the", "no one" are not counts often enough to make a figure
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12,
                 "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
                 "eighteen": 18, "nineteen": 19, "twenty": 20}


def _numbers(text: str) -> set[str]:
    found = {m.replace(",", "") for m in re.findall(r"\b\d+(?:,\d{3})*(?:\.\d+)?\b", text)}
    found |= {str(_NUMBER_WORDS[w]) for w in re.findall(r"[a-z]+", text.lower())
              if w in _NUMBER_WORDS}
    return found


_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
# Figures that name a moment, not a count: dates ("July 25", "25 July"), years, clock times.
_NOT_A_COUNT = re.compile(rf"\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}"
                          r"|\b(?:1[5-9]|20)\d\d\b|\b\d{1,2}:\d\d(?::\d\d)?\b")
_NEGATION = re.compile(r"\b(?:not|no|never|none|nobody|neither|nor|denied|denies|deny|"
                       r"without)\b|n[’']t\b", re.I)


def count_figures(text: str) -> set[str]:
    """The figures of ``text`` that count something ("113 people", "seven guards"), as strings:
    digits and number words, leaving out dates, years and clock times."""
    return _numbers(_NOT_A_COUNT.sub(" ", text))


def negated(text: str) -> bool:
    """Whether ``text`` holds a negation ("not", "no", "never", "denied", "-n't")."""
    return _NEGATION.search(text) is not None


def states(statement: str, other: str) -> bool:
    """Whether ``other`` can support ``statement``: it gives each figure the statement counts
    with (a unit that gives other figures, or none, states another claim or disputes this one),
    and it is negated exactly when the statement is."""
    return (count_figures(statement) <= count_figures(other)
            and negated(statement) == negated(other))
