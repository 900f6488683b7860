"""Every report the tests produce follows the contract (spec/report-v1.md) and its JSON Schema."""

import json

import pytest

from newsweave.cli import main
from newsweave.render import render_json, report_dict
from newsweave.schema import REPORT_SCHEMA, validate_report

from .conftest import check_spans


def test_seed_report_validates(seed_report):
    data = json.loads(render_json(seed_report))
    validate_report(data)
    assert data["schema"] == "newsweave.report/1"
    assert [a["id"] for a in data["articles"]] == sorted(a["id"] for a in data["articles"])
    check_spans(seed_report)


def test_example_report_validates(example_report):
    validate_report(report_dict(example_report))
    check_spans(example_report)


def test_schema_rejects_a_broken_report(seed_report):
    import jsonschema

    data = report_dict(seed_report)
    del data["articles"][0]["removed"]
    with pytest.raises(jsonschema.ValidationError):
        validate_report(data)
    data = report_dict(seed_report)
    data["articles"][0]["published_from"] = "guess"
    with pytest.raises(jsonschema.ValidationError):
        validate_report(data)


def test_schema_command_prints_the_schema(capsys):
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(json.dumps(REPORT_SCHEMA))
    assert set(printed["required"]) == {"schema", "articles", "problems", "stories"}


def test_article_ids_are_file_stems(seed_report, seeds_dir):
    assert sorted(a.id for a in seed_report.articles) == sorted(p.stem for p in seeds_dir.glob("*.txt"))
