"""The CLI end to end: formats, exit codes, and every input accounted for."""

import json
import shutil
import subprocess
import sys

import pytest

from newsweave.cli import main
from newsweave.render import report_dict
from newsweave.schema import validate_report

from .badinput.make_corpus import make_corpus
from .conftest import EXAMPLES, check_spans, validated


def _run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "newsweave.cli", *args], capture_output=True,
                          text=True, input=stdin, timeout=600)


def test_help_lists_the_commands():
    out = _run("--help")
    assert out.returncode == 0 and "analyze" in out.stdout and "schema" in out.stdout
    out = _run("analyze", "--help")
    assert "--format" in out.stdout and "exit codes" in out.stdout


def test_bad_usage_exits_2(tmp_path):
    assert _run("analyze").returncode == 2
    assert _run("analyze", str(EXAMPLES), "--format", "pdf").returncode == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("limits: {max_input_bytez: 3}\n")
    out = _run("analyze", str(EXAMPLES), "--config", str(bad))
    assert out.returncode == 2 and "max_input_bytez" in out.stderr


def test_no_usable_input_exits_1(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    out = _run("analyze", str(tmp_path), "-o", str(tmp_path / "r.json"))
    assert out.returncode == 1
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["articles"] == [] and data["problems"][0]["kind"] == "empty"


@pytest.mark.parametrize("fmt", ["json", "md", "html"])
def test_formats(tmp_path, fmt):
    out_file = tmp_path / f"r.{fmt}"
    assert main(["analyze", str(EXAMPLES), "--format", fmt, "-o", str(out_file), "-q"]) == 0
    text = out_file.read_text("utf-8")
    if fmt == "json":
        validate_report(json.loads(text))
    elif fmt == "html":
        assert text.startswith("<!DOCTYPE html>")
        assert "http://" not in text.replace('href="http', "") and "<link" not in text
        assert "src=" not in text  # no external scripts, images or styles
    else:
        assert text.startswith("# newsweave report")


def test_one_run_writes_several_formats(tmp_path):
    outs = [tmp_path / "r.json", tmp_path / "r.html", tmp_path / "r.md"]
    args = ["analyze", str(EXAMPLES), "-q"]
    for o in outs:
        args += ["-o", str(o)]
    assert main(args) == 0
    validate_report(json.loads(outs[0].read_text("utf-8")))
    assert outs[1].read_text("utf-8").startswith("<!DOCTYPE html>")
    assert outs[2].read_text("utf-8").startswith("# newsweave report")
    # one name and a list of formats: NAME.FMT each
    assert main(["analyze", str(EXAMPLES), "-q", "--format", "json,md", "-o",
                 str(tmp_path / "base")]) == 0
    assert (tmp_path / "base.json").exists() and (tmp_path / "base.md").exists()


@pytest.mark.parametrize("args", [
    ["--format", "json,md"],                        # several formats to standard output
    ["-o", "r.txt", "-o", "r.json"],                # an extension that names no format
    ["--format", "json,pdf", "-o", "r"],            # an unknown format in the list
])
def test_format_mixes_that_say_nothing_exit_2_before_the_run(tmp_path, args):
    out = _run("analyze", str(EXAMPLES), *[str(tmp_path / a) if a.startswith("r") else a
                                            for a in args])
    assert out.returncode == 2 and "newsweave:" in out.stderr
    assert "inputs ->" not in out.stderr  # refused before any analysis


def test_stdin(tmp_path):
    rec = json.dumps({"id": "s1", "text": "A story read from standard input, long enough to count."})
    out = _run("analyze", "-", stdin=rec + "\n")
    assert out.returncode == 0
    assert json.loads(out.stdout)["articles"][0]["id"] == "s1"


def test_seeds_mixed_with_ten_bad_files_lists_all_fifteen(tmp_path, seeds_dir, pipeline):
    bad = tmp_path / "bad"
    make_corpus(bad, full=False, many_lines=10)
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    for p in seeds_dir.glob("*.txt"):
        shutil.copy(p, mixed / p.name)
    ten = ["empty.txt", "whitespace.txt", "image.jpg", "nul_bytes.txt", "undecodable.txt",
           "scripts_only.html", "no_body.html", "duplicate_a.txt", "duplicate_b.txt", "no_sentence.txt"]
    for name in ten:
        shutil.copy(bad / name, mixed / name)
    report = validated(pipeline.run([str(mixed)]))
    inputs = {str(mixed / n) for n in ten} | {str(p) for p in mixed.glob("0*.txt")}
    accounted = {a.input for a in report.articles} | {p.input for p in report.problems if p.kind != "warning"}
    assert report.inputs == 15 and accounted == inputs
    assert len(report.articles) + sum(p.kind != "warning" for p in report.problems) == 15
    for p in report.problems:
        assert p.message and p.kind
    check_spans(report)


def test_whole_bad_corpus_is_accounted_for(tmp_path):
    from newsweave import Pipeline, load_config

    bad = tmp_path / "bad"
    manifest = make_corpus(bad, full=False, many_lines=200)
    # A smaller article limit keeps the cut 2 MB texts quick to parse; the limit itself is tested.
    report = Pipeline(config=load_config(limits__max_article_chars=20_000)).run([str(bad)])
    input_problems = [p for p in report.problems if p.kind != "warning"]
    assert len(report.articles) + len(input_problems) == report.inputs
    by_file = {}
    for a in report.articles:
        by_file.setdefault(a.input.split(":")[0].rsplit("/", 1)[-1], []).append("article")
    for p in input_problems:
        # The generator writes one text in several encodings: later copies are duplicates.
        kind = "article" if p.kind == "duplicate" else "problem"
        by_file.setdefault(p.input.split(":")[0].rsplit("/", 1)[-1], []).append(kind)
    for name, expect in manifest.items():
        got = by_file.get(name)
        assert got, f"{name} not accounted for"
        if expect == "article":
            assert got == ["article"], (name, got)
        elif expect == "problem":
            assert got == ["problem"], (name, got)
    validate_report(report_dict(report))
    check_spans(report)


def test_store_commands(tmp_path):
    db = str(tmp_path / "corpus.db")
    first = _run("ingest", str(EXAMPLES), "--db", db)
    assert first.returncode == 0 and "7 added" in first.stderr
    again = _run("ingest", str(EXAMPLES), "--db", db)
    assert again.returncode == 0 and "7 unchanged" in again.stderr
    rows = [json.loads(x) for x in _run("stories", "--db", db, "--json").stdout.splitlines()]
    assert len(rows) == 1 and rows[0]["n_articles"] == 7
    shown = _run("show", rows[0]["id"][:6], "--db", db)
    assert shown.returncode == 0 and "number of workers killed" in shown.stdout
    hits = _run("search", "Caldera explosion", "--db", db).stdout
    assert "article" in hits and "[Caldera]" in hits
    exported = json.loads(_run("export", "--db", db).stdout)
    validate_report(exported)
    assert len(exported["articles"]) == 7
    assert _run("stories", "--db", str(tmp_path / "none.db")).returncode == 1


def test_event_grouping_keeps_two_events_apart(tmp_path, seeds_dir):
    cfg = tmp_path / "events.yaml"
    cfg.write_text("group: {mode: events}\n")
    out = tmp_path / "r.json"
    assert main(["analyze", str(EXAMPLES), str(seeds_dir), "--config", str(cfg), "-o", str(out), "-q"]) == 0
    data = json.loads(out.read_text())
    validate_report(data)
    for story in data["stories"]:
        kinds = {a[:3].isdigit() and a.split("_", 1)[1][:1].isalpha() and "-" in a for a in story["articles"]}
        assert len(kinds) == 1, story["articles"]  # never an example article with a seed article
    assert sum(len(s["articles"]) for s in data["stories"]) == 12


def test_a_report_that_fails_while_written_leaves_no_file(tmp_path):
    from newsweave.cli import _write_file

    out = tmp_path / "r.json"

    def fail(fh):
        fh.write("{\n")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        _write_file(out, fail)
    assert not out.exists() and not list(tmp_path.iterdir())
    _write_file(out, lambda fh: fh.write("{}\n"))
    assert out.read_text() == "{}\n" and [p.name for p in tmp_path.iterdir()] == ["r.json"]
