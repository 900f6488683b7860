"""Quality gate: the seed acceptance benchmark (bench/seeds.py) with pinned minimums.

The full figures, and the targets they are held to, are in bench/RESULTS.md. A pin sits at or a
little below the measured figure so that a regression fails here, never a better result.
"""

import importlib.util

import pytest

from .conftest import ROOT, SHARED

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def figures(gold):  # the gold fixture skips when ../shared is absent
    spec = importlib.util.spec_from_file_location("bench_seeds", ROOT / "bench" / "seeds.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.run(SHARED)


def _frac(s: str) -> float:
    a, b = s.split("/")
    return int(a) / int(b)


def test_cleaning(figures):
    assert figures["boilerplate_removed"] == "6/6"
    assert figures["story_text_lost"] == 0


def test_entities(figures):
    assert figures["entities_named_multi_alias_grouped"] == "10/10"
    assert figures["entities_mixing_two_gold"] == 0


def test_quotes_numbers_times(figures):
    assert figures["quote_recall"] >= 0.95
    assert figures["quote_speaker_accuracy"] >= 0.90
    assert figures["quote_reported_by"] == "3/3"
    assert figures["number_recall"] >= 0.9
    assert figures["time_value_accuracy"] >= 0.9 and figures["time_recall"] >= 0.9


def test_copies_and_source_groups(figures):
    assert figures["copy_pairs"] == [["000_c144dc5d5d1e91ea", "004_8f38f12bd4cc9d8f"]]
    assert figures["source_groups"] == [["000_c144dc5d5d1e91ea", "004_8f38f12bd4cc9d8f"],
                                        ["001_ef872c60fb3d20e9"], ["002_38412098a1d06a6a"],
                                        ["003_659a28ae34ecee4b"]]
    assert min(figures["copy_passage_coverage"]) >= 0.8


def test_facts(figures):
    # Precision first since 2026-12-07 (#19): a fact's support must state it, so fewer gold facts
    # are found (0.795 -> 0.477) and multi-source facts are right far more often (bench/claims.py:
    # 14/25 -> 10/12). Pins at today's figures less a margin; bench/RESULTS.md "Claims".
    assert figures["consensus_fact_recall"] >= 0.42
    assert figures["consensus_indep_sources_exact"] >= 0.47


def test_conflicts(figures):
    c = figures["conflicts"]
    drones = next(v for k, v in c.items() if k.startswith("number of drones"))
    hurt = next(v for k, v in c.items() if k.startswith("whether Kadhimi"))
    title = next(v for k, v in c.items() if k.startswith("Barham Salih"))
    assert int(drones.split("/")[0]) >= 3 and int(hurt.split("/")[0]) >= 3
    assert int(title.split("/")[0]) >= 1


def test_timeline_and_event(figures):
    assert _frac(figures["timeline_dates_covered"]) >= 8 / 12
    e = figures["event"]
    assert e["date"] == "2021-11-07" and e["location"] == "Baghdad"
    assert any("Kadhimi" in t for t in e["targets"])
    assert e["injured"] == 7 and e["killed"] in (0, None) and e["claimed_by"] is None
