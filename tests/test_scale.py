"""Article stages on Dask workers give exactly the one-process results."""

from __future__ import annotations

import pytest

from newsweave import Pipeline
from newsweave.errors import ConfigError
from newsweave.render import render
from newsweave.scale import DaskExecutor, LocalExecutor, make_executor

from .conftest import EXAMPLES, validated


def test_make_executor_names():
    assert isinstance(make_executor("local"), LocalExecutor)
    assert isinstance(make_executor("processes", workers=3), DaskExecutor)
    ex = make_executor("tcp://127.0.0.1:8786")
    assert isinstance(ex, DaskExecutor) and ex.address == "tcp://127.0.0.1:8786"
    with pytest.raises(ConfigError, match="scheduler must be"):
        make_executor("threads")
    with pytest.raises(ConfigError, match="at least 1"):
        DaskExecutor(workers=0)


def test_unreachable_scheduler_is_a_config_error():
    with DaskExecutor(address="tcp://127.0.0.1:9") as ex, pytest.raises(ConfigError, match="dask scheduler"):
        ex.client  # noqa: B018


@pytest.mark.integration
def test_local_cluster_report_equals_one_process(example_report):
    from newsweave.config import load_config

    config = load_config(run__batch_size=2)  # several batches, so order across workers matters
    with DaskExecutor(workers=2) as ex:
        report = validated(Pipeline(config=config, executor=ex).run([str(EXAMPLES)]))
    assert render(report, "json") == render(example_report, "json")


@pytest.mark.slow
@pytest.mark.integration
def test_local_cluster_equals_one_process_on_a_2000_article_stream(tmp_path):
    """2,000 articles resampled from ../shared/data (bench/scale.py), grouped into event stories:
    the same stories, facts, copy links and report bytes on two Dask workers as in one process."""
    import sys

    from .conftest import ROOT, SHARED

    if not (SHARED / "data" / "duc2004_task2").exists():
        pytest.skip(f"needs the evaluation corpora in {SHARED / 'data'}")
    sys.path.insert(0, str(ROOT / "bench"))
    from dask_speed import analyse
    from scale import build_stream

    files = [p for batch in build_stream(2000, chunk=2000, seed=11, out=tmp_path) for p in batch]
    local = analyse(files)
    with DaskExecutor(workers=2) as ex:
        dask = analyse(files, ex)
    print(f"\none process: {local}\n2 workers:   {dask}")  # the figures, with pytest -s
    assert local["articles"] == dask["articles"] == 2000
    assert local["stories"] == dask["stories"] > 50
    assert local["report_sha256"] == dask["report_sha256"]


def test_a_failing_story_stage_costs_only_that_story():
    from newsweave.model import Story
    from newsweave.stage import StoryStage

    class Boom(StoryStage):
        name = "boom"

        def process_story(self, story, articles):
            if story.id == "s-bad":
                raise RuntimeError("odd story")
            return Story(**{**story.__dict__, "title": "done"})

    from newsweave.stage import Corpus

    stories = (Story(id="s-good", title="", articles=()), Story(id="s-bad", title="", articles=()))
    out = Boom().process(Corpus((), stories))
    assert [s.title for s in out.stories] == ["done", ""]
    assert out.stories[0].problems == ()
    [problem] = out.stories[1].problems  # reported, not only warned (tests/test_architecture.py)
    assert problem.input == "s-bad" and "boom failed on story s-bad" in problem.message



def test_corpus_stages_report_progress_to_the_last_story():
    """``analyze`` shows a bar past the article stages: each whole-corpus stage, then each
    block of stories, ending at all stories done."""
    from newsweave.model import Article, Story
    from newsweave.pipeline import run_corpus_stages
    from newsweave.stage import Corpus, CorpusStage, StoryStage

    class Group(CorpusStage):
        name = "grouping"

        def process(self, corpus):
            return Corpus(corpus.articles, tuple(
                Story(id=f"s{i}", title="", articles=(a.id,)) for i, a in enumerate(corpus.articles)))

    class Title(StoryStage):
        name = "title"

        def process_story(self, story, articles):
            return Story(**{**story.__dict__, "title": articles[0].text})

    arts = tuple(Article(id=f"a{i}", input=f"a{i}", text=f"text {i}") for i in range(5))
    calls = []
    out = run_corpus_stages([Group(), Title()], Corpus(arts), articles_per_block=2,
                            progress=lambda *c: calls.append(c))
    assert [s.title for s in out.stories] == [a.text for a in arts]
    assert calls[0] == ("corpus: grouping", 0, 1)
    assert [c[1:] for c in calls[1:]] == [(2, 5), (4, 5), (5, 5)]

@pytest.mark.integration
def test_ingest_on_a_local_cluster_stores_what_one_process_stores(tmp_path):
    """``newsweave ingest --scheduler processes``: article and story stages on two workers, the
    same stored stories (facts, copies, summaries) as the one-process ingest."""
    import json

    from newsweave.store import Store, ingest

    def stored(db, executor):
        with Store(db) as store:
            ingest(store, [str(EXAMPLES)], Pipeline(executor=executor))
            return json.dumps([store.story(r["id"]) for r in store.stories(limit=100)],
                              sort_keys=True)

    one = stored(tmp_path / "one.db", None)
    with DaskExecutor(workers=2) as ex:
        two = stored(tmp_path / "two.db", ex)
    assert '"facts"' in one and one == two


def _double(block):
    return [x * 2 for x in block]


@pytest.mark.integration
def test_dask_map_with_a_cost_still_answers_in_input_order():
    """Blocks go out costliest first and any finished block frees a slot, but results come back
    in input order, as LocalExecutor's do."""
    blocks = [[i] * (1 + i % 5) for i in range(30)]
    with DaskExecutor(workers=2, in_flight=1) as ex:
        got = list(ex.map(_double, blocks, cost=len))
    assert got == list(LocalExecutor().map(_double, blocks)) == [_double(b) for b in blocks]


def test_the_embedding_memo_embeds_each_text_once_and_changes_no_vector(monkeypatch):
    import numpy as np

    from newsweave.nlp import embed

    calls = []

    def fake(self, texts):
        calls.append(list(texts))
        return np.stack([np.full(3, len(t), dtype=np.float32) for t in texts])

    monkeypatch.setattr(embed.Embedder, "_encode", fake)
    monkeypatch.setattr(embed.Embedder, "warm_up", lambda self: None)
    e = embed.Embedder()
    plain = e.encode(["a", "bb", "a"])
    with embed.memo():
        first = e.encode(["a", "bb", "a"])
        second = e.encode(["bb", "ccc"])
    after = e.encode(["a"])
    assert np.array_equal(plain, first) and second[1][0] == 3 and after[0][0] == 1
    assert calls == [["a", "bb", "a"], ["a", "bb"], ["ccc"], ["a"]]  # inside the memo: once each


@pytest.mark.parametrize("key", ["run.workers", "run.batch_size", "run.story_block",
                                 "store.group_chunk", "store.ingest_batch"])
def test_run_sizes_below_one_are_refused_by_name(key):
    from newsweave.config import load_config

    arg = key.replace(".", "__")
    with pytest.raises(ConfigError, match=f"'{key}' must be a whole number of at least 1"):
        load_config(**{arg: 0})
    assert load_config(**{arg: 3}).get(key) == 3


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.integration
def test_a_running_cluster_started_as_the_readme_says(tmp_path, example_report):
    """``dask scheduler`` and ``dask worker`` started with the README's commands, then
    ``newsweave analyze --scheduler tcp://...``: the report equals the one-process report."""
    import subprocess
    import sys
    from pathlib import Path

    from newsweave.cli import main

    dask = Path(sys.executable).with_name("dask")
    if not dask.exists():
        pytest.skip(f"no dask command beside {sys.executable}")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = open(tmp_path / "dask.log", "w")
    procs = [subprocess.Popen([str(dask), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], stdout=logs, stderr=logs)]
    try:
        procs.append(subprocess.Popen(
            [str(dask), "worker", address, "--nthreads", "1", "--nworkers", "2",
             "--memory-limit", "4GB", "--no-dashboard"], stdout=logs, stderr=logs))
        from distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        out = tmp_path / "r.json"
        assert main(["analyze", str(EXAMPLES), "--scheduler", address, "-o", str(out), "-q"]) == 0
        assert out.read_text(encoding="utf-8") == render(example_report, "json")
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
        logs.close()


def test_a_worker_encodes_with_the_callers_torch_threads():
    """MiniLM's vectors can differ in the last bits with torch's thread count, and one story in
    10,000 then got other facts on a Dask worker (one thread) than in one process (two). The
    runner carries the caller's thread count, and a worker sets it before its first block."""
    import pickle

    torch = pytest.importorskip("torch")
    from newsweave.scale.executors import StageRunner, StoryRunner

    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        runners = [StageRunner([]), StoryRunner([])]
        torch.set_num_threads(1)  # a worker, as a Dask nanny starts it
        for runner in runners:
            shipped = pickle.loads(pickle.dumps(runner))
            assert shipped.torch_threads == 2
            shipped.warm_up()
            assert torch.get_num_threads() == 2
            torch.set_num_threads(1)
    finally:
        torch.set_num_threads(before)


def test_release_memory_returns_freed_heap_on_glibc_and_is_a_no_op_elsewhere(monkeypatch):
    import ctypes
    import sys

    from newsweave.scale import memory

    memory._malloc_trim.cache_clear()
    glibc = sys.platform.startswith("linux") and hasattr(ctypes.CDLL(None), "malloc_trim")
    assert memory.release_memory() is glibc
    memory._malloc_trim.cache_clear()
    monkeypatch.setattr(sys, "platform", "darwin")
    try:
        assert memory.release_memory() is False
    finally:
        memory._malloc_trim.cache_clear()


def test_runners_release_memory_after_each_block(monkeypatch):
    from newsweave.scale import executors

    calls = []
    monkeypatch.setattr(executors, "release_memory", lambda: calls.append(1) or True)
    executors.StageRunner([])([])
    executors.StoryRunner([])([])
    assert len(calls) == 2
