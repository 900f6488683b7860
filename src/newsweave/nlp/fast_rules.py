"""spaCy's attribute ruler and rule lemmatizer, memoised: the same annotations, about 2.5x less CPU.

spaCy's ``AttributeRuler`` runs a Matcher with 179 patterns over every token, and its rule
lemmatizer caches only some of its answers: together 17 % of the Extractor's CPU on DUC 2004.
Both answers depend on a few token attributes alone, so they are memoised on those and written
back with ``Doc.from_array``. On the 345,550 tokens of DUC 2004 every POS, TAG, DEP, MORPH and
LEMMA equals spaCy's own (bench/extract_speed.py, ``fast`` section; tests/test_fast_rules.py).
"""

from __future__ import annotations

import re

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.tokens._retokenize import set_token_attrs

_READS = {"TAG": TAG, "LOWER": LOWER, "DEP": DEP, "IS_SPACE": IS_SPACE}


def _spec_matches(spec: dict, vals: dict) -> bool:
    """One Matcher token pattern (exact, IN, NOT_IN, REGEX) against attribute values."""
    for attr, want in spec.items():
        v = vals[attr]
        if not isinstance(want, dict):
            if v != want:
                return False
            continue
        for op, arg in want.items():
            if op == "IN" and v not in arg or op == "NOT_IN" and v in arg or \
                    op == "REGEX" and not re.search(arg, v):
                return False
            if op not in ("IN", "NOT_IN", "REGEX"):
                raise ValueError(f"attribute ruler pattern operator {op} is not supported")
    return True


class FastAttributeRuler:
    """spaCy's ``AttributeRuler`` results, memoised on (TAG, LOWER, DEP, IS_SPACE).

    Single-token rules are resolved once per distinct key; the few two-token rules ("gon na",
    "there is") are matched per Doc and applied, like every rule setting TAG or DEP, through
    spaCy's own ``set_token_attrs`` in rule order."""

    def __init__(self, ruler):
        self.ruler, self.strings = ruler, ruler.vocab.strings
        self.specs: list[dict] = []
        self.single: dict[int, list[int]] = {}
        self.multi: list[tuple[int, list[int], int]] = []
        lowers, self.regexes = set(), []
        for attr_id, p in enumerate(ruler.patterns):
            for pattern in p["patterns"]:
                ids = []
                for tok in pattern:
                    if set(tok) - set(_READS):
                        raise ValueError(f"attribute ruler keys {set(tok) - set(_READS)} are not supported")
                    want = tok.get("LOWER")
                    if isinstance(want, str):
                        lowers.add(want)
                    elif isinstance(want, dict):
                        for op, arg in want.items():
                            (self.regexes.append if op == "REGEX" else lowers.update)(arg)
                    if tok not in self.specs:
                        self.specs.append(tok)
                    ids.append(self.specs.index(tok))
                if len(ids) == 1:
                    self.single.setdefault(ids[0], []).append(attr_id)
                else:
                    idx = ruler.indices[attr_id]
                    self.multi.append((attr_id, ids, idx if idx >= 0 else len(ids) + idx))
        self.lowers = {self.strings.add(w) for w in lowers}
        self._multi_first = frozenset(ids[0] for _a, ids, _i in self.multi)
        self._lower_key: dict[int, int] = {}
        self._specs: dict[tuple, frozenset] = {}
        self._result: dict[tuple, tuple[list[int], dict, bool]] = {}

    def _lower(self, h: int) -> int:
        """A LOWER no pattern names reads as 0, so the keys stay few."""
        k = self._lower_key.get(h)
        if k is None:
            s = self.strings[h]
            k = self._lower_key[h] = h if h in self.lowers or any(re.search(r, s) for r in self.regexes) else 0
        return k

    def _specs_of(self, key: tuple) -> frozenset:
        got = self._specs.get(key)
        if got is None:
            tag, low, dep, space = key
            vals = {"TAG": self.strings[tag] if tag else "", "LOWER": self.strings[low] if low else "\0",
                    "DEP": self.strings[dep] if dep else "", "IS_SPACE": bool(space)}
            got = self._specs[key] = frozenset(i for i, s in enumerate(self.specs) if _spec_matches(s, vals))
            ids = sorted(a for s in got for a in self.single.get(s, ()))
            merged: dict = {}
            for a in ids:
                merged.update(self.ruler.attrs[a])
            self._result[key] = (ids, merged, set(merged) <= {POS, MORPH, LEMMA})
        return got

    def __call__(self, doc):
        keys = [(t, self._lower(lw), d, s) for t, lw, d, s in doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()]
        per = [self._specs_of(k) for k in keys]
        ordered = []  # (rule, token) applied by spaCy's setter, in rule order
        for i, got in enumerate(per):
            if got.isdisjoint(self._multi_first):
                continue
            for attr_id, ids, idx in self.multi:
                if i + len(ids) <= len(per) and all(s in per[i + k] for k, s in enumerate(ids)):
                    ordered.append((attr_id, i + idx))
        by_setter = {i for _a, i in ordered}
        cols = doc.to_array([POS, MORPH, LEMMA])
        rows = cols.tolist()
        col = {POS: 0, MORPH: 1, LEMMA: 2}
        for i, key in enumerate(keys):
            ids, merged, simple = self._result[key]
            if not ids:
                continue
            if simple and i not in by_setter:
                for a, v in merged.items():
                    rows[i][col[a]] = v
            else:
                ordered.extend((a, i) for a in ids)
        doc.from_array([POS, MORPH, LEMMA], numpy.asarray(rows, dtype=cols.dtype))
        for a, i in sorted(ordered):
            set_token_attrs(doc[i], self.ruler.attrs[a])
        return doc

    def pipe(self, docs, **_kwargs):
        for doc in docs:
            yield self(doc)


class FastLemmatizer:
    """spaCy's rule lemmatizer memoised on (ORTH, POS, MORPH), on every branch (spaCy's own
    cache skips base forms, proper nouns and punctuation, most of the tokens)."""

    def __init__(self, lemmatizer):
        if lemmatizer.mode != "rule" or lemmatizer.overwrite:
            raise ValueError("FastLemmatizer reproduces the rule lemmatizer without overwrite only")
        self.lemmatizer, self.strings = lemmatizer, lemmatizer.vocab.strings
        self._cache: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc):
        arr = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = []
        for i, (orth, pos, morph, lemma) in enumerate(arr.tolist()):
            if lemma == 0:  # the attribute ruler's lemmas stand, as in spaCy's
                lemma = self._cache.get((orth, pos, morph))
                if lemma is None:
                    lemma = self._cache[(orth, pos, morph)] = self.strings.add(
                        self.lemmatizer.lemmatize(doc[i])[0])
            lemmas.append(lemma)
        doc.from_array([LEMMA], numpy.asarray(lemmas, dtype=arr.dtype).reshape(-1, 1))
        return doc

    def pipe(self, docs, **_kwargs):
        for doc in docs:
            yield self(doc)


def fast_rules(nlp):
    """``nlp`` (a fresh one: it is changed in place) with the memoised ruler and lemmatizer."""
    swap = {"attribute_ruler": FastAttributeRuler, "lemmatizer": FastLemmatizer}
    nlp._components = [(n, swap[n](p) if n in swap else p) for n, p in nlp._components]
    return nlp
