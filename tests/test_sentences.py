import pytest

from newsweave.nlp import split_sentences


def _texts(t):
    return [t[s.start:s.end] for s in split_sentences(t)]


@pytest.mark.parametrize("text,expected", [
    ("He left. She stayed.", ["He left.", "She stayed."]),
    ("Mr. Smith met Dr. Jones in the U.S. on Monday. Then he left.",
     ["Mr. Smith met Dr. Jones in the U.S. on Monday.", "Then he left."]),
    ("“I am fine,” he said. “Thank God.” Then silence.",
     ["“I am fine,” he said.", "“Thank God.”", "Then silence."]),
    ("George W. Bush spoke. Fine.", ["George W. Bush spoke.", "Fine."]),
    ("Line one without stop\nLine two.", ["Line one without stop", "Line two."]),
    ("It rose 3.5 percent. Good.", ["It rose 3.5 percent.", "Good."]),
])
def test_split(text, expected):
    assert _texts(text) == expected


def test_offsets_are_exact():
    t = "  First one.   Second one!  \n\n Third?"
    for s in split_sentences(t):
        assert t[s.start:s.end] == t[s.start:s.end].strip() and t[s.start:s.end]
