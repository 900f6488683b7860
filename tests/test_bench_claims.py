"""The claim benchmark (bench/claims.py): its scorer on a hand-made gold and report, and a quality
gate that runs the real CLI on the Concorde cluster (../shared/gold/concorde.json) and pins
minimums on its figures."""


import pytest

from .conftest import bench_module

claims = bench_module("claims")

# Three short articles; gold keys are file names, report ids their stems (as for the seeds).
TEXTS = {
    "a1": "A storm hit the town on Monday. Three people died. The mayor said roads were closed.",
    "a2": "On Monday a storm hit the town. Two people died, officials said. Schools stayed open.",
    "a3": "The storm hit the town on Monday. Schools stayed open.",
}


def _article(aid: str) -> dict:
    text, sents, start = TEXTS[aid], [], 0
    for part in text.split(". "):
        end = start + len(part) + (0 if part.endswith(".") else 1)
        sents.append({"start": start, "end": end})
        start = end + 1
    return {"id": aid, "text": text, "sentences": sents}


def _span(aid: str, phrase: str) -> dict:
    start = TEXTS[aid].index(phrase)
    return {"article": aid, "start": start, "end": start + len(phrase), "text": phrase}


def _fact(statement: str, indep: int, *spans: dict) -> dict:
    return {"statement": statement, "status": "consensus", "independent_sources": indep,
            "support": list(spans)}


GOLD = {
    "consensus_facts": [
        {"fact": "A storm hit the town", "independent_sources": 3,
         "evidence": {"a1.txt": "A storm hit the town", "a2.txt": "a storm hit the town",
                      "a3.txt": "storm hit the town"}},
        {"fact": "Schools stayed open", "independent_sources": 2,
         "evidence": {"a2.txt": "Schools stayed open", "a3.txt": "Schools stayed open"}},
        {"fact": "Roads were closed", "independent_sources": 2,
         "evidence": {"a1.txt": "roads were closed", "a2.txt": "officials said"}},
    ],
    "conflicts": [
        {"topic": "death toll", "severity": "high", "claims": [
            {"doc": "a1.txt", "claim": "Three people died", "value": "3 (mayor)"},
            {"doc": "a2.txt", "claim": "Two people died", "value": "2 (officials)"}]},
        {"topic": "weekday", "severity": "low", "claims": [
            {"doc": "a1.txt", "claim": "on Monday", "value": "Monday"}]},
    ],
}


def _report(facts: list[dict], conflicts: list[dict] = (), **story) -> dict:
    return {"articles": [_article(a) for a in TEXTS],
            "stories": [{"id": "s1", "facts": facts, "conflicts": list(conflicts), **story}]}


RIGHT = _fact("A storm hit the town on Monday.", 3,
              _span("a1", "A storm hit the town on Monday."),
              _span("a2", "On Monday a storm hit the town."),
              # Beside the evidence, not on it, but in its sentence: still the same statement.
              _span("a3", "on Monday"))
# a1 does not say that schools stayed open.
WRONG = _fact("Schools stayed open.", 2, _span("a2", "Schools stayed open."),
              _span("a1", "The mayor said roads were closed."))
# One source by the report's count (gold says 2): left out of precision, still found for recall.
SINGLE = _fact("Schools stayed open.", 1, _span("a2", "Schools stayed open."),
               _span("a3", "Schools stayed open."))
TOLL = {"topic": "deaths", "note": None, "claims": [
    {"value": 3, **_span("a1", "Three people died")}, {"value": 2, **_span("a2", "Two people")}]}


def test_precision_counts_a_fact_right_only_when_every_article_states_it():
    res = claims.score(_report([RIGHT, WRONG, SINGLE]), GOLD)
    assert res["multi_source_facts"] == 2
    assert res["multi_source_precision"] == 0.5
    assert res["wrong_facts"] == [{"statement": "Schools stayed open.", "offending": ["a1"],
                                   "nearest_gold": "Schools stayed open"}]


def test_recall_and_independent_sources():
    res = claims.score(_report([RIGHT, WRONG, SINGLE]), GOLD)
    assert res["consensus_recall"] == round(2 / 3, 3)
    assert res["missed_facts"] == ["Roads were closed"]
    assert res["indep_exact"] == 0.5  # storm: 3 == 3; schools: 1 != 2
    assert res["indep_mismatches"] == ["Schools stayed open: report 1, gold 2"]
    assert res["gold_spans_unlocated"] == []


def test_a_fact_in_one_gold_document_is_not_found():
    res = claims.score(_report([_fact("Roads were closed.", 2, _span("a1", "roads were closed"))]), GOLD)
    assert "Roads were closed" in res["missed_facts"]


def test_high_conflict_found_from_conflicts_or_updates():
    res = claims.score(_report([RIGHT], [TOLL]), GOLD)
    assert res["high_conflicts_found"] == 1.0 and res["report_conflicts"] == 1
    assert res["report_updates"] is None  # the report has no `updates` field
    series = [{"published": None, **c} for c in TOLL["claims"]]
    res = claims.score(_report([RIGHT], updates=[{"what": "deaths", "series": series}]), GOLD)
    assert res["high_conflicts_found"] == 1.0 and res["report_updates"] == 1


def test_high_conflict_needs_two_documents():
    one_doc = {**TOLL, "claims": TOLL["claims"][:1]}
    res = claims.score(_report([RIGHT], [one_doc]), GOLD)
    assert res["high_conflicts_found"] == 0.0 and res["missed_high_conflicts"] == ["death toll"]


def test_same_gold_value_in_two_documents_is_not_a_conflict():
    gold = {"consensus_facts": [], "conflicts": [{"topic": "toll", "severity": "high", "claims": [
        {"doc": "a1.txt", "claim": "Three people died", "value": "3 (25 Jul)"},
        {"doc": "a2.txt", "claim": "Two people died", "value": "3 (1 Sep)"}]}]}
    assert claims.score(_report([], [TOLL]), gold)["high_conflicts_found"] == 0.0


def test_locate_folds_whitespace_case_and_quote_marks():
    text = "He said: ``Too  late,'' and\nleft."
    (start, end), = claims.locate(text, '"too late," and left')
    assert text[start:end] == "``Too  late,'' and\nleft"
    assert claims.locate("one two one", "one") == [(0, 3), (8, 11)]
    assert claims.locate("abc", "xyz") == []


def test_gold_keys_with_dots_map_to_record_ids():
    gold = {"consensus_facts": [{"fact": "storm", "independent_sources": 2, "evidence": {
        "APW1.0129.txt": "storm hit", "NYT2.0200.txt": "storm hit"}}], "conflicts": []}
    report = {"articles": [{"id": "APW1.0129", "text": "A storm hit.", "sentences": []},
                           {"id": "NYT2.0200", "text": "The storm hit.", "sentences": []}],
              "stories": [{"facts": [{"statement": "A storm hit.", "independent_sources": 2,
                                      "support": [{"article": "APW1.0129", "start": 0, "end": 12},
                                                  {"article": "NYT2.0200", "start": 0, "end": 14}]}],
                           "conflicts": []}]}
    res = claims.score(report, gold)
    assert res["multi_source_precision"] == 1.0 and res["consensus_recall"] == 1.0


# --- quality gate ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def concorde(concorde_run):
    gold, report = concorde_run
    return claims.score(report, gold)


@pytest.mark.integration
def test_concorde_claims_gate(concorde):
    # Measured on 2026-12-07 (default mode, 8 stories; bench/RESULTS.md "Claims"): precision
    # 0.8 (4/5), recall 0.2 (13/65), indep_exact 0.308 (4/13), high conflicts 0/1; at 3903166,
    # before support was made precision first: 0.647, 0.369, 0.25. Pins sit at the measured
    # figure - 0.05, rounded down; they go up as the claim work lands.
    assert concorde["multi_source_precision"] >= 0.75
    assert concorde["consensus_recall"] >= 0.15
    assert concorde["indep_exact"] >= 0.25
    assert concorde["high_conflicts_found"] >= 0.0
