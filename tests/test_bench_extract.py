"""The extraction benchmark (bench/extract.py): its scorer on hand-made gold and reports, and a
quality gate that runs the real CLI on the Concorde cluster (../shared/gold/concorde.json) and pins
minimums on its figures."""


import pytest

from .conftest import bench_module

extract = bench_module("extract")

# One AP-style article: the raw record opens with a dateline that cleaning removes, so cleaned
# offsets sit 14 characters before raw ones (gold time offsets index the raw text).
DATELINE = "PARIS (AP) -- "
TEXT = ("Investigators met Thursday. ''The crew,'' it notes, ''had no way of knowing the fire.'' "
        "Some 40 experts and four on the ground were counted, the chief navigator said. "
        "The plane carried 109 people. He called it a ''Gong.'' "
        "''Too late,'' said Marty at 4:44 p.m. and 22 seconds.")


def _at(phrase: str, text: str = TEXT, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = text.index(phrase, i + 1)
    return i, i + len(phrase)


def _quote(phrase: str, speaker, reported_by=None, article="a1", nth=0) -> dict:
    s, e = _at(phrase, nth=nth)
    return {"text": phrase, "speaker": speaker, "reported_by": reported_by, "article": article,
            "start": s, "end": e}


def _article(aid="a1", text=TEXT, title="Investigators Meet", removed=(DATELINE,)) -> dict:
    return {"id": aid, "text": text, "title": title,
            "sentences": [{"start": 0, "end": text.index(".") + 1}],
            "segments": [{"start": 0, "raw_start": len(DATELINE), "length": len(text)}],
            "removed": [{"text": r} for r in removed]}


def _report(**story) -> dict:
    base = {"id": "s1", "title": "Investigators Meet", "articles": ["a1"], "quotes": [],
            "numbers": [], "times": [], "entities": [], "reuse": []}
    return {"articles": [_article()], "stories": [{**base, **story}]}


ENTITIES = [
    {"canonical": "Christian Marty", "type": "PERSON", "aliases": ["Christian Marty", "Marty"],
     "docs": ["a1.txt"]},
    {"canonical": "Flight engineer (unnamed)", "type": "PERSON", "aliases": [],
     "nominal_mentions": ["the chief navigator", "his navigator"], "docs": []},
    {"canonical": "Bureau of Accident Investigation (BEA)", "type": "ORG",
     "aliases": ["BEA", "Accident and Inquiry Office"], "nominal_mentions": ["the report"],
     "docs": ["a1.txt"]},
    {"canonical": "Jean Marcot", "type": "PERSON", "aliases": ["Jean Marcot"],
     "nominal_mentions": ["the copilot"], "docs": ["b.txt"], "nominal_only_docs": ["a1.txt"]},
]


def _gold(**parts) -> dict:
    base = {"documents": {"a1.txt": {"headline": "Investigators Meet", "dateline": "PARIS",
                                     "inline_non_content": ["PARIS (AP) --"],
                                     "boilerplate_lines": []}},
            "entities": ENTITIES, "quotes": [], "numeric_claims": [], "time_expressions": [],
            "reuse": []}
    return {**base, **parts}


# --- quotes and speakers -------------------------------------------------------------------------

GOLD_QUOTES = [
    {"doc": "a1.txt", "text": "The crew", "speaker": "Bureau of Accident Investigation (BEA)",
     "kind": "full"},
    {"doc": "a1.txt", "text": "had no way of knowing the fire.",
     "speaker": "Bureau of Accident Investigation (BEA)", "kind": "full"},
    {"doc": "a1.txt", "text": "Gong.", "speaker": None, "kind": "scare_quote"},
    {"doc": "a1.txt", "text": "Too late", "speaker": "Christian Marty", "reported_by": "BBC",
     "kind": "full"},
]


def test_a_joined_split_quote_covers_both_parts_and_scare_quotes_stand_apart():
    s, _ = _at("The crew")
    _, e = _at("knowing the fire.")
    joined = {"text": TEXT[s:e], "speaker": "BEA", "reported_by": None, "article": "a1",
              "start": s, "end": e}
    res = extract.score(_report(quotes=[joined, _quote("Gong.", "He")]), _gold(quotes=GOLD_QUOTES))
    assert res["counts"]["quote_recall"] == "2/3"  # the scare quote is not in the denominator
    assert res["scare_quotes_as_quotes"] == "1/1"
    assert res["speaker_accuracy"] == 1.0  # "BEA" is an alias of the gold entity
    assert res["errors"]["quotes_missed"] == ["a1: 'Too late'"]


def test_a_run_on_quote_that_swallows_plain_text_covers_nothing():
    s, _ = _at("Too late")
    runon = {"text": TEXT[s - 60:], "speaker": "Marty", "article": "a1",
             "start": s - 60, "end": len(TEXT)}
    res = extract.score(_report(quotes=[runon]), _gold(quotes=GOLD_QUOTES[3:]))
    assert res["quote_recall"] == 0.0


def test_speaker_and_reported_by():
    quotes = [_quote("Too late", "Marty", reported_by="Reuters")]
    res = extract.score(_report(quotes=quotes), _gold(quotes=GOLD_QUOTES[3:]))
    assert res["speaker_accuracy"] == 1.0 and res["reported_by"] == 0.0
    quotes = [_quote("Too late", "he", reported_by="BBC")]
    res = extract.score(_report(quotes=quotes), _gold(quotes=GOLD_QUOTES[3:]))
    assert res["speaker_accuracy"] == 0.0 and res["reported_by"] == 1.0
    assert res["errors"]["speakers_wrong"] == ["a1: 'Too late': report 'he', gold 'Christian Marty'"]


@pytest.mark.parametrize("ours, gold, right", [
    ("Marty", "Christian Marty", True),                  # surname
    ("JEAN-CLAUDE GAYSSOT", "Jean-Claude Gayssot", True),  # case folded
    ("Mülot", "Xavier Mulot", True),                     # accents folded, surname
    ("Xavier Mulot", "Xavier Martin", False),
    ("Accident and Inquiry Office", "Bureau of Accident Investigation (BEA)", True),  # an alias
    ("the report", "Bureau of Accident Investigation (BEA)", False),  # named in a1: name needed
    ("the chief navigator", "Flight engineer (unnamed)", True),  # entity without aliases
    ("Concorde's navigator", "Flight engineer (unnamed)", True),
    ("he", "Flight engineer (unnamed)", False),          # a pronoun
    ("the copilot", "Jean Marcot", True),                # not named in a1 (nominal_only_docs)
    ("a spokesman", "a spokesman for the Air Transport Police", True),  # descriptive string
    ("the pilot", "a spokesman for the Air Transport Police", False),
    ("Polish television", "unnamed Polish television station", True),  # head word overlaps
    ("Le Monde", "unnamed Polish television station", False),
    ("Palestinian Authority", "Civil Aviation Authority", False),  # surnames only for people
    (None, "Christian Marty", False),
])
def test_speaker_rule(ours, gold, right):
    names = extract.GoldNames(ENTITIES)
    assert extract.speaker_matches(ours, gold, names, "a1.txt") is right


# --- numbers ---------------------------------------------------------------------------------------

GOLD_NUMBERS = [
    {"docs": ["a1.txt"], "text": "Some 40 experts", "value": 40},
    {"docs": ["a1.txt"], "text": "four on the ground", "value": 4},
    {"docs": ["a1.txt"], "text": "109 people", "value": 109},
    {"docs": ["a1.txt"], "text": "a day after", "value": 1, "implicit": True},
]


def _number(phrase, value):
    s, e = _at(phrase)
    return {"value": value, "text": phrase, "article": "a1", "start": s, "end": e}


def test_number_recall_needs_value_and_overlap():
    nums = [_number("40", 40), _number("four", 40), _number("The plane", 109)]
    res = extract.score(_report(numbers=nums), _gold(numeric_claims=GOLD_NUMBERS))
    assert res["counts"]["number_recall"] == "1/4"
    assert res["counts"]["number_recall_numerals"] == "1/3"
    missed = res["errors"]["numbers_missed"]
    assert "a1.txt: 'four on the ground' = 4 - report values there [40]" in missed
    assert "a1.txt: '109 people' = 109 - no report number there" in missed
    assert "a1.txt: 'a day after' = 1 (implicit) - text not in the report article" in missed


# --- times -------------------------------------------------------------------------------------------


def _gold_time(phrase, value, **more):
    s, e = _at(phrase)
    return {"doc": "a1.txt", "text": phrase, "normalized": value,
            "start": s + len(DATELINE), "end": e + len(DATELINE), **more}


def test_times_are_placed_by_raw_offsets_and_compared_by_value():
    gold = _gold(time_expressions=[
        _gold_time("Thursday", "2000-07-27"),
        _gold_time("4:44 p.m. and 22 seconds", "2000-07-25", normalized_datetime="2000-07-25T16:44:22"),
        {"doc": "a1.txt", "text": "PARIS (AP) --", "normalized": "2000-07-27", "start": 0, "end": 13},
    ])
    times = [{"text": "Thursday", "value": "2000-07-27", "article": "a1", **dict(zip(("start", "end"), _at("Thursday")))},
             # coarser than gold's datetime, same minute: right
             {"text": "4:44 p.m.", "value": "2000-07-25T16:44", "article": "a1",
              **dict(zip(("start", "end"), _at("4:44 p.m.")))}]
    res = extract.score(_report(times=times), gold)
    assert res["time_recall"] == 1.0 and res["time_value_accuracy"] == 1.0
    assert res["errors"]["times_outside_body"] == ["a1: 'PARIS (AP) --' (2000-07-27)"]
    times[1] = {**times[1], "value": "2000-09-01T16:44"}  # anchored on the publication date
    res = extract.score(_report(times=times), gold)
    assert res["counts"]["time_value_accuracy"] == "1/2"
    res = extract.score(_report(times=times[:1]), gold)
    assert res["counts"]["time_recall"] == "1/2" and res["counts"]["time_value_recall"] == "1/2"


# --- entities, copies, boilerplate, titles ----------------------------------------------------------


def _entity(name, *aliases):
    return {"id": f"e-{name}", "name": name, "aliases": [name, *aliases]}


def test_aliases_grouped_and_mixing():
    text = "Christian Marty flew. Marty spoke to the BEA. The Accident and Inquiry Office agreed."
    gold = _gold(entities=ENTITIES)
    report = _report(entities=[_entity("Christian Marty", "Marty"),
                               _entity("BEA"), _entity("Accident and Inquiry Office")])
    report["articles"] = [_article(text=text)]
    res = extract.score(report, gold)
    assert res["counts"]["aliases_grouped"] == "1/2"
    assert res["errors"]["aliases_not_grouped"][0].startswith("Bureau of Accident Investigation (BEA)")
    assert res["entities_mixing_two_gold"] == 0
    report["stories"][0]["entities"] = [_entity("Marty", "BEA"), _entity("Christian Marty")]
    res = extract.score(report, gold)
    assert res["entities_mixing_two_gold"] == 1 and res["aliases_grouped"] == 0.0


def test_an_alias_only_inside_a_longer_one_is_not_asked_for():
    assert extract._present("Christian Marty flew.", ["Christian Marty", "Marty"]) == {"christian marty"}


def test_copy_pairs_found_and_false():
    reuse = [{"docs": ["a.txt", "b.txt"], "counts_as_one_source": True},
             {"docs": ["a.txt", "c.txt"], "counts_as_one_source": True, "scope": "one passage"},
             {"docs": ["c.txt", "d.txt"], "counts_as_one_source": False}]
    links = [{"articles": p, "kind": k} for p, k in
             ((["b", "a"], "copy"), (["a", "c"], "copy"), (["c", "d"], "copy"), (["a", "d"], "shared_quote"))]
    res = extract.score(_report(reuse=links), _gold(reuse=reuse))
    assert res["copies_found"] == 1.0
    assert res["false_copy_links"] == 1 and res["errors"]["false_copy_links"] == [["c", "d"]]


def test_boilerplate_removed():
    gold = _gold()
    gold["documents"]["a1.txt"]["boilerplate_lines"] = ["PARIS (AP) --", "ENDIT"]
    res = extract.score(_report(), gold)
    assert res["counts"]["boilerplate_removed"] == "1/2"


@pytest.mark.parametrize("title, kind", [
    ("Investigators Meet", "headline"),
    ("Investigators meet", "headline"),                   # case folded
    ("Investigators…", "headline"),                       # shortened
    ("Investigators met Thursday.", "lead"),
    ("&HT;", "residue"),
    ("<HEADLINE>", "residue"),
    ("PARIS (AP) -- Investigators met Thursday.", "dateline"),
    ("GONESSE, France _ The doomed Air France Concorde", "dateline"),
    ("By JOHN LEICESTER", "byline"),
    ("Untitled story", "other"),
])
def test_title_kind(title, kind):
    assert extract.title_kind(title, ["Investigators Meet"], ["Investigators met Thursday."],
                              ["PARIS"]) == kind


def test_titles_share():
    res = extract.score(_report(title="&HT;"), _gold())
    assert res["titles_headline"] == 0.0
    assert res["errors"]["titles_not_headline"] == ["s1 ['a1']: '&HT;' (residue)"]


# --- quality gate ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def concorde(concorde_run):
    gold, report = concorde_run
    return extract.score(report, gold)


@pytest.mark.integration
def test_concorde_extraction_gate(concorde):
    # Measured before the commit "Extraction (#20): partial quotes ..." (default mode, 8 stories;
    # bench/extract.py): quote recall 0.971 (66/68, scare quotes apart, 1/3 listed as quotes),
    # speaker 0.97 (64/66), reported_by 1.0 (10/10), number recall 0.965 (139/144), time recall
    # 0.926 (126/136), time value accuracy 0.905 (114/126), aliases grouped 0.619 (13/21), report
    # entities mixing two gold 0, copy pairs 1/1 with 0 false copy links, boilerplate removed 8/8,
    # titles that are headlines 1.0 (8/8). (At 8681877: quotes 0.926, speaker 0.905, numbers
    # 0.861, time values 0.897; at 78928f8: speaker 0.857, reported_by 0/10, numbers 0.785, times
    # 0.882 / 0.817, aliases 9/21, boilerplate 0/8, titles 7/8.) Pins sit at the measured figure
    # - 0.05, rounded down.
    assert concorde["quote_recall"] >= 0.92
    assert concorde["speaker_accuracy"] >= 0.92
    assert concorde["reported_by"] >= 0.95
    assert concorde["number_recall"] >= 0.91
    assert concorde["time_recall"] >= 0.87
    assert concorde["time_value_accuracy"] >= 0.85
    assert concorde["aliases_grouped"] >= 0.56
    assert concorde["entities_mixing_two_gold"] <= 0
    assert concorde["copies_found"] >= 0.95
    assert concorde["false_copy_links"] <= 0
    assert concorde["boilerplate_removed"] >= 0.95
    assert concorde["titles_headline"] >= 0.95
