"""The memoised attribute ruler and lemmatizer give exactly spaCy's annotations."""

from __future__ import annotations

import pytest

from newsweave.errors import ConfigError
from newsweave.nlp.models import SPACY_MODEL, extraction_model, spacy_model

from .conftest import EXAMPLES

TEXTS = [
    "There is gon na be trouble, she said. \"We're going to win,\" he told reporters on Sunday.",
    "Three drones, two of which were shot down, targeted the Prime Minister's residence.",
    "The U.N. mission (UNAMI) said it was 'deeply concerned'. Isn't it? Aren't they? I'd've gone.",
    "  Whitespace   runs\n\nand\ttabs, e-mails like a.b@c.org, 41% turnout and $3.5bn.  ",
    "Running ran runs better best worst children's mice geese went gone being been.",
]


def _columns(doc):
    from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG

    return doc.to_array([POS, TAG, DEP, MORPH, LEMMA]).tolist()


def test_memoised_components_equal_spacy():
    standard = spacy_model.__wrapped__(SPACY_MODEL)
    fast = extraction_model.__wrapped__(SPACY_MODEL, True)
    texts = TEXTS + [p.read_text("utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    # Twice: the second pass reads the memo filled by the first.
    for _ in range(2):
        for std_doc, fast_doc in zip(standard.pipe(texts), fast.pipe(texts)):
            assert [t.text for t in std_doc] == [t.text for t in fast_doc]
            assert _columns(std_doc) == _columns(fast_doc)
            assert [t.lemma_ for t in std_doc] == [t.lemma_ for t in fast_doc]


def test_model_without_parser_is_refused(monkeypatch):
    import spacy

    blank = spacy.blank("en")
    monkeypatch.setattr(spacy_model, "__wrapped__", lambda name, disable=(): blank)
    with pytest.raises(ConfigError, match="parser"):
        extraction_model.__wrapped__("blank-en", True)
