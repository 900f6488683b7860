"""Cross-checking pieces on invented data: number conflicts, roles, the NLI plug-in interface."""

import pytest

from newsweave.crosscheck.conflicts import number_conflicts, number_disagreements, role_conflicts
from newsweave.nlp.statements import count_figures, states
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


# -- updates: a figure that moved while the story developed -----------------------------------

TOLL = {  # article -> (published, sentence): an invented landslide story
    "d1": ("2024-08-08", "At least 81 people were killed in the landslide, officials said."),
    "d2": ("2024-08-10", "The death toll rose to 190 on Saturday as rescuers reached the valley."),
    "d3": ("2024-08-13", "The toll has now risen to 257, the interior ministry said."),
    "x1": ("2024-08-10", "Police said 150 people were killed in the landslide."),
    "y1": ("2024-08-20", "Five people were killed on the ground, a report said."),
}


def _toll(article, value, text):
    return NumberMention(value, "people", text, article, 0, len(text), "killed",
                         approximate=text.startswith("at least"))


def _disagree(ns):
    return number_disagreements(ns, context=lambda n: TOLL[n.article][1],
                                published={a: d for a, (d, _) in TOLL.items()})


def test_a_toll_that_the_later_reports_say_rose_is_an_update():
    ns = [_toll("d1", 81, "81 people"), _toll("d2", 190, "190"), _toll("d3", 257, "257")]
    conflicts, [u] = _disagree(ns)
    assert conflicts == []
    assert u.what == "number of people killed"
    assert [(p.value, p.published) for p in u.series] == [
        (81, "2024-08-08"), (190, "2024-08-10"), (257, "2024-08-13")]
    assert u.note == "81 (2024-08-08) -> 190 (2024-08-10) -> 257 (2024-08-13)"


def test_two_reports_of_one_day_that_disagree_are_a_conflict_not_an_update():
    ns = [_toll("d1", 81, "81 people"), _toll("d2", 190, "190"), _toll("x1", 150, "150 people")]
    conflicts, updates = _disagree(ns)
    assert updates == [] and len(conflicts) == 1


def test_a_later_figure_nobody_says_is_a_change_is_a_conflict():
    ns = [_toll("d1", 4, "four people"), _toll("y1", 5, "Five people")]
    conflicts, updates = _disagree(ns)
    assert updates == [] and {cl.value for cl in conflicts[0].claims} == {4, 5}


def test_without_dates_every_disagreement_is_a_conflict():
    ns = [_toll("d1", 81, "81 people"), _toll("d3", 257, "257")]
    conflicts, updates = number_disagreements(ns)
    assert updates == [] and len(conflicts) == 1


def test_identifiers_are_not_counts():
    ns = [NumberMention(1, "No.", "No. 1", "a", 0, 5), NumberMention(2, "No.", "No. 2", "b", 0, 5)]
    assert number_conflicts(ns) == []


# -- what a supporting sentence must state -----------------------------------------------------

@pytest.mark.parametrize("statement, other, ok", [
    ("Three workers were killed and at least 17 injured.", "Three workers were killed.", False),
    ("Three workers were killed.", "Three workers were killed and at least 17 injured.", True),
    ("The July 25 crash killed 113 people.", "The crash on Tuesday killed 113 people.", True),
    ("The plane had been in service for 24 years.", "It had flown for 26 years.", False),
    ("The minister was not hurt.", "The minister was hurt.", False),
    ("Nobody was hurt in the blast.", "No one was hurt, police said.", True),
    # a quote is stated only by a span that holds its words, not by another quote of the speaker
    ('"Port Aldane\'s grief is the whole country\'s grief," Brandt said.',
     'Brandt said, "The city will get whatever it needs from every ministry."', False),
    ('"Port Aldane\'s grief is the whole country\'s grief," Brandt said.',
     "Port Aldane's grief, Brandt said, is the whole country's grief.", True),
    ("``We want to know who touched what,'' Okafor said.", "''We want to know who touched what "
     "and when,'' the fire chief said.", True),
])
def test_a_support_states_every_figure_and_the_polarity(statement, other, ok):
    assert states(statement, other) is ok


def test_count_figures_leave_out_dates_years_and_times():
    assert count_figures("On July 25, 2000 at 4:44 the jet with 109 people and four crew") == {
        "109", "4"}


def test_support_that_takes_the_other_side_of_a_conflict_is_dropped():
    from newsweave.crosscheck.stage import without_opposed
    from newsweave.model import Conflict, ConflictClaim

    statement = "The manager was unharmed, the company said."
    fact = Fact(statement, "consensus", 3, (
        Span("a", 0, 43, statement),
        Span("b", 0, 30, "The manager escaped unharmed."),
        Span("c", 0, 38, "Among the injured was the manager.")))
    conflict = Conflict("whether the manager was hurt", (
        ConflictClaim("unharmed", "unharmed", "a", 16, 24),
        ConflictClaim("unharmed", "unharmed", "b", 20, 28),
        ConflictClaim("harmed", "injured", "c", 10, 17)))
    out = without_opposed(fact, [conflict], {"a": 0, "b": 1, "c": 2})
    assert [sp.article for sp in out.support] == ["a", "b"]
    assert out.independent_sources == 2 and out.status == "consensus"
    assert without_opposed(fact, [], {}) is fact


def test_only_sentences_that_read_alone_are_statements():
    from newsweave.crosscheck.facts import standalone
    from newsweave.model import Article, Quote

    text = ('Residents told to stay indoors\n'
            '"They reported it in January. Nobody came to fix them. That is not an accident," '
            'said Omar Haddad, a union official. The plant was closed on Friday.')
    quote_end = text.index('," said') + 1
    q = Quote(text[31:quote_end], "Omar Haddad", None, None, "a", 31, quote_end,
              speaker_start=text.index("Omar"), speaker_end=text.index("Omar") + 11)
    a = Article(id="a", input="a.txt", text=text, quotes=(q,))

    def first(sentence):
        i = text.index(sentence)
        return standalone(a, i, i + len(sentence))

    assert not first("Residents told to stay indoors")          # a subheading
    assert not first("Nobody came to fix them.")                 # inside a quote, no speaker
    assert not first('"They reported it in January.')            # a quote left open
    assert first("The plant was closed on Friday.")


def test_blocked_alignment_equals_the_dense_one_when_every_unit_is_a_neighbour(monkeypatch):
    """Large stories are aligned through nearest neighbours (facts.BLOCK_FROM); with as many
    neighbours as units the two paths must give the same facts."""
    from newsweave.crosscheck import facts as F
    from newsweave.model import Article
    from newsweave.nlp import split_sentences

    texts = [
        "Fire broke out at the Harwick ferry terminal on Saturday night. Eleven people were "
        "hurt, the port authority said. The terminal will stay closed this week.",
        "Eleven people were hurt when fire swept through the Harwick ferry terminal on Saturday. "
        "Investigators blamed a burst fuel line. Ferries are using the old quay.",
        "A burst fuel line most likely caused the fire, investigators said on Monday. The port "
        "authority said the terminal would stay closed this week while repairs begin.",
    ]
    arts = [Article(id=f"a{i}", input=f"a{i}", text=t, sentences=split_sentences(t))
            for i, t in enumerate(texts)]
    groups = {a.id: i for i, a in enumerate(arts)}
    aligner = F.FactAligner()
    dense = aligner.align(arts, groups)
    monkeypatch.setattr(F, "BLOCK_FROM", 0)
    assert aligner.align(arts, groups) == dense
    assert any(f.independent_sources >= 2 for f in dense)


def test_counts_of_different_places_never_conflict():
    four = NumberMention(4, "people", "four on the ground", "a", 0, 18, "killed")
    five = NumberMention(5, "people", "five on the ground", "b", 0, 18, "killed")
    aboard = NumberMention(109, "people", "all 109 people on board", "b", 30, 53, "killed")
    total = NumberMention(113, "people", "113 people", "c", 0, 10, "killed")
    found = number_conflicts([four, aboard, total])
    assert found == []
    found = number_conflicts([four, five, aboard, total])
    assert [c.topic for c in found] == ["number of people killed on the ground"]


def test_an_approximate_figure_fits_a_near_one():
    ns = [_n("a", 200, "about 200 mph", "mph"), _n("b", 195, "195 mph", "mph")]
    assert number_conflicts(ns) == []
    far = [_n("a", 200, "about 200 mph", "mph"), _n("b", 150, "150 mph", "mph")]
    assert len(number_conflicts(far)) == 1


def test_measures_of_unnamed_objects_and_different_counted_things_do_not_conflict():
    inches = [_n("a", 16, "a 16-inch gash", "inch"), _n("b", 12, "a 12-inch slice", "inch")]
    assert number_conflicts(inches) == []
    crew = [_n("a", 44, "Forty-four members", "member"),
            _n("b", 9, "nine French crew members", "French crew member")]
    assert number_conflicts(crew) == []
    same = [_n("a", 9, "nine crew members", "crew member"),
            _n("b", 10, "ten French crew members", "French crew member")]
    [c] = number_conflicts(same)
    assert c.topic == "number of crew members"


def test_a_plural_name_is_not_pluralised_again():
    ns = [_n("a", 5, "five Concordes", "Concordes"), _n("b", 7, "seven Concordes", "Concordes")]
    [c] = number_conflicts(ns)
    assert c.topic == "number of Concordes"


def test_a_count_said_to_be_a_part_is_not_a_rival_total():
    ns = [_n("a", 5, "remaining five Concordes", "Concordes"),
          _n("b", 7, "other seven Concordes", "Concordes"), _n("c", 6, "six Concordes", "Concordes")]
    assert number_conflicts(ns) == []
