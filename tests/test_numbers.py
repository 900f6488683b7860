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
