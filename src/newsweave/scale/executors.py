"""Executors map a pipeline's stages over blocks of work: batches of articles, then stories.

Article stages are the parallel half of a run: one article in, one out, no shared state. Story
stages (``stage.StoryStage``: entities per story, copies, cross-checking, summaries) work on
one story and its articles at a time, so once stories are grouped they are the blocks. An
executor takes a runner (the stages, pickled without models: stages load them in ``warm_up``)
and the blocks, and yields each block's result in input order, so a parallel run returns
exactly what the one-process run returns. Reading, cleaning and grouping stay in the caller.

- ``LocalExecutor``: this process (the default).
- ``DaskExecutor``: a Dask ``LocalCluster`` this executor starts (``scheduler: processes``), or a
  running Dask scheduler at an address (``tcp://host:8786``). The stage list is scattered to
  every worker once, so each worker loads its models once, on its first batch.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator, Sequence

from ..errors import ConfigError, missing_dependency
from ..model import Article, replace
from .memory import release_memory


def run_stages(stages: Sequence, articles: Sequence[Article]) -> list[Article]:
    """Every stage over ``articles`` in turn; a failure marks the article, never stops the batch."""
    arts = list(articles)
    for st in stages:
        try:
            arts = st.process_batch(arts)
        except Exception:
            out = []
            for a in arts:
                try:
                    out.append(st.process(a))
                except Exception as exc:
                    out.append(replace(a, warnings=a.warnings + (
                        f"stage {st.name} failed: {type(exc).__name__}: {exc}",)))
            arts = out
    return arts


def _torch_threads() -> int | None:
    """This process's torch intra-op thread count, if torch is loaded here."""
    torch = sys.modules.get("torch")
    return torch.get_num_threads() if torch is not None else None


class StageRunner:
    """Stages as one picklable callable that warms them up once per process.

    It carries the torch thread count of the process that made it, and a worker sets it before
    its first block: MiniLM's vectors can differ in the last bits with the thread count (a Dask
    nanny starts workers with one), and a similarity on a threshold then flips (seen once in
    10,000 articles), so the same threads give the same report.
    """

    def __init__(self, stages: Sequence):
        self.stages = list(stages)
        self._warm = False
        self.torch_threads = _torch_threads()

    def __getstate__(self):
        return {"stages": self.stages, "_warm": False, "torch_threads": self.torch_threads}

    def warm_up(self) -> None:
        if not self._warm:
            if self.torch_threads and self.torch_threads != _torch_threads():
                import torch

                torch.set_num_threads(self.torch_threads)
            for st in self.stages:
                st.warm_up()
            self._warm = True

    def __call__(self, articles: Sequence[Article]) -> list[Article]:
        self.warm_up()
        out = run_stages(self.stages, articles)
        release_memory()  # a long run's resident size stays that of what it holds
        return out


class StoryRunner(StageRunner):
    """Story stages over a block of stories: ``[(story, its articles), ...] -> [story, ...]``."""

    def __call__(self, block):
        from ..nlp.embed import memo

        self.warm_up()
        out = []
        for story, articles in block:
            with memo():  # the story's stages embed each sentence once
                for st in self.stages:
                    story = st.guarded(story, articles)
            out.append(story)
        release_memory()
        return out


def story_blocks(pairs, articles_per_block: int):
    """``(story, articles)`` pairs packed, in order, into blocks of about ``articles_per_block``
    articles, so a worker gets enough work per round trip (most stories are small)."""
    block: list = []
    size = 0
    for story, arts in pairs:
        block.append((story, arts))
        size += len(arts)
        if size >= articles_per_block:
            yield block
            block, size = [], 0
    if block:
        yield block


def _run_block(block, runner):
    return runner(block)


class Executor:
    """Runs article stages over batches; a context manager that releases what it started."""

    name = "executor"

    def map(self, runner, blocks: Iterable, cost=None) -> Iterator:
        """``runner(block)`` for each block, results in input order.

        ``cost(block)``, if given, estimates a block's work: an executor with several workers
        may then start the costliest blocks first (the input is read whole), so one large story
        does not run alone at the end while the other workers wait.
        """
        raise NotImplementedError

    def close(self) -> None:
        """Release workers; the executor can't be used afterwards."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class LocalExecutor(Executor):
    """This process, one batch after the other."""

    name = "local"

    def map(self, runner, blocks, cost=None):
        for block in blocks:  # warming stages that are warm already costs nothing
            yield runner(block)


class DaskExecutor(Executor):
    """Article stages on Dask workers: a LocalCluster of ``workers`` processes with one thread
    each (``address=None``), or the cluster behind a running scheduler at ``address``."""

    name = "dask"

    def __init__(self, address: str | None = None, workers: int = 2, in_flight: int = 4):
        if workers < 1:
            raise ConfigError(f"run.workers must be at least 1, got {workers}")
        self.address, self.workers, self.in_flight = address, workers, in_flight
        self._client = None
        self._cluster = None

    @property
    def client(self):
        if self._client is None:
            try:
                from distributed import Client, LocalCluster
            except ImportError as exc:
                raise missing_dependency("dask[distributed]", "scale") from exc
            if self.address:
                try:
                    self._client = Client(self.address, timeout="20s")
                except OSError as exc:
                    raise ConfigError(f"no Dask scheduler answers at {self.address!r}: {exc}; "
                                      "start one with `dask scheduler` (see README)") from exc
            else:
                self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1,
                                             processes=True, dashboard_address=None,
                                             silence_logs=logging.ERROR)
                self._client = Client(self._cluster)
        return self._client

    def n_workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def map(self, runner, blocks, cost=None):
        """Up to ``in_flight`` blocks per worker at a time, a new one sent as soon as any is done
        (not only the oldest), so a slow block never idles the other workers; results are held
        back until those before them are in."""
        from distributed import as_completed

        client = self.client
        runner = client.scatter(runner, broadcast=True, hash=False)
        todo: Iterator = enumerate(blocks)
        if cost is not None:
            todo = iter(sorted(todo, key=lambda ib: -cost(ib[1])))
        limit = self.in_flight * self.n_workers()
        index: dict = {}
        done: dict[int, object] = {}
        running = as_completed()
        nxt = 0

        def send() -> bool:
            item = next(todo, None)
            if item is None:
                return False
            fut = client.submit(_run_block, item[1], runner, pure=False)
            index[fut.key] = item[0]
            running.add(fut)
            return True

        try:
            while len(index) < limit and send():
                pass
            for fut in running:
                done[index.pop(fut.key)] = fut.result()
                send()
                while nxt in done:
                    yield done.pop(nxt)
                    nxt += 1
        finally:
            for fut in list(running.futures):
                fut.cancel()
            client.cancel(runner)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def make_executor(scheduler: str = "local", workers: int = 2) -> Executor:
    """``local``, ``processes`` (a Dask LocalCluster of ``workers``) or a scheduler address."""
    scheduler = (scheduler or "local").strip()
    if scheduler == "local":
        return LocalExecutor()
    if scheduler == "processes":
        return DaskExecutor(workers=workers)
    if "://" in scheduler or ":" in scheduler:
        return DaskExecutor(address=scheduler)
    raise ConfigError(f"scheduler must be 'local', 'processes' or a Dask scheduler address such as "
                      f"tcp://127.0.0.1:8786, got {scheduler!r}")
