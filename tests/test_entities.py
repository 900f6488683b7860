"""Entity merging across a story (extract/entities.py): short forms, plurals, bare surnames,
dateline places."""

from newsweave.extract.entities import EntityResolver, bare_surnames, datelined_places
from newsweave.model import Article, Entity, Mention


def names(mentions, texts=None):
    ents, _ = EntityResolver().resolve(mentions, texts or {})
    return {e.name: set(e.aliases) for e in ents}


def test_a_single_word_that_starts_one_longer_name_is_its_short_form():
    got = names([Mention("a", 0, 7, "Caldera", "ORG"), Mention("a", 10, 27, "Caldera Chemicals", "ORG"),
                 Mention("b", 0, 11, "Continental", "ORG"),
                 Mention("b", 20, 40, "Continental Airlines", "ORG")])
    assert got["Caldera Chemicals"] == {"Caldera", "Caldera Chemicals"}
    assert got["Continental Airlines"] == {"Continental", "Continental Airlines"}


def test_a_word_starting_two_longer_names_stays_apart():
    got = names([Mention("a", 0, 3, "Air", "ORG"), Mention("a", 10, 20, "Air France", "ORG"),
                 Mention("a", 30, 40, "Air Canada", "ORG")])
    assert len(got) == 3


def test_plural_product_names_join_the_singular():
    got = names([Mention("a", 0, 8, "Concorde", "PRODUCT"), Mention("a", 10, 19, "Concordes", "ORG")])
    assert list(got.values()) == [{"Concorde", "Concordes"}]


def test_a_surname_the_tagger_missed_is_a_mention_of_the_one_person_with_it():
    text = "Fabien Tillon, a police spokesman, spoke. Later Tillon said more. Tillonville is a town."
    ms = [Mention("a", 0, 13, "Fabien Tillon", "PERSON")]
    extra = bare_surnames(ms, {"a": text})
    assert [(m.start, m.text) for m in extra] == [(text.index("Tillon said"), "Tillon")]
    two = ms + [Mention("a", 60, 72, "Anne Tillon", "PERSON")]
    assert bare_surnames(two, {"a": text}) == []  # two people share it: no guess


def test_a_dateline_place_is_a_place():
    ents = (Entity("e-port-aldane", "Port Aldane", "FAC", ("Port Aldane",), ("a",), 2),
            Entity("e-voss", "Elena Voss", "PERSON", ("Elena Voss",), ("a",), 1))
    arts = [Article(id="a", input="a", text="x", dateline="PORT ALDANE")]
    out = datelined_places(ents, arts)
    assert [e.type for e in out] == ["GPE", "PERSON"]


def test_a_name_in_apposition_with_its_acronym_is_one_entity():
    text = ("The crash was studied by the French Bureau of Accident Investigation, or BEA, which "
            "said the BEA would report in August. Tony Blair, the UK premier, spoke.")
    long = "French Bureau of Accident Investigation"
    ms = [Mention("a", text.index(long), text.index(long) + len(long), long, "ORG"),
          Mention("a", text.index("BEA"), text.index("BEA") + 3, "BEA", "ORG"),
          Mention("a", text.index("Tony"), text.index("Tony") + 10, "Tony Blair", "PERSON"),
          Mention("a", text.index("UK"), text.index("UK") + 2, "UK", "GPE")]
    got = names(ms, {"a": text})
    assert got[long] == {long, "BEA"}
    assert got["Tony Blair"] == {"Tony Blair"} and got["UK"] == {"UK"}  # a title, no definition
