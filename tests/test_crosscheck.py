"""Cross-checking pieces on invented data: number conflicts, roles, the NLI plug-in interface."""

from newsweave.crosscheck.conflicts import number_conflicts, role_conflicts
from newsweave.crosscheck.nli import nli_conflicts
from newsweave.model import Claim, Entity, Fact, NumberMention, Span


def _n(article, value, text, noun="drone", role=None):
    return NumberMention(value, noun, text, article, 0, len(text), role)


def test_lower_bounds_fit_larger_figures():
    ns = [_n("a", 2, "at least two drones"), _n("b", 3, "three drones")]
    assert number_conflicts(ns) == []


def test_figures_that_clash_across_articles_conflict():
    ns = [_n("a", 1, "an armed drone"), _n("b", 3, "three drones"), _n("b", 2, "two of which were shot down")]
    [c] = number_conflicts(ns)
    assert c.topic == "number of drones" and {cl.value for cl in c.claims} == {1, 3}


def test_unrelated_figures_do_not_conflict():
    ns = [_n("a", 240, "240 people", "people"), _n("b", 12, "12 people", "people")]
    assert number_conflicts(ns, related=lambda x, y: False) == []


def test_one_article_alone_is_not_a_cross_source_conflict():
    assert number_conflicts([_n("a", 1, "one drone"), _n("a", 3, "three drones")]) == []


def test_title_given_to_two_people():
    ents = (Entity("e1", "Mustafa al-Kadhimi", "PERSON", ("Mustafa al-Kadhimi", "Kadhimi"), ("a",), 3),
            Entity("e2", "Barham Salih", "PERSON", ("Barham Salih",), ("a",), 1))
    claims = [Claim("role", "a", 0, 10, "Iraqi PM Mustafa al-Kadhimi", "Mustafa al-Kadhimi", "prime minister", "Iraqi"),
              Claim("role", "a", 20, 30, "Prime Minister Kadhimi", "Kadhimi", "prime minister"),
              Claim("role", "b", 0, 10, "Iraqi PM Barham Salih", "Barham Salih", "prime minister", "Iraqi")]
    [c] = role_conflicts(claims, ents)
    assert c.topic == "who is Iraqi prime minister" and "Barham Salih" in c.note


def test_different_countries_titles_are_not_a_conflict():
    ents = (Entity("e1", "Ann Lee", "PERSON", ("Ann Lee",), ("a",), 1),
            Entity("e2", "Bo Kim", "PERSON", ("Bo Kim",), ("a",), 1))
    claims = [Claim("role", "a", 0, 5, "US President Ann Lee", "Ann Lee", "president", "US"),
              Claim("role", "a", 9, 15, "French President Bo Kim", "Bo Kim", "president", "French")]
    assert role_conflicts(claims, ents) == []


class FakeNLI:
    """Says 'contradiction' when one statement has 'not' and the other does not."""

    def judge(self, pairs):
        return [{"entailment": 0.1, "neutral": 0.1, "contradiction": 0.8 if (" not " in a) != (" not " in b) else 0.0}
                for a, b in pairs]


def test_nli_plugin_turns_contradictions_into_conflicts():
    a = Span("a", 0, 20, "He was hurt badly.")
    b = Span("b", 0, 22, "He was not hurt at all.")
    c = Span("c", 0, 18, "He was hurt badly!")
    facts = [Fact("He was hurt badly.", "consensus", 3, (a, b, c))]
    [conf] = nli_conflicts(facts, FakeNLI(), threshold=0.8)
    assert {cl.article for cl in conf.claims} == {"a", "b"}


def test_state_claim_stops_at_its_line():
    """A claim's span is its own sentence, never the next paragraph spaCy ran it into."""
    from newsweave.extract.claims import state_claims
    from newsweave.nlp.models import extraction_model

    text = ("Officials said plant manager John Smith was unharmed\nand the next paragraph goes on. "
            "Another line says John Smith was injured in the blast.")
    claims = state_claims(extraction_model()(text), "x")
    assert {c.value for c in claims} == {"unharmed", "harmed"}
    for c in claims:
        assert "\n" not in c.text and text[c.start:c.end] == c.text
