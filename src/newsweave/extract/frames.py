"""Claim frames: who did what to whom in a sentence, how firmly, and who says so.

Read off spaCy's dependency parse of each sentence. The predicate is the main verb; when that
verb only reports ("police said", "the airline denied that ..."), its subject is the
attribution, the reported clause's verb the predicate, and denying, alleging, fearing or
expecting sets the modality. "According to X" is an attribution too. Modal auxiliaries
("may have", "could"), hedging adverbs ("allegedly", "reportedly") and raising verbs ("is
expected to", "is feared") set the modality; "not", "never" and "no one" the polarity.

>>> # doctest: +SKIP
>>> sentence_frame(nlp("Five people died in the blast, police said."), 0, 44, "a1")
Frame(article='a1', start=0, end=44, predicate='die', actor='Five people', target=None,
      polarity='positive', modality='asserted', attribution='police', ...)
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Frame, Sentence

# Verbs whose subject says the clause they govern; the value is the modality the saying gives.
REPORTING = {
    "say": "asserted", "tell": "asserted", "report": "asserted", "announce": "asserted",
    "state": "asserted", "add": "asserted", "confirm": "asserted", "insist": "asserted",
    "note": "asserted", "explain": "asserted", "write": "asserted", "acknowledge": "asserted",
    "admit": "asserted", "disclose": "asserted", "reveal": "asserted", "testify": "asserted",
    "declare": "asserted", "warn": "asserted", "stress": "asserted", "indicate": "asserted",
    "deny": "denied", "dispute": "denied", "reject": "denied",
    "allege": "alleged", "claim": "alleged", "accuse": "alleged", "suspect": "alleged",
    "believe": "alleged", "suggest": "possible", "speculate": "possible",
    "fear": "feared", "worry": "feared",
    "expect": "expected", "predict": "expected", "forecast": "expected", "estimate": "possible",
}
# Verbs and adjectives that raise a clause into a modality: "is expected to rise", "likely to".
RAISING = {"expect": "expected", "likely": "possible", "unlikely": "possible",
           "feared": "feared", "fear": "feared", "believe": "alleged", "think": "alleged",
           "say": "alleged", "report": "alleged", "allege": "alleged", "suspect": "alleged",
           "set": "expected", "due": "expected", "poise": "expected", "plan": "expected",
           "possible": "possible", "probable": "possible", "appear": "possible",
           "seem": "possible"}
MODAL_AUX = {"may": "possible", "might": "possible", "could": "possible", "can": "possible",
             "will": "expected", "would": "expected", "shall": "expected", "should": "expected"}
HEDGES = {"allegedly": "alleged", "reportedly": "alleged", "purportedly": "alleged",
          "apparently": "possible", "possibly": "possible", "probably": "possible",
          "perhaps": "possible", "likely": "possible", "maybe": "possible"}
NEGATIVE_DETS = frozenset({"no", "neither"})
NEGATIVE_WORDS = frozenset({"nobody", "nothing", "none", "noone", "never"})
SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
MAX_ARGUMENT_WORDS = 8


def _phrase(head) -> str:
    """A short text for an argument: the head's subtree, or from its left edge to the head when
    the subtree runs long (relative clauses and appositions are cut)."""
    toks = list(head.subtree)
    if len(toks) > MAX_ARGUMENT_WORDS:
        toks = [t for t in toks if t.i <= head.i][-MAX_ARGUMENT_WORDS:]
    while toks and (toks[-1].is_punct or toks[-1].is_space):
        toks.pop()
    while toks and (toks[0].is_punct or toks[0].is_space or toks[0].dep_ == "cc"):
        toks.pop(0)
    if not toks:
        return head.text
    # a Span's text, not a slice of doc.text: spaCy rebuilds Doc.text on every access
    return head.doc[toks[0].i:toks[-1].i + 1].text


def _clause_text(head) -> str:
    """The whole clause a predicate heads, as written (its subtree, edge punctuation off)."""
    toks = [t for t in head.subtree]
    while toks and (toks[-1].is_punct or toks[-1].is_space or toks[-1].dep_ == "cc"):
        toks.pop()
    while toks and (toks[0].is_punct or toks[0].is_space or toks[0].dep_ == "cc"):
        toks.pop(0)
    return head.doc[toks[0].i:toks[-1].i + 1].text if toks else head.text


def _child(tok, deps) -> object | None:
    return next((c for c in tok.children if c.dep_ in deps), None)


def _root(tokens):
    inside = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i == t.i or t.head.i not in inside]
    verbs = [t for t in roots if t.pos_ in ("VERB", "AUX")]
    return (verbs or roots or [None])[0]


def _according_to(tokens) -> str | None:
    for t in tokens:
        if t.lower_ == "according":
            to = _child(t, {"prep"})
            obj = _child(to, {"pobj"}) if to is not None else None
            if obj is not None:
                return _phrase(obj)
    return None


def _modality(pred) -> str:
    """How firmly the predicate is stated: its auxiliaries, adverbs and raising heads."""
    for c in pred.children:
        if c.dep_ == "aux" and c.lower_ in MODAL_AUX:
            return MODAL_AUX[c.lower_]
        if c.dep_ == "advmod" and c.lower_ in HEDGES:
            return HEDGES[c.lower_]
    head = pred.head
    # "The toll is expected to rise": the clause hangs as xcomp on the raising verb
    if pred.dep_ == "xcomp" and head.lemma_.lower() in RAISING:
        return RAISING[head.lemma_.lower()]
    # "Ten are feared dead", "He is believed killed"
    if pred.lemma_.lower() in ("fear", "believe") and _child(pred, {"acomp", "oprd", "xcomp"}):
        return RAISING[pred.lemma_.lower()]
    return "asserted"


def _polarity(pred) -> str:
    for c in pred.children:
        if c.dep_ == "neg" or c.lower_ in NEGATIVE_WORDS:
            return "negative"
        if c.dep_ in SUBJECTS | {"dobj"}:
            if c.lower_ in NEGATIVE_WORDS or any(
                    d.dep_ == "det" and d.lower_ in NEGATIVE_DETS for d in c.children):
                return "negative"
    return "positive"


def sentence_frame(doc, start: int, end: int, article: str) -> Frame | None:
    """The frame of the sentence at ``start:end`` of the parsed ``doc``; None when the parse
    gives it no verb."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    tokens = list(span)
    pred = _root(tokens)
    if pred is None or pred.pos_ not in ("VERB", "AUX"):
        return None
    attribution = None
    modality = None
    raised = None  # the subject of a raising verb: "The toll" of "The toll is expected to rise"
    lemma = pred.lemma_.lower()
    if lemma in REPORTING or lemma in RAISING:
        said = _child(pred, {"ccomp", "xcomp"})
        # "claimed responsibility, ..." takes an object: it reports nothing
        if (said is not None and said.pos_ in ("VERB", "AUX")
                and (lemma == "tell" or _child(pred, {"dobj"}) is None)):
            passive = _child(pred, {"nsubjpass"})
            if passive is not None or lemma not in REPORTING:  # "is expected to", "seems to"
                raised = passive or _child(pred, {"nsubj"})
                modality = RAISING.get(lemma, "alleged")
            else:  # "police said", "the airline denied that"
                subj = _child(pred, {"nsubj", "csubj"})
                attribution = _phrase(subj) if subj is not None else None
                modality = REPORTING[lemma] if REPORTING[lemma] != "asserted" else None
            pred = said
    attribution = attribution or _according_to(tokens)
    subj = _child(pred, {"nsubj", "csubj"}) or raised
    passive = _child(pred, {"nsubjpass"})
    agent = _child(pred, {"agent"})
    obj = _child(pred, {"dobj", "attr", "acomp", "oprd"})
    if passive is not None:
        target = passive
        by = _child(agent, {"pobj"}) if agent is not None else None
        actor = by
    else:
        actor, target = subj, obj
    conjuncts = tuple(_clause_text(c) for c in pred.children
                      if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"))
    own = _modality(pred)
    return Frame(article=article, start=start, end=end,
                 predicate=pred.lemma_.lower() or None,
                 actor=_phrase(actor) if actor is not None else None,
                 target=_phrase(target) if target is not None else None,
                 polarity=_polarity(pred),  # type: ignore[arg-type]
                 modality=(own if own != "asserted" else modality or "asserted"),  # type: ignore[arg-type]
                 attribution=attribution, conjuncts=conjuncts)


def article_frames(doc, sentences: Sequence[Sentence], article: str) -> tuple[Frame, ...]:
    """One frame per sentence of the article that has a verb."""
    out = []
    for s in sentences:
        f = sentence_frame(doc, s.start, s.end, article)
        if f is not None:
            out.append(f)
    return tuple(out)


def modality_class(frame: Frame | None) -> str:
    """What two supports must share: stated as fact (said or unsaid by someone), or hedged,
    alleged, denied, feared. No frame reads as stated."""
    return frame.modality if frame is not None else "asserted"
