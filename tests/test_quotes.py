"""Direct quotes and their speakers (newsweave.extract.quotes).

Sentences here are invented for the tests. The gate at the bottom pins minimum scores on the seed
gold and on a small PolNeAR slice (bench/polnear.py prints the full figures).
"""

from __future__ import annotations

import importlib.util
import os

import pytest

from newsweave.extract.quotes import FoundQuote, QuoteFinder

from .conftest import ROOT, SHARED

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="module")
def nlp(spacy_nlp):
    return spacy_nlp


@pytest.fixture(scope="module")
def find(nlp):
    finder = QuoteFinder()

    def run(text: str) -> list[FoundQuote]:
        doc = nlp(text)
        quotes = finder.find(doc)
        for q in quotes:  # every span slices the text it claims
            assert text[q.start:q.end] == q.text, q
            if q.speaker_start is not None:
                assert 0 <= q.speaker_start < q.speaker_end <= len(text), q
        return quotes

    return run


def only(quotes: list[FoundQuote]) -> FoundQuote:
    assert len(quotes) == 1, [q.text for q in quotes]
    return quotes[0]


# --- quote marks ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text, quote, speaker", [
    ('The river burst its banks. "We lost everything," farmer Tomas Reyes said.',
     "We lost everything", "Tomas Reyes"),
    ("“We will rebuild the bridge,” Mayor Ana Ruiz said on Monday.",
     "We will rebuild the bridge", "Ana Ruiz"),
    ('"The water rose in minutes,” said Lena Ortiz, a nurse at the clinic.',
     "The water rose in minutes", "Lena Ortiz"),
    ("Governor Paul Okafor on Tuesday called for 'patience and calm' as the water receded.",
     "patience and calm", "Paul Okafor"),
    ("Governor Paul Okafor urges ‘patience and calm’ as floods recede",
     "patience and calm", "Paul Okafor"),
    ("``We are not giving up,'' said coach Mira Lind after the match.",
     "We are not giving up", "Mira Lind"),
    ('Engineer Karl Vogt said: "The dam held, but only just."',
     "The dam held, but only just.", "Karl Vogt"),
], ids=["straight", "curly", "mixed", "single-ascii", "single-curly-headline", "latex", "colon"])
def test_quote_styles(find, text, quote, speaker):
    q = only(find(text))
    assert q.text == quote
    assert q.speaker == speaker


@pytest.mark.parametrize("text", [
    "The Dockers' Union said Portland's harbour and the '90s-era cranes don't need repairs.",
    "Workers’ pay rose, and the region’s ports didn’t close in the ’90s or since.",
    "Rock 'n' roll fans packed the 5' 10\" stage at Maria's bar.",
])
def test_apostrophes_are_not_quotes(find, text):
    assert find(text) == []


def test_trailing_comma_dropped_other_punctuation_kept(find):
    quotes = find('"Thank you, everyone," Mayor Ana Ruiz said. She added: "We will rebuild."')
    assert [q.text for q in quotes] == ["Thank you, everyone", "We will rebuild."]


def test_partial_quote_inside_a_sentence(find):
    text = ("The Water Ministry said on Monday that the government had ordered an “urgent review” "
            "of the dam.")
    q = only(find(text))
    assert (q.text, q.partial, q.speaker) == ("urgent review", True, "Water Ministry")
    assert q.cue == "said"


def test_full_quote_is_not_partial(find):
    assert only(find("“The dam held,” Karl Vogt said.")).partial is False


def test_titles_and_scare_quotes_are_left_out(find):
    assert find("She spoke about the floods on “Meet the Nation” on Sunday.") == []
    assert find('A powerful "super committee" will review the plan next week.') == []


def test_quote_over_several_paragraphs(find):
    text = ("Mayor Ana Ruiz spoke to reporters on Monday.\n\n"
            "“The first thing we need is clean water for every family.\n\n"
            "“After that, we rebuild the bridge and the school,” Ruiz said.")
    quotes = find(text)
    assert [q.text for q in quotes] == ["The first thing we need is clean water for every family.",
                                        "After that, we rebuild the bridge and the school"]
    assert {q.speaker for q in quotes} == {"Ana Ruiz"}


def test_nested_curly_quotes_stay_one_quote(find):
    q = only(find("“I would rather live in what he calls “chaos” than in fear,” said Lena Ortiz."))
    assert q.text == "I would rather live in what he calls “chaos” than in fear"
    assert q.speaker == "Lena Ortiz"


# --- speakers ------------------------------------------------------------------------------------


def test_title_and_pronoun_resolve_to_the_name(find):
    text = ("Prime Minister Helena Brandt visited the flooded district on Sunday.\n\n"
            "“We will find those responsible,” the prime minister said.\n\n"
            "“Nobody is above the law,” she added.")
    first, second = find(text)
    assert first.speaker == second.speaker == "Helena Brandt"
    assert text[first.speaker_start:first.speaker_end] == "the prime minister"
    assert text[second.speaker_start:second.speaker_end] == "she"
    assert (first.cue, second.cue) == ("said", "added")


def test_relayed_statement_through_a_spokesperson(find):
    text = ("Secretary-General Maria Costa visited the camp on Sunday.\n\n"
            'Following the visit, UN spokesperson Omar Haddad said, "The Secretary-General strongly '
            'condemns the attack on the camp. She calls for calm."')
    q = only(find(text))
    assert q.speaker == "Maria Costa"
    assert q.reported_by == "Omar Haddad"


def test_relayed_through_the_leaders_own_spokesperson(find):
    text = ("Prime Minister Helena Brandt cancelled her trip to the coast.\n\n"
            "Brandt's spokesperson Ines Moreau said, \"The Prime Minister is deeply saddened by "
            "the loss of life.\"")
    q = only(find(text))
    assert (q.speaker, q.reported_by) == ("Helena Brandt", "Ines Moreau")


def test_partial_quote_relayed_in_reported_speech(find):
    text = ("Secretary-General Maria Costa spoke by phone with the mayor.\n\n"
            "The UN spokesperson, Omar Haddad, said that Costa had called on all sides to "
            "“choose dialogue over force”.")
    q = only(find(text))
    assert (q.speaker, q.reported_by) == ("Maria Costa", "Omar Haddad")


def test_according_to(find):
    q = only(find("“Repairs will take at least a month,” according to engineer Karl Vogt."))
    assert (q.speaker, q.cue) == ("Karl Vogt", "according to")


def test_statement_read_goes_to_its_issuer(find):
    text = ("The Red Harbor Institute issued a statement on Monday.\n\n"
            "“We reject the findings of the report,” the statement read.")
    assert only(find(text)).speaker == "Red Harbor Institute"


def test_description_resolves_to_the_organisation(find):
    text = ("The United Nations Relief Mission for Sudan (UNRMS) sent boats on Friday.\n\n"
            "“All families must leave the low ground,” the mission said.")
    assert only(find(text)).speaker == "United Nations Relief Mission for Sudan"


def test_it_resolves_to_the_organisation_that_spoke_before(find):
    text = ("The Coastal Relief Agency said it had ordered an “immediate evacuation” of the port. "
            "The boats will leave at dawn “because nobody will be left behind,” it added.")
    quotes = find(text)
    assert [q.speaker for q in quotes] == ["Coastal Relief Agency", "Coastal Relief Agency"]


def test_quote_without_reporting_clause_takes_the_previous_speaker(find):
    text = ("“The river is still rising,” said Lena Ortiz, a nurse at the clinic.\n\n"
            "“We moved the patients upstairs last night and we are waiting for boats.”")
    quotes = find(text)
    assert [q.speaker for q in quotes] == ["Lena Ortiz", "Lena Ortiz"]
    assert quotes[1].cue is None


def test_signed_quote_after_a_dash(find):
    q = only(find("“The water came in the night and took everything.” ― Carla Mendes\n"))
    assert q.speaker == "Carla Mendes"


def test_finder_is_light_and_empty_docs_are_fine(nlp):
    finder = QuoteFinder()
    assert finder.find(nlp("")) == []
    assert finder.find(nlp("No quotes in this sentence at all.")) == []


# --- the gate: seeds and a PolNeAR slice ---------------------------------------------------------


def _bench():
    path = ROOT / "bench" / "polnear.py"
    spec = importlib.util.spec_from_file_location("bench_polnear", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench(nlp):
    module = _bench()
    module._nlp = nlp  # one model per test session
    return module


def test_gate_seeds(bench):
    if not (SHARED / "gold" / "seeds.json").exists():
        pytest.skip(f"needs {SHARED}/gold/seeds.json (the shared seed gold beside the project root)")
    res = bench.run_seeds()
    # Measured 1.0 / 1.0 / 3 of 3 (bench/RESULTS.md); the brief's targets are 0.95 and 0.90.
    assert res["recall"] >= 0.95, res["errors"]
    assert res["speaker_acc"] >= 0.90, res["errors"]
    assert res["reported_by"] == "3/3", res["errors"]


def test_gate_polnear_dev_slice(bench):
    if not (SHARED / "data" / "polnear" / "dev.jsonl").exists():
        pytest.skip(f"needs {SHARED}/data/polnear/dev.jsonl (the shared evaluation data)")
    res = bench.run("dev", limit=20)
    ours, base = res["ours"], res["baseline"]
    # Measured on this slice: span F1 0.917, token F1 0.959, source F1 0.853 (bench/RESULTS.md).
    assert ours["span"]["f1"] >= 0.89
    assert ours["token_f1_avg"] >= 0.93
    assert ours["source"]["f1"] >= 0.82
    assert ours["source"]["f1"] > base["source"]["f1"] + 0.5


@pytest.mark.parametrize("text, speaker, relayed", [
    ("''We were unaware of what had happened,'' Maciej Kuznik told Poland's private Radio Zet.",
     "Maciej Kuznik", "Radio Zet"),
    ("“It is very difficult,” Anna Weber told a German television station.",
     "Anna Weber", "German television station"),
    ("“The bodies are badly burned,” Fabien Tillon, a police spokesman, told the Associated Press.",
     "Fabien Tillon", "Associated Press"),
    ("“Anyone who says it is the end is wrong,” Jean Dupont told the French newspaper Liberation.",
     "Jean Dupont", "Liberation"),
    ("“We will rebuild,” Mayor Ana Ruiz told reporters.", "Ana Ruiz", None),
])
def test_the_outlet_a_speaker_told_relays_the_words(find, text, speaker, relayed):
    (q,) = find(text)
    assert (q.speaker, q.reported_by) == (speaker, relayed)


def test_times_and_stray_words_never_speak(find):
    text = ("''You have flames behind you,'' the control tower warned.\n\n"
            "Seconds later came Marty's chilling word: ''Too late.''")
    quotes = find(text)
    assert [q.speaker for q in quotes] == ["control tower", "Marty"]


def test_someone_speaks_with_where_they_were(find):
    (q,) = find("''It's burning badly,'' said someone in the control tower.")
    assert q.speaker == "someone in the control tower"


def test_a_hyphenated_title_set_off_before_a_name_resolves_to_that_name(find):
    text = ("The pilot, Christian Marty, and the co-pilot, Jean Marcot, were at the controls. "
            "Then the co-pilot warned: ``Watch out, the indicator!''")
    (q,) = find(text)
    assert q.speaker == "Jean Marcot"


# --- partial quotes and documents (#20) ------------------------------------------------------


@pytest.mark.parametrize("text, quote, speaker", [
    # the reporting clause right after the quote, its subject with a long apposition
    ("Over the phone it sounded as if ''the roof had come down,'' the owner's elder brother, "
     "Tomas, recalled on Monday.", "the roof had come down", "Tomas"),
    # "according to X" covers its sentence, however far from the quoted words
    ("The new valves were fitted to ``cut the pressure'' in a burst pipe, according to Lena "
     "Marsh, the head of safety at the water board.", "cut the pressure", "Lena Marsh"),
    # a quoted clause deep under the reporting verb
    ("The critic, Paul Ferrand, said a close reading of the minutes led him to the view that "
     "``it was the wrong vote'' but an honest one.", "it was the wrong vote", "Paul Ferrand"),
])
def test_partial_quotes_with_a_far_reporting_clause(find, text, quote, speaker):
    q = only(find(text))
    assert (q.text, q.speaker, q.partial) == (quote, speaker, True)


def test_quoted_modifier_is_still_a_scare_quote(find):
    text = ("The critic Paul Ferrand said that the scheme had lent the small firms of the old "
            "district a veneer of credibility, giving rise to \"rent a white face\" businesses.")
    assert find(text) == []


def test_report_goes_to_who_issued_it(find):
    text = ("The 80-page report by the Maritime Safety Board was published on Thursday.\n\n"
            "''The crew could not have seen the leak,'' the report said.\n\n"
            "After the leak, the pumps failed, the report said, followed by a fire. "
            "''The ship can neither turn nor stop.'' Then the engine stopped.")
    quotes = find(text)
    assert [q.speaker for q in quotes] == ["Maritime Safety Board"] * 2


def test_verb_right_before_the_comma_in_a_long_sentence(find):
    text = ("Moments later, the ship's engineer said the second pump had failed and the captain "
            "ordered, ``Abandon the engine room.''")
    assert only(find(text)).cue == "ordered"


def test_name_before_the_colon_speaks(find):
    text = ("The captain, Ines Vidal, had sailed for years.\n\n"
            "The last recorded words were from the mate, Jonas Berg: ``Negative. We are "
            "turning . . . No.''")
    assert only(find(text)).speaker == "Jonas Berg"
