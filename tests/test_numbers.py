"""Counts the parse alone misses: hyphenated tens, people understood from a place or a verb,
tolls, money (extract/numbers.py)."""

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="module")
def counts(spacy_nlp):
    from newsweave.extract.numbers import NumberExtractor

    nlp = spacy_nlp

    def run(text):
        return [(m.value, m.subject, m.text, m.role) for m in NumberExtractor().extract(nlp(text), "a")]
    return run


@pytest.mark.parametrize("text, expected", [
    ("Forty-four members of the national police work on the inquiry.",
     (44, "member", "Forty-four members", None)),
    ("The crash killed all 109 people on board and four on the ground.",
     (4, "people", "four on the ground", "killed")),
    ("All 109 on board were killed.", (109, "people", "All 109 on board", "killed")),
    ("The plane crashed into a hotel, killing four.", (4, "people", "four", "killed")),
    ("The death toll rose to 257 on Sunday.", (257, "people", "257", "killed")),
    ("The number of injured stood at 40, officials said.", None),
    ("Air France offered $20,000 to each family.", (20000, "dollars", "$20,000", None)),
])
def test_counts_in_their_phrasings(counts, text, expected):
    found = counts(text)
    if expected is None:
        assert all(v != 40 or s != "people" or r != "killed" for v, s, _t, r in found)
    else:
        assert expected in found, found


def test_a_count_with_its_place_keeps_the_place(counts):
    found = counts("The crash killed all 109 people on board.")
    assert (109, "people", "all 109 people on board", "killed") in found


@pytest.mark.parametrize("text, value, subject", [
    ("Investigators said one or two of the truck's axles broke.", 2, "axle"),  # a range's far end
    ("The choir took 12- to 19-year-old singers.", 12, None),  # a suspended hyphen
    ("The fire reached a small mining town of 8,000 in the hills.", 8000, "people"),
    ("The crossing took about two and one-half hours.", 2.5, "hour"),
    ("The crossing took two and a half hours.", 2.5, "hour"),
    ("There was a half-minute of silence.", 0.5, "minute"),
    ("One valve burst and another failed twice.", 2, "times"),
    ("The talks came a day after the vote.", 1, "day"),
    ("Repairs could take a year.", 1, "year"),
    ("A minute later the lights went out.", 1, "minute"),
])
def test_counts_said_without_a_numeral(counts, text, value, subject):
    found = counts(text)
    assert any(v == value and (subject is None or s == subject) for v, s, _t, _r in found), found


def test_a_day_of_mourning_is_not_a_length(counts):
    assert not [f for f in counts("Friday was a day of mourning in the town.") if f[1] == "day"]


@pytest.mark.parametrize("text", [
    "Air France Flight 4590 crashed on takeoff.",
    "Engine 2 failed, and engines No. 1 and 2 lost power.",
    "The prototype Concorde 001 first flew in 1969.",
])
def test_numbers_that_name_are_not_counts(counts, text):
    assert [f for f in counts(text) if f[0] in (1, 2, 4590)] == []
