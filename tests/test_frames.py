"""Claim frames (extract/frames.py), the modality gate on fact support, and upstream sources
(group/wires.py)."""

import os

import pytest

from newsweave.model import Article, Frame, Removed, Span

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="module")
def frame(spacy_nlp):
    from newsweave.extract.frames import sentence_frame

    nlp = spacy_nlp

    def run(text):
        return sentence_frame(nlp(text), 0, len(text), "a")
    return run


@pytest.mark.parametrize("text, predicate, polarity, modality, attribution", [
    ("Five people died in the blast, police said.", "die", "positive", "asserted", "police"),
    ("According to the ministry, 113 people were killed.", "kill", "positive", "asserted",
     "the ministry"),
    ("The airline denied that the tires had been replaced.", "replace", "positive", "denied",
     "The airline"),
    ("The death toll is expected to rise.", "rise", "positive", "expected", None),
    ("No one was injured in the attack.", "injure", "negative", "asserted", None),
    ("Investigators may have found the cause of the crash.", "find", "positive", "possible",
     None),
    ("The suspect allegedly fired three shots at the guards.", "fire", "positive", "alleged",
     None),
    ("The group claimed responsibility for the attack.", "claim", "positive", "asserted", None),
])
def test_frames_read_predicate_polarity_modality_and_attribution(
        frame, text, predicate, polarity, modality, attribution):
    f = frame(text)
    assert (f.predicate, f.polarity, f.modality, f.attribution) == (
        predicate, polarity, modality, attribution)


def test_frames_read_who_did_what_to_whom(frame):
    f = frame("Air France grounded its remaining Concordes on Wednesday.")
    assert (f.actor, f.predicate, f.target) == ("Air France", "ground", "its remaining Concordes")
    f = frame("The plane was destroyed by a fire.")
    assert (f.actor, f.target) == ("a fire", "The plane")


def test_a_hedged_sentence_never_supports_a_stated_one():
    from newsweave.crosscheck import facts as F
    from newsweave.nlp import split_sentences

    texts = ["Investigators found a burst fuel line behind the fire at the terminal.",
             "Investigators may have found a burst fuel line behind the fire at the terminal.",
             "Investigators found a burst fuel line behind the fire at the terminal, they said."]
    modality = ["asserted", "possible", "asserted"]
    arts = [Article(id=f"a{i}", input=f"a{i}", text=t, sentences=split_sentences(t),
                    frames=(Frame(f"a{i}", 0, len(t), modality=modality[i]),))
            for i, t in enumerate(texts)]
    facts = F.FactAligner().align(arts, {a.id: i for i, a in enumerate(arts)})
    for f in facts:
        arts_of = {sp.article for sp in f.support}
        assert not ("a1" in arts_of and len(arts_of) > 1), f
    assert any({sp.article for sp in f.support} == {"a0", "a2"} for f in facts)


def test_credits_and_relayed_agencies():
    from newsweave.group.wires import article_credit, credit_name, sentence_credit

    assert credit_name("AP") == credit_name("The Associated Press") == "Associated Press"
    assert credit_name("Daily Planet") is None
    a = Article(id="x", input="x", text="The fire spread fast.",
                removed=(Removed("BAGHDAD (AP) _ ", "dateline"),))
    assert article_credit(a) == "Associated Press"
    b = Article(id="y", input="y", text="BEIJING, May 3 (Xinhua) -- The fire spread fast.")
    assert article_credit(b) == "Xinhua"
    assert article_credit(Article(id="z", input="z", text="The fire spread fast.")) is None
    # a bracket in a dateline is a credit even for an agency not listed
    n = Article(id="n", input="n", text="x", removed=(Removed("PORT ALDANE (Northgate) — ", "dateline"),))
    assert article_credit(n) == "Northgate"
    assert sentence_credit("Five died, Reuters reported.") == "Reuters"
    assert sentence_credit("seven were hurt, as reported by AP.") == "Associated Press"
    assert sentence_credit("The AP style guide says so.") is None


def test_upstream_sources_count_outlets_agencies_and_copies_once():
    from newsweave.group.wires import article_upstreams, upstream_count

    arts = [Article(id="ap1", input="", text="x", source="Associated Press"),
            Article(id="ap2", input="", text="x", source="Associated Press"),
            Article(id="post", input="", text="x", source="Daily Post",
                    removed=(Removed("PARIS (AP) _ ", "dateline"),)),
            Article(id="times", input="", text="x", source="The Times"),
            Article(id="blog", input="", text="x", source="Some Blog"),
            Article(id="anon", input="", text="x")]
    up = article_upstreams(arts)
    groups = {a.id: i for i, a in enumerate(arts)}
    spans = [Span(a.id, 0, 1, "x") for a in arts]
    # AP twice + the AP-credited Post = 1; the Times; the blog; the article with no outlet
    assert upstream_count(spans, up, groups) == 4
    # the blog copied the Times: one source
    groups["blog"] = groups["times"]
    assert upstream_count(spans, up, groups) == 3
    # a sentence relaying Reuters counts as Reuters, whatever outlet prints it
    relayed = [Span("times", 0, 1, "Five died, Reuters reported."),
               Span("blog", 0, 1, "Five died, Reuters reported.")]
    assert upstream_count(relayed, up, {}) == 1


def test_frames_list_coordinated_claims(frame):
    f = frame("The company said the manager was unharmed and had spent the day helping crews.")
    assert f.conjuncts == ("had spent the day helping crews",)


def test_a_support_must_state_each_coordinated_claim():
    from newsweave.crosscheck import facts as F
    from newsweave.nlp import split_sentences

    both = "The port said the manager was unharmed and had spent the night helping the crews."
    texts = [both,
             "The manager escaped unharmed and spent the night helping crews, the port said.",
             "The manager was unharmed, the port said on Tuesday evening."]
    conj = {0: ("had spent the night helping the crews",),
            1: ("spent the night helping crews",), 2: ()}
    arts = [Article(id=f"a{i}", input=f"a{i}", text=t, sentences=split_sentences(t),
                    frames=(Frame(f"a{i}", 0, len(t), conjuncts=conj[i]),))
            for i, t in enumerate(texts)]
    facts = F.FactAligner().align(arts, {a.id: i for i, a in enumerate(arts)})
    for f in facts:
        if f.statement in (texts[0], texts[1]):  # two claims: a2 states only the first
            assert "a2" not in {sp.article for sp in f.support}, f
    assert any({"a0", "a1"} <= {sp.article for sp in f.support} for f in facts)
